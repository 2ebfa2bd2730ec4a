package web

import (
	"net/http"
	"reflect"
	"strings"

	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/templates"
)

// The data page (/dane, /en/data) documents every format and field. The
// field lists are read from the code that writes the files — the API
// structs' tags and the CSV column tables — so they cannot drift.

// apiFields lists the JSON fields of struct type t, nested ones as
// "body.id" or "signatories[].name", with their documentation in lang.
func apiFields(t reflect.Type, lang, prefix string) []templates.DataField {
	var out []templates.DataField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, templates.DataField{Name: prefix + name, Desc: f.Tag.Get(lang)})
		inner, path := f.Type, prefix+name
		for inner.Kind() == reflect.Pointer || inner.Kind() == reflect.Slice || inner.Kind() == reflect.Map {
			switch inner.Kind() {
			case reflect.Slice:
				path += "[]"
			case reflect.Map:
				path += ".{pl,en}"
			}
			inner = inner.Elem()
		}
		if inner.Kind() == reflect.Struct && inner != reflect.TypeFor[apiText]() {
			out = append(out, apiFields(inner, lang, path+".")...)
		}
	}
	return out
}

// csvNote says how the CSV files guard spreadsheets.
var csvNote = map[string]string{
	"pl": " Tekst zaczynający się od =, +, - lub @ poprzedza apostrof, aby arkusz kalkulacyjny nie wykonał go jako formuły.",
	"en": " Text starting with =, +, - or @ is preceded by an apostrophe, so that a spreadsheet does not run it as a formula.",
}

func csvFields[T any](cols []csvColumn[T], lang string) []templates.DataField {
	out := make([]templates.DataField, len(cols))
	for i, c := range cols {
		out[i] = templates.DataField{Name: c.Name, Desc: c.PL}
		if lang == "en" {
			out[i].Desc = c.EN
		}
	}
	return out
}

// dataFormats documents the open data in lang, with example links to real
// records of db.
func (s *Server) dataFormats(r *http.Request, lang string) ([]templates.DataFormat, error) {
	en := lang == "en"
	pick := func(pl, en2 string) string {
		if en {
			return en2
		}
		return pl
	}
	ds, _, err := st(r).Declarations(r.Context(), store.DeclarationFilter{Lang: lang, PerPage: 1, SkipTotal: true}, s.vis())
	if err != nil {
		return nil, err
	}
	bodies, err := st(r).Bodies(r.Context(), lang, s.vis())
	if err != nil {
		return nil, err
	}
	json := func(name, file string, t reflect.Type, what string) templates.DataFormat {
		return templates.DataFormat{
			ID: "json-" + file, Name: "JSON: " + name, MediaType: "application/json",
			Description: pick("Lista wszystkich rekordów ("+what+") w obu językach oraz osobny plik każdego rekordu. Teksty są obiektami {\"pl\": …, \"en\": …}; brak informacji w źródle to null. Nazwy pól są stałe: mogą dojść nowe, żadne nie zmieni nazwy ani nie zniknie.",
				"A list of every record ("+what+") in both languages, and a file per record. Texts are objects {\"pl\": …, \"en\": …}; what the source does not give is null. Field names are stable: new ones may be added, none renamed or removed."),
			Links:    []templates.Feed{{Type: "application/json", Href: "/api/v1/" + file + ".json", Title: "/api/v1/" + file + ".json"}},
			Patterns: []string{"/api/v1/" + file + "/{id}.json"},
			Fields:   apiFields(t, lang, ""),
		}
	}
	formats := []templates.DataFormat{
		json(pick("deklaracje i stanowiska", "declarations and positions"), "declarations", reflect.TypeFor[apiDeclaration](), pick("deklaracje", "declarations")),
		json(pick("posiedzenia", "meetings"), "meetings", reflect.TypeFor[apiMeeting](), pick("posiedzenia", "meetings")),
		json(pick("organizacje i zespoły", "organisations and teams"), "bodies", reflect.TypeFor[apiBody](), pick("gremia", "bodies")),
		{
			ID: "csv-declarations", Name: "CSV: " + pick("deklaracje i stanowiska", "declarations and positions"), MediaType: "text/csv",
			Description: pick("Jeden wiersz na tekst, z wierszem nagłówka; RFC 4180, UTF-8, końce wierszy CRLF."+csvNote[lang], "One row a text, with a header row; RFC 4180, UTF-8, CRLF line ends."+csvNote[lang]),
			Links:       []templates.Feed{{Type: "text/csv", Href: "/api/v1/declarations.csv", Title: "/api/v1/declarations.csv"}},
			Fields:      csvFields(declarationColumns, lang),
		},
		{
			ID: "csv-meetings", Name: "CSV: " + pick("posiedzenia", "meetings"), MediaType: "text/csv",
			Description: pick("Jeden wiersz na posiedzenie, z wierszem nagłówka; RFC 4180, UTF-8, końce wierszy CRLF."+csvNote[lang], "One row a meeting, with a header row; RFC 4180, UTF-8, CRLF line ends."+csvNote[lang]),
			Links:       []templates.Feed{{Type: "text/csv", Href: "/api/v1/meetings.csv", Title: "/api/v1/meetings.csv"}},
			Fields:      csvFields(meetingColumns, lang),
		},
		{
			ID: "atom", Name: pick("Kanał Atom: nowe i zmienione rekordy", "Atom feed: new and updated records"), MediaType: "application/atom+xml",
			Description: pick("50 ostatnio dodanych lub zmienionych posiedzeń, deklaracji i organizacji w danym języku (RFC 4287). Link wpisu prowadzi do stałego adresu rekordu.",
				"The 50 most recently added or changed meetings, declarations and bodies in one language (RFC 4287). Each entry links to the record's permanent address."),
			Links: []templates.Feed{{Type: "application/atom+xml", Href: atomPath["pl"], Title: atomPath["pl"] + " (polski)"}, {Type: "application/atom+xml", Href: atomPath["en"], Title: atomPath["en"] + " (English)"}},
			Fields: []templates.DataField{
				{Name: "entry/id", Desc: pick("Stały identyfikator wpisu (tag: URI).", "Permanent id of the entry (a tag: URI).")},
				{Name: "entry/title", Desc: pick("Tytuł rekordu.", "The record's title.")},
				{Name: "entry/summary", Desc: pick("Streszczenie.", "Summary.")},
				{Name: "entry/link", Desc: pick("Stały adres strony rekordu.", "Permanent address of the record's page.")},
				{Name: "entry/published", Desc: pick("Pierwsza publikacja w serwisie.", "First published on this site.")},
				{Name: "entry/updated", Desc: pick("Ostatnia zmiana.", "Last change.")},
				{Name: "entry/category/@term", Desc: pick("Typ rekordu: meeting, declaration, body.", "Record type: meeting, declaration, body.")},
			},
		},
		s.calendarFormat(lang, bodies),
		{
			ID: "citations", Name: pick("Opisy bibliograficzne", "References for citation managers"), MediaType: "application/x-bibtex, application/x-research-info-systems, application/vnd.citationstyles.csl+json",
			Description: pick("Każda deklaracja w formatach BibTeX, RIS i CSL-JSON, pod adresem strony z rozszerzeniem. Strony deklaracji mają też znaczniki citation_* (Highwire), które odczytuje np. Zotero, oraz dane schema.org (JSON-LD).",
				"Each declaration in BibTeX, RIS and CSL-JSON, at the page's address plus an extension. Declaration pages also carry citation_* (Highwire) tags, which Zotero and others read, and schema.org data (JSON-LD)."),
			Patterns: []string{pick("/deklaracje/{id}", "/en/declarations/{id}") + ".bib", pick("/deklaracje/{id}", "/en/declarations/{id}") + ".ris", pick("/deklaracje/{id}", "/en/declarations/{id}") + ".csl.json"},
		},
		{
			ID: "permalinks", Name: pick("Stałe adresy", "Permanent addresses"), MediaType: "text/html",
			Description: pick("Krótki adres każdej deklaracji i każdego posiedzenia, zbudowany z identyfikatora, który nigdy się nie zmienia. Odpowiada przekierowaniem 301 na bieżący adres strony.",
				"A short address for every declaration and meeting, built from its id, which never changes. It answers with a 301 redirect to the page's current address."),
			Patterns: []string{"/d/{id}", "/m/{id}", "/en/d/{id}", "/en/m/{id}"},
		},
		{
			ID: "sitemap", Name: pick("Mapa witryny", "Sitemap"), MediaType: "application/xml",
			Description: pick("Wszystkie strony w obu językach, z odnośnikami hreflang (sitemaps.org).", "Every page in both languages, with hreflang links (sitemaps.org)."),
			Links:       []templates.Feed{{Type: "application/xml", Href: "/sitemap.xml", Title: "/sitemap.xml"}},
		},
	}
	if len(ds) > 0 {
		formats[0].Links = append(formats[0].Links, templates.Feed{Type: "application/json", Href: "/api/v1/declarations/" + ds[0].ID + ".json", Title: "/api/v1/declarations/" + ds[0].ID + ".json"})
		for i := range formats {
			if formats[i].ID != "citations" {
				continue
			}
			for _, f := range citationFormats {
				formats[i].Links = append(formats[i].Links, templates.Feed{Type: strings.Split(f.mediaType, ";")[0], Href: ds[0].Path + f.ext, Title: ds[0].Path + f.ext})
			}
		}
	}
	return formats, nil
}

