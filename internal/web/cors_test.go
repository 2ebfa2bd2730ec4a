package web_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/internal/web"
)

// openDataPaths lists an address of every kind of open data of the real
// content, in every language of its registry: the API (lists, records,
// CSV, search), the sitemap, each language's feed and calendars (the
// site's and every body's) and the citation files of every declaration.
func openDataPaths(t *testing.T) []string {
	t.Helper()
	site := storetest.Content(t, content.Options{})
	scheme := urls.New(site.Languages)
	paths := []string{
		"/sitemap.xml",
		"/api/v1/declarations.json", "/api/v1/meetings.json", "/api/v1/bodies.json",
		"/api/v1/declarations/2021-stanowisko-afganistan.json", "/api/v1/meetings/2022-12-16-komisja-zmp.json", "/api/v1/bodies/ump.json",
		"/api/v1/declarations.csv", "/api/v1/meetings.csv",
		"/api/v1/search.json?q=uchod%C5%BAcy",
	}
	for _, tag := range site.Languages.Tags() {
		paths = append(paths, scheme.Feed(tag), scheme.Calendar(tag, ""))
		for _, b := range site.Bodies {
			paths = append(paths, scheme.Calendar(tag, b.ID))
		}
		for _, d := range site.Declarations {
			for _, c := range urls.Citations {
				paths = append(paths, d.Docs[tag].Path+c.Ext)
			}
		}
	}
	return paths
}

// headerTokens returns the comma-separated tokens of a response header, in
// lower case: header names and tokens are case-insensitive (RFC 9110
// §5.1, §5.6.2), so a client compares them so.
func headerTokens(h http.Header, name string) []string {
	var out []string
	for _, v := range h.Values(name) {
		for tok := range strings.SplitSeq(v, ",") {
			if tok = strings.ToLower(strings.TrimSpace(tok)); tok != "" {
				out = append(out, tok)
			}
		}
	}
	return out
}

// corsRequest sends a request with the given header fields, written as given (a
// field name in lower case stays in lower case on the wire).
func corsRequest(t *testing.T, ts *httptest.Server, method, path string, fields ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		req.Header[fields[i]] = append(req.Header[fields[i]], fields[i+1])
	}
	res, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	res.Body.Close()
	return res
}

// checkSimpleCORS checks the headers a script on another site needs to
// read a response: any origin, and the ETag exposed.
func checkSimpleCORS(t *testing.T, what string, res *http.Response) {
	t.Helper()
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("%s: %d, Access-Control-Allow-Origin %q, want *", what, res.StatusCode, got)
	}
	exposed := headerTokens(res.Header, "Access-Control-Expose-Headers")
	for _, want := range []string{"etag", "last-modified", "retry-after"} {
		if !slices.Contains(exposed, want) {
			t.Errorf("%s: Access-Control-Expose-Headers %q lacks %s", what, exposed, want)
		}
	}
}

// TestCORSPreflight: the preflight — OPTIONS
// /api/v1/declarations.json with Origin, Access-Control-Request-Method: GET
// and Access-Control-Request-Headers: if-none-match, which got 405 with no
// CORS headers — and the same on every kind of open data in every
// language, with header names in any case.
func TestCORSPreflight(t *testing.T) {
	_, ts := newServer(t)
	for _, path := range openDataPaths(t) {
		for _, fields := range [][]string{
			{"Origin", "https://example.com", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "if-none-match"},
			// Field names are case-insensitive; several fields make one list.
			{"origin", "https://dane.example", "access-control-request-method", "GET",
				"access-control-request-headers", "If-None-Match, x-requested-with", "ACCESS-CONTROL-REQUEST-HEADERS", "cache-control"},
		} {
			res := corsRequest(t, ts, http.MethodOptions, path, fields...)
			what := "OPTIONS " + path
			if res.StatusCode != http.StatusNoContent {
				t.Errorf("%s = %d, want 204", what, res.StatusCode)
				continue
			}
			checkSimpleCORS(t, what, res)
			if m := headerTokens(res.Header, "Access-Control-Allow-Methods"); !slices.Contains(m, "get") || !slices.Contains(m, "head") {
				t.Errorf("%s: Access-Control-Allow-Methods %q", what, m)
			}
			allowed := headerTokens(res.Header, "Access-Control-Allow-Headers")
			for _, asked := range headerTokens(http.Header{"X": {fields[5]}}, "X") {
				if !slices.Contains(allowed, asked) && !slices.Contains(allowed, "*") {
					t.Errorf("%s: Access-Control-Allow-Headers %q lacks %s", what, allowed, asked)
				}
			}
			if res.Header.Get("Access-Control-Max-Age") == "" {
				t.Errorf("%s: no Access-Control-Max-Age: every request would be preflighted again", what)
			}
			if a := headerTokens(res.Header, "Allow"); !slices.Contains(a, "options") || !slices.Contains(a, "get") {
				t.Errorf("%s: Allow %q", what, a)
			}
		}
	}

	// A header name that is not a token is not allowed back; nothing else
	// changes (the browser then refuses the request itself).
	res := corsRequest(t, ts, http.MethodOptions, "/api/v1/declarations.json", "Origin", "https://example.com",
		"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "if-none-match, bad name")
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Headers") != "" {
		t.Errorf("preflight asking for %q: %d, Access-Control-Allow-Headers %q", "bad name", res.StatusCode, res.Header.Get("Access-Control-Allow-Headers"))
	}
	// A page is not open data: OPTIONS stays refused, with no CORS header.
	for _, path := range []string{"/deklaracje/2021-stanowisko-afganistan", "/en/", "/szukaj"} {
		res := corsRequest(t, ts, http.MethodOptions, path, "Origin", "https://example.com", "Access-Control-Request-Method", "GET")
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("OPTIONS %s = %d, Access-Control-Allow-Origin %q; want 405 and none", path, res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
		}
	}
}

