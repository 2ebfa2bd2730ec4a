package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
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
		t[tag] = a.s.abs(scheme(a.r).Permalink(typ.Permalink(), id, tag))
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
		Body:  apiBodyRef{ID: d.Body, Name: a.text(d.BodyName)},
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
	if d.Source != nil {
		out.Source = &apiSource{Title: a.text(d.Source.Title), URL: nullable(d.Source.URL)}
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
		ID: m.ID, Type: content.TypeMeeting, Date: m.Date.String(), Body: apiBodyRef{ID: m.Body, Name: a.text(m.BodyName)},
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
		Parent: nullable(b.Parent), Founded: nullable(b.Founded.String()), FoundedWith: nullable(b.FoundedWith),
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

// dataset is one dataset of the JSON API, whose records the store reads as
// R and the API writes as V: the list at urls.DataList(name, urls.JSON),
// one record at urls.DataRecord(name, id).
type dataset[R, V any] struct {
	typ  content.Type // its name is typ.Folder()
	one  func(db *store.Store, ctx context.Context, id string, vis store.Visibility) (*R, error)
	all  func(db *store.Store, ctx context.Context, vis store.Visibility) ([]R, error)
	view func(a api, rec R) V
}

// apiRoutes adds the JSON API's routes to r, cached by path.
func (s *Server) apiRoutes(r chi.Router, cached func(handlerFunc) http.HandlerFunc) {
	routeDataset(r, cached, s, dataset[store.DeclarationRecord, apiDeclaration]{content.TypeDeclaration,
		(*store.Store).DeclarationRecord, (*store.Store).DeclarationRecords, api.declaration})
	routeDataset(r, cached, s, dataset[store.MeetingRecord, apiMeeting]{content.TypeMeeting,
		(*store.Store).MeetingRecord, func(db *store.Store, ctx context.Context, vis store.Visibility) ([]store.MeetingRecord, error) {
			return db.MeetingRecords(ctx, "", vis)
		}, api.meeting})
	routeDataset(r, cached, s, dataset[store.BodyRecord, apiBody]{content.TypeBody,
		(*store.Store).BodyRecord, (*store.Store).BodyRecords, api.body})
}

func routeDataset[R, V any](r chi.Router, cached func(handlerFunc) http.HandlerFunc, s *Server, d dataset[R, V]) {
	name := d.typ.Folder()
	r.Get(urls.DataList(name, urls.JSON), cached(d.handleList(s)))
	r.Get(urls.DataRecord(name, "{id}"), cached(d.handleRecord(s)))
}

// handleList serves the list of every visible record of the dataset.
func (d dataset[R, V]) handleList(s *Server) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		defer s.heavy()()
		recs, err := d.all(st(r), r.Context(), s.vis())
		if err != nil {
			return err
		}
		return writeJSONList(w, r, st(r).Version(), mapList(recs, func(rec R) V { return d.view(s.api(r), rec) }))
	}
}

// handleRecord serves one record; a withdrawn one answers 410, as its
// pages do.
func (d dataset[R, V]) handleRecord(s *Server) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := r.PathValue("id")
		rec, err := d.one(st(r), r.Context(), id, s.vis())
		if errors.Is(err, store.ErrNotFound) {
			if at, werr := st(r).RecordWithdrawn(r.Context(), d.typ, id, s.vis()); werr == nil {
				return errGone{at}
			}
		}
		if err != nil {
			return err
		}
		return writeJSON(w, r, d.view(s.api(r), *rec))
	}
}

func mapList[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// writeJSONList writes a list file — {"version", "count", "items"}
// around items — a record at a time, as json.MarshalIndent would write it
// whole.
func writeJSONList[V any](w http.ResponseWriter, r *http.Request, version string, items []V) error {
	// (CORS headers: the openData middleware.)
	bw, ok := startStream(w, r, "application/json; charset=utf-8")
	if !ok {
		return nil
	}
	v, _ := json.Marshal(version)
	fmt.Fprintf(bw, "{\n  \"version\": %s,\n  \"count\": %d,\n  \"items\": [", v, len(items))
	for i, item := range items {
		b, err := json.MarshalIndent(item, "    ", "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(b)
	}
	if len(items) > 0 {
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
