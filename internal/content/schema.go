package content

import (
	"github.com/krakow/wspolpraca/internal/urls"

	"reflect"
	"slices"
	"time"

	"github.com/krakow/wspolpraca/internal/date"
)

// The front matter of each content type. Struct tags are the schema: the
// loader decodes with them and the editors' reference is generated from
// them, so the two cannot drift.

// commonMeta is the front matter every file may carry, in either language.
type commonMeta struct {
	ID            string       `yaml:"id" fm:"required" doc:"The record's permanent identifier: lowercase letters, digits and hyphens. It never changes once published; every language's file of a record shares it." example:"2021-stanowisko-afganistan"`
	Title         string       `yaml:"title" fm:"required" doc:"The title, in this file's language." example:"Stanowisko prezydentów miast UMP w sprawie uchodźców z Afganistanu"`
	Summary       string       `yaml:"summary" fm:"required" doc:"One or two sentences for lists, search results and link previews." example:"Prezydent Krakowa dołączył do wspólnego stanowiska prezydentów miast UMP."`
	Published     date.Date    `yaml:"published" fm:"required" doc:"The day this file was first published on this site." example:"2026-11-25"`
	Changes       []change     `yaml:"changes" doc:"Major changes, oldest first: a change of meaning or of a fact needs a note, and its date becomes the page's last-updated date. A minor change (a typo, a link) needs no note and changes no date."`
	Aliases       []string     `yaml:"aliases" doc:"Old URLs of this page. Each answers 301 to the current URL. When a URL changes, list the old one here: a published URL must never stop working." example:"[/stara-sciezka]"`
	Draft         bool         `yaml:"draft" doc:"true hides the file on the live site; the preview (make dev) shows it with a banner." example:"true"`
	Publish       time.Time    `yaml:"publish" doc:"The moment the file becomes visible (Kraków time unless an offset is given)." example:"2026-12-01 09:00"`
	Expires       time.Time    `yaml:"expires" doc:"The moment the file stops being visible." example:"2027-01-31"`
	Untranslated  Untranslated `yaml:"untranslated" fm:"authoritative" doc:"The languages this record is deliberately not translated into, as a list of tags, or true for every one; otherwise it needs a file in every complete language. Its pages in those languages show the text of their fallback, and say so." example:"[en, uk]"`
	TranslationOf string       `yaml:"translation_of" doc:"In a translation: the version of the authoritative text it translates (a hash of its title, summary and text), written by make translated. When the authoritative text changes afterwards, the check warns and the page says the translation may be out of date." example:"3f9a1c0e2b7d"`
}

// Untranslated names the languages a record is deliberately not
// translated into: every one (All) or those listed.
type Untranslated struct {
	All   bool
	Langs []string
}

// Has reports whether tag is one of them.
func (u Untranslated) Has(tag string) bool { return u.All || slices.Contains(u.Langs, tag) }

func (c *commonMeta) base() *commonMeta { return c }

// change is one note in a file's change history.
type change struct {
	Date date.Date `yaml:"date" fm:"required" doc:"The day of the change." example:"2026-12-02"`
	Note string    `yaml:"note" fm:"required" doc:"What changed, in this file's language." example:"Dodano drugi cytat ze stanowiska."`
}

// pageMeta is the front matter of a free page or a section index.
type pageMeta struct {
	commonMeta `yaml:",inline"`
	Slug       string         `yaml:"slug" doc:"The URL segment, in this file's language (lowercase, hyphens). Not used by the home page." example:"os-czasu"`
	Layout     string         `yaml:"layout" fm:"authoritative" enum:"home|page|bodies|meetings|declarations|timeline|search|data|changes|accessibility|reuse" doc:"How the page is built. page shows its text; the others show the text followed by generated lists. Defaults to page." example:"timeline"`
	Menu       int            `yaml:"menu" fm:"authoritative" doc:"Position in the main menu (1 first); 0 or absent keeps the page out of the menu." example:"3"`
	Footer     int            `yaml:"footer" fm:"authoritative" doc:"Position in the footer links (1 first); 0 or absent keeps the page out of the footer." example:"1"`
	Statement  *statementMeta `yaml:"statement" fm:"authoritative" doc:"The facts of the accessibility statement: only on the page with layout accessibility, which needs it."`
	EasyRead   bool           `yaml:"easy_read" doc:"true makes this the site's page in easy-to-read text (ETR), linked from the header of every page; its text is then checked like an easy_read_summary (README: Easy-to-read text). Every language's file of the page says it." example:"true"`
	SignVideo  *signVideoMeta `yaml:"sign_language_video" fm:"authoritative" doc:"A recording of the page's information in Polish Sign Language (PJM), self-hosted: the page (layout page) shows it with its captions, transcript, duration, size and a download link, and the accessibility statement links to it. Only the City can supply one: never publish a stand-in."`
	Reuse      *reuseMeta     `yaml:"reuse" fm:"authoritative" doc:"What the City has decided about re-using the site's information: only on the page with layout reuse, which needs it."`
	Catalog    *catalogMeta   `yaml:"catalog" fm:"authoritative" doc:"What the open-data catalogue (DCAT-AP, /api/v1/catalog.jsonld and .ttl) says of every dataset: only on the page with layout data."`
}

