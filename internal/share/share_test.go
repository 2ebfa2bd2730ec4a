package share

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/content"
)

// TestGlyphCoverage: the fonts have a glyph for every character of every
// title of the real content, in every language of the registry, and of
// every language's site name and tagline, and for the ellipsis a cut title
// ends with.
func TestGlyphCoverage(t *testing.T) {
	site, err := content.Load(os.DirFS("../../content"), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what, s string) {
		t.Helper()
		missing, err := Missing(s)
		if err != nil {
			t.Fatal(err)
		}
		if len(missing) > 0 {
			t.Errorf("%s %q: no glyph for %q", what, s, missing)
		}
	}
	docs := 0
	for _, d := range site.Docs() {
		check(d.File+": title", d.Title)
		docs++
	}
	for _, tag := range site.Languages.Tags() {
		l := catalog.NewLabels(site.Catalogues[tag])
		check(tag+": SiteName", l.SiteName)
		check(tag+": SiteTagline", l.SiteTagline)
	}
	check("the ellipsis", "…")
	if docs < 30 {
		t.Errorf("%d titles checked: the test would prove little", docs)
	}
	// The check itself sees a missing glyph.
	if missing, _ := Missing("Kraków 🙂 ქ"); len(missing) != 2 {
		t.Errorf("Missing(emoji, Georgian) = %q, want both", missing)
	}
	// A direct check of each font, as the brief of the image asks.
	fs, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range "ąćęłńóśźżĄĆĘŁŃÓŚŹŻіїєґІЇЄҐ’„”«»–—…" {
		for name, f := range map[string]*sfnt.Font{"Go Bold": fs.bold, "Go Regular": fs.regular} {
			if i, err := f.GlyphIndex(nil, r); err != nil || i == 0 {
				t.Errorf("%s: GlyphIndex(%q) = %d, %v", name, r, i, err)
			}
		}
	}
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	return img
}

// TestRender: a card is a 1200×630 PNG under 100 KB, not blank, and
// different titles give different images; the same card, the same bytes.
func TestRender(t *testing.T) {
	long := strings.Repeat("Stanowisko prezydentów miast w sprawie uchodźców z Afganistanu ", 8)
	cards := []Card{
		{Title: "Deklaracja", Site: "Kraków we współpracy miast"},
		{Title: "Deklaracje", Site: "Kraków we współpracy miast", Tagline: "Prawa człowieka"},
		{Title: "Позиція мерів міст Союзу польських метрополій щодо біженців з Афганістану", Site: "Краків у співпраці міст", Tagline: "Права людини"},
		{Title: long, Site: "Kraków in city cooperation"},
		{Title: strings.Repeat("Bardzodługiesłowo", 20), Site: "Kraków"},
		{Title: "", Site: ""},
	}
	seen := map[string]int{}
	for i, c := range cards {
		b, err := Render(c)
		if err != nil {
			t.Fatalf("Render(%q): %v", c.Title, err)
		}
		if len(b) > 100<<10 {
			t.Errorf("Render(%q): %d bytes, over 100 KB", c.Title, len(b))
		}
		img := decode(t, b)
		if p, ok := img.ColorModel().(color.Palette); !ok || len(p) > 16 {
			t.Errorf("Render(%q): colour model %T, want a palette of at most 16 colours", c.Title, img.ColorModel())
		}
		if got := img.Bounds().Size(); got != image.Pt(Width, Height) {
			t.Errorf("Render(%q): %v, want %dx%d", c.Title, got, Width, Height)
		}
		if c.Title != "" && LumaVariance(img) < 100 {
			t.Errorf("Render(%q): variance %.0f: blank", c.Title, LumaVariance(img))
		}
		if j, ok := seen[string(b)]; ok {
			t.Errorf("Render(%q) is the image of %q", c.Title, cards[j].Title)
		}
		seen[string(b)] = i
		again, _ := Render(c)
		if !bytes.Equal(again, b) {
			t.Errorf("Render(%q) twice: different bytes", c.Title)
		}
	}
}

// TestWrap: lines fit, at most the maximum, the last cut with "…"; no
// line ends with a one-letter word nor starts with a dash; a word too long
// for a line is broken.
func TestWrap(t *testing.T) {
	fs, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	fc, err := face(fs.bold, 62)
	if err != nil {
		t.Fatal(err)
	}
	defer fc.Close()
	width := lineWidth
	for _, tc := range []struct {
		title   string
		lines   int
		cut     bool
		noEnd   []string // no line ends with these
		noStart []string // no line starts with these
	}{
		{title: "Komisja", lines: 1},
		{title: "Współpraca miast – prawa człowieka i migracja", lines: 2, noStart: []string{"–"}},
		{title: "Stanowisko prezydentów miast Unii Metropolii Polskich w sprawie pomocy dla uchodźców z Afganistanu", lines: 4, noEnd: []string{" w", " z", " i"}},
		{title: strings.Repeat("Deklaracja współpracy miast w sprawie migracji ", 6), lines: MaxLines, cut: true},
		{title: strings.Repeat("ż", 200), lines: MaxLines, cut: true},
	} {
		lines, cut := wrap(fc, tc.title, width, MaxLines)
		if len(lines) != tc.lines || cut != tc.cut {
			t.Errorf("wrap(%.40q) = %d lines, cut %v; want %d, %v: %q", tc.title, len(lines), cut, tc.lines, tc.cut, lines)
		}
		for _, l := range lines {
			if font.MeasureString(fc, l) > width {
				t.Errorf("wrap(%.40q): line %q is too wide", tc.title, l)
			}
			for _, e := range tc.noEnd {
				if strings.HasSuffix(l, e) {
					t.Errorf("wrap(%.40q): line %q ends with %q", tc.title, l, e)
				}
			}
			for _, s := range tc.noStart {
				if strings.HasPrefix(l, s) {
					t.Errorf("wrap(%.40q): line %q starts with %q", tc.title, l, s)
				}
			}
		}
		last := lines[len(lines)-1]
		if tc.cut != strings.HasSuffix(last, "…") {
			t.Errorf("wrap(%.40q): last line %q, cut %v", tc.title, last, tc.cut)
		}
		if tc.cut && strings.HasSuffix(strings.TrimSuffix(last, "…"), " ") {
			t.Errorf("wrap(%.40q): a space before the ellipsis: %q", tc.title, last)
		}
		if !tc.cut {
			if got := strings.Join(lines, " "); got != strings.Join(strings.Fields(tc.title), " ") && utf8.RuneCountInString(tc.title) < 100 {
				t.Errorf("wrap(%.40q): lines %q lose text", tc.title, lines)
			}
		}
	}
}
