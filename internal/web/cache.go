package web

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
)

// The rendered-page cache. A page is rendered once per content version and
// kept with its gzip and brotli encodings and a strong ETag; every later
// request for it is answered from memory (or, for a response larger than
// spillBytes, from a file on disk), and a conditional request with a
// matching ETag gets 304. Each snapshot (content version) has its own cache,
// so a reload swaps the cache with the content. Pages whose visibility
// depends on the time (publish, expires) stay true because the cache is
// emptied at the next such moment (store.NextChange).

// cacheBytes bounds the memory a cache holds; the least recently used pages
// go first. Responses larger than spillBytes are kept on disk (spool.go) and
// count here only for their bookkeeping.
const cacheBytes = 48 << 20

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
	// params holds, for each content page path answered 200, the query
	// parameters its handler reads: its responses are keyed by them and
	// by nothing else (see cachekey.go).
	params map[string][]string
	// totals holds list totals (a count over a whole table), counted once
	// per content version and schedule period.
	totals map[string]int
	// files is where responses too large for memory are kept: a folder of
	// the snapshot's, made on first use and removed with the snapshot.
	files *spoolDir
}

// frame is what every page of a language shows around its content: the
// menu, the footer and the section pages (home, search, lists…), read
// once per content version and schedule period instead of on every
// render (seven queries).
type frame struct {
	menu, footer []store.Link
	sections     map[content.Layout]store.Link // by layout; a missing section is absent
}

// flight is a render in progress, which other requests for the same page
// wait for instead of rendering it again.
type flight struct {
	done chan struct{}
	c    *cached
	gen  uint64 // the cache's generation when the render began
}

func newPageCache(files *spoolDir) *pageCache {
	return &pageCache{entries: map[string]*list.Element{}, lru: list.New(), flight: map[string]*flight{}, files: files}
}

// refresh empties the cache when the schedule has changed what is
// visible since it was filled. pc.mu must be held.
func (pc *pageCache) refresh(now time.Time, next func() (time.Time, error)) {
	if !pc.checked || (!pc.until.IsZero() && !now.Before(pc.until)) {
		for _, e := range pc.entries {
			e.Value.(*cached).drop()
		}
		pc.entries, pc.lru, pc.size = map[string]*list.Element{}, list.New(), 0
		pc.frames = map[string]*frame{}
		pc.params, pc.totals = map[string][]string{}, map[string]int{}
		// Renders still running finish for the requests waiting on them;
		// later requests start their own.
		pc.flight = map[string]*flight{}
		pc.gen++
		until, err := next()
		// When the schedule cannot be read, a page kept could outlive a
		// publish or expiry time: the next request checks again (and
		// empties the cache), until the store answers.
		pc.until, pc.checked = until, err == nil
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
		return // (a file of c stays until the snapshot's folder goes)
	}
	if e, ok := pc.entries[key]; ok {
		old := e.Value.(*cached)
		pc.size -= old.size
		pc.lru.Remove(e)
		old.drop()
	}
	pc.entries[key] = pc.lru.PushFront(c)
	pc.size += c.size
	for pc.size > cacheBytes {
		last := pc.lru.Back()
		old := last.Value.(*cached)
		pc.lru.Remove(last)
		delete(pc.entries, old.key)
		pc.size -= old.size
		old.drop()
	}
}

// maxLearned bounds the paths whose parameters a cache remembers; past it,
// it forgets them all and learns again (each is one render away).
const maxLearned = 100000

// learned returns the query parameters the page at path reads, if it has
// been answered (200) before.
func (pc *pageCache) learned(path string) ([]string, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	p, ok := pc.params[path]
	return p, ok
}

// learn remembers the parameters the page at path reads.
func (pc *pageCache) learn(path string, params []string) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.params == nil || len(pc.params) >= maxLearned {
		pc.params = map[string][]string{}
	}
	pc.params[path] = params
}

// knownTotal returns the count kept under key, if there is one, and the
// cache's generation, for keepTotal.
func (pc *pageCache) knownTotal(key string) (int, bool, uint64) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	n, ok := pc.totals[key]
	return n, ok, pc.gen
}

// keepTotal keeps a count made in generation gen under key, until the next
// schedule change (a count made before one is not kept after it).
func (pc *pageCache) keepTotal(key string, n int, gen uint64) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.gen != gen {
		return
	}
	if pc.totals == nil || len(pc.totals) >= maxLearned {
		pc.totals = map[string]int{}
	}
	pc.totals[key] = n
}

// nextChange returns the function that finds when sn's schedule next
// changes what is visible.
func (s *Server) nextChange(r *http.Request, sn *snapshot) func() (time.Time, error) {
	return func() (time.Time, error) {
		t, err := sn.store.NextChange(context.WithoutCancel(r.Context()), s.cfg.Now())
		if err != nil {
			s.log.Error("page cache: the schedule cannot be read; no page is kept until it can", slog.Any("err", err))
		}
		return t, err
	}
}

// frameOf returns the frame of lang for the request's snapshot.
func (s *Server) frameOf(r *http.Request, lang string) (*frame, error) {
	sn, now := snap(r), s.cfg.Now()
	return sn.cache.frame(lang, now, s.nextChange(r, sn), func() (*frame, error) {
		ctx, vis, db := context.WithoutCancel(r.Context()), store.Visibility{Now: now, Drafts: s.cfg.Dev}, sn.store
		f := &frame{sections: map[content.Layout]store.Link{}}
		var err error
		if f.menu, err = db.Menu(ctx, lang, vis); err != nil {
			return nil, err
		}
		if f.footer, err = db.Footer(ctx, lang, vis); err != nil {
			return nil, err
		}
		for _, layout := range []content.Layout{content.LayoutHome, content.LayoutSearch, content.LayoutAccessibility,
			content.LayoutBodies, content.LayoutMeetings, content.LayoutDeclarations} {
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
func (f *frame) section(layout content.Layout, lang string) (store.Link, error) {
	l, ok := f.sections[layout]
	if !ok {
		return store.Link{}, fmt.Errorf("section %s in %s: %w", layout, lang, store.ErrNotFound)
	}
	return l, nil
}
