package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
)

// Item is a record in a list: what a list entry links to and shows.
type Item struct {
	ID      string
	Path    string
	Title   string
	Summary string
	Lang    string // the language of the page linked to
	Updated date.Date
}

// Link returns the link to the item's page.
func (i Item) Link() Link { return Link{Path: i.Path, Title: i.Title, Lang: i.Lang} }

// DeclarationItem is a declaration in a list.
type DeclarationItem struct {
	Item
	Kind      string
	Date      date.Range
	TextScope string
	Body      Link
	BodyID    string
	BodyAbbr  string
}

// MeetingItem is a meeting in a list.
type MeetingItem struct {
	Item
	Date     date.Range
	Place    string
	Mode     string
	Body     Link
	BodyID   string
	BodyAbbr string
}

// BodyItem is a body in a list.
type BodyItem struct {
	Item
	Kind    string
	Abbr    string
	Name    string
	Founded date.Date
}

// DeclarationFilter selects and pages declarations.
type DeclarationFilter struct {
	Lang    string
	Body    string // a body id, or "" for all
	Year    int    // 0 for all
	Page    int    // 1-based
	PerPage int
	// SkipTotal skips counting every match (the total comes back 0), for
	// a caller that shows only the first few.
	SkipTotal bool
	// via, for a declaration's relations, is the start of the FROM clause
	// that joins declarations x to them (relations rel JOIN declarations
	// x ON …), and cond and args the condition on rel: the query then
	// reads the few related rows by key instead of every declaration.
	via  string
	cond string
	args []any
}

