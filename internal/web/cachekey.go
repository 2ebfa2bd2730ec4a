package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Cache keys. A cached response is keyed by its path and the query
// parameters its handler reads, and by nothing else: a parameter a page
// does not read (utm_source, fbclid, or ?q= on a declaration) is dropped
// before the page is rendered or looked up, so no parameter can bypass the
// cache of a page that ignores it, nor fill the cache with copies of it.
//
// Handlers read the query only through params, which declares what they
// read. Routes that read nothing are wrapped in cacheRoute (key: the path).
// Content pages, whose parameters depend on their layout (a list reads its
// page number, the search page its form), are wrapped in cachePages: the
// first 200 of a path in a content version tells what it reads, and every
// later request is keyed by that.

// params declares that the handler of r reads the query parameters names,
// and returns their values (only theirs). It is the only way handlers read
// the query.
func params(r *http.Request, names ...string) url.Values {
	if ri := info(r); ri != nil {
		ri.params = append(ri.params[:0:0], names...)
	}
	all, _ := url.ParseQuery(r.URL.RawQuery) // limitURLs refused what does not parse
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

// cacheable reports whether a request may be answered from the cache: GET
// or HEAD, and not the preview.
func (s *Server) cacheable(r *http.Request) bool {
	return !s.cfg.Dev && (r.Method == http.MethodGet || r.Method == http.MethodHead)
}

// cacheRoute caches the responses of a route that reads no query
// parameter, by path.
func (s *Server) cacheRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.cacheable(r) {
			r.URL.RawQuery = ""
			next.ServeHTTP(w, r)
			return
		}
		s.serveKeyed(w, r, nil, next)
	})
}

// cachePages caches content pages, keyed by the parameters each reads.
func (s *Server) cachePages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.cacheable(r) {
			next.ServeHTTP(w, r)
			return
		}
		sn := snap(r)
		if names, ok := sn.cache.learned(r.URL.Path); ok {
			s.serveKeyed(w, r, names, next)
			return
		}
		// The first 200 of this path: rendered with the query as it is,
		// to learn what the page reads. (Paths that answer anything else,
		// or nothing, are not remembered: a wrong address costs a render
		// each time, as it should.)
		rec := newRecorder(sn.cache.files)
		rr := r.Clone(context.WithoutCancel(r.Context()))
		rr.Method = http.MethodGet
		info(r).params = nil
		next.ServeHTTP(rec, rr)
		rec.close()
		if !rec.keep() {
			rec.copyTo(w, r)
			return
		}
		names := slices.Clone(info(r).params)
		key := r.URL.Path
		if q := keyQuery(r, names); q != "" {
			key += "?" + q
		}
		c, err := newCached(key, rec)
		if err != nil {
			rec.copyTo(w, r)
			return
		}
		sn.cache.learn(r.URL.Path, names)
		if _, f := sn.cache.get(key, s.cfg.Now(), s.nextChange(r, sn)); f != nil {
			sn.cache.put(key, f, c)
		} else {
			defer c.drop() // another request cached it meanwhile
		}
		if !serveCached(w, r, c) {
			rec.copyTo(w, r)
		}
	})
}

// serveKeyed answers r from the cache under its path and the parameters
// names, rendering it (once, however many ask at the same moment) on the
// first request.
func (s *Server) serveKeyed(w http.ResponseWriter, r *http.Request, names []string, next http.Handler) {
	sn := snap(r)
	q := keyQuery(r, names)
	key := r.URL.Path
	if q != "" {
		key += "?" + q
	}
	// The handler sees only what it reads.
	r.URL.RawQuery = q
	c, f := sn.cache.get(key, s.cfg.Now(), s.nextChange(r, sn))
	if f != nil {
		rec := newRecorder(sn.cache.files)
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
		rec.close()
		if !rec.keep() {
			rec.copyTo(w, r)
			return
		}
		var err error
		if c, err = newCached(key, rec); err != nil {
			rec.copyTo(w, r)
			return
		}
		sn.cache.put(key, f, c)
	}
	if c == nil || !serveCached(w, r, c) {
		// The render this request waited for was not cacheable, or its
		// file is gone: render again.
		next.ServeHTTP(w, r)
	}
}
