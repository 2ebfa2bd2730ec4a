package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes lists every URL the site answers, top to bottom. Content pages
// have no route of their own: their paths come from content/ and are
// looked up in the store by handlePage, with old URLs (aliases) answering
// 301.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(requestIDs, s.logRequests, s.recoverPanics, s.securityHeaders, s.limitURLs, middleware.GetHead, s.withSnapshot)

	r.Get("/healthz", s.handle(s.handleHealth))
	r.Get("/robots.txt", s.handle(s.handleRobots))
	r.Get("/sitemap.xml", s.handle(s.handleSitemap))
	r.Get("/favicon.ico", s.handle(s.handleFavicon))
	r.Get("/static/*", s.handle(s.handleStatic))

	// Short permanent links to meetings and declarations, by id.
	r.Get("/d/{id}", s.handle(s.handlePermalink("declaration", "pl")))
	r.Get("/m/{id}", s.handle(s.handlePermalink("meeting", "pl")))
	r.Get("/en/d/{id}", s.handle(s.handlePermalink("declaration", "en")))
	r.Get("/en/m/{id}", s.handle(s.handlePermalink("meeting", "en")))

	r.NotFound(s.handle(s.handlePage))
	r.MethodNotAllowed(s.handle(func(http.ResponseWriter, *http.Request) error { return errMethodNotAllowed }))
	return r
}

// IsRoute reports whether the program itself serves path, for the content
// check of links: pages from content/ are checked against the content.
func IsRoute(path string) bool {
	switch path {
	case "/sitemap.xml", "/robots.txt", "/healthz", "/favicon.ico":
		return true
	}
	return false
}
