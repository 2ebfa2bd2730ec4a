package content

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/content/contenttest"
)

// walksWatching are the changes that make a watching Loader walk.
var walksWatching = map[string]bool{
	"a translation removed": true, "the translation back": true,
	"a new folder with a file": true, "the folder removed": true,
	"a stray file": true, "the stray file removed": true,
	"a file at the top": true, "the file at the top removed": true,
}

// loaderFolder copies the real content folder into a temporary one.
func loaderFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	settle()
	return dir
}

// settle waits until what changed is older than a load's racy window: a
// file changed within it is read again by the load after next too.
func settle() { time.Sleep(racyWindow + 50*time.Millisecond) }

// siteJSON is what a load gives, as compared: the site's exported fields,
// or its problems.
func siteJSON(t *testing.T, s *Site, err error) string {
	t.Helper()
	var v any = s
	if err != nil {
		ps, ok := err.(Problems)
		if !ok {
			t.Fatalf("load: %v", err)
		}
		v = ps
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLoaderMatchesLoad makes changes of every kind to a copy of the real
// content and checks, after each, that a Loader that has loaded the folder
// before gives what a fresh Load gives, and reads only what changed.
// With Watch, the Loader learns what changed from inotify instead of
// walking: the same changes, the same sites.
func TestLoaderMatchesLoad(t *testing.T) {
	t.Run("walking", func(t *testing.T) { testLoader(t, false) })
	t.Run("watching", func(t *testing.T) { testLoader(t, true) })
}

func testLoader(t *testing.T, watch bool) {
	dir := loaderFolder(t)
	ld := NewLoader(Dir(dir), Options{})
	if watch {
		if err := ld.Watch(dir); err != nil {
			t.Fatal(err)
		}
		defer ld.Close()
	}
	_, st, err := ld.Load(context.Background())
	if err != nil || !st.Full || st.Read != st.Files {
		t.Fatalf("first load: %v, %+v", err, st)
	}
	for _, c := range []struct {
		name   string
		change func(t *testing.T)
		read   int  // files read again; -1: any
		full   bool // a full load
	}{
		{"nothing changed", func(t *testing.T) {}, 0, false},
		{"a title", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "title: Apel na temat", "title: Apel w sprawie")
		}, 1, false},
		{"touched, same bytes", func(t *testing.T) {
			now := time.Now()
			os.Chtimes(filepath.Join(dir, "declarations/2020-apel-moria.en.md"), now, now)
		}, 1, false},
		{"same size, modification time put back", func(t *testing.T) {
			p := filepath.Join(dir, "declarations/2020-apel-moria.en.md")
			fi, _ := os.Stat(p)
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.en.md", "Appeal on", "Appeal in")
			os.Chtimes(p, fi.ModTime(), fi.ModTime())
		}, 1, false},
		{"the original drafted (its translations follow)", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "kind: appeal\n", "kind: appeal\ndraft: true\n")
		}, 1, false},
		{"the draft undone", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "kind: appeal\ndraft: true\n", "kind: appeal\n")
		}, 1, false},
		{"a broken link (problems)", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "(/deklaracje/2021-stanowisko-afganistan)", "(/deklaracje/2021-nie-ma)")
		}, 1, false},
		{"the link mended", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "(/deklaracje/2021-nie-ma)", "(/deklaracje/2021-stanowisko-afganistan)")
		}, 1, false},
		{"a section's slug (every declaration's address)", func(t *testing.T) {
			contenttest.Edit(t, dir, "pages/declarations.pl.md", "slug: deklaracje", "slug: teksty")
		}, 1, false},
		{"the slug put back", func(t *testing.T) {
			contenttest.Edit(t, dir, "pages/declarations.pl.md", "slug: teksty", "slug: deklaracje")
		}, 1, false},
		{"a translation removed", func(t *testing.T) {
			os.Rename(filepath.Join(dir, "declarations/2020-apel-moria.uk.md"), filepath.Join(dir, "uk.md.bak"))
		}, 0, false},
		{"the translation back", func(t *testing.T) {
			os.Rename(filepath.Join(dir, "uk.md.bak"), filepath.Join(dir, "declarations/2020-apel-moria.uk.md"))
		}, 1, false},
		{"saved as editors do: a new file renamed over the old", func(t *testing.T) {
			p := filepath.Join(dir, "declarations/2020-apel-moria.en.md")
			b, _ := os.ReadFile(p)
			os.WriteFile(p+".tmp", []byte(strings.Replace(string(b), "Appeal in", "Appeal on", 1)), 0o644)
			os.Rename(p+".tmp", p)
		}, 1, false},
		{"an editor's temporary file, made and removed", func(t *testing.T) {
			p := filepath.Join(dir, "declarations/4913")
			os.WriteFile(p, nil, 0o644)
			os.Remove(p)
		}, 0, false},
		{"a hidden swap file, made and removed", func(t *testing.T) {
			p := filepath.Join(dir, "declarations/.2020-apel-moria.pl.md.swp")
			os.WriteFile(p, []byte("x"), 0o644)
			os.Remove(p)
		}, 0, false},
		{"a stray file", func(t *testing.T) {
			os.WriteFile(filepath.Join(dir, "declarations/notes.txt"), []byte("x"), 0o644)
		}, 1, false},
		{"the stray file removed", func(t *testing.T) {
			os.Remove(filepath.Join(dir, "declarations/notes.txt"))
		}, 0, false},
		{"a file at the top", func(t *testing.T) {
			os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
		}, 0, false},
		{"the file at the top removed", func(t *testing.T) {
			os.Remove(filepath.Join(dir, "notes.txt"))
		}, 0, false},
		{"a new folder with a file", func(t *testing.T) {
			os.Mkdir(filepath.Join(dir, "declarations/more"), 0o755)
			os.WriteFile(filepath.Join(dir, "declarations/more/x.md"), []byte("x"), 0o644)
		}, -1, false},
		{"the folder removed", func(t *testing.T) {
			os.RemoveAll(filepath.Join(dir, "declarations/more"))
		}, 0, false},
		{"another edit of the same file", func(t *testing.T) {
			contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "title: Apel w sprawie", "title: Apel X sprawie")
		}, 1, false},
		{"a catalogue", func(t *testing.T) {
			contenttest.Edit(t, dir, "messages/en.yaml", "Search", "Find")
		}, -1, true},
		{"the URL registry", func(t *testing.T) {
			b, _ := os.ReadFile(filepath.Join(dir, "urls.txt"))
			os.WriteFile(filepath.Join(dir, "urls.txt"), append(b, "# a comment\n"...), 0o644)
		}, -1, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.change(t)
			settle()
			s, st, err := ld.Load(context.Background())
			got := siteJSON(t, s, err)
			ws, werr := Load(Dir(dir), Options{})
			want := siteJSON(t, ws, werr)
			if got != want {
				t.Errorf("the Loader's site differs from Load's:\n got %.600s\nwant %.600s", got, want)
			}
			if st.Full != c.full || (c.read >= 0 && st.Read != c.read) {
				t.Errorf("read %d of %d files (full: %v), want %d (full: %v)", st.Read, st.Files, st.Full, c.read, c.full)
			}
			// Watching, the folder is walked only when files were
			// added or removed.
			if walks := !watch || c.full || walksWatching[c.name]; st.Walked != walks {
				t.Errorf("walked the folder: %v, want %v", st.Walked, walks)
			}
		})
	}
}

