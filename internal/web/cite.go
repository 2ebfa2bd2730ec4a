package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/krakow/wspolpraca/internal/cite"
	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/templates"
)

// citationFormat is a download for citation managers, served at a
// declaration's path plus its extension: /deklaracje/{id}.bib.
type citationFormat struct {
	ext, mediaType, name string
	write                func(cite.Work) ([]byte, error)
}

var citationFormats = []citationFormat{
	{".bib", "application/x-bibtex; charset=utf-8", "BibTeX", func(w cite.Work) ([]byte, error) { return cite.BibTeX(w), nil }},
	{".ris", "application/x-research-info-systems; charset=utf-8", "RIS", func(w cite.Work) ([]byte, error) { return cite.RIS(w), nil }},
	{".csl.json", "application/vnd.citationstyles.csl+json; charset=utf-8", "CSL-JSON", cite.CSLJSON},
}

// citationFormatOf returns the format a path asks for and the page's path.
func citationFormatOf(p string) (citationFormat, string, bool) {
	for _, f := range citationFormats {
		if page, ok := strings.CutSuffix(p, f.ext); ok {
			return f, page, true
		}
	}
	return citationFormat{}, "", false
}

// serveCitation serves a declaration's reference as BibTeX, RIS or CSL-JSON.
func (s *Server) serveCitation(w http.ResponseWriter, r *http.Request, f citationFormat, page string) error {
	doc, err := st(r).DocByPath(r.Context(), page, s.vis())
	if err != nil {
		return err
	}
	if doc.Type != "declaration" {
		return errNotFound
	}
	d, err := st(r).DeclarationFacts(r.Context(), doc.RecordID, doc.Lang)
	if err != nil {
		return err
	}
	b, err := f.write(s.work(doc, d))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="krakow-%s-%s%s"`, doc.RecordID, doc.Lang, f.ext))
	return writeBytes(w, r, f.mediaType, b)
}

// work is a declaration's document as it is cited.
func (s *Server) work(doc *store.Doc, d *store.Declaration) cite.Work {
	l := templates.L(doc.Lang)
	return cite.Work{
		ID: doc.RecordID, Kind: l.KindName(d.Kind), Title: doc.Title, Descriptive: doc.TitleNote != "", Author: d.Author, Date: d.Date,
		Place: d.Place, Event: d.Event, Lang: doc.Lang, Version: doc.Updated, Site: l.SiteName,
		URL: s.abs(content.Permalink(content.TypeDeclaration, doc.RecordID, doc.Lang)),
	}
}

// citation returns what a declaration page tells citation managers and
// readers: Highwire tags, the references in Polish and English, and the
// downloads.
func (s *Server) citation(r *http.Request, doc *store.Doc, d *store.Declaration) (*templates.Citation, error) {
	w := s.work(doc, d)
	c := &templates.Citation{Title: doc.Title, Date: highwireDate(d), Language: doc.Lang, URL: w.URL}
	if d.Author != "" {
		c.Authors = []string{d.Author}
	}
	for _, f := range citationFormats {
		c.Formats = append(c.Formats, templates.Feed{Type: strings.Split(f.mediaType, ";")[0], Href: doc.Path + f.ext, Title: f.name})
	}
	l := templates.L(doc.Lang)
	for _, lang := range []string{"pl", "en"} {
		work := w
		if lang != doc.Lang {
			other, err := st(r).DocByID(r.Context(), doc.RecordID, lang, s.vis())
			if err != nil {
				continue // no version in that language
			}
			od, err := st(r).DeclarationFacts(r.Context(), doc.RecordID, lang)
			if err != nil {
				return nil, err
			}
			work = s.work(other, od)
		}
		label := l.RefPL
		if lang == "en" {
			label = l.RefEN
		}
		c.Refs = append(c.Refs, templates.Ref{Lang: lang, Label: label, Text: cite.Reference(work)})
	}
	return c, nil
}

// highwireDate writes the date as citation_publication_date wants it:
// 2021/08/16, or as much of it as is known.
func highwireDate(d *store.Declaration) string {
	return strings.ReplaceAll(d.Date.From.String(), "-", "/")
}
