package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// The rendered-page cache. A page is rendered once per content version and
// kept with its gzip and brotli encodings and a strong ETag; every later
// request for it is answered from memory, and a conditional request with a
// matching ETag gets 304. Each snapshot (content version) has its own cache,
// so a reload swaps the cache with the content. Pages whose visibility
// depends on the time (publish, expires) stay true because the cache is
// emptied at the next such moment (store.NextChange).

// cacheBytes bounds the memory a cache holds; the least recently used pages
// go first.
const cacheBytes = 48 << 20

// cached is a response kept in the cache.
type cached struct {
	key    string
	header http.Header // Content-Type, Content-Disposition, Cache-Control…
	body   []byte
	gz, br []byte
	etag   string // of the identity body; -gz and -br for the encodings
	size   int
}

type pageCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element // of *cached
	lru     *list.List               // front: most recently used
	size    int
	until   time.Time // when the cache must be emptied; zero: never
	checked bool      // until has been computed
	flight  map[string]*flight
}

// flight is a render in progress, which other requests for the same page
// wait for instead of rendering it again.
type flight struct {
	done chan struct{}
	c    *cached
}

func newPageCache() *pageCache {
	return &pageCache{entries: map[string]*list.Element{}, lru: list.New(), flight: map[string]*flight{}}
}

// get returns the cached response of key; if there is none, and no render
// of it is running, it returns a flight the caller must finish with put.
func (pc *pageCache) get(key string, now time.Time, next func() (time.Time, error)) (*cached, *flight) {
	pc.mu.Lock()
	if !pc.checked || (!pc.until.IsZero() && !now.Before(pc.until)) {
		pc.entries, pc.lru, pc.size = map[string]*list.Element{}, list.New(), 0
		pc.until, _ = next() // on error, zero: the cache is emptied only by a reload
		pc.checked = true
	}
	if e, ok := pc.entries[key]; ok {
		pc.lru.MoveToFront(e)
		pc.mu.Unlock()
		return e.Value.(*cached), nil
	}
	if f, ok := pc.flight[key]; ok {
		pc.mu.Unlock()
		<-f.done
		return f.c, nil
	}
	f := &flight{done: make(chan struct{})}
	pc.flight[key] = f
	pc.mu.Unlock()
	return nil, f
}

// put ends a flight: c (nil if the response is not to be kept) goes to the
// cache and to the requests that waited.
func (pc *pageCache) put(key string, f *flight, c *cached) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	delete(pc.flight, key)
	f.c = c
	close(f.done)
	if c == nil || c.size > cacheBytes/4 {
		return
	}
	if e, ok := pc.entries[key]; ok {
		pc.size -= e.Value.(*cached).size
		pc.lru.Remove(e)
	}
	pc.entries[key] = pc.lru.PushFront(c)
	pc.size += c.size
	for pc.size > cacheBytes {
		last := pc.lru.Back()
		old := last.Value.(*cached)
		pc.lru.Remove(last)
		delete(pc.entries, old.key)
		pc.size -= old.size
	}
}

// recorder captures a response to cache it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

// cacheable reports whether a request may be answered from the cache: GET
// or HEAD, no query string (so the cache cannot be filled with endless
// variants of one page), not the preview.
func (s *Server) cacheable(r *http.Request) bool {
	return !s.cfg.Dev && (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.RawQuery == ""
}

// cachePages answers from the snapshot's page cache, rendering a page on
// its first request and keeping it if it is a 200 meant to be shared.
func (s *Server) cachePages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.cacheable(r) {
			next.ServeHTTP(w, r)
			return
		}
		sn := r.Context().Value(keySnapshot).(*snapshot)
		key := r.URL.Path
		c, f := sn.cache.get(key, s.cfg.Now(), func() (time.Time, error) {
			return sn.store.NextChange(context.WithoutCancel(r.Context()), s.cfg.Now())
		})
		if f != nil {
			rec := &recorder{header: http.Header{}}
			// The render must finish for the requests waiting on it, even if
			// this one's client has gone.
			defer func() {
				if c == nil {
					sn.cache.put(key, f, nil)
				}
			}()
			rr := r.Clone(context.WithoutCancel(r.Context()))
			rr.Method = http.MethodGet
			next.ServeHTTP(rec, rr)
			if rec.status != http.StatusOK || rec.header.Get("Set-Cookie") != "" || strings.Contains(rec.header.Get("Cache-Control"), "no-store") {
				copyResponse(w, r, rec)
				return
			}
			c = newCached(key, rec)
			sn.cache.put(key, f, c)
		}
		if c == nil {
			// The render this request waited for was not cacheable: render again.
			next.ServeHTTP(w, r)
			return
		}
		serveCached(w, r, c)
	})
}

func copyResponse(w http.ResponseWriter, r *http.Request, rec *recorder) {
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	if r.Method != http.MethodHead {
		w.Write(rec.body.Bytes())
	}
}

// newCached keeps a response with its encodings and ETag.
func newCached(key string, rec *recorder) *cached {
	body := bytes.Clone(rec.body.Bytes())
	sum := sha256.Sum256(body)
	c := &cached{key: key, header: rec.header.Clone(), body: body, etag: base64.RawURLEncoding.EncodeToString(sum[:12])}
	c.header.Del("Content-Length")
	if c.header.Get("Cache-Control") == "" {
		// Shared caches (a CDN) may keep a page five minutes; after that
		// they revalidate with the ETag.
		c.header.Set("Cache-Control", "public, max-age=300")
	}
	if compressible(c.header.Get("Content-Type")) && len(body) > 256 {
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		var br bytes.Buffer
		bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
		bw.Write(body)
		bw.Close()
		if gz.Len() < len(body) {
			c.gz = gz.Bytes()
		}
		if br.Len() < len(body) {
			c.br = br.Bytes()
		}
	}
	c.size = len(key) + len(body) + len(c.gz) + len(c.br) + 512
	return c
}

func compressible(contentType string) bool {
	for _, t := range []string{"text/", "application/json", "application/xml", "application/atom+xml", "image/svg+xml", "application/x-", "application/vnd."} {
		if strings.HasPrefix(contentType, t) {
			return true
		}
	}
	return false
}

// serveCached writes a cached response in the best encoding the client
// accepts, or 304 when its copy is current.
func serveCached(w http.ResponseWriter, r *http.Request, c *cached) {
	h := w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	body, etag := c.body, c.etag
	if c.gz != nil || c.br != nil {
		h.Set("Vary", "Accept-Encoding")
		switch accepts := r.Header.Get("Accept-Encoding"); {
		case c.br != nil && acceptsEncoding(accepts, "br"):
			body, etag = c.br, c.etag+"-br"
			h.Set("Content-Encoding", "br")
		case c.gz != nil && acceptsEncoding(accepts, "gzip"):
			body, etag = c.gz, c.etag+"-gz"
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", `"`+etag+`"`)
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, c.etag) {
		h.Del("Content-Encoding")
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// acceptsEncoding reports whether an Accept-Encoding header accepts enc
// (and does not refuse it with q=0).
func acceptsEncoding(header, enc string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), enc) {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// etagMatches reports whether If-None-Match names any encoding of the page
// whose identity ETag is etag.
func etagMatches(header, etag string) bool {
	if strings.TrimSpace(header) == "*" {
		return true
	}
	for part := range strings.SplitSeq(header, ",") {
		tag := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		tag = strings.Trim(tag, `"`)
		if tag == etag || tag == etag+"-gz" || tag == etag+"-br" {
			return true
		}
	}
	return false
}
