// Package urls owns the site's address scheme: every address the program
// itself serves (as opposed to the content pages, whose addresses are their
// slugs and ids), in every language of the registry. The router, the
// templates, the content check, the feeds, the sitemap, the export and the
// corpus ask it rather than build paths themselves (as pkgsite keeps its
// URL rules in internal/frontend/urlinfo).
//
// It knows the languages only through a lang.Registry, and must not import
// any other package of the site.
package urls

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/krakow/wspolpraca/internal/lang"
)

// Kind is what a program address serves.
type Kind int

// The kinds of program addresses.
const (
	None                 Kind = iota
	DeclarationPermalink      // {prefix}/d/{id}
	MeetingPermalink          // {prefix}/m/{id}
	Feed                      // {prefix}/atom.xml
	Calendar                  // {prefix}/kalendarz.ics
	BodyCalendar              // {prefix}/kalendarz/{body}.ics
)

// Route is a program address of one language, parsed.
type Route struct {
	Kind Kind
	Lang *lang.Language
	ID   string // the record's id (permalinks), the body's (a body's calendar)
}

// Citation is a download for citation managers, served at a declaration's
// path plus its extension: /deklaracje/{id}.bib.
type Citation struct {
	Ext, MediaType, Name string
}

// Citations are the citation downloads, in the order pages list them.
var Citations = []Citation{
	{".bib", "application/x-bibtex; charset=utf-8", "BibTeX"},
	{".ris", "application/x-research-info-systems; charset=utf-8", "RIS"},
	{".csl.json", "application/vnd.citationstyles.csl+json; charset=utf-8", "CSL-JSON"},
}

// CitationOf returns the citation a path asks for and the page's path.
func CitationOf(p string) (Citation, string, bool) {
	for _, c := range Citations {
		if page, ok := strings.CutSuffix(p, c.Ext); ok && page != "" && !strings.HasSuffix(page, "/") {
			return c, page, true
		}
	}
	return Citation{}, "", false
}

// Paths of the program that do not depend on language.
const (
	Health  = "/healthz"
	Robots  = "/robots.txt"
	Sitemap = "/sitemap.xml"
	Favicon = "/favicon.ico"
	Static  = "/static/"
	API     = "/api/v1/"
	// APIRoot is where every version of the API is (an unknown one
	// answers as the API does: in JSON, with CORS).
	APIRoot = "/api/"
	Dev     = "/_dev/"
	// The preview's reload script and its event stream (serve -dev).
	DevScript = "/_dev/reload.js"
	DevEvents = "/_dev/events"
	// The site's icon, in SVG (Favicon is the ICO).
	Icon   = "/static/img/icon.svg"
	Search = "/api/v1/search.json"
	// The catalogue of the open data (DCAT-AP), as JSON-LD and Turtle.
	CatalogJSONLD = "/api/v1/catalog.jsonld"
	CatalogTurtle = "/api/v1/catalog.ttl"
)

// The open-data files of the API, per dataset ("declarations", "meetings",
// "bodies": content.Type.Folder): the list in JSON and CSV, the CSV for
// Excel (a byte order mark, and ";" between fields: web.writeCSV), and one
// record in JSON.
const (
	JSON     = ".json"
	CSV      = ".csv"
	CSVExcel = "-excel.csv"
)

// DataList returns the path of the list of dataset in format (JSON, CSV,
// CSVExcel): "/api/v1/declarations.json".
func DataList(dataset, format string) string { return API + dataset + format }

// DataRecord returns the path of record id of dataset in JSON:
// "/api/v1/declarations/{id}.json"; with id "{id}", its pattern.
func DataRecord(dataset, id string) string { return API + dataset + "/" + id + JSON }

// The content pages' addresses. The home page of a language is its
// prefix and "/" (lang.Language.Home); a free page or section page is the
// prefix and its slug; a record's page is under its section page.

// Page returns the path of the free or section page of tag with slug:
// "/o-stronie", "/en/about".
func (s *Scheme) Page(tag, slug string) string { return s.Reg.Must(tag).Prefix + "/" + slug }

// Record returns the path of a record's page under its section page's
// path: a body by its slug, a meeting or declaration by its id
// ("/deklaracje/2021-stanowisko-afganistan").
func Record(section, name string) string { return section + "/" + name }

// SitemapPart is the path of part n (1-based) of a large site's sitemap.
func SitemapPart(n int) string { return "/sitemap-" + strconv.Itoa(n) + ".xml" }

// SitemapParts is the route pattern of the sitemap's parts (chi's syntax).
const SitemapParts = "/sitemap-{part}.xml"

// IsSitemapPart reports whether path is that of a part of the sitemap.
func IsSitemapPart(path string) bool {
	return strings.HasPrefix(path, "/sitemap-") && strings.HasSuffix(path, ".xml")
}

// Scheme is the address scheme of a registry's languages.
type Scheme struct {
	Reg *lang.Registry
	// reserved is what Reserved tests, made once (the content check asks
	// for every page's address and alias).
	reservedOnce sync.Once
	reserved     reservedPaths
}

