// Package templates renders the site's pages with templ. Components take
// typed views and do no I/O; the only raw HTML they write is what
// internal/content rendered from the editors' Markdown.
//
// Templates must not query the store, read files or the request: what a
// page shows is in its view, which the web package builds.
package templates

import (
	"net/url"
	"strconv"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/lang"

	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/store"
)

// Meta is what the layout needs to know about a page.
type Meta struct {
	L        *catalog.Labels // the interface's words, in Lang
	Lang     string
	Original string // the authoritative language's tag
	Title    string // the page's own title; the layout adds the site name
	// Error: the page shows an error (a 404, a search it cannot run): its
	// title starts with the catalogue's ErrorPrefix ("Błąd: "), the first
	// thing a screen reader says of a page (GOV.UK's error pattern).
	Error       bool
	Description string
	Canonical   string // absolute URL
	Alternates  []Alternate
	Crumbs      []store.Link // from the home page down, the page itself excluded
	Updated     date.Date
	Published   date.Date
	HideUpdated bool             // the page shows its dates itself
	Changes     []content.Change // the page's major changes, oldest first
	Menu        []store.Link
	Footer      []store.Link
	Path        string // the page's own path, to mark the current menu item
	Home        string // the home page of Lang
	Langs       []LangLink
	SearchPath  string
	Draft       bool
	// TextLang is the language of the page's own text when it differs from
	// Lang (a page shown in its fallback's language).
	TextLang string
	// Notice says how the page stands to the authoritative text: nil on
	// the original.
	Notice    *TranslationNotice
	CSS       string // the fingerprinted stylesheet path
	NoIndex   bool
	OG        OpenGraph
	Citation  *Citation // Highwire citation_* tags, on declarations
	JSONLD    any       // schema.org structured data, or nil
	Feeds     []Feed    // <link rel="alternate"> to the page's data, feeds and downloads
	Permalink string    // the permanent link, shown when the page is printed
	Dev       bool      // the preview: include its reload script
	Statement string    // the accessibility statement's absolute URL
}

// OpenGraph is the page's Open Graph (and Twitter card) description.
type OpenGraph struct {
	Type      string   // website, article
	Locale    string   // pl_PL, en_GB, uk_UA
	LocaleAlt []string // the locales of the page's other language versions
	Image     *Image   // the share image (og:image); nil: none
}

// Image is an image for link previews, with what Open Graph says of it.
type Image struct {
	URL           string // absolute
	Type          string // media type
	Width, Height int
	Alt           string // what it shows, in the page's language
}

// WidthText is the image's width in pixels, as og:image:width gives it.
func (i *Image) WidthText() string { return strconv.Itoa(i.Width) }

// HeightText is the image's height in pixels, as og:image:height gives it.
func (i *Image) HeightText() string { return strconv.Itoa(i.Height) }

// LangLink is a language of the language navigation: the page in that
// language (or, where it has none, the page showing its fallback).
type LangLink struct {
	Tag     string
	Name    string // the endonym
	Href    string
	Current bool
}

// TranslationNotice is what a translated page, or one shown in its
// fallback's language, says of itself.
type TranslationNotice struct {
	Original     Alternate // the authoritative text: its language and address
	OriginalName string    // the name of its language, in the page's
	Fallback     bool      // the page has no text in its language: it shows Original's
	Outdated     date.Date // when the authoritative text changed after the translation; zero if it did not
	Quotes       bool      // the translated text holds quotations of the original
}

// Citation is what citation managers read from Highwire meta tags.
type Citation struct {
	Title    string
	Authors  []string
	Date     string // YYYY, YYYY/MM or YYYY/MM/DD
	Language string
	URL      string // the permanent link
	Formats  []Feed // BibTeX, RIS, CSL-JSON downloads
	Refs     []Ref  // ready-to-copy references
}

// Ref is a reference to copy, in one language.
type Ref struct {
	Lang  string
	Label string
	Text  string
}

// Feed is an alternate representation of a page: data, a feed, a download.
type Feed struct {
	Type  string // media type
	Href  string
	Title string
}

// Alternate is a language version of a page, for hreflang links.
type Alternate struct {
	Lang string // a language tag, or x-default
	Href string // absolute URL
}

// Pager is the position of a list page among its pages.
type Pager struct {
	Page, Pages int
	Prev, Next  string // hrefs, "" at the ends
}