// statementMeta holds the facts the statutory accessibility statement must
// give (the act of 4 April 2019 on digital accessibility of public bodies'
// websites, and the technical conditions of its structure).
type statementMeta struct {
	Entity        Text      `yaml:"entity" fm:"required" doc:"The public body the site belongs to." example:"{pl: Gmina Miejska Kraków, en: Municipality of Kraków, uk: Міська гміна Краків}"`
	SitePublished date.Date `yaml:"site_published" fm:"required" doc:"The day the site was first published." example:"2026-11-25"`
	SiteUpdated   date.Date `yaml:"site_updated" fm:"required" doc:"The day of the site's last significant update." example:"2026-11-25"`
	Status        string    `yaml:"status" fm:"required" enum:"compliant|partial|noncompliant" doc:"Compliance with the act: compliant, partial or noncompliant." example:"compliant"`
	Problems      []Text    `yaml:"problems" doc:"What is not accessible, and why (required unless compliant)."`
	Prepared      date.Date `yaml:"prepared" fm:"required" doc:"The day the statement was first prepared." example:"2026-11-25"`
	Reviewed      date.Date `yaml:"reviewed" doc:"The day of the statement's last review." example:"2027-03-31"`
	Method        Text      `yaml:"method" fm:"required" doc:"How accessibility was assessed: a self-assessment, or an external audit (name the auditor)."`
	Contact       Text      `yaml:"contact" doc:"Who handles accessibility requests: a person or a unit, as the City gives it. Published only when listed under confirmed." example:"Koordynator ds. dostępności"`
	Email         string    `yaml:"email" doc:"Their e-mail address, as the City gives it. Published only when listed under confirmed." example:"dostepnosc@example.org"`
	Phone         string    `yaml:"phone" doc:"Their phone number, as the City gives it. Published only when listed under confirmed." example:"12 345 67 89"`
	Confirmed     []string  `yaml:"confirmed" enum:"contact|email|phone" doc:"The contact details the City has confirmed: only these are published; until then the statement says that the City will add them. No contact detail may be written that no source gives." example:"[contact, email, phone]"`
	Architecture  Text      `yaml:"architecture" fm:"required" doc:"Architectural accessibility of the body's buildings, or where it is described."`
	Communication Text      `yaml:"communication" fm:"required" doc:"Information and communication accessibility, including whether a Polish sign language interpreter is available."`
}

