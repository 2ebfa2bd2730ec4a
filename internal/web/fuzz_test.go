package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/web"
	"github.com/krakow/wspolpraca/static"
)

// fuzzServer serves the real content folder from a real SQLite file over
// real HTTP, like newServer, for any testing.TB: a fuzz target builds it
// once, outside f.Fuzz. Searches are not rate limited, so that fuzzing
// does not turn into a stream of 429s.
func fuzzServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	st, _ := storetest.Open(tb, storetest.Content(tb, content.Options{}))
	ts := httptest.NewUnstartedServer(nil)
	srv, err := web.New(web.Config{
		BaseURL:     "http://" + ts.Listener.Addr().String(),
		Assets:      static.FS,
		Now:         func() time.Time { return testNow },
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		SearchLimit: 1 << 30,
	}, st)
	if err != nil {
		tb.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	tb.Cleanup(func() { ts.Close(); srv.Close() })
	return ts
}

// fuzzResponse is one answer of the server to a fuzzed URL.
type fuzzResponse struct {
	status   int
	header   http.Header
	body     string
	contType string
}

// fuzzGet requests target (a path and query) without following redirects.
// ok is false when no client can send target at all (control characters):
// there is nothing to ask the server then.
func fuzzGet(t *testing.T, ts *httptest.Server, target string) (res fuzzResponse, ok bool) {
	t.Helper()
	for i := 0; i < len(target); i++ {
		if c := target[i]; c < 0x20 || c == 0x7f {
			return res, false // net/http refuses to write such a request line
		}
	}
	req, err := http.NewRequest("GET", ts.URL+target, nil)
	if err != nil {
		// URLs a client library cannot even parse are written raw, as
		// get does.
		if req, err = http.NewRequest("GET", ts.URL, nil); err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = target
	}
	r, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("GET %.200q: %v", target, err)
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("GET %.200q: reading the body: %v", target, err)
	}
	return fuzzResponse{status: r.StatusCode, header: r.Header, body: string(b), contType: r.Header.Get("Content-Type")}, true
}

// fuzzURLSeeds are paths and queries that exercise every kind of route:
// pages, permalinks, aliases, capitals, trailing slashes, search,
// pagination, the API, static files, and hostile input.
var fuzzURLSeeds = []string{
	"/",
	"/deklaracje",
	"/en/declarations/2021-stanowisko-afganistan",
	"/d/2021-stanowisko-afganistan",
	"/<script>alert(1)</script>",
	"/..%2f..%2fetc/passwd",
	"/%ff",
	"/szukaj?q=%22",
	"/szukaj?q=uchod%C5%BAcy&strona=2",
	"/deklaracje?strona=-1",
	"//evil.example/",
	"/static/../go.mod",
	"/api/v1/declarations/x.json",
	"/en",
	"/Deklaracje/",
	strings.Repeat("a", 3000),
	// More of the same kinds.
	"/en/",
	"/en/search?q=<b>x</b>&type=declaration&page=1",
	"/szukaj?q=%3Cscript%3Ealert(1)%3C/script%3E",
	"/szukaj?q=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
	"/szukaj?q=\"><svg/onload=alert(1)>&typ=deklaracja&rok=2021",
	"/api/v1/search.json?q=<x>",
	"/api/v1/declarations.json",
	"/api/v1/declarations.csv",
	"/deklaracje/2021-stanowisko-afganistan.bib",
	"/en/d/<x>",
	"/m/2022-12-16-komisja-zmp",
	"/deklaracje/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
	"/%2f%2fevil.example/",
	"/\\evil.example/",
	"/%5Cevil.example/",
	"/%09/evil.example/",
	"/static/site.css",
	"/sitemap.xml",
	"/deklaracje?strona=99999999999999999999",
	"/DEKLARACJE?x=<y>",
	"/spotkania/",
	"/en/meetings?page=2",
	"/a b?c d#e",
	"/%00",
	"",
	"?q=<",
}

