package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
)

// Text is a text by language tag; a language it lacks shows its fallback's.
// It is the content's own type: the store keeps what the content says.
type Text = content.Text

// Version is a record's page in one language, for open data.
type Version struct {
	Lang      string
	Path      string
	Title     string
	Summary   string
	Published date.Date
	Updated   date.Date
	// Status says how the page stands to the authoritative text; for a
	// page with no file in its language, Fallback names the language of
	// the text it shows.
	Status   content.TranslationStatus
	Fallback string
}

// The records of open data are the content's types (content.Declaration,
// Meeting, Body: the one model of each concept, as the content gives it)
// with what the store adds: the visible pages (Versions; the embedded
// Record's Docs stay empty), the names of related records, and the
// relations that point back. The API, CSV, iCalendar and JSON-LD shapes
// are each built from them in one place (internal/web).

// DeclarationRecord is a declaration in every language, for open data.
// RefersTo holds only visible declarations.
type DeclarationRecord struct {
	content.Declaration
	BodyName   Text
	ReferredBy []string                       // visible declarations referring to it
	Versions   map[string]Version             // visible pages, by language
	Paragraphs map[string][]content.Paragraph // by language; only for one record
}

// MeetingRecord is a meeting in every language, for open data.
type MeetingRecord struct {
	content.Meeting
	BodyName Text
	Versions map[string]Version
}

// BodyRecord is a body in every language, for open data.
type BodyRecord struct {
	content.Body
	Versions map[string]Version
}

// Authoritative returns the version in the authoritative language.
func (s *Store) Authoritative(vs map[string]Version) Version {
	return vs[s.reg.Authoritative().Tag]
}

// scanText reads a stored JSON text.
func scanText(raw string, t *Text) error {
	if raw == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(raw), t); err != nil {
		return fmt.Errorf("stored text %.40q: %w", raw, err)
	}
	return nil
}

// versions returns the visible pages of the records of table (declarations,
// meetings, bodies: a constant of this package), or of record id alone
// when id is not "", by record and language. A record is visible when its
// authoritative page is.
func (s *Store) versions(ctx context.Context, table, id string, vis Visibility) (map[string]map[string]Version, error) {
	cond, args := vis.where("d")
	q := `SELECT d.record_id, d.lang, d.path, d.title, d.summary, d.published, d.updated, d.status, d.fallback FROM docs d WHERE `
	if id != "" {
		q += `d.record_id = ? AND ` + cond
		args = append([]any{id}, args...)
	} else {
		q += `d.record_id IN (SELECT id FROM ` + table + `) AND ` + cond
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("versions of %s %q: %w", table, id, err)
	}
	defer rows.Close()
	out := map[string]map[string]Version{}
	for rows.Next() {
		var rid, published, updated, status string
		var v Version
		if err := rows.Scan(&rid, &v.Lang, &v.Path, &v.Title, &v.Summary, &published, &updated, &status, &v.Fallback); err != nil {
			return nil, fmt.Errorf("versions of %s %q: %w", table, id, err)
		}
		if v.Published, err = storedDate(docKey(rid, v.Lang), "docs.published", published); err != nil {
			return nil, err
		}
		if v.Updated, err = storedDate(docKey(rid, v.Lang), "docs.updated", updated); err != nil {
			return nil, err
		}
		v.Status = content.TranslationStatus(status)
		if out[rid] == nil {
			out[rid] = map[string]Version{}
		}
		out[rid][v.Lang] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("versions of %s %q: %w", table, id, err)
	}
	auth := s.reg.Authoritative().Tag
	for rid, vs := range out {
		if _, ok := vs[auth]; !ok {
			delete(out, rid) // its original is hidden: so is it
		}
	}
	return out, nil
}

// byID returns the record id that read reads (the record readers take ""
// for every record, which no id is), or ErrNotFound when there is none.
func byID[T any](id string, read func() ([]T, error)) (*T, error) {
	if id == "" {
		return nil, ErrNotFound
	}
	recs, err := read()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, ErrNotFound
	}
	return &recs[0], nil
}

// DeclarationRecords returns every visible declaration, newest first, in
// every language.
func (s *Store) DeclarationRecords(ctx context.Context, vis Visibility) (_ []DeclarationRecord, err error) {
	defer wrap(&err, "DeclarationRecords")
	return s.declarationRecords(ctx, "", vis)
}

