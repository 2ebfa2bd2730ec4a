package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
)

// The open-data API: read-only JSON, one file per list and per record, both
// languages in each. Field names are stable: new fields may be added, none
// renamed or removed. The struct tags pl and en document each field on the
// data page (/dane, /en/data), so the documentation cannot drift.

// apiText is a text in both languages; a missing language is null.
type apiText struct{ PL, EN string }

func (t apiText) MarshalJSON() ([]byte, error) {
	orNull := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	return json.Marshal(map[string]any{"pl": orNull(t.PL), "en": orNull(t.EN)})
}

func text(t store.Text) apiText { return apiText(t) }

// textOrNull is nil for a text the source does not give.
func textOrNull(t store.Text) *apiText {
	if t.PL == "" && t.EN == "" {
		return nil
	}
	return &apiText{t.PL, t.EN}
}

type apiBodyRef struct {
	ID   string  `json:"id" pl:"Identyfikator gremium." en:"The body's identifier."`
	Name apiText `json:"name" pl:"Pełna nazwa gremium." en:"The body's full name."`
}

type apiSignatory struct {
	Name string  `json:"name" pl:"Imię i nazwisko." en:"Name."`
	Role apiText `json:"role" pl:"Funkcja w chwili podpisania." en:"Role at the time of signing."`
}

type apiParagraph struct {
	Anchor string `json:"anchor" pl:"Kotwica akapitu na stronie (p-3): adres strony + #p-3 prowadzi do akapitu." en:"The paragraph's anchor on the page (p-3): the page's address + #p-3 leads to it."`
	Number string `json:"number" pl:"Numer akapitu, jak na stronie." en:"The paragraph's number, as on the page."`
	Text   string `json:"text" pl:"Tekst akapitu." en:"The paragraph's text."`
}

type apiSource struct {
	Title apiText `json:"title" pl:"Gdzie tekst opublikowano po raz pierwszy." en:"Where the text was first published."`
	URL   *string `json:"url" pl:"Adres tej publikacji, jeśli jest w sieci." en:"Its address, if online."`
}

type apiDeclaration struct {
	ID             string                    `json:"id" pl:"Identyfikator; nigdy się nie zmienia." en:"Identifier; it never changes."`
	Type           string                    `json:"type" pl:"Zawsze declaration." en:"Always declaration."`
	Kind           string                    `json:"kind" pl:"Rodzaj tekstu: declaration (deklaracja), position (stanowisko) albo appeal (apel)." en:"Kind of text: declaration, position or appeal."`
	Date           string                    `json:"date" pl:"Data przyjęcia lub podpisania (ISO 8601), tak dokładna jak źródło: 2015, 2021-08, 2022-12-16 albo przedział 2017-06-29/2017-06-30." en:"Date adopted or signed (ISO 8601), as precise as the source: 2015, 2021-08, 2022-12-16 or a range 2017-06-29/2017-06-30."`
	Body           apiBodyRef                `json:"body" pl:"Gremium, w którego imieniu przyjęto tekst." en:"The body in whose name the text was adopted."`
	Title          apiText                   `json:"title" pl:"Tytuł." en:"Title."`
	Summary        apiText                   `json:"summary" pl:"Streszczenie." en:"Summary."`
	Author         apiText                   `json:"author" pl:"Autorzy, jak nazywa ich źródło." en:"Authors, as the source names them."`
	Event          *apiText                  `json:"event" pl:"Wydarzenie, podczas którego przyjęto tekst; null, gdy źródło nie podaje." en:"The event where the text was adopted; null when the source does not say."`
	Place          *apiText                  `json:"place" pl:"Miejsce; null, gdy źródło nie podaje." en:"Place; null when the source does not say."`
	Language       *string                   `json:"language" pl:"Język oryginału, który jest tekstem wiążącym (pl, en); null, gdy źródło nie podaje." en:"Language of the original, which is authoritative (pl, en); null when the source does not say."`
	Text           string                    `json:"text" pl:"Ile tekstu zawiera serwis: full (pełny), excerpts (fragmenty przytoczone w źródle), none (brak)." en:"How much of the text the site holds: full, excerpts (quoted in the source) or none."`
	SignatoryCount *int                      `json:"signatory_count" pl:"Liczba sygnatariuszy; null, gdy źródło nie podaje." en:"Number of signatories; null when the source does not say."`
	Signatories    []apiSignatory            `json:"signatories" pl:"Sygnatariusze wymienieni w źródle z nazwiska." en:"Signatories the source names."`
	RefersTo       []string                  `json:"refers_to" pl:"Identyfikatory tekstów, do których ten tekst się odwołuje." en:"Ids of the texts this one refers to."`
	ReferredBy     []string                  `json:"referred_by" pl:"Identyfikatory tekstów, które odwołują się do tego." en:"Ids of the texts that refer to this one."`
	URL            apiText                   `json:"url" pl:"Adres strony w każdym języku." en:"The page's address in each language."`
	Permalink      apiText                   `json:"permalink" pl:"Stały adres (/d/{id}), do cytowania." en:"The permanent address (/d/{id}), for citing."`
	Source         *apiSource                `json:"source" pl:"Pierwsza publikacja tekstu; null, gdy nieznana." en:"First publication of the text; null when unknown."`
	Published      string                    `json:"published" pl:"Dzień pierwszej publikacji w serwisie." en:"Day first published on this site."`
	Updated        string                    `json:"updated" pl:"Dzień ostatniej zmiany strony polskiej." en:"Day the Polish page last changed."`
	Paragraphs     map[string][]apiParagraph `json:"paragraphs,omitempty" pl:"Tylko w pliku jednego tekstu: jego numerowane akapity w każdym języku." en:"Only in a single text's file: its numbered paragraphs in each language."`
}

