package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/templates"
)

// httpError is an error with the status it answers.
type httpError struct {
	status int
	msg    string // for the log, never shown to the visitor
}

func (e *httpError) Error() string { return fmt.Sprintf("%d %s", e.status, e.msg) }

// errGone answers 410 for a page withdrawn (expired) at a moment.
type errGone struct{ at time.Time }

func (e errGone) Error() string { return "410 withdrawn at " + e.at.Format(time.RFC3339) }

var (
	errNotFound         = &httpError{http.StatusNotFound, "not found"}
	errBadRequest       = &httpError{http.StatusBadRequest, "bad request"}
	errMethodNotAllowed = &httpError{http.StatusMethodNotAllowed, "method not allowed"}
	errTooManyRequests  = &httpError{http.StatusTooManyRequests, "too many searches"}
	errTooLarge         = &httpError{http.StatusRequestEntityTooLarge, "request body too large"}
	errBusy             = &httpError{http.StatusServiceUnavailable, "all search slots taken"}
)

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h to http.Handler: an error becomes an error page.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil && !errors.Is(err, errAbort) {
			s.serveError(w, r, err)
		}
	}
}

// statusOf maps an error to the HTTP status it answers.
func statusOf(err error) int {
	var he *httpError
	var gone errGone
	switch {
	case errors.As(err, &he):
		return he.status
	case errors.As(err, &gone):
		return http.StatusGone
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

// serveError answers with an error page in the visitor's language. 5xx are
// logged with the request id, which the page shows; the error itself never
// reaches the visitor.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(r.Context().Err(), context.Canceled) {
		// The client went away: nothing failed, and nobody reads an
		// answer. The access log says 499, as nginx does.
		info(r).gone = true
		return
	}
	status := statusOf(err)
	id := requestID(r)
	if status >= 500 && status != http.StatusServiceUnavailable {
		s.log.Error("request failed", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("request_id", id), slog.Any("err", err))
	}
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", "GET, HEAD")
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "2")
	}
	if strings.HasPrefix(r.URL.Path, urls.APIRoot) {
		serveJSONError(w, r, status)
		return
	}
	lang, l := s.errorLang(r)
	title := l.BadRequestTitle
	switch {
	case status == http.StatusTooManyRequests:
		title = l.TooManyTitle
	case status == http.StatusServiceUnavailable:
		title = l.BusyTitle
	case status == http.StatusNotFound:
		title = l.NotFoundTitle
	case status == http.StatusGone:
		title = l.GoneTitle
	case status >= 500:
		title = l.ServerErrorTitle
	}
	m := s.errorMeta(r, lang, l, title)
	v := templates.ErrorView{Meta: m, Status: status}
	var gone errGone
	if errors.As(err, &gone) {
		v.Withdrawn = date.Of(gone.at.In(warsaw))
	}
	if status >= 500 {
		v.RequestID = id
	}

	var buf bytes.Buffer
	if rerr := templates.ErrorPage(v).Render(r.Context(), &buf); rerr != nil {
		s.log.Error("rendering the error page failed", slog.String("request_id", id), slog.Any("err", rerr))
		buf.Reset()
		buf.WriteString(plainError(lang, l, m.Home, title, id))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// serveJSONError answers an API request with its error as JSON.
func serveJSONError(w http.ResponseWriter, r *http.Request, status int) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		fmt.Fprintf(w, "{\"error\": %q}\n", http.StatusText(status))
	}
}

// errorLang returns the language of the site section holding the
// request's path and its words; before the snapshot is known (a request
// refused by the first middleware), the server's current one.
func (s *Server) errorLang(r *http.Request) (string, *catalog.Labels) {
	w := s.snap.Load().words
	if sn := snap(r); sn != nil {
		w = sn.words
	}
	tag := w.reg.OfPath(r.URL.Path).Tag
	return tag, w.L(tag)
}

// errorMeta builds the layout of an error page, using the store only if it
// still answers: an error page must not fail for the error it reports.
func (s *Server) errorMeta(r *http.Request, lang string, l *catalog.Labels, title string) templates.Meta {
	w := s.snap.Load().words
	if sn := snap(r); sn != nil {
		w = sn.words
	}
	home := w.scheme.Home(lang)
	m := templates.Meta{L: l, Lang: lang, Original: w.reg.Authoritative().Tag, Title: title, CSS: s.assets.Load().cssPath,
		NoIndex: true, Path: r.URL.Path, Home: home, Dev: s.cfg.Dev, SearchPath: home, Error: true}
	// The language navigation of an error page leads to each home page.
	for _, lg := range w.reg.All() {
		m.Langs = append(m.Langs, templates.LangLink{Tag: lg.Tag, Name: lg.Name, Href: lg.Home(), Current: lg.Tag == lang})
	}
	sn := snap(r)
	if sn == nil {
		return m
	}
	vis := s.vis()
	if f, err := s.frameOf(r, lang); err == nil {
		m.Menu, m.Footer = f.menu, f.footer
		if search, err := f.section(content.LayoutSearch, lang); err == nil {
			m.SearchPath = search.Path
		}
		if statement, err := f.section(content.LayoutAccessibility, lang); err == nil {
			m.Statement = s.abs(statement.Path)
		}
	}
	if home, err := sn.store.DocByPath(r.Context(), home, vis); err == nil {
		m.Updated = home.Updated
	}
	return m
}

// plainError is the page shown when even the error page cannot be rendered.
func plainError(lang string, l *catalog.Labels, home, title, id string) string {
	return fmt.Sprintf(`<!DOCTYPE html><html lang="%s"><head><meta charset="utf-8"><title>%s</title></head>`+
		`<body><main><h1>%s</h1><p>%s: <code>%s</code></p><p><a href="%s">%s</a></p></main></body></html>`,
		html.EscapeString(lang), html.EscapeString(title), html.EscapeString(title), html.EscapeString(l.RequestID),
		html.EscapeString(id), html.EscapeString(home), html.EscapeString(l.GoHome))
}

// warsaw is the site's time zone, for the dates it shows.
var warsaw = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Warsaw"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600)
}()
