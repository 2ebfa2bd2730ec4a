package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/krakow/wspolpraca/internal/content"
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
	ParentID     string
	Parts        []Link // bodies that are part of this one
	FoundedWith  *Link  // the declaration it was set up in connection with
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
	AuthorTexts    Text // the author in every language (citations of each language version)
	Event          string
	Place          string
	Language       string // of the authoritative original; "" when unknown
	TextScope      string // full, excerpts, none
	SignatoryCount int
	Signatories    []Signatory
	Paragraphs     []content.Paragraph
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

// textIn reads a stored JSON text of record id, in column, and returns it
// in lang, by the registry's fallback chain.
func (s *Store) textIn(id, column, raw, lang string) (string, error) {
	var t Text
	if err := storedText(id, column, raw, &t); err != nil {
		return "", err
	}
	return t.In(s.reg, lang), nil
}

// Body returns body id in lang.
func (s *Store) Body(ctx context.Context, id, lang string, vis Visibility) (_ *Body, err error) {
	defer wrap(&err, "Body(%q, %q)", id, lang)
	var b Body
	var name, founded, label string
	err = s.queryRow(ctx, "SELECT id, kind, abbr, name, founded, founded_label FROM bodies WHERE id = ?", id).
		Scan(&b.ID, &b.Kind, &b.Abbr, &name, &founded, &label)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if b.Name, err = s.textIn(id, "bodies.name", name, lang); err != nil {
		return nil, err
	}
	if b.FoundedLabel, err = s.textIn(id, "bodies.founded_label", label, lang); err != nil {
		return nil, err
	}
	if b.Founded, err = storedDate(id, "bodies.founded", founded); err != nil {
		return nil, err
	}
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
			return nil, fmt.Errorf("relations: %w", err)
		}
	}
	if len(parents) > 0 {
		b.Parent = &parents[0]
		if err := s.queryRow(ctx, "SELECT to_id FROM relations WHERE from_id = ? AND type = 'part_of'", id).Scan(&b.ParentID); err != nil {
			return nil, fmt.Errorf("parent: %w", err)
		}
	}
	if len(with) > 0 {
		b.FoundedWith = &with[0]
	}
	return &b, nil
}

