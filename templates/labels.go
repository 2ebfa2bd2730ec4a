package templates

import "fmt"

// Labels are the words of the site's interface in one language. Content
// comes from content/; these are the words around it.
type Labels struct {
	Lang            string
	OtherLang       string
	OtherLangName   string // the other language, named in itself: "English"
	SiteName        string
	SiteTagline     string
	SkipLink        string
	Home            string
	Breadcrumbs     string
	MainMenu        string
	LanguageNav     string
	NoTranslation   string // the switch label when a page has no translation, all in the other language (the link's lang)
	SearchLabel     string
	SearchButton    string
	LastUpdated     string
	FirstPublished  string
	FooterNav       string
	TranslationNote string // on English pages
	PolishVersion   string
	DraftBanner     string
	NotInSource     string

	Date, Body, Place, Mode, Topics, Participants, Documents  string
	Author, Event, Signatories, SignatoryCount, Language      string
	Text, RefersTo, ReferredBy, FoundedWith                   string
	FoundedBodies, PartOf, Parts, SupportedBy, Supports       string
	Founded, Record, Related, Changes, NoChanges, Source      string
	Meetings, Declarations, Bodies, Latest, AllMeetings       string
	AllDeclarations, NoMeetings, NoDeclarations, Permalink    string
	TitleNote, Paragraph, Prev, Next, PageOf, Timeline        string
	OnlyBody, ShowAllBodies, AllMeetingsOf, AllDeclarationsOf string
	ExcerptsNote, NoTextNote, FullTextNote, NamedOnly         string
	NotFoundTitle, NotFoundText, ServerErrorTitle             string
	ServerErrorText, BadRequestTitle, BadRequestText          string
	RequestID, GoHome, TimelineFounded, ShortName             string
	AuthoritativeIn                                           string // format: the language
	CiteThis, CiteDownload, RefPL, RefEN, Versions            string
	Original, TranslationOf, Formats, Fields, Field           string
	Description, Address, DataFor, GoneTitle, GoneText        string
	FirstPublishedShort, TooManyTitle, TooManyText            string
	BusyTitle, BusyText                                       string
	SearchResultsFor, SearchFound, SearchNone, SearchHints    string
	SearchTypeLabel, SearchBodyLabel, SearchYearLabel         string
	SearchLangLabel, SearchAnyType, SearchAnyBody             string
	SearchBothLangs, SearchDidYouMean, SearchPastEnd          string
	SearchFirstPage, SearchFilters, SearchYearHint            string
	SearchFoundMore                                           string
	SearchHintList                                            []string

	messages map[string]string
	types    map[string]string

	modes, kinds, bodyKinds, langs map[string]string
}

