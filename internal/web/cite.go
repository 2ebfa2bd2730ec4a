package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/cite"
	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/templates"
)

// citationWriters write a declaration's reference in each citation format
// (urls.Citations), by extension.
var citationWriters = map[string]func(cite.Work) ([]byte, error){
	".bib":      func(w cite.Work) ([]byte, error) { return cite.BibTeX(w), nil },
	".ris":      func(w cite.Work) ([]byte, error) { return cite.RIS(w), nil },
	".csl.json": cite.CSLJSON,
}

// serveCitation serves a declaration's reference as BibTeX, RIS or CSL-JSON.
func (s *Server) serveCitation(w http.ResponseWriter, r *http.Request, f urls.Citation, page string) error {
	doc, err := st(r).DocByPath(r.Context(), page, s.vis())
	if err != nil {
		return err
	}
	if doc.Type != content.TypeDeclaration {
		return errNotFound
	}
	d, err := st(r).DeclarationFacts(r.Context(), doc.RecordID, doc.TextLang())
	if err != nil {
		return err
	}
	b, err := citationWriters[f.Ext](s.work(r, doc, d))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="krakow-%s-%s%s"`, doc.RecordID, doc.Lang, f.Ext))
	return writeBytes(w, r, f.MediaType, b)
}

// work is a declaration's page as it is cited, in the language of its
// text.
func (s *Server) work(r *http.Request, doc *store.Doc, d *store.Declaration) cite.Work {
	tag := doc.TextLang()
	l := labels(r, tag)
	return cite.Work{
		ID: doc.RecordID, Kind: l.KindName(d.Kind), Title: doc.Title, Descriptive: doc.TitleNote != "", Author: d.In(d.Author), Date: d.Date,
		Place: d.In(d.Place), Event: d.In(d.Event), Lang: tag, Original: tag == reg(r).Authoritative().Tag, Version: doc.Updated, Site: l.SiteName,
		URL:      s.abs(scheme(r).Permalink(urls.DeclarationPermalink, doc.RecordID, doc.Lang)),
		DateText: l.FormatRange(d.Date), VersionText: catalog.Fill(l.CiteVersion, "date", l.FormatDate(doc.Updated)),
		Quotes: [2]string{l.QuoteOpen, l.QuoteClose},
	}
}

// citation returns what a declaration page tells citation managers and
// readers: Highwire tags (cite.HighwireTags: the same title, author,
// date, language and link as the downloads), a reference in each
// language the text has, and the downloads.
func (s *Server) citation(r *http.Request, doc *store.Doc, d *store.Declaration) (*templates.Citation, error) {
	w := s.work(r, doc, d)
	h := cite.HighwireTags(w)
	c := &templates.Citation{Title: h.Title, Authors: h.Authors, Date: h.Date, Language: h.Language, URL: h.URL}
	for _, f := range urls.Citations {
		c.Formats = append(c.Formats, templates.Feed{Type: strings.Split(f.MediaType, ";")[0], Href: doc.Path + f.Ext, Title: f.Name})
	}
	// A reference in every language the declaration has a text in, each
	// headed by the language's name in the page's language.
	texts, err := st(r).DeclarationTexts(r.Context(), doc.RecordID, s.vis())
	if err != nil {
		return nil, err
	}
	l := labels(r, doc.Lang)
	for _, t := range texts {
		work := s.work(r, t.Doc, t.Facts)
		if t.Doc.Lang == doc.Lang {
			work = w // the page's own: the facts it was given
		}
		name := []rune(catalog.Fill(l.CiteIn, "language", l.LanguageName(t.Doc.Lang)))
		label := strings.ToUpper(string(name[:1])) + string(name[1:])
		c.Refs = append(c.Refs, templates.Ref{Lang: t.Doc.Lang, Label: label, Text: cite.Reference(work)})
	}
	return c, nil
}

// citationsOf lists the citation downloads of the declaration page at path.
func citationsOf(path string) []templates.Feed {
	var out []templates.Feed
	for _, c := range urls.Citations {
		out = append(out, templates.Feed{Type: strings.Split(c.MediaType, ";")[0], Href: path + c.Ext, Title: path + c.Ext})
	}
	return out
}
