package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
)

// An Updater keeps the database at a path up to date with the sites of a
// content.Loader, for a server that reloads. Import writes a whole new
// database (seconds, for a large site); an Updater writes only the records
// that changed (milliseconds), and keeps Import's guarantees: the file at
// path is never written while it is the database, so a Store reading it
// sees one version from start to end; the new version replaces it in one
// rename; anything that fails leaves it as it was.
//
// It does so with a second file, the spare (path + ".spare"), one version
// behind: the database the server was reading before the last update.
// An update brings the spare to the new version in one transaction
// (rollback journal, synchronous), renames it over path, and keeps the
// replaced file as the next spare. The spare is written only when no
// Store reads it: each Store reads the file through a hard link of its
// own (Open), so the spare's link count tells.
//
// Apply falls back to a full Import when it cannot update: at its first
// call, when the spare is read or was made by another program, and when
// the languages or catalogues changed, a record was added or removed, or
// a record's dates moved it in the search index's date order (whose rowids
// are dates). An Updater is not safe for concurrent use.
type Updater struct {
	path, spare string
	// cur is what the database at path holds; spr what the spare holds
	// (nil: no usable spare).
	cur, spr *built
}

// built is a site as a database holds it.
type built struct {
	site    *content.Site
	digests map[string]uint64 // by record id: its rows (digests)
	setting string            // the languages and catalogues, as JSON
	// updated is sectionUpdates(site): when each list was last updated.
	updated map[content.Layout]map[string]date.Date
}

// NewUpdater returns an Updater of the database at path.
func NewUpdater(path string) *Updater {
	return &Updater{path: path, spare: path + ".spare"}
}

// Applied tells what Apply did: nothing (the database held the site
// already), an update of Records records, or a full Import, and why.
type Applied struct {
	Unchanged   bool
	Incremental bool
	Records     int    // records written by an update
	Why         string // why a full Import, when it was one
}

// Apply makes the database at path hold site. It returns what it did; an
// error leaves the database at path as it was.
func (u *Updater) Apply(ctx context.Context, site *content.Site) (Applied, error) {
	next, err := u.newBuilt(site)
	if err != nil {
		return Applied{}, err
	}
	if UpToDate(u.path, site.Version) {
		u.cur = next
		if u.spr == nil || u.spr.site.Version != site.Version {
			u.makeSpare()
		}
		return Applied{Unchanged: true}, nil
	}
	changed, why := u.plan(next)
	if why == "" {
		if err := u.update(ctx, next, changed); err != nil {
			// The spare is rolled back, but it is not worth a doubt:
			// the next update is a full import.
			u.spr = nil
			if ctx.Err() != nil {
				return Applied{}, err
			}
			why = "the update failed: " + err.Error()
		} else {
			u.cur, u.spr = next, u.cur
			return Applied{Incremental: true, Records: len(changed)}, nil
		}
	}
	if err := Import(ctx, u.path, site); err != nil {
		return Applied{}, err
	}
	u.cur, u.spr = next, nil
	u.makeSpare()
	return Applied{Why: why}, nil
}

// newBuilt returns site with its digests. When the site is the load
// after the current one's, only the records it says changed, and the
// pages, are hashed: no other record's rows can differ (content.LoadInfo),
// but for the addresses of a section whose page's address changed, in
// which case every record is.
func (u *Updater) newBuilt(site *content.Site) (*built, error) {
	setting, err := json.Marshal(struct {
		Languages, Catalogues any
	}{site.Languages.All(), site.Catalogues})
	if err != nil {
		return nil, fmt.Errorf("update: the languages and catalogues: %w", err)
	}
	b := &built{site: site, setting: string(setting), updated: sectionUpdates(site)}
	if u.cur == nil || site.Load.Prev == 0 || site.Load.Prev != u.cur.site.Load.Seq || !sameSections(u.cur.site, site) {
		b.digests = digests(site, b.updated, nil)
		return b, nil
	}
	b.digests = digests(site, b.updated, func(id string, t content.Type) bool {
		_, known := u.cur.digests[id]
		return t == content.TypePage || !known || site.Load.Changed[id]
	})
	for id, d := range u.cur.digests {
		if _, ok := b.digests[id]; !ok && !site.Load.Changed[id] {
			b.digests[id] = d
		}
	}
	return b, nil
}

