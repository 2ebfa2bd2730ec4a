package middleware

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Cache keys. A cached response is keyed by its path and the query
// parameters its handler reads, and by nothing else: a parameter a page
// does not read (utm_source, fbclid, or ?q= on a declaration) is dropped
// before the page is rendered or looked up, so no parameter can bypass the
// cache of a page that ignores it, nor fill the cache with copies of it.
//
// A route opts in to the cache and says what its key is:
//
//   - PageCache.Path: the key is the path; the handler sees no query.
//   - PageCache.Declared: the key is the path and the parameters the
//     handler declared with Params when the path first answered 200 in the
//     cache's current period (a list reads its page number, the search
//     page its form, a declaration nothing).
//
// A response kept in the cache was rendered with only the parameters in
// its key: a handler that reads the query any other way than Params finds
// it empty in every response that is kept (the first render of a path,
// which learns what it reads, is kept only if the request had nothing
// else), and its tests say so. A route wrapped in neither is never cached.

// paramsKey holds, in a request's context, where Params records the
// parameters its handler reads.
type paramsKey struct{}

// Params declares that the handler of r reads the query parameters names,
// and returns their values (only theirs). Handlers behind PageCache read
// the query only through it.
func Params(r *http.Request, names ...string) url.Values {
	if slot, ok := r.Context().Value(paramsKey{}).(*[]string); ok {
		*slot = slices.Clone(names)
	}
	all, _ := url.ParseQuery(r.URL.RawQuery)
	out := url.Values{}
	for _, n := range names {
		if v, ok := all[n]; ok {
			out[n] = v
		}
	}
	return out
}

// keyQuery is the query string of r reduced to the parameters names, in
// their order, first values only: "" when it has none of them.
func keyQuery(r *http.Request, names []string) string {
	if len(names) == 0 || r.URL.RawQuery == "" {
		return ""
	}
	all, _ := url.ParseQuery(r.URL.RawQuery)
	var b strings.Builder
	for _, n := range names {
		if v, ok := all[n]; ok {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(n) + "=" + url.QueryEscape(v[0]))
		}
	}
	return b.String()
}

// record renders r with next into a recorder, as a GET whatever r's method
// (a HEAD is answered from it), in ctx: a render outlives its client, for
// the requests waiting on it.
func (pc *Cache) record(ctx context.Context, next http.Handler, r *http.Request) *recorder {
	rec := newRecorder(pc.files)
	rr := r.Clone(ctx)
	rr.Method = http.MethodGet
	next.ServeHTTP(rec, rr)
	rec.close()
	return rec
}

// cacheKey returns the key of r's response when its handler reads the
// parameters names: the path, and "?" and the query reduced to them
// (keyQuery), which it returns too.
func cacheKey(r *http.Request, names []string) (key, query string) {
	query = keyQuery(r, names)
	if query == "" {
		return r.URL.Path, ""
	}
	return r.URL.Path + "?" + query, query
}

// PageCache answers requests from the Cache of their content version.
type PageCache struct {
	// Cache returns the cache of the content version r reads.
	Cache func(r *http.Request) *Cache
	// Bypass reports whether r must be rendered anew (the preview); GET
	// and HEAD requests are cached otherwise, and no other method is.
	Bypass func(r *http.Request) bool
	// Now is the time (time.Now when nil).
	Now func() time.Time
	// NextChange returns when the schedule of the content r reads next
	// changes what is visible: zero for never.
	NextChange func(r *http.Request) (time.Time, error)
}

func (m *PageCache) now() time.Time {
	if m.Now == nil {
		return time.Now()
	}
	return m.Now()
}

func (m *PageCache) next(r *http.Request) NextFunc {
	return func() (time.Time, error) { return m.NextChange(r) }
}

