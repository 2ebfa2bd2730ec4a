package catalog

import (
	"golang.org/x/text/language"

	"github.com/krakow/wspolpraca/internal/date"
)

// Labels are the words of the site's interface in one language. Each
// exported field is the message of its name in the language's catalogue;
// placeholders are in braces.
type Labels struct {
	Lang string `catalog:"-"` // the catalogue's language tag

	// The frame of every page.
	SiteName    string
	SiteTagline string
	SkipLink    string
	Home        string
	Breadcrumbs string
	MainMenu    string
	LanguageNav string // the label of the language navigation
	SearchLabel string
	SearchButton,
	LastUpdated,
	FirstPublished,
	FooterNav,
	DraftBanner,
	NotInSource string // where the source does not give a fact
	EasyRead    string // the link to the easy-to-read page
	QuoteOpen   string // „ “ «
	QuoteClose  string // ” ” »
	ErrorPrefix string // "Błąd:", before the title of a page that shows an error (and a space)
	// ShareImageAlt describes a page's share image (og:image:alt): {title}
	// is the page's title, {site} the site's name, which it shows.
	ShareImageAlt string

	// EasyReadSummary heads a body's or a declaration's summary in
	// easy-to-read text.
	EasyReadSummary string

	// Translations.
	TranslationNote   string // on a translated page: "{language}" is the authoritative language's name
	AuthoritativeLink string // the link to the authoritative text
	FallbackNote      string // on a page shown in {fallback} because it has no version in {language}
	OutdatedNote      string // {date}: when the authoritative text changed after this translation
	QuotesTranslated  string // on a translated declaration: its quotations are unofficial translations
	AuthoritativeIn   string // {language}

	// Records.
	Date, Body, Place, Mode, Topics, Participants, Documents string
	Author, Event, Signatories, SignatoryCount, Language     string
	Text, RefersTo, ReferredBy, FoundedWith                  string
	FoundedBodies, PartOf, Parts, SupportedBy, Supports      string
	Founded, Record, Related, Changes, NoChanges, Source     string
	Meetings, Declarations, Bodies, Latest, AllMeetings      string
	AllDeclarations, NoMeetings, NoDeclarations, Permalink   string
	TitleNote, Paragraph, Prev, Next, Timeline               string
	PageOf                                                   string // {page}, {pages}
	OnlyBody, ShowAllBodies                                  string
	AllMeetingsOf, AllDeclarationsOf                         string // {count}
	NamedOnly                                                string
	ShortName, CiteThis, CiteDownload, Versions              string
	CSVExcel                                                 string // what the CSV variant with a byte order mark is for
	CiteIn                                                   string // {language}: the heading of a reference in that language
	CiteVersion                                              string // {date}: the version cited
	Original, TranslationOf, Formats, Fields, Field          string
	Description, Address, DataFor, TimelineFounded           string
	FirstPublishedShort                                      string

	// Error pages.
	NotFoundTitle, NotFoundText, ServerErrorTitle    string
	ServerErrorText, BadRequestTitle, BadRequestText string
	RequestID, GoHome, GoneTitle, GoneText           string
	TooManyTitle, TooManyText, BusyTitle, BusyText   string

	// Search.
	SearchResultsFor                                  string // {query}
	SearchFound                                       Count  // {count}
	SearchFoundMore                                   Count  // {count}
	SearchNone                                        string // {query}
	SearchHints, SearchHint1, SearchHint2             string
	SearchHint3, SearchHint4                          string
	SearchTypeLabel, SearchBodyLabel, SearchYearLabel string
	SearchLangLabel, SearchAnyType, SearchAnyBody     string
	SearchAllLangs, SearchDidYouMean, SearchPastEnd   string
	SearchFirstPage, SearchFilters, SearchYearHint    string
	SearchInvalid, SearchTooLong, SearchBadFilter     string
	SearchBadPage, SearchPageTooFar, SearchNoWords    string
	SearchPhraseTooLong, SearchTooBroad               string
	SearchWithoutFilters                              string

	// The accessibility statement's fixed wording (the technical
	// conditions' structure); the family Status gives the sentence of each
	// compliance status.
	StIntro                                          string // {entity}, {scope}, {site}
	StScope, StPublished, StUpdated, StStatusHeading string
	StProblemsHeading, StPreparedHeading             string
	StPrepared, StReviewed                           string // {date}
	StFeaturesHeading, StFeedbackHeading             string
	StFeedback                                       string // {contact}
	StContactPending                                 string // no confirmed contact yet: the City will add it
	StDetailPending                                  string // an e-mail address or phone not confirmed yet
	StEmail, StPhone, StComplaintsHeading            string
	StProcedure1, StProcedure2, StProcedure3         string
	StProcedure4                                     string // {ombudsman}
	StOmbudsman, StOtherHeading                      string
	StArchitectureHeading, StCommunicationHeading    string

	// The accessibility statement's sentence on the recording in Polish
	// Sign Language: where it is ({page}), or that there is none yet.
	StSignLanguage, StSignLanguagePending string

	// A recording in Polish Sign Language on a page: its heading, the
	// label of its captions ({language}), its transcript's heading, its
	// length ({duration}) and download ({format}, {size}), and what a
	// browser that plays no video shows.
	SignVideoHeading, SignVideoCaptions, SignVideoTranscript   string
	SignVideoDuration, SignVideoDownload, SignVideoUnsupported string
	// Lengths and sizes: {min} and {sec}; {size}, in megabytes written
	// with the language's DecimalSeparator.
	DurationMinSec, DurationSec, SizeMB, DecimalSeparator string

	// The page on re-use: its headings, and what it says of a condition
	// or licence the City has not confirmed yet ({entity}: who will give
	// it); ReuseCatalog links the catalogue ({jsonld}, {turtle}).
	ReuseConditionsHeading, ReuseLicenseHeading, ReusePending, ReuseCatalog string

	// The open-data catalogue (DCAT-AP): its title and description
	// ({site}), each dataset's title, description and keywords (separated
	// by "; "), and the title of a distribution in one language ({title},
	// {language}).
	DcatTitle, DcatDescription                                        string
	DcatDeclarations, DcatDeclarationsAbout, DcatDeclarationsKeywords string
	DcatMeetings, DcatMeetingsAbout, DcatMeetingsKeywords             string
	DcatBodies, DcatBodiesAbout, DcatBodiesKeywords                   string
	DcatInLanguage                                                    string

	// Dates: patterns with {day}, {month} and {year}; the month names are
	// the families Month (in the case a day takes) and MonthStandalone.
	DateDay, DateDayMonth, DateMonth, DateYear string

	family map[string]string
	names  date.Names
	self   language.Tag
}
