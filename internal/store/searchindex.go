package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/mattn/go-sqlite3"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/search"
)

// searchRecord is what a record is found by: its documents, the body it
// belongs to, its dates, and texts besides its documents' (extra: each
// indexed in every language in the language's own words, by the fallback
// chain, and language-independent ones under the key "").
type searchRecord struct {
	rec   *content.Record
	body  string
	when  date.Range
	extra []content.Text
}

func pageSearch(p *content.Page) searchRecord {
	rec := &p.Record
	if p.EasyRead {
		// The easy-to-read page restates the records in simpler words:
		// searched by its text, it would outrank them for nearly every
		// word of theirs. Search finds it by its title and summary.
		r := withoutText(p.Record)
		rec = &r
	}
	return searchRecord{rec: rec}
}

func bodySearch(b *content.Body) searchRecord {
	return searchRecord{rec: &b.Record, body: b.ID, when: date.Range{From: b.Founded}, extra: []content.Text{b.Name, {"": b.Abbr}}}
}

func meetingSearch(m *content.Meeting) searchRecord {
	return searchRecord{rec: &m.Record, body: m.Body, when: m.Date, extra: append([]content.Text{m.Place}, m.Topics...)}
}

func declarationSearch(d *content.Declaration) searchRecord {
	extra := []content.Text{d.Author, d.Event, d.Place}
	for _, sg := range d.Signatories {
		extra = append(extra, content.Text{"": sg.Name}, sg.Role)
	}
	return searchRecord{rec: &d.Record, body: d.Body, when: d.Date, extra: extra}
}

// searchRecords lists every record of site as search finds it, in the
// order Import writes them.
func searchRecords(site *content.Site) []searchRecord {
	var out []searchRecord
	for _, p := range site.Pages {
		out = append(out, pageSearch(p))
	}
	for _, b := range site.Bodies {
		out = append(out, bodySearch(b))
	}
	for _, m := range site.Meetings {
		out = append(out, meetingSearch(m))
	}
	for _, d := range site.Declarations {
		out = append(out, declarationSearch(d))
	}
	return out
}

func (s searchRecord) year() int {
	if s.when.IsZero() {
		return 0
	}
	return s.when.From.Year
}

// facets writes what search results of the record are filtered by.
func (w *writer) facets(s searchRecord) {
	w.exec("INSERT INTO facets (record_id, type, body_id, year, date) VALUES (?, ?, ?, ?, ?)",
		s.rec.ID, string(s.rec.Type), s.body, s.year(), s.when.String())
}

// indexed is a document of the search index: its texts folded.
type indexed struct {
	key, id, lang, title, summary, body, facets string
	draft                                       bool
	publish, expires                            any
}

// fold returns the documents of s that have a text of their own, ready
// for the search index of their language.
func (s searchRecord) fold(reg *lang.Registry) []indexed {
	r := s.rec
	facets := FacetTokens(string(r.Type), s.body, s.year())
	var out []indexed
	for _, tag := range reg.Tags() {
		d := r.Docs[tag]
		if d == nil || d.Fallback != "" {
			continue
		}
		lg := reg.Must(tag)
		var body strings.Builder
		body.WriteString(d.ContextText + "\n" + d.Text)
		for _, t := range s.extra {
			if v := t[""]; v != "" {
				body.WriteString("\n" + v)
			} else if v := t.In(reg, tag); v != "" {
				body.WriteString("\n" + v)
			}
		}
		out = append(out, indexed{key: s.key(), id: r.ID, lang: tag, title: search.Fold(lg, d.Title),
			summary: search.Fold(lg, d.Summary), body: search.Fold(lg, body.String()), facets: facets,
			draft: d.Draft, publish: moment(d.Publish), expires: moment(d.Expires)})
	}
	return out
}

// key orders the documents of the search index: by date, so that rowids
// rise with dates (a query of very common words reads the newest first and
// stops early); pages and bodies sort after every date, so they come first.
func (s searchRecord) key() string {
	if s.rec.Type == content.TypePage || s.rec.Type == content.TypeBody {
		return "~"
	}
	return s.when.From.String()
}

// indexedDocs folds the documents of every record, on all cores, in the
// order of their rowids.
func indexedDocs(ctx context.Context, site *content.Site) []indexed {
	recs := searchRecords(site)
	parts := make([][]indexed, len(recs))
	var wg sync.WaitGroup
	next := make(chan int, len(recs))
	for i := range recs {
		next <- i
	}
	close(next)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				if ctx.Err() != nil {
					return
				}
				parts[i] = recs[i].fold(site.Languages)
			}
		})
	}
	wg.Wait()
	out := slices.Concat(parts...)
	slices.SortStableFunc(out, func(a, b indexed) int { return strings.Compare(a.key, b.key) })
	return out
}

// searchIndex builds the search index of a site in a database of its own,
// in memory, while the records are written into the main one.
type searchIndex struct {
	uri    string // of the database, for ATTACH
	db     *sql.DB
	tables []string // what the main database copies from it
	done   chan struct{}
	err    error
}

