// Package web serves the site: an http.Handler that reads records from a
// read-only store and renders them with the templates package.
//
// It owns the routes (routes.go), the handlers, the open-data formats
// (JSON, CSV, Atom, iCalendar, citations, DCAT-AP), the response headers
// and the reloads that swap one content version for the next. The page
// cache is internal/middleware's, addresses internal/urls', words the
// catalogues'. It must not write the database or read content files: it
// serves a store that Import wrote, and leaves data work to the store.
package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"

	"github.com/krakow/wspolpraca/internal/middleware"
	"github.com/krakow/wspolpraca/internal/store"
)

// Config is what the Server needs from its caller.
type Config struct {
	// BaseURL is the site's public address, for canonical links, the
	// sitemap and feeds: "https://example.org", no trailing slash.
	BaseURL string
	// Assets holds static/: css/, img/, favicon.ico.
	Assets fs.FS
	// Logger receives errors, and request logs when AccessLog is nil.
	Logger *slog.Logger
	// AccessLog, if set, receives a line per request in the same logfmt
	// as Logger's text handler, formatted without slog (four times as
	// cheap, which matters at tens of thousands of requests a second).
	// Writes must be safe for concurrent use.
	AccessLog io.Writer
	// Now tells the time; tests inject a clock. Defaults to time.Now.
	Now func() time.Time
	// Dev shows drafts (with a banner) and enables the preview's reload.
	Dev bool
	// NoPageCache renders every response anew (the preview does too):
	// for benchmarks of the render itself.
	NoPageCache bool
	// SearchLimit is how many searches a minute one client may make.
	// Defaults to 60.
	SearchLimit int
	// Searches is how many searches may run at once; more get 503 at
	// once. Defaults to two per core: a search holds a core for a few
	// milliseconds (at most store.SearchTimeout).
	Searches int
	// SitemapURLs is the most URLs a sitemap file lists before the
	// sitemap becomes an index of parts; 0 means sitemapURLs (tests set
	// it small).
	SitemapURLs int
	// CacheDir is where responses too large to keep in memory (the
	// whole-dataset files) are kept on disk, in a folder of the server's
	// own removed by Close. Default: the system's temporary folder.
	CacheDir string
	// ClientIPHeader names the request header in which the proxy in front
	// of the server puts the client's address ("X-Real-IP",
	// "X-Forwarded-For", "CF-Connecting-IP"); the last address in it is
	// the client's, for the search limit. Empty: the connection's address.
	// Set it only behind a proxy that sets the header, or any client can
	// claim any address.
	ClientIPHeader string
}

// Server is the site as an http.Handler.
type Server struct {
	cfg     Config
	log     *slog.Logger
	assets  atomic.Pointer[assets]
	snap    atomic.Pointer[snapshot]
	handler http.Handler
	mux     *chi.Mux // the router, whose routes handlePage asks about (answers)
	reload  reloadState
	// cacheRoot is the folder of the responses too large to cache in
	// memory, one subfolder per snapshot; removed by Close.
	cacheRoot string
	pages     *middleware.PageCache // the page cache of each snapshot (snapshot.cache)
	bootID    string                // tells the preview's browser tabs that the program restarted

	searchLimit *httprate.RateLimiter
	builds      chan struct{} // see heavy
	searches    chan struct{} // see searchSlot
}

// snapshot is one version of the site's content: its store, kept open while
// any request uses it. Reloads swap in a new snapshot; the old one closes
// when its last request is done.
type snapshot struct {
	store  *store.Store
	words  *words             // its languages and their interface words
	cache  *middleware.Cache  // pages rendered from store
	files  *middleware.Spool  // the cache's files on disk
	nav    periodMemo[*frame] // each language's frame (nav.go)
	totals periodMemo[int]    // list totals (listTotal)
	mu     sync.RWMutex       // held for reading by each request that uses store
	closed bool
}