// Meeting returns meeting id in lang.
func (s *Store) Meeting(ctx context.Context, id, lang string, vis Visibility) (_ *Meeting, err error) {
	defer wrap(&err, "Meeting(%q, %q)", id, lang)
	var m Meeting
	var from, to, place string
	err = s.queryRow(ctx, "SELECT id, body_id, date_from, date_to, place, mode FROM meetings WHERE id = ?", id).
		Scan(&m.ID, &m.BodyID, &from, &to, &place, &m.Mode)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if m.Date, err = storedRange(id, "meetings", from, to); err != nil {
		return nil, err
	}
	if m.Place, err = s.textIn(id, "meetings.place", place, lang); err != nil {
		return nil, err
	}
	if m.Body, _, err = s.link(ctx, m.BodyID, lang, vis); err != nil {
		return nil, fmt.Errorf("body %s: %w", m.BodyID, err)
	}
	rows, err := s.query(ctx, "SELECT kind, text, url FROM meeting_items WHERE meeting_id = ? ORDER BY kind, pos", id)
	if err != nil {
		return nil, fmt.Errorf("items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, raw, url string
		if err := rows.Scan(&kind, &raw, &url); err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		t, err := s.textIn(id, "meeting_items.text ("+kind+")", raw, lang)
		if err != nil {
			return nil, err
		}
		switch kind {
		case "topic":
			m.Topics = append(m.Topics, t)
		case "participant":
			m.Participants = append(m.Participants, t)
		case "document":
			m.Documents = append(m.Documents, Document{Title: t, URL: url})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("items: %w", err)
	}
	return &m, nil
}

// Declaration returns declaration id in lang, with its numbered text in
// that language and its relations both ways.
func (s *Store) Declaration(ctx context.Context, id, lang string, vis Visibility) (_ *Declaration, err error) {
	defer wrap(&err, "Declaration(%q, %q)", id, lang)
	d, err := s.declarationFacts(ctx, id, lang)
	if err != nil {
		return nil, err
	}
	if d.Body, _, err = s.link(ctx, d.BodyID, lang, vis); err != nil {
		return nil, fmt.Errorf("body %s: %w", d.BodyID, err)
	}
	if err := s.signatories(ctx, d, lang); err != nil {
		return nil, err
	}
	if d.Paragraphs, err = s.paragraphs(ctx, id, lang); err != nil {
		return nil, err
	}
	f := referencesFilter(id, lang, false)
	f.SkipTotal = true
	if d.RefersTo, _, err = s.Declarations(ctx, f, vis); err != nil {
		return nil, err
	}
	f = referencesFilter(id, lang, true)
	f.SkipTotal = true
	if d.ReferredBy, _, err = s.Declarations(ctx, f, vis); err != nil {
		return nil, err
	}
	if d.Founded, err = s.links(ctx, "r.id IN (SELECT from_id FROM relations WHERE to_id = ? AND type = 'founded_in_connection_with')", []any{id}, lang, vis, "d.title"); err != nil {
		return nil, fmt.Errorf("bodies founded with it: %w", err)
	}
	return d, nil
}

// referencesFilter selects, in lang, the declarations that declaration id
// refers to, or with back, those that refer to it.
func referencesFilter(id, lang string, back bool) DeclarationFilter {
	f := DeclarationFilter{Lang: lang, PerPage: 1000, args: []any{id}}
	f.via, f.cond = "relations rel JOIN declarations x ON x.id = rel.to_id", "rel.from_id = ? AND rel.type = 'refers_to'"
	if back {
		f.via, f.cond = "relations rel JOIN declarations x ON x.id = rel.from_id", "rel.to_id = ? AND rel.type = 'refers_to'"
	}
	return f
}

// DeclarationText is a declaration's page in a language it has a text of
// its own in, with its facts in that language: what a reference to that
// language version cites.
type DeclarationText struct {
	Doc   *Doc
	Facts *Declaration
}

// DeclarationTexts returns declaration id's visible pages that have a text
// of their own (not a fallback's), with their facts, in the registry's
// order of languages. ErrNotFound when it has none.
func (s *Store) DeclarationTexts(ctx context.Context, id string, vis Visibility) (_ []DeclarationText, err error) {
	defer wrap(&err, "DeclarationTexts(%q)", id)
	var out []DeclarationText
	for _, lg := range s.reg.All() {
		doc, err := s.DocByID(ctx, id, lg.Tag, vis)
		if errors.Is(err, ErrNotFound) || (err == nil && doc.Fallback != "") {
			continue // no text in that language
		}
		if err != nil {
			return nil, err
		}
		facts, err := s.declarationFacts(ctx, id, lg.Tag)
		if err != nil {
			return nil, err
		}
		out = append(out, DeclarationText{doc, facts})
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	return out, nil
}

// DeclarationFacts returns declaration id's own facts in lang (kind, body
// id, date, author, event, place, language, text, source), without its
// text, signatories or relations.
func (s *Store) DeclarationFacts(ctx context.Context, id, lang string) (_ *Declaration, err error) {
	defer wrap(&err, "DeclarationFacts(%q, %q)", id, lang)
	return s.declarationFacts(ctx, id, lang)
}

func (s *Store) declarationFacts(ctx context.Context, id, lang string) (*Declaration, error) {
	var d Declaration
	var from, to, author, event, place, src string
	err := s.queryRow(ctx, `SELECT id, kind, body_id, date_from, date_to, author, event, place, language, text_scope,
		signatory_count, source_title, source_url FROM declarations WHERE id = ?`, id).
		Scan(&d.ID, &d.Kind, &d.BodyID, &from, &to, &author, &event, &place, &d.Language, &d.TextScope,
			&d.SignatoryCount, &src, &d.SourceURL)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if d.Date, err = storedRange(id, "declarations", from, to); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		column, raw string
		dst         *string
		raw2        *Text
	}{{"author", author, &d.Author, &d.AuthorTexts}, {"event", event, &d.Event, nil}, {"place", place, &d.Place, nil}, {"source_title", src, &d.SourceTitle, nil}} {
		if *t.dst, err = s.textIn(id, "declarations."+t.column, t.raw, lang); err != nil {
			return nil, err
		}
		if t.raw2 != nil {
			if err := storedText(id, "declarations."+t.column, t.raw, t.raw2); err != nil {
				return nil, err
			}
		}
	}
	return &d, nil
}

func (s *Store) signatories(ctx context.Context, d *Declaration, lang string) error {
	rows, err := s.query(ctx, "SELECT name, role FROM signatories WHERE declaration_id = ? ORDER BY pos", d.ID)
	if err != nil {
		return fmt.Errorf("signatories of %s: %w", d.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var sg Signatory
		var role string
		if err := rows.Scan(&sg.Name, &role); err != nil {
			return fmt.Errorf("signatories of %s: %w", d.ID, err)
		}
		if sg.Role, err = s.textIn(d.ID, "signatories.role", role, lang); err != nil {
			return err
		}
		d.Signatories = append(d.Signatories, sg)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("signatories of %s: %w", d.ID, err)
	}
	return nil
}

// Paragraphs returns the numbered blocks of a declaration's text in lang.
func (s *Store) Paragraphs(ctx context.Context, id, lang string) (_ []content.Paragraph, err error) {
	defer wrap(&err, "Paragraphs(%q, %q)", id, lang)
	return s.paragraphs(ctx, id, lang)
}

func (s *Store) paragraphs(ctx context.Context, id, lang string) ([]content.Paragraph, error) {
	rows, err := s.query(ctx, "SELECT anchor, number, text FROM paragraphs WHERE record_id = ? AND lang = ? ORDER BY pos", id, lang)
	if err != nil {
		return nil, fmt.Errorf("paragraphs: %w", err)
	}
	defer rows.Close()
	var out []content.Paragraph
	for rows.Next() {
		var p content.Paragraph
		if err := rows.Scan(&p.Anchor, &p.Number, &p.Text); err != nil {
			return nil, fmt.Errorf("paragraphs: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("paragraphs: %w", err)
	}
	return out, nil
}
