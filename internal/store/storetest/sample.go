package storetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/content/contenttest"
	"github.com/krakow/wspolpraca/static"
)

// Sample ids: the records of the Sample content, for tests to name.
const (
	SampleBody = "zwiazek"
	// SampleTeam is part of SampleBody, was set up in connection with
	// SampleReferred2 and is supported by the SampleOrganisations.
	SampleTeam    = "zwiazek-zespol"
	SampleMeeting = "2022-12-16-zwiazek"
	// SampleDeclaration refers to SampleReferred1 and SampleReferred2;
	// SampleUnrelated has no relation at all.
	SampleDeclaration = "2021-stanowisko"
	SampleReferred1   = "2015-stanowisko"
	SampleReferred2   = "2017-deklaracja"
	SampleUnrelated   = "2019-apel"
)

// SampleOrganisations are bodies that support SampleTeam. (With one body
// alone, SQLite's planner would scan the bodies table, a row, instead of
// reading it by key as it does the real content's.)
var SampleOrganisations = []string{"org-a", "org-b"}

// Sample loads a small content folder of its own, written into a
// temporary folder: the section pages, one body, one meeting and four
// declarations (SampleDeclaration refers to two of the others), in Polish
// and English. Tests of mechanisms use it rather than the real content,
// whose records change (pkgsite's internal/testing/sample).
func Sample(tb testing.TB) *content.Site {
	tb.Helper()
	dir := tb.TempDir()
	add := func(name, src string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	add("languages.yaml", contenttest.Languages)
	for _, tag := range []string{"pl", "en"} {
		b, err := os.ReadFile(filepath.Join(Root(tb), "content", "messages", tag+".yaml"))
		if err != nil {
			tb.Fatal(err)
		}
		add("messages/"+tag+".yaml", string(b))
	}
	contenttest.Sections(add)
	add("bodies/"+SampleBody+".pl.md", `---
id: `+SampleBody+`
title: Związek Miast
summary: Związek.
name: {pl: Związek Miast, en: Union of Cities}
kind: association
founded: 1990
published: 2026-11-25
---
Związek.
`)
	add("bodies/"+SampleBody+".en.md", `---
id: `+SampleBody+`
title: Union of Cities
summary: The union.
published: 2026-11-25
---
The union.
`)
	add("bodies/"+SampleTeam+".pl.md", `---
id: `+SampleTeam+`
title: Zespół Związku
summary: Zespół.
name: {pl: Zespół Związku, en: Team of the Union}
kind: team
parent: `+SampleBody+`
founded_in_connection_with: `+SampleReferred2+`
supported_by: [`+strings.Join(SampleOrganisations, ", ")+`]
published: 2026-11-25
---
Zespół.
`)
	add("bodies/"+SampleTeam+".en.md", "---\nid: "+SampleTeam+"\ntitle: Team of the Union\nsummary: The team.\npublished: 2026-11-25\n---\nThe team.\n")
	for _, id := range SampleOrganisations {
		add("bodies/"+id+".pl.md", "---\nid: "+id+"\ntitle: Organizacja "+id+"\nsummary: Organizacja.\nname: {pl: Organizacja "+id+", en: Organisation "+id+"}\nkind: organisation\npublished: 2026-11-25\n---\nOrganizacja.\n")
		add("bodies/"+id+".en.md", "---\nid: "+id+"\ntitle: Organisation "+id+"\nsummary: An organisation.\npublished: 2026-11-25\n---\nAn organisation.\n")
	}
	add("meetings/"+SampleMeeting+".pl.md", `---
id: `+SampleMeeting+`
title: Posiedzenie
summary: Posiedzenie w Krakowie.
body: `+SampleBody+`
date: 2022-12-16
place: Kraków
published: 2026-11-25
---
Posiedzenie.
`)
	add("meetings/"+SampleMeeting+".en.md", `---
id: `+SampleMeeting+`
title: Meeting
summary: A meeting in Kraków.
published: 2026-11-25
---
A meeting.
`)
	for _, d := range []struct{ id, date, refers string }{
		{SampleDeclaration, "2021-08", "refers_to: [" + SampleReferred1 + ", " + SampleReferred2 + "]\n"},
		{SampleReferred1, "2015", ""},
		{SampleReferred2, "2017-06", ""},
		{SampleUnrelated, "2019", ""},
	} {
		add("declarations/"+d.id+".pl.md", "---\nid: "+d.id+"\ntitle: Stanowisko "+d.id+"\nsummary: Stanowisko.\nkind: position\nbody: "+SampleBody+
			"\ndate: "+d.date+"\nauthor: Prezydenci miast\nlanguage: pl\ntext: full\nsignatories:\n  - name: Jan Kowalski\n    role: {pl: Prezydent, en: Mayor}\n"+
			d.refers+"published: 2026-11-25\n---\nPierwszy akapit.\n\nDrugi akapit.\n")
		add("declarations/"+d.id+".en.md", "---\nid: "+d.id+"\ntitle: Position "+d.id+"\nsummary: A position.\npublished: 2026-11-25\n---\nFirst paragraph.\n\nSecond paragraph.\n")
	}
	site, err := content.Load(os.DirFS(dir), content.Options{Assets: static.FS, RecordURLs: true})
	if err != nil {
		tb.Fatalf("loading the sample content:\n%v", err)
	}
	return site
}
