package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/text/language"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/rdf"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
)

// The catalogue of the site's open data in DCAT-AP (the DCAT application
// profile for data portals in Europe, 2.1.1, which DCAT-AP-PL, the profile
// of dane.gov.pl, builds on), as JSON-LD and Turtle: the three datasets
// (declarations, meetings, bodies) and the files the site serves of each
// (JSON, CSV and its Excel variant, Atom, iCalendar). Its words are the
// catalogues' (Dcat…, Data.…), its languages the registry's, its dates the
// records', its place, contact point and licence the content's — the last
// two only once the City has confirmed them. The shapes it is tested
// against, with the specification's section for each, are in
// internal/web/testdata/dcat-ap-shapes.ttl.

const (
	mediaJSONLD = "application/ld+json"
	mediaTurtle = "text/turtle"
)

// The controlled vocabularies DCAT-AP 2.1.1 asks for ("Controlled
// vocabularies to be used"): the EU Publications Office's authority tables
// of file types, languages and data themes, IANA's media types and ADMS's
// publisher types.
const (
	euFileType     = "http://publications.europa.eu/resource/authority/file-type/"
	euLanguage     = "http://publications.europa.eu/resource/authority/language/"
	euThemes       = "http://publications.europa.eu/resource/authority/data-theme"
	ianaMedia      = "http://www.iana.org/assignments/media-types/"
	localAuthority = "http://purl.org/adms/publishertype/LocalAuthority"
)

// dcatThemes are the datasets' themes in the EU's data-theme table:
// government and public sector (GOVE), population and society (SOCI).
var dcatThemes = []string{"GOVE", "SOCI"}

// handleCatalog serves /api/v1/catalog.jsonld and /api/v1/catalog.ttl.
func (s *Server) handleCatalog(w http.ResponseWriter, r *http.Request) error {
	g, err := s.catalogGraph(r)
	if err != nil {
		return err
	}
	if r.URL.Path == urls.CatalogTurtle {
		return writeBytes(w, r, mediaTurtle+"; charset=utf-8", g.Turtle())
	}
	b, err := g.JSONLD()
	if err != nil {
		return err
	}
	return writeBytes(w, r, mediaJSONLD, b)
}

// dcatDataset is one dataset of the catalogue and where its words are.
type dcatDataset struct {
	id     string         // fragment
	typ    content.Type   // record type
	layout content.Layout // section layout
	// temporal: the records' dates are a period the dataset covers
	// (dates of adoption, of meetings). The bodies' founding dates are
	// not one (and the source gives one body's only): their dataset has
	// no dct:temporal, which DCAT-AP recommends but does not require.
	temporal               bool
	title, about, keywords func(*catalog.Labels) string
	dists                  []dcatDist
}

// dcatDist is one file of a dataset: in every language (lang ""), or in
// one.
type dcatDist struct {
	id, path, mediaType, format, lang string
	title, about                      func(*catalog.Labels) string
}

