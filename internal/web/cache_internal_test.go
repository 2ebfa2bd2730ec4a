package web

import (
	"context"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/corpus"
	"github.com/krakow/wspolpraca/internal/middleware"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/static"
)

// internalServer serves site for a test of the server's insides.
func internalServer(t *testing.T, site *content.Site, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	st, _ := storetest.Open(t, site)
	ts := httptest.NewUnstartedServer(nil)
	cfg.BaseURL = "http://" + ts.Listener.Addr().String()
	cfg.Assets = static.FS
	cfg.Now = func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg.CacheDir = t.TempDir()
	srv, err := New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return srv, ts
}

func status(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// keys lists the cache's keys that start with prefix.
func (s *Server) keys(prefix string) []string {
	return s.snap.Load().cache.Keys(prefix)
}

// TestCacheKeyedByWhatPagesRead: a page is kept once whatever parameters it
// is asked with, unless it reads them; a list is kept once per page and
// body it shows.
func TestCacheKeyedByWhatPagesRead(t *testing.T) {
	srv, ts := internalServer(t, storetest.Content(t, content.Options{}), Config{})
	for _, q := range []string{"", "?q=1", "?q=2", "?strona=3", "?utm_source=x&q=afganistan", "?typ=deklaracja"} {
		for _, p := range []string{"/deklaracje/2021-stanowisko-afganistan", "/api/v1/declarations.json", "/atom.xml", "/kalendarz.ics", "/sitemap.xml"} {
			if code := status(t, ts.URL+p+q); code != 200 {
				t.Errorf("GET %s%s = %d", p, q, code)
			}
		}
	}
	for _, p := range []string{"/deklaracje/2021-stanowisko-afganistan", "/api/v1/declarations.json", "/atom.xml", "/kalendarz.ics", "/sitemap.xml"} {
		if got := srv.keys(p); !slices.Equal(got, []string{p}) {
			t.Errorf("cache keys for %s = %q, want one", p, got)
		}
	}
	for _, q := range []string{"", "?utm_source=x", "?gremium=ump", "?gremium=ump&fbclid=1", "?q=x&gremium=ump"} {
		if code := status(t, ts.URL+"/deklaracje"+q); code != 200 {
			t.Errorf("GET /deklaracje%s = %d", q, code)
		}
	}
	if got, want := srv.keys("/deklaracje?"), []string{"/deklaracje?gremium=ump"}; !slices.Equal(got, want) {
		t.Errorf("list cache keys = %q, want %q", got, want)
	}
	if got := srv.keys("/deklaracje"); len(got) != 2+len(srv.keys("/deklaracje/")) {
		t.Errorf("list cache keys = %q", got)
	}
	// Searches are not kept: each is counted against its visitor's limit.
	res, err := http.Get(ts.URL + "/szukaj?q=afganistan")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("a search: %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if got := srv.keys("/szukaj?"); len(got) != 0 {
		t.Errorf("searches kept in the cache: %q", got)
	}
}

// TestLargeResponsesOnDisk: a whole-dataset file larger than middleware.SpillBytes is
// written to disk once, compressed there, and served from the file, with
// ranges, conditional requests and every encoding.
func TestLargeResponsesOnDisk(t *testing.T) {
	base := storetest.Content(t, content.Options{})
	srv, ts := internalServer(t, corpusSite(base, 1500), Config{})
	url := ts.URL + "/api/v1/declarations.json"
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || len(body) <= middleware.SpillBytes {
		t.Fatalf("GET %s = %d, %d bytes; want more than %d", url, res.StatusCode, len(body), middleware.SpillBytes)
	}
	sn := srv.snap.Load()
	files, _ := os.ReadDir(sn.files.Dir())
	if len(files) < 2 {
		t.Fatalf("the cache folder holds %d files, want the body and its encodings", len(files))
	}
	etag := res.Header.Get("ETag")
	for _, tc := range []struct {
		header     []string
		wantStatus int
		check      func(*http.Response, []byte) string
	}{
		{[]string{"Range", "bytes=0-99"}, http.StatusPartialContent, func(r *http.Response, b []byte) string {
			if string(b) != string(body[:100]) {
				return "wrong range"
			}
			return ""
		}},
		{[]string{"If-None-Match", etag}, http.StatusNotModified, nil},
		{[]string{"Accept-Encoding", "gzip"}, 200, func(r *http.Response, b []byte) string {
			if r.Header.Get("Content-Encoding") != "gzip" || len(b) >= len(body) {
				return "not gzip: " + r.Header.Get("Content-Encoding")
			}
			return ""
		}},
		{[]string{"Accept-Encoding", "br"}, 200, func(r *http.Response, b []byte) string {
			if r.Header.Get("Content-Encoding") != "br" || len(b) >= len(body) {
				return "not br"
			}
			return ""
		}},
	} {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", url, nil)
		req.Header.Set(tc.header[0], tc.header[1])
		res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.wantStatus {
			t.Errorf("%s: %d, want %d", tc.header, res.StatusCode, tc.wantStatus)
			continue
		}
		if tc.check != nil {
			if msg := tc.check(res, b); msg != "" {
				t.Errorf("%s: %s", tc.header, msg)
			}
		}
	}
	// The memory the cache holds for it is its bookkeeping, not its body.
	if srv.snap.Load().cache.Size() > middleware.SpillBytes {
		t.Errorf("the cache holds %d bytes in memory", srv.snap.Load().cache.Size())
	}
	// The files go with the server.
	root := srv.cacheRoot
	srv.Close()
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("the cache folder %s outlives the server", root)
	}
}