// PageView is a free page: its text.
type PageView struct {
	Meta Meta
	Doc  *store.Doc
	// SignVideo is the page's recording in Polish Sign Language, if it
	// has one (free pages only).
	SignVideo *SignVideo
}

// HomeView is the home page.
type HomeView struct {
	PageView
	Bodies       []store.BodyItem
	Declarations []store.DeclarationItem
	Meetings     []store.MeetingItem

	MeetingsPage, DeclarationsPage, TimelinePage store.Link
}

// BodiesView is the list of bodies.
type BodiesView struct {
	PageView
	Bodies []store.BodyItem
}

// BodyView is the page of one body.
type BodyView struct {
	PageView
	Body         *store.Body
	Meetings     []store.MeetingItem
	Declarations []store.DeclarationItem
	// The lists of the body's meetings and declarations, and how many
	// there are, when there are more than the page shows.
	MeetingsAll, DeclarationsAll     string
	MeetingsTotal, DeclarationsTotal int
}

// MeetingsView is a list of meetings.
type MeetingsView struct {
	PageView
	Meetings []store.MeetingItem
	Pager    Pager
	Filter   *ListFilter // nil: every body's
}

// ListFilter is the body a list is limited to.
type ListFilter struct {
	ID    string
	Body  store.Link // the body's page
	Clear string     // the list of every body's
}

// BodyID is the id of the body, or "" for no filter (f nil).
func (f *ListFilter) BodyID() string {
	if f == nil {
		return ""
	}
	return f.ID
}

// MeetingView is the page of one meeting.
type MeetingView struct {
	PageView
	Meeting   *store.Meeting
	Permalink string
}

// DeclarationsView is a list of declarations.
type DeclarationsView struct {
	PageView
	Declarations []store.DeclarationItem
	Pager        Pager
	Filter       *ListFilter // nil: every body's
}

// DeclarationView is the page of one declaration.
type DeclarationView struct {
	PageView
	Declaration *store.Declaration
	Permalink   string // absolute
}

// TimelineView is the timeline, by year.
type TimelineView struct {
	PageView
	Years []TimelineYear
}

// TimelineYear is one year of the timeline.
type TimelineYear struct {
	Year    string
	Entries []store.TimelineEntry
}

// ErrorView is an error page.
type ErrorView struct {
	Meta      Meta
	Status    int
	RequestID string
	Withdrawn date.Date // 410: when the page was withdrawn
}

// DataView is the open-data page: every format and every field.
type DataView struct {
	PageView
	Formats []DataFormat
}

// DataFormat documents one format of the open data.
type DataFormat struct {
	ID          string
	Name        string
	MediaType   string
	Description string
	Links       []Feed   // files to download
	Patterns    []string // address patterns, such as /api/v1/declarations/{id}.json
	Fields      []DataField
}

// DataField documents one field of a format.
type DataField struct {
	Name string
	Desc string
}

// ProblemsView lists the content problems the preview shows in place of a
// page.
type ProblemsView struct {
	Meta     Meta
	Problems []string
}

// ChangesView is the site's change history.
type ChangesView struct {
	PageView
	Entries []store.HistoryEntry
}

// SearchParams names the search form's parameters in one language.
type SearchParams = lang.Params

// SearchView is the search page: the form and, after a search, its results.
type SearchView struct {
	PageView
	Params      SearchParams
	Types       []lang.Value // the type filter's values
	Languages   []*lang.Language
	Form        url.Values            // the form as submitted
	Raw         string                // the query as typed
	Problem     catalog.SearchProblem // why the search cannot run, if it cannot
	Searched    bool
	Results     store.Results
	Suggestions []string
	// Narrowed: the search had a filter (type, body, year, or a language
	// other than the page's and other than all), so the same words
	// without them may find something.
	Narrowed bool
	Pager    Pager
	PastEnd  bool
	Bodies   []store.BodyItem
}

// StatementView is the accessibility statement.
type StatementView struct {
	PageView
	Statement    Statement
	SiteURL      string
	SignLanguage SignLanguageStatus
}

// Statement is what the accessibility statement says, in the page's
// language.
type Statement struct {
	Entity                     string
	SitePublished, SiteUpdated date.Date
	Status                     string // compliant, partial, noncompliant
	Problems                   []string
	Prepared, Reviewed         date.Date
	Method, Contact            string // Contact, Email, Phone: "" until confirmed
	Email, Phone               string
	Architecture               string
	Communication              string
}