// startIndex starts building the search index of site.
func startIndex(ctx context.Context, site *content.Site) *searchIndex {
	b := make([]byte, 6)
	rand.Read(b)
	// The memdb VFS: an in-memory database that another connection of
	// this process can attach by its name.
	ix := &searchIndex{uri: "file:/import-index-" + processTag + "-" + hex.EncodeToString(b) + "?vfs=memdb", done: make(chan struct{})}
	go func() {
		defer close(ix.done)
		ix.err = ix.build(ctx, site)
	}()
	return ix
}

func (ix *searchIndex) build(ctx context.Context, site *content.Site) error {
	docs := indexedDocs(ctx, site)
	if err := ctx.Err(); err != nil {
		return err
	}
	db, err := sql.Open("sqlite3", ix.uri+"&_journal_mode=OFF&_synchronous=OFF")
	if err != nil {
		return fmt.Errorf("opening its database: %w", err)
	}
	db.SetMaxOpenConns(1)
	ix.db = db
	// The same schema as the main database: search_docs and terms are
	// copied from here with the indexes' own tables.
	if err := migrate(ctx, db); err != nil {
		return fmt.Errorf("creating its tables: %w", err)
	}
	err = rawConn(ctx, db, func(c *sqlite3.SQLiteConn) error {
		w := newWriter(ctx, c, site.Languages)
		defer w.close()
		w.exec("BEGIN")
		w.searchTables()
		for _, tag := range w.reg.Tags() {
			// No merging while documents are added: one merge of all
			// the segments at the end ('optimize') is less work than
			// merging as they come. (The settings are restored after:
			// they are kept in the database, for later changes.)
			t := searchTable(tag)
			w.exec("INSERT INTO " + t + " (" + t + ", rank) VALUES ('automerge', 0)")
			w.exec("INSERT INTO " + t + " (" + t + ", rank) VALUES ('crisismerge', 2000)")
		}
		for i, d := range docs {
			w.insertIndexed(int64(i+1), d)
		}
		for _, tag := range w.reg.Tags() {
			t := searchTable(tag)
			w.exec("INSERT INTO " + t + " (" + t + ") VALUES ('optimize')")
			w.exec("INSERT INTO " + t + " (" + t + ", rank) VALUES ('automerge', 4)")
			w.exec("INSERT INTO " + t + " (" + t + ", rank) VALUES ('crisismerge', 16)")
			// Facet tokens are not words anyone searches for.
			w.exec("INSERT INTO terms (lang, term, docs) SELECT ?, term, max(doc) FROM "+t+"_vocab WHERE col <> 'facets' GROUP BY term", tag)
		}
		w.exec("COMMIT")
		return w.err
	})
	if err != nil {
		return fmt.Errorf("indexing: %w", err)
	}
	// Listed once the connection above is back in the pool (the database
	// has one).
	ix.tables = []string{"search_docs", "terms"}
	for _, tag := range site.Languages.Tags() {
		// The index's own tables (_data, _idx, _docsize, _config).
		rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE ? ESCAPE '\' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`,
			strings.ReplaceAll(searchTable(tag), "_", `\_`)+`\_%`)
		if err != nil {
			return fmt.Errorf("listing the tables of index %s: %w", tag, err)
		}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return fmt.Errorf("listing the tables of index %s: %w", tag, err)
			}
			ix.tables = append(ix.tables, name)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("listing the tables of index %s: %w", tag, err)
		}
	}
	return nil
}

// insertIndexed adds document d to the search index at rowid.
func (w *writer) insertIndexed(rowid int64, d indexed) {
	w.exec("INSERT INTO search_docs (rowid, record_id, lang, draft, publish_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
		rowid, d.id, d.lang, d.draft, d.publish, d.expires)
	w.exec("INSERT INTO "+searchTable(d.lang)+" (rowid, title, summary, body, facets) VALUES (?, ?, ?, ?, ?)",
		rowid, d.title, d.summary, d.body, d.facets)
}

// wait waits for the index to be built.
func (ix *searchIndex) wait() error {
	<-ix.done
	return ix.err
}

// close drops the index's database (once the main one has copied it).
func (ix *searchIndex) close() {
	<-ix.done
	if ix.db != nil {
		ix.db.Close()
	}
}

// copyIndex copies the search index into the main database. The indexes'
// own tables are copied as tables: the main database's connection never
// reads the indexes themselves, so it holds nothing of them in memory that
// the copy would make stale.
func (w *writer) copyIndex(ix *searchIndex) {
	w.exec("ATTACH DATABASE ? AS ix", ix.uri)
	w.exec("BEGIN")
	for _, t := range ix.tables {
		w.exec(fmt.Sprintf("DELETE FROM main.%q", t))
		w.exec(fmt.Sprintf("INSERT INTO main.%q SELECT * FROM ix.%q", t, t))
	}
	w.exec("COMMIT")
	w.exec("DETACH DATABASE ix")
}
