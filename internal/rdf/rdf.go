// Package rdf holds a small RDF graph and writes it as Turtle (W3C RDF 1.1
// Turtle) and as JSON-LD (W3C JSON-LD 1.1, one node object per subject in
// @graph, with the graph's prefixes as its @context). Both are written from
// the same triples, so they hold the same graph; the web package's tests
// parse both with real RDF libraries and compare them.
//
// It knows nothing of the site: the DCAT-AP catalogue is built with it in
// internal/web.
//
// It must not import any other package of the site.
package rdf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Term is the object of a triple: an IRI or a literal, with a language
// tag or a datatype (an IRI).
type Term struct {
	IRI      string
	Value    string
	Lang     string
	Datatype string
}

// IsIRI reports whether t is an IRI.
func (t Term) IsIRI() bool { return t.IRI != "" }

// Literal is a plain string literal; Lang a language-tagged one; Typed
// one of a datatype, written as a prefixed name or an IRI.
func Literal(s string) Term         { return Term{Value: s} }
func Lang(s, tag string) Term       { return Term{Value: s, Lang: tag} }
func Typed(s, datatype string) Term { return Term{Value: s, Datatype: datatype} }
func IRI(iri string) Term           { return Term{IRI: iri} }

// Graph is a set of triples whose subjects are IRIs, kept in the order
// they were added (subjects, then each subject's predicates), so that the
// written files are stable and readable.
type Graph struct {
	prefixes [][2]string // name, namespace
	subjects []string
	bySubj   map[string]*node
}

type node struct {
	preds   []string
	objects map[string][]Term
}

// New returns an empty graph that writes IRIs in the namespaces given
// (pairs of prefix and namespace) as prefixed names.
func New(prefixes ...string) *Graph {
	g := &Graph{bySubj: map[string]*node{}}
	for i := 0; i+1 < len(prefixes); i += 2 {
		g.prefixes = append(g.prefixes, [2]string{prefixes[i], prefixes[i+1]})
	}
	return g
}

// Expand returns the IRI of a prefixed name ("dct:title"), or s itself.
func (g *Graph) Expand(s string) string {
	if p, local, ok := strings.Cut(s, ":"); ok && !strings.HasPrefix(local, "//") {
		for _, pr := range g.prefixes {
			if pr[0] == p {
				return pr[1] + local
			}
		}
	}
	return s
}

// Add adds the triple (subject, predicate, object); subject and predicate
// may be prefixed names. An empty literal is left out: no triple says
// nothing.
func (g *Graph) Add(subject, predicate string, object Term) {
	if !object.IsIRI() && object.Value == "" {
		return
	}
	s, p := g.Expand(subject), g.Expand(predicate)
	if object.IsIRI() {
		object.IRI = g.Expand(object.IRI)
	}
	if object.Datatype != "" {
		object.Datatype = g.Expand(object.Datatype)
	}
	n := g.bySubj[s]
	if n == nil {
		n = &node{objects: map[string][]Term{}}
		g.bySubj[s] = n
		g.subjects = append(g.subjects, s)
	}
	if _, ok := n.objects[p]; !ok {
		n.preds = append(n.preds, p)
	}
	for _, o := range n.objects[p] {
		if o == object {
			return
		}
	}
	n.objects[p] = append(n.objects[p], object)
}

// Len returns the number of triples.
func (g *Graph) Len() int {
	n := 0
	for _, s := range g.subjects {
		for _, os := range g.bySubj[s].objects {
			n += len(os)
		}
	}
	return n
}

const rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

// Turtle writes the graph in Turtle.
func (g *Graph) Turtle() []byte {
	var b bytes.Buffer
	for _, p := range g.prefixes {
		fmt.Fprintf(&b, "@prefix %s: <%s> .\n", p[0], escapeIRI(p[1]))
	}
	for _, s := range g.subjects {
		n := g.bySubj[s]
		fmt.Fprintf(&b, "\n%s", g.turtleIRI(s))
		for i, p := range n.preds {
			sep := " ;\n   "
			if i == 0 {
				sep = ""
			}
			name := g.turtleIRI(p)
			if p == rdfType {
				name = "a"
			}
			fmt.Fprintf(&b, "%s %s ", sep, name)
			for j, o := range n.objects[p] {
				if j > 0 {
					b.WriteString(",\n        ")
				}
				b.WriteString(g.turtleTerm(o))
			}
		}
		b.WriteString(" .\n")
	}
	return b.Bytes()
}