// New returns a Server reading st. The Server owns st from now on.
func New(cfg Config, st *store.Store) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	a, err := newAssets(cfg.Assets)
	if err != nil {
		return nil, err
	}
	if cfg.SearchLimit <= 0 {
		cfg.SearchLimit = 60
	}
	if cfg.Searches <= 0 {
		cfg.Searches = 2 * runtime.GOMAXPROCS(0)
	}
	root, err := middleware.Folder(cfg.CacheDir)
	if err != nil {
		return nil, fmt.Errorf("web: cache folder: %w", err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, bootID: strconv.FormatInt(time.Now().UnixNano(), 36), searchLimit: newSearchLimiter(cfg.SearchLimit), cacheRoot: root, builds: make(chan struct{}, heavyBuilds),
		searches: make(chan struct{}, cfg.Searches)}
	s.assets.Store(a)
	s.pages = &middleware.PageCache{
		Cache:      func(r *http.Request) *middleware.Cache { return snap(r).cache },
		Bypass:     func(*http.Request) bool { return cfg.Dev || cfg.NoPageCache },
		Now:        cfg.Now,
		NextChange: s.nextChange,
	}
	s.snap.Store(s.newSnapshot(st))
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Swap makes st the store every new request reads; requests already
// running finish with the store they started with, which is closed after
// them.
func (s *Server) Swap(st *store.Store) {
	old := s.snap.Swap(s.newSnapshot(st))
	go old.retire()
}

func (s *Server) newSnapshot(st *store.Store) *snapshot {
	files := middleware.NewSpool(s.cacheRoot)
	return &snapshot{store: st, words: newWords(st), files: files, cache: middleware.NewCache(files)}
}

// ReloadAssets reads the static files again (the preview does, when they
// change on disk).
func (s *Server) ReloadAssets() error {
	a, err := newAssets(s.cfg.Assets)
	if err != nil {
		return err
	}
	s.assets.Store(a)
	s.notify()
	return nil
}

// errClosed is the error of a reload after Close.
var errClosed = errors.New("the server is closed")

// Close waits for a reload in progress, stops any later one, and closes the
// current store. (A reload that finished after Close would swap in a store
// that nobody closes, and leave its file behind.)
func (s *Server) Close() error {
	s.reload.running.Lock()
	s.reload.closed = true
	s.reload.running.Unlock()
	sn := s.snap.Load()
	sn.mu.Lock()
	defer sn.mu.Unlock()
	sn.closed = true
	defer os.RemoveAll(s.cacheRoot)
	return sn.store.Close()
}

// Version returns the content version being served.
func (s *Server) Version() string { return s.snap.Load().store.Version() }

func (sn *snapshot) retire() {
	sn.mu.Lock() // waits for the requests still reading
	defer sn.mu.Unlock()
	sn.closed = true
	sn.store.Close()
	sn.files.Remove()
}

// acquire returns the current snapshot, held until release.
func (s *Server) acquire() *snapshot {
	for {
		sn := s.snap.Load()
		sn.mu.RLock()
		if !sn.closed || s.snap.Load() == sn {
			return sn // a closed current store (after Close) fails its queries
		}
		sn.mu.RUnlock() // retired between Load and RLock: take the new one
	}
}

func (sn *snapshot) release() { sn.mu.RUnlock() }

type ctxKey int

// keyRequest holds the request's *requestInfo.
const keyRequest ctxKey = 0

// requestInfo is what the middleware learns about a request, kept in its
// context once (copying the request for each value costs on every hit).
//
// It is one allocation per request with what the middleware would
// otherwise allocate apiece: the X-Request-Id header's value and the
// access log's statusWriter.
type requestInfo struct {
	id   string
	snap *snapshot
	// gone: the client went away before its answer (logged as 499).
	gone bool
	// idHeader is the X-Request-Id header's value ([]string{id}).
	idHeader [1]string
	// status wraps the response for the access log (logRequests).
	status statusWriter
}

func info(r *http.Request) *requestInfo {
	ri, _ := r.Context().Value(keyRequest).(*requestInfo)
	if ri == nil {
		return &requestInfo{}
	}
	return ri
}

// snap returns the snapshot the request reads.
func snap(r *http.Request) *snapshot { return info(r).snap }

// st returns the store the request reads.
func st(r *http.Request) *store.Store { return snap(r).store }

// withSnapshot holds a snapshot for the whole request.
func (s *Server) withSnapshot(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sn := s.acquire()
		defer sn.release()
		ri, ok := r.Context().Value(keyRequest).(*requestInfo)
		if !ok {
			ri = &requestInfo{}
			r = r.WithContext(context.WithValue(r.Context(), keyRequest, ri))
		}
		ri.snap = sn
		defer func() { ri.snap = nil }() // released: outer handlers must not read it
		next.ServeHTTP(w, r)
	})
}

// vis is what documents a request may see, now.
func (s *Server) vis() store.Visibility {
	return store.Visibility{Now: s.cfg.Now(), Drafts: s.cfg.Dev}
}

// errAbort marks an error already answered: nothing more to write.
var errAbort = errors.New("response already written")
