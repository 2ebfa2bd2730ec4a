package content

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/krakow/wspolpraca/internal/lang"
)

// markdown turns the Markdown of content files into HTML. Raw HTML is never
// passed through (goldmark drops it without WithUnsafe, and the loader
// reports it), javascript: links lose their href, and heading ids keep
// Polish words readable ("Pomoc dla uchodźców" → pomoc-dla-uchodzcow).
type markdown struct {
	md  goldmark.Markdown
	reg *lang.Registry
}

func newMarkdown(reg *lang.Registry) *markdown {
	md := goldmark.New(
		// Not extension.GFM: its task lists make unlabeled checkboxes.
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.Footnote),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(quoteTransformer{}, 100), util.Prioritized(citeTransformer{}, 200),
				util.Prioritized(spanTransformer{}, 300)),
		),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(blockRenderer{}, 100), util.Prioritized(spanRenderer{}, 100)),
		),
	)
	return &markdown{md: md, reg: reg}
}

// rendered is a Markdown text turned into HTML, with what the loader checks.
type rendered struct {
	HTML       string
	Text       string      // plain text, for search
	Paragraphs []Paragraph // citable blocks, when numbered
	Anchors    []string    // ids a link may point to with #
	Links      []mdLink
	Problems   []mdProblem
}

// mdLink is a link or image in Markdown, at a byte offset of its source.
type mdLink struct {
	Dest   string
	Offset int
	Image  bool
	Alt    string
}

// mdProblem is something wrong in Markdown, at a byte offset of its source.
type mdProblem struct {
	Offset int
	Msg    string
}

var renderWriters = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4096) }}

var (
	keyLang  = parser.NewContextKey()
	keyCite  = parser.NewContextKey()
	keyIssue = parser.NewContextKey()
)

// render converts src. When cite is true, every top-level paragraph, list,
// table and quotation gets a number and an anchor (#p-3) readers can cite.
func (m *markdown) render(src []byte, tag string, cite bool) rendered {
	var translit *lang.Translit
	if lg, ok := m.reg.Get(tag); ok {
		translit = lg.Translit
	}
	ctx := parser.NewContext(parser.WithIDs(newHeadingIDs(translit)))
	ctx.Set(keyLang, tag)
	if cite {
		ctx.Set(keyCite, true)
	}
	issues := &[]mdProblem{}
	ctx.Set(keyIssue, issues)
	doc := m.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))

	var out rendered
	out.Problems = *issues
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if id, ok := n.AttributeString("id"); ok {
				out.Anchors = append(out.Anchors, string(id.([]byte)))
			}
		case *ast.Link:
			out.Links = append(out.Links, mdLink{Dest: string(n.Destination), Offset: n.Pos()})
		case *ast.Image:
			out.Links = append(out.Links, mdLink{Dest: string(n.Destination), Offset: n.Pos(), Image: true, Alt: plainText(n, src)})
		case *ast.HTMLBlock:
			out.Problems = append(out.Problems, mdProblem{blockStart(n), "raw HTML is not allowed in Markdown and is left out of the page: write it in Markdown"})
		case *ast.RawHTML:
			out.Problems = append(out.Problems, mdProblem{n.Segments.At(0).Start, "raw HTML is not allowed in Markdown and is left out of the page: write it in Markdown"})
		case *citable:
			out.Paragraphs = append(out.Paragraphs, Paragraph{Anchor: n.Anchor, Number: n.Number, Text: plainText(n, src)})
			out.Anchors = append(out.Anchors, n.Anchor)
		}
		return ast.WalkContinue, nil
	})
	// Rendered through a pooled buffered writer: goldmark makes a 4 KB
	// one for each text otherwise.
	var b bytes.Buffer
	bw := renderWriters.Get().(*bufio.Writer)
	bw.Reset(&b)
	if err := m.md.Renderer().Render(bw, src, doc); err != nil {
		out.Problems = append(out.Problems, mdProblem{0, fmt.Sprintf("the text cannot be rendered: %v", err)})
	}
	bw.Flush()
	bw.Reset(nil)
	renderWriters.Put(bw)
	out.HTML = b.String()
	out.Text = plainText(doc, src)
	return out
}

func blockStart(n ast.Node) int {
	if n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	return max(n.Pos(), 0)
}

// plainText returns the words of n, blocks separated by blank lines.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if c.Type() == ast.TypeBlock && !entering && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n\n") {
			b.WriteString("\n\n")
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			// Its line endings are spaces (CommonMark), as on the page.
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					b.Write(bytes.ReplaceAll(t.Value(src), []byte("\n"), []byte(" ")))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(c.Label(src))
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// headingIDs gives headings ids that keep their words readable (Polish
// letters folded, other scripts transliterated by the language's rules:
// "Допомога біженцям" → dopomoha-bizhentsiam), unique in a document, never
// of the p-N form kept for paragraph anchors and never one of the layout's
// own ids (LayoutIDs): a heading "Main" gets main-1.
type headingIDs struct {
	used     map[string]bool
	translit *lang.Translit
	n        int
}

func newHeadingIDs(t *lang.Translit) *headingIDs {
	// used starts empty (most texts have no heading): layoutID holds the
	// layout's own.
	return &headingIDs{used: map[string]bool{}, translit: t}
}

// layoutID is the set of LayoutIDs.
var layoutID = func() map[string]bool {
	m := map[string]bool{}
	for _, id := range LayoutIDs {
		m[id] = true
	}
	return m
}()

// LayoutIDs are the ids the page layout (templates) gives its own
// elements; a heading of the content never takes one of them. The
// templates' test checks that no page has an id twice.
var LayoutIDs = []string{"main", "q", "q-header", "tekst", "metryka", "powiazane", "cytowanie", "formaty", "posiedzenia", "deklaracje",
	"h-bodies", "h-declarations", "h-meetings", "h-timeline", "f-body", "f-lang", "f-type", "f-year", "uwaga-tlumaczenie",
	"atom", "citations", "permalinks", "sitemap", "ical"}

// layoutIDPrefixes are the starts of ids the layout numbers: the years of
// the timeline (rok-2021).
var layoutIDPrefixes = []string{"rok-", "json-", "csv-"}

func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	h.n++
	// A phrase's language mark is not a word of the heading.
	value = spanEnd.ReplaceAll(value, []byte("]"))
	base := Slugify(h.translit.Latin(string(value)))
	switch {
	case base == "":
		// A heading of no letter or digit (an emoji): its place.
		base = "h" + strconv.Itoa(h.n)
	case paraAnchor.MatchString(base):
		base = "h-" + base
	}
	for _, p := range layoutIDPrefixes {
		if strings.HasPrefix(base, p) {
			base = "h-" + base
		}
	}
	id := base
	for i := 1; h.used[id] || layoutID[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	h.used[id] = true
	return []byte(id)
}

func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }

var paraAnchor = regexp.MustCompile(`^p-[0-9]+[a-z]?$`)