type apiDocument struct {
	Title apiText `json:"title" pl:"Tytuł dokumentu." en:"The document's title."`
	URL   string  `json:"url" pl:"Adres dokumentu." en:"The document's address."`
}

type apiMeeting struct {
	ID           string        `json:"id" pl:"Identyfikator; nigdy się nie zmienia." en:"Identifier; it never changes."`
	Type         string        `json:"type" pl:"Zawsze meeting." en:"Always meeting."`
	Date         string        `json:"date" pl:"Dzień posiedzenia (ISO 8601) albo przedział dni." en:"Day of the meeting (ISO 8601), or a range of days."`
	Body         apiBodyRef    `json:"body" pl:"Gremium, które obradowało." en:"The body that met."`
	Title        apiText       `json:"title" pl:"Tytuł." en:"Title."`
	Summary      apiText       `json:"summary" pl:"Streszczenie." en:"Summary."`
	Place        apiText       `json:"place" pl:"Miejsce." en:"Place."`
	Mode         *string       `json:"mode" pl:"Forma: in_person (stacjonarne), online (zdalne), hybrid (hybrydowe); null, gdy źródło nie podaje." en:"Attendance: in_person, online or hybrid; null when the source does not say."`
	Topics       []apiText     `json:"topics" pl:"Tematy." en:"Topics."`
	Participants []apiText     `json:"participants" pl:"Uczestnicy wymienieni w źródle." en:"Participants the source names."`
	Documents    []apiDocument `json:"documents" pl:"Dokumenty posiedzenia." en:"Documents of the meeting."`
	URL          apiText       `json:"url" pl:"Adres strony w każdym języku." en:"The page's address in each language."`
	Permalink    apiText       `json:"permalink" pl:"Stały adres (/m/{id})." en:"The permanent address (/m/{id})."`
	Published    string        `json:"published" pl:"Dzień pierwszej publikacji w serwisie." en:"Day first published on this site."`
	Updated      string        `json:"updated" pl:"Dzień ostatniej zmiany strony polskiej." en:"Day the Polish page last changed."`
}

