package content

import (
	"fmt"
	"regexp"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/language"
)

// A phrase in another language than its text's is marked as Pandoc marks a
// span with attributes, in square brackets followed by {lang=TAG}:
//
//	the conference “[Miasta Integrujące]{lang=pl}”
//
// and rendered <span lang="pl">…</span>, so that a screen reader reads it
// in its language (WCAG 2.1, 3.1.2 Language of Parts). TAG is a BCP 47
// language tag; one that is not well-formed is a problem at its place.
// Proper names need no marking (WCAG's own exception).

// langSpan is a phrase in the language Lang.
type langSpan struct {
	ast.BaseInline
	Lang string
}

var kindLangSpan = ast.NewNodeKind("LangSpan")

func (n *langSpan) Kind() ast.NodeKind { return kindLangSpan }

func (n *langSpan) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Lang": n.Lang}, nil)
}

// spanEnd is the end of a span: "]{lang=TAG}". The tag's length is bounded
// by BCP 47's longest reasonable tags (RFC 5646 §4.4.1 asks for 35 to be
// supported).
var spanEnd = regexp.MustCompile(`\]\{lang=([A-Za-z0-9-]{0,35})\}`)

// spanTransformer turns "[…]{lang=TAG}" in the inline content of every
// block into a langSpan. The brackets must be in one block and at one
// level (not one inside an emphasis and the other outside it).
type spanTransformer struct{}

func (spanTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	issues, _ := pc.Get(keyIssue).(*[]mdProblem)
	var parents []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Kind() == ast.KindCodeSpan {
			return ast.WalkSkipChildren, nil // code is shown as written
		}
		if hasTextChild(n) {
			parents = append(parents, n)
		}
		return ast.WalkContinue, nil
	})
	for _, p := range parents {
		spans(p, src, issues)
	}
}

func hasTextChild(n ast.Node) bool {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if _, ok := c.(*ast.Text); ok {
			return true
		}
	}
	return false
}

// spans makes the langSpans among the children of parent.
func spans(parent ast.Node, src []byte, issues *[]mdProblem) {
	for c := parent.FirstChild(); c != nil; {
		t, ok := c.(*ast.Text)
		if !ok {
			c = c.NextSibling()
			continue
		}
		// The segment's own bytes (Value would put its padding first).
		m := spanEnd.FindSubmatchIndex(src[t.Segment.Start:t.Segment.Stop])
		if m == nil {
			c = c.NextSibling()
			continue
		}
		closeAt := t.Segment.Start + m[0]
		endAt := t.Segment.Start + m[1]
		tag := string(src[t.Segment.Start+m[2] : t.Segment.Start+m[3]])
		var open *ast.Text
		var openAt int
		if !escaped(src, closeAt) {
			open, openAt = opening(t, closeAt, src)
		}
		if open == nil {
			// A "]{lang=…}" with no "[" before it, or written "\]":
			// left as text.
			c = splitText(parent, t, endAt)
			continue
		}
		// Written in its canonical form ("PL" → "pl").
		if lt, err := language.Parse(tag); err != nil || tag == "" {
			if issues != nil {
				*issues = append(*issues, mdProblem{closeAt, fmt.Sprintf("%q is not a language tag (BCP 47): write the phrase's language as it is written in languages.yaml, e.g. [Miasta Integrujące]{lang=pl}", tag)})
			}
		} else {
			tag = lt.String()
		}
		span := &langSpan{Lang: tag}
		// Split the opening and closing texts around the brackets, and
		// move what is between them into the span.
		first := splitAround(parent, open, openAt, openAt+1)
		last := t
		if open == t {
			last = first
		}
		after := splitText(parent, last, endAt)
		last.Segment = last.Segment.WithStop(closeAt) // without "]{lang=…}"
		inner := last
		parent.InsertBefore(parent, first, span)
		for n := ast.Node(first); n != nil; {
			next := n.NextSibling()
			parent.RemoveChild(parent, n)
			span.AppendChild(span, n)
			if n == ast.Node(inner) {
				break
			}
			n = next
		}
		c = after
	}
}

// opening finds the "[" that a "]" at byte closeAt (in t) closes: in t
// before it, or in a Text sibling before t, brackets between them paired.
// It returns the Text node and the bracket's byte offset, or nil.
func opening(t *ast.Text, closeAt int, src []byte) (*ast.Text, int) {
	depth := 0
	var n ast.Node = t
	for n != nil {
		if tx, ok := n.(*ast.Text); ok {
			end := tx.Segment.Stop
			if tx == t {
				end = closeAt
			}
			for i := end - 1; i >= tx.Segment.Start; i-- {
				if (src[i] != '[' && src[i] != ']') || escaped(src, i) {
					continue // "\[" and "\]" are text
				}
				if src[i] == ']' {
					depth++
					continue
				}
				if depth == 0 {
					return tx, i
				}
				depth--
			}
		}
		n = n.PreviousSibling()
	}
	return nil, 0
}

// escaped reports whether the byte at i of src follows a backslash that is
// not itself escaped ("\\[" is a backslash, then a bracket).
func escaped(src []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && src[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// splitAround cuts the text t at [from, to) (the bracket): t keeps what
// is before, and the text after is returned (a new node after t, or t
// itself when nothing is before).
func splitAround(parent ast.Node, t *ast.Text, from, to int) *ast.Text {
	rest := t.Segment.WithStart(to)
	rest.Padding = 0 // a segment's padding comes before its first byte
	if from == t.Segment.Start {
		t.Segment = rest
		return t
	}
	after := ast.NewTextSegment(rest)
	after.SetSoftLineBreak(t.SoftLineBreak())
	after.SetHardLineBreak(t.HardLineBreak())
	t.SetSoftLineBreak(false)
	t.SetHardLineBreak(false)
	t.Segment = t.Segment.WithStop(from)
	parent.InsertAfter(parent, t, after)
	return after
}

// splitText cuts the text t at byte at: t keeps what is before, and the
// node after the cut is returned (a new text node when text remains, else
// t's next sibling).
func splitText(parent ast.Node, t *ast.Text, at int) ast.Node {
	if at >= t.Segment.Stop {
		return t.NextSibling()
	}
	return splitAround(parent, t, at, at)
}

// spanRenderer writes a langSpan as <span lang="…">.
type spanRenderer struct{}

func (spanRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindLangSpan, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			w.WriteString("</span>")
			return ast.WalkContinue, nil
		}
		w.WriteString(`<span lang="`)
		w.Write(util.EscapeHTML([]byte(n.(*langSpan).Lang)))
		w.WriteString(`">`)
		return ast.WalkContinue, nil
	})
}
