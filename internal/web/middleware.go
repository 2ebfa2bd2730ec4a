package web

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/krakow/wspolpraca/internal/middleware"
	"github.com/krakow/wspolpraca/internal/urls"
)

// maxURL is the longest request URI served; longer ones get 400.
const maxURL = 2048

// requestIDs gives every request an id, in the X-Request-Id header of the
// response and in every log line and error page about it. Ids are a random
// prefix chosen at start and a counter: unique, cheap, and in order.
func requestIDs(next http.Handler) http.Handler {
	var prefix [4]byte
	rand.Read(prefix[:])
	var count atomic.Uint64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 0, 17)
		b = hex.AppendEncode(b, prefix[:])
		b = append(b, '-')
		b = hex.AppendEncode(b, binary.BigEndian.AppendUint32(nil, uint32(count.Add(1)))) // %08x
		ri := &requestInfo{id: string(b)}
		ri.idHeader[0] = ri.id
		w.Header()["X-Request-Id"] = ri.idHeader[:]
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyRequest, ri)))
	})
}

func requestID(r *http.Request) string { return info(r).id }

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ReadFrom lets a file served whole (a large cached response) go to the
// connection with sendfile, as it would without this wrapper: io.Copy
// uses it when the writer has it.
func (w *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	var n int64
	var err error
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(r)
	} else {
		n, err = io.Copy(w.ResponseWriter, r)
	}
	w.size += int(n)
	return n, err
}

// logRequests logs every request with its status, size and duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &info(r).status
		*sw = statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if info(r).gone && sw.status == 0 {
			sw.status = statusClientClosed
		}
		if s.cfg.AccessLog != nil {
			bp := linePool.Get().(*[]byte)
			*bp = appendAccessLine((*bp)[:0], start, r.Method, r.URL.Path, sw.status, sw.size, time.Since(start), requestID(r))
			s.cfg.AccessLog.Write(*bp)
			linePool.Put(bp)
			return
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Int("bytes", sw.size),
			slog.Duration("duration", time.Since(start)), slog.String("request_id", requestID(r)))
	})
}

// statusClientClosed is the status logged for a request whose client went
// away before the answer (nginx's 499, "client closed request").
const statusClientClosed = 499

var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// appendAccessLine appends a request's log line as slog's TextHandler
// would write it: time=… level=INFO msg=request method=… path=… status=…
// bytes=… duration=… request_id=…, with values quoted when they hold
// spaces, quotes, '=' or anything unprintable (a path can: %0A decodes to a
// newline, which must not start a forged line).
func appendAccessLine(b []byte, t time.Time, method, path string, status, size int, d time.Duration, id string) []byte {
	b = append(b, "time="...)
	b = appendLogTime(b, t)
	b = append(b, " level=INFO msg=request method="...)
	b = appendValue(b, method)
	b = append(b, " path="...)
	b = appendValue(b, path)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, " bytes="...)
	b = strconv.AppendInt(b, int64(size), 10)
	b = append(b, " duration="...)
	b = append(b, d.String()...)
	b = append(b, " request_id="...)
	b = appendValue(b, id)
	return append(b, '\n')
}

// logSecond is the text of the last second an access line was written in,
// kept because formatting a time is a tenth of a cached request's cost.
type logSecond struct {
	unix       int64
	zone       int    // offset, seconds east of UTC
	date, tail string // "2026-11-30T02:34:09", "Z" or "+01:00"
}

var lastLogSecond atomic.Pointer[logSecond]

// appendLogTime appends t as t.AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
// does (slog's TextHandler's format), formatting each second once.
func appendLogTime(b []byte, t time.Time) []byte {
	_, zone := t.Zone()
	ls := lastLogSecond.Load()
	if ls == nil || ls.unix != t.Unix() || ls.zone != zone {
		full := t.Truncate(time.Second).Format("2006-01-02T15:04:05.000Z07:00")
		if len(full) < 24 || full[19] != '.' {
			// A year outside 0–9999 (never the clock's): formatted whole.
			return t.AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
		}
		ls = &logSecond{unix: t.Unix(), zone: zone, date: full[:19], tail: full[23:]}
		lastLogSecond.Store(ls)
	}
	b = append(b, ls.date...)
	ms := t.Nanosecond() / 1e6
	b = append(b, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	return append(b, ls.tail...)
}

func appendValue(b []byte, v string) []byte {
	if v == "" {
		return append(b, `""`...)
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f {
			return strconv.AppendQuote(b, v)
		}
	}
	return append(b, v...)
}

// recoverPanics turns a panic in a handler into a 500 page with the request
// id, and logs the stack.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", slog.String("path", r.URL.Path), slog.String("request_id", requestID(r)),
					slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
				s.serveError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries: a Content
// Security Policy with no script at all (the preview allows its own reload
// script) and no framing (frame-ancestors, which replaces X-Frame-Options
// in every current browser), no sniffing, and no-store unless the response
// is one the page cache keeps. The referrer policy is in the
// pages' <meta name="referrer">.
//
// Every header costs on every hit: net/http copies, sorts and writes each,
// and past eight a header map outgrows its first group. So there is none
// without a use here: no Permissions-Policy or Cross-Origin-Opener-Policy,
// as the pages run no script and open no windows.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	// connect-src 'self' lets tools in the page fetch /robots.txt (Lighthouse
	// does); there is no script to use it.
	csp := "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	if s.cfg.Dev {
		csp += "; script-src 'self'"
	}
	// The values are made once and shared by every response, read-only
	// (Header.Set replaces a slice; an append copies one at full capacity).
	headers := middleware.NewHeaders(http.Header{
		"Content-Security-Policy": {csp},
		"X-Content-Type-Options":  {"nosniff"},
		// What is not made to be shared (a search, an error, the preview)
		// is stored by nobody on the way; a response the page cache keeps
		// says otherwise, and replaces this.
		"Cache-Control": {"no-store"},
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers.Set(w.Header())
		next.ServeHTTP(w, r)
	})
}

