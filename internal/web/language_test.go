package web_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/krakow/wspolpraca/internal/web"
)

// german is a fourth language's entry in languages.yaml: not complete, so
// that its missing pages show their fallback (English, then Polish).
const german = `
  - tag: de
    name: Deutsch
    prefix: /de
    og_locale: de_DE
    fallback: [en, pl]
    segments: {declaration_permalink: d, meeting_permalink: m, feed: atom.xml, calendar: kalender}
    params: {query: q, type: typ, body: gremium, year: jahr, lang: sprache, page: seite, all: alle}
    search_types:
      - {param: seite, value: page}
      - {param: gremium, value: body}
      - {param: sitzung, value: meeting}
      - {param: erklaerung, value: declaration}
    stemming: {min_stem: 4, endings: [en, er, es, e, n, s]}
`

// germanCatalogue makes a German catalogue from the English one, every
// text marked "DE·" so that a test can tell where each word on a page
// comes from (the mechanism, not the translation, is under test; English
// and German have the same CLDR plural forms, one and other).
func germanCatalogue(t *testing.T, en []byte) []byte {
	t.Helper()
	out := regexp.MustCompile(`(?m)^(\s*[A-Za-z][\w.-]*: )"`).ReplaceAll(en, []byte(`${1}"DE·`))
	if n := strings.Count(string(out), `"DE·`); n < 300 {
		t.Fatalf("marked %d messages", n)
	}
	return out
}

// TestFourthLanguageThroughContentOnly adds a language with no code
// change: a registry entry, a catalogue and one translated page in a copy
// of content/, then `make urls`; the site serves it.
func TestFourthLanguageThroughContentOnly(t *testing.T) {
	dir := contentCopy(t)
	appendFile(t, filepath.Join(dir, "languages.yaml"), german)
	en, err := os.ReadFile(filepath.Join(dir, "messages", "en.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "messages", "de.yaml"), germanCatalogue(t, en))
	write(t, filepath.Join(dir, "pages", "about.de.md"), []byte("---\nid: about\ntitle: Über diese Website\nsummary: Woher die Informationen stammen.\nslug: ueber\npublished: 2026-11-25\n---\nDer polnische Text ist maßgeblich.\n"))
	record(t, dir, "/de/", "/de/ueber", "/de/declarations/2021-stanowisko-afganistan")
	now := func() time.Time { return testNow }
	st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), now)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, ts := startServer(t, st, web.Config{Now: now})

	// The translated page: German text, German interface.
	p := get(t, ts, "/de/ueber")
	if p.status != 200 || p.doc.Find("html").AttrOr("lang", "") != "de" || text(p.doc.Find("h1")) != "Über diese Website" {
		t.Fatalf("GET /de/ueber = %d, lang %q, h1 %q", p.status, p.doc.Find("html").AttrOr("lang", ""), text(p.doc.Find("h1")))
	}
	if label := p.doc.Find("nav.menu").AttrOr("aria-label", ""); !strings.HasPrefix(label, "DE·") {
		t.Errorf("/de/ueber: the menu's label %q is not from the German catalogue", label)
	}
	if c := p.doc.Find(`meta[property="og:locale"]`).AttrOr("content", ""); c != "de_DE" {
		t.Errorf("/de/ueber: og:locale %q", c)
	}
	if !strings.Contains(text(p.doc.Find(".translation")), "DE·") {
		t.Errorf("/de/ueber: no translation notice from the German catalogue: %q", text(p.doc.Find(".translation")))
	}

	// Every page links to its German version by the language's endonym.
	for _, path := range []string{"/", "/en/", "/uk/", "/o-serwisie"} {
		a := get(t, ts, path).doc.Find(`nav.lang a[hreflang="de"][lang="de"]`)
		if text(a) != "Deutsch" {
			t.Errorf("%s: the language navigation has no Deutsch link", path)
		}
	}
	if href := get(t, ts, "/o-serwisie").doc.Find(`nav.lang a[hreflang="de"]`).AttrOr("href", ""); href != "/de/ueber" {
		t.Errorf("/o-serwisie links to German %q, want /de/ueber", href)
	}

	// A record with no German file: its German page shows the first
	// fallback that has a text (English), marked so, in the German
	// interface.
	d := get(t, ts, "/de/declarations/2021-stanowisko-afganistan")
	if d.status != 200 || d.doc.Find("html").AttrOr("lang", "") != "de" {
		t.Fatalf("German page of an untranslated declaration = %d", d.status)
	}
	if h1 := d.doc.Find("h1"); h1.AttrOr("lang", "") != "en" || !strings.Contains(text(h1), "Position of the mayors") {
		t.Errorf("the fallback's h1 = %q lang=%q, want the English title, lang=en", text(h1), h1.AttrOr("lang", ""))
	}
	if !strings.Contains(text(d.doc.Find(".translation")), "DE·") {
		t.Errorf("the fallback page does not say so in German: %q", text(d.doc.Find(".translation")))
	}
	if r := get(t, ts, "/de/d/2021-stanowisko-afganistan"); r.status != 301 || r.header.Get("Location") != "/de/declarations/2021-stanowisko-afganistan" {
		t.Errorf("German permalink = %d → %q", r.status, r.header.Get("Location"))
	}

	// The sitemap, the feed, the calendar, search and the API know it.
	sm := get(t, ts, "/sitemap.xml").body
	if !strings.Contains(sm, ts.URL+"/de/ueber") || !strings.Contains(sm, `hreflang="de"`) {
		t.Error("the sitemap does not list the German page")
	}
	if strings.Contains(sm, "<loc>"+ts.URL+"/de/declarations/") {
		t.Error("the sitemap lists a German page with no German text")
	}
	for _, path := range []string{"/de/atom.xml", "/de/kalender.ics", "/de/kalender/zmp-komisja-praw-czlowieka.ics"} {
		if r := get(t, ts, path); r.status != 200 {
			t.Errorf("GET %s = %d", path, r.status)
		}
	}
	// Search in German finds the German page, and with the language
	// filter's "alle", the texts of every language.
	if r := get(t, ts, "/de/search?q=ma%C3%9Fgeblich"); r.status != 200 || r.doc.Find(`ol.results a[href="/de/ueber"]`).Length() != 1 {
		t.Errorf("German search = %d: %q", r.status, text(r.doc.Find("main")))
	}
	if r := get(t, ts, "/de/search?q=refugees&sprache=alle"); r.status != 200 || r.doc.Find("ol.results li").Length() == 0 {
		t.Errorf("German search of every language = %d: %q", r.status, text(r.doc.Find("main")))
	}
	if r := get(t, ts, "/api/v1/pages/about.json"); r.status == 200 && !strings.Contains(r.body, `"de"`) {
		t.Errorf("the API's page has no German version: %.300s", r.body)
	}
	if r := get(t, ts, "/api/v1/declarations.json"); !strings.Contains(r.body, `"de": {`) && !strings.Contains(r.body, `"de":{`) {
		t.Errorf("the API's declarations have no German key: %.300s", r.body)
	}
	if r := get(t, ts, "/api/v1/declarations.csv"); !strings.Contains(strings.SplitN(r.body, "\n", 2)[0], "title_de") {
		t.Errorf("declarations.csv has no German column: %.200s", r.body)
	}
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	write(t, path, append(b, s...))
}

