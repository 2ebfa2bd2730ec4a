package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/fold"
	"github.com/krakow/wspolpraca/internal/store"
)

// csvColumn is a column of a CSV export: its header, its documentation on
// the data page, and how to fill it. One table both writes and documents
// each file.
type csvColumn[T any] struct {
	Name   string
	PL, EN string
	Value  func(s *Server, rec T) string
}

var declarationColumns = []csvColumn[store.DeclarationRecord]{
	{"id", "Identyfikator.", "Identifier.", func(_ *Server, d store.DeclarationRecord) string { return d.ID }},
	{"kind", "Rodzaj: declaration, position, appeal.", "Kind: declaration, position, appeal.", func(_ *Server, d store.DeclarationRecord) string { return d.Kind }},
	{"date", "Data (ISO 8601, tak dokładna jak źródło).", "Date (ISO 8601, as precise as the source).", func(_ *Server, d store.DeclarationRecord) string { return d.Date.String() }},
	{"body", "Identyfikator gremium.", "The body's id.", func(_ *Server, d store.DeclarationRecord) string { return d.BodyID }},
	{"title_pl", "Tytuł po polsku.", "Title in Polish.", func(_ *Server, d store.DeclarationRecord) string { return d.Title.PL }},
	{"title_en", "Tytuł po angielsku.", "Title in English.", func(_ *Server, d store.DeclarationRecord) string { return d.Title.EN }},
	{"author_pl", "Autorzy, po polsku.", "Authors, in Polish.", func(_ *Server, d store.DeclarationRecord) string { return d.Author.PL }},
	{"author_en", "Autorzy, po angielsku.", "Authors, in English.", func(_ *Server, d store.DeclarationRecord) string { return d.Author.EN }},
	{"event_pl", "Wydarzenie; puste, gdy źródło nie podaje.", "Event; empty when the source does not say.", func(_ *Server, d store.DeclarationRecord) string { return d.Event.PL }},
	{"place_pl", "Miejsce; puste, gdy źródło nie podaje.", "Place; empty when the source does not say.", func(_ *Server, d store.DeclarationRecord) string { return d.Place.PL }},
	{"language", "Język oryginału; pusty, gdy źródło nie podaje.", "Original language; empty when the source does not say.", func(_ *Server, d store.DeclarationRecord) string { return d.Language }},
	{"text", "Ile tekstu zawiera serwis: full, excerpts, none.", "How much of the text the site holds: full, excerpts, none.", func(_ *Server, d store.DeclarationRecord) string { return d.TextScope }},
	{"signatory_count", "Liczba sygnatariuszy; pusta, gdy źródło nie podaje.", "Number of signatories; empty when the source does not say.", func(_ *Server, d store.DeclarationRecord) string {
		if d.SignatoryCount == 0 {
			return ""
		}
		return strconv.Itoa(d.SignatoryCount)
	}},
	{"signatories", "Sygnatariusze wymienieni w źródle: „imię i nazwisko (funkcja)”, rozdzieleni „; ”.", "Named signatories: “name (role)”, separated by “; ”.", func(_ *Server, d store.DeclarationRecord) string {
		var out []string
		for _, s := range d.Signatories {
			out = append(out, s.Name+" ("+s.Role.PL+")")
		}
		return strings.Join(out, "; ")
	}},
	{"refers_to", "Identyfikatory tekstów, do których się odwołuje, rozdzielone „; ”.", "Ids of the texts it refers to, separated by “; ”.", func(_ *Server, d store.DeclarationRecord) string { return strings.Join(d.RefersTo, "; ") }},
	{"url_pl", "Adres strony polskiej.", "Address of the Polish page.", func(s *Server, d store.DeclarationRecord) string { return s.abs(d.Path.PL) }},
	{"url_en", "Adres strony angielskiej; pusty, gdy jej nie ma.", "Address of the English page; empty when there is none.", func(s *Server, d store.DeclarationRecord) string { return s.absOrEmpty(d.Path.EN) }},
	{"permalink", "Stały adres.", "Permanent address.", func(s *Server, d store.DeclarationRecord) string {
		return s.abs(content.Permalink(content.TypeDeclaration, d.ID, "pl"))
	}},
	{"published", "Dzień pierwszej publikacji w serwisie.", "Day first published on this site.", func(_ *Server, d store.DeclarationRecord) string { return d.Published.String() }},
	{"updated", "Dzień ostatniej zmiany.", "Day last changed.", func(_ *Server, d store.DeclarationRecord) string { return d.Updated.String() }},
}