// openData lets scripts on other sites read the site's open data, by the
// CORS protocol of the Fetch standard (§3.2): the API, the sitemap, and
// in every language the feed, the calendars and the citation files
// (isOpenData). Every response at those addresses — 200, 304, 404, a 400
// of the API, a 429 or 503 — carries Access-Control-Allow-Origin: * and
// exposes the headers a script may want beyond the CORS-safelisted ones
// (ETag above all, to revalidate; Retry-After of a 429 or 503). Nothing
// the site serves needs a cookie or a key, so the wildcard is exact:
// no credentials, and no Vary: Origin. A preflight (OPTIONS, which a
// browser sends first when a script adds a header such as
// If-None-Match) is answered here with 204, before any route.
//
// Pages are not open data and carry none of this; nor does the preview,
// whose drafts must not be readable by other sites a local editor visits.
func (s *Server) openData(next http.Handler) http.Handler {
	if s.cfg.Dev {
		return next
	}
	simple := middleware.NewHeaders(http.Header{
		"Access-Control-Allow-Origin":   {"*"},
		"Access-Control-Expose-Headers": {corsExposed},
	})
	preflight := middleware.NewHeaders(http.Header{
		"Access-Control-Allow-Methods": {"GET, HEAD"},
		"Access-Control-Max-Age":       {"86400"},
		"Allow":                        {"GET, HEAD, OPTIONS"},
		"Vary":                         {"Access-Control-Request-Headers"},
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isOpenData(s.snap.Load().words.scheme, r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		simple.Set(h)
		if r.Method != http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		// A preflight, or a plain OPTIONS (RFC 9110 §9.3.7): what may be
		// asked, and with which headers. The headers asked for are
		// allowed back as they came (Fetch sends them lowercase): the
		// site reads none but the conditional ones, and ignores the rest.
		preflight.Set(h)
		if names, ok := corsHeaderNames(r.Header.Values("Access-Control-Request-Headers")); ok && names != "" {
			h.Set("Access-Control-Allow-Headers", names)
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// corsExposed are the response headers a script on another site may read
// besides the CORS-safelisted ones (Fetch, "CORS-safelisted response-header
// name"): the ETag to revalidate with, the file name of a citation, the
// request id to report a problem with, and the search limit's
// (go-chi/httprate's). Last-Modified is safelisted already; the program
// sends none, but nginx serving the export does.
const corsExposed = "ETag, Last-Modified, Retry-After, Content-Disposition, X-Request-Id, " +
	"X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"

// isOpenData reports whether path is one of the site's open data: the API
// (its errors included), the sitemap and its parts, and in each language
// of sc the feed, the calendars and the citation files of declarations.
func isOpenData(sc *urls.Scheme, path string) bool {
	switch {
	case strings.HasPrefix(path, urls.APIRoot), path == urls.Sitemap,
		urls.IsSitemapPart(path):
		return true
	}
	if _, _, ok := urls.CitationOf(path); ok {
		return true
	}
	rt, ok := sc.Parse(path)
	return ok && (rt.Kind == urls.Feed || rt.Kind == urls.Calendar || rt.Kind == urls.BodyCalendar)
}

// corsHeaderNames returns the header names a preflight asks to send
// (Access-Control-Request-Headers, a comma-separated list that may come
// in several fields), lowercase and joined; false when one is not an HTTP
// token (RFC 9110 §5.1, §5.6.2), which is then refused by allowing none.
func corsHeaderNames(values []string) (string, bool) {
	var names []string
	for _, v := range values {
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue // empty list elements are allowed (RFC 9110 §5.6.1)
			}
			if !httpguts.ValidHeaderFieldName(name) {
				return "", false
			}
			names = append(names, strings.ToLower(name))
		}
	}
	return strings.Join(names, ", "), true
}

// maxBody is the largest request body accepted. The site takes no input
// but query strings, so no handler reads a body; a declared larger one is
// refused at once with 413, and a body is never read past this size.
const maxBody = 64 << 10

// limitURLs refuses request URIs longer than maxURL, query strings that do
// not parse and bodies larger than maxBody. (Headers are limited by the http.Server's MaxHeaderBytes.)
func (s *Server) limitURLs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.RequestURI) > maxURL || len(r.URL.RawQuery) > maxURL {
			s.serveError(w, r, &httpError{http.StatusBadRequest, "request URI too long"})
			return
		}
		// A query string that does not parse (%zz, a ";") is refused here,
		// once: no handler or cache key has to guess what it meant.
		if r.URL.RawQuery == "" {
			// (nothing to parse)
		} else if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
			s.serveError(w, r, &httpError{http.StatusBadRequest, "query string does not parse"})
			return
		}
		if r.ContentLength > maxBody {
			w.Header().Set("Connection", "close")
			s.serveError(w, r, errTooLarge)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		next.ServeHTTP(w, r)
	})
}