// catalogDatasets lists the datasets and their files, the languages' from
// the registry.
func catalogDatasets(sc *urls.Scheme) []dcatDataset {
	data := func(key string) func(*catalog.Labels) string {
		return func(l *catalog.Labels) string { return l.Data(key) }
	}
	json := func(kind string) dcatDist {
		return dcatDist{id: kind + "-json", path: urls.DataList(kind, urls.JSON), mediaType: "application/json", format: "JSON",
			title: data("Data.json-" + kind), about: data("Data.json-" + kind + ".about")}
	}
	csv := func(kind string) []dcatDist {
		return []dcatDist{
			{id: kind + "-csv", path: urls.DataList(kind, urls.CSV), mediaType: "text/csv", format: "CSV",
				title: data("Data.csv-" + kind), about: data("Data.csv-" + kind + ".about")},
			{id: kind + "-csv-excel", path: urls.DataList(kind, urls.CSVExcel), mediaType: "text/csv", format: "CSV",
				title: func(l *catalog.Labels) string { return l.Data("Data.csv-"+kind) + " (Excel)" },
				about: func(l *catalog.Labels) string { return l.CSVExcel }},
		}
	}
	perLang := func(kind, format, mediaType, key string, path func(tag string) string) []dcatDist {
		var out []dcatDist
		for _, lg := range sc.Reg.All() {
			tag := lg.Tag
			out = append(out, dcatDist{id: kind + "-" + strings.ToLower(format) + "-" + tag, path: path(tag), mediaType: mediaType,
				format: format, lang: tag,
				title: func(l *catalog.Labels) string {
					return catalog.Fill(l.DcatInLanguage, "title", l.Data(key), "language", l.LanguageName(tag))
				},
				about: data(key + ".about")})
		}
		return out
	}
	atom := func(kind string) []dcatDist {
		return perLang(kind, "ATOM", "application/atom+xml", "Data.atom", sc.Feed)
	}
	ical := perLang("meetings", "ICS", "text/calendar", "Data.ical", func(tag string) string { return sc.Calendar(tag, "") })
	return []dcatDataset{
		{id: "declarations", typ: content.TypeDeclaration, layout: content.LayoutDeclarations, temporal: true,
			title:    func(l *catalog.Labels) string { return l.DcatDeclarations },
			about:    func(l *catalog.Labels) string { return l.DcatDeclarationsAbout },
			keywords: func(l *catalog.Labels) string { return l.DcatDeclarationsKeywords },
			dists:    append(append([]dcatDist{json("declarations")}, csv("declarations")...), atom("declarations")...)},
		{id: "meetings", typ: content.TypeMeeting, layout: content.LayoutMeetings, temporal: true,
			title:    func(l *catalog.Labels) string { return l.DcatMeetings },
			about:    func(l *catalog.Labels) string { return l.DcatMeetingsAbout },
			keywords: func(l *catalog.Labels) string { return l.DcatMeetingsKeywords },
			dists:    append(append(append([]dcatDist{json("meetings")}, csv("meetings")...), ical...), atom("meetings")...)},
		{id: "bodies", typ: content.TypeBody, layout: content.LayoutBodies,
			title:    func(l *catalog.Labels) string { return l.DcatBodies },
			about:    func(l *catalog.Labels) string { return l.DcatBodiesAbout },
			keywords: func(l *catalog.Labels) string { return l.DcatBodiesKeywords },
			dists:    append([]dcatDist{json("bodies")}, atom("bodies")...)},
	}
}

// catalogGraph builds the catalogue.
func (s *Server) catalogGraph(r *http.Request) (*rdf.Graph, error) {
	ctx, db, vis := r.Context(), st(r), s.vis()
	b, err := s.newCatalogBuilder(r)
	if err != nil {
		return nil, err
	}
	b.catalog()
	var modified date.Date
	for _, ds := range catalogDatasets(scheme(r)) {
		cov, err := db.Coverage(ctx, ds.typ, vis)
		if err != nil {
			return nil, err
		}
		landing := ""
		if link, err := db.Section(ctx, ds.layout, b.auth, vis); err == nil {
			landing = s.abs(link.Path)
		}
		b.dataset(ds, cov, landing)
		if cov.Modified.String() > modified.String() {
			modified = cov.Modified
		}
	}
	if !modified.IsZero() {
		b.g.Add(b.cat, "dct:modified", dateTerm(modified))
	}
	b.publisherAndContact()
	return b.g, nil
}

// catalogBuilder writes the catalogue's graph from what the store says:
// the publisher (the accessibility statement's entity), the data page's
// catalogue facts (place, contact point) and the re-use conditions.
type catalogBuilder struct {
	s                    *Server
	r                    *http.Request
	g                    *rdf.Graph
	rg                   *lang.Registry
	auth                 string // the authoritative language
	base, cat, publisher string // IRIs
	stmt                 *content.Statement
	place, contactEmail  string
	contact              map[string]string
	license, rights      string
}

func (s *Server) newCatalogBuilder(r *http.Request) (*catalogBuilder, error) {
	ctx, db, rg := r.Context(), st(r), reg(r)
	base := s.abs(urls.CatalogJSONLD) + "#"
	b := &catalogBuilder{s: s, r: r, rg: rg, auth: rg.Authoritative().Tag, base: base, cat: base + "catalog", publisher: base + "publisher",
		g: rdf.New("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dcat", "http://www.w3.org/ns/dcat#", "dct", "http://purl.org/dc/terms/", "foaf", "http://xmlns.com/foaf/0.1/",
			"vcard", "http://www.w3.org/2006/vcard/ns#", "xsd", "http://www.w3.org/2001/XMLSchema#",
			"filetype", euFileType, "lang", euLanguage, "theme", euThemes+"/")}
	var err error
	if b.stmt, err = db.Statement(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: the publisher is the accessibility statement's entity: %w", err)
	}
	facts, err := db.LayoutFacts(ctx, content.LayoutData)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if facts != nil && facts.Catalog != nil {
		b.place, b.contact, b.contactEmail = facts.Catalog.Spatial, facts.Catalog.Contact, facts.Catalog.Email
	}
	if b.license, b.rights, err = s.reuseTerms(r); err != nil {
		return nil, err
	}
	return b, nil
}

