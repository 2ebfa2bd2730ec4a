package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/content/contenttest"
)

// dump is every row of the database at path, table by table, sorted; the
// search indexes as their every word's every place (fts5vocab
// 'instance'), and meta without the time it was built.
func dump(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var tables, indexes []string
	rows, err := db.Query("SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%USING fts5(%' FROM sqlite_schema WHERE type = 'table' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		var fts bool
		rows.Scan(&name, &fts)
		switch {
		case fts:
			indexes = append(indexes, name)
		case name == "sqlite_stat1":
			// the query planner's statistics (PRAGMA optimize), not content
		case strings.HasPrefix(name, "search_") && name != "search_docs":
			// the indexes' own tables and vocabularies: compared as
			// the indexes' contents below
		default:
			tables = append(tables, name)
		}
	}
	rows.Close()
	out := map[string]string{}
	read := func(key, q string) {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%q", vals))
		}
		slices.Sort(lines)
		out[key] = strings.Join(lines, "\n")
	}
	for _, name := range tables {
		q := "SELECT * FROM " + name
		if name == "meta" {
			q += " WHERE key <> 'built'"
		}
		read(name, q)
	}
	for _, name := range indexes {
		if _, err := db.Exec("CREATE VIRTUAL TABLE temp.v_" + name + " USING fts5vocab(main, " + name + ", 'instance')"); err != nil {
			t.Fatal(err)
		}
		read(name, "SELECT * FROM temp.v_"+name)
	}
	return out
}

func sameDatabases(t *testing.T, got, want string) {
	t.Helper()
	g, w := dump(t, got), dump(t, want)
	for name, rows := range w {
		if g[name] != rows {
			gl, wl := strings.Split(g[name], "\n"), strings.Split(rows, "\n")
			for i := range max(len(gl), len(wl)) {
				var a, b string
				if i < len(gl) {
					a = gl[i]
				}
				if i < len(wl) {
					b = wl[i]
				}
				if a != b {
					t.Errorf("table %s differs from a fresh import's (%d rows, want %d); first difference:\n got %.300s\nwant %.300s", name, len(gl), len(wl), a, b)
					break
				}
			}
		}
	}
	if len(g) != len(w) {
		t.Errorf("%d tables, want %d", len(g), len(w))
	}
}

