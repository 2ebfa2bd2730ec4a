// Reads the site's open-data catalogue as RDF clients do, for the Go tests
// (internal/web): one node process.
//
// stdin:  {"catalogues": [{"name", "jsonld": text, "turtle": text, "base": url}],
//          "shapes": path, "remove": [{"class": iri, "path": iri}]}
// stdout: {"catalogues": [{"name", "jsonld": {"triples", "error"}, "turtle": {"triples", "error"},
//          "onlyInJSONLD": [...], "onlyInTurtle": [...],
//          "report": {"conforms", "results": [{"severity", "focus", "path", "message", "shape"}]}}],
//          "removed": [{"class", "path", "subjects", "dropped", "report"}]}
//
// JSON-LD: jsonld.js (the W3C test suite's reference processor) turns the
// document into N-Quads, read with n3; Turtle: n3's parser. The two graphs
// are compared triple by triple (the catalogue has no blank nodes). SHACL:
// rdf-validate-shacl validates the Turtle graph against the shapes; then,
// for each {class, path} of "remove", a copy without that property on
// every subject of that class (of the first catalogue) is validated
// again: each must fail.
import fs from 'node:fs';
import jsonld from 'jsonld';
import N3 from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = {};

function key(q) {
  const term = t => t.termType === 'Literal'
    ? JSON.stringify(t.value) + (t.language ? '@' + t.language : '^^' + t.datatype.value)
    : t.termType === 'BlankNode' ? '_:' + t.value : '<' + t.value + '>';
  return `${term(q.subject)} ${term(q.predicate)} ${term(q.object)}`;
}

async function readJSONLD(text) {
  // No remote context: the document's @context is inline, and any
  // attempt to load one is an error.
  const documentLoader = url => { throw new Error('the catalogue loads a remote document: ' + url); };
  const nquads = await jsonld.toRDF(JSON.parse(text), { format: 'application/n-quads', documentLoader, safe: true });
  return new N3.Parser({ format: 'N-Quads' }).parse(nquads);
}

function readTurtle(text, base) {
  return new N3.Parser({ format: 'text/turtle', baseIRI: base }).parse(text);
}

async function validate(shapes, quads) {
  const validator = new SHACLValidator(new N3.Store(shapes));
  const report = await validator.validate(new N3.Store(quads));
  const short = iri => iri.replace('http://www.w3.org/ns/shacl#', 'sh:');
  return {
    conforms: report.conforms,
    results: report.results.map(r => ({
      severity: short(r.severity?.value || ''),
      focus: r.focusNode?.value,
      path: r.path?.value,
      message: (r.message || []).map(m => m.value).join(' '),
      shape: r.sourceShape?.value,
      constraint: short(r.sourceConstraintComponent?.value || ''),
    })),
  };
}

const shapes = readTurtle(fs.readFileSync(input.shapes, 'utf8'), 'file://' + input.shapes);
const graphs = [];
out.catalogues = [];
for (const c of input.catalogues) {
  const res = { name: c.name };
  let jl = [], tt = [];
  try {
    jl = await readJSONLD(c.jsonld);
    res.jsonld = { triples: jl.length };
  } catch (e) {
    res.jsonld = { error: String(e && e.message || e) };
  }
  try {
    tt = readTurtle(c.turtle, c.base);
    res.turtle = { triples: tt.length };
  } catch (e) {
    res.turtle = { error: String(e && e.message || e) };
  }
  const a = new Set(jl.map(key)), b = new Set(tt.map(key));
  res.onlyInJSONLD = [...a].filter(k => !b.has(k));
  res.onlyInTurtle = [...b].filter(k => !a.has(k));
  res.report = await validate(shapes, tt);
  graphs.push(tt);
  out.catalogues.push(res);
}

const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const tt = graphs[0] || [];
out.removed = [];
for (const r of input.remove || []) {
  const subjects = new Set(tt.filter(q => q.predicate.value === rdfType && q.object.value === r.class).map(q => q.subject.value));
  const kept = tt.filter(q => !(subjects.has(q.subject.value) && q.predicate.value === r.path));
  out.removed.push({ class: r.class, path: r.path, subjects: subjects.size, dropped: tt.length - kept.length, report: await validate(shapes, kept) });
}
process.stdout.write(JSON.stringify(out));
