package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
)

// Link points to a page of the site.
type Link struct {
	Path  string
	Title string
	Lang  string // the language of the title (and of the text it leads to)
	// EasyRead marks the page in easy-to-read text, which Menu lists
	// first for the header's own link.
	EasyRead bool
}

// Doc is one language version of a record, as its page shows it.
type Doc struct {
	RecordID string
	Type     content.Type
	Lang     string // the page's language: its address and interface
	// Fallback is the language of the text shown, on a page of a language
	// the record has no file in ("" otherwise); Status how the page stands
	// to the authoritative text (content.TranslationStatus); SourceUpdated
	// the authoritative text's last-updated date.
	Fallback      string
	Status        content.TranslationStatus
	SourceUpdated date.Date
	File          string // the content file, relative to content/
	Path          string
	Title         string
	Summary       string
	TitleNote     string
	HTML          string // rendered by internal/content from the editors' Markdown
	ContextHTML   string
	EasyHTML      string // the easy-to-read summary (bodies, declarations), rendered likewise
	Draft         bool
	Published     date.Date
	Updated       date.Date
	Changes       []content.Change
	Layout        content.Layout // pages only
	// Pages are the record's visible pages in every language, this one
	// included, in the registry's order; Alternates those of them in
	// other languages that have a text of their own (its translations or
	// original), as links titled in their language.
	Pages        []Page
	Alternates   []Link
	Untranslated []string
}

// Page is a record's page in one language.
type Page struct {
	Lang     string // the page's language
	Path     string
	Fallback string // the language of its text, when it has none of its own
}

// TextLang returns the language of the text d shows.
func (d *Doc) TextLang() string {
	if d.Fallback != "" {
		return d.Fallback
	}
	return d.Lang
}

const docColumns = `d.record_id, r.type, d.lang, d.fallback, d.status, o.updated, d.file, d.path, d.title, d.summary, d.title_note, t.html,
	t.context_html, t.easy_html, d.draft, d.published, d.updated, coalesce(p.layout, ''), r.untranslated`

// docFrom joins a document (d) to its record, its page row, its texts (a
// page shown in its fallback's language has its fallback's) and the
// record's authoritative document (o, whose language is the one of the
// documents with status 'original').
const docFrom = `docs d JOIN records r ON r.id = d.record_id LEFT JOIN pages p ON p.id = d.record_id
	JOIN doc_texts t ON t.record_id = d.record_id AND t.lang = (CASE d.fallback WHEN '' THEN d.lang ELSE d.fallback END)
	JOIN docs o ON o.record_id = d.record_id AND o.status = 'original'`

func scanDoc(row interface{ Scan(...any) error }) (*Doc, error) {
	var d Doc
	var published, updated, sourceUpdated, status, untranslated string
	err := row.Scan(&d.RecordID, &d.Type, &d.Lang, &d.Fallback, &status, &sourceUpdated, &d.File, &d.Path, &d.Title, &d.Summary, &d.TitleNote, &d.HTML,
		&d.ContextHTML, &d.EasyHTML, &d.Draft, &published, &updated, &d.Layout, &untranslated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading a document: %w", err)
	}
	d.Status = content.TranslationStatus(status)
	key := docKey(d.RecordID, d.Lang)
	if d.Published, err = storedDate(key, "docs.published", published); err != nil {
		return nil, err
	}
	if d.Updated, err = storedDate(key, "docs.updated", updated); err != nil {
		return nil, err
	}
	// The authoritative document's row: its language is not at hand.
	if d.SourceUpdated, err = storedDate(d.RecordID+" (original)", "docs.updated", sourceUpdated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(untranslated), &d.Untranslated); err != nil {
		return nil, badValue(d.RecordID, "records.untranslated", fmt.Errorf("%.40q: %w", untranslated, err))
	}
	return &d, nil
}

// DocByPath returns the visible document whose URL path is path.
func (s *Store) DocByPath(ctx context.Context, path string, vis Visibility) (_ *Doc, err error) {
	defer wrap(&err, "DocByPath(%q)", path)
	cond, args := vis.where("d")
	row := s.queryRow(ctx, "SELECT "+docColumns+" FROM "+docFrom+" WHERE d.path = ? AND "+cond,
		append([]any{path}, args...)...)
	return s.complete(ctx, row, vis)
}