// TestLoaderRereadsProblems: a file that had a problem is read again at
// every load, though unchanged: a date in the future is not, a day later.
func TestLoaderRereadsProblems(t *testing.T) {
	dir := loaderFolder(t)
	now := time.Now()
	ld := NewLoader(Dir(dir), Options{Now: func() time.Time { return now }})
	if _, _, err := ld.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	tomorrow := now.AddDate(0, 0, 1).Format("2006-01-02")
	contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "published: 2026-11-25", "published: "+tomorrow)
	settle()
	if _, _, err := ld.Load(context.Background()); err == nil || !strings.Contains(err.Error(), "is in the future") {
		t.Fatalf("a page published tomorrow: %v, want a problem", err)
	}
	now = now.AddDate(0, 0, 2)
	if _, st, err := ld.Load(context.Background()); err != nil || st.Read != 1 {
		t.Errorf("two days later, unchanged: %v (read %d files), want the page, read again", err, st.Read)
	}
}

// TestLoaderWatchFails: a folder the watcher cannot watch makes the Loader
// walk, not fail.
func TestLoaderWatchFails(t *testing.T) {
	dir := loaderFolder(t)
	ld := NewLoader(Dir(dir), Options{})
	if err := ld.Watch(dir); err != nil {
		t.Fatal(err)
	}
	ld.watch.close() // every watch it adds fails now
	if _, st, err := ld.Load(context.Background()); err != nil || !st.Walked || st.Unwatched == "" {
		t.Fatalf("load: %v, %+v, want a walk, and why it does not watch", err, st)
	}
	contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "title: Apel na temat", "title: Apel w sprawie")
	settle()
	if _, st, err := ld.Load(context.Background()); err != nil || !st.Walked || st.Read != 1 {
		t.Errorf("after an edit: %v, %+v, want the folder walked and one file read", err, st)
	}
}

