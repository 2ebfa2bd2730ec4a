package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/web"
	"github.com/krakow/wspolpraca/static"
)

// The hot handlers, through the whole middleware chain, with allocations:
//
//	go test -tags sqlite_fts5 -run '^$' -bench . -benchmem ./internal/web
//
// A cached page is what a widely shared declaration costs; "render" is the
// same page from a server with no page cache, so it measures the store and
// the templates.
func BenchmarkHandlers(b *testing.B) {
	st, _ := storetest.Open(b, storetest.Content(b, content.Options{}))
	st2, _ := storetest.Open(b, storetest.Content(b, content.Options{}))
	newServer := func(st *store.Store, noCache bool) *web.Server {
		srv, err := web.New(web.Config{BaseURL: "https://example.org", Assets: static.FS, Now: func() time.Time { return testNow },
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AccessLog: io.Discard, SearchLimit: 1 << 30, NoPageCache: noCache}, st)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { srv.Close() })
		return srv
	}
	cached, uncached := newServer(st, false), newServer(st2, true)
	for _, bc := range []struct {
		name, path, encoding string
		render               bool
	}{
		{"page/cached", "/deklaracje/2021-stanowisko-afganistan", "", false},
		{"page/cached-br", "/deklaracje/2021-stanowisko-afganistan", "br", false},
		{"page/render", "/deklaracje/2021-stanowisko-afganistan", "", true},
		{"list/render", "/deklaracje?strona=1", "", true},
		{"home/cached", "/", "", false},
		{"search", "/szukaj?q=migracja", "", false},
		{"api/declarations", "/api/v1/declarations.json", "", false},
		{"not-found", "/nie-ma", "", false},
	} {
		srv := cached
		if bc.render {
			srv = uncached
		}
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", bc.path, nil)
			req.RemoteAddr = "127.0.0.1:1234"
			if bc.encoding != "" {
				req.Header.Set("Accept-Encoding", bc.encoding)
			}
			w := &discardWriter{header: http.Header{}}
			srv.ServeHTTP(w, req)
			if w.status != 200 && bc.name != "not-found" {
				b.Fatalf("GET %s = %d", bc.path, w.status)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				clear(w.header)
				w.status = 0
				srv.ServeHTTP(w, req)
			}
			b.ReportMetric(float64(w.bytes)/float64(b.N+1), "B/resp")
		})
	}
}

// discardWriter is a ResponseWriter that keeps nothing, so that the
// benchmark counts the server's allocations, not a recorder's.
type discardWriter struct {
	header http.Header
	status int
	bytes  int
}

func (w *discardWriter) Header() http.Header { return w.header }
func (w *discardWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *discardWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = 200
	}
	w.bytes += len(p)
	return len(p), nil
}

// BenchmarkCachedPageHTTP serves a cached page over real HTTP to parallel
// keep-alive clients, the whole server as `serve` runs it (request log
// on), for profiling what a request costs besides net/http:
//
//	go test -tags sqlite_fts5 -run '^$' -bench CachedPageHTTP -cpuprofile cpu.out ./internal/web
func BenchmarkCachedPageHTTP(b *testing.B) {
	st, _ := storetest.Open(b, storetest.Content(b, content.Options{}))
	srv, err := web.New(web.Config{BaseURL: "https://example.org", Assets: static.FS, Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AccessLog: io.Discard, SearchLimit: 1 << 30}, st)
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	b.Cleanup(func() { ts.Close(); srv.Close() })
	for _, enc := range []string{"", "gzip"} {
		b.Run("encoding="+enc, func(b *testing.B) {
			tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
			client := &http.Client{Transport: tr}
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				req, _ := http.NewRequest("GET", ts.URL+"/deklaracje/2021-stanowisko-afganistan", nil)
				if enc != "" {
					req.Header.Set("Accept-Encoding", enc)
				}
				for pb.Next() {
					res, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			})
		})
	}
}
