package content

import (
	"time"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/lang"
)

// Site is the whole content folder, loaded and checked.
type Site struct {
	Version      string // a hash of every content file: changes when any does
	Languages    *lang.Registry
	Catalogues   map[string]*catalog.Catalogue // by language tag
	Pages        []*Page
	Bodies       []*Body
	Meetings     []*Meeting
	Declarations []*Declaration
	NewURLs      []string // public URLs not yet in the registry (with Options.RecordURLs)
	// Warnings are what the check reports without refusing the content:
	// translations whose authoritative text has changed since.
	Warnings Problems
	// Readability holds the figures of every easy-to-read text, by file.
	Readability []Readability
	// Load tells, for a site a Loader made, what changed since its load
	// before (store.Updater reads it).
	Load LoadInfo `json:"-"`
	// docs lists Docs once the site is assembled (check).
	docs []*Doc
}

// LoadInfo numbers the loads of a Loader and tells what each read.
type LoadInfo struct {
	// Seq numbers the Loader's loads from 1; Prev is the number of the
	// load before, whose files this one took unchanged, or 0 when this
	// load read every file (Load's sites have both 0).
	Seq, Prev uint64
	// Changed holds the ids of the records with a file that this load
	// read again, or that the load before had and this one has not. The
	// records of no other id changed, but in what the whole site makes
	// of them: their addresses, which follow their section's page, and
	// the dates of the pages that list them.
	Changed map[string]bool
}

// Record is what every content type has: an id that never changes and a
// document per language.
type Record struct {
	ID           string
	Type         Type
	Docs         map[string]*Doc // by language tag: one for every language of the registry (see Doc.Fallback)
	Untranslated Untranslated
}

// Doc returns the document in lang, or nil.
func (r *Record) Doc(lang string) *Doc { return r.Docs[lang] }

// Doc is one language version of a record: one content file, or, where the
// record has no file in a language, the page of that language that shows
// the text of its fallback (Fallback names its language).
type Doc struct {
	Lang     string // the language of the page: its address, its interface
	Fallback string // "" for a file of its own; else the language of the text it shows
	File     string // relative to the content folder (of the text shown)
	// SourceHash identifies the version of an authoritative text (its
	// title, summary, context and text); TranslationOf is the one a
	// translation says it translates; Status compares them.
	SourceHash    string
	TranslationOf string
	Status        TranslationStatus
	Title         string
	Summary       string
	TitleNote     string
	Slug          string
	Path          string // the URL path, e.g. /deklaracje/2021-stanowisko-afganistan
	Aliases       []string
	Draft         bool
	Publish       time.Time // zero: always
	Expires       time.Time // zero: never
	Published     date.Date
	Updated       date.Date
	Changes       []Change

	HTML        string // the Markdown body, rendered
	Text        string // the body as plain text
	ContextHTML string // declarations: the context, rendered
	ContextText string
	Paragraphs  []Paragraph // declarations: the numbered blocks of the text
	// EasyHTML is the easy-to-read summary (bodies, declarations),
	// rendered; EasyText its words. Readability holds the figures of the
	// document's easy-to-read texts (that summary, or the text of the
	// easy-to-read page).
	EasyHTML    string
	EasyText    string
	Readability []Readability
	easyRead    bool // the file says easy_read: true

	anchors []string
	links   []located[mdLink]
	meta    *decoder
}

// TranslationStatus says how a document stands to the authoritative text.
type TranslationStatus string

// The translation statuses.
const (
	Original   TranslationStatus = "original"   // the authoritative text itself
	Current    TranslationStatus = "current"    // translates the authoritative text as it is
	Outdated   TranslationStatus = "outdated"   // the authoritative text changed since
	Unverified TranslationStatus = "unverified" // says nothing of the version it translates
	Fallback   TranslationStatus = "fallback"   // no translation: the fallback's text is shown
)

// Change is a note on a major change to a document.
type Change struct {
	Date date.Date
	Note string
}

// Page is a free page or a section index, such as the home page or the
// list of declarations.
type Page struct {
	Record
	Layout    Layout
	Menu      int        // position in the main menu; 0 for none
	Footer    int        // position in the footer links; 0 for none
	Statement *Statement // the accessibility statement's facts (layout accessibility)
	EasyRead  bool       // the page in easy-to-read text, linked from the header

	// The facts of a few pages (pagefacts.go).
	SignVideo *SignVideo    // a recording in Polish Sign Language, shown on the page
	Reuse     *Reuse        // the page on re-use: what the City has confirmed
	Catalog   *CatalogFacts // the data page: what the catalogue says of every dataset
}

// Statement is what the statutory accessibility statement says.
type Statement struct {
	Entity                     Text
	SitePublished, SiteUpdated date.Date
	Status                     string // compliant, partial, noncompliant
	Problems                   []Text
	Prepared, Reviewed         date.Date
	Method, Contact            Text
	Email, Phone               string
	// Confirmed lists the contact details (contact, email, phone) the
	// City has confirmed: the only ones published.
	Confirmed     []string
	Architecture  Text
	Communication Text
}

// Body is an organisation or a team.
type Body struct {
	Record
	Name         Text
	Abbr         string
	Kind         string // association, commission, team, organisation
	Parent       string // id of the body this one is part of
	Founded      date.Date
	FoundedLabel Text   // what Founded stands for, if not the setting up itself
	FoundedWith  string // id of the declaration it was set up in connection with
	SupportedBy  []string
}

// The kinds of body (Body.Kind): the only list of them, which the front
// matter's enum of kind must equal (a test checks).
const (
	BodyAssociation  = "association"
	BodyCommission   = "commission"
	BodyTeam         = "team"
	BodyOrganisation = "organisation"
)

// BodyKinds lists the kinds of body, in the schema's order.
var BodyKinds = []string{BodyAssociation, BodyCommission, BodyTeam, BodyOrganisation}

// PlatformKind reports whether a body of kind is one of the inter-city
// platforms the site presents, in which the City takes part — a commission
// or a team — rather than an association or organisation they belong to.
// The home page lists these.
func PlatformKind(kind string) bool { return kind == BodyCommission || kind == BodyTeam }

// Meeting is a dated meeting of a body.
type Meeting struct {
	Record
	Body         string
	Date         date.Range
	Place        Text
	Mode         string // in_person, online, hybrid; "" when the source does not say
	Topics       []Text
	Participants []Text
	Documents    []Document
}

// Document is a document of a meeting.
type Document struct {
	Title Text
	URL   string
}

// Declaration is a declaration, position or appeal.
type Declaration struct {
	Record
	Kind           string // declaration, position, appeal
	Body           string
	Date           date.Range
	Author         Text
	Event          Text
	Place          Text
	Language       string // of the original, authoritative text
	TextScope      string // full, excerpts, none: how much of the text the site holds
	Signatories    []Signatory
	SignatoryCount int // 0 when the source does not say
	RefersTo       []string
	Source         *Source
}

// Signatory is a named signatory with their role at the time.
type Signatory struct {
	Name string
	Role Text
}

// Source says where a text was first published.
type Source struct {
	Title Text
	URL   string
}

// located is a value found at a byte offset of a document's Markdown.
type located[T any] struct {
	V    T
	file string
	at   pos
}