// cacheable reports whether r may be answered from the cache: a GET or
// HEAD not bypassed, of an address written without needless escapes. The
// cache is keyed by the decoded path, so "/dekl%61racje" would be answered
// as "/deklaracje" is; the handler answers it instead (a redirect to the
// address as the site writes it, or 404 for an escaped slash).
func (m *PageCache) cacheable(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.RawPath == "" && (m.Bypass == nil || !m.Bypass(r))
}

// Period returns the schedule period of the cache of r's content version
// (Cache.Period).
func (m *PageCache) Period(r *http.Request) uint64 {
	return m.Cache(r).Period(m.now(), m.next(r))
}

// Path caches the responses of a route that reads no query parameter, by
// path.
func (m *PageCache) Path(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !m.cacheable(r) {
			r.URL.RawQuery = ""
			next.ServeHTTP(w, r)
			return
		}
		m.serveKeyed(w, r, nil, next)
	})
}

// Declared caches the responses of a route by path and the parameters its
// handler declares with Params.
func (m *PageCache) Declared(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !m.cacheable(r) {
			next.ServeHTTP(w, r)
			return
		}
		pc := m.Cache(r)
		if names, ok := pc.learned(r.URL.Path); ok {
			m.serveKeyed(w, r, names, next)
			return
		}
		// The first 200 of this path: rendered with the query as it is,
		// to learn what the page reads. (Paths that answer anything else,
		// or nothing, are not remembered: a wrong address costs a render
		// each time, as it should.)
		period := pc.Period(m.now(), m.next(r)) // the render's: kept only if it is still current
		var names []string
		rec := pc.record(context.WithValue(context.WithoutCancel(r.Context()), paramsKey{}, &names), next, r)
		if !rec.keep() {
			rec.copyTo(w, r)
			return
		}
		key, q := cacheKey(r, names)
		pc.learn(r.URL.Path, names)
		if q != r.URL.RawQuery {
			// The render saw parameters beyond its key (or written
			// otherwise): it answers this request alone, and the next
			// renders with only what the key holds, so that nothing the
			// handler read outside Params is ever kept.
			rec.copyTo(w, r)
			return
		}
		c, err := newCached(key, rec)
		if err != nil {
			rec.copyTo(w, r)
			return
		}
		// (get first: on the cache's first use, or at a scheduled change,
		// it empties the cache, and what was learned with it.)
		if _, f := pc.get(key, m.now(), m.next(r)); f != nil {
			if f.period != period {
				// A scheduled change came during the render: what it
				// read may be out of date. It answers this request
				// alone; the next renders again.
				pc.put(key, f, nil)
				defer c.drop()
			} else {
				pc.put(key, f, c)
			}
		} else {
			defer c.drop() // another request cached it meanwhile
		}
		pc.learn(r.URL.Path, names) // (again, if get emptied the cache)
		if !serveCached(w, r, c) {
			rec.copyTo(w, r)
		}
	})
}

// serveKeyed answers r from the cache under its path and the parameters
// names, rendering it (once, however many ask at the same moment) on the
// first request.
func (m *PageCache) serveKeyed(w http.ResponseWriter, r *http.Request, names []string, next http.Handler) {
	pc := m.Cache(r)
	key, q := cacheKey(r, names)
	// The handler sees only what it reads.
	r.URL.RawQuery = q
	c, f := pc.get(key, m.now(), m.next(r))
	if f != nil {
		// The render must finish for the requests waiting on it, even if
		// this one's client has gone.
		defer func() {
			if c == nil {
				pc.put(key, f, nil)
			}
		}()
		rec := pc.record(context.WithoutCancel(r.Context()), next, r)
		if !rec.keep() {
			rec.copyTo(w, r)
			return
		}
		var err error
		if c, err = newCached(key, rec); err != nil {
			rec.copyTo(w, r)
			return
		}
		pc.put(key, f, c)
	}
	if c == nil || !serveCached(w, r, c) {
		// The render this request waited for was not cacheable, or its
		// file is gone: render again.
		next.ServeHTTP(w, r)
	}
}