type apiBody struct {
	ID          string   `json:"id" pl:"Identyfikator; nigdy się nie zmienia." en:"Identifier; it never changes."`
	Type        string   `json:"type" pl:"Zawsze body." en:"Always body."`
	Kind        string   `json:"kind" pl:"Rodzaj: association (stowarzyszenie samorządów), commission (komisja), team (zespół), organisation (organizacja)." en:"Kind: association, commission, team or organisation."`
	Abbr        *string  `json:"abbr" pl:"Skrót nazwy; null, gdy go nie ma." en:"Short name; null when there is none."`
	Name        apiText  `json:"name" pl:"Pełna nazwa." en:"Full name."`
	Summary     apiText  `json:"summary" pl:"Streszczenie." en:"Summary."`
	Parent      *string  `json:"parent" pl:"Identyfikator gremium, przy którym działa; null, gdy brak." en:"Id of the body it is part of; null when none."`
	Founded     *string  `json:"founded" pl:"Data utworzenia (ISO 8601, tak dokładna jak źródło); null, gdy źródło nie podaje." en:"Date set up (ISO 8601, as precise as the source); null when the source does not say."`
	FoundedWith *string  `json:"founded_in_connection_with" pl:"Identyfikator deklaracji, w związku z którą powstało; null, gdy brak." en:"Id of the declaration it was set up in connection with; null when none."`
	SupportedBy []string `json:"supported_by" pl:"Identyfikatory organizacji, które je wspierają." en:"Ids of the organisations that support it."`
	URL         apiText  `json:"url" pl:"Adres strony w każdym języku." en:"The page's address in each language."`
	Published   string   `json:"published" pl:"Dzień pierwszej publikacji w serwisie." en:"Day first published on this site."`
	Updated     string   `json:"updated" pl:"Dzień ostatniej zmiany strony polskiej." en:"Day the Polish page last changed."`
}

// apiList is the envelope of a list file.
type apiList struct {
	Version string `json:"version" pl:"Wersja treści, z której zbudowano plik." en:"The content version the file was built from."`
	Count   int    `json:"count" pl:"Liczba rekordów." en:"Number of records."`
	Items   any    `json:"items" pl:"Rekordy, od najnowszych." en:"The records, newest first."`
}

func (s *Server) absPair(p store.Text) apiText {
	t := apiText{PL: s.abs(p.PL)}
	if p.EN != "" {
		t.EN = s.abs(p.EN)
	}
	return t
}

