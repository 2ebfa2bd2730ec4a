package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/search"
)

// Import writes site into a new database file and moves it over path in one
// rename. Everything is written in one transaction; if anything fails, the
// new file is removed and the database at path is left exactly as it was.
func Import(ctx context.Context, path string, site *content.Site) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	sweep(dir)
	f, err := os.CreateTemp(dir, ".import-"+processTag+"-*.db")
	if err != nil {
		return fmt.Errorf("import: %w", err)
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
		return fmt.Errorf("import: %w", err)
	}
	db.SetMaxOpenConns(1)
	// 16 KB pages: a document's text and HTML (a few KB each) mostly fit
	// in one page instead of a chain of overflow pages. The import of
	// 10,000 declarations is a fifth faster; see the README for reads.
	if _, err := db.ExecContext(ctx, "PRAGMA page_size = 16384"); err != nil {
		db.Close()
		return fmt.Errorf("import: %w", err)
	}
	if err := write(ctx, db, site); err != nil {
		db.Close()
		return fmt.Errorf("import: %w", err)
	}
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		db.Close()
		return fmt.Errorf("import: %w", err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	// Cancelled means unchanged, even if it came too late to stop VACUUM.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("import: %w", err)
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
		return err
	}
	defer f.Close()
	return f.Sync()
}