// TestLoaderRootSwitched: the content folder is a symbolic link switched
// to another release; the watching Loader sees the new folder.
func TestLoaderRootSwitched(t *testing.T) {
	a := loaderFolder(t)
	b := loaderFolder(t)
	contenttest.Edit(t, b, "declarations/2020-apel-moria.pl.md", "title: Apel na temat", "title: Apel w sprawie")
	link := filepath.Join(t.TempDir(), "content")
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	ld := NewLoader(Dir(link), Options{})
	if err := ld.Watch(link); err != nil {
		t.Fatal(err)
	}
	defer ld.Close()
	if _, _, err := ld.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	next := link + ".new"
	os.Symlink(b, next)
	if err := os.Rename(next, link); err != nil {
		t.Fatal(err)
	}
	settle()
	s, st, err := ld.Load(context.Background())
	if err != nil || !st.Walked {
		t.Fatalf("load after the switch: %v, %+v, want a walk", err, st)
	}
	want, werr := Load(Dir(b), Options{})
	if got := siteJSON(t, s, err); got != siteJSON(t, want, werr) {
		t.Error("after the switch the Loader's site is not the new folder's")
	}
}

// TestLoaderCatalogueSavedDuringLoad: a catalogue saved while a load reads
// the records is not that load's (it read the catalogues before), and
// its version says so: the next load, with the new catalogue, has another
// version. (Hashing the catalogue from the disk at the end of the load
// gave the old text the new text's version, which the database then
// kept.)
func TestLoaderCatalogueSavedDuringLoad(t *testing.T) {
	for _, watch := range []bool{false, true} {
		dir := loaderFolder(t)
		armed := false
		ld := NewLoader(Dir(dir), Options{Progress: func(done, total int) {
			if armed {
				armed = false
				contenttest.Edit(t, dir, "messages/en.yaml", "Search", "Find")
			}
		}})
		if watch {
			if err := ld.Watch(dir); err != nil {
				t.Fatal(err)
			}
			defer ld.Close()
		}
		if _, _, err := ld.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		contenttest.Edit(t, dir, "declarations/2020-apel-moria.pl.md", "title: Apel na temat", "title: Apel w sprawie")
		settle()
		armed = true
		during, _, err := ld.Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		settle()
		after, st, err := ld.Load(context.Background())
		if err != nil || !st.Full {
			t.Fatalf("the load after: %v, %+v, want a full load", err, st)
		}
		fresh, err := Load(Dir(dir), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if during.Version == after.Version || after.Version != fresh.Version {
			t.Errorf("watching %v: versions %s during the save, %s after, %s fresh: want the first to differ, the last two equal", watch, during.Version, after.Version, fresh.Version)
		}
		if siteJSON(t, after, nil) != siteJSON(t, fresh, nil) {
			t.Errorf("watching %v: the load after the save differs from a fresh one", watch)
		}
	}
}