func (s *Server) permalinks(t content.Type, id string, p store.Text) apiText {
	out := apiText{PL: s.abs(content.Permalink(t, id, "pl"))}
	if p.EN != "" {
		out.EN = s.abs(content.Permalink(t, id, "en"))
	}
	return out
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (s *Server) apiDeclaration(d store.DeclarationRecord) apiDeclaration {
	a := apiDeclaration{
		ID: d.ID, Type: "declaration", Kind: d.Kind, Date: d.Date.String(),
		Body:  apiBodyRef{ID: d.BodyID, Name: text(d.BodyName)},
		Title: text(d.Title), Summary: text(d.Summary), Author: text(d.Author),
		Event: textOrNull(d.Event), Place: textOrNull(d.Place), Language: nullable(d.Language), Text: d.TextScope,
		Signatories: []apiSignatory{}, RefersTo: nonNil(d.RefersTo), ReferredBy: nonNil(d.ReferredBy),
		URL: s.absPair(d.Path), Permalink: s.permalinks(content.TypeDeclaration, d.ID, d.Path),
		Published: d.Published.String(), Updated: d.Updated.String(),
	}
	if d.SignatoryCount > 0 {
		a.SignatoryCount = &d.SignatoryCount
	}
	for _, sg := range d.Signatories {
		a.Signatories = append(a.Signatories, apiSignatory{Name: sg.Name, Role: text(sg.Role)})
	}
	if d.SourceTitle.PL != "" || d.SourceURL != "" {
		a.Source = &apiSource{Title: text(d.SourceTitle), URL: nullable(d.SourceURL)}
	}
	if d.Paragraphs != nil {
		a.Paragraphs = map[string][]apiParagraph{}
		for lang, ps := range d.Paragraphs {
			list := []apiParagraph{}
			for _, p := range ps {
				list = append(list, apiParagraph{Anchor: p.Anchor, Number: p.Number, Text: p.Text})
			}
			a.Paragraphs[lang] = list
		}
	}
	return a
}

func (s *Server) apiMeeting(m store.MeetingRecord) apiMeeting {
	a := apiMeeting{
		ID: m.ID, Type: "meeting", Date: m.Date.String(), Body: apiBodyRef{ID: m.BodyID, Name: text(m.BodyName)},
		Title: text(m.Title), Summary: text(m.Summary), Place: text(m.Place), Mode: nullable(m.Mode),
		Topics: []apiText{}, Participants: []apiText{}, Documents: []apiDocument{},
		URL: s.absPair(m.Path), Permalink: s.permalinks(content.TypeMeeting, m.ID, m.Path),
		Published: m.Published.String(), Updated: m.Updated.String(),
	}
	for _, t := range m.Topics {
		a.Topics = append(a.Topics, text(t))
	}
	for _, t := range m.Participants {
		a.Participants = append(a.Participants, text(t))
	}
	for _, d := range m.Documents {
		a.Documents = append(a.Documents, apiDocument{Title: text(d.Title), URL: d.URL})
	}
	return a
}

func (s *Server) apiBody(b store.BodyRecord) apiBody {
	return apiBody{
		ID: b.ID, Type: "body", Kind: b.Kind, Abbr: nullable(b.Abbr), Name: text(b.Name), Summary: text(b.Summary),
		Parent: nullable(b.ParentID), Founded: nullable(b.Founded.String()), FoundedWith: nullable(b.FoundedWith),
		SupportedBy: nonNil(b.SupportedBy), URL: s.absPair(b.Path),
		Published: b.Published.String(), Updated: b.Updated.String(),
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// handleAPI serves /api/v1/{kind}.json and /api/v1/{kind}/{id}.json.
func (s *Server) handleAPI(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := ""
		if f := r.PathValue("file"); f != "" {
			var ok bool
			if id, ok = strings.CutSuffix(f, ".json"); !ok || id == "" {
				return errNotFound
			}
		}
		if id == "" {
			defer s.heavy()()
		}
		v, n, err := s.apiData(r, kind, id)
		if err != nil {
			return err
		}
		if id != "" {
			if n == 0 {
				return errNotFound
			}
			return writeJSON(w, r, v)
		}
		return writeJSONList(w, r, st(r).Version(), n, v)
	}
}

// apiData returns the records of kind (one, if id is set) as API values,
// and how many there are.
func (s *Server) apiData(r *http.Request, kind, id string) (any, int, error) {
	ctx, db, vis := r.Context(), st(r), s.vis()
	switch kind {
	case "declarations":
		recs, err := db.DeclarationRecords(ctx, id, vis)
		out := make([]apiDeclaration, len(recs))
		for i, d := range recs {
			out[i] = s.apiDeclaration(d)
		}
		if id != "" && len(out) == 1 {
			return out[0], 1, err
		}
		return out, len(out), err
	case "meetings":
		recs, err := db.MeetingRecords(ctx, id, "", vis)
		out := make([]apiMeeting, len(recs))
		for i, m := range recs {
			out[i] = s.apiMeeting(m)
		}
		if id != "" && len(out) == 1 {
			return out[0], 1, err
		}
		return out, len(out), err
	}
	recs, err := db.BodyRecords(ctx, id, vis)
	out := make([]apiBody, len(recs))
	for i, b := range recs {
		out[i] = s.apiBody(b)
	}
	if id != "" && len(out) == 1 {
		return out[0], 1, err
	}
	return out, len(out), err
}

// writeJSONList writes a list file — the envelope of apiList around items,
// a slice of n records — a record at a time, as json.MarshalIndent would
// write it whole.
func writeJSONList(w http.ResponseWriter, r *http.Request, version string, n int, items any) error {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	bw, ok := startStream(w, r, "application/json; charset=utf-8")
	if !ok {
		return nil
	}
	v, _ := json.Marshal(version)
	fmt.Fprintf(bw, "{\n  \"version\": %s,\n  \"count\": %d,\n  \"items\": [", v, n)
	list := reflect.ValueOf(items)
	for i := range list.Len() {
		b, err := json.MarshalIndent(list.Index(i).Interface(), "    ", "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(b)
	}
	if list.Len() > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

func writeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return writeBytes(w, r, "application/json; charset=utf-8", append(b, '\n'))
}