// bodyMeta is the front matter of an organisation or team.
type bodyMeta struct {
	commonMeta   `yaml:",inline"`
	Slug         string    `yaml:"slug" doc:"The URL segment, in this file's language. Defaults to the id." example:"komisja-praw-czlowieka-zmp"`
	Name         Text      `yaml:"name" fm:"required,authoritative" doc:"The full name, in each language." example:"{pl: Związek Miast Polskich, en: Association of Polish Cities, uk: Союз польських міст}"`
	Abbr         string    `yaml:"abbr" fm:"authoritative" doc:"The short name, if the body has one." example:"ZMP"`
	Kind         string    `yaml:"kind" fm:"required,authoritative" enum:"association|commission|team|organisation" doc:"What the body is." example:"commission"`
	Parent       string    `yaml:"parent" fm:"authoritative" doc:"The id of the body this one is part of." example:"zmp"`
	Founded      date.Date `yaml:"founded" fm:"authoritative" doc:"When the body was set up, as precisely as the source says." example:"2020-11"`
	FoundedLabel Text      `yaml:"founded_label" fm:"authoritative" doc:"What the founded date stands for, when it is not simply the day the body was set up (a decision to set it up, say)." example:"{pl: Decyzja o utworzeniu komisji, en: Decision to set up the commission, uk: Рішення про створення комісії}"`
	FoundedWith  string    `yaml:"founded_in_connection_with" fm:"authoritative" doc:"The id of the declaration in connection with which the body was set up." example:"2017-deklaracja-migracje"`
	SupportedBy  []string  `yaml:"supported_by" fm:"authoritative" doc:"Ids of bodies that support this one's work." example:"[iom, unhcr-polska]"`
	EasySummary  string    `yaml:"easy_read_summary" doc:"What the body is and what Kraków does in it, in easy-to-read text (ETR), in this file's language: Markdown, after |, one short sentence a paragraph (a blank line between sentences). Its page shows it under its own heading (W prostych słowach). The check measures it (README: Easy-to-read text)." example:"Związek Miast Polskich (ZMP) to związek, do którego należą miasta w Polsce."`
}

// meetingMeta is the front matter of a meeting record.
type meetingMeta struct {
	commonMeta   `yaml:",inline"`
	Body         string     `yaml:"body" fm:"required,authoritative" doc:"The id of the body that met." example:"zmp-komisja-praw-czlowieka"`
	Date         date.Range `yaml:"date" fm:"required,authoritative" doc:"The day (or days, as a range) of the meeting." example:"2022-12-16"`
	Place        Text       `yaml:"place" fm:"required,authoritative" doc:"Where the meeting was held." example:"Kraków"`
	Mode         string     `yaml:"mode" fm:"authoritative" enum:"in_person|online|hybrid" doc:"How people attended. Leave it out when the source does not say." example:"in_person"`
	Topics       []Text     `yaml:"topics" fm:"authoritative" doc:"What the meeting dealt with, one per item."`
	Participants []Text     `yaml:"participants" fm:"authoritative" doc:"Who took part, as the source names them. Leave it out when the source does not say."`
	Documents    []document `yaml:"documents" fm:"authoritative" doc:"Documents of the meeting."`
}

// document is a document attached to a meeting.
type document struct {
	Title Text   `yaml:"title" fm:"required" doc:"The document's title." example:"Protokół"`
	URL   string `yaml:"url" fm:"required" doc:"Where the document is published." example:"https://example.org/protokol.pdf"`
}

// declarationMeta is the front matter of a declaration, position or appeal.
type declarationMeta struct {
	commonMeta     `yaml:",inline"`
	Kind           string      `yaml:"kind" fm:"required,authoritative" enum:"declaration|position|appeal" doc:"What kind of text it is." example:"position"`
	Body           string      `yaml:"body" fm:"required,authoritative" doc:"The id of the body in whose name the text was adopted." example:"ump"`
	Date           date.Range  `yaml:"date" fm:"required,authoritative" doc:"When it was adopted or signed, only as precisely as the source says: 2015, 2021-08, 2017-06-29/2017-06-30." example:"2021-08"`
	Author         Text        `yaml:"author" fm:"authoritative" doc:"Who adopted the text, as the source names them. Leave it out when the source does not say." example:"{pl: Prezydenci miast UMP, en: Mayors of the UMP cities, uk: Президенти міст UMP}"`
	Event          Text        `yaml:"event" fm:"authoritative" doc:"The conference or meeting where it was adopted." example:"Miasta Integrujące. Integracja = Bezpieczeństwo"`
	Place          Text        `yaml:"place" fm:"authoritative" doc:"Where it was adopted." example:"Gdańsk"`
	Language       string      `yaml:"language" fm:"authoritative" doc:"The language of the original text, which is authoritative, as a BCP 47 tag. Leave it out when the source does not say." example:"pl"`
	Text           string      `yaml:"text" fm:"required,authoritative" enum:"full|excerpts|none" doc:"How much of the text this site holds: the full text, excerpts quoted by the source, or none." example:"excerpts"`
	Signatories    []signatory `yaml:"signatories" fm:"authoritative" doc:"The signatories the source names, with their role at the time."`
	SignatoryCount int         `yaml:"signatory_count" fm:"authoritative" doc:"How many signed, when the source gives the number." example:"11"`
	RefersTo       []string    `yaml:"refers_to" fm:"authoritative" doc:"Ids of earlier declarations this text refers to. The reverse link (referred to by) appears by itself." example:"[2015-stanowisko-relokacja]"`
	Source         *source     `yaml:"source" fm:"authoritative" doc:"Where the text was first published, when known."`
	Context        string      `yaml:"context" doc:"Markdown shown before the text: how the text came about and Kraków's part in it, in this file's language."`
	TitleNote      string      `yaml:"title_note" doc:"A note on the title, for example that it is descriptive because the source does not give the formal one."`
	EasySummary    string      `yaml:"easy_read_summary" doc:"What the text is and says, in easy-to-read text (ETR), in this file's language: Markdown, after |, one short sentence a paragraph (a blank line between sentences). Its page shows it under its own heading (W prostych słowach). The check measures it (README: Easy-to-read text)." example:"Apel to prośba do innych, żeby coś zrobili."`
}

