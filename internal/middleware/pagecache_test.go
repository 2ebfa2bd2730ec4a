package middleware

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// cacheFor serves h behind the page cache, with a schedule that never
// changes.
func cacheFor(t *testing.T, wrap func(*PageCache, http.Handler) http.Handler, h http.HandlerFunc) (*Cache, *httptest.Server) {
	t.Helper()
	c := NewCache(NewSpool(t.TempDir()))
	m := &PageCache{
		Cache:      func(*http.Request) *Cache { return c },
		NextChange: func(*http.Request) (time.Time, error) { return time.Time{}, nil },
	}
	ts := httptest.NewServer(wrap(m, h))
	t.Cleanup(ts.Close)
	return c, ts
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	req.Header.Set("Accept-Encoding", "identity") // the client's own gzip off
	if len(header) > 0 && header[0] == "Accept-Encoding" {
		req.Header.Set("Accept-Encoding", header[1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

// A route keyed by what its handler declares: one render per value of the
// parameters it reads, none for those it does not, and it never sees them.
func TestDeclaredKeys(t *testing.T) {
	var renders atomic.Int32
	c, ts := cacheFor(t, (*PageCache).Declared, func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		p := Params(r, "page")
		fmt.Fprintf(w, "page %q, query %q, %s", p.Get("page"), r.URL.RawQuery, strings.Repeat("x", 300))
	})
	for _, q := range []string{"", "?utm_source=x", "?page=2", "?page=2&fbclid=1", "?fbclid=2&page=2"} {
		if res, _ := get(t, ts.URL+"/list"+q); res.StatusCode != 200 {
			t.Fatalf("GET /list%s = %d", q, res.StatusCode)
		}
	}
	if got, want := c.Keys("/list"), []string{"/list", "/list?page=2"}; !slices.Equal(got, want) {
		t.Errorf("keys = %q, want %q", got, want)
	}
	if n := renders.Load(); n != 2 {
		t.Errorf("%d renders, want 2 (one per page read)", n)
	}
	_, body := get(t, ts.URL+"/list?page=2&fbclid=3")
	if !strings.HasPrefix(body, `page "2", query "page=2",`) {
		t.Errorf("a cached render saw %q", body[:40])
	}
}

// A route keyed by its path: its handler sees no query at all, and every
// query shares one render.
func TestPathKeys(t *testing.T) {
	var renders atomic.Int32
	c, ts := cacheFor(t, (*PageCache).Path, func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		fmt.Fprintf(w, "query %q", r.URL.RawQuery)
	})
	for _, q := range []string{"", "?format=csv", "?q=1"} {
		if _, body := get(t, ts.URL+"/robots.txt"+q); body != `query ""` {
			t.Errorf("GET /robots.txt%s: the handler saw %s", q, body)
		}
	}
	if n := renders.Load(); n != 1 || !slices.Equal(c.Keys(""), []string{"/robots.txt"}) {
		t.Errorf("%d renders, keys %q; want 1, [/robots.txt]", n, c.Keys(""))
	}
}

// What is not a whole 200 without cookies and no-store is not kept.
func TestNotKept(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"404": func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
		"cookie": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Set-Cookie", "a=b")
			io.WriteString(w, "x")
		},
		"no-store": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
			io.WriteString(w, "x")
		},
	} {
		c, ts := cacheFor(t, (*PageCache).Path, h)
		get(t, ts.URL+"/p")
		if keys := c.Keys(""); len(keys) != 0 {
			t.Errorf("%s: kept %q", name, keys)
		}
	}
}

// Encodings and revalidation of a kept page: the best encoding the client
// accepts (brotli, then gzip), a strong ETag per encoding, and 304 for any
// of them.
func TestEncodingsAndETags(t *testing.T) {
	_, ts := cacheFor(t, (*PageCache).Path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, strings.Repeat("<p>Deklaracja</p>\n", 100))
	})
	for _, tc := range []struct{ accept, want string }{
		{"", ""}, {"gzip", "gzip"}, {"br, gzip", "br"}, {"gzip;q=1, br;q=0", "gzip"}, {"*", "br"}, {"*, br;q=0", "gzip"},
		{"x-gzip", "gzip"}, {"GZIP", "gzip"}, {"gzip;q=0", ""}, {"gzip;q=2", ""}, {"gzip;q=0.5x", ""},
	} {
		res, _ := get(t, ts.URL+"/p", "Accept-Encoding", tc.accept)
		if got := res.Header.Get("Content-Encoding"); got != tc.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.want)
		}
		if res.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", tc.accept, res.Header.Get("Vary"))
		}
		etag := res.Header.Get("ETag")
		for _, match := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			if res, _ := get(t, ts.URL+"/p", "Accept-Encoding", tc.accept, "If-None-Match", match); res.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match %s: %d, want 304", match, res.StatusCode)
			}
		}
	}
	if res, _ := get(t, ts.URL+"/p", "If-None-Match", `"stale"`); res.StatusCode != 200 {
		t.Errorf("a stale ETag: %d, want 200", res.StatusCode)
	}
}

// A handler that reads the query other than through Params never has what
// it read kept: the first render of a path, which learns what it reads,
// is kept only when the request had no other parameter.
func TestUndeclaredParametersNeverKept(t *testing.T) {
	var renders atomic.Int32
	c, ts := cacheFor(t, (*PageCache).Declared, func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		fmt.Fprintf(w, "format %q", r.URL.Query().Get("format")) // declares nothing
	})
	if _, body := get(t, ts.URL+"/p?format=csv"); body != `format "csv"` {
		t.Fatalf("the first request saw %s", body)
	}
	if keys := c.Keys(""); len(keys) != 0 {
		t.Errorf("the render of /p?format=csv was kept under %q", keys)
	}
	for _, q := range []string{"", "?format=csv", "?format=json"} {
		if _, body := get(t, ts.URL+"/p"+q); body != `format ""` {
			t.Errorf("GET /p%s = %s, want the page rendered without the parameter", q, body)
		}
	}
	if n := renders.Load(); n != 2 {
		t.Errorf("%d renders, want 2 (the first request's, then the kept one)", n)
	}
}
