package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/krakow/wspolpraca/internal/content/contenttest"
	"github.com/krakow/wspolpraca/internal/web"
)

// fetch makes one request with the given headers, without the client's
// own decompression, and returns the response and its raw body.
func fetch(t *testing.T, method, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func decode(t *testing.T, encoding string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "":
		return b
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	default:
		t.Fatalf("unexpected Content-Encoding %q", encoding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", encoding, err)
	}
	return out
}

// A page is served in the encoding the client accepts, each encoding with
// its own strong ETag, and a client whose copy is current gets 304.
func TestPageCache(t *testing.T) {
	_, ts := newServer(t)
	url := ts.URL + "/deklaracje/2021-stanowisko-afganistan"

	plain, want := fetch(t, "GET", url)
	if plain.StatusCode != 200 || !bytes.Contains(want, []byte("Afganistan")) {
		t.Fatalf("GET = %d", plain.StatusCode)
	}
	if cc := plain.Header.Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=") {
		t.Errorf("Cache-Control %q is not fit for a shared cache", cc)
	}
	if plain.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("Vary %q", plain.Header.Get("Vary"))
	}

	etags := map[string]string{}
	for _, tc := range []struct{ accept, encoding string }{
		{"", ""},
		{"identity", ""},
		{"gzip", "gzip"},
		{"gzip, deflate, br", "br"},
		{"br;q=0, gzip", "gzip"},
		{"BR", "br"},
	} {
		res, body := fetch(t, "GET", url, "Accept-Encoding", tc.accept)
		if got := res.Header.Get("Content-Encoding"); got != tc.encoding {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.encoding)
			continue
		}
		if res.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("Accept-Encoding %q: Content-Length %q for %d bytes", tc.accept, res.Header.Get("Content-Length"), len(body))
		}
		if tc.encoding != "" && len(body) >= len(want) {
			t.Errorf("%s body is %d bytes, the page %d", tc.encoding, len(body), len(want))
		}
		if got := decode(t, tc.encoding, body); !bytes.Equal(got, want) {
			t.Errorf("Accept-Encoding %q: the decoded body differs from the page", tc.accept)
		}
		etag := res.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) {
			t.Errorf("ETag %q is not a strong validator", etag)
		}
		if old, ok := etags[tc.encoding]; ok && old != etag {
			t.Errorf("%s: ETag changed between requests: %s, %s", tc.encoding, old, etag)
		}
		etags[tc.encoding] = etag
	}
	if etags[""] == etags["gzip"] || etags["gzip"] == etags["br"] {
		t.Errorf("encodings share an ETag: %v", etags)
	}

	for enc, etag := range etags {
		res, body := fetch(t, "GET", url, "If-None-Match", etag, "Accept-Encoding", enc)
		if res.StatusCode != http.StatusNotModified || len(body) != 0 || res.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d, %d bytes, ETag %s; want 304, empty", etag, res.StatusCode, len(body), res.Header.Get("ETag"))
		}
	}
	if res, _ := fetch(t, "GET", url, "If-None-Match", `"x", W/`+etags[""]); res.StatusCode != http.StatusNotModified {
		t.Errorf("a list with a weak form of the ETag: %d, want 304", res.StatusCode)
	}
	if res, body := fetch(t, "GET", url, "If-None-Match", `"stale"`); res.StatusCode != 200 || !bytes.Equal(body, want) {
		t.Errorf("a stale ETag: %d, want 200 with the page", res.StatusCode)
	}
	head, body := fetch(t, "HEAD", url)
	if head.StatusCode != 200 || len(body) != 0 || head.Header.Get("Content-Length") != strconv.Itoa(len(want)) || head.Header.Get("ETag") != etags[""] {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %s, ETag %s", head.StatusCode, len(body), head.Header.Get("Content-Length"), head.Header.Get("ETag"))
	}
	// Parameters the site does not read (a shared link's tracking) do not
	// change the page: it comes from the cache, with its ETag.
	// Nor do parameters other pages read (?q= on a declaration).
	for _, q := range []string{"?utm_source=x", "?fbclid=IwAR0abc&utm_medium=social", "?q=1", "?strona=2&gremium=ump"} {
		res, body := fetch(t, "GET", url+q)
		if res.StatusCode != 200 || !bytes.Equal(body, want) || res.Header.Get("ETag") != etags[""] {
			t.Errorf("GET %s: %d, same page %v, ETag %s", q, res.StatusCode, bytes.Equal(body, want), res.Header.Get("ETag"))
		}
	}
	// A query string that does not parse is refused, not guessed at.
	for _, q := range []string{"?x=%ZZ", "?%zz", "?a=1;b=2"} {
		if res, _ := fetch(t, "GET", url+q); res.StatusCode != http.StatusBadRequest || res.Header.Get("ETag") != "" {
			t.Errorf("GET %s: %d, ETag %q; want 400", q, res.StatusCode, res.Header.Get("ETag"))
		}
	}
	// A list's page number is read: each page is its own.
	if res, _ := fetch(t, "GET", ts.URL+"/deklaracje?strona=2"); res.StatusCode != 404 {
		t.Errorf("GET /deklaracje?strona=2 (past the end) = %d, want 404", res.StatusCode)
	}
	// Errors are not cached: a missing page stays 404 with no ETag.
	for range 2 {
		if res, _ := fetch(t, "GET", ts.URL+"/nie-ma"); res.StatusCode != 404 || res.Header.Get("ETag") != "" {
			t.Errorf("GET /nie-ma: %d, ETag %q", res.StatusCode, res.Header.Get("ETag"))
		}
	}
}