// signatory is one named signatory of a declaration.
type signatory struct {
	Name string `yaml:"name" fm:"required" doc:"The person's name." example:"Jacek Majchrowski"`
	Role Text   `yaml:"role" fm:"required" doc:"Their role at the time of signing." example:"{pl: Prezydent Miasta Krakowa, en: Mayor of the City of Kraków, uk: президент міста Кракова}"`
}

// source says where a text was first published.
type source struct {
	Title Text   `yaml:"title" fm:"required" doc:"The publication." example:"Biuletyn Informacji Publicznej"`
	URL   string `yaml:"url" doc:"Its address, if it is online." example:"https://example.org/stanowisko"`
}

// A Type is one kind of content, stored in its own folder.
type Type string

// The content types.
const (
	TypePage        Type = "page"
	TypeBody        Type = "body"
	TypeMeeting     Type = "meeting"
	TypeDeclaration Type = "declaration"
)

// Types lists the content types in the order their folders are read.
var Types = []Type{TypePage, TypeBody, TypeMeeting, TypeDeclaration}

// Permalink returns the kind of short permanent address records of type
// t have (urls.Scheme.Permalink): urls.None for pages and bodies.
func (t Type) Permalink() urls.Kind {
	switch t {
	case TypeDeclaration:
		return urls.DeclarationPermalink
	case TypeMeeting:
		return urls.MeetingPermalink
	}
	return urls.None
}

// Folder returns the content folder holding files of type t.
func (t Type) Folder() string {
	switch t {
	case TypeBody:
		return "bodies"
	case TypeMeeting:
		return "meetings"
	case TypeDeclaration:
		return "declarations"
	}
	return "pages"
}

// A Layout says how a page is built: LayoutPage shows its text; the
// others show the text followed by generated lists.
type Layout string

// The page layouts.
const (
	LayoutHome          Layout = "home"
	LayoutPage          Layout = "page"
	LayoutBodies        Layout = "bodies"
	LayoutMeetings      Layout = "meetings"
	LayoutDeclarations  Layout = "declarations"
	LayoutTimeline      Layout = "timeline"
	LayoutSearch        Layout = "search"
	LayoutData          Layout = "data"
	LayoutChanges       Layout = "changes"
	LayoutAccessibility Layout = "accessibility"
	LayoutReuse         Layout = "reuse"
)

// Layouts lists the page layouts, in the order of pageMeta.Layout's enum
// tag (a test keeps the two equal).
var Layouts = []Layout{LayoutHome, LayoutPage, LayoutBodies, LayoutMeetings, LayoutDeclarations, LayoutTimeline,
	LayoutSearch, LayoutData, LayoutChanges, LayoutAccessibility, LayoutReuse}

// Section returns the layout of the page listing records of type t, or ""
// for pages.
func (t Type) Section() Layout {
	switch t {
	case TypeBody:
		return LayoutBodies
	case TypeMeeting:
		return LayoutMeetings
	case TypeDeclaration:
		return LayoutDeclarations
	}
	return ""
}

var reflectStatement = reflect.TypeFor[statementMeta]()

func (t Type) metaType() reflect.Type {
	switch t {
	case TypeBody:
		return reflect.TypeFor[bodyMeta]()
	case TypeMeeting:
		return reflect.TypeFor[meetingMeta]()
	case TypeDeclaration:
		return reflect.TypeFor[declarationMeta]()
	}
	return reflect.TypeFor[pageMeta]()
}
