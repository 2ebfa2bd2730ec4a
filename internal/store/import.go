package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/lang"
)

// Import writes site into a new database file and moves it over path in one
// rename. Everything is written in one transaction; if anything fails, the
// new file is removed and the database at path is left exactly as it was.
func Import(ctx context.Context, path string, site *content.Site) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("import: making the database's folder: %w", err)
	}
	sweep(dir)
	f, err := os.CreateTemp(dir, ".import-"+processTag+"-*.db")
	if err != nil {
		return fmt.Errorf("import: reserving a temporary file: %w", err)
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	// No journal: a failed import throws the whole file away.
	//
	// The database is built in memory and written out with VACUUM INTO,
	// which lays each table and index out in one run of pages. Built in
	// the file directly, the pages of docs, doc_texts, paragraphs… would
	// be interleaved in insertion order, and reading one table would read
	// pages spread over most of the file (when the server mapped the file,
	// a scan of docs on the synthetic corpus mapped 99 MB of 182 MB); laid
	// out together, a list or a feed reads few, neighbouring pages. It
	// costs no time: the in-memory build is as fast as the on-disk one.
	os.Remove(tmp) // VACUUM INTO writes a new file
	db, err := sql.Open("sqlite3", "file::memory:?_journal_mode=OFF&_synchronous=OFF&_foreign_keys=on")
	if err != nil {
		return fmt.Errorf("import: opening the in-memory database: %w", err)
	}
	db.SetMaxOpenConns(1)
	// 16 KB pages: a document's text and HTML (a few KB each) mostly fit
	// in one page instead of a chain of overflow pages. The import of
	// 10,000 declarations is a fifth faster; see the README for reads.
	if _, err := db.ExecContext(ctx, "PRAGMA page_size = 16384"); err != nil {
		db.Close()
		return fmt.Errorf("import: setting the page size: %w", err)
	}
	if err := write(ctx, db, site); err != nil {
		db.Close()
		return fmt.Errorf("import: writing the records: %w", err)
	}
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		db.Close()
		return fmt.Errorf("import: writing the database to %s: %w", tmp, err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("import: closing the in-memory database: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("import: syncing %s to disk: %w", tmp, err)
	}
	// Cancelled means unchanged, even if it came too late to stop VACUUM.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("import: stopped before replacing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("import: replacing %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err // an *os.PathError: it names the file
	}
	defer f.Close()
	return f.Sync()
}

func write(ctx context.Context, db *sql.DB, site *content.Site) error {
	if err := migrate(ctx, db); err != nil {
		return fmt.Errorf("creating the tables: %w", err)
	}
	// The search index is built at the same time on another connection,
	// into a database of its own, and copied in at the end: SQLite writes
	// one database on one core, and the index is as much work as the
	// rest (searchindex.go).
	ix := startIndex(ctx, site)
	defer ix.close()
	return rawConn(ctx, db, func(c *sqlite3.SQLiteConn) error {
		w := newWriter(ctx, c, site.Languages)
		defer w.close()
		w.exec("BEGIN")
		w.all(site)
		w.exec("COMMIT")
		if w.err != nil {
			return w.err
		}
		if err := ix.wait(); err != nil {
			return fmt.Errorf("building the search index: %w", err)
		}
		w.copyIndex(ix)
		if w.err != nil {
			return fmt.Errorf("copying the search index: %w", w.err)
		}
		w.exec("PRAGMA optimize")
		return w.err
	})
}

// rawConn runs fn with the SQLite connection under a connection of db.
// The import writes through it rather than database/sql, whose locking
// and argument conversion cost as much as SQLite's own work on a row.
func rawConn(ctx context.Context, db *sql.DB, fn func(*sqlite3.SQLiteConn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("taking a connection: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("not a SQLite connection: %T", dc)
		}
		return fn(c)
	})
}

// writer inserts rows, keeping the first error: the caller checks it once.
//
// Statements run without ctx's cancellation: given a context that can be
// cancelled, go-sqlite3 starts a goroutine per statement to watch it, which
// made a 10,000-declaration import 40 % slower. The writer checks ctx
// itself every few hundred rows instead, and returns its error.
type writer struct {
	reg   *lang.Registry
	ctx   context.Context // checked every checkEvery rows
	n     int             // rows written
	conn  *sqlite3.SQLiteConn
	stmts map[string]driver.StmtExecContext
	args  []driver.NamedValue
	err   error
	// digest, without conn, hashes the rows instead of writing them
	// (digests, in update.go).
	digest *maphash.Hash
}

