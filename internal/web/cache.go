package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/krakow/wspolpraca/internal/store"
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

// cached is a response kept in the cache, with everything its headers
// need made once: a hit only copies slices.
type cached struct {
	key      string
	header   headerList // Content-Type, Content-Disposition, Cache-Control…
	identity variant
	gz, br   *variant // nil when the encoding is not smaller
	etag     string   // of the identity body; -gz and -br for the encodings
	size     int
}

// variant is one encoding of a cached body with its header values.
type variant struct {
	body     []byte
	etag     []string // quoted
	length   []string
	encoding []string // nil for identity
}

func newVariant(body []byte, etag, encoding string) variant {
	v := variant{body: body, etag: []string{`"` + etag + `"`}, length: []string{strconv.Itoa(len(body))}}
	if encoding != "" {
		v.encoding = []string{encoding}
	}
	return v
}

var varyEncoding = []string{"Accept-Encoding"}

type pageCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element // of *cached
	lru     *list.List               // front: most recently used
	size    int
	until   time.Time // when the cache must be emptied; zero: never
	checked bool      // until has been computed
	flight  map[string]*flight
	frames  map[string]*frame // by language
	// gen counts the times refresh emptied the cache. A render or a
	// frame begun in an earlier generation read what was visible before
	// a scheduled change: it is not kept.
	gen uint64
}

// frame is what every page of a language shows around its content: the
// menu, the footer and the section pages (home, search, lists…), read
// once per content version and schedule period instead of on every
// render (seven queries).
type frame struct {
	menu, footer []store.Link
	sections     map[string]store.Link // by layout; a missing section is absent
}

// flight is a render in progress, which other requests for the same page
// wait for instead of rendering it again.
type flight struct {
	done chan struct{}
	c    *cached
	gen  uint64 // the cache's generation when the render began
}

func newPageCache() *pageCache {
	return &pageCache{entries: map[string]*list.Element{}, lru: list.New(), flight: map[string]*flight{}}
}

// refresh empties the cache when the schedule has changed what is
// visible since it was filled. pc.mu must be held.
func (pc *pageCache) refresh(now time.Time, next func() (time.Time, error)) {
	if !pc.checked || (!pc.until.IsZero() && !now.Before(pc.until)) {
		pc.entries, pc.lru, pc.size = map[string]*list.Element{}, list.New(), 0
		pc.frames = map[string]*frame{}
		// Renders still running finish for the requests waiting on them;
		// later requests start their own.
		pc.flight = map[string]*flight{}
		pc.gen++
		pc.until, _ = next() // on error, zero: the cache is emptied only by a reload
		pc.checked = true
	}
}

// frame returns the frame of lang, building it on first use.
func (pc *pageCache) frame(lang string, now time.Time, next func() (time.Time, error), build func() (*frame, error)) (*frame, error) {
	pc.mu.Lock()
	pc.refresh(now, next)
	f, gen := pc.frames[lang], pc.gen
	pc.mu.Unlock()
	if f != nil {
		return f, nil
	}
	f, err := build()
	if err != nil {
		return nil, err
	}
	pc.mu.Lock()
	if pc.gen == gen {
		pc.frames[lang] = f
	}
	pc.mu.Unlock()
	return f, nil
}

// get returns the cached response of key; if there is none, and no render
// of it is running, it returns a flight the caller must finish with put.
func (pc *pageCache) get(key string, now time.Time, next func() (time.Time, error)) (*cached, *flight) {
	pc.mu.Lock()
	pc.refresh(now, next)
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
	f := &flight{done: make(chan struct{}), gen: pc.gen}
	pc.flight[key] = f
	pc.mu.Unlock()
	return nil, f
}