// Concurrent first requests for one page all get it (one renders, the
// rest wait for it).
func TestPageCacheConcurrentFirstRequests(t *testing.T) {
	_, ts := newServer(t)
	url := ts.URL + "/deklaracje/2017-deklaracja-migracje"
	var wg sync.WaitGroup
	bodies := make([][]byte, 16)
	for i := range bodies {
		wg.Go(func() {
			res, body := fetch(t, "GET", url)
			if res.StatusCode != 200 {
				t.Errorf("request %d: %d", i, res.StatusCode)
			}
			bodies[i] = body
		})
	}
	wg.Wait()
	for i := range bodies {
		if !bytes.Equal(bodies[i], bodies[0]) {
			t.Fatalf("request %d got a different page", i)
		}
	}
}

// A reload swaps the cache with the content: the changed page is served at
// once, with a new ETag, and the old ETag no longer answers 304.
func TestPageCacheSwappedOnReload(t *testing.T) {
	dir := contentCopy(t)
	db := filepath.Join(t.TempDir(), "site.db")
	st, err := loader(dir, db, nil)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv, ts := startServer(t, st, web.Config{})
	url := ts.URL + "/deklaracje/2021-stanowisko-afganistan"
	before, _ := fetch(t, "GET", url)
	etag := before.Header.Get("ETag")

	contenttest.Edit(t, dir, "declarations/2021-stanowisko-afganistan.pl.md", "published: 2026-11-25", "published: 2026-11-25\nsummary_note: x")
	if err := srv.Reload(context.Background(), loader(dir, db, nil)); err == nil {
		t.Fatal("a reload of content with an unknown field succeeded")
	}
	if res, _ := fetch(t, "GET", url, "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("after a failed reload: %d, want 304 (the old content still served)", res.StatusCode)
	}

	contenttest.Edit(t, dir, "declarations/2021-stanowisko-afganistan.pl.md", "published: 2026-11-25\nsummary_note: x", "published: 2026-11-25")
	contenttest.Edit(t, dir, "declarations/2021-stanowisko-afganistan.pl.md", "\n---\n", "\n---\nZdanie dodane w teście pamięci podręcznej.\n\n")
	if err := srv.Reload(context.Background(), loader(dir, db, nil)); err != nil {
		t.Fatal(err)
	}
	res, body := fetch(t, "GET", url, "If-None-Match", etag)
	if res.StatusCode != 200 || !bytes.Contains(body, []byte("Zdanie dodane w teście pamięci podręcznej.")) {
		t.Fatalf("after the reload: %d, new sentence shown %v", res.StatusCode, bytes.Contains(body, []byte("Zdanie dodane")))
	}
	if res.Header.Get("ETag") == etag {
		t.Errorf("the changed page kept its ETag %s", etag)
	}
}

// A cached list changes at the moment a scheduled declaration is
// published: the cache is emptied then, with no reload.
func TestPageCacheFollowsSchedule(t *testing.T) {
	dir := contentCopy(t)
	src, err := os.ReadFile(filepath.Join(dir, "declarations/2020-apel-moria.pl.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), "id: 2020-apel-moria", "id: 2026-zapowiedz", 1)
	s = strings.Replace(s, "published: 2026-11-25", "published: 2026-11-25\npublish: 2026-12-01 09:00\nuntranslated: true", 1)
	if err := os.WriteFile(filepath.Join(dir, "declarations/2026-zapowiedz.pl.md"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	// A page in the menu, on the same schedule: the menu of every page is
	// read once per schedule period too.
	page := "---\nid: komunikat\ntitle: Komunikat\nsummary: Komunikat.\nslug: komunikat\nmenu: 9\nuntranslated: true\npublished: 2026-11-25\npublish: 2026-12-01 09:00\n---\nKomunikat.\n"
	if err := os.WriteFile(filepath.Join(dir, "pages/komunikat.pl.md"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	record(t, dir, "/deklaracje/2026-zapowiedz", "/komunikat")
	var mu sync.Mutex
	clock := testNow
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), now)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, ts := startServer(t, st, web.Config{Now: now})
	for range 2 { // the second answer comes from the cache
		if _, body := fetch(t, "GET", ts.URL+"/deklaracje"); bytes.Contains(body, []byte("/deklaracje/2026-zapowiedz")) {
			t.Fatal("the list shows a declaration before its publish time")
		}
		if _, body := fetch(t, "GET", ts.URL+"/o-serwisie?strona=1"); bytes.Contains(body, []byte(`href="/komunikat"`)) {
			t.Fatal("the menu shows a page before its publish time")
		}
	}
	mu.Lock()
	clock = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // 09:00 in Kraków
	mu.Unlock()
	if _, body := fetch(t, "GET", ts.URL+"/deklaracje"); !bytes.Contains(body, []byte("/deklaracje/2026-zapowiedz")) {
		t.Error("the cached list does not show the declaration at its publish time")
	}
	if _, body := fetch(t, "GET", ts.URL+"/o-serwisie?strona=1"); !bytes.Contains(body, []byte(`href="/komunikat"`)) {
		t.Error("a page rendered after the publish time does not have the page in its menu")
	}
}
