package content

import (
	"strings"
	"testing"
)

// TestLabelParagraphs: the stored HTML of a declaration's text holds no
// interface word, only the label's placeholder, which LabelParagraphs
// fills with the page's word (escaped for the attribute); an editor's text
// that reads like the placeholder is left as written.
func TestLabelParagraphs(t *testing.T) {
	src := "Pierwszy akapit, {paragraph} w tekście.\n\nDrugi: `aria-label=\"{paragraph} ` i [link](/x \"{paragraph} \").\n"
	r := testMarkdown().render([]byte(src), "pl", true)
	if len(r.Problems) > 0 || len(r.Paragraphs) != 2 {
		t.Fatalf("render: problems %v, paragraphs %v", r.Problems, r.Paragraphs)
	}
	if n := strings.Count(r.HTML, paragraphLabel); n != 2 {
		t.Errorf("stored HTML has %d labels to fill, want 2:\n%s", n, r.HTML)
	}
	got := LabelParagraphs(r.HTML, `Akapit "A&B"`)
	for _, want := range []string{
		`<a class="par-n" href="#p-1" aria-label="Akapit &#34;A&amp;B&#34; 1">1</a>`,
		`<a class="par-n" href="#p-2" aria-label="Akapit &#34;A&amp;B&#34; 2">2</a>`,
		"Pierwszy akapit, {paragraph} w tekście.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("LabelParagraphs lacks %s:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "{paragraph}"); n != 3 {
		t.Errorf("the editor's three {paragraph} became %d:\n%s", n, got)
	}
}

// TestPlainTextCodeSpan: a code span's text is searched and cited like
// any other (it once made plainText call itself until the stack ran out,
// so that one backtick pair in any file stopped the check and the import).
func TestPlainTextCodeSpan(t *testing.T) {
	r := testMarkdown().render([]byte("Pole `translation_of` i\n`make\ntranslated`.\n"), "pl", true)
	if want := "Pole translation_of i make translated."; r.Text != want || len(r.Paragraphs) != 1 || r.Paragraphs[0].Text != want {
		t.Errorf("Text %q, paragraphs %v, want %q", r.Text, r.Paragraphs, want)
	}
}
