package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/krakow/wspolpraca/internal/date"
)

// Body is an organisation or team, in one language.
type Body struct {
	ID           string
	Kind         string // association, commission, team, organisation
	Abbr         string
	Name         string
	Founded      date.Date // zero when the source does not say
	FoundedLabel string    // what Founded stands for, if not the setting up
	Parent       *Link     // the body this one is part of
	Parts        []Link    // bodies that are part of this one
	FoundedWith  *Link     // the declaration it was set up in connection with
	SupportedBy  []Link
	Supports     []Link
}

// Meeting is a meeting of a body, in one language.
type Meeting struct {
	ID           string
	Body         Link
	BodyID       string
	Date         date.Range
	Place        string
	Mode         string // in_person, online, hybrid; "" when the source does not say
	Topics       []string
	Participants []string
	Documents    []Document
}

// Document is a document of a meeting.
type Document struct {
	Title string
	URL   string
}

// Declaration is a declaration, position or appeal, in one language.
type Declaration struct {
	ID             string
	Kind           string // declaration, position, appeal
	Body           Link
	BodyID         string
	Date           date.Range
	Author         string
	Event          string
	Place          string
	Language       string // of the authoritative original; "" when unknown
	TextScope      string // full, excerpts, none
	SignatoryCount int
	Signatories    []Signatory
	Paragraphs     []Paragraph
	RefersTo       []DeclarationItem
	ReferredBy     []DeclarationItem
	Founded        []Link // bodies set up in connection with it
	SourceTitle    string
	SourceURL      string
}

// Signatory is a named signatory with the role they had when signing.
type Signatory struct {
	Name string
	Role string
}

// Paragraph is a numbered, citable block of a declaration's text.
type Paragraph struct {
	Anchor string
	Number string
	Text   string
}

// pick returns the Polish or English column of a pair.
func pick(lang, pl, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return pl
}

// Body returns body id in lang.
func (s *Store) Body(ctx context.Context, id, lang string, vis Visibility) (*Body, error) {
	var b Body
	var namePL, nameEN, founded, labelPL, labelEN string
	err := s.queryRow(ctx, "SELECT id, kind, abbr, name_pl, name_en, founded, founded_label_pl, founded_label_en FROM bodies WHERE id = ?", id).
		Scan(&b.ID, &b.Kind, &b.Abbr, &namePL, &nameEN, &founded, &labelPL, &labelEN)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	b.Name = pick(lang, namePL, nameEN)
	b.FoundedLabel = pick(lang, labelPL, labelEN)
	b.Founded, _ = date.Parse(founded)
	rel := func(cond string) ([]Link, error) {
		return s.links(ctx, cond, []any{id}, lang, vis, "d.title")
	}
	var parents, with []Link
	for _, q := range []struct {
		dst  *[]Link
		cond string
	}{
		{&parents, "r.id IN (SELECT to_id FROM relations WHERE from_id = ? AND type = 'part_of')"},
		{&b.Parts, "r.id IN (SELECT from_id FROM relations WHERE to_id = ? AND type = 'part_of')"},
		{&with, "r.id IN (SELECT to_id FROM relations WHERE from_id = ? AND type = 'founded_in_connection_with')"},
		{&b.SupportedBy, "r.id IN (SELECT to_id FROM relations WHERE from_id = ? AND type = 'supported_by')"},
		{&b.Supports, "r.id IN (SELECT from_id FROM relations WHERE to_id = ? AND type = 'supported_by')"},
	} {
		if *q.dst, err = rel(q.cond); err != nil {
			return nil, err
		}
	}
	if len(parents) > 0 {
		b.Parent = &parents[0]
	}
	if len(with) > 0 {
		b.FoundedWith = &with[0]
	}
	return &b, nil
}

// Meeting returns meeting id in lang.
func (s *Store) Meeting(ctx context.Context, id, lang string, vis Visibility) (*Meeting, error) {
	var m Meeting
	var from, to, placePL, placeEN string
	err := s.queryRow(ctx, "SELECT id, body_id, date_from, date_to, place_pl, place_en, mode FROM meetings WHERE id = ?", id).
		Scan(&m.ID, &m.BodyID, &from, &to, &placePL, &placeEN, &m.Mode)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	m.Date = parseRange(from, to)
	m.Place = pick(lang, placePL, placeEN)
	if m.Body, _, err = s.link(ctx, m.BodyID, lang, vis); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, "SELECT kind, pl, en, url FROM meeting_items WHERE meeting_id = ? ORDER BY kind, pos", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, pl, en, url string
		if err := rows.Scan(&kind, &pl, &en, &url); err != nil {
			return nil, err
		}
		switch kind {
		case "topic":
			m.Topics = append(m.Topics, pick(lang, pl, en))
		case "participant":
			m.Participants = append(m.Participants, pick(lang, pl, en))
		case "document":
			m.Documents = append(m.Documents, Document{Title: pick(lang, pl, en), URL: url})
		}
	}
	return &m, rows.Err()
}

