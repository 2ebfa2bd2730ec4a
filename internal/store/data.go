package store

import (
	"context"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
)

// Text is a text in Polish and English; EN is "" when there is no English.
// It is the content's own type: the store keeps what the content says.
type Text = content.Text

// DeclarationRecord is a declaration in both languages, for open data.
type DeclarationRecord struct {
	ID, Kind, BodyID       string
	BodyName               Text
	Date                   date.Range
	Title, Summary, Author Text
	Event, Place           Text
	Language, TextScope    string
	SignatoryCount         int
	Signatories            []SignatoryRecord
	RefersTo, ReferredBy   []string
	Path                   Text // the page's path in each language
	SourceTitle            Text
	SourceURL              string
	Published, Updated     date.Date // of the Polish page
	UpdatedEN              date.Date
	Paragraphs             map[string][]Paragraph // by language; only for one record
}

// SignatoryRecord is a signatory with their role in both languages.
type SignatoryRecord struct {
	Name string
	Role Text
}

// MeetingRecord is a meeting in both languages, for open data.
type MeetingRecord struct {
	ID, BodyID           string
	BodyName             Text
	Date                 date.Range
	Title, Summary       Text
	Place                Text
	Mode                 string
	Topics, Participants []Text
	Documents            []DocumentRecord
	Path                 Text
	Published, Updated   date.Date
	UpdatedEN            date.Date
}

// DocumentRecord is a document of a meeting in both languages.
type DocumentRecord struct {
	Title Text
	URL   string
}

// BodyRecord is a body in both languages, for open data.
type BodyRecord struct {
	ID, Kind, Abbr     string
	Name               Text
	Title, Summary     Text
	ParentID           string
	Founded            date.Date
	FoundedWith        string
	SupportedBy        []string
	Path               Text
	Published, Updated date.Date
	UpdatedEN          date.Date
}

// docPair joins the visible Polish document of records x as pl and the
// visible English one, if any, as en.
func docPair(vis Visibility) (string, []any) {
	pl, plArgs := vis.where("pl")
	en, enArgs := vis.where("en")
	q := ` JOIN docs pl ON pl.record_id = x.id AND pl.lang = 'pl' AND ` + pl + `
		LEFT JOIN docs en ON en.record_id = x.id AND en.lang = 'en' AND ` + en + ` `
	return q, append(plArgs, enArgs...)
}

const docPairColumns = `pl.title, coalesce(en.title, ''), pl.summary, coalesce(en.summary, ''),
	pl.path, coalesce(en.path, ''), pl.published, pl.updated, coalesce(en.updated, '')`

type docPairFields struct {
	title, summary, path          Text
	published, updated, updatedEN string
}

func (f *docPairFields) dest() []any {
	return []any{&f.title.PL, &f.title.EN, &f.summary.PL, &f.summary.EN, &f.path.PL, &f.path.EN, &f.published, &f.updated, &f.updatedEN}
}

func (f *docPairFields) dates() (date.Date, date.Date, date.Date) {
	p, _ := date.Parse(f.published)
	u, _ := date.Parse(f.updated)
	e, _ := date.Parse(f.updatedEN)
	return p, u, e
}