func (s *Server) calendarFormat(lang string, bodies []store.BodyItem) templates.DataFormat {
	en := lang == "en"
	f := templates.DataFormat{ID: "ical", MediaType: "text/calendar"}
	if en {
		f.Name = "iCalendar: meetings"
		f.Description = "Meetings of all bodies, or of one, as all-day events (RFC 5545), to subscribe to in a calendar. Meetings whose day the source does not give are left out."
	} else {
		f.Name = "iCalendar: posiedzenia"
		f.Description = "Posiedzenia wszystkich gremiów albo jednego, jako wydarzenia całodniowe (RFC 5545), do subskrypcji w kalendarzu. Posiedzenia, których dnia źródło nie podaje, są pominięte."
	}
	f.Links = append(f.Links, templates.Feed{Type: "text/calendar", Href: calendarPath[lang] + ".ics", Title: calendarPath[lang] + ".ics"})
	for _, b := range bodies {
		f.Links = append(f.Links, templates.Feed{Type: "text/calendar", Href: calendarPath[lang] + "/" + b.ID + ".ics", Title: b.Title})
	}
	desc := map[bool][]string{
		false: {"Stały identyfikator posiedzenia.", "Tytuł.", "Pierwszy dzień.", "Dzień po ostatnim (wydarzenie całodniowe).", "Miejsce.", "Streszczenie i adres strony posiedzenia.", "Adres strony posiedzenia.", "Ostatnia zmiana zapisu."},
		true:  {"Permanent id of the meeting.", "Title.", "First day.", "The day after the last (an all-day event).", "Place.", "Summary and the address of the meeting's page.", "Address of the meeting's page.", "Last change of the record."},
	}[en]
	for i, name := range []string{"UID", "SUMMARY", "DTSTART", "DTEND", "LOCATION", "DESCRIPTION", "URL", "DTSTAMP"} {
		f.Fields = append(f.Fields, templates.DataField{Name: name, Desc: desc[i]})
	}
	return f
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
