package web

import (
	"net/http"
	"strings"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/lang"
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
	ds, _, err := st(r).Declarations(r.Context(), store.DeclarationFilter{Lang: lang, PerPage: 1, SkipTotal: true}, s.vis())
	if err != nil {
		return nil, err
	}
	bodies, err := st(r).Bodies(r.Context(), lang, s.vis())
	if err != nil {
		return nil, err
	}
	ex := dataExamples{r: r, lang: lang, l: labels(r, lang), sc: scheme(r), bodies: bodies}
	if len(ds) > 0 {
		ex.declaration = &ds[0]
	}
	var out []templates.DataFormat
	for _, f := range catalog.DataFormats {
		df := templates.DataFormat{ID: f.ID, Name: ex.l.Data("Data." + f.ID), Description: ex.l.Data("Data." + f.ID + ".about"),
			Fields: dataFields(ex.l, reg(r), f)}
		ex.links(&df)
		out = append(out, df)
	}
	return out, nil
}

// dataFields documents the fields of format f in the language of l: a
// field named with "_{tag}" is a column per language (title_pl, title_en…).
func dataFields(l *catalog.Labels, rg *lang.Registry, f catalog.DataFormat) []templates.DataField {
	var out []templates.DataField
	for _, field := range f.Fields {
		desc := l.Data(catalog.DataKey(f.ID, field))
		if !strings.Contains(field, "_{tag}") {
			out = append(out, templates.DataField{Name: field, Desc: desc})
			continue
		}
		for _, lg := range rg.All() {
			out = append(out, templates.DataField{Name: strings.ReplaceAll(field, "{tag}", lg.Tag),
				Desc: catalog.Fill(desc, "language", l.LanguageName(lg.Tag))})
		}
	}
	return out
}

// dataExamples are what the data page links to in the language lang: the
// files, and real records of the store as examples.
type dataExamples struct {
	r           *http.Request
	lang        string
	l           *catalog.Labels
	sc          *urls.Scheme
	declaration *store.DeclarationItem // the latest; nil when there is none
	bodies      []store.BodyItem
}

func link(typ, href, title string) templates.Feed {
	return templates.Feed{Type: typ, Href: href, Title: title}
}

// links sets the media type, links and address patterns of df.
func (ex dataExamples) links(df *templates.DataFormat) {
	l, sc, rg := ex.l, ex.sc, reg(ex.r)
	switch kind, _ := strings.CutPrefix(df.ID, "json-"); {
	case strings.HasPrefix(df.ID, "json-"):
		df.MediaType = "application/json"
		p := urls.DataList(kind, urls.JSON)
		df.Links = []templates.Feed{link(df.MediaType, p, p)}
		df.Patterns = []string{urls.DataRecord(kind, "{id}")}
		if kind == content.TypeDeclaration.Folder() && ex.declaration != nil {
			p := urls.DataRecord(kind, ex.declaration.ID)
			df.Links = append(df.Links, link(df.MediaType, p, p))
		}
	case strings.HasPrefix(df.ID, "csv-"):
		kind := strings.TrimPrefix(df.ID, "csv-")
		csv, excel := urls.DataList(kind, urls.CSV), urls.DataList(kind, urls.CSVExcel)
		df.MediaType = "text/csv"
		df.Links = []templates.Feed{link(df.MediaType, csv, csv), link(df.MediaType, excel, excel+" – "+l.CSVExcel)}
	case df.ID == "atom":
		df.MediaType = "application/atom+xml"
		for _, lg := range rg.All() {
			// Named in the page's language: a name in its own would be read
			// in the page's voice.
			df.Links = append(df.Links, link(df.MediaType, sc.Feed(lg.Tag), sc.Feed(lg.Tag)+" ("+l.LanguageName(lg.Tag)+")"))
		}
	case df.ID == "ical":
		df.MediaType = "text/calendar"
		df.Links = append(df.Links, link(df.MediaType, sc.Calendar(ex.lang, ""), sc.Calendar(ex.lang, "")))
		for _, b := range ex.bodies {
			df.Links = append(df.Links, link(df.MediaType, sc.Calendar(ex.lang, b.ID), b.Title))
		}
	case df.ID == "citations":
		df.MediaType = "application/x-bibtex, application/x-research-info-systems, application/vnd.citationstyles.csl+json"
		if d := ex.declaration; d != nil {
			for _, c := range citationsOf(d.Path) {
				df.Links = append(df.Links, c)
				df.Patterns = append(df.Patterns, strings.Replace(c.Href, d.ID, "{id}", 1))
			}
		}
	case df.ID == "permalinks":
		df.MediaType = "text/html"
		for _, lg := range rg.All() {
			df.Patterns = append(df.Patterns, sc.Permalink(urls.DeclarationPermalink, "{id}", lg.Tag), sc.Permalink(urls.MeetingPermalink, "{id}", lg.Tag))
		}
	case df.ID == "sitemap":
		df.MediaType = "application/xml"
		df.Links = []templates.Feed{link(df.MediaType, urls.Sitemap, urls.Sitemap)}
	case df.ID == "dcat":
		df.MediaType = mediaJSONLD + ", " + mediaTurtle
		df.Links = []templates.Feed{link(mediaJSONLD, urls.CatalogJSONLD, urls.CatalogJSONLD), link(mediaTurtle, urls.CatalogTurtle, urls.CatalogTurtle)}
	}
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
