package web

import (
	"net/http"
	"strings"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/templates"
)

// The data page (/dane) documents every format and field: the formats and
// their fields are catalog.DataFormats (a test checks them against the
// files this package writes), their words the catalogue's (Data.…), and
// the example links real records of the store.

// dataFormats documents the open data in lang, with example links.
func (s *Server) dataFormats(r *http.Request, lang string) ([]templates.DataFormat, error) {
	l, sc, rg := labels(r, lang), scheme(r), reg(r)
	ds, _, err := st(r).Declarations(r.Context(), store.DeclarationFilter{Lang: lang, PerPage: 1, SkipTotal: true}, s.vis())
	if err != nil {
		return nil, err
	}
	bodies, err := st(r).Bodies(r.Context(), lang, s.vis())
	if err != nil {
		return nil, err
	}
	link := func(typ, href, title string) templates.Feed {
		return templates.Feed{Type: typ, Href: href, Title: title}
	}
	var out []templates.DataFormat
	for _, f := range catalog.DataFormats {
		df := templates.DataFormat{ID: f.ID, Name: l.Data("Data." + f.ID), Description: l.Data("Data." + f.ID + ".about")}
		for _, field := range f.Fields {
			desc := l.Data(catalog.DataKey(f.ID, field))
			if !strings.Contains(field, "_{tag}") {
				df.Fields = append(df.Fields, templates.DataField{Name: field, Desc: desc})
				continue
			}
			// A column per language: title_pl, title_en…
			for _, lg := range rg.All() {
				df.Fields = append(df.Fields, templates.DataField{Name: strings.ReplaceAll(field, "{tag}", lg.Tag),
					Desc: catalog.Fill(desc, "language", l.LanguageName(lg.Tag))})
			}
		}
		switch kind, _ := strings.CutPrefix(f.ID, "json-"); {
		case strings.HasPrefix(f.ID, "json-"):
			df.MediaType = "application/json"
			p := urls.DataList(kind, urls.JSON)
			df.Links = []templates.Feed{link(df.MediaType, p, p)}
			df.Patterns = []string{urls.DataRecord(kind, "{id}")}
			if kind == content.TypeDeclaration.Folder() && len(ds) > 0 {
				p := urls.DataRecord(kind, ds[0].ID)
				df.Links = append(df.Links, link(df.MediaType, p, p))
			}
		case strings.HasPrefix(f.ID, "csv-"):
			kind := strings.TrimPrefix(f.ID, "csv-")
			csv, excel := urls.DataList(kind, urls.CSV), urls.DataList(kind, urls.CSVExcel)
			df.MediaType = "text/csv"
			df.Links = []templates.Feed{link(df.MediaType, csv, csv), link(df.MediaType, excel, excel+" – "+l.CSVExcel)}
		case f.ID == "atom":
			df.MediaType = "application/atom+xml"
			for _, lg := range rg.All() {
				// Named in the page's language: a name in its own would be read
				// in the page's voice.
				df.Links = append(df.Links, link(df.MediaType, sc.Feed(lg.Tag), sc.Feed(lg.Tag)+" ("+l.LanguageName(lg.Tag)+")"))
			}
		case f.ID == "ical":
			df.MediaType = "text/calendar"
			df.Links = append(df.Links, link(df.MediaType, sc.Calendar(lang, ""), sc.Calendar(lang, "")))
			for _, b := range bodies {
				df.Links = append(df.Links, link(df.MediaType, sc.Calendar(lang, b.ID), b.Title))
			}
		case f.ID == "citations":
			df.MediaType = "application/x-bibtex, application/x-research-info-systems, application/vnd.citationstyles.csl+json"
			if len(ds) > 0 {
				for _, c := range citationsOf(ds[0].Path) {
					df.Links = append(df.Links, c)
				}
				for _, c := range citationsOf(ds[0].Path) {
					df.Patterns = append(df.Patterns, strings.Replace(c.Href, ds[0].ID, "{id}", 1))
				}
			}
		case f.ID == "permalinks":
			df.MediaType = "text/html"
			for _, lg := range rg.All() {
				df.Patterns = append(df.Patterns, sc.Permalink(string(content.TypeDeclaration), "{id}", lg.Tag), sc.Permalink(string(content.TypeMeeting), "{id}", lg.Tag))
			}
		case f.ID == "sitemap":
			df.MediaType = "application/xml"
			df.Links = []templates.Feed{link(df.MediaType, urls.Sitemap, urls.Sitemap)}
		case f.ID == "dcat":
			df.MediaType = mediaJSONLD + ", " + mediaTurtle
			df.Links = []templates.Feed{link(mediaJSONLD, urls.CatalogJSONLD, urls.CatalogJSONLD), link(mediaTurtle, urls.CatalogTurtle, urls.CatalogTurtle)}
		}
		out = append(out, df)
	}
	return out, nil
}

func (s *Server) serveData(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	formats, err := s.dataFormats(r, doc.Lang)
	if err != nil {
		return err
	}
	return s.render(w, r, templates.DataPage(templates.DataView{PageView: templates.PageView{Meta: m, Doc: doc}, Formats: formats}))
}
