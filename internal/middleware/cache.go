// Package middleware holds the site's page cache: an http middleware that
// answers GET and HEAD requests from responses rendered once per content
// version and schedule period, with their gzip and brotli encodings, strong
// ETags (304 on a match) and, past a size, their bodies on disk.
//
// It owns the cache's rules: what is kept (a 200 written whole, with no
// cookie and no no-store), how it is keyed (the path and the query
// parameters the handler declared with Params, nothing else), when it is
// emptied (a new content version gets a new Cache; a scheduled publish or
// expiry empties it, Cache.Period), which encoding a client gets (RFC 9110
// §12.5.3) and the files on disk. It must not know what a page is: it
// reads no store and renders nothing, and learns the content's schedule
// only through the function it is given (as pkgsite's internal/middleware
// knows nothing of its frontend).
package middleware

import (
	"container/list"
	"slices"
	"strings"
	"sync"
	"time"
)

// cacheBytes bounds the memory a cache holds; the least recently used pages
// go first. Responses larger than SpillBytes are kept on disk (spool.go) and
// count here only for their bookkeeping.
const cacheBytes = 48 << 20

// NextFunc returns when the schedule of the content next changes what is
// visible (a publish or expiry time); zero for never. An error keeps
// nothing cached until it is answered.
type NextFunc func() (time.Time, error)

// Cache is the page cache of one content version: its responses, the
// query parameters each path reads, and its schedule period. Its methods
// may be called concurrently. The zero Cache is not usable: see NewCache.
type Cache struct {
	mu      sync.Mutex
	entries map[string]*list.Element // of *cached
	lru     *list.List               // front: most recently used
	size    int
	until   time.Time // when the cache must be emptied; zero: never
	checked bool      // until has been computed
	flight  map[string]*flight
	// period counts the times refresh emptied the cache. A render begun
	// in an earlier period read what was visible before a scheduled
	// change: it is not kept.
	period uint64
	// params holds, for each path answered 200, the query parameters its
	// handler reads: its responses are keyed by them and by nothing else.
	params map[string][]string
	// files is where responses too large for memory are kept.
	files *Spool
}

// flight is a render in progress, which other requests for the same page
// wait for instead of rendering it again.
type flight struct {
	done   chan struct{}
	c      *cached
	period uint64 // the cache's period when the render began
}

// NewCache returns an empty cache keeping its large responses in files (nil:
// none are kept; they are served as rendered).
func NewCache(files *Spool) *Cache {
	return &Cache{entries: map[string]*list.Element{}, lru: list.New(), flight: map[string]*flight{}, files: files}
}

// Period returns the cache's schedule period at now: a number that grows
// each time the cache is emptied because the schedule changed what is
// visible (next tells when it next does). Values derived from the content
// in one period (a menu, a count) are valid until Period returns another.
func (pc *Cache) Period(now time.Time, next NextFunc) uint64 {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.refresh(now, next)
	return pc.period
}

// Size returns the bytes of memory the cache holds.
func (pc *Cache) Size() int {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.size
}

// Keys returns the keys of the responses kept that start with prefix,
// sorted: a path, then "?" and the parameters it read.
func (pc *Cache) Keys(prefix string) []string {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	var out []string
	for k := range pc.entries {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// refresh empties the cache when the schedule has changed what is
// visible since it was filled. pc.mu must be held.
func (pc *Cache) refresh(now time.Time, next NextFunc) {
	if !pc.checked || (!pc.until.IsZero() && !now.Before(pc.until)) {
		for _, e := range pc.entries {
			e.Value.(*cached).drop()
		}
		pc.entries, pc.lru, pc.size = map[string]*list.Element{}, list.New(), 0
		pc.params = map[string][]string{}
		// Renders still running finish for the requests waiting on them;
		// later requests start their own.
		pc.flight = map[string]*flight{}
		pc.period++
		until, err := next()
		// When the schedule cannot be read, a page kept could outlive a
		// publish or expiry time: the next request checks again (and
		// empties the cache), until it is answered.
		pc.until, pc.checked = until, err == nil
	}
}

// get returns the cached response of key; if there is none, and no render
// of it is running, it returns a flight the caller must finish with put.
func (pc *Cache) get(key string, now time.Time, next NextFunc) (*cached, *flight) {
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
	f := &flight{done: make(chan struct{}), period: pc.period}
	pc.flight[key] = f
	pc.mu.Unlock()
	return nil, f
}

// put ends a flight: c (nil if the response is not to be kept) goes to the
// cache and to the requests that waited.
func (pc *Cache) put(key string, f *flight, c *cached) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.flight[key] == f {
		delete(pc.flight, key)
	}
	f.c = c
	close(f.done)
	if c == nil || c.size > cacheBytes/4 || f.period != pc.period {
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
func (pc *Cache) learned(path string) ([]string, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	p, ok := pc.params[path]
	return p, ok
}

// learn remembers the parameters the page at path reads.
func (pc *Cache) learn(path string, params []string) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.params == nil || len(pc.params) >= maxLearned {
		pc.params = map[string][]string{}
	}
	pc.params[path] = params
}