// DocByID returns the visible document of record id in lang.
func (s *Store) DocByID(ctx context.Context, id, lang string, vis Visibility) (_ *Doc, err error) {
	defer wrap(&err, "DocByID(%q, %q)", id, lang)
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
	rows, err := s.query(ctx, "SELECT date, note FROM changes WHERE record_id = ? AND lang = ? ORDER BY pos", d.RecordID, d.TextLang())
	if err != nil {
		return nil, fmt.Errorf("changes of %s: %w", d.Path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c content.Change
		var when string
		if err := rows.Scan(&when, &c.Note); err != nil {
			return nil, fmt.Errorf("changes of %s: %w", d.Path, err)
		}
		if c.Date, err = storedDate(docKey(d.RecordID, d.TextLang()), "changes.date", when); err != nil {
			return nil, err
		}
		d.Changes = append(d.Changes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("changes of %s: %w", d.Path, err)
	}
	cond, args := vis.where("d")
	alt, err := s.query(ctx, "SELECT d.path, d.title, d.lang, d.fallback FROM docs d WHERE d.record_id = ? AND "+cond,
		append([]any{d.RecordID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("versions of %s: %w", d.Path, err)
	}
	defer alt.Close()
	for alt.Next() {
		var l Link
		var fallback string
		if err := alt.Scan(&l.Path, &l.Title, &l.Lang, &fallback); err != nil {
			return nil, fmt.Errorf("versions of %s: %w", d.Path, err)
		}
		d.Pages = append(d.Pages, Page{Lang: l.Lang, Path: l.Path, Fallback: fallback})
		// A page of a language the record has no file in is in another's
		// words: not a version of it.
		if fallback == "" && l.Lang != d.Lang {
			d.Alternates = append(d.Alternates, l)
		}
	}
	if err := alt.Err(); err != nil {
		return nil, fmt.Errorf("versions of %s: %w", d.Path, err)
	}
	s.sortByRegistry(d.Alternates)
	slices.SortStableFunc(d.Pages, func(a, b Page) int { return s.langOrder(a.Lang) - s.langOrder(b.Lang) })
	return d, nil
}

// Alias returns the current path of the visible document that the old URL
// path now leads to.
func (s *Store) Alias(ctx context.Context, path string, vis Visibility) (_ string, err error) {
	defer wrap(&err, "Alias(%q)", path)
	cond, args := vis.where("d")
	var target string
	err = s.queryRow(ctx, "SELECT d.path FROM aliases a JOIN docs d ON d.record_id = a.record_id AND d.lang = a.lang WHERE a.path = ? AND "+cond,
		append([]any{path}, args...)...).Scan(&target)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return target, err
}

// Withdrawn returns when the page at path stopped being visible, if it is a
// published page whose expiry time has passed. Such a URL answers 410 Gone,
// not 404: an address once published keeps answering.
func (s *Store) Withdrawn(ctx context.Context, path string, vis Visibility) (_ time.Time, err error) {
	defer wrap(&err, "Withdrawn(%q)", path)
	var id, lang, at string
	err = s.queryRow(ctx, "SELECT record_id, lang, expires_at FROM docs WHERE path = ? AND draft = 0 AND expires_at <= ?",
		path, vis.Now.UTC().Format(timeLayout)).Scan(&id, &lang, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, ErrNotFound
	}
	if err != nil {
		return time.Time{}, err
	}
	return storedTime(docKey(id, lang), "docs.expires_at", at)
}

// RecordWithdrawn returns when record id stopped being visible, if it is a
// record of typ whose published pages have all expired. Its API address
// then answers 410 Gone, as its pages do.
func (s *Store) RecordWithdrawn(ctx context.Context, typ content.Type, id string, vis Visibility) (_ time.Time, err error) {
	defer wrap(&err, "RecordWithdrawn(%q, %q)", typ, id)
	now := vis.Now.UTC().Format(timeLayout)
	var at sql.NullString
	err = s.queryRow(ctx, `SELECT max(d.expires_at) FROM docs d JOIN records r ON r.id = d.record_id
		WHERE d.record_id = ? AND r.type = ? AND d.draft = 0 AND d.expires_at <= ?
		AND NOT EXISTS (SELECT 1 FROM docs v WHERE v.record_id = d.record_id AND v.draft = 0
			AND (v.publish_at IS NULL OR v.publish_at <= ?) AND (v.expires_at IS NULL OR v.expires_at > ?))`,
		id, string(typ), now, now, now).Scan(&at)
	if err != nil {
		return time.Time{}, err
	}
	if !at.Valid {
		return time.Time{}, ErrNotFound
	}
	return storedTime(id, "docs.expires_at", at.String)
}

// Section returns the page with layout in lang: the home page, the list of
// declarations, the timeline…
func (s *Store) Section(ctx context.Context, layout content.Layout, lang string, vis Visibility) (_ Link, err error) {
	defer wrap(&err, "Section(%q, %q)", layout, lang)
	// The section's page of lang itself (which shows its fallback's text
	// where it has none of its own), never another language's page.
	cond, args := vis.where("d")
	var l Link
	err = s.queryRow(ctx, `SELECT d.path, d.title, `+textLang("d")+` FROM pages p JOIN docs d ON d.record_id = p.id AND d.lang = ?
		WHERE p.layout = ? AND `+cond+` ORDER BY d.path LIMIT 1`, append([]any{lang, string(layout)}, args...)...).Scan(&l.Path, &l.Title, &l.Lang)
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, ErrNotFound
	}
	return l, err
}

// Menu returns the pages the header links to in lang: the page in
// easy-to-read text first (marked EasyRead; the header gives it a link of
// its own), then the main menu, in order.
func (s *Store) Menu(ctx context.Context, lang string, vis Visibility) (_ []Link, err error) {
	defer wrap(&err, "Menu(%q)", lang)
	return s.links(ctx, "(p.menu > 0 OR p.easy_read = 1)", nil, lang, vis, "p.easy_read DESC, p.menu")
}

// Footer returns the pages linked from the footer in lang, in order.
func (s *Store) Footer(ctx context.Context, lang string, vis Visibility) (_ []Link, err error) {
	defer wrap(&err, "Footer(%q)", lang)
	return s.links(ctx, "p.footer > 0", nil, lang, vis, "p.footer")
}

// links returns links to the records whose row matches cond (on records r,
// pages p, docs d), to each one's page in lang if visible, else in the
// first language of lang's fallback chain that has a visible page.
func (s *Store) links(ctx context.Context, cond string, condArgs []any, lang string, vis Visibility, order string) ([]Link, error) {
	pick, pickArgs := s.picked(lang, vis)
	if order == "" {
		order = "d.path"
	}
	q := pick + " SELECT d.path, d.title, CASE d.fallback WHEN '' THEN d.lang ELSE d.fallback END, coalesce(p.easy_read, 0) FROM pick CROSS JOIN records r JOIN docs d ON " + pickedDoc("d", "r.id") +
		" LEFT JOIN pages p ON p.id = r.id WHERE " + cond + " ORDER BY " + order
	rows, err := s.query(ctx, q, append(pickArgs, condArgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		if err := rows.Scan(&l.Path, &l.Title, &l.Lang, &l.EasyRead); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// picked returns a WITH clause defining "pick": one row with the
// language, its fallback chain (",uk,pl,": the languages to show a record
// in, in order) and the visibility of a query, for pickedDoc. The clause
// must come first in the query, as its arguments do.
func (s *Store) picked(lang string, vis Visibility) (string, []any) {
	drafts, now := vis.args()
	chain := "," + strings.Join(s.reg.Chain(lang), ",") + ","
	return "WITH pick (lang, chain, drafts, now) AS (SELECT ?, ?, ?, ?) ", []any{lang, chain, drafts, now}
}

// pickedDoc returns a join condition on docs alias: the page to show of
// the record whose id is idExpr, in pick.lang if visible, else in the first
// language of its chain that has a visible page. It is a lookup of a few
// rows by the (record_id, lang) key, so a query costs by the records it
// returns, not by the size of docs. The query must have pick in its FROM
// clause.
func pickedDoc(alias, idExpr string) string {
	return alias + `.record_id = ` + idExpr + ` AND ` + alias + `.lang = (SELECT v.lang FROM docs v WHERE v.record_id = ` + idExpr + `
		AND instr(pick.chain, ',' || v.lang || ',') > 0
		AND v.draft <= pick.drafts AND (v.publish_at IS NULL OR v.publish_at <= pick.now) AND (v.expires_at IS NULL OR v.expires_at > pick.now)
		ORDER BY instr(pick.chain, ',' || v.lang || ',') LIMIT 1)`
}

// visibleDoc returns a condition: the record whose id is idExpr has a page
// to show in a language of pick.chain (see pickedDoc).
func visibleDoc(idExpr string) string {
	return `EXISTS (SELECT 1 FROM docs v WHERE v.record_id = ` + idExpr + ` AND instr(pick.chain, ',' || v.lang || ',') > 0
		AND v.draft <= pick.drafts AND (v.publish_at IS NULL OR v.publish_at <= pick.now) AND (v.expires_at IS NULL OR v.expires_at > pick.now))`
}

// sortByRegistry orders links by the registry's order of their languages.
func (s *Store) sortByRegistry(links []Link) {
	slices.SortStableFunc(links, func(a, b Link) int { return s.langOrder(a.Lang) - s.langOrder(b.Lang) })
}

// langOrder returns the place of tag in the registry.
func (s *Store) langOrder(tag string) int { return slices.Index(s.reg.Tags(), tag) }

// link returns the link to record id in lang, or in the first language of
// its fallback chain that has a page.
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
func (s *Store) SitemapRecords(ctx context.Context, vis Visibility) (_ int, err error) {
	defer wrap(&err, "SitemapRecords")
	cond, args := vis.where("d")
	var n int
	err = s.queryRow(ctx, "SELECT count(DISTINCT d.record_id) FROM docs d WHERE d.fallback = '' AND "+cond, args...).Scan(&n)
	return n, err
}

// Sitemap returns the visible documents of limit records, skipping the
// first offset, in the order of their ids, each with its language versions
// (so a record's documents are never split between two pages of the
// sitemap).
func (s *Store) Sitemap(ctx context.Context, vis Visibility, offset, limit int) (_ []SitemapEntry, err error) {
	defer wrap(&err, "Sitemap(%d, %d)", offset, limit)
	cond, args := vis.where("d")
	// Pages of a language a record has no file in are in another's words:
	// not listed (search engines find the original).
	rows, err := s.query(ctx, `WITH ids AS (SELECT DISTINCT d.record_id AS id FROM docs d WHERE d.fallback = '' AND `+cond+` ORDER BY d.record_id LIMIT ? OFFSET ?)
		SELECT d.record_id, d.path, d.lang, d.updated FROM ids JOIN docs d ON d.record_id = ids.id WHERE d.fallback = '' AND `+cond+` ORDER BY d.record_id`,
		append(append(args, limit, offset), args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SitemapEntry
	start, last := 0, ""
	group := func(end int) {
		slices.SortStableFunc(out[start:end], func(a, b SitemapEntry) int { return s.langOrder(a.Lang) - s.langOrder(b.Lang) })
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
		if e.Updated, err = storedDate(docKey(id, e.Lang), "docs.updated", updated); err != nil {
			return nil, err
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
func (s *Store) Statement(ctx context.Context) (_ *Statement, err error) {
	defer wrap(&err, "Statement")
	var id string
	var raw sql.NullString
	err = s.queryRow(ctx, "SELECT id, statement FROM pages WHERE layout = 'accessibility'").Scan(&id, &raw)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !raw.Valid) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var st Statement
	if err := json.Unmarshal([]byte(raw.String), &st); err != nil {
		return nil, badValue(id, "pages.statement", err)
	}
	return &st, nil
}

// Aliases returns every old address of a page (content's aliases), sorted.
func (s *Store) Aliases(ctx context.Context) (_ []string, err error) {
	defer wrap(&err, "Aliases")
	return s.strings(ctx, "SELECT path FROM aliases ORDER BY path")
}

// RecordIDs returns the ids of the records of type t, sorted.
func (s *Store) RecordIDs(ctx context.Context, t content.Type) (_ []string, err error) {
	defer wrap(&err, "RecordIDs(%q)", t)
	return s.strings(ctx, "SELECT id FROM records WHERE type = ? ORDER BY id", string(t))
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