// TestUpdaterMatchesImport changes a copy of the real content in many
// ways and checks, after each, that the database an Updater keeps holds
// exactly what a fresh Import of the content writes, whether it updated
// it or imported it, and that it updates where it can.
func TestUpdaterMatchesImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	settle := func() { time.Sleep(150 * time.Millisecond) } // the Loader's racy window
	settle()
	db := filepath.Join(t.TempDir(), "site.db")
	ld := content.NewLoader(content.Dir(dir), content.Options{})
	u := NewUpdater(db)
	apply := func(t *testing.T) Applied {
		t.Helper()
		site, _, err := ld.Load(ctx)
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		a, err := u.Apply(ctx, site)
		if err != nil {
			t.Fatalf("apply: %v", err)
		}
		return a
	}
	if a := apply(t); a.Incremental || a.Unchanged {
		t.Fatalf("first apply: %+v, want a full import", a)
	}
	for _, c := range []struct {
		name        string
		change      func(t *testing.T)
		incremental bool
		records     int // written, when incremental (-1: any)
	}{
		{"a title", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "title: Apel na temat", "title: Apel w sprawie")
		}, true, 1},
		{"a text, with new words", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.en.md", "fire at the Moria camp”.", "fire at the Moria camp”. Zyzzyva quokka.")
		}, true, 1},
		{"the words taken out (as the spare, one version behind, has it)", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.en.md", " Zyzzyva quokka.", "")
		}, true, 0},
		{"the original set to expire (its translations follow)", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "kind: appeal\n", "kind: appeal\nexpires: 2099-01-01\n")
		}, true, 1},
		{"the expiry undone", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "kind: appeal\nexpires: 2099-01-01\n", "kind: appeal\n")
		}, true, 0},
		{"a body's name (meetings and declarations show it)", func(t *testing.T) {
			contenttest.Edit(t, dir, "bodies/ump.en.md", "Union of Polish Metropolises", "Union of the Polish Metropolises")
		}, true, -1},
		{"a section page's title", func(t *testing.T) {
			contenttest.Edit(t, dir, "pages/declarations.en.md", "title: ", "title: All ")
		}, true, -1},
		{"a page's text", func(t *testing.T) {
			contenttest.Edit(t, dir, "pages/about.uk.md", "\n\n", "\n\nТест.\n\n")
		}, true, -1},
		{"a declaration's date (its place in the search index)", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "date: 2020\n", "date: 2020-09\n")
		}, false, 0},
		{"a catalogue", func(t *testing.T) {
			contenttest.Edit(t, dir, "messages/en.yaml", "Search", "Find")
		}, false, 0},
		{"a meeting's text", func(t *testing.T) {
			contenttest.Edit(t, dir, "meetings/2022-12-16-komisja-zmp.pl.md", "Krak", "Krak")
			f := filepath.Join(dir, "meetings/2022-12-16-komisja-zmp.pl.md")
			b, _ := os.ReadFile(f)
			os.WriteFile(f, append(b, "\nDopisek.\n"...), 0o644)
		}, true, 1},
		{"the URL registry touched and a title edited: a full load, two records written", func(t *testing.T) {
			b, _ := os.ReadFile(filepath.Join(dir, "urls.txt"))
			os.WriteFile(filepath.Join(dir, "urls.txt"), append(b, "# a comment\n"...), 0o644)
			contenttest.Edit(t, dir, "declarations/2021-stanowisko-afganistan.pl.md", "title: ", "title: Tekst – ")
		}, true, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.change(t)
			settle()
			a := apply(t)
			if a.Incremental != c.incremental || c.incremental && c.records >= 0 && a.Records != c.records {
				t.Errorf("applied %+v, want incremental %v (%d records)", a, c.incremental, c.records)
			}
			site, err := content.Load(content.Dir(dir), content.Options{})
			if err != nil {
				t.Fatal(err)
			}
			fresh := filepath.Join(t.TempDir(), "fresh.db")
			if err := Import(ctx, fresh, site); err != nil {
				t.Fatal(err)
			}
			sameDatabases(t, db, fresh)
		})
	}

	// A cancelled update leaves the database as it was.
	before := dump(t, db)
	contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "title: Apel w sprawie", "title: Apel przerwany")
	settle()
	site, _, err := ld.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := u.Apply(cancelled, site); err == nil {
		t.Error("a cancelled Apply succeeded")
	}
	if after := dump(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("a cancelled Apply changed the database")
	}
	contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "title: Apel przerwany", "title: Apel w sprawie")
	settle()
	if a := apply(t); a.Incremental {
		t.Errorf("after a failed update: %+v, want a full import (the spare is not trusted)", a)
	}
	if a := apply(t); !a.Unchanged {
		t.Errorf("applied the same content again: %+v, want nothing done", a)
	}

	// A Store still reading the file the last update replaced (a request
	// of the server in flight) keeps the spare from being written: the
	// next version is imported, and the Store reads its own to the end.
	st, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	version := st.Version()
	contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "title: Apel w sprawie", "title: Apel o")
	settle()
	if a := apply(t); !a.Incremental {
		t.Fatalf("%+v, want an update", a)
	}
	contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "title: Apel o", "title: Apel do")
	settle()
	if a := apply(t); a.Incremental || a.Why != "the spare database is being read" {
		t.Errorf("with the spare being read: %+v, want a full import, for that reason", a)
	}
	var title string
	err = st.db.QueryRow("SELECT title FROM docs WHERE record_id = '2020-apel-moria' AND lang = 'pl'").Scan(&title)
	if err != nil || st.Version() != version || !strings.HasPrefix(title, "Apel w sprawie") {
		t.Errorf("the open Store reads %q (version %s), want its own version (%s), Apel w sprawie…: %v", title, st.Version(), version, err)
	}
}