// FuzzURL requests arbitrary paths and queries from the real server: it
// never fails with 5xx, never echoes markup from the URL unescaped, answers
// HTML in the site's layout with one <h1>, and redirects only within the
// site.
func FuzzURL(f *testing.F) {
	for _, s := range fuzzURLSeeds {
		f.Add(s)
	}
	ts := fuzzServer(f)
	f.Fuzz(func(t *testing.T, in string) {
		target := in
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		res, ok := fuzzGet(t, ts, target)
		if !ok {
			t.Skip("no client can send this URL")
		}
		if res.status >= 500 {
			t.Fatalf("GET %.200q = %d:\n%.500s", target, res.status, res.body)
		}
		for _, needle := range fuzzNeedles(target) {
			if strings.Contains(res.body, needle) && !fuzzNatural(t, ts, target, needle) {
				t.Errorf("GET %.200q (%d, %s): the response contains %.200q unescaped", target, res.status, res.contType, needle)
			}
		}
		redirect := res.status >= 300 && res.status < 400
		if strings.HasPrefix(res.contType, "text/html") {
			// A redirect's body is net/http's one link, not a page.
			fuzzCheckHTML(t, target, res, !redirect)
		}
		if redirect {
			// Browsers drop tabs and line breaks from a URL before reading it.
			loc := strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(res.header.Get("Location"))
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") ||
				strings.ContainsFunc(loc, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
				t.Errorf("GET %.200q = %d to Location %q: want a path on this site, starting with a single /", target, res.status, loc)
			}
		}
	})
}

// fuzzNeedles returns what of target must never appear raw in a response:
// the target as sent and as the server decodes it, whenever it holds a "<".
func fuzzNeedles(target string) []string {
	var out []string
	add := func(s string) {
		if strings.Contains(s, "<") {
			out = append(out, s)
		}
	}
	add(target)
	path, query, _ := strings.Cut(target, "?")
	path, _, _ = strings.Cut(path, "#")
	if p, err := url.PathUnescape(path); err == nil && p != target {
		add(p)
	}
	query, _, _ = strings.Cut(query, "#")
	if v, err := url.ParseQuery(query); err == nil {
		for _, vs := range v {
			for _, s := range vs {
				add(s)
			}
		}
	}
	return out
}

// fuzzNatural reports whether needle is part of the page itself rather
// than the input: the same request with every "<" of the input made
// harmless answers it too. ("/div><p" is in every page, as "</div><p".)
func fuzzNatural(t *testing.T, ts *httptest.Server, target, needle string) bool {
	t.Helper()
	r := strings.NewReplacer("<", "_", "%3C", "_", "%3c", "_")
	ref, ok := fuzzGet(t, ts, r.Replace(target))
	return ok && strings.Contains(ref.body, needle)
}

// fuzzCheckHTML checks an HTML answer: it parses, it runs no script, and,
// when it is a page rather than a redirect's link, it is in the site's
// layout with exactly one <h1>.
func fuzzCheckHTML(t *testing.T, target string, res fuzzResponse, page bool) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(res.body))
	if err != nil {
		t.Fatalf("GET %.200q: parsing HTML: %v", target, err)
	}
	if n := doc.Find("h1").Length(); page && n != 1 {
		t.Errorf("GET %.200q = %d: %d <h1>, want 1:\n%.500s", target, res.status, n, res.body)
	}
	if doc.Find(`script:not([type="application/ld+json"])`).Length() > 0 {
		t.Errorf("GET %.200q: the page has a <script>", target)
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("GET %.200q: <%s> has an event handler %s=%q", target, goquery.NodeName(s), a.Key, a.Val)
			}
			if v := strings.ToLower(strings.TrimSpace(a.Val)); strings.HasPrefix(v, "javascript:") {
				t.Errorf("GET %.200q: <%s %s=%q>", target, goquery.NodeName(s), a.Key, a.Val)
			}
		}
	})
}
