package export

import (
	"slices"
	"strings"
	"testing"
)

// TestHeaderRules: the rules a static host is given cover every file of
// open data with its own headers, one rule a file, and no other file; a
// kind of file shares a rule only when every file of the kind has the same
// headers.
func TestHeaderRules(t *testing.T) {
	cors := func(ct string) fileHeaders { return fileHeaders{ct, "*", "ETag"} }
	files := []servedFile{
		{path: "/", want: fileHeaders{contentType: "text/html; charset=utf-8"}},
		{path: "/kalendarz.ics", want: cors("text/calendar; charset=utf-8")},
		{path: "/en/calendar/zmp.ics", want: cors("text/calendar; charset=utf-8")},
		{path: "/deklaracje/a.csl.json", want: cors("application/vnd.citationstyles.csl+json")},
		{path: "/api/v1/declarations.json", want: cors("application/json")},
		{path: "/api/v1/declarations/a.json", want: cors("application/json")},
		// .xml: the sitemap and the feeds differ, so each has its rule.
		{path: "/sitemap.xml", want: cors("application/xml")},
		{path: "/atom.xml", want: cors("application/atom+xml")},
		{path: "/uk/atom.xml", want: cors("application/atom+xml")},
		// A .txt that is not open data keeps .txt open data from sharing a rule.
		{path: "/robots.txt", want: fileHeaders{contentType: "text/plain"}},
		{path: "/dane.txt", want: cors("text/plain")},
	}
	rules, err := headerRules(files)
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, r := range rules {
		patterns = append(patterns, r.pattern)
	}
	want := []string{"/*.csl.json", "/*.ics", "/api/v1/*.json", "/atom.xml", "/dane.txt", "/sitemap.xml", "/uk/atom.xml"}
	if !slices.Equal(patterns, want) {
		t.Errorf("patterns %q, want %q", patterns, want)
	}

	// A file that needs a rule of its own, at an address the files
	// written could not hold safely, fails the export.
	for _, bad := range []string{"/a b.ics", `/a"b.ics`, "/a\n.ics", "/a;b.ics"} {
		odd := []servedFile{{path: bad, want: cors("text/calendar")}, {path: "/b.ics", want: cors("text/plain")}}
		if _, err := headerRules(odd); err == nil {
			t.Errorf("%q: no error, though the files could not hold it safely", bad)
		}
	}
}

// TestNotFoundPages: each language's 404 page for its folder, the deepest
// first and the root's last, as _redirects and nginx need them.
func TestNotFoundPages(t *testing.T) {
	e := &exporter{opts: Options{NotFound: map[string]string{"404.html": "/404", "en/404.html": "/en/404", "pt/br/404.html": "/pt/br/404", "uk/404.html": "/uk/404"}}}
	var got []string
	for _, nf := range e.notFoundPages() {
		got = append(got, nf.prefix+" "+nf.page)
	}
	want := []string{"/pt/br/ /pt/br/404.html", "/en/ /en/404.html", "/uk/ /uk/404.html", "/ /404.html"}
	if !slices.Equal(got, want) {
		t.Errorf("notFoundPages = %q, want %q", got, want)
	}
}

// TestNginxKey: a pattern as nginx matches $uri.
func TestNginxKey(t *testing.T) {
	for pattern, want := range map[string]string{
		"/atom.xml":      "/atom.xml",
		"/*.csl.json":    `~^/.*\.csl\.json$`,
		"/api/v1/*.json": `~^/api/v1/.*\.json$`,
	} {
		if got := nginxKey(pattern); got != want {
			t.Errorf("nginxKey(%q) = %q, want %q", pattern, got, want)
		}
	}
	if got := nginxQuote(`~^/.*\.ics$`); got != `"~^/.*\\.ics$"` || strings.Count(got, `"`) != 2 {
		t.Errorf("nginxQuote = %s", got)
	}
}