func write(ctx context.Context, db *sql.DB, site *content.Site) error {
	if err := migrate(ctx, db); err != nil {
		return err
	}
	// The transaction and its statements run without ctx's cancellation:
	// given a context that can be cancelled, go-sqlite3 starts a goroutine
	// per statement to watch it, which made a 10,000-declaration import
	// 40 % slower (and database/sql would roll the transaction back under
	// the writer, which would then report "transaction has already been
	// committed or rolled back"). The writer checks ctx itself every few
	// hundred rows instead, and returns its error.
	run := context.WithoutCancel(ctx)
	tx, err := db.BeginTx(run, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	w := &writer{ctx: ctx, run: run, tx: tx, stmts: map[string]*sql.Stmt{}}
	defer w.close()
	w.all(site)
	w.writeIndex()
	if w.err != nil {
		return w.err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, "PRAGMA optimize")
	return err
}

// writer inserts rows, keeping the first error: the caller checks it once.
type writer struct {
	reg   *lang.Registry
	ctx   context.Context // checked every checkEvery rows
	run   context.Context // ctx without cancellation, to run statements
	n     int             // rows written
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	err   error
	queue []indexed // documents for the search index
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
	st, ok := w.stmts[query]
	if !ok {
		st, w.err = w.tx.PrepareContext(w.run, query)
		if w.err != nil {
			return
		}
		w.stmts[query] = st
	}
	if _, err := st.ExecContext(w.run, args...); err != nil {
		w.err = fmt.Errorf("%w (in %.60s…)", err, query)
	}
}

// checkEvery is how often, in rows, the writer checks for cancellation:
// a few milliseconds of work.
const checkEvery = 512

func (w *writer) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

func (w *writer) all(site *content.Site) {
	w.reg = site.Languages
	langs, err := json.Marshal(site.Languages.All())
	if err != nil {
		w.err = err
		return
	}
	w.exec("INSERT INTO meta (key, value) VALUES ('version', ?), ('built', ?), ('build', ?), ('languages', ?)",
		site.Version, time.Now().UTC().Format(time.RFC3339), BuildID(), string(langs))
	for _, tag := range site.Languages.Tags() {
		body, err := json.Marshal(site.Catalogues[tag])
		if err != nil {
			w.err = err
			return
		}
		w.exec("INSERT INTO catalogues (lang, body) VALUES (?, ?)", tag, string(body))
		t := searchTable(tag)
		w.exec(`CREATE VIRTUAL TABLE ` + t + ` USING fts5(title, summary, body, facets, content = '', tokenize = 'unicode61 remove_diacritics 2')`)
		w.exec(`CREATE VIRTUAL TABLE ` + t + `_vocab USING fts5vocab(` + t + `, 'col')`)
	}
	updated := sectionUpdates(site)
	for _, p := range site.Pages {
		w.record(&p.Record, updated[p.Layout])
		var statement any // NULL
		if p.Statement != nil {
			b, err := json.Marshal(p.Statement)
			if err != nil {
				w.err = err
				return
			}
			statement = string(b)
		}
		w.exec("INSERT INTO pages (id, layout, menu, footer, statement, easy_read) VALUES (?, ?, ?, ?, ?, ?)", p.ID, p.Layout, p.Menu, p.Footer, statement, p.EasyRead)
		rec := p.Record
		if p.EasyRead {
			// The easy-to-read page restates the records in simpler words:
			// searched by its text, it would outrank them for nearly every
			// word of theirs. Search finds it by its title and summary.
			rec = withoutText(rec)
		}
		w.index(&rec, "", date.Range{}, nil)
	}
	for _, b := range site.Bodies {
		w.record(&b.Record, nil)
		w.exec("INSERT INTO bodies (id, kind, abbr, name, founded, founded_label) VALUES (?, ?, ?, ?, ?, ?)",
			b.ID, b.Kind, b.Abbr, jsonText(b.Name), b.Founded.String(), jsonText(b.FoundedLabel))
		w.index(&b.Record, b.ID, date.Range{From: b.Founded}, []content.Text{b.Name, {"": b.Abbr}})
		w.relation(b.ID, "part_of", 0, b.Parent)
		w.relation(b.ID, "founded_in_connection_with", 0, b.FoundedWith)
		for i, id := range b.SupportedBy {
			w.relation(b.ID, "supported_by", i, id)
		}
	}
	for _, m := range site.Meetings {
		w.record(&m.Record, nil)
		w.exec("INSERT INTO meetings (id, body_id, date_from, date_to, place, mode) VALUES (?, ?, ?, ?, ?, ?)",
			m.ID, m.Body, m.Date.From.String(), m.Date.To.String(), jsonText(m.Place), m.Mode)
		w.index(&m.Record, m.Body, m.Date, append([]content.Text{m.Place}, m.Topics...))
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
	for _, d := range site.Declarations {
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
		extra := []content.Text{d.Author, d.Event, d.Place}
		for _, sg := range d.Signatories {
			extra = append(extra, content.Text{"": sg.Name}, sg.Role)
		}
		w.index(&d.Record, d.Body, d.Date, extra)
		for i, s := range d.Signatories {
			w.exec("INSERT INTO signatories (declaration_id, pos, name, role) VALUES (?, ?, ?, ?)", d.ID, i, s.Name, jsonText(s.Role))
		}
		for i, id := range d.RefersTo {
			w.relation(d.ID, "refers_to", i, id)
		}
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
	untranslated := []string{}
	for _, tag := range w.reg.Tags() {
		if r.Untranslated.Has(tag) && !w.reg.Must(tag).Authoritative {
			untranslated = append(untranslated, tag)
		}
	}
	u, _ := json.Marshal(untranslated)
	w.exec("INSERT INTO records (id, type, untranslated) VALUES (?, ?, ?)", r.ID, string(r.Type), string(u))
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

// index queues a record's documents that have a text of their own for the
// search index of their language, folded, and writes its facets. extra
// holds the record's facts to find it by: texts, each indexed in every
// language in the language's own words (by the fallback chain), and
// language-independent ones under the key "".
func (w *writer) index(r *content.Record, bodyID string, when date.Range, extra []content.Text) {
	year := 0
	if !when.IsZero() {
		year = when.From.Year
	}
	w.exec("INSERT INTO facets (record_id, type, body_id, year, date) VALUES (?, ?, ?, ?, ?)", r.ID, string(r.Type), bodyID, year, when.String())
	facets := FacetTokens(string(r.Type), bodyID, year)
	for _, tag := range w.reg.Tags() {
		d := r.Docs[tag]
		if d == nil || d.Fallback != "" {
			continue
		}
		lg := w.reg.Must(tag)
		var body strings.Builder
		body.WriteString(d.ContextText + "\n" + d.Text)
		for _, t := range extra {
			if s := t[""]; s != "" {
				body.WriteString("\n" + s)
			} else if s := t.In(w.reg, tag); s != "" {
				body.WriteString("\n" + s)
			}
		}
		// Pages and bodies sort after every date: they come first.
		key := when.From.String()
		if r.Type == content.TypePage || r.Type == content.TypeBody {
			key = "~"
		}
		w.queue = append(w.queue, indexed{key: key, id: r.ID, lang: tag, title: search.Fold(lg, d.Title),
			summary: search.Fold(lg, d.Summary), body: search.Fold(lg, body.String()), facets: facets,
			draft: d.Draft, publish: moment(d.Publish), expires: moment(d.Expires)})
	}
}

// indexed is a document waiting to be indexed.
type indexed struct {
	key, id, lang, title, summary, body, facets string
	draft                                       bool
	publish, expires                            any
}

// writeIndex indexes the queued documents, oldest first, so that rowids
// rise with dates, then records the words of the indexes.
func (w *writer) writeIndex() {
	slices.SortStableFunc(w.queue, func(a, b indexed) int { return strings.Compare(a.key, b.key) })
	for i, d := range w.queue {
		rowid := i + 1
		w.exec("INSERT INTO search_docs (rowid, record_id, lang, draft, publish_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			rowid, d.id, d.lang, d.draft, d.publish, d.expires)
		w.exec("INSERT INTO "+searchTable(d.lang)+" (rowid, title, summary, body, facets) VALUES (?, ?, ?, ?, ?)",
			rowid, d.title, d.summary, d.body, d.facets)
	}
	for _, tag := range w.reg.Tags() {
		t := searchTable(tag)
		w.exec("INSERT INTO " + t + "(" + t + ") VALUES ('optimize')")
		// Facet tokens are not words anyone searches for.
		w.exec("INSERT INTO terms (lang, term, docs) SELECT ?, term, max(doc) FROM "+t+"_vocab WHERE col <> 'facets' GROUP BY term", tag)
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
func sectionUpdates(site *content.Site) map[string]map[string]date.Date {
	out := map[string]map[string]date.Date{}
	bump := func(layout string, r *content.Record) {
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
		bump("bodies", &b.Record)
		bump("home", &b.Record)
		bump("timeline", &b.Record)
	}
	for _, m := range site.Meetings {
		bump("meetings", &m.Record)
		bump("home", &m.Record)
		bump("timeline", &m.Record)
	}
	for _, d := range site.Declarations {
		bump("declarations", &d.Record)
		bump("home", &d.Record)
		bump("timeline", &d.Record)
	}
	return out
}
