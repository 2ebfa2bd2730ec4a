package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/store/storetest"
)

var now = store.Visibility{Now: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}

func TestImportAndRead(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	st, _ := storetest.Open(t, site)
	ctx := context.Background()

	if st.Version() != site.Version {
		t.Errorf("Version() = %q, want %q", st.Version(), site.Version)
	}
	doc, err := st.DocByPath(ctx, "/deklaracje/2021-stanowisko-afganistan", now)
	if err != nil {
		t.Fatalf("DocByPath: %v", err)
	}
	if doc.RecordID != "2021-stanowisko-afganistan" || doc.Lang != "pl" || doc.Type != "declaration" {
		t.Errorf("DocByPath = %+v", doc)
	}
	alt := map[string]string{}
	for _, a := range doc.Alternates {
		alt[a.Lang] = a.Path
	}
	if want := map[string]string{"en": "/en/declarations/2021-stanowisko-afganistan", "uk": "/uk/deklaratsii/2021-stanowisko-afganistan"}; !maps.Equal(alt, want) {
		t.Errorf("Alternates = %+v, want %v", doc.Alternates, want)
	}

	d, err := st.Declaration(ctx, "2021-stanowisko-afganistan", "pl", now)
	if err != nil {
		t.Fatalf("Declaration: %v", err)
	}
	if d.Date.From != date.MustParse("2021") || d.BodyLink.Path != "/organizacje/ump" || d.Body != "ump" {
		t.Errorf("Declaration date %v, body %q %+v", d.Date, d.Body, d.BodyLink)
	}
	if len(d.References) != 3 || len(d.RefersTo) != 3 {
		t.Errorf("References = %d records, RefersTo %d ids, want 3", len(d.References), len(d.RefersTo))
	}
	if got := d.In(d.Author); got == "" || got != d.Author["pl"] {
		t.Errorf("In(Author) = %q, want the Polish author %q", got, d.Author["pl"])
	}
	if len(d.Paragraphs) != 2 || d.Paragraphs[0].Anchor != "p-1" {
		t.Errorf("Paragraphs = %+v", d.Paragraphs)
	}

	// Relations are read both ways.
	old, err := st.Declaration(ctx, "2015-stanowisko-relokacja", "en", now)
	if err != nil {
		t.Fatalf("Declaration: %v", err)
	}
	if len(old.ReferredBy) != 1 || old.ReferredBy[0].Path != "/en/declarations/2021-stanowisko-afganistan" {
		t.Errorf("ReferredBy = %+v", old.ReferredBy)
	}
	team, err := st.Body(ctx, "ump-zespol-migracji", "en", now)
	if err != nil {
		t.Fatalf("Body: %v", err)
	}
	if len(team.Supporters) != 2 || len(team.SupportedBy) != 2 || team.ParentLink == nil || team.Parent == "" ||
		team.FoundedWithLink == nil || team.FoundedWith == "" {
		t.Errorf("Body = %+v", team)
	}
	if got := team.In(team.Name); got == "" || got != team.Name["en"] {
		t.Errorf("In(Name) = %q, want the English name %q", got, team.Name["en"])
	}

	m, err := st.Meeting(ctx, "2022-12-16-komisja-zmp", "pl", now)
	if err != nil {
		t.Fatalf("Meeting: %v", err)
	}
	if m.In(m.Place) != "Kraków" || m.Mode != "in_person" || len(m.Topics) != 3 {
		t.Errorf("Meeting = %+v", m)
	}

	if _, err := st.DocByPath(ctx, "/nie-ma", now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DocByPath(/nie-ma) = %v, want ErrNotFound", err)
	}
	if _, err := st.Declaration(ctx, "nie-ma", "pl", now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Declaration(nie-ma) = %v, want ErrNotFound", err)
	}
}

// TestFailedImportKeepsOldDatabase: an import that fails half-way leaves
// the database being served exactly as it was.
func TestFailedImportKeepsOldDatabase(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	_, path := storetest.Open(t, site)
	unchanged := keeps(t, path)

	// A declaration of a body that does not exist: the content check would
	// refuse it, so build it by hand; the database refuses it at commit.
	bad := *site
	bad.Version = "broken"
	d := *site.Declarations[0]
	d.ID, d.Body = "2099-zly", "nie-ma-takiego"
	d.Docs = map[string]*content.Doc{"pl": {Lang: "pl", Path: "/deklaracje/2099-zly", Title: "Zły", Published: date.MustParse("2026-11-25")}}
	bad.Declarations = append(append([]*content.Declaration{}, site.Declarations...), &d)

	err := store.Import(context.Background(), path, &bad)
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("Import(bad) = %v, want a FOREIGN KEY error", err)
	}
	unchanged("failed")
	v, err := store.ContentVersion(path)
	if err != nil || v != site.Version {
		t.Errorf("ContentVersion after failed import = %q, %v; want %q", v, err, site.Version)
	}
}

// keeps reads the database at path now, and returns a check that it is
// the same later, with no unfinished import left beside it.
func keeps(t *testing.T, path string) func(which string) {
	t.Helper()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return func(which string) {
		t.Helper()
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) {
			t.Errorf("the %s import changed the database file", which)
		}
		if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".import-*")); len(left) > 0 {
			t.Errorf("the %s import left %v behind", which, left)
		}
	}
}

// TestOpenIsASnapshot: a store keeps reading the content it was opened on
// after a new import replaces the file.
func TestOpenIsASnapshot(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	st, path := storetest.Open(t, site)
	changed := *site
	changed.Version = "newer"
	if err := store.Import(context.Background(), path, &changed); err != nil {
		t.Fatal(err)
	}
	if st.Version() != site.Version {
		t.Errorf("open store's version = %q, want the old %q", st.Version(), site.Version)
	}
	if _, err := st.DocByPath(context.Background(), "/", now); err != nil {
		t.Errorf("old store after re-import: %v", err)
	}
	st2, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if st2.Version() != "newer" {
		t.Errorf("new store's version = %q, want newer", st2.Version())
	}
}