func newWriter(ctx context.Context, c *sqlite3.SQLiteConn, reg *lang.Registry) *writer {
	return &writer{ctx: ctx, conn: c, reg: reg, stmts: map[string]driver.StmtExecContext{}}
}

func (w *writer) exec(query string, args ...any) {
	if w.err != nil {
		return
	}
	if w.n++; w.n%checkEvery == 0 {
		if w.err = w.ctx.Err(); w.err != nil {
			return
		}
	}
	if w.conn == nil {
		w.hashRow(query, args)
		return
	}
	st, ok := w.stmts[query]
	if !ok {
		s, err := w.conn.Prepare(query)
		if err != nil {
			w.err = fmt.Errorf("%w (in %.60s…)", err, query)
			return
		}
		st = s.(driver.StmtExecContext)
		w.stmts[query] = st
	}
	w.args = w.args[:0]
	for i, a := range args {
		v, err := driverValue(a)
		if err != nil {
			w.err = fmt.Errorf("%w (in %.60s…)", err, query)
			return
		}
		w.args = append(w.args, driver.NamedValue{Ordinal: i + 1, Value: v})
	}
	if _, err := st.ExecContext(context.Background(), w.args); err != nil {
		w.err = fmt.Errorf("%w (in %.60s…)", err, query)
	}
}

// driverValue converts an argument as database/sql would.
func driverValue(a any) (driver.Value, error) {
	switch v := a.(type) {
	case nil, string, int64, bool, float64, []byte:
		return v, nil
	case int:
		return int64(v), nil
	}
	return driver.DefaultParameterConverter.ConvertValue(a)
}

// checkEvery is how often, in rows, the writer checks for cancellation:
// a few milliseconds of work.
const checkEvery = 512

func (w *writer) close() {
	for _, st := range w.stmts {
		st.(driver.Stmt).Close()
	}
}

// all writes every record of site, and what the site has besides: its
// version, languages, catalogues, and the (empty) search indexes.
func (w *writer) all(site *content.Site) {
	langs, err := json.Marshal(site.Languages.All())
	if err != nil {
		w.err = fmt.Errorf("languages: %w", err)
		return
	}
	w.exec("INSERT INTO meta (key, value) VALUES ('version', ?), ('built', ?), ('build', ?), ('languages', ?)",
		site.Version, time.Now().UTC().Format(time.RFC3339), BuildID(), string(langs))
	for _, tag := range site.Languages.Tags() {
		body, err := json.Marshal(site.Catalogues[tag])
		if err != nil {
			w.err = fmt.Errorf("catalogue %s: %w", tag, err)
			return
		}
		w.exec("INSERT INTO catalogues (lang, body) VALUES (?, ?)", tag, string(body))
	}
	w.searchTables()
	if w.err != nil {
		w.err = fmt.Errorf("meta, catalogues and search tables: %w", w.err)
		return
	}
	updated := sectionUpdates(site)
	// The first error stops every later write: it is named with the
	// record being written, and the rest skipped.
	for _, p := range site.Pages {
		if w.page(p, updated[p.Layout]); w.err != nil {
			w.err = fmt.Errorf("page %s: %w", p.ID, w.err)
			return
		}
	}
	for _, b := range site.Bodies {
		if w.body(b); w.err != nil {
			w.err = fmt.Errorf("body %s: %w", b.ID, w.err)
			return
		}
	}
	for _, m := range site.Meetings {
		if w.meeting(m); w.err != nil {
			w.err = fmt.Errorf("meeting %s: %w", m.ID, w.err)
			return
		}
	}
	for _, d := range site.Declarations {
		if w.declaration(d); w.err != nil {
			w.err = fmt.Errorf("declaration %s: %w", d.ID, w.err)
			return
		}
	}
}

// searchTables creates the search index of each language, and the table
// of its words.
func (w *writer) searchTables() {
	for _, tag := range w.reg.Tags() {
		t := searchTable(tag)
		// contentless_delete: a document can be deleted by its rowid
		// alone, which the incremental import does (the index holds no
		// copy of the text it would otherwise need).
		w.exec(`CREATE VIRTUAL TABLE ` + t + ` USING fts5(title, summary, body, facets, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`)
		w.exec(`CREATE VIRTUAL TABLE ` + t + `_vocab USING fts5vocab(` + t + `, 'col')`)
	}
}