// every adds a literal in each language of the registry.
func (b *catalogBuilder) every(subject, predicate string, text func(*catalog.Labels) string) {
	for _, lg := range b.rg.All() {
		b.g.Add(subject, predicate, rdf.Lang(text(labels(b.r, lg.Tag)), lg.Tag))
	}
}

// languages says subject is in every language of the registry.
func (b *catalogBuilder) languages(subject string) {
	for _, lg := range b.rg.All() {
		if code := euLanguageCode(lg.Tag); code != "" {
			b.g.Add(subject, "dct:language", rdf.IRI(euLanguage+code))
		}
	}
}

// conditions adds the conditions that apply to the catalogue and to every
// file, if the City has confirmed them.
func (b *catalogBuilder) conditions(subject string) {
	if b.rights != "" {
		b.g.Add(subject, "dct:rights", rdf.IRI(b.rights))
	}
	if b.license != "" {
		b.g.Add(subject, "dct:license", rdf.IRI(b.license))
	}
}

func (b *catalogBuilder) hasContact() bool { return !isEmpty(b.contact) || b.contactEmail != "" }

// catalog adds the catalogue itself (DCAT-AP §5.1; its datasets and
// modification date are added with them).
func (b *catalogBuilder) catalog() {
	g, cat := b.g, b.cat
	g.Add(cat, "rdf:type", rdf.IRI("dcat:Catalog"))
	b.every(cat, "dct:title", func(l *catalog.Labels) string { return catalog.Fill(l.DcatTitle, "site", l.SiteName) })
	b.every(cat, "dct:description", func(l *catalog.Labels) string { return catalog.Fill(l.DcatDescription, "site", l.SiteName) })
	g.Add(cat, "dct:publisher", rdf.IRI(b.publisher))
	g.Add(cat, "foaf:homepage", rdf.IRI(b.s.abs(scheme(b.r).Home(b.auth))))
	b.languages(cat)
	if !b.stmt.SitePublished.IsZero() {
		g.Add(cat, "dct:issued", dateTerm(b.stmt.SitePublished))
	}
	if b.place != "" {
		g.Add(cat, "dct:spatial", rdf.IRI(b.place))
	}
	g.Add(cat, "dcat:themeTaxonomy", rdf.IRI(euThemes))
	b.conditions(cat)
}

// dataset adds a dataset of the catalogue, its coverage and its landing
// page ("" for none), and its distributions.
func (b *catalogBuilder) dataset(ds dcatDataset, cov store.Coverage, landing string) {
	g, id := b.g, b.base+ds.id
	g.Add(b.cat, "dcat:dataset", rdf.IRI(id))
	g.Add(id, "rdf:type", rdf.IRI("dcat:Dataset"))
	b.every(id, "dct:title", ds.title)
	b.every(id, "dct:description", ds.about)
	for _, lg := range b.rg.All() {
		for _, k := range strings.Split(ds.keywords(labels(b.r, lg.Tag)), ";") {
			g.Add(id, "dcat:keyword", rdf.Lang(strings.TrimSpace(k), lg.Tag))
		}
	}
	g.Add(id, "dct:publisher", rdf.IRI(b.publisher))
	b.languages(id)
	for _, t := range dcatThemes {
		g.Add(id, "dcat:theme", rdf.IRI(euThemes+"/"+t))
	}
	if b.place != "" {
		g.Add(id, "dct:spatial", rdf.IRI(b.place))
	}
	if ds.temporal && !cov.From.IsZero() {
		period := id + "-period"
		g.Add(id, "dct:temporal", rdf.IRI(period))
		g.Add(period, "rdf:type", rdf.IRI("dct:PeriodOfTime"))
		g.Add(period, "dcat:startDate", dateTerm(cov.From))
		g.Add(period, "dcat:endDate", dateTerm(cov.To))
	}
	if !cov.Modified.IsZero() {
		g.Add(id, "dct:modified", dateTerm(cov.Modified))
	}
	if landing != "" {
		g.Add(id, "dcat:landingPage", rdf.IRI(landing))
	}
	if b.hasContact() {
		g.Add(id, "dcat:contactPoint", rdf.IRI(b.base+"contact"))
	}
	for _, d := range ds.dists {
		b.distribution(id, d)
	}
}