// DeclarationRecords returns every visible declaration (or only the one
// with id, when id is not ""), newest first, with both languages.
// Paragraphs are filled in only for a single record.
func (s *Store) DeclarationRecords(ctx context.Context, id string, vis Visibility) ([]DeclarationRecord, error) {
	join, args := docPair(vis)
	q := `SELECT x.id, x.kind, x.body_id, b.name_pl, b.name_en, x.date_from, x.date_to, x.author_pl, x.author_en,
		x.event_pl, x.event_en, x.place_pl, x.place_en, x.language, x.text_scope, x.signatory_count,
		x.source_title_pl, x.source_title_en, x.source_url, ` + docPairColumns + `
		FROM declarations x JOIN bodies b ON b.id = x.body_id` + join + `
		WHERE (? = '' OR x.id = ?) ORDER BY x.date_from DESC, x.id`
	rows, err := s.query(ctx, q, append(args, id, id)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DeclarationRecord
	index := map[string]int{}
	for rows.Next() {
		var d DeclarationRecord
		var from, to string
		var f docPairFields
		dest := append([]any{&d.ID, &d.Kind, &d.BodyID, &d.BodyName.PL, &d.BodyName.EN, &from, &to, &d.Author.PL, &d.Author.EN,
			&d.Event.PL, &d.Event.EN, &d.Place.PL, &d.Place.EN, &d.Language, &d.TextScope, &d.SignatoryCount,
			&d.SourceTitle.PL, &d.SourceTitle.EN, &d.SourceURL}, f.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		d.Date = parseRange(from, to)
		d.Title, d.Summary, d.Path = f.title, f.summary, f.path
		d.Published, d.Updated, d.UpdatedEN = f.dates()
		index[d.ID] = len(out)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.addSignatories(ctx, id, out, index); err != nil {
		return nil, err
	}
	if err := s.addReferences(ctx, out, index, vis); err != nil {
		return nil, err
	}
	if id != "" && len(out) == 1 {
		out[0].Paragraphs = map[string][]Paragraph{}
		for _, lang := range []string{"pl", "en"} {
			if out[0].Paragraphs[lang], err = s.Paragraphs(ctx, id, lang); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (s *Store) addSignatories(ctx context.Context, id string, out []DeclarationRecord, index map[string]int) error {
	rows, err := s.query(ctx, "SELECT declaration_id, name, role_pl, role_en FROM signatories WHERE (? = '' OR declaration_id = ?) ORDER BY declaration_id, pos", id, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var did string
		var sg SignatoryRecord
		if err := rows.Scan(&did, &sg.Name, &sg.Role.PL, &sg.Role.EN); err != nil {
			return err
		}
		if i, ok := index[did]; ok {
			out[i].Signatories = append(out[i].Signatories, sg)
		}
	}
	return rows.Err()
}

// addReferences fills RefersTo and ReferredBy with the ids of visible
// declarations.
func (s *Store) addReferences(ctx context.Context, out []DeclarationRecord, index map[string]int, vis Visibility) error {
	cond, args := vis.where("d")
	visible := map[string]bool{}
	rows, err := s.query(ctx, "SELECT d.record_id FROM docs d JOIN declarations x ON x.id = d.record_id WHERE d.lang = 'pl' AND "+cond, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		visible[id] = true
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return err
	}
	rel, err := s.query(ctx, "SELECT from_id, to_id FROM relations WHERE type = 'refers_to' ORDER BY from_id, pos")
	if err != nil {
		return err
	}
	defer rel.Close()
	for rel.Next() {
		var from, to string
		if err := rel.Scan(&from, &to); err != nil {
			return err
		}
		if !visible[from] || !visible[to] {
			continue
		}
		if i, ok := index[from]; ok {
			out[i].RefersTo = append(out[i].RefersTo, to)
		}
		if i, ok := index[to]; ok {
			out[i].ReferredBy = append(out[i].ReferredBy, from)
		}
	}
	return rel.Err()
}

// MeetingRecords returns every visible meeting (or only the one with id),
// newest first, with both languages; bodyID, when not "", keeps the
// meetings of that body.
func (s *Store) MeetingRecords(ctx context.Context, id, bodyID string, vis Visibility) ([]MeetingRecord, error) {
	join, args := docPair(vis)
	q := `SELECT x.id, x.body_id, b.name_pl, b.name_en, x.date_from, x.date_to, x.place_pl, x.place_en, x.mode, ` + docPairColumns + `
		FROM meetings x JOIN bodies b ON b.id = x.body_id` + join + `
		WHERE (? = '' OR x.id = ?) AND (? = '' OR x.body_id = ?) ORDER BY x.date_from DESC, x.id`
	rows, err := s.query(ctx, q, append(args, id, id, bodyID, bodyID)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MeetingRecord
	index := map[string]int{}
	for rows.Next() {
		var m MeetingRecord
		var from, to string
		var f docPairFields
		if err := rows.Scan(append([]any{&m.ID, &m.BodyID, &m.BodyName.PL, &m.BodyName.EN, &from, &to, &m.Place.PL, &m.Place.EN, &m.Mode}, f.dest()...)...); err != nil {
			return nil, err
		}
		m.Date = parseRange(from, to)
		m.Title, m.Summary, m.Path = f.title, f.summary, f.path
		m.Published, m.Updated, m.UpdatedEN = f.dates()
		index[m.ID] = len(out)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	items, err := s.query(ctx, "SELECT meeting_id, kind, pl, en, url FROM meeting_items WHERE (? = '' OR meeting_id = ?) ORDER BY meeting_id, kind, pos", id, id)
	if err != nil {
		return nil, err
	}
	defer items.Close()
	for items.Next() {
		var mid, kind, url string
		var t Text
		if err := items.Scan(&mid, &kind, &t.PL, &t.EN, &url); err != nil {
			return nil, err
		}
		i, ok := index[mid]
		if !ok {
			continue
		}
		switch kind {
		case "topic":
			out[i].Topics = append(out[i].Topics, t)
		case "participant":
			out[i].Participants = append(out[i].Participants, t)
		case "document":
			out[i].Documents = append(out[i].Documents, DocumentRecord{Title: t, URL: url})
		}
	}
	return out, items.Err()
}

// BodyRecords returns every visible body (or only the one with id), with
// both languages.
func (s *Store) BodyRecords(ctx context.Context, id string, vis Visibility) ([]BodyRecord, error) {
	join, args := docPair(vis)
	q := `SELECT x.id, x.kind, x.abbr, x.name_pl, x.name_en, x.founded,
		coalesce((SELECT to_id FROM relations WHERE from_id = x.id AND type = 'part_of'), ''),
		coalesce((SELECT to_id FROM relations WHERE from_id = x.id AND type = 'founded_in_connection_with'), ''),
		` + docPairColumns + `
		FROM bodies x` + join + ` WHERE (? = '' OR x.id = ?) ORDER BY x.id`
	rows, err := s.query(ctx, q, append(args, id, id)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BodyRecord
	index := map[string]int{}
	for rows.Next() {
		var b BodyRecord
		var founded string
		var f docPairFields
		if err := rows.Scan(append([]any{&b.ID, &b.Kind, &b.Abbr, &b.Name.PL, &b.Name.EN, &founded, &b.ParentID, &b.FoundedWith}, f.dest()...)...); err != nil {
			return nil, err
		}
		b.Founded, _ = date.Parse(founded)
		b.Title, b.Summary, b.Path = f.title, f.summary, f.path
		b.Published, b.Updated, b.UpdatedEN = f.dates()
		index[b.ID] = len(out)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sup, err := s.query(ctx, "SELECT from_id, to_id FROM relations WHERE type = 'supported_by' ORDER BY from_id, pos")
	if err != nil {
		return nil, err
	}
	defer sup.Close()
	for sup.Next() {
		var from, to string
		if err := sup.Scan(&from, &to); err != nil {
			return nil, err
		}
		if i, ok := index[from]; ok {
			out[i].SupportedBy = append(out[i].SupportedBy, to)
		}
	}
	return out, sup.Err()
}

// FeedEntry is a record's document for a feed: what changed, and when.
type FeedEntry struct {
	Item
	Type      string
	Published date.Date
}

// Recent returns the visible meeting, declaration and body documents in
// lang, most recently updated first, at most limit.
func (s *Store) Recent(ctx context.Context, lang string, vis Visibility, limit int) ([]FeedEntry, error) {
	cond, args := vis.where("d")
	rows, err := s.query(ctx, `SELECT d.record_id, d.path, d.title, d.summary, d.lang, d.updated, d.published, r.type
		FROM docs d JOIN records r ON r.id = d.record_id
		WHERE d.lang = ? AND r.type IN ('meeting', 'declaration', 'body') AND `+cond+`
		ORDER BY d.updated DESC, d.published DESC, d.record_id LIMIT ?`, append(append([]any{lang}, args...), limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FeedEntry
	for rows.Next() {
		var e FeedEntry
		var updated, published string
		if err := rows.Scan(&e.ID, &e.Path, &e.Title, &e.Summary, &e.Lang, &updated, &published, &e.Type); err != nil {
			return nil, err
		}
		e.Updated, _ = date.Parse(updated)
		e.Published, _ = date.Parse(published)
		out = append(out, e)
	}
	return out, rows.Err()
}
