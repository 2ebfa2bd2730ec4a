package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/lang"
)

// Body is a body's page in one language: the body as the content gives
// it (content.Body: its facts in every language; Parent, FoundedWith and
// SupportedBy are ids) with the page's language, which In reads texts in,
// and the pages of the bodies and declarations it is related to.
type Body struct {
	content.Body
	Lang            string // the page's language
	ParentLink      *Link  // the body this one is part of
	Parts           []Link // bodies that are part of this one
	FoundedWithLink *Link  // the declaration it was set up in connection with
	Supporters      []Link // the bodies of SupportedBy
	Supports        []Link // bodies this one supports
	reg             *lang.Registry
}

// In returns t in the page's language, by the registry's fallback chain.
func (b *Body) In(t content.Text) string { return t.In(b.reg, b.Lang) }

// Meeting is a meeting's page in one language: the meeting as the content
// gives it (content.Meeting: its facts in every language; Body is the
// body's id) with the page's language, which In reads texts in, and the
// body's page.
type Meeting struct {
	content.Meeting
	Lang     string // the page's language
	BodyLink Link   // the body's page
	reg      *lang.Registry
}

// In returns t in the page's language, by the registry's fallback chain.
func (m *Meeting) In(t content.Text) string { return t.In(m.reg, m.Lang) }

// InAll returns each of ts in the page's language.
func (m *Meeting) InAll(ts []content.Text) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, m.In(t))
	}
	return out
}

// Declaration is a declaration's page in one language: the declaration
// as the content gives it (content.Declaration: its facts in every
// language; Body is the body's id, RefersTo the ids of the visible
// declarations it refers to) with the page's language, which In reads
// texts in, and what the page links to.
type Declaration struct {
	content.Declaration
	Lang       string              // the page's language
	BodyLink   Link                // the body's page
	Paragraphs []content.Paragraph // the numbered blocks of the text in Lang
	References []DeclarationItem   // the declarations of RefersTo, as list entries
	ReferredBy []DeclarationItem   // the visible declarations referring to it
	Founded    []Link              // bodies set up in connection with it
	reg        *lang.Registry
}

// In returns t in the page's language, by the registry's fallback chain.
func (d *Declaration) In(t content.Text) string { return t.In(d.reg, d.Lang) }

// SourceTitle returns the title of where the text was first published,
// in the page's language; "" when the source does not say.
func (d *Declaration) SourceTitle() string {
	if d.Source == nil {
		return ""
	}
	return d.In(d.Source.Title)
}

// SourceURL returns the address of where the text was first published;
// "" when the source does not say.
func (d *Declaration) SourceURL() string {
	if d.Source == nil {
		return ""
	}
	return d.Source.URL
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
	b := Body{Lang: lang, reg: s.reg}
	b.Type = content.TypeBody
	var name, founded, label string
	err = s.queryRow(ctx, `SELECT id, kind, abbr, name, founded, founded_label,
		coalesce((SELECT to_id FROM relations WHERE from_id = x.id AND type = 'part_of'), ''),
		coalesce((SELECT to_id FROM relations WHERE from_id = x.id AND type = 'founded_in_connection_with'), '')
		FROM bodies x WHERE id = ?`, id).
		Scan(&b.ID, &b.Kind, &b.Abbr, &name, &founded, &label, &b.Parent, &b.FoundedWith)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := storedText(id, "bodies.name", name, &b.Name); err != nil {
		return nil, err
	}
	if err := storedText(id, "bodies.founded_label", label, &b.FoundedLabel); err != nil {
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
		{&b.Supporters, "r.id IN (SELECT to_id FROM relations WHERE from_id = ? AND type = 'supported_by')"},
		{&b.Supports, "r.id IN (SELECT from_id FROM relations WHERE to_id = ? AND type = 'supported_by')"},
	} {
		if *q.dst, err = rel(q.cond); err != nil {
			return nil, fmt.Errorf("relations: %w", err)
		}
	}
	if len(parents) > 0 {
		b.ParentLink = &parents[0]
	}
	if len(with) > 0 {
		b.FoundedWithLink = &with[0]
	}
	if b.SupportedBy, err = s.strings(ctx, "SELECT to_id FROM relations WHERE from_id = ? AND type = 'supported_by' ORDER BY pos", id); err != nil {
		return nil, fmt.Errorf("supported_by: %w", err)
	}
	return &b, nil
}

// Meeting returns meeting id in lang.
func (s *Store) Meeting(ctx context.Context, id, lang string, vis Visibility) (_ *Meeting, err error) {
	defer wrap(&err, "Meeting(%q, %q)", id, lang)
	m := Meeting{Lang: lang, reg: s.reg}
	err = scanMeeting(s.queryRow(ctx, `SELECT `+meetingColumns+` FROM meetings x WHERE x.id = ?`, id), &m.Meeting)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if m.BodyLink, _, err = s.link(ctx, m.Body, lang, vis); err != nil {
		return nil, fmt.Errorf("body %s: %w", m.Body, err)
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
		if err := addMeetingItem(&m.Meeting, kind, raw, url); err != nil {
			return nil, err
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
	if d.BodyLink, _, err = s.link(ctx, d.Body, lang, vis); err != nil {
		return nil, fmt.Errorf("body %s: %w", d.Body, err)
	}
	if err := s.signatories(ctx, d); err != nil {
		return nil, err
	}
	if d.Paragraphs, err = s.paragraphs(ctx, id, lang); err != nil {
		return nil, err
	}
	f := referencesFilter(id, lang, false)
	f.SkipTotal = true
	if d.References, _, err = s.Declarations(ctx, f, vis); err != nil {
		return nil, err
	}
	for _, it := range d.References {
		d.RefersTo = append(d.RefersTo, it.ID)
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

// DeclarationFacts returns declaration id's own facts (kind, body id,
// date, author, event, place, language, text, source), read in lang,
// without its text, signatories or relations.
func (s *Store) DeclarationFacts(ctx context.Context, id, lang string) (_ *Declaration, err error) {
	defer wrap(&err, "DeclarationFacts(%q, %q)", id, lang)
	return s.declarationFacts(ctx, id, lang)
}

func (s *Store) declarationFacts(ctx context.Context, id, lang string) (*Declaration, error) {
	d := Declaration{Lang: lang, reg: s.reg}
	err := scanDeclaration(s.queryRow(ctx, `SELECT `+declarationColumns+` FROM declarations x WHERE x.id = ?`, id), &d.Declaration)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func (s *Store) signatories(ctx context.Context, d *Declaration) error {
	rows, err := s.query(ctx, "SELECT name, role FROM signatories WHERE declaration_id = ? ORDER BY pos", d.ID)
	if err != nil {
		return fmt.Errorf("signatories of %s: %w", d.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var sg content.Signatory
		var role string
		if err := rows.Scan(&sg.Name, &role); err != nil {
			return fmt.Errorf("signatories of %s: %w", d.ID, err)
		}
		if err := storedText(d.ID, "signatories.role", role, &sg.Role); err != nil {
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
