package content

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"testing/fstest"

	"github.com/krakow/wspolpraca/internal/lang"
)

// fixtureLanguages is the fixture's language registry: Polish and
// English, as in content/languages.yaml.
const fixtureLanguages = `languages:
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

// catalogue returns the site's message catalogue of tag: every label of the
// interface, which the fixture takes as it is.
func catalogue(tag string) []byte {
	b, err := os.ReadFile("../../content/messages/" + tag + ".yaml")
	if err != nil {
		panic(err)
	}
	return b
}

// registryOf reads the language registry of a content folder; it panics
// on a problem (a test's fixture is wrong).
func registryOf(fsys fs.FS) *lang.Registry {
	l := &loader{fsys: fsys}
	reg := l.readLanguages()
	if reg == nil {
		panic(fmt.Sprint(l.ps.list))
	}
	return reg
}

// testMarkdown is the renderer of the fixture's languages.
func testMarkdown() *markdown { return newMarkdown(registryOf(fixture())) }

// fixture returns a small, valid content folder: every section page, one
// body, one meeting and one declaration, each in Polish and English. Tests
// change one file to make one problem.
func fixture() fstest.MapFS {
	fsys := fstest.MapFS{}
	add := func(name, src string) { fsys[name] = &fstest.MapFile{Data: []byte(src)} }
	add("languages.yaml", fixtureLanguages)
	add("messages/pl.yaml", string(catalogue("pl")))
	add("messages/en.yaml", string(catalogue("en")))
	sections := []struct{ id, layout, pl, en string }{
		{"home", "home", "", ""},
		{"bodies", "bodies", "organizacje", "organisations"},
		{"meetings", "meetings", "spotkania", "meetings"},
		{"declarations", "declarations", "deklaracje", "declarations"},
		{"timeline", "timeline", "os-czasu", "timeline"},
		{"search", "search", "szukaj", "search"},
		{"data", "data", "dane", "data"},
		{"changes", "changes", "zmiany", "changes"},
	}
	for _, s := range sections {
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
	add("bodies/ump.pl.md", `---
id: ump
title: Unia Metropolii Polskich
summary: Unia.
name: {pl: Unia Metropolii Polskich, en: Union of Polish Metropolises}
kind: association
published: 2026-11-25
---
Unia.
`)
	add("bodies/ump.en.md", `---
id: ump
title: Union of Polish Metropolises
summary: The union.
published: 2026-11-25
---
The union.
`)
	add("meetings/2022-12-16-ump.pl.md", `---
id: 2022-12-16-ump
title: Posiedzenie
summary: Posiedzenie w Krakowie.
body: ump
date: 2022-12-16
place: Kraków
published: 2026-11-25
---
Posiedzenie.
`)
	add("meetings/2022-12-16-ump.en.md", `---
id: 2022-12-16-ump
title: Meeting
summary: A meeting in Kraków.
published: 2026-11-25
---
A meeting.
`)
	add("declarations/2021-stanowisko.pl.md", `---
id: 2021-stanowisko
title: Stanowisko
summary: Stanowisko z 2021 r.
kind: position
body: ump
date: 2021-08
author: Prezydenci miast UMP
language: pl
text: full
published: 2026-11-25
---
Pierwszy akapit.

Drugi akapit, zob. [posiedzenie](/spotkania/2022-12-16-ump).

> Cytat.

Czwarty akapit.
`)
	add("declarations/2021-stanowisko.en.md", `---
id: 2021-stanowisko
title: Position
summary: A 2021 position.
published: 2026-11-25
---
First paragraph.

Second paragraph, see the [meeting](/en/meetings/2022-12-16-ump).

> A quotation.

Fourth paragraph.
`)
	add("urls.txt", "# test registry\n/\n/en/\n/organizacje\n/en/organisations\n/spotkania\n/en/meetings\n/deklaracje\n/en/declarations\n"+
		"/os-czasu\n/en/timeline\n/szukaj\n/en/search\n/dane\n/en/data\n/organizacje/ump\n/en/organisations/ump\n"+
		"/spotkania/2022-12-16-ump\n/en/meetings/2022-12-16-ump\n/deklaracje/2021-stanowisko\n/en/declarations/2021-stanowisko\n/zmiany\n/en/changes\n/deklaracja-dostepnosci\n/en/accessibility-statement\n")
	return fsys
}

// with returns a copy of fsys with file name set to src (or removed when
// src is "").
func with(fsys fstest.MapFS, name, src string) fstest.MapFS {
	out := maps.Clone(fsys)
	if src == "" {
		delete(out, name)
		return out
	}
	out[name] = &fstest.MapFile{Data: []byte(src)}
	return out
}