// sameSections reports whether the pages of the sections that records'
// addresses follow have the same addresses in both sites.
func sameSections(a, b *content.Site) bool {
	for _, layout := range []content.Layout{content.LayoutBodies, content.LayoutMeetings, content.LayoutDeclarations} {
		pa, pb := a.Section(layout), b.Section(layout)
		if (pa == nil) != (pb == nil) {
			return false
		}
		if pa == nil {
			continue
		}
		if len(pa.Docs) != len(pb.Docs) {
			return false
		}
		for tag, d := range pa.Docs {
			if e := pb.Docs[tag]; e == nil || e.Path != d.Path {
				return false
			}
		}
	}
	return true
}

// makeSpare makes the spare a copy of the database at path, synced to
// disk (once renamed over path, it must survive a crash as Import's file
// does). Without a spare, the next Apply imports.
func (u *Updater) makeSpare() {
	tmp := u.spare + ".new"
	if err := copyFile(u.path, tmp); err != nil {
		os.Remove(tmp)
		return
	}
	// A journal left by an update that crashed belongs to the file
	// replaced here: SQLite would roll it into this one.
	os.Remove(u.spare + "-journal")
	if err := syncFile(tmp); err != nil || os.Rename(tmp, u.spare) != nil {
		os.Remove(tmp)
		return
	}
	u.spr = u.cur
}

