package web_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/content/contenttest"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/web"
	"github.com/krakow/wspolpraca/static"
)

// contentCopy copies the real content folder to a temporary one that a
// test may change.
func contentCopy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(storetest.Root(t), "content"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// record adds paths to the content's urls.txt, as `make urls` does.
func record(t *testing.T, dir string, paths ...string) {
	t.Helper()
	// As `make urls` does: every address of the new files, in every
	// language.
	site, err := content.Load(os.DirFS(dir), content.Options{Assets: static.FS, RecordURLs: true, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if !slices.Contains(site.NewURLs, p) {
			t.Fatalf("make urls did not record %s: %v", p, site.NewURLs)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "urls.txt"), content.Registry(os.DirFS(dir), site.NewURLs), 0o644); err != nil {
		t.Fatal(err)
	}
}

// loader imports dir into db, as `serve` does on SIGHUP.
func loader(dir, db string, now func() time.Time) web.Loader {
	return func(ctx context.Context) (*store.Store, error) {
		site, err := content.Load(os.DirFS(dir), content.Options{Assets: static.FS, Now: now})
		if err != nil {
			return nil, err
		}
		if err := store.Import(ctx, db, site); err != nil {
			return nil, err
		}
		return store.Open(db)
	}
}

// TestReloadUnderLoad reloads valid and then invalid content while
// requests run: no request fails, the valid change is served at once, and
// after the invalid reload the last good content is still served and
// /healthz reports the problem.
func TestReloadUnderLoad(t *testing.T) {
	dir := contentCopy(t)
	db := filepath.Join(t.TempDir(), "site.db")
	now := func() time.Time { return testNow }
	first, err := loader(dir, db, now)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv, ts := startServer(t, first, web.Config{})

	var ok, failed atomic.Int64
	var failures sync.Map
	stop := make(chan struct{})
	var wg sync.WaitGroup
	paths := []string{"/", "/deklaracje/2021-stanowisko-afganistan", "/en/meetings", "/api/v1/declarations.json", "/sitemap.xml", "/os-czasu"}
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				p := paths[(i+n)%len(paths)]
				res, err := http.Get(ts.URL + p)
				if err != nil {
					failed.Add(1)
					failures.Store(p, err.Error())
					continue
				}
				res.Body.Close()
				if res.StatusCode != 200 {
					failed.Add(1)
					failures.Store(p, res.Status)
					continue
				}
				ok.Add(1)
			}
		}()
	}

	// progress waits until the clients have had n more answers, so each
	// reload happens under load however slow the machine.
	progress := func(n int64) {
		t.Helper()
		target := ok.Load() + failed.Load() + n
		deadline := time.Now().Add(60 * time.Second)
		for ok.Load()+failed.Load() < target {
			if time.Now().After(deadline) {
				t.Fatalf("the clients made no progress: %d answered", ok.Load())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	progress(30)
	contenttest.Edit(t, dir, "declarations/2021-stanowisko-afganistan.pl.md",
		"title: Stanowisko prezydentów miast UMP w sprawie uchodźców z Afganistanu",
		"title: Stanowisko prezydentów miast UMP w sprawie uchodźców z Afganistanu (poprawione)")
	if err := srv.Reload(context.Background(), loader(dir, db, now)); err != nil {
		t.Fatalf("valid reload: %v", err)
	}
	if h1 := text(get(t, ts, "/deklaracje/2021-stanowisko-afganistan").doc.Find("h1")); !strings.HasSuffix(h1, "(poprawione)") {
		t.Errorf("after the valid reload, h1 = %q", h1)
	}
	progress(30)

	contenttest.Edit(t, dir, "meetings/2022-12-16-komisja-zmp.pl.md", "date: 2022-12-16", "date: 2022-12-32")
	err = srv.Reload(context.Background(), loader(dir, db, now))
	var ps content.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("invalid reload = %v, want content problems", err)
	}
	progress(30)
	close(stop)
	wg.Wait()

	if h1 := text(get(t, ts, "/deklaracje/2021-stanowisko-afganistan").doc.Find("h1")); !strings.HasSuffix(h1, "(poprawione)") {
		t.Errorf("after the invalid reload, h1 = %q: the last good content is not served", h1)
	}
	if p := get(t, ts, "/spotkania/2022-12-16-komisja-zmp"); p.status != 200 {
		t.Errorf("after the invalid reload, the meeting answers %d", p.status)
	}
	health := get(t, ts, "/healthz")
	// /healthz reports the failure and the number of problems, not what
	// they say (files and values of records perhaps not yet public).
	if health.status != 200 || !strings.Contains(health.body, `"ok": false`) || !strings.Contains(health.body, `"problems": 1`) ||
		strings.Contains(health.body, "2022-12-32") || strings.Contains(health.body, "meetings/") {
		t.Errorf("/healthz after the invalid reload = %d\n%s", health.status, health.body)
	}
	failures.Range(func(k, v any) bool {
		t.Errorf("failed: %v %v", k, v)
		return true
	})
	t.Logf("%d requests answered, %d failed", ok.Load(), failed.Load())
	if failed.Load() != 0 || ok.Load() < 90 {
		t.Errorf("%d requests answered, %d failed; want many and none", ok.Load(), failed.Load())
	}
}

// TestDraftsAndScheduling: a draft is hidden on the live site and shown
// with a banner in the preview; a scheduled page appears at its publish
// time and answers 410 after it expires, with no rebuild.
func TestDraftsAndScheduling(t *testing.T) {
	dir := contentCopy(t)
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pages/projekt.pl.md", "---\nid: projekt\ntitle: Projekt strony\nsummary: Projekt.\nslug: projekt\ndraft: true\nuntranslated: true\npublished: 2026-11-25\n---\nProjekt.\n")
	write("pages/ogloszenie.pl.md", "---\nid: ogloszenie\ntitle: Ogłoszenie\nsummary: Ogłoszenie.\nslug: ogloszenie\nuntranslated: true\npublished: 2026-11-25\npublish: 2026-12-01 09:00\nexpires: 2026-12-31 18:00\n---\nOgłoszenie.\n")
	record(t, dir, "/ogloszenie") // scheduled addresses are recorded in advance
	clock := testNow              // 2026-11-25 12:00 UTC
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	set := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		var err error
		if clock, err = time.Parse(time.RFC3339, s); err != nil {
			t.Fatal(err)
		}
	}
	st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), now)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, live := startServer(t, st, web.Config{Now: now})
	if p := get(t, live, "/projekt"); p.status != 404 {
		t.Errorf("draft on the live site = %d, want 404", p.status)
	}
	for _, path := range []string{"/sitemap.xml", "/atom.xml", "/"} {
		if p := get(t, live, path); strings.Contains(p.body, "/projekt") || strings.Contains(p.body, "/ogloszenie") {
			t.Errorf("%s lists a draft or scheduled page", path)
		}
	}

	st2, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), now)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, preview := startServer(t, st2, web.Config{Now: now, Dev: true})
	p := get(t, preview, "/projekt")
	if p.status != 200 || !strings.Contains(text(p.doc.Find(".draft")), "Wersja robocza") {
		t.Errorf("draft in the preview = %d, banner %q", p.status, text(p.doc.Find(".draft")))
	}
	if p.doc.Find(`script[src="/_dev/reload.js"]`).Length() != 1 {
		t.Error("the preview's page has no reload script")
	}

	if p := get(t, live, "/ogloszenie"); p.status != 404 {
		t.Errorf("before its publish time: %d, want 404", p.status)
	}
	set("2026-12-01T07:59:00Z") // 08:59 in Kraków
	if p := get(t, live, "/ogloszenie"); p.status != 404 {
		t.Errorf("a minute before its publish time: %d, want 404", p.status)
	}
	set("2026-12-01T08:00:00Z") // 09:00 in Kraków
	if p := get(t, live, "/ogloszenie"); p.status != 200 {
		t.Errorf("at its publish time: %d, want 200", p.status)
	}
	if p := get(t, live, "/sitemap.xml"); !strings.Contains(p.body, "/ogloszenie") {
		t.Error("the sitemap does not list the page once published")
	}
	set("2026-12-31T17:00:00Z") // 18:00 in Kraków
	p = get(t, live, "/ogloszenie")
	if p.status != 410 || !strings.Contains(text(p.doc.Find("main")), "wycofana z serwisu 31 grudnia 2026 r.") {
		t.Errorf("after it expires: %d %q, want 410", p.status, text(p.doc.Find("main p")))
	}
}

