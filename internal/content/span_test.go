package content

import (
	"strings"
	"testing"
)

// A phrase marked [text]{lang=TAG} is a span in its language; the marks
// are not in the page's text, nor in the text search reads.
func TestLanguageOfParts(t *testing.T) {
	md := testMarkdown()
	for _, tc := range []struct {
		src, html, text string
	}{
		{"the conference “[Miasta Integrujące. Integracja = Bezpieczeństwo]{lang=pl}” in Gdańsk",
			`<p>the conference “<span lang="pl">Miasta Integrujące. Integracja = Bezpieczeństwo</span>” in Gdańsk</p>`,
			"the conference “Miasta Integrujące. Integracja = Bezpieczeństwo” in Gdańsk"},
		{"[Miasta]{lang=pl}", `<p><span lang="pl">Miasta</span></p>`, "Miasta"},
		{"a [b *c* d]{lang=uk} e", `<p>a <span lang="uk">b <em>c</em> d</span> e</p>`, "a b c d e"},
		{"[x]{lang=PL} and [y]{lang=en-GB}.", `<p><span lang="pl">x</span> and <span lang="en-GB">y</span>.</p>`, "x and y."},
		{"a [phrase\nover two lines]{lang=pl} ends", `<p>a <span lang="pl">phrase` + "\n" + `over two lines</span> ends</p>`, "a phrase over two lines ends"},
		{"outer [a [inner]{lang=de} b]{lang=pl}", `<p>outer <span lang="pl">a <span lang="de">inner</span> b</span></p>`, "outer a inner b"},
		{"[a link](https://example.org) and [w]{lang=pl}", `<p><a href="https://example.org">a link</a> and <span lang="pl">w</span></p>`, "a link and w"},
		{"[[w]](https://example.org)", `<p><a href="https://example.org">[w]</a></p>`, "[w]"},
		{"`[code]{lang=pl}`", `<p><code>[code]{lang=pl}</code></p>`, "[code]{lang=pl}"},
		{"no opening]{lang=pl}", `<p>no opening]{lang=pl}</p>`, "no opening]{lang=pl}"},
		{"plain [brackets] stay", `<p>plain [brackets] stay</p>`, "plain [brackets] stay"},
		// Escaped brackets are text, and never open or close a span.
		// (Their text for search keeps the backslash, as every escape's does.)
		{`[a] and \[b]{lang=pl}`, `<p>[a] and [b]{lang=pl}</p>`, ""},
		{`[x\]{lang=pl}`, `<p>[x]{lang=pl}</p>`, ""},
		{`[a \] b]{lang=pl}`, `<p><span lang="pl">a ] b</span></p>`, ""},
		{`\\[w]{lang=pl}`, `<p>\<span lang="pl">w</span></p>`, ""},
		{"- item\n\n\t[tabbed]{lang=pl} text", "<ul>\n<li>\n<p>item</p>\n<p><span lang=\"pl\">tabbed</span> text</p>\n</li>\n</ul>", "item\n\ntabbed text"},
		{"## Heading with [Kraków w sieci]{lang=pl}", `<h2 id="heading-with-krakow-w-sieci">Heading with <span lang="pl">Kraków w sieci</span></h2>`, "Heading with Kraków w sieci"},
	} {
		r := md.render([]byte(tc.src), "en", false)
		if len(r.Problems) > 0 {
			t.Errorf("%q: problems %v", tc.src, r.Problems)
		}
		if got := strings.TrimSpace(r.HTML); got != tc.html {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, got, tc.html)
		}
		if tc.text != "" && r.Text != tc.text {
			t.Errorf("%q: text %q, want %q", tc.src, r.Text, tc.text)
		}
	}
}

// A language tag that is not one is a problem at its place.
func TestLanguageOfPartsBadTag(t *testing.T) {
	md := testMarkdown()
	for _, src := range []string{"a [b]{lang=} c", "a [b]{lang=polski} c", "a [b]{lang=12} c", "a [b]{lang=xx-} c"} {
		r := md.render([]byte(src), "en", false)
		if len(r.Problems) != 1 || r.Problems[0].Offset != strings.Index(src, "]") || !strings.Contains(r.Problems[0].Msg, "BCP 47") {
			t.Errorf("%q: problems %+v, want one at the ]", src, r.Problems)
		}
		if strings.Contains(r.HTML, "<span") && !strings.Contains(r.HTML, `lang="`) {
			t.Errorf("%q: %s", src, r.HTML)
		}
	}
}

// The readability measure reads a marked phrase's words, not its marks.
func TestLanguageOfPartsReadability(t *testing.T) {
	blocks, _ := mdBlocks([]byte("Konferencja [Miasta Integrujące]{lang=pl} była w Gdańsku."))
	if len(blocks) != 1 || blocks[0].text != "Konferencja Miasta Integrujące była w Gdańsku." {
		t.Fatalf("blocks = %+v", blocks)
	}
}