// Declaration returns declaration id in lang, with its numbered text in
// that language and its relations both ways.
func (s *Store) Declaration(ctx context.Context, id, lang string, vis Visibility) (*Declaration, error) {
	d, err := s.DeclarationFacts(ctx, id, lang)
	if err != nil {
		return nil, err
	}
	if d.Body, _, err = s.link(ctx, d.BodyID, lang, vis); err != nil {
		return nil, err
	}
	if err := s.signatories(ctx, d, lang); err != nil {
		return nil, err
	}
	if d.Paragraphs, err = s.Paragraphs(ctx, id, lang); err != nil {
		return nil, err
	}
	f := DeclarationFilter{Lang: lang, PerPage: 1000, SkipTotal: true, args: []any{id}}
	f.via, f.cond = "relations rel JOIN declarations x ON x.id = rel.to_id", "rel.from_id = ? AND rel.type = 'refers_to'"
	if d.RefersTo, _, err = s.Declarations(ctx, f, vis); err != nil {
		return nil, err
	}
	f.via, f.cond = "relations rel JOIN declarations x ON x.id = rel.from_id", "rel.to_id = ? AND rel.type = 'refers_to'"
	if d.ReferredBy, _, err = s.Declarations(ctx, f, vis); err != nil {
		return nil, err
	}
	d.Founded, err = s.links(ctx, "r.id IN (SELECT from_id FROM relations WHERE to_id = ? AND type = 'founded_in_connection_with')", []any{id}, lang, vis, "d.title")
	return d, err
}

// DeclarationFacts returns declaration id's own facts in lang (kind, body
// id, date, author, event, place, language, text, source), without its
// text, signatories or relations.
func (s *Store) DeclarationFacts(ctx context.Context, id, lang string) (*Declaration, error) {
	var d Declaration
	var from, to, authorPL, authorEN, eventPL, eventEN, placePL, placeEN, srcPL, srcEN string
	err := s.queryRow(ctx, `SELECT id, kind, body_id, date_from, date_to, author_pl, author_en, event_pl, event_en,
		place_pl, place_en, language, text_scope, signatory_count, source_title_pl, source_title_en, source_url
		FROM declarations WHERE id = ?`, id).
		Scan(&d.ID, &d.Kind, &d.BodyID, &from, &to, &authorPL, &authorEN, &eventPL, &eventEN,
			&placePL, &placeEN, &d.Language, &d.TextScope, &d.SignatoryCount, &srcPL, &srcEN, &d.SourceURL)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	d.Date = parseRange(from, to)
	d.Author, d.Event, d.Place, d.SourceTitle = pick(lang, authorPL, authorEN), pick(lang, eventPL, eventEN), pick(lang, placePL, placeEN), pick(lang, srcPL, srcEN)
	return &d, nil
}

func (s *Store) signatories(ctx context.Context, d *Declaration, lang string) error {
	rows, err := s.query(ctx, "SELECT name, role_pl, role_en FROM signatories WHERE declaration_id = ? ORDER BY pos", d.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sg Signatory
		var pl, en string
		if err := rows.Scan(&sg.Name, &pl, &en); err != nil {
			return err
		}
		sg.Role = pick(lang, pl, en)
		d.Signatories = append(d.Signatories, sg)
	}
	return rows.Err()
}

// Paragraphs returns the numbered blocks of a declaration's text in lang.
func (s *Store) Paragraphs(ctx context.Context, id, lang string) ([]Paragraph, error) {
	rows, err := s.query(ctx, "SELECT anchor, number, text FROM paragraphs WHERE record_id = ? AND lang = ? ORDER BY pos", id, lang)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Paragraph
	for rows.Next() {
		var p Paragraph
		if err := rows.Scan(&p.Anchor, &p.Number, &p.Text); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func parseRange(from, to string) date.Range {
	var r date.Range
	r.From, _ = date.Parse(from)
	r.To, _ = date.Parse(to)
	return r
}