// TestPreviewShowsProblems: in the preview, content problems replace every
// page until a save fixes them.
func TestPreviewShowsProblems(t *testing.T) {
	dir := contentCopy(t)
	db := filepath.Join(t.TempDir(), "site.db")
	now := func() time.Time { return testNow }
	st, err := loader(dir, db, now)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv, ts := startServer(t, st, web.Config{Now: now, Dev: true})
	contenttest.Edit(t, dir, "bodies/ump.pl.md", "kind: association", "kind: asociation")
	srv.Reload(context.Background(), loader(dir, db, now))
	p := get(t, ts, "/deklaracje")
	if !strings.Contains(text(p.doc.Find("main")), "bodies/ump.pl.md:10:7: kind: \"asociation\" is not allowed") {
		t.Errorf("preview while broken = %d\n%s", p.status, text(p.doc.Find("main")))
	}
	contenttest.Edit(t, dir, "bodies/ump.pl.md", "kind: asociation", "kind: association")
	if err := srv.Reload(context.Background(), loader(dir, db, now)); err != nil {
		t.Fatal(err)
	}
	if p := get(t, ts, "/deklaracje"); p.status != 200 || text(p.doc.Find("h1")) != "Deklaracje i stanowiska" {
		t.Errorf("preview after the fix = %d %q", p.status, text(p.doc.Find("h1")))
	}
	if p := get(t, ts, "/_dev/reload.js"); p.status != 200 || !strings.Contains(p.body, "EventSource") {
		t.Errorf("reload script = %d", p.status)
	}
	if !strings.Contains(get(t, ts, "/").header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Error("the preview's CSP does not allow its own script")
	}
}

