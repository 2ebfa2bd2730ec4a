// Package storetest gives tests a real, migrated SQLite database in a
// temporary folder, imported from the real content folder or any
// content.Site (like net/http/httptest gives a real server).
//
// It is for tests only: the site's code must not import it.
package storetest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/static"
)

// Root returns the repository's root folder, where go.mod is.
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("storetest: go.mod not found above the test's folder")
		}
		dir = parent
	}
}

// Content loads the real content/ folder, failing the test on any problem.
func Content(tb testing.TB, opts content.Options) *content.Site {
	tb.Helper()
	if opts.Assets == nil {
		opts.Assets = static.FS
	}
	site, err := content.Load(os.DirFS(filepath.Join(Root(tb), "content")), opts)
	if err != nil {
		tb.Fatalf("loading content/:\n%v", err)
	}
	return site
}

// Open imports site into a new database file in a temporary folder and
// opens it for reading; it is closed when the test ends. It returns the
// store and the file's path.
func Open(tb testing.TB, site *content.Site) (*store.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "site.db")
	if err := store.Import(context.Background(), path, site); err != nil {
		tb.Fatalf("Import: %v", err)
	}
	st, err := store.Open(path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() { st.Close() })
	return st, path
}

// Damaged imports site like Open, then runs update (SQL with its
// arguments, which must change a row) on the database file with a plain
// connection, as a damaged file or a bug of the import would leave it,
// and opens the result; it is closed when the test ends.
func Damaged(tb testing.TB, site *content.Site, update string, args ...any) *store.Store {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "site.db")
	if err := store.Import(context.Background(), path, site); err != nil {
		tb.Fatalf("Import: %v", err)
	}
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := db.Exec(update, args...)
	if err != nil {
		tb.Fatalf("%s: %v", update, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		tb.Fatalf("%s changed %d rows (%v)", update, n, err)
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	st, err := store.Open(path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}
