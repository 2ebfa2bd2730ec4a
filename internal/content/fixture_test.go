package content

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"testing/fstest"

	"github.com/krakow/wspolpraca/internal/content/contenttest"
	"github.com/krakow/wspolpraca/internal/lang"
)

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
	add("languages.yaml", contenttest.Languages)
	add("messages/pl.yaml", string(catalogue("pl")))
	add("messages/en.yaml", string(catalogue("en")))
	contenttest.Sections(add)
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