// DeclarationRecord returns the visible declaration id, with its numbered
// paragraphs in every language; ErrNotFound if there is none.
func (s *Store) DeclarationRecord(ctx context.Context, id string, vis Visibility) (_ *DeclarationRecord, err error) {
	defer wrap(&err, "DeclarationRecord(%q)", id)
	d, err := byID(id, func() ([]DeclarationRecord, error) { return s.declarationRecords(ctx, id, vis) })
	if err != nil {
		return nil, err
	}
	d.Paragraphs = map[string][]content.Paragraph{}
	for tag, v := range d.Versions {
		if v.Fallback != "" {
			continue
		}
		if d.Paragraphs[tag], err = s.Paragraphs(ctx, id, tag); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// declarationRecords reads one declaration (id, by its key) or all.
func (s *Store) declarationRecords(ctx context.Context, id string, vis Visibility) ([]DeclarationRecord, error) {
	versions, err := s.versions(ctx, "declarations", id, vis)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + declarationColumns + `, b.name FROM declarations x JOIN bodies b ON b.id = x.body_id`
	var args []any
	if id != "" {
		q += ` WHERE x.id = ?`
		args = append(args, id)
	}
	rows, err := s.query(ctx, q+` ORDER BY x.date_from DESC, x.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("declarations %q: %w", id, err)
	}
	defer rows.Close()
	var out []DeclarationRecord
	index := map[string]int{}
	for rows.Next() {
		var d DeclarationRecord
		var body string
		if err := scanDeclaration(rows, &d.Declaration, &body); err != nil {
			return nil, fmt.Errorf("declarations %q: %w", id, err)
		}
		if d.Versions = versions[d.ID]; d.Versions == nil {
			continue // not visible
		}
		if err := storedText(d.Body, "bodies.name", body, &d.BodyName); err != nil {
			return nil, err
		}
		index[d.ID] = len(out)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("declarations %q: %w", id, err)
	}
	if err := s.addSignatories(ctx, id, out, index); err != nil {
		return nil, err
	}
	if err := s.addReferences(ctx, id, out, index, vis); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) addSignatories(ctx context.Context, id string, out []DeclarationRecord, index map[string]int) error {
	q, args := "SELECT declaration_id, name, role FROM signatories ORDER BY declaration_id, pos", []any{}
	if id != "" {
		q, args = "SELECT declaration_id, name, role FROM signatories WHERE declaration_id = ? ORDER BY pos", []any{id}
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("signatories of %q: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var did, role string
		var sg content.Signatory
		if err := rows.Scan(&did, &sg.Name, &role); err != nil {
			return fmt.Errorf("signatories of %q: %w", id, err)
		}
		if err := storedText(did, "signatories.role", role, &sg.Role); err != nil {
			return err
		}
		if i, ok := index[did]; ok {
			out[i].Signatories = append(out[i].Signatories, sg)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("signatories of %q: %w", id, err)
	}
	return nil
}

// addReferences fills RefersTo and ReferredBy with the ids of visible
// declarations (of id's relations alone, when id is not "").
func (s *Store) addReferences(ctx context.Context, id string, out []DeclarationRecord, index map[string]int, vis Visibility) error {
	cond, args := vis.where("d")
	auth := s.reg.Authoritative().Tag
	visible := func(rid string) (bool, error) {
		var ok bool
		err := s.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM docs d WHERE d.record_id = ? AND d.lang = ? AND "+cond+")",
			append([]any{rid, auth}, args...)...).Scan(&ok)
		return ok, err
	}
	q, qargs := "SELECT from_id, to_id FROM relations WHERE type = 'refers_to' ORDER BY from_id, pos", []any{}
	if id != "" {
		q = `SELECT from_id, to_id FROM relations WHERE type = 'refers_to' AND from_id = ?
			UNION ALL SELECT from_id, to_id FROM relations WHERE type = 'refers_to' AND to_id = ? ORDER BY 1, 2`
		qargs = []any{id, id}
	}
	rel, err := s.query(ctx, q, qargs...)
	if err != nil {
		return fmt.Errorf("references of %q: %w", id, err)
	}
	type pair struct{ from, to string }
	var pairs []pair
	for rel.Next() {
		var p pair
		if err := rel.Scan(&p.from, &p.to); err != nil {
			rel.Close()
			return fmt.Errorf("references of %q: %w", id, err)
		}
		pairs = append(pairs, p)
	}
	rel.Close()
	if err := rel.Err(); err != nil {
		return fmt.Errorf("references of %q: %w", id, err)
	}
	seen := map[string]bool{}
	isVisible := func(rid string) (bool, error) {
		if _, ok := index[rid]; ok {
			return true, nil
		}
		if v, ok := seen[rid]; ok {
			return v, nil
		}
		v, err := visible(rid)
		if err != nil {
			return false, fmt.Errorf("visibility of %s: %w", rid, err)
		}
		seen[rid] = v
		return v, nil
	}
	for _, p := range pairs {
		vf, err := isVisible(p.from)
		if err != nil {
			return err
		}
		vt, err := isVisible(p.to)
		if err != nil {
			return err
		}
		if !vf || !vt {
			continue
		}
		if i, ok := index[p.from]; ok {
			out[i].RefersTo = append(out[i].RefersTo, p.to)
		}
		if i, ok := index[p.to]; ok {
			out[i].ReferredBy = append(out[i].ReferredBy, p.from)
		}
	}
	return nil
}

// MeetingRecords returns every visible meeting, newest first, in every
// language; bodyID, when not "", keeps the meetings of that body.
func (s *Store) MeetingRecords(ctx context.Context, bodyID string, vis Visibility) (_ []MeetingRecord, err error) {
	defer wrap(&err, "MeetingRecords(%q)", bodyID)
	return s.meetingRecords(ctx, "", bodyID, vis)
}

// MeetingRecord returns the visible meeting id; ErrNotFound if there is
// none.
func (s *Store) MeetingRecord(ctx context.Context, id string, vis Visibility) (_ *MeetingRecord, err error) {
	defer wrap(&err, "MeetingRecord(%q)", id)
	return byID(id, func() ([]MeetingRecord, error) { return s.meetingRecords(ctx, id, "", vis) })
}

func (s *Store) meetingRecords(ctx context.Context, id, bodyID string, vis Visibility) ([]MeetingRecord, error) {
	versions, err := s.versions(ctx, "meetings", id, vis)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + meetingColumns + `, b.name FROM meetings x JOIN bodies b ON b.id = x.body_id`
	var args []any
	switch {
	case id != "":
		q += ` WHERE x.id = ?`
		args = append(args, id)
	case bodyID != "":
		q += ` WHERE x.body_id = ?`
		args = append(args, bodyID)
	}
	rows, err := s.query(ctx, q+` ORDER BY x.date_from DESC, x.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("meetings %q: %w", id, err)
	}
	defer rows.Close()
	var out []MeetingRecord
	index := map[string]int{}
	for rows.Next() {
		var m MeetingRecord
		var body string
		if err := scanMeeting(rows, &m.Meeting, &body); err != nil {
			return nil, fmt.Errorf("meetings %q: %w", id, err)
		}
		if m.Versions = versions[m.ID]; m.Versions == nil {
			continue
		}
		if err := storedText(m.Body, "bodies.name", body, &m.BodyName); err != nil {
			return nil, err
		}
		index[m.ID] = len(out)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("meetings %q: %w", id, err)
	}
	iq, iargs := "SELECT meeting_id, kind, text, url FROM meeting_items ORDER BY meeting_id, kind, pos", []any{}
	if id != "" {
		iq, iargs = "SELECT meeting_id, kind, text, url FROM meeting_items WHERE meeting_id = ? ORDER BY kind, pos", []any{id}
	}
	items, err := s.query(ctx, iq, iargs...)
	if err != nil {
		return nil, fmt.Errorf("items of meetings %q: %w", id, err)
	}
	defer items.Close()
	for items.Next() {
		var mid, kind, raw, url string
		if err := items.Scan(&mid, &kind, &raw, &url); err != nil {
			return nil, fmt.Errorf("items of meetings %q: %w", id, err)
		}
		if i, ok := index[mid]; ok {
			if err := addMeetingItem(&out[i].Meeting, kind, raw, url); err != nil {
				return nil, err
			}
		}
	}
	if err := items.Err(); err != nil {
		return nil, fmt.Errorf("items of meetings %q: %w", id, err)
	}
	return out, nil
}

// BodyRecords returns every visible body, in every language.
func (s *Store) BodyRecords(ctx context.Context, vis Visibility) (_ []BodyRecord, err error) {
	defer wrap(&err, "BodyRecords")
	return s.bodyRecords(ctx, "", vis)
}

// BodyRecord returns the visible body id; ErrNotFound if there is none.
func (s *Store) BodyRecord(ctx context.Context, id string, vis Visibility) (_ *BodyRecord, err error) {
	defer wrap(&err, "BodyRecord(%q)", id)
	return byID(id, func() ([]BodyRecord, error) { return s.bodyRecords(ctx, id, vis) })
}

func (s *Store) bodyRecords(ctx context.Context, id string, vis Visibility) ([]BodyRecord, error) {
	versions, err := s.versions(ctx, "bodies", id, vis)
	if err != nil {
		return nil, err
	}
	q := `SELECT x.id, x.kind, x.abbr, x.name, x.founded, x.founded_label,
		coalesce((SELECT to_id FROM relations WHERE from_id = x.id AND type = 'part_of'), ''),
		coalesce((SELECT to_id FROM relations WHERE from_id = x.id AND type = 'founded_in_connection_with'), '')
		FROM bodies x`
	var args []any
	if id != "" {
		q += ` WHERE x.id = ?`
		args = append(args, id)
	}
	rows, err := s.query(ctx, q+` ORDER BY x.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("bodies %q: %w", id, err)
	}
	defer rows.Close()
	var out []BodyRecord
	index := map[string]int{}
	for rows.Next() {
		var b BodyRecord
		b.Type = content.TypeBody
		var name, founded, label string
		if err := rows.Scan(&b.ID, &b.Kind, &b.Abbr, &name, &founded, &label, &b.Parent, &b.FoundedWith); err != nil {
			return nil, fmt.Errorf("bodies %q: %w", id, err)
		}
		if b.Versions = versions[b.ID]; b.Versions == nil {
			continue
		}
		if err := storedText(b.ID, "bodies.name", name, &b.Name); err != nil {
			return nil, err
		}
		if err := storedText(b.ID, "bodies.founded_label", label, &b.FoundedLabel); err != nil {
			return nil, err
		}
		if b.Founded, err = storedDate(b.ID, "bodies.founded", founded); err != nil {
			return nil, err
		}
		index[b.ID] = len(out)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bodies %q: %w", id, err)
	}
	// One body's supporters by key; every body's in one pass.
	sq, sargs := "SELECT from_id, to_id FROM relations WHERE type = 'supported_by' ORDER BY from_id, pos", []any{}
	if id != "" {
		sq, sargs = "SELECT from_id, to_id FROM relations WHERE from_id = ? AND type = 'supported_by' ORDER BY pos", []any{id}
	}
	sup, err := s.query(ctx, sq, sargs...)
	if err != nil {
		return nil, fmt.Errorf("supported_by: %w", err)
	}
	defer sup.Close()
	for sup.Next() {
		var from, to string
		if err := sup.Scan(&from, &to); err != nil {
			return nil, fmt.Errorf("supported_by: %w", err)
		}
		if i, ok := index[from]; ok {
			out[i].SupportedBy = append(out[i].SupportedBy, to)
		}
	}
	if err := sup.Err(); err != nil {
		return nil, fmt.Errorf("supported_by: %w", err)
	}
	return out, nil
}

// FeedEntry is a record's page for a feed: what changed, and when.
type FeedEntry struct {
	Item
	Type      content.Type
	Published date.Date
	Status    content.TranslationStatus
}

// Recent returns the visible documents in lang of every type (those with a
// text of their own in it: meetings, declarations, bodies and pages, as
// the list of changes has them), most recently updated first, at most
// limit.
func (s *Store) Recent(ctx context.Context, lang string, vis Visibility, limit int) (_ []FeedEntry, err error) {
	defer wrap(&err, "Recent(%q, %d)", lang, limit)
	cond, args := vis.where("d")
	rows, err := s.query(ctx, `SELECT d.record_id, d.path, d.title, d.summary, d.lang, d.updated, d.published, r.type, d.status
		FROM docs d JOIN records r ON r.id = d.record_id
		WHERE d.lang = ? AND d.fallback = '' AND `+cond+`
		ORDER BY d.updated DESC, d.published DESC, d.record_id LIMIT ?`, append(append([]any{lang}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("recent in %s: %w", lang, err)
	}
	defer rows.Close()
	var out []FeedEntry
	for rows.Next() {
		var e FeedEntry
		var updated, published, status string
		if err := rows.Scan(&e.ID, &e.Path, &e.Title, &e.Summary, &e.Lang, &updated, &published, &e.Type, &status); err != nil {
			return nil, fmt.Errorf("recent in %s: %w", lang, err)
		}
		if e.Updated, err = storedDate(docKey(e.ID, e.Lang), "docs.updated", updated); err != nil {
			return nil, err
		}
		if e.Published, err = storedDate(docKey(e.ID, e.Lang), "docs.published", published); err != nil {
			return nil, err
		}
		e.Status = content.TranslationStatus(status)
		out = append(out, e)
	}
	return out, rows.Err()
}