// Declarations returns one page of the declarations matching f, newest
// first, and how many match in all.
func (s *Store) Declarations(ctx context.Context, f DeclarationFilter, vis Visibility) (_ []DeclarationItem, _ int, err error) {
	defer wrap(&err, "Declarations(lang %s, body %q, year %d, page %d%s)", f.Lang, f.Body, f.Year, f.Page, f.about())
	where, args := "1", []any{}
	if f.Body != "" {
		where += " AND x.body_id = ?"
		args = append(args, f.Body)
	}
	if f.Year > 0 {
		where += " AND substr(x.date_from, 1, 4) = ?"
		args = append(args, strconv.Itoa(f.Year))
	}
	if f.cond != "" {
		where += " AND " + f.cond
		args = append(args, f.args...)
	}
	from := "declarations x"
	if f.via != "" {
		from = f.via
	}
	pick, pickArgs := s.picked(f.Lang, vis)
	total, err := s.countIf(ctx, !f.SkipTotal, pick+`SELECT count(*) FROM pick CROSS JOIN `+from+` WHERE `+where+` AND `+visibleDoc("x.id"), append(pickArgs, args...))
	if err != nil {
		return nil, 0, err
	}
	q := pick + `, ` + s.pageOf(from, where) + `
		SELECT x.id, d.path, d.title, d.summary, ` + textLang("d") + `, d.updated, x.kind, x.date_from, x.date_to, x.text_scope,
		x.body_id, b.abbr, coalesce(bd.path, ''), coalesce(bd.title, ''), coalesce(` + textLang("bd") + `, '')
		FROM page JOIN declarations x ON x.id = page.id JOIN pick JOIN docs d ON ` + pickedDoc("d", "x.id") + `
		JOIN bodies b ON b.id = x.body_id LEFT JOIN docs bd ON ` + pickedDoc("bd", "x.body_id") + `
		ORDER BY x.date_from DESC, x.id`
	limit, offset := paging(f.Page, f.PerPage)
	rows, err := s.query(ctx, q, append(append(pickArgs, args...), limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []DeclarationItem
	for rows.Next() {
		var it DeclarationItem
		var updated, from, to string
		if err := rows.Scan(&it.ID, &it.Path, &it.Title, &it.Summary, &it.Lang, &updated, &it.Kind, &from, &to, &it.TextScope,
			&it.BodyID, &it.BodyAbbr, &it.Body.Path, &it.Body.Title, &it.Body.Lang); err != nil {
			return nil, 0, err
		}
		if it.Updated, err = storedDate(docKey(it.ID, it.Lang), "docs.updated", updated); err != nil {
			return nil, 0, err
		}
		if it.Date, err = storedRange(it.ID, "declarations", from, to); err != nil {
			return nil, 0, err
		}
		out = append(out, it)
	}
	return out, total, rows.Err()
}

// MeetingFilter selects and pages meetings.
type MeetingFilter struct {
	Lang      string
	Body      string // a body id, or "" for all
	Year      int
	Page      int
	PerPage   int
	SkipTotal bool // as in DeclarationFilter
}

// Meetings returns one page of the meetings matching f, newest first, and
// how many match in all.
func (s *Store) Meetings(ctx context.Context, f MeetingFilter, vis Visibility) (_ []MeetingItem, _ int, err error) {
	defer wrap(&err, "Meetings(lang %s, body %q, year %d, page %d)", f.Lang, f.Body, f.Year, f.Page)
	where, args := "1", []any{}
	if f.Body != "" {
		where += " AND x.body_id = ?"
		args = append(args, f.Body)
	}
	if f.Year > 0 {
		where += " AND substr(x.date_from, 1, 4) = ?"
		args = append(args, strconv.Itoa(f.Year))
	}
	pick, pickArgs := s.picked(f.Lang, vis)
	total, err := s.countIf(ctx, !f.SkipTotal, pick+`SELECT count(*) FROM pick CROSS JOIN meetings x WHERE `+where+` AND `+visibleDoc("x.id"), append(pickArgs, args...))
	if err != nil {
		return nil, 0, err
	}
	q := pick + `, ` + s.pageOf("meetings x", where) + `
		SELECT x.id, d.path, d.title, d.summary, ` + textLang("d") + `, d.updated, x.date_from, x.date_to,
		x.place, x.mode,
		x.body_id, b.abbr, coalesce(bd.path, ''), coalesce(bd.title, ''), coalesce(` + textLang("bd") + `, '')
		FROM page JOIN meetings x ON x.id = page.id JOIN pick JOIN docs d ON ` + pickedDoc("d", "x.id") + `
		JOIN bodies b ON b.id = x.body_id LEFT JOIN docs bd ON ` + pickedDoc("bd", "x.body_id") + `
		ORDER BY x.date_from DESC, x.id`
	limit, offset := paging(f.Page, f.PerPage)
	all := append(append(pickArgs, args...), limit, offset)
	rows, err := s.query(ctx, q, all...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []MeetingItem
	for rows.Next() {
		var it MeetingItem
		var updated, from, to, place string
		if err := rows.Scan(&it.ID, &it.Path, &it.Title, &it.Summary, &it.Lang, &updated, &from, &to, &place, &it.Mode,
			&it.BodyID, &it.BodyAbbr, &it.Body.Path, &it.Body.Title, &it.Body.Lang); err != nil {
			return nil, 0, err
		}
		if it.Place, err = s.textIn(it.ID, "meetings.place", place, f.Lang); err != nil {
			return nil, 0, err
		}
		if it.Updated, err = storedDate(docKey(it.ID, it.Lang), "docs.updated", updated); err != nil {
			return nil, 0, err
		}
		if it.Date, err = storedRange(it.ID, "meetings", from, to); err != nil {
			return nil, 0, err
		}
		out = append(out, it)
	}
	return out, total, rows.Err()
}

// Bodies returns every body in lang: the city platforms first, then the
// associations they belong to, then the organisations that support them.
func (s *Store) Bodies(ctx context.Context, lang string, vis Visibility) (_ []BodyItem, err error) {
	defer wrap(&err, "Bodies(%q)", lang)
	pick, pickArgs := s.picked(lang, vis)
	q := pick + `SELECT x.id, d.path, d.title, d.summary, ` + textLang("d") + `, d.updated, x.kind, x.abbr,
		x.name, x.founded
		FROM pick CROSS JOIN bodies x JOIN docs d ON ` + pickedDoc("d", "x.id") + `
		ORDER BY CASE WHEN x.kind IN (?, ?) THEN 0 WHEN x.kind = ? THEN 1 ELSE 2 END, d.title`
	rows, err := s.query(ctx, q, append(pickArgs, content.BodyCommission, content.BodyTeam, content.BodyAssociation)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BodyItem
	for rows.Next() {
		var it BodyItem
		var updated, founded, name string
		if err := rows.Scan(&it.ID, &it.Path, &it.Title, &it.Summary, &it.Lang, &updated, &it.Kind, &it.Abbr, &name, &founded); err != nil {
			return nil, err
		}
		if it.Name, err = s.textIn(it.ID, "bodies.name", name, lang); err != nil {
			return nil, err
		}
		if it.Updated, err = storedDate(docKey(it.ID, it.Lang), "docs.updated", updated); err != nil {
			return nil, err
		}
		if it.Founded, err = storedDate(it.ID, "bodies.founded", founded); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// TimelineEntry is a dated event: a declaration, a meeting or the founding
// of a body.
type TimelineEntry struct {
	Item
	Type     content.Type // declaration, meeting, body
	Kind     string       // the declaration's or body's kind
	Label    string       // for a body: what its date stands for, if given
	Date     date.Range
	BodyID   string
	BodyAbbr string
}

// Timeline returns the dated records in lang, oldest first, at most limit.
func (s *Store) Timeline(ctx context.Context, lang string, vis Visibility, limit int) (_ []TimelineEntry, err error) {
	defer wrap(&err, "Timeline(%q, %d)", lang, limit)
	pick, pickArgs := s.picked(lang, vis)
	q := pick + `, events AS (
		SELECT id, 'declaration' AS type, kind, date_from, date_to, body_id FROM declarations
		UNION ALL SELECT id, 'meeting', '', date_from, date_to, body_id FROM meetings
		UNION ALL SELECT id, 'body', kind, founded, '', id FROM bodies WHERE founded <> ''
	)
	SELECT e.id, d.path, d.title, d.summary, ` + textLang("d") + `, d.updated, e.type, e.kind, e.date_from, e.date_to, e.body_id, coalesce(b.abbr, ''),
		CASE WHEN e.type = 'body' THEN b.founded_label ELSE '{}' END
	FROM pick CROSS JOIN events e JOIN docs d ON ` + pickedDoc("d", "e.id") + ` LEFT JOIN bodies b ON b.id = e.body_id
	ORDER BY e.date_from, e.id LIMIT ?`
	rows, err := s.query(ctx, q, append(pickArgs, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TimelineEntry
	for rows.Next() {
		var e TimelineEntry
		var updated, from, to, label string
		if err := rows.Scan(&e.ID, &e.Path, &e.Title, &e.Summary, &e.Lang, &updated, &e.Type, &e.Kind, &from, &to, &e.BodyID, &e.BodyAbbr, &label); err != nil {
			return nil, err
		}
		if e.Label, err = s.textIn(e.ID, "bodies.founded_label", label, lang); err != nil {
			return nil, err
		}
		if e.Updated, err = storedDate(docKey(e.ID, e.Lang), "docs.updated", updated); err != nil {
			return nil, err
		}
		switch e.Type {
		case content.TypeBody: // its date is its founding
			e.Date.From, err = storedDate(e.ID, "bodies.founded", from)
		case content.TypeMeeting:
			e.Date, err = storedRange(e.ID, "meetings", from, to)
		default:
			e.Date, err = storedRange(e.ID, "declarations", from, to)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// pageOf returns a common table "page": the ids of one page (LIMIT ?
// OFFSET ?) of the rows of from (whose table is x) matching where, visible
// ones only, newest first. The joins that make a row of a list are then
// done for the page's rows alone, not for every row the OFFSET skips (page
// 400 of 10,000 declarations took 170 ms so). The query must define pick.
func (s *Store) pageOf(from, where string) string {
	if s.hidden {
		where += " AND " + visibleDoc("x.id")
	}
	return `page AS (SELECT x.id FROM pick CROSS JOIN ` + from + ` WHERE ` + where + ` ORDER BY x.date_from DESC, x.id LIMIT ? OFFSET ?)`
}

// textLang is the SQL of the language of the text of the document alias:
// its own, or its fallback's.
func textLang(alias string) string {
	return "(CASE " + alias + ".fallback WHEN '' THEN " + alias + ".lang ELSE " + alias + ".fallback END)"
}

// about says, in errors, which declaration's relations f selects.
func (f DeclarationFilter) about() string {
	if f.cond == "" {
		return ""
	}
	return fmt.Sprintf(", relations %v", f.args)
}

// countIf runs a count query if wanted (else the count is 0).
func (s *Store) countIf(ctx context.Context, want bool, q string, args []any) (int, error) {
	if !want {
		return 0, nil
	}
	var n int
	err := s.queryRow(ctx, q, args...).Scan(&n)
	return n, err
}

// paging turns a 1-based page number and page size into LIMIT and OFFSET.
func paging(page, perPage int) (int, int) {
	if perPage <= 0 {
		perPage = 50
	}
	page = min(max(page, 1), 1<<20)
	return perPage, (page - 1) * perPage
}

// HistoryEntry is a publication or a major change of a document.
type HistoryEntry struct {
	Date   date.Date
	Note   string // "" for a first publication
	Link   Link
	Type   content.Type
	Status content.TranslationStatus // of the page, now
}

// ChangeCounts returns how many change notes each visible document in
// lang with a text of its own has, by its path (documents without any are
// absent): what a calendar's SEQUENCE counts. One grouped query, so that
// a calendar of 10,000 meetings does not read the whole history.
func (s *Store) ChangeCounts(ctx context.Context, lang string, vis Visibility) (_ map[string]int, err error) {
	defer wrap(&err, "ChangeCounts(%q)", lang)
	cond, args := vis.where("d")
	rows, err := s.query(ctx, `SELECT d.path, count(*) FROM changes c
		JOIN docs d ON d.record_id = c.record_id AND d.lang = c.lang
		WHERE d.lang = ? AND d.fallback = '' AND c.note <> '' AND `+cond+`
		GROUP BY d.path`, append([]any{lang}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var path string
		var n int
		if err := rows.Scan(&path, &n); err != nil {
			return nil, err
		}
		out[path] = n
	}
	return out, rows.Err()
}

// History returns the first publications and change notes of the visible
// documents in lang, newest first, at most limit.
func (s *Store) History(ctx context.Context, lang string, vis Visibility, limit int) (_ []HistoryEntry, err error) {
	defer wrap(&err, "History(%q, %d)", lang, limit)
	cond, args := vis.where("d")
	q := `SELECT d.record_id, e.pos, e.date, e.note, d.path, d.title, d.lang, r.type, d.status FROM (
			SELECT record_id, lang, published AS date, '' AS note, -1 AS pos FROM docs
			UNION ALL SELECT record_id, lang, date, note, pos FROM changes
		) e JOIN docs d ON d.record_id = e.record_id AND d.lang = e.lang JOIN records r ON r.id = d.record_id
		WHERE d.lang = ? AND d.fallback = '' AND ` + cond + `
		ORDER BY e.date DESC, e.pos DESC, d.path LIMIT ?`
	rows, err := s.query(ctx, q, append(append([]any{lang}, args...), limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var e HistoryEntry
		var id, when string
		var pos int
		if err := rows.Scan(&id, &pos, &when, &e.Note, &e.Link.Path, &e.Link.Title, &e.Link.Lang, &e.Type, &e.Status); err != nil {
			return nil, err
		}
		column := "changes.date"
		if pos < 0 { // a first publication
			column = "docs.published"
		}
		if e.Date, err = storedDate(docKey(id, e.Link.Lang), column, when); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
