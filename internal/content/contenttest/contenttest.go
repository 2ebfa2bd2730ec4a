// Package contenttest holds the parts of the small content folders that
// tests of mechanisms write instead of the real content (whose records
// change): a two-language registry and every section page. The content
// package's own fixture and storetest.Sample build on it.
//
// It is for tests only: the site's code must not import it, and it must
// not import any package of the site (the content package's tests use it).
package contenttest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Languages is a language registry (content/languages.yaml) of Polish,
// authoritative, and English, as the real one has them.
const Languages = `languages:
  - tag: pl
    name: Polski
    prefix: ""
    og_locale: pl_PL
    authoritative: true
    segments: {declaration_permalink: d, meeting_permalink: m, feed: atom.xml, calendar: kalendarz}
    params: {query: q, type: typ, body: gremium, year: rok, lang: jezyk, page: strona, all: wszystkie}
    search_types:
      - {param: strona, value: page}
      - {param: gremium, value: body}
      - {param: posiedzenie, value: meeting}
      - {param: deklaracja, value: declaration}
    stemming: {min_stem: 4, endings: [ami, ów, ie, y, i, a, e]}
  - tag: en
    name: English
    prefix: /en
    og_locale: en_GB
    fallback: [pl]
    complete: true
    segments: {declaration_permalink: d, meeting_permalink: m, feed: atom.xml, calendar: calendar}
    params: {query: q, type: type, body: body, year: year, lang: lang, page: page, all: all}
    search_types:
      - {param: page, value: page}
      - {param: body, value: body}
      - {param: meeting, value: meeting}
      - {param: declaration, value: declaration}
    stemming: {min_stem: 4, endings: [es, s]}
`

// Sections adds, with add(name, source), every section page in Polish and
// English (home, lists, timeline, search, data, changes) and the
// accessibility statement, all published on 2026-11-25.
func Sections(add func(name, src string)) {
	for _, s := range []struct{ id, layout, pl, en string }{
		{"home", "home", "", ""},
		{"bodies", "bodies", "organizacje", "organisations"},
		{"meetings", "meetings", "spotkania", "meetings"},
		{"declarations", "declarations", "deklaracje", "declarations"},
		{"timeline", "timeline", "os-czasu", "timeline"},
		{"search", "search", "szukaj", "search"},
		{"data", "data", "dane", "data"},
		{"changes", "changes", "zmiany", "changes"},
	} {
		slugPL, slugEN := "", ""
		if s.pl != "" {
			slugPL, slugEN = "slug: "+s.pl+"\n", "slug: "+s.en+"\n"
		}
		add("pages/"+s.id+".pl.md", fmt.Sprintf("---\nid: %s\ntitle: Strona %s\nsummary: Opis.\n%slayout: %s\npublished: 2026-11-25\n---\nTekst.\n", s.id, s.id, slugPL, s.layout))
		add("pages/"+s.id+".en.md", fmt.Sprintf("---\nid: %s\ntitle: Page %s\nsummary: About.\n%spublished: 2026-11-25\n---\nText.\n", s.id, s.id, slugEN))
	}
	add("pages/accessibility.pl.md", `---
id: accessibility
title: Deklaracja dostępności
summary: Deklaracja.
slug: deklaracja-dostepnosci
layout: accessibility
published: 2026-11-25
statement:
  entity: Gmina Miejska Kraków
  site_published: 2026-11-25
  site_updated: 2026-11-25
  status: compliant
  prepared: 2026-11-25
  method: samoocena
  contact: Koordynator
  email: a@example.org
  phone: 12 345 67 89
  architecture: Opis.
  communication: Opis.
---
`)
	add("pages/accessibility.en.md", "---\nid: accessibility\ntitle: Accessibility statement\nsummary: Statement.\nslug: accessibility-statement\npublished: 2026-11-25\n---\n")
}

// Edit replaces the first old with new in the file rel of the folder dir,
// as an editor saving it would; the test fails if the file has no old.
func Edit(t testing.TB, dir, rel, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", rel, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}
