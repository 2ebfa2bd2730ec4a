package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/static"
)

// TestSearchBounds: what a search may cost is bounded before it runs —
// phrase length, page number — and while it runs — how many at once.
func TestSearchBounds(t *testing.T) {
	srv, ts := internalServer(t, storetest.Content(t, content.Options{}), Config{Searches: 1})
	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	seven := `%22praw+cz%C5%82owieka+i+r%C3%B3wnego+traktowania+w+miastach%22`
	for _, tc := range []struct {
		path, want string
		status     int
	}{
		{"/szukaj?q=" + seven, "Fraza w cudzysłowie może mieć najwyżej 6 słów", 400},
		{"/en/search?q=" + seven, "at most 6 words", 400},
		{"/uk/poshuk?q=" + seven, "не більше 6 слів", 400},
		{"/api/v1/search.json?q=" + seven, `"code":"SearchPhraseTooLong","error":"Fraza w cudzysłowie może mieć najwyżej 6 słów`, 400},
		{"/api/v1/search.json?lang=en&q=" + seven, `"code":"SearchPhraseTooLong","error":"A phrase in quotation marks may have at most 6 words`, 400},
		{"/szukaj?q=migracja&strona=101", "do strony 100", 400},
		{"/szukaj?q=migracja&strona=100000", "do strony 100", 400},
		{"/api/v1/search.json?lang=en&q=migracja&page=101", "up to page 100", 400},
		{"/api/v1/search.json?q=migracja&page=101", `"code":"SearchPageTooFar"`, 400},
		{"/szukaj?q=migracja&strona=100", "Wyników jest mniej", 404},
		{"/szukaj?q=%22praw+cz%C5%82owieka%22", "Wyniki wyszukiwania", 200},
	} {
		res, body := get(tc.path)
		if res.StatusCode != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s = %d, want %d with %q:\n%s", tc.path, res.StatusCode, tc.status, tc.want, body[:min(len(body), 300)])
		}
	}

	// Every place for a search taken: 503 at once, with Retry-After, and
	// the pages are served meanwhile.
	srv.searches <- struct{}{}
	for _, p := range []string{"/szukaj?q=migracja", "/api/v1/search.json?q=migracja"} {
		res, body := get(p)
		if res.StatusCode != 503 || res.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s with every search slot taken = %d, Retry-After %q", p, res.StatusCode, res.Header.Get("Retry-After"))
		}
		if p == "/szukaj?q=migracja" && !strings.Contains(body, "Wyszukiwarka jest chwilowo zajęta") {
			t.Errorf("the 503 page does not say the search is busy:\n%s", body)
		}
	}
	if res, _ := get("/deklaracje/2021-stanowisko-afganistan"); res.StatusCode != 200 {
		t.Errorf("a page while searches are full = %d", res.StatusCode)
	}
	<-srv.searches
	if res, _ := get("/szukaj?q=migracja"); res.StatusCode != 200 {
		t.Errorf("a search once a slot is free = %d", res.StatusCode)
	}
}

// TestClientIPGrouping: one client is one key of the search limit,
// however it writes its address.
func TestClientIPGrouping(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"[2001:db8::1]:5000", "[2001:db8::2]:5001"},
		{"[fe80::1%eth0]:5000", "[fe80::1]:5000"},
		{"[fe80::1%25eth0]:5000", "[fe80::2%eth1]:80"},
		{"[::ffff:203.0.113.7]:1", "203.0.113.7:2"},
	} {
		s := &Server{}
		ka := s.clientIP(&http.Request{RemoteAddr: tc.a})
		kb := s.clientIP(&http.Request{RemoteAddr: tc.b})
		if ka != kb || strings.Contains(ka, "%") {
			t.Errorf("clientIP(%s) = %q, clientIP(%s) = %q; want one key, no zone", tc.a, ka, tc.b, kb)
		}
	}
	s := &Server{cfg: Config{ClientIPHeader: "X-Real-IP"}}
	r := &http.Request{RemoteAddr: "127.0.0.1:1", Header: http.Header{"X-Real-Ip": {"fe80::1%eth0"}}}
	if got := s.clientIP(r); got != s.clientIP(&http.Request{RemoteAddr: "[fe80::2]:9"}) {
		t.Errorf("clientIP from the header with a zone = %q", got)
	}
}

// TestClientGone: a client that went away before its answer is no error:
// nothing is logged as one, and the access log says 499.
func TestClientGone(t *testing.T) {
	var logs, access strings.Builder
	site := storetest.Content(t, content.Options{})
	st, _ := storetest.Open(t, site)
	srv, err := New(Config{BaseURL: "http://example.org", Assets: static.FS, Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: &logs}, nil)),
		AccessLog: &lockedWriter{w: &access}, CacheDir: t.TempDir()}, st)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, p := range []string{"/szukaj?q=migracja", "/api/v1/search.json?q=migracja", "/deklaracje?gremium=ump", "/nie-ma"} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequestWithContext(ctx, "GET", p, nil)
		srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("requests whose clients went away were logged as errors:\n%s", logs.String())
	}
	if n := strings.Count(access.String(), "status=499"); n == 0 || strings.Contains(access.String(), "status=500") {
		t.Errorf("access log:\n%s", access.String())
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