var labels = map[string]*Labels{
	"pl": {
		Lang: "pl", OtherLang: "en", OtherLangName: "English",
		SiteName:        "Kraków we współpracy miast",
		SiteTagline:     "Prawa człowieka, równe traktowanie i migracja",
		SkipLink:        "Przejdź do treści",
		Home:            "Strona główna",
		Breadcrumbs:     "Ścieżka",
		MainMenu:        "Menu główne",
		LanguageNav:     "Język",
		NoTranslation:   "English (home page; this page has no English version)",
		SearchLabel:     "Szukaj w serwisie",
		SearchButton:    "Szukaj",
		LastUpdated:     "Ostatnia aktualizacja",
		FirstPublished:  "Pierwsza publikacja w serwisie",
		FooterNav:       "O serwisie",
		TranslationNote: "",
		PolishVersion:   "",
		DraftBanner:     "Wersja robocza: ta strona nie jest widoczna w serwisie.",
		NotInSource:     "źródło nie podaje",

		Date: "Data", Body: "Gremium", Place: "Miejsce", Mode: "Forma posiedzenia", Topics: "Tematy",
		Participants: "Uczestnicy", Documents: "Dokumenty",
		Author: "Autorzy", Event: "Wydarzenie", Signatories: "Sygnatariusze wymienieni w źródle",
		SignatoryCount: "Liczba sygnatariuszy", Language: "Język oryginału",
		AuthoritativeIn: "Tekstem wiążącym jest oryginał w języku: %s.", Text: "Tekst", ShortName: "Skrót",
		CiteThis: "Jak cytować", CiteDownload: "Opis bibliograficzny do pobrania", RefPL: "Po polsku", RefEN: "Po angielsku",
		Versions: "Wersje językowe", Original: "oryginał, tekst wiążący", TranslationOf: "tłumaczenie",
		FirstPublishedShort: "pierwsza publikacja", GoneTitle: "Strona wycofana",
		BusyTitle: "Wyszukiwarka jest chwilowo zajęta", BusyText: "W tej chwili trwa zbyt wiele wyszukiwań naraz. Spróbuj ponownie za kilka sekund; strony serwisu można przeglądać bez przerwy.",
		TooManyTitle: "Zbyt wiele wyszukiwań", TooManyText: "Z tego adresu przyszło w ostatniej minucie zbyt wiele wyszukiwań. Odczekaj chwilę i spróbuj ponownie; strony serwisu można przeglądać bez przerwy.",
		SearchResultsFor: "Wyniki wyszukiwania dla", SearchFound: "Znaleziono: %d",
		SearchFoundMore: "Znaleziono ponad %d stron; pierwsze są najlepiej pasujące spośród najnowszych. Zawęź wyszukiwanie, by zobaczyć starsze.", SearchNone: "Nie znaleziono stron dla „%s”.",
		SearchHints: "Co można zrobić:", SearchTypeLabel: "Rodzaj", SearchBodyLabel: "Gremium", SearchYearLabel: "Rok",
		SearchLangLabel: "Język", SearchAnyType: "wszystkie rodzaje", SearchAnyBody: "wszystkie gremia", SearchBothLangs: "oba języki",
		SearchDidYouMean: "Czy chodziło o:", SearchPastEnd: "Wyników jest mniej: ta strona wyników jest pusta.", SearchFirstPage: "Przejdź do pierwszej strony wyników",
		SearchFilters: "Zawęź wyniki", SearchYearHint: "na przykład 2021",
		SearchHintList: []string{"sprawdź pisownię albo wpisz mniej słów;", "polskie znaki nie są potrzebne: „uchodzcy” znajdzie „uchodźców”;", "frazę ujmij w cudzysłów prosty, np. \"praw człowieka\";", "albo przejrzyj organizacje i zespoły:"},
		types:          map[string]string{"page": "Strona", "body": "Gremium", "meeting": "Posiedzenie", "declaration": "Deklaracja lub stanowisko"},
		messages: map[string]string{
			"SearchInvalid":       "Zapytanie zawiera nieprawidłowe znaki. Wpisz je ponownie.",
			"SearchTooLong":       "Zapytanie jest za długie: może mieć najwyżej 200 znaków.",
			"SearchBadFilter":     "Nie rozpoznano filtra wyszukiwania. Wybierz go z listy poniżej.",
			"SearchBadPage":       "Nieprawidłowy numer strony wyników.",
			"SearchPageTooFar":    "Wyniki można przeglądać do strony 100: zawęź wyszukiwanie, by zobaczyć dalsze.",
			"SearchPhraseTooLong": "Fraza w cudzysłowie może mieć najwyżej 6 słów: skróć ją albo usuń cudzysłów.",
			"SearchTooBroad":      "Tego wyszukiwania nie da się wykonać szybko: jego słowa są bardzo częste. Dodaj rzadsze słowo, usuń cudzysłów albo zawęź wyszukiwanie filtrem.",
			"SearchNoWords":       "Zapytanie nie zawiera słów do wyszukania: wpisz słowo lub frazę.",
		}, GoneText: "Ta strona została wycofana z serwisu",
		Formats: "Formaty", Fields: "Pola", Field: "Pole", Description: "Opis", Address: "Adres", DataFor: "Dane tej strony",
		RefersTo: "Odwołuje się do", ReferredBy: "Przywołują go", FoundedWith: "Powołany w związku z",
		FoundedBodies: "W związku z tym tekstem powołano", PartOf: "Działa przy", Parts: "W jego ramach działa",
		SupportedBy: "Wspierają go", Supports: "Wspiera", Founded: "Utworzenie",
		Record: "Metryka", Related: "Powiązane", Changes: "Historia zmian",
		NoChanges: "Bez zmian od pierwszej publikacji.", Source: "Pierwsza publikacja tekstu",
		Meetings: "Posiedzenia", Declarations: "Deklaracje i stanowiska", Bodies: "Organizacje i zespoły",
		Latest: "Najnowsze", AllMeetings: "Wszystkie posiedzenia", AllDeclarations: "Wszystkie deklaracje i stanowiska",
		NoMeetings: "Nie ma jeszcze zapisów posiedzeń.", NoDeclarations: "Nie ma jeszcze deklaracji.",
		Permalink: "Stały adres", TitleNote: "O tytule", Paragraph: "Akapit",
		Prev: "Poprzednia strona", Next: "Następna strona", PageOf: "Strona %d z %d",
		OnlyBody: "Tylko gremium:", ShowAllBodies: "Pokaż wszystkie gremia",
		AllMeetingsOf: "Wszystkie posiedzenia tego gremium (%d)", AllDeclarationsOf: "Wszystkie deklaracje i stanowiska tego gremium (%d)",
		Timeline:         "Oś czasu",
		ExcerptsNote:     "Ta strona zawiera tylko fragmenty tekstu przytoczone w źródle, nie pełny tekst.",
		NoTextNote:       "Tekstu nie ma w materiałach źródłowych: ta strona podaje tylko jego tytuł, rok i powiązania.",
		FullTextNote:     "Ta strona zawiera pełny tekst.",
		NamedOnly:        "Źródło wymienia z nazwiska tylko te osoby.",
		NotFoundTitle:    "Nie znaleziono strony",
		NotFoundText:     "Pod tym adresem nie ma strony. Jeśli adres został wpisany ręcznie, sprawdź, czy jest poprawny.",
		ServerErrorTitle: "Przepraszamy, wystąpił błąd",
		ServerErrorText:  "Nie udało się wyświetlić strony. Spróbuj ponownie za chwilę.",
		BadRequestTitle:  "Nieprawidłowe zapytanie",
		BadRequestText:   "Adres lub parametry zapytania są nieprawidłowe.",
		RequestID:        "Identyfikator zgłoszenia (podaj go, zgłaszając problem)",
		GoHome:           "Przejdź na stronę główną",
		TimelineFounded:  "Utworzenie",
		modes:            map[string]string{"in_person": "stacjonarne", "online": "zdalne", "hybrid": "hybrydowe"},
		kinds:            map[string]string{"declaration": "Deklaracja", "position": "Stanowisko", "appeal": "Apel"},
		bodyKinds:        map[string]string{"association": "Związek miast", "commission": "Komisja", "team": "Zespół", "organisation": "Organizacja"},
		langs:            map[string]string{"pl": "polski", "en": "angielski"},
	},
	"en": {
		Lang: "en", OtherLang: "pl", OtherLangName: "Polski",
		SiteName:        "Kraków in city cooperation",
		SiteTagline:     "Human rights, equal treatment and migration",
		SkipLink:        "Skip to main content",
		Home:            "Home",
		Breadcrumbs:     "Breadcrumbs",
		MainMenu:        "Main menu",
		LanguageNav:     "Language",
		NoTranslation:   "Polski (strona główna; ta strona nie ma wersji polskiej)",
		SearchLabel:     "Search this site",
		SearchButton:    "Search",
		LastUpdated:     "Last updated",
		FirstPublished:  "First published on this site",
		FooterNav:       "About this site",
		TranslationNote: "This page is a translation. The Polish text is authoritative:",
		PolishVersion:   "read it in Polish",
		DraftBanner:     "Draft: this page is not visible on the live site.",
		NotInSource:     "not given in the source",

		Date: "Date", Body: "Body", Place: "Place", Mode: "Form of meeting", Topics: "Topics",
		Participants: "Participants", Documents: "Documents",
		Author: "Authors", Event: "Event", Signatories: "Signatories named in the source",
		SignatoryCount: "Number of signatories", Language: "Original language",
		AuthoritativeIn: "The authoritative text is the original in %s.", Text: "Text", ShortName: "Short name",
		CiteThis: "Cite this", CiteDownload: "Download the reference", RefPL: "In Polish", RefEN: "In English",
		Versions: "Language versions", Original: "original, authoritative", TranslationOf: "translation",
		FirstPublishedShort: "first published", GoneTitle: "Page withdrawn",
		BusyTitle: "Search is busy for a moment", BusyText: "Too many searches are running at this moment. Try again in a few seconds; you can go on browsing the site meanwhile.",
		TooManyTitle: "Too many searches", TooManyText: "Too many searches came from your address in the last minute. Wait a moment and try again; you can go on browsing the site meanwhile.",
		SearchResultsFor: "Search results for", SearchFound: "Results: %d",
		SearchFoundMore: "More than %d pages found; the first are the best matches among the newest. Narrow the search to see older ones.", SearchNone: "No pages found for “%s”.",
		SearchHints: "What you can do:", SearchTypeLabel: "Type", SearchBodyLabel: "Body", SearchYearLabel: "Year",
		SearchLangLabel: "Language", SearchAnyType: "all types", SearchAnyBody: "all bodies", SearchBothLangs: "both languages",
		SearchDidYouMean: "Did you mean:", SearchPastEnd: "There are fewer results: this page of results is empty.", SearchFirstPage: "Go to the first page of results",
		SearchFilters: "Narrow the results", SearchYearHint: "for example 2021",
		SearchHintList: []string{"check the spelling, or use fewer words;", "Polish letters are not needed: “uchodzcy” finds “uchodźców”;", "put a phrase in straight quotes, for example \"human rights\";", "or browse the organisations and teams:"},
		types:          map[string]string{"page": "Page", "body": "Body", "meeting": "Meeting", "declaration": "Declaration or position"},
		messages: map[string]string{
			"SearchInvalid":       "The query has characters that are not valid. Please type it again.",
			"SearchTooLong":       "The query is too long: it can have at most 200 characters.",
			"SearchBadFilter":     "A search filter was not recognised. Choose it from the list below.",
			"SearchBadPage":       "The page number of the results is not valid.",
			"SearchPageTooFar":    "Results can be browsed up to page 100: narrow the search to see further ones.",
			"SearchPhraseTooLong": "A phrase in quotation marks may have at most 6 words: shorten it or remove the quotation marks.",
			"SearchTooBroad":      "This search cannot be run quickly: its words are very common. Add a rarer word, remove the quotation marks or narrow the search with a filter.",
			"SearchNoWords":       "The query has no words to search for: type a word or a phrase.",
		}, GoneText: "This page was withdrawn from the site on",
		Formats: "Formats", Fields: "Fields", Field: "Field", Description: "Description", Address: "Address", DataFor: "This page's data",
		RefersTo: "Refers to", ReferredBy: "Referred to by", FoundedWith: "Set up in connection with",
		FoundedBodies: "Set up in connection with this text", PartOf: "Part of", Parts: "Within it works",
		SupportedBy: "Supported by", Supports: "Supports", Founded: "Set up",
		Record: "Record", Related: "Related", Changes: "Change history",
		NoChanges: "No changes since first published.", Source: "First publication of the text",
		Meetings: "Meetings", Declarations: "Declarations and positions", Bodies: "Organisations and teams",
		Latest: "Latest", AllMeetings: "All meetings", AllDeclarations: "All declarations and positions",
		NoMeetings: "There are no meeting records yet.", NoDeclarations: "There are no declarations yet.",
		Permalink: "Permanent link", TitleNote: "About the title", Paragraph: "Paragraph",
		Prev: "Previous page", Next: "Next page", PageOf: "Page %d of %d",
		OnlyBody: "Only the body:", ShowAllBodies: "Show all bodies",
		AllMeetingsOf: "All meetings of this body (%d)", AllDeclarationsOf: "All declarations and positions of this body (%d)",
		Timeline:         "Timeline",
		ExcerptsNote:     "This page holds only the passages of the text quoted in the source, not the full text.",
		NoTextNote:       "The text is not in the source material: this page gives only its title, year and relations.",
		FullTextNote:     "This page holds the full text.",
		NamedOnly:        "The source names only these people.",
		NotFoundTitle:    "Page not found",
		NotFoundText:     "There is no page at this address. If you typed the address, check that it is correct.",
		ServerErrorTitle: "Sorry, something went wrong",
		ServerErrorText:  "The page could not be shown. Please try again in a moment.",
		BadRequestTitle:  "Bad request",
		BadRequestText:   "The address or its query parameters are not valid.",
		RequestID:        "Request id (quote it when you report a problem)",
		GoHome:           "Go to the home page",
		TimelineFounded:  "Set up",
		modes:            map[string]string{"in_person": "in person", "online": "online", "hybrid": "hybrid"},
		kinds:            map[string]string{"declaration": "Declaration", "position": "Position", "appeal": "Appeal"},
		bodyKinds:        map[string]string{"association": "Association of cities", "commission": "Commission", "team": "Team", "organisation": "Organisation"},
		langs:            map[string]string{"pl": "Polish", "en": "English"},
	},
}

