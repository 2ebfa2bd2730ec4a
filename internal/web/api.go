package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/store"
)

// The open-data API: read-only JSON, one file per list and per record, every
// language in each. Field names are stable: new fields may be added, none
// renamed or removed. Every field is documented on the data page (/dane),
// from the catalogue family Data.{file}.{field} (see dataFields).

// apiText is a text in every language of the registry, by tag, in the
// registry's order: {"pl": …, "en": …, "uk": …}; a language the text lacks
// is null. A text the source does not give at all is a null, not an object
// of nulls (see textOrNull).
type apiText struct {
	reg *lang.Registry
	v   map[string]string
}

func (t apiText) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, tag := range t.reg.Tags() {
		if i > 0 {
			b.WriteString(", ")
		}
		k, _ := json.Marshal(tag)
		b.Write(k)
		b.WriteString(": ")
		if s := t.v[tag]; s != "" {
			v, err := json.Marshal(s)
			if err != nil {
				return nil, err
			}
			b.Write(v)
		} else {
			b.WriteString("null")
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

type apiBodyRef struct {
	ID   string  `json:"id"`
	Name apiText `json:"name"`
}

type apiSignatory struct {
	Name string  `json:"name"`
	Role apiText `json:"role"`
}

type apiParagraph struct {
	Anchor string `json:"anchor"`
	Number string `json:"number"`
	Text   string `json:"text"`
}

type apiSource struct {
	Title apiText `json:"title"`
	URL   *string `json:"url"`
}

// apiVersion is a record's page in one language.
type apiVersion struct {
	URL         string  `json:"url"`
	Title       string  `json:"title"`
	Summary     string  `json:"summary"`
	Published   string  `json:"published"`
	Updated     string  `json:"updated"`
	Translation string  `json:"translation"` // content.TranslationStatus
	Fallback    *string `json:"fallback"`    // the language of the text a page without a translation shows
}

type apiDeclaration struct {
	ID             string                    `json:"id"`
	Type           content.Type              `json:"type"`
	Kind           string                    `json:"kind"`
	Date           string                    `json:"date"`
	Body           apiBodyRef                `json:"body"`
	Title          apiText                   `json:"title"`
	Summary        apiText                   `json:"summary"`
	Author         *apiText                  `json:"author"`
	Event          *apiText                  `json:"event"`
	Place          *apiText                  `json:"place"`
	Language       *string                   `json:"language"`
	Text           string                    `json:"text"`
	SignatoryCount *int                      `json:"signatory_count"`
	Signatories    []apiSignatory            `json:"signatories"`
	RefersTo       []string                  `json:"refers_to"`
	ReferredBy     []string                  `json:"referred_by"`
	URL            apiText                   `json:"url"`
	Permalink      apiText                   `json:"permalink"`
	Source         *apiSource                `json:"source"`
	Published      string                    `json:"published"`
	Updated        string                    `json:"updated"`
	Versions       map[string]apiVersion     `json:"versions"`
	Paragraphs     map[string][]apiParagraph `json:"paragraphs,omitempty"`
}

type apiDocument struct {
	Title apiText `json:"title"`
	URL   string  `json:"url"`
}

type apiMeeting struct {
	ID           string                `json:"id"`
	Type         content.Type          `json:"type"`
	Date         string                `json:"date"`
	Body         apiBodyRef            `json:"body"`
	Title        apiText               `json:"title"`
	Summary      apiText               `json:"summary"`
	Place        apiText               `json:"place"`
	Mode         *string               `json:"mode"`
	Topics       []apiText             `json:"topics"`
	Participants []apiText             `json:"participants"`
	Documents    []apiDocument         `json:"documents"`
	URL          apiText               `json:"url"`
	Permalink    apiText               `json:"permalink"`
	Published    string                `json:"published"`
	Updated      string                `json:"updated"`
	Versions     map[string]apiVersion `json:"versions"`
}

type apiBody struct {
	ID          string                `json:"id"`
	Type        content.Type          `json:"type"`
	Kind        string                `json:"kind"`
	Abbr        *string               `json:"abbr"`
	Name        apiText               `json:"name"`
	Summary     apiText               `json:"summary"`
	Parent      *string               `json:"parent"`
	Founded     *string               `json:"founded"`
	FoundedWith *string               `json:"founded_in_connection_with"`
	SupportedBy []string              `json:"supported_by"`
	URL         apiText               `json:"url"`
	Published   string                `json:"published"`
	Updated     string                `json:"updated"`
	Versions    map[string]apiVersion `json:"versions"`
}

// apiList is the envelope of a list file.
type apiList struct {
	Version string `json:"version"`
	Count   int    `json:"count"`
	Items   any    `json:"items"`
}

// api makes the API's shapes of a request's records.
type api struct {
	s   *Server
	reg *lang.Registry
	r   *http.Request
}

func (s *Server) api(r *http.Request) api { return api{s: s, reg: reg(r), r: r} }

func (a api) text(t store.Text) apiText { return apiText{a.reg, t} }

// textOrNull is nil for a text the source does not give.
func (a api) textOrNull(t store.Text) *apiText {
	if t.IsZero() {
		return nil
	}
	x := a.text(t)
	return &x
}

// urls returns the absolute address of each version's page, by language.
func (a api) urls(vs map[string]store.Version) apiText {
	t := map[string]string{}
	for tag, v := range vs {
		t[tag] = a.s.abs(v.Path)
	}
	return a.text(t)
}

// permalinks returns the permanent links of a record in its languages.
func (a api) permalinks(typ content.Type, id string, vs map[string]store.Version) apiText {
	t := map[string]string{}
	for tag := range vs {
		t[tag] = a.s.abs(scheme(a.r).Permalink(string(typ), id, tag))
	}
	return a.text(t)
}

// titles returns the titles, summaries and versions of a record's pages:
// titles and summaries in the languages that have a text of their own.
func (a api) titles(vs map[string]store.Version) (apiText, apiText, map[string]apiVersion) {
	title, summary := map[string]string{}, map[string]string{}
	versions := map[string]apiVersion{}
	for tag, v := range vs {
		av := apiVersion{URL: a.s.abs(v.Path), Title: v.Title, Summary: v.Summary, Published: v.Published.String(),
			Updated: v.Updated.String(), Translation: string(v.Status), Fallback: nullable(v.Fallback)}
		versions[tag] = av
		if v.Fallback == "" {
			title[tag], summary[tag] = v.Title, v.Summary
		}
	}
	return a.text(title), a.text(summary), versions
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (a api) declaration(d store.DeclarationRecord) apiDeclaration {
	orig := a.reg.Authoritative().Tag
	title, summary, versions := a.titles(d.Versions)
	out := apiDeclaration{
		ID: d.ID, Type: content.TypeDeclaration, Kind: d.Kind, Date: d.Date.String(),
		Body:  apiBodyRef{ID: d.BodyID, Name: a.text(d.BodyName)},
		Title: title, Summary: summary, Author: a.textOrNull(d.Author),
		Event: a.textOrNull(d.Event), Place: a.textOrNull(d.Place), Language: nullable(d.Language), Text: d.TextScope,
		Signatories: []apiSignatory{}, RefersTo: nonNil(d.RefersTo), ReferredBy: nonNil(d.ReferredBy),
		URL: a.urls(d.Versions), Permalink: a.permalinks(content.TypeDeclaration, d.ID, d.Versions),
		Published: d.Versions[orig].Published.String(), Updated: d.Versions[orig].Updated.String(), Versions: versions,
	}
	if d.SignatoryCount > 0 {
		out.SignatoryCount = &d.SignatoryCount
	}
	for _, sg := range d.Signatories {
		out.Signatories = append(out.Signatories, apiSignatory{Name: sg.Name, Role: a.text(sg.Role)})
	}
	if !d.SourceTitle.IsZero() || d.SourceURL != "" {
		out.Source = &apiSource{Title: a.text(d.SourceTitle), URL: nullable(d.SourceURL)}
	}
	if d.Paragraphs != nil {
		out.Paragraphs = map[string][]apiParagraph{}
		for tag, ps := range d.Paragraphs {
			list := []apiParagraph{}
			for _, p := range ps {
				list = append(list, apiParagraph{Anchor: p.Anchor, Number: p.Number, Text: p.Text})
			}
			out.Paragraphs[tag] = list
		}
	}
	return out
}

func (a api) meeting(m store.MeetingRecord) apiMeeting {
	orig := a.reg.Authoritative().Tag
	title, summary, versions := a.titles(m.Versions)
	out := apiMeeting{
		ID: m.ID, Type: content.TypeMeeting, Date: m.Date.String(), Body: apiBodyRef{ID: m.BodyID, Name: a.text(m.BodyName)},
		Title: title, Summary: summary, Place: a.text(m.Place), Mode: nullable(m.Mode),
		Topics: []apiText{}, Participants: []apiText{}, Documents: []apiDocument{},
		URL: a.urls(m.Versions), Permalink: a.permalinks(content.TypeMeeting, m.ID, m.Versions),
		Published: m.Versions[orig].Published.String(), Updated: m.Versions[orig].Updated.String(), Versions: versions,
	}
	for _, t := range m.Topics {
		out.Topics = append(out.Topics, a.text(t))
	}
	for _, t := range m.Participants {
		out.Participants = append(out.Participants, a.text(t))
	}
	for _, d := range m.Documents {
		out.Documents = append(out.Documents, apiDocument{Title: a.text(d.Title), URL: d.URL})
	}
	return out
}

func (a api) body(b store.BodyRecord) apiBody {
	orig := a.reg.Authoritative().Tag
	_, summary, versions := a.titles(b.Versions)
	return apiBody{
		ID: b.ID, Type: content.TypeBody, Kind: b.Kind, Abbr: nullable(b.Abbr), Name: a.text(b.Name), Summary: summary,
		Parent: nullable(b.ParentID), Founded: nullable(b.Founded.String()), FoundedWith: nullable(b.FoundedWith),
		SupportedBy: nonNil(b.SupportedBy), URL: a.urls(b.Versions),
		Published: b.Versions[orig].Published.String(), Updated: b.Versions[orig].Updated.String(), Versions: versions,
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
		if f := r.PathValue("file"); f != "" {
			id, ok := strings.CutSuffix(f, ".json")
			if !ok || id == "" {
				return errNotFound
			}
			v, err := s.apiRecord(r, kind, id)
			if errors.Is(err, store.ErrNotFound) {
				// Withdrawn, not unknown: 410, as its pages answer.
				typ := map[string]content.Type{"declarations": content.TypeDeclaration, "meetings": content.TypeMeeting, "bodies": content.TypeBody}[kind]
				if at, werr := st(r).RecordWithdrawn(r.Context(), typ, id, s.vis()); werr == nil {
					return errGone{at}
				}
			}
			if err != nil {
				return err
			}
			return writeJSON(w, r, v)
		}
		defer s.heavy()()
		v, n, err := s.apiList(r, kind)
		if err != nil {
			return err
		}
		return writeJSONList(w, r, st(r).Version(), n, v)
	}
}

// apiRecord returns the record id of kind, as the API gives it.
func (s *Server) apiRecord(r *http.Request, kind, id string) (any, error) {
	ctx, db, vis, a := r.Context(), st(r), s.vis(), s.api(r)
	switch kind {
	case "declarations":
		d, err := db.DeclarationRecord(ctx, id, vis)
		if err != nil {
			return nil, err
		}
		return a.declaration(*d), nil
	case "meetings":
		m, err := db.MeetingRecord(ctx, id, vis)
		if err != nil {
			return nil, err
		}
		return a.meeting(*m), nil
	}
	b, err := db.BodyRecord(ctx, id, vis)
	if err != nil {
		return nil, err
	}
	return a.body(*b), nil
}

// apiList returns every record of kind, as the API gives them, and how
// many there are.
func (s *Server) apiList(r *http.Request, kind string) (any, int, error) {
	ctx, db, vis, a := r.Context(), st(r), s.vis(), s.api(r)
	switch kind {
	case "declarations":
		recs, err := db.DeclarationRecords(ctx, vis)
		return mapList(recs, a.declaration), len(recs), err
	case "meetings":
		recs, err := db.MeetingRecords(ctx, "", vis)
		return mapList(recs, a.meeting), len(recs), err
	}
	recs, err := db.BodyRecords(ctx, vis)
	return mapList(recs, a.body), len(recs), err
}

func mapList[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// writeJSONList writes a list file — the envelope of apiList around items,
// a slice of n records — a record at a time, as json.MarshalIndent would
// write it whole.
func writeJSONList(w http.ResponseWriter, r *http.Request, version string, n int, items any) error {
	// (CORS headers: the openData middleware.)
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
	return writeBytes(w, r, "application/json; charset=utf-8", append(b, '\n'))
}
