package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes lists every URL the site answers, top to bottom. Content pages
// have no route of their own: their paths come from content/ and are
// looked up in the store by handlePage, with old URLs (aliases) answering
// 301.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(requestIDs, s.logRequests, s.recoverPanics, s.securityHeaders, s.limitURLs, middleware.GetHead,
		s.withSnapshot)
	if s.cfg.Dev {
		// The preview: its reload script and events, and content problems
		// shown in place of pages.
		r.Use(s.devOverlay)
		r.Get("/_dev/reload.js", s.handle(s.handleDevScript))
		r.Get("/_dev/events", s.handle(s.handleDevEvents))
	}
	// Responses are cached by path and the query parameters they read
	// (cachekey.go): routes that read none are wrapped in cached.
	cached := func(h handlerFunc) http.HandlerFunc { return s.cacheRoute(s.handle(h)).ServeHTTP }

	r.Get("/healthz", s.handle(s.handleHealth))
	r.Get("/robots.txt", cached(s.handleRobots))
	r.Get("/sitemap.xml", cached(s.handleSitemap))
	r.Get("/sitemap-{part}.xml", cached(s.handleSitemapPart))
	r.Get("/favicon.ico", cached(s.handleFavicon))
	r.Get("/static/*", cached(s.handleStatic))

	// Short permanent links to meetings and declarations, by id (301s,
	// never cached).
	r.Get("/d/{id}", s.handle(s.handlePermalink("declaration", "pl")))
	r.Get("/m/{id}", s.handle(s.handlePermalink("meeting", "pl")))
	r.Get("/en/d/{id}", s.handle(s.handlePermalink("declaration", "en")))
	r.Get("/en/m/{id}", s.handle(s.handlePermalink("meeting", "en")))

	// Open data: JSON and CSV, feeds, calendars.
	for _, kind := range []string{"declarations", "meetings", "bodies"} {
		r.Get("/api/v1/"+kind+".json", cached(s.handleAPI(kind)))
		r.Get("/api/v1/"+kind+"/{file}", cached(s.handleAPI(kind)))
	}
	r.Get("/api/v1/search.json", s.handle(s.handleSearchAPI))
	r.Get("/api/v1/declarations.csv", cached(s.handleDeclarationsCSV))
	r.Get("/api/v1/meetings.csv", cached(s.handleMeetingsCSV))
	for _, lang := range []string{"pl", "en"} {
		r.Get(atomPath[lang], cached(s.handleAtom(lang)))
		r.Get(calendarPath[lang]+".ics", cached(s.handleCalendar(lang)))
		r.Get(calendarPath[lang]+"/{file}", cached(s.handleCalendar(lang)))
	}

	// Everything else: pages from content/, their citation downloads
	// ({path}.bib, .ris, .csl.json), aliases, 404.
	r.NotFound(s.cachePages(s.handle(s.handlePage)).ServeHTTP)
	r.MethodNotAllowed(s.handle(func(http.ResponseWriter, *http.Request) error { return errMethodNotAllowed }))
	return r
}

// IsRoute reports whether the program itself serves path, for the content
// check of links: pages from content/ are checked against the content.
func IsRoute(path string) bool {
	switch path {
	case "/sitemap.xml", "/robots.txt", "/healthz", "/favicon.ico", atomPath["pl"], atomPath["en"],
		calendarPath["pl"] + ".ics", calendarPath["en"] + ".ics":
		return true
	}
	if strings.HasPrefix(path, "/sitemap-") && strings.HasSuffix(path, ".xml") {
		return true
	}
	for _, prefix := range []string{"/api/v1/", calendarPath["pl"] + "/", calendarPath["en"] + "/"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}