func (g *Graph) turtleTerm(t Term) string {
	if t.IsIRI() {
		return g.turtleIRI(t.IRI)
	}
	s := `"` + escapeString(t.Value) + `"`
	switch {
	case t.Lang != "":
		return s + "@" + t.Lang
	case t.Datatype != "":
		return s + "^^" + g.turtleIRI(t.Datatype)
	}
	return s
}

// turtleIRI writes iri as a prefixed name where one fits, else in <>.
func (g *Graph) turtleIRI(iri string) string {
	if name, ok := g.compact(iri); ok {
		return name
	}
	return "<" + escapeIRI(iri) + ">"
}

// compact returns iri as a prefixed name when its local part is a plain
// name (letters, digits, _ and -, starting with a letter), which both
// Turtle's PN_LOCAL and JSON-LD's compact IRIs read the same way.
func (g *Graph) compact(iri string) (string, bool) {
	for _, p := range g.prefixes {
		local, ok := strings.CutPrefix(iri, p[1])
		if !ok || local == "" || !plainName(local) {
			continue
		}
		return p[0] + ":" + local, true
	}
	return "", false
}

func plainName(s string) bool {
	for i, c := range s {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '_' || c == '-')) {
			return false
		}
	}
	return true
}

// escapeString escapes a Turtle string (STRING_LITERAL_QUOTE, ECHAR).
func escapeString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
}

// escapeIRI writes the characters an IRIREF may not hold as \u escapes.
func escapeIRI(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c <= 0x20 || strings.ContainsRune(`<>"{}|^`+"`\\", c) {
			fmt.Fprintf(&b, `\u%04X`, c)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// JSONLD writes the graph in JSON-LD: the prefixes are its @context,
// every subject a node object of @graph, every value an array.
func (g *Graph) JSONLD() ([]byte, error) {
	ctx := map[string]string{}
	for _, p := range g.prefixes {
		ctx[p[0]] = p[1]
	}
	nodes := make([]jsonNode, 0, len(g.subjects))
	for _, s := range g.subjects {
		n := g.bySubj[s]
		jn := jsonNode{{"@id", g.jsonIRI(s)}}
		for _, p := range n.preds {
			if p == rdfType {
				var types []string
				for _, o := range n.objects[p] {
					types = append(types, g.jsonIRI(o.IRI))
				}
				jn = append(jn, [2]any{"@type", types})
				continue
			}
			var vals []map[string]string
			for _, o := range n.objects[p] {
				vals = append(vals, g.jsonValue(o))
			}
			jn = append(jn, [2]any{g.jsonIRI(p), vals})
		}
		nodes = append(nodes, jn)
	}
	return json.MarshalIndent(struct {
		Context map[string]string `json:"@context"`
		Graph   []jsonNode        `json:"@graph"`
	}{ctx, nodes}, "", "  ")
}

// jsonIRI writes iri as a compact IRI where one fits.
func (g *Graph) jsonIRI(iri string) string {
	if name, ok := g.compact(iri); ok {
		return name
	}
	return iri
}

func (g *Graph) jsonValue(t Term) map[string]string {
	switch {
	case t.IsIRI():
		return map[string]string{"@id": g.jsonIRI(t.IRI)}
	case t.Lang != "":
		return map[string]string{"@value": t.Value, "@language": t.Lang}
	case t.Datatype != "":
		return map[string]string{"@value": t.Value, "@type": g.jsonIRI(t.Datatype)}
	}
	return map[string]string{"@value": t.Value}
}

// jsonNode is a node object whose keys keep their order.
type jsonNode [][2]any

func (n jsonNode) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(kv[0])
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(kv[1])
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