// TestChangeHistory: a major change's note and date appear on the page, in
// its history and on the site's change history; the page's "last updated"
// date is the change's.
func TestChangeHistory(t *testing.T) {
	dir := contentCopy(t)
	contenttest.Edit(t, dir, "pages/about.pl.md", "published: 2026-11-25\n", "published: 2026-11-20\nchanges:\n  - date: 2026-11-24\n    note: Dodano opis dat.\n")
	contenttest.Edit(t, dir, "declarations/2021-stanowisko-afganistan.pl.md", "published: 2026-11-25\n", "published: 2026-11-21\nchanges:\n  - date: 2026-11-23\n    note: Poprawiono cytat.\n")
	st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), func() time.Time { return testNow })(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, ts := startServer(t, st, web.Config{})
	about := get(t, ts, "/o-serwisie")
	if got := text(about.doc.Find(".updated p")); !strings.Contains(got, "Ostatnia aktualizacja: 24 listopada 2026 r.") || !strings.Contains(got, "Pierwsza publikacja w serwisie: 20 listopada 2026 r.") {
		t.Errorf("about: %q", got)
	}
	if got := text(about.doc.Find("details.history")); !strings.Contains(got, "Historia zmian (2)") || !strings.Contains(got, "24 listopada 2026 r.: Dodano opis dat.") {
		t.Errorf("about's history: %q", got)
	}
	decl := get(t, ts, "/deklaracje/2021-stanowisko-afganistan")
	if got := text(decl.doc.Find(".record-facts .changes")); got != "23 listopada 2026 r.: Poprawiono cytat." {
		t.Errorf("declaration's changes: %q", got)
	}
	changes := get(t, ts, "/zmiany")
	items := changes.doc.Find("main .items li")
	if items.Length() < 20 {
		t.Errorf("/zmiany lists %d entries", items.Length())
	}
	// The newest entry first: the latest publication or change of any
	// Polish file.
	site, err := content.Load(os.DirFS(dir), content.Options{Assets: static.FS, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	var newest date.Date
	for _, d := range site.Docs() {
		if d.Lang == "pl" && d.Fallback == "" && d.Updated.Compare(newest) > 0 {
			newest = d.Updated
		}
	}
	first := text(items.First())
	if want := catalog.NewLabels(site.Catalogues["pl"]).FormatDate(newest); !strings.Contains(first, want) {
		t.Errorf("/zmiany starts with %q, want the newest (%s)", first, want)
	}
	if !strings.Contains(text(changes.doc.Find("main")), "O serwisie — Dodano opis dat.") {
		t.Error("/zmiany lacks the change note of /o-serwisie")
	}
}

// TestCloseDuringReload: a shutdown (Close) while a reload is importing
// waits for it, and the reloaded database is closed too: no store is left
// open, no private copy of a database file is left behind, and a reload
// after Close does nothing.
func TestCloseDuringReload(t *testing.T) {
	dir := t.TempDir()
	site := storetest.Content(t, content.Options{})
	db := filepath.Join(dir, "site.db")
	if err := store.Import(context.Background(), db, site); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Assets: static.FS, Logger: slog.New(slog.DiscardHandler)}, st)
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	reloaded := make(chan error, 1)
	go func() {
		reloaded <- srv.Reload(context.Background(), func(context.Context) (*store.Store, error) {
			close(started)
			<-release
			next := *site
			next.Version = "next"
			if err := store.Import(context.Background(), db, &next); err != nil {
				return nil, err
			}
			return store.Open(db)
		})
	}()
	<-started
	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	select {
	case err := <-closed:
		t.Error("Close returned while a reload was still importing")
		closed <- err
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if err := <-reloaded; err != nil {
		t.Fatalf("Reload: %v", err)
	}
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	called := false
	if err := srv.Reload(context.Background(), func(context.Context) (*store.Store, error) { called = true; return nil, errors.New("loaded") }); err == nil || called {
		t.Errorf("Reload after Close = %v (loader called: %v), want an error and no load", err, called)
	}
	// The stores close their private copies (.serve-*) when they close;
	// the one retired by the reload closes in the background.
	var left []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if left, _ = filepath.Glob(filepath.Join(dir, ".serve-*")); len(left) == 0 {
			break
		}
	}
	if len(left) > 0 {
		t.Errorf("after Close, stores still open: %v", left)
	}
}
