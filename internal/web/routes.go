package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/urls"
)

// routes lists every URL the site answers, top to bottom. Content pages
// have no route of their own: their paths come from content/ and are
// looked up in the store by handlePage, with old URLs (aliases) answering
// 301.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	s.mux = r
	r.Use(requestIDs, s.logRequests, s.recoverPanics, s.securityHeaders, s.openData, s.limitURLs, chimw.GetHead,
		s.withSnapshot)
	if s.cfg.Dev {
		// The preview: its reload script and events, and content problems
		// shown in place of pages.
		r.Use(s.devOverlay)
		r.Get(urls.DevScript, s.handle(s.handleDevScript))
		r.Get(urls.DevEvents, s.handle(s.handleDevEvents))
	}
	// Routes opt in to the page cache (internal/middleware) and say what
	// their key is: cached routes read no query parameter and are keyed
	// by their path; content pages are keyed by their path and the
	// parameters their handler declares (middleware.Params).
	cached := func(h handlerFunc) http.HandlerFunc { return s.pages.Path(s.handle(h)).ServeHTTP }

	r.Get(urls.Health, s.handle(s.handleHealth))
	r.Get(urls.Robots, cached(s.handleRobots))
	r.Get(urls.Sitemap, cached(s.handleSitemap))
	r.Get(urls.SitemapParts, cached(s.handleSitemapPart))
	r.Get(urls.Favicon, cached(s.handleFavicon))
	r.Get(urls.Static+"*", cached(s.handleStatic))
	r.Get(urls.ShareHome, cached(s.handleShareImage)) // pages' share images (og:image): share.go
	r.Get(urls.Share+"*", cached(s.handleShareImage))

	// Open data: JSON and CSV.
	s.apiRoutes(r, cached)
	r.Get(urls.Search, s.handle(s.handleSearchAPI))
	// CSV, and the same with a byte order mark, for Excel (see writeCSV).
	for _, format := range []string{urls.CSV, urls.CSVExcel} {
		r.Get(urls.DataList(content.TypeDeclaration.Folder(), format), cached(s.handleDeclarationsCSV))
		r.Get(urls.DataList(content.TypeMeeting.Folder(), format), cached(s.handleMeetingsCSV))
	}
	// The catalogue of these datasets, in DCAT-AP (dcat.go).
	r.Get(urls.CatalogJSONLD, cached(s.handleCatalog))
	r.Get(urls.CatalogTurtle, cached(s.handleCatalog))

	// Everything else is of a language, whose addresses are the content's
	// (content/languages.yaml, the pages' slugs): each language's
	// permanent links, feed and calendars (urls.Scheme.Parse), pages from
	// content/, their citation downloads ({path}.bib, .ris, .csl.json),
	// aliases, 404.
	r.NotFound(s.pages.Declared(s.handle(s.handlePath)).ServeHTTP)
	r.MethodNotAllowed(s.handle(func(http.ResponseWriter, *http.Request) error { return errMethodNotAllowed }))
	return r
}

// handlePath serves a path of a language: one of its program addresses
// (a permanent link, its feed, a calendar), or a content page.
func (s *Server) handlePath(w http.ResponseWriter, r *http.Request) error {
	if rt, ok := scheme(r).Parse(r.URL.Path); ok {
		switch rt.Kind {
		case urls.DeclarationPermalink:
			return s.servePermalink(w, r, content.TypeDeclaration, rt.ID, rt.Lang.Tag)
		case urls.MeetingPermalink:
			return s.servePermalink(w, r, content.TypeMeeting, rt.ID, rt.Lang.Tag)
		case urls.Feed:
			return s.serveAtom(w, r, rt.Lang.Tag)
		case urls.Calendar:
			return s.serveCalendar(w, r, rt.Lang.Tag, "")
		case urls.BodyCalendar:
			return s.serveCalendar(w, r, rt.Lang.Tag, rt.ID)
		}
	}
	return s.handlePage(w, r)
}