// page writes a page; updated, when set, is the last update of what it
// lists, by language.
func (w *writer) page(p *content.Page, updated map[string]date.Date) {
	w.record(&p.Record, updated)
	var statement any // NULL
	if p.Statement != nil {
		b, err := json.Marshal(p.Statement)
		if err != nil {
			w.err = fmt.Errorf("statement: %w", err)
			return
		}
		statement = string(b)
	}
	w.exec("INSERT INTO pages (id, layout, menu, footer, statement, easy_read, facts) VALUES (?, ?, ?, ?, ?, ?, ?)", p.ID, string(p.Layout), p.Menu, p.Footer, statement, p.EasyRead, pageFacts(p))
	w.facets(pageSearch(p))
}

func (w *writer) body(b *content.Body) {
	w.record(&b.Record, nil)
	w.exec("INSERT INTO bodies (id, kind, abbr, name, founded, founded_label) VALUES (?, ?, ?, ?, ?, ?)",
		b.ID, b.Kind, b.Abbr, jsonText(b.Name), b.Founded.String(), jsonText(b.FoundedLabel))
	w.facets(bodySearch(b))
	w.relation(b.ID, "part_of", 0, b.Parent)
	w.relation(b.ID, "founded_in_connection_with", 0, b.FoundedWith)
	for i, id := range b.SupportedBy {
		w.relation(b.ID, "supported_by", i, id)
	}
}

func (w *writer) meeting(m *content.Meeting) {
	w.record(&m.Record, nil)
	w.exec("INSERT INTO meetings (id, body_id, date_from, date_to, place, mode) VALUES (?, ?, ?, ?, ?, ?)",
		m.ID, m.Body, m.Date.From.String(), m.Date.To.String(), jsonText(m.Place), m.Mode)
	w.facets(meetingSearch(m))
	const item = "INSERT INTO meeting_items (meeting_id, kind, pos, text, url) VALUES (?, ?, ?, ?, ?)"
	for i, t := range m.Topics {
		w.exec(item, m.ID, "topic", i, jsonText(t), "")
	}
	for i, t := range m.Participants {
		w.exec(item, m.ID, "participant", i, jsonText(t), "")
	}
	for i, d := range m.Documents {
		w.exec(item, m.ID, "document", i, jsonText(d.Title), d.URL)
	}
}