// TestCORSResponses: the examples — the feeds, every .ics, .bib,
// .ris, .csl.json, the sitemap and the API's errors sent no
// Access-Control-Allow-Origin — and the rest of each kind: GET and HEAD,
// 200 and 304 (a script revalidating with the exposed ETag), 404 of each
// kind, the API's 400, 405 and 429. Pages carry no CORS header.
func TestCORSResponses(t *testing.T) {
	_, ts := newServer(t)
	for _, path := range openDataPaths(t) {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			res := corsRequest(t, ts, method, path, "Origin", "https://example.com")
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s %s = %d", method, path, res.StatusCode)
			}
			checkSimpleCORS(t, method+" "+path, res)
			if etag := res.Header.Get("ETag"); etag != "" && method == http.MethodGet {
				res := corsRequest(t, ts, method, path, "Origin", "https://example.com", "If-None-Match", etag)
				if res.StatusCode != http.StatusNotModified {
					t.Errorf("%s %s with If-None-Match %s = %d, want 304", method, path, etag, res.StatusCode)
				}
				checkSimpleCORS(t, method+" "+path+" (304)", res)
			}
		}
	}
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/api/v1/declarations/nie-ma.json", 404},
		{"GET", "/api/v1/nie-ma.json", 404},
		{"GET", "/api/v1/search.json?q=%zz", 400},
		{"GET", "/api/v1/search.json?q=" + strings.Repeat("a", 600), 400},
		{"POST", "/api/v1/declarations.json", 405},
		{"GET", "/kalendarz/nie-ma.ics", 404},
		{"GET", "/en/calendar/no-such-body.ics", 404},
		{"GET", "/uk/kalendar/nemaie.ics", 404},
		{"GET", "/deklaracje/nie-ma.bib", 404},
		{"GET", "/en/declarations/no-such-declaration.csl.json", 404},
		{"GET", "/o-serwisie.ris", 404}, // a page, but not a declaration
		{"GET", "/sitemap-99.xml", 404},
	} {
		res := corsRequest(t, ts, tc.method, tc.path, "Origin", "https://example.com")
		if res.StatusCode != tc.status {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, res.StatusCode, tc.status)
		}
		checkSimpleCORS(t, tc.method+" "+tc.path, res)
	}
	for _, path := range []string{"/", "/deklaracje/2021-stanowisko-afganistan", "/en/meetings/2022-12-16-komisja-zmp", "/nie-ma", "/robots.txt"} {
		if res := corsRequest(t, ts, "GET", path, "Origin", "https://example.com"); res.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("GET %s: Access-Control-Allow-Origin on a page", path)
		}
	}
}

// TestCORSRateLimited: a search over the limit answers 429 that a script
// can read, with its Retry-After exposed.
func TestCORSRateLimited(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	_, ts := newServerWith(t, site, web.Config{SearchLimit: 1})
	corsRequest(t, ts, "GET", "/api/v1/search.json?q=krakow")
	res := corsRequest(t, ts, "GET", "/api/v1/search.json?q=gdansk", "Origin", "https://example.com")
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("second search = %d, want 429", res.StatusCode)
	}
	checkSimpleCORS(t, "429", res)
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

// TestCORSNotInPreview: the preview shows drafts; no other site's script
// may read them from an editor's machine.
func TestCORSNotInPreview(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	_, ts := newServerWith(t, site, web.Config{Dev: true})
	if res := corsRequest(t, ts, "GET", "/api/v1/declarations.json", "Origin", "https://example.com"); res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preview: Access-Control-Allow-Origin %q", res.Header.Get("Access-Control-Allow-Origin"))
	}
	if res := corsRequest(t, ts, http.MethodOptions, "/api/v1/declarations.json", "Origin", "https://example.com", "Access-Control-Request-Method", "GET"); res.StatusCode == http.StatusNoContent {
		t.Error("preview: a preflight succeeds")
	}
}