func TestLists(t *testing.T) {
	site := storetest.Sample(t)
	langs := len(site.Languages.All())
	st, _ := storetest.Open(t, site)
	ctx := context.Background()
	ds, total, err := st.Declarations(ctx, store.DeclarationFilter{Lang: "en", PerPage: 2}, now)
	if err != nil {
		t.Fatal(err)
	}
	if total != len(site.Declarations) || len(ds) != 2 || ds[0].ID != storetest.SampleDeclaration || ds[0].Lang != "en" {
		t.Errorf("Declarations(en, 2 a page) = %d of %d, first %+v; want 2 of %d, first %s", len(ds), total, ds[0], len(site.Declarations), storetest.SampleDeclaration)
	}
	// Oldest first: the founding of the body (1990), then the
	// declarations, then the meeting (2022).
	tl, err := st.Timeline(ctx, "pl", now, 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(site.Declarations) + len(site.Meetings) + 1; len(tl) != want || tl[0].ID != storetest.SampleBody || tl[0].Date.From.Year != 1990 ||
		tl[len(tl)-1].ID != storetest.SampleMeeting || tl[len(tl)-1].Date.From.Year != 2022 {
		t.Errorf("Timeline from %s %v to %s %v, %d entries; want %d", tl[0].ID, tl[0].Date, tl[len(tl)-1].ID, tl[len(tl)-1].Date, len(tl), want)
	}
	records, err := st.SitemapRecords(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := st.Sitemap(ctx, now, 0, records)
	if err != nil {
		t.Fatal(err)
	}
	if len(sm) != langs*records {
		t.Errorf("sitemap of %d records has %d pages, want every language of each (%d)", records, len(sm), langs)
	}
	for _, e := range sm {
		if len(e.Alternates) != langs {
			t.Errorf("sitemap %s has %d language versions, want %d", e.Path, len(e.Alternates), langs)
		}
	}
	// In parts, the same pages, a record's versions always together.
	var parts []store.SitemapEntry
	for off := 0; off < records; off += 4 {
		part, err := st.Sitemap(ctx, now, off, 4)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, part...)
	}
	if len(parts) != len(sm) {
		t.Errorf("the sitemap in parts of 4 records has %d pages, whole %d", len(parts), len(sm))
	}
}

// TestCancelledImportKeepsOldDatabase: an import stopped by SIGTERM (a
// cancelled context) stops writing and leaves the database as it was.
func TestCancelledImportKeepsOldDatabase(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	_, path := storetest.Open(t, site)
	unchanged := keeps(t, path)
	next := *site
	next.Version = "next"
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := store.Import(ctx, path, &next)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Import(cancelled) = %v, want context.Canceled", err)
	}
	unchanged("cancelled")
}

// TestImportCancelledWhileWriting: SIGTERM during a long import (here, a
// context cancelled 20 ms into an import of 3,000 declarations, which
// takes some hundreds of milliseconds) stops it with context.Canceled, not
// with an error from a transaction rolled back underneath, and leaves the
// database as it was.
func TestImportCancelledWhileWriting(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	_, path := storetest.Open(t, site)
	unchanged := keeps(t, path)
	big := *site
	big.Version = "big"
	big.Declarations = append([]*content.Declaration{}, site.Declarations...)
	for i := range 3000 {
		d := *site.Declarations[0]
		d.ID, d.RefersTo = fmt.Sprintf("2099-kopia-%d", i), nil
		d.Docs = map[string]*content.Doc{"pl": {Lang: "pl", Path: "/deklaracje/" + d.ID, Title: "Kopia",
			Text: strings.Repeat("Tekst deklaracji. ", 200), Published: date.MustParse("2026-11-25")}}
		big.Declarations = append(big.Declarations, &d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	err := store.Import(ctx, path, &big)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Import cancelled after 20 ms = %v (returned after %s), want context.Canceled", err, time.Since(start))
	}
	unchanged("cancelled")
}

// TestLeftoversOfDeadProcessesRemoved: a server killed with -9 leaves its
// private copy of the database, an import killed half-way its unfinished
// file; the next Open or Import in the folder removes those of processes
// of this host that are gone, and keeps those of live ones and of other
// hosts (a folder shared by containers).
func TestLeftoversOfDeadProcessesRemoved(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	st, path := storetest.Open(t, site)
	dir := filepath.Dir(path)
	hostname, _ := os.Hostname()
	sum := sha256.Sum256([]byte(hostname))
	host := hex.EncodeToString(sum[:4])
	// Process ids above the kernel's limit (at most 2^22) never exist.
	dead := []string{".serve-" + host + "p999999999-0a1b2c-site.db", ".import-" + host + "p999999999-123.db"}
	kept := []string{
		fmt.Sprintf(".serve-%sp%d-0a1b2c-site.db", host, os.Getpid()), // this test
		".serve-" + host + "p1-0a1b2c-site.db",                        // init
		".import-00000000p999999999-123.db",                           // another host's
		".serve-0a1b2c3d4e5f-site.db",                                 // an older name
	}
	if host == "00000000" {
		t.Skip("this host's tag is the other host's of the test")
	}
	for _, name := range append(dead, kept...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Import(context.Background(), path, site); err != nil {
		t.Fatal(err)
	}
	for _, name := range dead {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s of a process that is gone is still there", name)
		}
	}
	for _, name := range kept {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s was removed: %v", name, err)
		}
	}
	if err := st.Ping(context.Background()); err != nil {
		t.Errorf("the open store stopped answering: %v", err)
	}
}