func (w *writer) declaration(d *content.Declaration) {
	w.record(&d.Record, nil)
	var src content.Source
	if d.Source != nil {
		src = *d.Source
	}
	w.exec(`INSERT INTO declarations (id, kind, body_id, date_from, date_to, author, event, place, language, text_scope,
		signatory_count, source_title, source_url)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.Kind, d.Body, d.Date.From.String(), d.Date.To.String(), jsonText(d.Author), jsonText(d.Event), jsonText(d.Place),
		d.Language, d.TextScope, d.SignatoryCount, jsonText(src.Title), src.URL)
	w.facets(declarationSearch(d))
	for i, s := range d.Signatories {
		w.exec("INSERT INTO signatories (declaration_id, pos, name, role) VALUES (?, ?, ?, ?)", d.ID, i, s.Name, jsonText(s.Role))
	}
	for i, id := range d.RefersTo {
		w.relation(d.ID, "refers_to", i, id)
	}
}

// withoutText returns r with documents that have no text, for the search
// index.
func withoutText(r content.Record) content.Record {
	docs := make(map[string]*content.Doc, len(r.Docs))
	for tag, d := range r.Docs {
		c := *d
		c.Text, c.ContextText = "", ""
		docs[tag] = &c
	}
	r.Docs = docs
	return r
}

// jsonText writes a text as stored: a JSON object by language tag.
func jsonText(t content.Text) string {
	if len(t) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(t) // a map of strings always marshals
	return string(b)
}

// searchTable is the name of the search index of language tag (a tag is
// letters, digits and hyphens, content.Load checks it).
func searchTable(tag string) string { return "search_" + strings.ReplaceAll(tag, "-", "_") }

// record inserts what every record has: the row, its documents, their
// paragraphs, changes and aliases. updated, when set, overrides the
// documents' last-updated dates (for pages that list other records).
func (w *writer) record(r *content.Record, updated map[string]date.Date) {
	u := "[]"
	if r.Untranslated.All || len(r.Untranslated.Langs) > 0 {
		untranslated := []string{}
		for _, tag := range w.reg.Tags() {
			if r.Untranslated.Has(tag) && !w.reg.Must(tag).Authoritative {
				untranslated = append(untranslated, tag)
			}
		}
		b, _ := json.Marshal(untranslated)
		u = string(b)
	}
	w.exec("INSERT INTO records (id, type, untranslated) VALUES (?, ?, ?)", r.ID, string(r.Type), u)
	for _, tag := range w.reg.Tags() {
		d := r.Docs[tag]
		if d == nil {
			continue
		}
		up := d.Updated
		if u, ok := updated[tag]; ok && u.Compare(up) > 0 {
			up = u
		}
		w.exec(`INSERT INTO docs (record_id, lang, fallback, status, source_hash, translation_of, file, path, slug, title, summary, title_note,
			draft, publish_at, expires_at, published, updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, tag, d.Fallback, string(d.Status), d.SourceHash, d.TranslationOf, d.File, d.Path, d.Slug, d.Title, d.Summary, d.TitleNote,
			d.Draft, moment(d.Publish), moment(d.Expires), d.Published.String(), up.String())
		if d.Fallback != "" {
			continue // its texts are its fallback's
		}
		w.exec("INSERT INTO doc_texts (record_id, lang, context_text, text, context_html, html, easy_text, easy_html) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			r.ID, tag, d.ContextText, d.Text, d.ContextHTML, d.HTML, d.EasyText, d.EasyHTML)
		for i, p := range d.Paragraphs {
			w.exec("INSERT INTO paragraphs (record_id, lang, pos, anchor, number, text) VALUES (?, ?, ?, ?, ?, ?)",
				r.ID, tag, i, p.Anchor, p.Number, p.Text)
		}
		for i, c := range d.Changes {
			w.exec("INSERT INTO changes (record_id, lang, pos, date, note) VALUES (?, ?, ?, ?, ?)", r.ID, tag, i, c.Date.String(), c.Note)
		}
		for _, a := range d.Aliases {
			w.exec("INSERT INTO aliases (path, record_id, lang) VALUES (?, ?, ?)", a, r.ID, tag)
		}
	}
}

// FacetTokens are the words of a document's facets column: its type, body
// and year, as single tokens no text contains ("tdeclaration",
// "b756d70", "y2021").
func FacetTokens(typ, bodyID string, year int) string {
	t := "t" + typ
	if bodyID != "" {
		t += " b" + hex.EncodeToString([]byte(bodyID))
	}
	if year != 0 {
		t += " y" + strconv.Itoa(year)
	}
	return t
}

func (w *writer) relation(from, typ string, pos int, to string) {
	if to != "" {
		w.exec("INSERT INTO relations (from_id, type, to_id, pos) VALUES (?, ?, ?, ?)", from, typ, to, pos)
	}
}

// moment stores a schedule time in UTC, or NULL for none.
func moment(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// sectionUpdates returns, for each layout of a page that lists records, the
// last-updated date of what it lists in each language: a list is as new as
// its newest entry.
func sectionUpdates(site *content.Site) map[content.Layout]map[string]date.Date {
	out := map[content.Layout]map[string]date.Date{}
	bump := func(layout content.Layout, r *content.Record) {
		if out[layout] == nil {
			out[layout] = map[string]date.Date{}
		}
		for lang, d := range r.Docs {
			if d.Updated.Compare(out[layout][lang]) > 0 {
				out[layout][lang] = d.Updated
			}
		}
	}
	for _, b := range site.Bodies {
		bump(content.LayoutBodies, &b.Record)
		bump(content.LayoutHome, &b.Record)
		bump(content.LayoutTimeline, &b.Record)
	}
	for _, m := range site.Meetings {
		bump(content.LayoutMeetings, &m.Record)
		bump(content.LayoutHome, &m.Record)
		bump(content.LayoutTimeline, &m.Record)
	}
	for _, d := range site.Declarations {
		bump(content.LayoutDeclarations, &d.Record)
		bump(content.LayoutHome, &d.Record)
		bump(content.LayoutTimeline, &d.Record)
	}
	return out
}
