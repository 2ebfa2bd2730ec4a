package content

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Paragraph is one citable block of a declaration's text: a paragraph, a
// list, a table or a quotation, with its number and anchor.
type Paragraph struct {
	Anchor string // "p-3": the fragment readers link to
	Number string // "3", or "2a" for a block inserted later
	Text   string
}

var (
	kindQuote       = ast.NewNodeKind("Quote")
	kindAttribution = ast.NewNodeKind("Attribution")
	kindCitable     = ast.NewNodeKind("Citable")
)

// quote is a quotation followed by its attribution: a blockquote and the
// paragraph after it that starts with a dash ("— deklarowały władze miast").
type quote struct{ ast.BaseBlock }

func (*quote) Kind() ast.NodeKind { return kindQuote }
func (n *quote) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, nil, nil)
}

// attribution is the line saying who is quoted.
type attribution struct{ ast.BaseBlock }

func (*attribution) Kind() ast.NodeKind { return kindAttribution }
func (n *attribution) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, nil, nil)
}

// paragraphLabel opens the label of a paragraph's link in stored HTML, in
// place of the word "paragraph", which belongs to the language of the page
// showing the text: LabelParagraphs puts it in. It starts with the
// attribute and its opening quote, which no text rendered from Markdown
// holds unescaped, so an editor's text that reads "{paragraph}" is never
// taken for it.
const paragraphLabel = `aria-label="{paragraph} `

// LabelParagraphs returns stored HTML with each paragraph link labelled
// by word (the catalogue's Paragraph in the text's language): stored HTML
// holds no interface words.
func LabelParagraphs(stored, word string) string {
	return strings.ReplaceAll(stored, paragraphLabel, `aria-label="`+html.EscapeString(word)+" ")
}

// citable is a numbered block of a declaration's text.
type citable struct {
	ast.BaseBlock
	Anchor, Number, Lang string
}

func (*citable) Kind() ast.NodeKind { return kindCitable }
func (n *citable) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Anchor": n.Anchor}, nil)
}

// quoteTransformer joins each blockquote with a following attribution line
// into a quote, rendered as <figure><blockquote>…</blockquote><figcaption>.
type quoteTransformer struct{}

func (quoteTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	for _, n := range children(doc) {
		next := n.NextSibling()
		if n.Kind() != ast.KindBlockquote || next == nil || next.Kind() != ast.KindParagraph {
			continue
		}
		if !startsWithDash(next, src) {
			continue
		}
		q := &quote{}
		doc.ReplaceChild(doc, n, q)
		q.AppendChild(q, n)
		doc.RemoveChild(doc, next)
		a := &attribution{}
		for _, c := range children(next) {
			a.AppendChild(a, c)
		}
		q.AppendChild(q, a)
	}
}

func startsWithDash(n ast.Node, src []byte) bool {
	t, ok := n.FirstChild().(*ast.Text)
	if !ok {
		return false
	}
	s := string(t.Value(src))
	return strings.HasPrefix(s, "—") || strings.HasPrefix(s, "–")
}

func children(n ast.Node) []ast.Node {
	var list []ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		list = append(list, c)
	}
	return list
}

// explicitMarker pins a block's number: a paragraph ending in {#p-2a}.
var explicitMarker = regexp.MustCompile(`\s*\{#p-([0-9]+)([a-z]?)\}\s*$`)

// citeTransformer numbers the top-level blocks of a declaration's text.
// Numbers run 1, 2, 3… in order; a block ending in {#p-N} or {#p-Na} takes
// that number instead, and numbering goes on from it. So editing a
// paragraph never moves another's anchor, and an inserted paragraph can be
// given "2a" so that the ones after it keep theirs.
type citeTransformer struct{}

func (citeTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if pc.Get(keyCite) == nil {
		return
	}
	lang, _ := pc.Get(keyLang).(string)
	issues, _ := pc.Get(keyIssue).(*[]mdProblem)
	src := reader.Source()
	last := 0
	used := map[string]bool{}
	for _, n := range children(doc) {
		switch n.Kind() {
		case ast.KindParagraph, ast.KindBlockquote, ast.KindList, kindQuote, east.KindTable:
		default:
			continue
		}
		number, explicit := pinnedNumber(n, src)
		if number != "" && (explicit == 0 || number[0] == '0') {
			// p-0 would be numbered anew, p-02 be another anchor than p-2.
			*issues = append(*issues, mdProblem{blockStart(firstBlock(n)), fmt.Sprintf("{#p-%s}: paragraph numbers start at 1, without a leading zero", number)})
			number, explicit = "", 0
		}
		if explicit == 0 {
			last++
			number = strconv.Itoa(last)
		} else {
			last = explicit
		}
		anchor := "p-" + number
		if used[anchor] {
			*issues = append(*issues, mdProblem{blockStart(firstBlock(n)), fmt.Sprintf("paragraph number %s is used twice: give this paragraph another number, such as {#p-%sa}", number, number)})
		}
		used[anchor] = true
		c := &citable{Anchor: anchor, Number: number, Lang: lang}
		doc.ReplaceChild(doc, n, c)
		c.AppendChild(c, n)
	}
}

// pinnedNumber reads and removes an explicit {#p-N} marker at the end of
// block n, returning its number and numeric part (0 when there is none).
func pinnedNumber(n ast.Node, src []byte) (string, int) {
	last := n
	for last.LastChild() != nil {
		last = last.LastChild()
	}
	t, ok := last.(*ast.Text)
	if !ok {
		return "", 0
	}
	v := t.Segment.Value(src)
	m := explicitMarker.FindSubmatchIndex(v)
	if m == nil {
		return "", 0
	}
	num, _ := strconv.Atoi(string(v[m[2]:m[3]]))
	t.Segment = t.Segment.WithStop(t.Segment.Start + m[0])
	return string(v[m[2]:m[3]]) + string(v[m[4]:m[5]]), num
}

func firstBlock(n ast.Node) ast.Node {
	for n.Lines().Len() == 0 && n.FirstChild() != nil && n.FirstChild().Type() == ast.TypeBlock {
		n = n.FirstChild()
	}
	return n
}

// blockRenderer renders the site's own Markdown nodes.
type blockRenderer struct{}

func (blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindQuote, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString(`<figure class="quote">` + "\n")
		} else {
			w.WriteString("</figure>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(kindAttribution, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString("<figcaption>")
		} else {
			w.WriteString("</figcaption>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(kindCitable, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		c := n.(*citable)
		if !entering {
			w.WriteString("</div>\n")
			return ast.WalkContinue, nil
		}
		// The link's label names the paragraph in the page's language: the
		// stored HTML holds no interface words, only paragraphLabel, which
		// the page replaces (LabelParagraphs).
		fmt.Fprintf(w, `<div class="par" id="%s"><a class="par-n" href="#%s" %s%s">%s</a>`+"\n", c.Anchor, c.Anchor, paragraphLabel, c.Number, c.Number)
		return ast.WalkContinue, nil
	})
}
