package web

import (
	"errors"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/templates"
)

// The facts some pages carry besides their text (content's pagefacts.go):
// a free page's recording in Polish Sign Language, the accessibility
// statement's sentence on it, and the page on re-use.

// serveText serves a free page, with its recording in Polish Sign
// Language if it has one.
func (s *Server) serveText(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	f, err := st(r).PageFacts(r.Context(), doc.RecordID)
	if err != nil {
		return err
	}
	v := templates.PageView{Meta: m, Doc: doc}
	if sv := f.SignVideo; sv != nil {
		v.SignVideo = &templates.SignVideo{
			Src: sv.File, Captions: sv.Captions, Poster: sv.Poster, MediaType: sv.MediaType,
			Format: strings.ToUpper(strings.TrimPrefix(sv.MediaType, "video/")), Lang: sv.Lang,
			Size: sv.Size, Duration: time.Duration(sv.DurationMS) * time.Millisecond, TranscriptHTML: sv.TranscriptHTML,
		}
	}
	return s.render(w, r, templates.TextPage(v))
}

// signLanguageStatus says where the recording in Polish Sign Language is,
// for the accessibility statement in lang: the first visible page that
// has one, or none.
func (s *Server) signLanguageStatus(r *http.Request, lang string) (templates.SignLanguageStatus, error) {
	ids, err := st(r).SignVideoPages(r.Context())
	if err != nil {
		return templates.SignLanguageStatus{}, err
	}
	for _, id := range ids {
		d, err := st(r).DocByID(r.Context(), id, lang, s.vis())
		if errors.Is(err, store.ErrNotFound) {
			continue // a draft, or not yet published
		}
		if err != nil {
			return templates.SignLanguageStatus{}, err
		}
		return templates.SignLanguageStatus{Page: &store.Link{Path: d.Path, Title: d.Title, Lang: d.TextLang()}}, nil
	}
	return templates.SignLanguageStatus{}, nil
}

// serveReuse serves the page on the conditions of re-use: what the City
// has confirmed, and who will give the rest.
func (s *Server) serveReuse(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	f, err := st(r).PageFacts(r.Context(), doc.RecordID)
	if err != nil {
		return err
	}
	entity, err := s.publisher(r, doc.Lang)
	if err != nil {
		return err
	}
	v := templates.ReuseView{PageView: templates.PageView{Meta: m, Doc: doc}, Entity: entity,
		JSONLD: urls.CatalogJSONLD, Turtle: urls.CatalogTurtle}
	if re := f.Reuse; re != nil {
		v.Conditions, v.License = re.Conditions.In(reg(r), doc.Lang), re.License
	}
	return s.render(w, r, templates.ReusePage(v))
}

// publisher names the public body the site belongs to (the accessibility
// statement's entity) in lang.
func (s *Server) publisher(r *http.Request, lang string) (string, error) {
	stmt, err := st(r).Statement(r.Context())
	if err != nil {
		return "", err
	}
	return stmt.Entity.In(reg(r), lang), nil
}

// staticTypes are the media types of the static files a browser needs
// named exactly, whatever the system's own table says: a <track> is read
// only as text/vtt, and a video's type decides whether it is played.
var staticTypes = map[string]string{
	".vtt":  "text/vtt; charset=utf-8",
	".mp4":  "video/mp4",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".png":  "image/png",
	".webp": "image/webp",
}

// staticType is the media type of a static file, by its extension.
func staticType(name string) string {
	if t, ok := staticTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return mime.TypeByExtension(path.Ext(name))
}