// distribution adds a file of dataset id.
func (b *catalogBuilder) distribution(id string, d dcatDist) {
	g, did := b.g, b.base+d.id
	g.Add(id, "dcat:distribution", rdf.IRI(did))
	g.Add(did, "rdf:type", rdf.IRI("dcat:Distribution"))
	b.every(did, "dct:title", d.title)
	b.every(did, "dct:description", d.about)
	g.Add(did, "dcat:accessURL", rdf.IRI(b.s.abs(d.path)))
	g.Add(did, "dcat:downloadURL", rdf.IRI(b.s.abs(d.path)))
	g.Add(did, "dcat:mediaType", rdf.IRI(ianaMedia+d.mediaType))
	g.Add(did, "dct:format", rdf.IRI(euFileType+d.format))
	if d.lang != "" {
		if code := euLanguageCode(d.lang); code != "" {
			g.Add(did, "dct:language", rdf.IRI(euLanguage+code))
		}
	} else {
		b.languages(did)
	}
	b.conditions(did)
}

// publisherAndContact adds the publisher and, if the City has confirmed
// one, the contact point.
func (b *catalogBuilder) publisherAndContact() {
	g, rg := b.g, b.rg
	g.Add(b.publisher, "rdf:type", rdf.IRI("foaf:Agent"))
	for _, lg := range rg.All() {
		g.Add(b.publisher, "foaf:name", rdf.Lang(b.stmt.Entity.In(rg, lg.Tag), lg.Tag))
	}
	g.Add(b.publisher, "dct:type", rdf.IRI(localAuthority))
	if !b.hasContact() {
		return
	}
	c := b.base + "contact"
	g.Add(c, "rdf:type", rdf.IRI("vcard:Organization"))
	for _, lg := range rg.All() {
		if v, _ := rg.Pick(b.contact, lg.Tag); v != "" {
			g.Add(c, "vcard:fn", rdf.Lang(v, lg.Tag))
		}
	}
	if b.contactEmail != "" {
		g.Add(c, "vcard:hasEmail", rdf.IRI("mailto:"+b.contactEmail))
	}
}

// reuseTerms returns the licence the City has confirmed ("" until then)
// and the address of the page on re-use ("" when there is none), which
// the catalogue gives as the rights statement of every file.
func (s *Server) reuseTerms(r *http.Request) (license, rights string, err error) {
	f, err := st(r).LayoutFacts(r.Context(), content.LayoutReuse)
	if errors.Is(err, store.ErrNotFound) {
		return "", "", nil
	}
	if err != nil {
		return "", "", err
	}
	if f.Reuse != nil {
		license = f.Reuse.License
	}
	link, err := st(r).Section(r.Context(), content.LayoutReuse, reg(r).Authoritative().Tag, s.vis())
	if err == nil {
		rights = s.abs(link.Path)
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", "", err
	}
	return license, rights, nil
}

// euLanguageCode is a language's code in the EU's language table: its
// ISO 639-3 code in capitals ("POL", "ENG", "UKR"), from the tag.
func euLanguageCode(tag string) string {
	base, conf := language.Make(tag).Base()
	if conf == language.No {
		return ""
	}
	return strings.ToUpper(base.ISO3())
}

// dateTerm types a date as precisely as it is known: xsd:gYear,
// xsd:gYearMonth or xsd:date.
func dateTerm(d date.Date) rdf.Term {
	s := d.String()
	switch len(s) {
	case 4:
		return rdf.Typed(s, "xsd:gYear")
	case 7:
		return rdf.Typed(s, "xsd:gYearMonth")
	}
	return rdf.Typed(s, "xsd:date")
}

func isEmpty(t map[string]string) bool {
	for _, v := range t {
		if v != "" {
			return false
		}
	}
	return true
}