func corpusSite(base *content.Site, declarations int) *content.Site {
	return corpus.Site(base, corpus.Options{Declarations: declarations, Seed: 1})
}

// TestSitemapIndex: a site with more pages than one sitemap file may list
// gets an index of parts, none over the limit, together listing every page
// once.
func TestSitemapIndex(t *testing.T) {
	base := storetest.Content(t, content.Options{})
	_, ts := internalServer(t, corpusSite(base, 40), Config{SitemapURLs: 20})
	get := func(path string) string {
		t.Helper()
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		return string(b)
	}
	var index struct {
		XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal([]byte(get("/sitemap.xml")), &index); err != nil {
		t.Fatalf("the sitemap is not an index: %v", err)
	}
	seen := map[string]bool{}
	for _, sm := range index.Sitemaps {
		var set struct {
			URLs []struct {
				Loc   string `xml:"loc"`
				Links []struct {
					Hreflang string `xml:"hreflang,attr"`
				} `xml:"http://www.w3.org/1999/xhtml link"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal([]byte(get(strings.TrimPrefix(sm.Loc, ts.URL))), &set); err != nil {
			t.Fatalf("%s: %v", sm.Loc, err)
		}
		if len(set.URLs) == 0 || len(set.URLs) > 20 {
			t.Errorf("%s lists %d URLs, want 1 to 20", sm.Loc, len(set.URLs))
		}
		for _, u := range set.URLs {
			if seen[u.Loc] {
				t.Errorf("%s listed twice", u.Loc)
			}
			seen[u.Loc] = true
		}
	}
	// 4 + 40 declarations, 6 bodies, 1 meeting, 11 pages, in two languages
	// (the synthetic declarations too).
	if len(seen) < 2*(44+6+1+10) || !seen[ts.URL+"/deklaracje/2021-stanowisko-afganistan"] || !seen[ts.URL+"/en/"] {
		t.Errorf("the parts list %d URLs", len(seen))
	}
	for _, p := range []string{"/sitemap-0.xml", "/sitemap-99.xml", "/sitemap-01.xml", "/sitemap-x.xml"} {
		if code := status(t, ts.URL+p); code != 404 {
			t.Errorf("GET %s = %d, want 404", p, code)
		}
	}
}