// plan returns the records to write to bring the spare to next, or why
// it cannot be.
func (u *Updater) plan(next *built) (changed []string, why string) {
	switch {
	case u.cur == nil || u.spr == nil:
		return nil, "no spare database"
	case u.spr.setting != next.setting:
		return nil, "the languages or catalogues changed"
	case len(u.spr.digests) != len(next.digests):
		return nil, "records were added or removed"
	}
	fi, err := os.Stat(u.spare)
	if err != nil {
		return nil, "no spare database"
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || st.Nlink != 1 {
		return nil, "the spare database is being read"
	}
	if v, build, err := readMeta(u.spare); err != nil || v != u.spr.site.Version || build != BuildID() {
		return nil, "the spare database is not the last version"
	}
	for id, d := range next.digests {
		old, ok := u.spr.digests[id]
		if !ok {
			return nil, "records were added or removed"
		}
		if old != d {
			changed = append(changed, id)
		}
	}
	if len(changed) > len(next.digests)/4 {
		// Rewriting most of the records row by row, in a journal, is
		// slower than writing them anew.
		return nil, "most records changed"
	}
	slices.Sort(changed)
	for _, id := range changed {
		if !sameSearchPlace(searchRecordOf(u.spr.site, id), searchRecordOf(next.site, id), next.site) {
			return nil, "a record's dates or languages moved it in the search index"
		}
	}
	return changed, ""
}

// searchRecordOf returns record id of site as search finds it (rec nil
// when there is none).
func searchRecordOf(site *content.Site, id string) searchRecord {
	if s, _ := recordOf(site, id, nil); s.rec != nil {
		return s
	}
	return searchRecord{}
}

// recordOf finds record id of site: as search finds it, and the function
// that writes it as Import does (given the lists' updates).
func recordOf(site *content.Site, id string, updated map[content.Layout]map[string]date.Date) (searchRecord, func(*writer)) {
	for _, p := range site.Pages {
		if p.ID == id {
			return pageSearch(p), func(w *writer) { w.page(p, updated[p.Layout]) }
		}
	}
	for _, b := range site.Bodies {
		if b.ID == id {
			return bodySearch(b), func(w *writer) { w.body(b) }
		}
	}
	for _, m := range site.Meetings {
		if m.ID == id {
			return meetingSearch(m), func(w *writer) { w.meeting(m) }
		}
	}
	for _, d := range site.Declarations {
		if d.ID == id {
			return declarationSearch(d), func(w *writer) { w.declaration(d) }
		}
	}
	return searchRecord{}, nil
}

// sameSearchPlace reports whether a record indexed as a is indexed as b
// at the same rowids: the same type and sort key (Import sorts by the key,
// keeping types in order among equal keys), the same languages.
func sameSearchPlace(a, b searchRecord, site *content.Site) bool {
	if a.rec == nil || b.rec == nil || a.rec.Type != b.rec.Type || a.key() != b.key() {
		return false
	}
	la, lb := a.fold(site.Languages), b.fold(site.Languages)
	if len(la) != len(lb) {
		return false
	}
	for i := range la {
		if la[i].lang != lb[i].lang {
			return false
		}
	}
	return true
}

// update writes the changed records into the spare, then swaps it in.
func (u *Updater) update(ctx context.Context, next *built, changed []string) error {
	db, err := sql.Open("sqlite3", "file:"+u.spare+"?_journal_mode=DELETE&_synchronous=FULL&_foreign_keys=on")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rowids, err := searchRowids(ctx, db, changed)
	if err != nil {
		return err
	}
	old := map[string]searchRecord{}
	now := map[string]searchRecord{}
	writeRecord := map[string]func(*writer){}
	for _, id := range changed {
		old[id] = searchRecordOf(u.spr.site, id)
		now[id], writeRecord[id] = recordOf(next.site, id, next.updated)
	}
	terms, err := affectedTerms(ctx, db, next.site, changed, old, now)
	if err != nil {
		return fmt.Errorf("listing the words to recount: %w", err)
	}
	err = rawConn(ctx, db, func(c *sqlite3.SQLiteConn) error {
		w := newWriter(ctx, c, next.site.Languages)
		defer w.close()
		w.exec("BEGIN IMMEDIATE")
		// Every changed record is deleted first: a slug or an alias may
		// move from one to another (docs.path and aliases are unique).
		for _, id := range changed {
			w.deleteRecord(id, rowids[id])
		}
		for _, id := range changed {
			writeRecord[id](w)
			for _, d := range now[id].fold(next.site.Languages) {
				w.insertIndexed(rowids[id][d.lang], d)
			}
			if w.err != nil {
				err := w.err
				w.err = nil
				w.exec("ROLLBACK")
				return fmt.Errorf("record %s: %w", id, err)
			}
		}
		for tag, ts := range terms {
			t := searchTable(tag)
			for _, term := range ts {
				w.exec("DELETE FROM terms WHERE lang = ? AND term = ?", tag, term)
				w.exec("INSERT INTO terms (lang, term, docs) SELECT ?, term, max(doc) FROM "+t+"_vocab WHERE term = ? AND col <> 'facets' GROUP BY term", tag, term)
			}
		}
		w.exec("UPDATE meta SET value = ? WHERE key = 'version'", next.site.Version)
		w.exec("UPDATE meta SET value = ? WHERE key = 'built'", time.Now().UTC().Format(time.RFC3339))
		if w.err != nil {
			err := w.err
			w.err = nil
			w.exec("ROLLBACK")
			return err
		}
		w.exec("COMMIT")
		return w.err
	})
	if err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	return u.swap()
}

// swap renames the spare over path and keeps the file it replaces as the
// next spare: path names a whole database at every moment.
func (u *Updater) swap() error {
	tmp := u.spare + ".old"
	os.Remove(tmp)
	if err := os.Link(u.path, tmp); err != nil {
		return fmt.Errorf("keeping %s: %w", u.path, err)
	}
	if err := os.Rename(u.spare, u.path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("replacing %s: %w", u.path, err)
	}
	if err := os.Rename(tmp, u.spare); err != nil {
		os.Remove(tmp)
	}
	if d, err := os.Open(filepath.Dir(u.path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// deleteRecord deletes every row of record id, its search documents
// (rowids, by language) included.
func (w *writer) deleteRecord(id string, rowids map[string]int64) {
	for _, q := range []string{
		"DELETE FROM records WHERE id = ?",
		"DELETE FROM docs WHERE record_id = ?",
		"DELETE FROM doc_texts WHERE record_id = ?",
		"DELETE FROM paragraphs WHERE record_id = ?",
		"DELETE FROM changes WHERE record_id = ?",
		"DELETE FROM aliases WHERE record_id = ?",
		"DELETE FROM pages WHERE id = ?",
		"DELETE FROM bodies WHERE id = ?",
		"DELETE FROM meetings WHERE id = ?",
		"DELETE FROM meeting_items WHERE meeting_id = ?",
		"DELETE FROM declarations WHERE id = ?",
		"DELETE FROM signatories WHERE declaration_id = ?",
		"DELETE FROM relations WHERE from_id = ?",
		"DELETE FROM facets WHERE record_id = ?",
		"DELETE FROM search_docs WHERE record_id = ?",
	} {
		w.exec(q, id)
	}
	for tag, rowid := range rowids {
		w.exec("DELETE FROM "+searchTable(tag)+" WHERE rowid = ?", rowid)
	}
}

// searchRowids returns the rowids of the search documents of the records,
// by record id and language.
func searchRowids(ctx context.Context, db *sql.DB, ids []string) (map[string]map[string]int64, error) {
	out := map[string]map[string]int64{}
	for _, id := range ids {
		rows, err := db.QueryContext(ctx, "SELECT lang, rowid FROM search_docs WHERE record_id = ?", id)
		if err != nil {
			return nil, err
		}
		out[id] = map[string]int64{}
		for rows.Next() {
			var tag string
			var rowid int64
			if err := rows.Scan(&tag, &rowid); err != nil {
				rows.Close()
				return nil, err
			}
			out[id][tag] = rowid
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// affectedTerms returns, by language, the indexed words whose document
// counts (the terms table) the update changes: those that the changed
// records' documents, before and after, have in different numbers of
// documents in some column. (A title edited changes the counts of the
// words it gains and loses, not those of the rest of the text.) The words
// are the index's own: the documents are tokenized by temporary FTS5
// tables with the index's tokenizer, and counted by their fts5vocab.
func affectedTerms(ctx context.Context, db *sql.DB, site *content.Site, changed []string, before, after map[string]searchRecord) (map[string][]string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	for _, q := range []string{
		"CREATE VIRTUAL TABLE temp.tok_old USING fts5(title, summary, body, tokenize = 'unicode61 remove_diacritics 2')",
		"CREATE VIRTUAL TABLE temp.tok_new USING fts5(title, summary, body, tokenize = 'unicode61 remove_diacritics 2')",
		"CREATE VIRTUAL TABLE temp.tok_old_v USING fts5vocab(temp, tok_old, 'col')",
		"CREATE VIRTUAL TABLE temp.tok_new_v USING fts5vocab(temp, tok_new, 'col')",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	defer conn.ExecContext(context.Background(), "DROP TABLE temp.tok_old_v; DROP TABLE temp.tok_new_v; DROP TABLE temp.tok_old; DROP TABLE temp.tok_new")
	out := map[string][]string{}
	for _, tag := range site.Languages.Tags() {
		for _, t := range []string{"temp.tok_old", "temp.tok_new"} {
			if _, err := conn.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return nil, err
			}
		}
		n := 0
		for _, id := range changed {
			for i, s := range []searchRecord{before[id], after[id]} {
				t := []string{"temp.tok_old", "temp.tok_new"}[i]
				for _, d := range s.fold(site.Languages) {
					if d.lang != tag {
						continue
					}
					if _, err := conn.ExecContext(ctx, "INSERT INTO "+t+" (title, summary, body) VALUES (?, ?, ?)", d.title, d.summary, d.body); err != nil {
						return nil, err
					}
					n++
				}
			}
		}
		if n == 0 {
			continue
		}
		rows, err := conn.QueryContext(ctx, `SELECT DISTINCT term FROM (
			SELECT term, col, sum(doc) AS d FROM (SELECT term, col, doc FROM temp.tok_old_v UNION ALL SELECT term, col, -doc FROM temp.tok_new_v)
			GROUP BY term, col) WHERE d <> 0`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var term string
			if err := rows.Scan(&term); err != nil {
				rows.Close()
				return nil, err
			}
			out[tag] = append(out[tag], term)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// digestSeed seeds the digests: they are compared within one process only.
var digestSeed = maphash.MakeSeed()

// digests returns, by record id, a hash of the rows Import writes for the
// record (the search index's are made of the same values): two sites'
// records with the same digest have the same rows. With want, only the
// records it wants. Computed on all cores.
func digests(site *content.Site, updated map[content.Layout]map[string]date.Date, want func(id string, t content.Type) bool) map[string]uint64 {
	type rec struct {
		id    string
		write func(*writer)
	}
	var recs []rec
	add := func(id string, t content.Type, write func(*writer)) {
		if want == nil || want(id, t) {
			recs = append(recs, rec{id, write})
		}
	}
	for _, p := range site.Pages {
		add(p.ID, content.TypePage, func(w *writer) { w.page(p, updated[p.Layout]) })
	}
	for _, b := range site.Bodies {
		add(b.ID, content.TypeBody, func(w *writer) { w.body(b) })
	}
	for _, m := range site.Meetings {
		add(m.ID, content.TypeMeeting, func(w *writer) { w.meeting(m) })
	}
	for _, d := range site.Declarations {
		add(d.ID, content.TypeDeclaration, func(w *writer) { w.declaration(d) })
	}
	sums := make([]uint64, len(recs))
	var wg sync.WaitGroup
	n := min(runtime.GOMAXPROCS(0), 1+len(recs)/256)
	for k := range n {
		wg.Go(func() {
			var h maphash.Hash
			h.SetSeed(digestSeed)
			w := &writer{ctx: context.Background(), reg: site.Languages, digest: &h}
			for i := k; i < len(recs); i += n {
				h.Reset()
				recs[i].write(w)
				sums[i] = h.Sum64()
			}
		})
	}
	wg.Wait()
	out := make(map[string]uint64, len(site.Pages)+len(site.Bodies)+len(site.Meetings)+len(site.Declarations))
	for i, r := range recs {
		out[r.id] = sums[i]
	}
	return out
}

// hashRow adds a row to the writer's digest.
func (w *writer) hashRow(query string, args []any) {
	h := w.digest
	if h == nil {
		return
	}
	h.WriteString(query)
	for _, a := range args {
		switch v := a.(type) {
		case nil:
			h.WriteByte(0)
		case string:
			h.WriteByte(1)
			maphash.WriteComparable(h, len(v))
			h.WriteString(v)
		case int:
			h.WriteByte(2)
			maphash.WriteComparable(h, v)
		case int64:
			h.WriteByte(2)
			maphash.WriteComparable(h, int(v))
		case bool:
			h.WriteByte(3)
			maphash.WriteComparable(h, v)
		case float64:
			h.WriteByte(4)
			maphash.WriteComparable(h, math.Float64bits(v))
		default:
			v2, err := driverValue(a)
			if err != nil {
				w.err = err
				return
			}
			h.WriteByte(5)
			fmt.Fprint(h, v2)
		}
	}
	h.WriteByte(0xff)
}