// put ends a flight: c (nil if the response is not to be kept) goes to the
// cache and to the requests that waited.
func (pc *pageCache) put(key string, f *flight, c *cached) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.flight[key] == f {
		delete(pc.flight, key)
	}
	f.c = c
	close(f.done)
	if c == nil || c.size > cacheBytes/4 || f.gen != pc.gen {
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

// nextChange returns the function that finds when sn's schedule next
// changes what is visible.
func (s *Server) nextChange(r *http.Request, sn *snapshot) func() (time.Time, error) {
	return func() (time.Time, error) {
		return sn.store.NextChange(context.WithoutCancel(r.Context()), s.cfg.Now())
	}
}

// frameOf returns the frame of lang for the request's snapshot.
func (s *Server) frameOf(r *http.Request, lang string) (*frame, error) {
	sn, now := snap(r), s.cfg.Now()
	return sn.cache.frame(lang, now, s.nextChange(r, sn), func() (*frame, error) {
		ctx, vis, db := context.WithoutCancel(r.Context()), store.Visibility{Now: now, Drafts: s.cfg.Dev}, sn.store
		f := &frame{sections: map[string]store.Link{}}
		var err error
		if f.menu, err = db.Menu(ctx, lang, vis); err != nil {
			return nil, err
		}
		if f.footer, err = db.Footer(ctx, lang, vis); err != nil {
			return nil, err
		}
		for _, layout := range []string{"home", "search", "accessibility", "bodies", "meetings", "declarations"} {
			l, err := db.Section(ctx, layout, lang, vis)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			f.sections[layout] = l
		}
		return f, nil
	})
}

// section returns the section page of layout in the frame, or an error
// that answers 404 (the content check requires the sections pages link
// to, so a missing one is a page of a language without it).
func (f *frame) section(layout, lang string) (store.Link, error) {
	l, ok := f.sections[layout]
	if !ok {
		return store.Link{}, fmt.Errorf("section %s in %s: %w", layout, lang, store.ErrNotFound)
	}
	return l, nil
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
// or HEAD, not the preview, and no query string the site reads (so the
// cache cannot be filled with endless variants of one page). A query the
// site does not read (utm_source, fbclid: every click on a shared link
// carries a new one) is dropped: the page is the same without it.
func (s *Server) cacheable(r *http.Request) bool {
	return !s.cfg.Dev && (r.Method == http.MethodGet || r.Method == http.MethodHead) && !readsQuery(r.URL.RawQuery)
}

// siteParams are the query parameters some page reads: the page number of
// lists and the search form's, in both languages.
var siteParams = func() map[string]bool {
	m := map[string]bool{}
	for _, lang := range []string{"pl", "en"} {
		m[pageParamName(lang)] = true
		p := searchParams[lang]
		for _, name := range []string{p.Query, p.Type, p.Body, p.Year, p.Lang, p.Page, p.All} {
			m[name] = true
		}
	}
	return m
}()

// readsQuery reports whether a raw query string holds a parameter the site
// reads (or one it cannot parse, to be safe).
func readsQuery(raw string) bool {
	if raw == "" {
		return false
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		return true
	}
	for name := range v {
		if siteParams[name] {
			return true
		}
	}
	return false
}

// cachePages answers from the snapshot's page cache, rendering a page on
// its first request and keeping it if it is a 200 meant to be shared.
func (s *Server) cachePages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.cacheable(r) {
			next.ServeHTTP(w, r)
			return
		}
		sn := snap(r)
		key := r.URL.Path
		c, f := sn.cache.get(key, s.cfg.Now(), s.nextChange(r, sn))
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
			rr.URL.RawQuery, rr.Form = "", nil // unread parameters: the page without them
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
			r.URL.RawQuery = ""
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
	etag := base64.RawURLEncoding.EncodeToString(sum[:12])
	header := rec.header.Clone()
	header.Del("Content-Length")
	if header.Get("Cache-Control") == "" {
		// Shared caches (a CDN) may keep a page five minutes; after that
		// they revalidate with the ETag.
		header.Set("Cache-Control", "public, max-age=300")
	}
	c := &cached{key: key, header: newHeaderList(header), etag: etag, identity: newVariant(body, etag, "")}
	c.size = len(key) + len(body) + 512
	if compressible(c.header.get("Content-Type")) && len(body) > 256 {
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		var br bytes.Buffer
		// Level 6: on a 13.6 KB declaration page, 1.7 ms for 3686 bytes;
		// level 11 takes 46 ms for 3385 (site export, offline, uses 11).
		bw := brotli.NewWriterLevel(&br, 6)
		bw.Write(body)
		bw.Close()
		if gz.Len() < len(body) {
			v := newVariant(gz.Bytes(), etag+"-gz", "gzip")
			c.gz = &v
			c.size += gz.Len()
		}
		if br.Len() < len(body) {
			v := newVariant(br.Bytes(), etag+"-br", "br")
			c.br = &v
			c.size += br.Len()
		}
	}
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
	c.header.set(h)
	v := &c.identity
	if c.gz != nil || c.br != nil {
		h["Vary"] = varyEncoding
		if accepts := r.Header.Get("Accept-Encoding"); accepts != "" {
			switch {
			case c.br != nil && acceptsEncoding(accepts, "br"):
				v = c.br
			case c.gz != nil && acceptsEncoding(accepts, "gzip"):
				v = c.gz
			}
		}
	}
	h["Etag"] = v.etag
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, c.etag) {
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if v.encoding != nil {
		h["Content-Encoding"] = v.encoding
	}
	h["Content-Length"] = v.length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(v.body)
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