// L returns the labels of lang, Polish for any language the site lacks.
func L(lang string) *Labels {
	if l, ok := labels[lang]; ok {
		return l
	}
	return labels["pl"]
}

// ModeName names an attendance mode; "" becomes "not given in the source".
func (l *Labels) ModeName(mode string) string { return l.or(l.modes[mode]) }

// KindName names a kind of declaration.
func (l *Labels) KindName(kind string) string { return l.kinds[kind] }

// BodyKindName names a kind of body.
func (l *Labels) BodyKindName(kind string) string { return l.bodyKinds[kind] }

// LangName names a language; "" becomes "not given in the source".
func (l *Labels) LangName(lang string) string { return l.or(l.langs[lang]) }

// Authoritative says which text is authoritative: the original in lang.
func (l *Labels) Authoritative(lang string) string {
	return fmt.Sprintf(l.AuthoritativeIn, l.LangName(lang))
}

// TypeName names a type of record: page, body, meeting, declaration.
func (l *Labels) TypeName(t string) string { return l.types[t] }

// Message returns the message with key (a search problem).
func (l *Labels) Message(key string) string { return l.messages[key] }

// Page says which page of how many a list shows.
func (l *Labels) Page(n, of int) string { return fmt.Sprintf(l.PageOf, n, of) }

func (l *Labels) or(s string) string {
	if s == "" {
		return l.NotInSource
	}
	return s
}
