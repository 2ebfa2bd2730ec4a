package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
)

// Link points to a page of the site.
type Link struct {
	Path  string
	Title string
	Lang  string // the language of the page linked to
}

// Doc is one language version of a record, as its page shows it.
type Doc struct {
	RecordID     string
	Type         string // page, body, meeting, declaration
	Lang         string
	File         string // the content file, relative to content/
	Path         string
	Title        string
	Summary      string
	TitleNote    string
	HTML         string // rendered by internal/content from the editors' Markdown
	ContextHTML  string
	Draft        bool
	Published    date.Date
	Updated      date.Date
	Changes      []Change
	Layout       string // pages: home, page, bodies, meetings, …
	Alternates   []Link // the same record in the other language, when visible
	Untranslated bool
}

// Change is a note on a major change.
type Change struct {
	Date date.Date
	Note string
}

const docColumns = `d.record_id, r.type, d.lang, d.file, d.path, d.title, d.summary, d.title_note, t.html,
	t.context_html, d.draft, d.published, d.updated, coalesce(p.layout, ''), r.untranslated`

const docFrom = `docs d JOIN records r ON r.id = d.record_id LEFT JOIN pages p ON p.id = d.record_id
	JOIN doc_texts t ON t.record_id = d.record_id AND t.lang = d.lang`

func scanDoc(row interface{ Scan(...any) error }) (*Doc, error) {
	var d Doc
	var published, updated string
	err := row.Scan(&d.RecordID, &d.Type, &d.Lang, &d.File, &d.Path, &d.Title, &d.Summary, &d.TitleNote, &d.HTML,
		&d.ContextHTML, &d.Draft, &published, &updated, &d.Layout, &d.Untranslated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	d.Published, _ = date.Parse(published)
	d.Updated, _ = date.Parse(updated)
	return &d, nil
}

// DocByPath returns the visible document whose URL path is path.
func (s *Store) DocByPath(ctx context.Context, path string, vis Visibility) (*Doc, error) {
	cond, args := vis.where("d")
	row := s.queryRow(ctx, "SELECT "+docColumns+" FROM "+docFrom+" WHERE d.path = ? AND "+cond,
		append([]any{path}, args...)...)
	return s.complete(ctx, row, vis)
}

// DocByID returns the visible document of record id in lang.
func (s *Store) DocByID(ctx context.Context, id, lang string, vis Visibility) (*Doc, error) {
	cond, args := vis.where("d")
	row := s.queryRow(ctx, "SELECT "+docColumns+" FROM "+docFrom+" WHERE d.record_id = ? AND d.lang = ? AND "+cond,
		append([]any{id, lang}, args...)...)
	return s.complete(ctx, row, vis)
}

// complete scans a document and adds its changes and alternates.
func (s *Store) complete(ctx context.Context, row *sql.Row, vis Visibility) (*Doc, error) {
	d, err := scanDoc(row)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, "SELECT date, note FROM changes WHERE record_id = ? AND lang = ? ORDER BY pos", d.RecordID, d.Lang)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Change
		var when string
		if err := rows.Scan(&when, &c.Note); err != nil {
			return nil, err
		}
		c.Date, _ = date.Parse(when)
		d.Changes = append(d.Changes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cond, args := vis.where("d")
	alt, err := s.query(ctx, "SELECT d.path, d.title, d.lang FROM docs d WHERE d.record_id = ? AND d.lang <> ? AND "+cond+" ORDER BY d.lang DESC",
		append([]any{d.RecordID, d.Lang}, args...)...)
	if err != nil {
		return nil, err
	}
	defer alt.Close()
	for alt.Next() {
		var l Link
		if err := alt.Scan(&l.Path, &l.Title, &l.Lang); err != nil {
			return nil, err
		}
		d.Alternates = append(d.Alternates, l)
	}
	return d, alt.Err()
}

// Alias returns the current path of the visible document that the old URL
// path now leads to.
func (s *Store) Alias(ctx context.Context, path string, vis Visibility) (string, error) {
	cond, args := vis.where("d")
	var target string
	err := s.queryRow(ctx, "SELECT d.path FROM aliases a JOIN docs d ON d.record_id = a.record_id AND d.lang = a.lang WHERE a.path = ? AND "+cond,
		append([]any{path}, args...)...).Scan(&target)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return target, err
}

// Withdrawn returns when the page at path stopped being visible, if it is a
// published page whose expiry time has passed. Such a URL answers 410 Gone,
// not 404: an address once published keeps answering.
func (s *Store) Withdrawn(ctx context.Context, path string, vis Visibility) (time.Time, error) {
	var at string
	err := s.queryRow(ctx, "SELECT expires_at FROM docs WHERE path = ? AND draft = 0 AND expires_at <= ?",
		path, vis.Now.UTC().Format(timeLayout)).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, ErrNotFound
	}
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(timeLayout, at)
}