// reservedPaths are the program's paths: exact ones, and folders (with
// their trailing slash; the folder's own path is among the exact ones).
type reservedPaths struct {
	exact   map[string]bool
	folders []string
}

// New returns the scheme of reg.
func New(reg *lang.Registry) *Scheme { return &Scheme{Reg: reg} }

// Home returns the home page's path in tag: "/", "/en/".
func (s *Scheme) Home(tag string) string { return s.Reg.Must(tag).Home() }

// Permalink returns the short permanent path of a declaration
// (DeclarationPermalink) or meeting (MeetingPermalink) in tag ("/d/{id}",
// "/en/d/{id}"), or "" for another kind (content.Type.Permalink gives a
// record type's).
func (s *Scheme) Permalink(k Kind, id, tag string) string {
	l := s.Reg.Must(tag)
	switch k {
	case DeclarationPermalink:
		return l.Prefix + "/" + l.Segments.DeclarationPermalink + "/" + id
	case MeetingPermalink:
		return l.Prefix + "/" + l.Segments.MeetingPermalink + "/" + id
	}
	return ""
}

// Feed returns the Atom feed's path in tag.
func (s *Scheme) Feed(tag string) string {
	l := s.Reg.Must(tag)
	return l.Prefix + "/" + l.Segments.Feed
}

// Calendar returns the path of the calendar of every meeting in tag, or of
// one body's meetings.
func (s *Scheme) Calendar(tag, body string) string {
	l := s.Reg.Must(tag)
	if body == "" {
		return l.Prefix + "/" + l.Segments.Calendar + ".ics"
	}
	return l.Prefix + "/" + l.Segments.Calendar + "/" + body + ".ics"
}

// Parse returns the program address path is, if it is one of the
// language-dependent ones (permalinks, feeds, calendars).
func (s *Scheme) Parse(path string) (Route, bool) {
	// (Every request of a page asks, through the open-data middleware:
	// it compares without building a string.)
	l := s.Reg.OfPath(path)
	rest, ok := strings.CutPrefix(strings.TrimPrefix(path, l.Prefix), "/")
	if !ok {
		return Route{}, false
	}
	seg := l.Segments
	switch {
	case rest == seg.Feed:
		return Route{Kind: Feed, Lang: l}, true
	case len(rest) == len(seg.Calendar)+len(".ics") && strings.HasPrefix(rest, seg.Calendar) && strings.HasSuffix(rest, ".ics"):
		return Route{Kind: Calendar, Lang: l}, true
	}
	for _, p := range [...]struct {
		segment, suffix string
		kind            Kind
	}{
		{seg.DeclarationPermalink, "", DeclarationPermalink},
		{seg.MeetingPermalink, "", MeetingPermalink},
		{seg.Calendar, ".ics", BodyCalendar},
	} {
		id, ok := strings.CutPrefix(rest, p.segment)
		if !ok || !strings.HasPrefix(id, "/") {
			continue
		}
		if id, ok = strings.CutSuffix(id[1:], p.suffix); ok && id != "" && !strings.Contains(id, "/") {
			return Route{Kind: p.kind, Lang: l, ID: id}, true
		}
	}
	return Route{}, false
}

// Reserved reports whether path belongs to the program: no content page or
// alias may be there, as none would ever be reached. That is every
// language-independent path and folder, every language's permalinks,
// feeds and calendars, a language prefix without its slash ("/en",
// answered with a redirect to "/en/"), and a path ending as a citation
// download does.
func (s *Scheme) Reserved(path string) bool {
	s.reservedOnce.Do(s.makeReserved)
	r := &s.reserved
	if r.exact[path] {
		return true
	}
	if strings.HasPrefix(path, "/sitemap-") && strings.HasSuffix(path, ".xml") {
		return true
	}
	for _, f := range r.folders {
		if strings.HasPrefix(path, f) {
			return true
		}
	}
	_, _, ok := CitationOf(path)
	return ok
}

func (s *Scheme) makeReserved() {
	r := reservedPaths{exact: map[string]bool{Health: true, Robots: true, Sitemap: true, Favicon: true, ShareHome: true}}
	folder := func(f string) {
		r.folders = append(r.folders, f)
		r.exact[strings.TrimSuffix(f, "/")] = true
	}
	for _, f := range []string{Static, API, Dev, Share} {
		folder(f)
	}
	for _, l := range s.Reg.All() {
		if l.Prefix != "" {
			r.exact[l.Prefix] = true
		}
		seg := l.Segments
		for _, f := range []string{seg.DeclarationPermalink, seg.MeetingPermalink, seg.Calendar} {
			folder(l.Prefix + "/" + f + "/")
		}
		r.exact[s.Feed(l.Tag)] = true
		r.exact[s.Calendar(l.Tag, "")] = true
	}
	s.reserved = r
}

// Served reports whether the program answers path itself (a feed, a data
// file, a calendar, the sitemap): the content may link to it.
func (s *Scheme) Served(path string) bool {
	if slices.Contains([]string{Robots, Sitemap, Favicon}, path) || strings.HasPrefix(path, API) {
		return true
	}
	_, ok := s.Parse(path)
	return ok
}
