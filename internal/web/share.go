package web

import (
	"net/http"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/share"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/templates"
)

// The share images: what a link preview (Open Graph's og:image, Twitter's
// large card) shows of a page, its title and the site's name, drawn by
// internal/share. Each page's is at urls.ShareImage of its path
// (/og/deklaracje/{id}.png), served through the page cache like any
// page: drawn once per content version, with a strong ETag and the pages'
// Cache-Control, and written by the export, which follows og:image.

// handleShareImage serves the share image of the page whose path the
// request's path names.
func (s *Server) handleShareImage(w http.ResponseWriter, r *http.Request) error {
	page, ok := scheme(r).SharePage(r.URL.Path)
	if !ok {
		return errNotFound
	}
	doc, err := st(r).DocByPath(r.Context(), page, s.vis())
	if err != nil {
		return err
	}
	l := labels(r, doc.Lang)
	png, err := share.Render(share.Card{Title: doc.Title, Site: l.SiteName, Tagline: l.SiteTagline})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", share.MediaType)
	w.Write(png)
	return nil
}

// shareImage describes the share image of doc's page for its head, in the
// words of l.
func (s *Server) shareImage(doc *store.Doc, l *catalog.Labels) *templates.Image {
	return &templates.Image{
		URL:  s.abs(urls.ShareImage(doc.Path)),
		Type: share.MediaType, Width: share.Width, Height: share.Height,
		Alt: catalog.Fill(l.ShareImageAlt, "title", doc.Title, "site", l.SiteName),
	}
}