// Section returns the page with layout in lang: the home page, the list of
// declarations, the timeline…
func (s *Store) Section(ctx context.Context, layout, lang string, vis Visibility) (Link, error) {
	links, err := s.links(ctx, "p.layout = ?", []any{layout}, lang, vis, "")
	if err != nil {
		return Link{}, err
	}
	if len(links) == 0 || links[0].Lang != lang {
		return Link{}, fmt.Errorf("section %s in %s: %w", layout, lang, ErrNotFound)
	}
	return links[0], nil
}

// Menu returns the pages of the main menu in lang, in order.
func (s *Store) Menu(ctx context.Context, lang string, vis Visibility) ([]Link, error) {
	return s.links(ctx, "p.menu > 0", nil, lang, vis, "p.menu")
}

// Footer returns the pages linked from the footer in lang, in order.
func (s *Store) Footer(ctx context.Context, lang string, vis Visibility) ([]Link, error) {
	return s.links(ctx, "p.footer > 0", nil, lang, vis, "p.footer")
}

// links returns links, in lang where a document in lang is visible and in
// Polish otherwise, to the records whose row matches cond (on records r,
// pages p, docs d).
func (s *Store) links(ctx context.Context, cond string, condArgs []any, lang string, vis Visibility, order string) ([]Link, error) {
	pick, pickArgs := picked(lang, vis)
	if order == "" {
		order = "d.path"
	}
	q := pick + " SELECT d.path, d.title, d.lang FROM pick CROSS JOIN records r JOIN docs d ON " + pickedDoc("d", "r.id") +
		" LEFT JOIN pages p ON p.id = r.id WHERE " + cond + " ORDER BY " + order
	rows, err := s.query(ctx, q, append(pickArgs, condArgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		if err := rows.Scan(&l.Path, &l.Title, &l.Lang); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// picked returns a WITH clause defining "pick": one row with the
// language and visibility of a query, for pickedDoc. The clause must come
// first in the query, as its arguments do.
func picked(lang string, vis Visibility) (string, []any) {
	drafts, now := vis.args()
	return "WITH pick (lang, drafts, now) AS (SELECT ?, ?, ?) ", []any{lang, drafts, now}
}

// pickedDoc returns a join condition on docs alias: the document to show
// of the record whose id is idExpr, in pick.lang if visible, else in Polish
// if visible. It is a lookup of at most two rows by the (record_id, lang)
// key, so a query costs by the records it returns, not by the size of docs
// (a common table of the visible documents would copy every row, HTML and
// all, on every query). The query must have pick in its FROM clause.
func pickedDoc(alias, idExpr string) string {
	return alias + `.record_id = ` + idExpr + ` AND ` + alias + `.lang = (SELECT v.lang FROM docs v WHERE v.record_id = ` + idExpr + ` AND v.lang IN (pick.lang, 'pl')
		AND v.draft <= pick.drafts AND (v.publish_at IS NULL OR v.publish_at <= pick.now) AND (v.expires_at IS NULL OR v.expires_at > pick.now)
		ORDER BY v.lang = pick.lang DESC LIMIT 1)`
}

// visibleDoc returns a condition: the record whose id is idExpr has a
// document to show in pick.lang or Polish (see pickedDoc).
func visibleDoc(idExpr string) string {
	return `EXISTS (SELECT 1 FROM docs v WHERE v.record_id = ` + idExpr + ` AND v.lang IN (pick.lang, 'pl')
		AND v.draft <= pick.drafts AND (v.publish_at IS NULL OR v.publish_at <= pick.now) AND (v.expires_at IS NULL OR v.expires_at > pick.now))`
}

// link returns the link to record id in lang (or Polish).
func (s *Store) link(ctx context.Context, id, lang string, vis Visibility) (Link, bool, error) {
	ls, err := s.links(ctx, "d.record_id = ?", []any{id}, lang, vis, "")
	if err != nil || len(ls) == 0 {
		return Link{}, false, err
	}
	return ls[0], true, nil
}

// SitemapEntry is a visible page with its other-language versions.
type SitemapEntry struct {
	Path       string
	Lang       string
	Updated    date.Date
	Alternates []Link // every language version, itself included
}

// SitemapRecords counts the records with a visible document.
func (s *Store) SitemapRecords(ctx context.Context, vis Visibility) (int, error) {
	cond, args := vis.where("d")
	var n int
	err := s.queryRow(ctx, "SELECT count(DISTINCT d.record_id) FROM docs d WHERE "+cond, args...).Scan(&n)
	return n, err
}

// Sitemap returns the visible documents of limit records, skipping the
// first offset, in the order of their ids, each with its language versions
// (so a record's documents are never split between two pages of the
// sitemap).
func (s *Store) Sitemap(ctx context.Context, vis Visibility, offset, limit int) ([]SitemapEntry, error) {
	cond, args := vis.where("d")
	rows, err := s.query(ctx, `WITH ids AS (SELECT DISTINCT d.record_id AS id FROM docs d WHERE `+cond+` ORDER BY d.record_id LIMIT ? OFFSET ?)
		SELECT d.record_id, d.path, d.lang, d.updated FROM ids JOIN docs d ON d.record_id = ids.id WHERE `+cond+` ORDER BY d.record_id, d.lang DESC`,
		append(append(args, limit, offset), args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SitemapEntry
	start, last := 0, ""
	group := func(end int) {
		for i := start; i < end; i++ {
			for j := start; j < end; j++ {
				out[i].Alternates = append(out[i].Alternates, Link{Path: out[j].Path, Lang: out[j].Lang})
			}
		}
		start = end
	}
	for rows.Next() {
		var id, updated string
		var e SitemapEntry
		if err := rows.Scan(&id, &e.Path, &e.Lang, &updated); err != nil {
			return nil, err
		}
		if e.Updated, err = date.Parse(updated); err != nil {
			return nil, fmt.Errorf("sitemap: %s: updated %q: %w", e.Path, updated, err)
		}
		if id != last {
			group(len(out))
			last = id
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	group(len(out))
	return out, nil
}

// Statement is what the statutory accessibility statement says, in both
// languages: the content's own type, kept as JSON.
type Statement = content.Statement

// Statement returns the accessibility statement's facts.
func (s *Store) Statement(ctx context.Context) (*Statement, error) {
	var raw sql.NullString
	err := s.queryRow(ctx, "SELECT statement FROM pages WHERE layout = 'accessibility'").Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !raw.Valid) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var st Statement
	if err := json.Unmarshal([]byte(raw.String), &st); err != nil {
		return nil, fmt.Errorf("statement: %w", err)
	}
	return &st, nil
}

// Aliases returns every old address of a page (content's aliases), sorted.
func (s *Store) Aliases(ctx context.Context) ([]string, error) {
	return s.strings(ctx, "SELECT path FROM aliases ORDER BY path")
}

// RecordIDs returns the ids of the records of type t, sorted.
func (s *Store) RecordIDs(ctx context.Context, t string) ([]string, error) {
	return s.strings(ctx, "SELECT id FROM records WHERE type = ? ORDER BY id", t)
}

func (s *Store) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