var meetingColumns = []csvColumn[store.MeetingRecord]{
	{"id", "Identyfikator.", "Identifier.", func(_ *Server, m store.MeetingRecord) string { return m.ID }},
	{"date", "Dzień (ISO 8601) albo przedział dni.", "Day (ISO 8601) or range of days.", func(_ *Server, m store.MeetingRecord) string { return m.Date.String() }},
	{"body", "Identyfikator gremium.", "The body's id.", func(_ *Server, m store.MeetingRecord) string { return m.BodyID }},
	{"title_pl", "Tytuł po polsku.", "Title in Polish.", func(_ *Server, m store.MeetingRecord) string { return m.Title.PL }},
	{"title_en", "Tytuł po angielsku.", "Title in English.", func(_ *Server, m store.MeetingRecord) string { return m.Title.EN }},
	{"place_pl", "Miejsce, po polsku.", "Place, in Polish.", func(_ *Server, m store.MeetingRecord) string { return m.Place.PL }},
	{"place_en", "Miejsce, po angielsku.", "Place, in English.", func(_ *Server, m store.MeetingRecord) string { return m.Place.EN }},
	{"mode", "Forma: in_person, online, hybrid; pusta, gdy źródło nie podaje.", "Attendance: in_person, online, hybrid; empty when the source does not say.", func(_ *Server, m store.MeetingRecord) string { return m.Mode }},
	{"topics_pl", "Tematy po polsku, rozdzielone „; ”.", "Topics in Polish, separated by “; ”.", func(_ *Server, m store.MeetingRecord) string { return joinTexts(m.Topics, "pl") }},
	{"topics_en", "Tematy po angielsku, rozdzielone „; ”.", "Topics in English, separated by “; ”.", func(_ *Server, m store.MeetingRecord) string { return joinTexts(m.Topics, "en") }},
	{"url_pl", "Adres strony polskiej.", "Address of the Polish page.", func(s *Server, m store.MeetingRecord) string { return s.abs(m.Path.PL) }},
	{"url_en", "Adres strony angielskiej; pusty, gdy jej nie ma.", "Address of the English page; empty when there is none.", func(s *Server, m store.MeetingRecord) string { return s.absOrEmpty(m.Path.EN) }},
	{"permalink", "Stały adres.", "Permanent address.", func(s *Server, m store.MeetingRecord) string {
		return s.abs(content.Permalink(content.TypeMeeting, m.ID, "pl"))
	}},
	{"published", "Dzień pierwszej publikacji w serwisie.", "Day first published on this site.", func(_ *Server, m store.MeetingRecord) string { return m.Published.String() }},
	{"updated", "Dzień ostatniej zmiany.", "Day last changed.", func(_ *Server, m store.MeetingRecord) string { return m.Updated.String() }},
}

func joinTexts(ts []store.Text, lang string) string {
	var out []string
	for _, t := range ts {
		if lang == "en" && t.EN != "" {
			out = append(out, t.EN)
		} else {
			out = append(out, t.PL)
		}
	}
	return strings.Join(out, "; ")
}

func (s *Server) absOrEmpty(p string) string {
	if p == "" {
		return ""
	}
	return s.abs(p)
}

// defuse keeps a spreadsheet from running a cell as a formula: a value
// starting with = + - @ (or a tab or carriage return) gets an apostrophe
// in front, which spreadsheets hide (OWASP's advice on CSV injection).
// No number, date, id or address of the site starts so; only text can.
func defuse(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// writeCSV writes records as RFC 4180 CSV in UTF-8, with a header row and
// CRLF line ends.
func writeCSV[T any](s *Server, w http.ResponseWriter, r *http.Request, cols []csvColumn[T], recs []T) error {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	bw, ok := startStream(w, r, "text/csv; charset=utf-8; header=present")
	if !ok {
		return nil
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = c.Name
	}
	cw.Write(row)
	for _, rec := range recs {
		for i, c := range cols {
			row[i] = defuse(fold.StripControls(c.Value(s, rec)))
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func (s *Server) handleDeclarationsCSV(w http.ResponseWriter, r *http.Request) error {
	defer s.heavy()()
	recs, err := st(r).DeclarationRecords(r.Context(), "", s.vis())
	if err != nil {
		return err
	}
	return writeCSV(s, w, r, declarationColumns, recs)
}

func (s *Server) handleMeetingsCSV(w http.ResponseWriter, r *http.Request) error {
	defer s.heavy()()
	recs, err := st(r).MeetingRecords(r.Context(), "", "", s.vis())
	if err != nil {
		return err
	}
	return writeCSV(s, w, r, meetingColumns, recs)
}