// TestHeadingsNeverTakeLayoutIDs: headings a text may have — the
// layout's own words ("Tekst", "Main", "Metryka"), an emoji, the same
// heading twice, Cyrillic — render with ids of their own, so that no page
// has an id twice and every aria-labelledby points at one element.
func TestHeadingsNeverTakeLayoutIDs(t *testing.T) {
	dir := contentCopy(t)
	for _, f := range []string{"declarations/2021-stanowisko-afganistan.pl.md", "declarations/2021-stanowisko-afganistan.uk.md"} {
		appendFile(t, filepath.Join(dir, f), "\n## Tekst\n\nA.\n\n## Main\n\nB.\n\n## Metryka\n\nC.\n\n## 🙂\n\nD.\n\n## Позиція\n\nE.\n\n## Позиція\n\nF.\n")
	}
	now := func() time.Time { return testNow }
	st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), now)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, ts := startServer(t, st, web.Config{Now: now})
	for _, path := range []string{"/deklaracje/2021-stanowisko-afganistan", "/uk/deklaratsii/2021-stanowisko-afganistan"} {
		p := get(t, ts, path)
		checkPage(t, path, p) // no id twice, every #link's target there
		p.doc.Find("[aria-labelledby]").Each(func(_ int, s *goquery.Selection) {
			if id := s.AttrOr("aria-labelledby", ""); p.doc.Find("#"+id).Length() != 1 {
				t.Errorf("%s: aria-labelledby=%q points at %d elements", path, id, p.doc.Find("#"+id).Length())
			}
		})
		if n := p.doc.Find("h2").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.AttrOr("id", "") == "" }).Length(); n > 0 {
			t.Errorf("%s: %d headings of the text without an id", path, n)
		}
	}
}
