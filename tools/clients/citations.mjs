// Reads citation files as real clients do, for the Go tests
// (internal/cite, internal/web): one node process for every file.
//
// stdin: {"files": [{"name", "format": "bib"|"ris"|"csl"|"highwire", "text", "authors"}],
//         "styles": {"chicago": "path/to/chicago-author-date.csl"}}
// stdout: {"results": [{"name", "errors": [...], "entries", "title", "authors": [...],
//          "date": [y, m, d], "language", "url", "fields", "zotero", "rendered"}]}
//
// bib: @retorquere/bibtex-parser (the parser of Better BibTeX for Zotero);
// ris: astrocite-ris (its grammar for the raw tags, its converter for CSL);
// csl: JSON.parse, then citeproc-js (npm "citeproc") renders each item in
// APA (@citation-js/plugin-csl's copy) and Chicago author-date (the path
// given), en-US locale;
// highwire: citation_author values, read with the rules of Zotero's
// Embedded Metadata translator (see zoteroHighwire).
// Any exception is reported as an error of its file, never a crash.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as bibtex from '@retorquere/bibtex-parser';
import CSL from 'citeproc';

const require = createRequire(import.meta.url);
const { parse: parseRIS, AST: risGrammar } = require('astrocite-ris');
const styles = require('@citation-js/plugin-csl/lib/styles.json');
const locales = require('@citation-js/plugin-csl/lib/locales.json');

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const styleTexts = { apa: styles.apa };
for (const [name, path] of Object.entries(input.styles || {})) styleTexts[name] = fs.readFileSync(path, 'utf8');

// creatorName writes a Better BibTeX creator back as one string, and says
// whether the parser split it.
function creatorName(c) {
  if (c.name !== undefined) return { name: c.name, split: false };
  return { name: [c.firstName, c.prefix, c.lastName, c.suffix].filter(Boolean).join(' '), split: true };
}

function readBib(f) {
  const lib = bibtex.parse(f.text);
  const out = { errors: lib.errors.map(e => e.error), entries: lib.entries.length };
  const e = lib.entries[0];
  if (!e) return out;
  out.type = e.type;
  out.key = e.key;
  out.fields = {};
  for (const [k, v] of Object.entries(e.fields)) {
    out.fields[k] = Array.isArray(v) ? v.map(x => typeof x === 'string' ? x : creatorName(x).name).join(' | ') : v;
  }
  out.title = e.fields.title;
  out.authors = (e.fields.author || []).map(c => creatorName(c).name);
  out.split = (e.fields.author || []).some(c => creatorName(c).split);
  out.language = e.fields.language;
  out.url = e.fields.url;
  const d = (e.fields.date || '').split('/')[0];
  out.date = d ? d.split('-').map(Number) : [];
  return out;
}

// zoteroRIS is how Zotero's RIS import (RIS.js, processTag) reads a name:
// before the first comma the family name, after it the given name, and no
// comma a single-field ("corporate") name.
function zoteroRIS(value) {
  const last = value.split(/\s*,\s*/)[0];
  const first = value.slice(last.length).replace(/^\s*,\s*/, '');
  return first ? { lastName: last, firstName: first } : { lastName: last, fieldMode: 1 };
}

function readRIS(f) {
  const out = { errors: [] };
  const ast = risGrammar.parse(f.text);
  out.entries = ast.children.length;
  const entry = ast.children[0];
  if (!entry) return out;
  out.fields = {};
  for (const p of entry.properties) out.fields[p.key] = out.fields[p.key] ? out.fields[p.key] + ' | ' + p.value : p.value;
  out.authors = entry.properties.filter(p => p.key === 'AU').map(p => p.value);
  out.zotero = out.authors.map(zoteroRIS);
  const item = parseRIS(f.text)[0];
  out.title = item.title;
  out.language = item.language;
  out.url = item.URL;
  out.date = (item.issued?.['date-parts']?.[0] || []).filter(x => x !== '').map(Number);
  out.csl = item;
  return out;
}

// zoteroHighwire is how Zotero's Embedded Metadata translator
// (processHighwireCreators, then ZU.cleanAuthor) reads citation_author
// values: cut at ";"; a lone tag also at "," when both sides hold a space;
// then a name with a comma is "Family, Given" (trailing punctuation
// trimmed first) and one without is "Given … Family" (the last word).
function zoteroHighwire(values) {
  const creators = [];
  for (const v of values) {
    let names = v.split(/\s*;\s*/);
    if (names.length === 1 && values.length === 1) {
      const byComma = names[0].split(/\s*,\s*/);
      if (byComma.length > 1 && byComma[0].includes(' ') && byComma[1].includes(' ')) names = byComma;
    }
    for (let n of names) {
      n = n.trim();
      if (!n || !/[^\s,\-.;]/.test(n)) continue;
      const useComma = n.includes(',');
      n = n.replace(/^[\s\u00A0.,/[\]:]+/, '').replace(/[\s\u00A0.,/[\]:]+$/, '');
      if (useComma) {
        const parts = n.split(/, ?/);
        creators.push(parts.length > 1 ? { lastName: parts[0], firstName: parts[1] } : { lastName: n });
      } else {
        const i = n.lastIndexOf(' ');
        creators.push(i < 0 ? { lastName: n } : { lastName: n.slice(i + 1), firstName: n.slice(0, i) });
      }
    }
  }
  return creators;
}

// One citeproc-js engine per style, for every item: building an engine
// parses the style, which takes longer than rendering. Each item is
// rendered alone (updateItems with its id only), so no item changes
// another's reference (no "2017a", no "———").
const cslItems = new Map();
const engines = Object.fromEntries(Object.entries(styleTexts).map(([name, style]) => {
  const sys = { retrieveLocale: () => locales['en-US'], retrieveItem: id => cslItems.get(id) };
  const engine = new CSL.Engine(sys, style, 'en-US', true);
  engine.setOutputFormat('text');
  return [name, engine];
}));
let cslCount = 0;

function readCSL(f) {
  const out = { errors: [] };
  const items = JSON.parse(f.text);
  out.entries = items.length;
  const item = items[0];
  if (!item) return out;
  out.title = item.title;
  out.authors = (item.author || []).map(a => a.literal ?? [a.given, a.family].filter(Boolean).join(' '));
  out.language = item.language;
  out.url = item.URL;
  out.date = item.issued?.['date-parts']?.[0] || [];
  out.rendered = {};
  const id = `${cslCount++}:${item.id}`;
  cslItems.set(id, { ...item, id });
  for (const [name, engine] of Object.entries(engines)) {
    engine.updateItems([id]);
    const [meta, bib] = engine.makeBibliography();
    if (meta.bibliography_errors.length) out.errors.push(name + ': ' + JSON.stringify(meta.bibliography_errors));
    out.rendered[name] = bib.join('').trim();
  }
  return out;
}

const readers = { bib: readBib, ris: readRIS, csl: readCSL, highwire: f => ({ errors: [], zotero: zoteroHighwire(f.authors || []) }) };
const results = input.files.map(f => {
  try {
    return { name: f.name, ...readers[f.format](f) };
  } catch (e) {
    return { name: f.name, errors: [String(e && e.stack || e)] };
  }
});
process.stdout.write(JSON.stringify({ results }));
