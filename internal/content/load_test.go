package content

import (
	"errors"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestLoadFixture(t *testing.T) {
	site, err := Load(fixture(), Options{})
	if err != nil {
		t.Fatalf("Load(fixture) = %v", err)
	}
	if got := len(site.Docs()); got != 24 {
		t.Errorf("Load(fixture): %d documents, want 24", got)
	}
	d := site.Declarations[0].Docs["en"]
	if d.Path != "/en/declarations/2021-stanowisko" {
		t.Errorf("English declaration path = %q", d.Path)
	}
	if got := site.Meetings[0].Docs["pl"].Path; got != "/spotkania/2022-12-16-ump" {
		t.Errorf("Polish meeting path = %q", got)
	}
	if site.Version == "" {
		t.Error("Load(fixture): empty version")
	}
}

// TestLoadRealContent loads the real content folder: it must have no
// problems at all.
func TestLoadRealContent(t *testing.T) {
	site, err := Load(os.DirFS("../../content"), Options{})
	if err != nil {
		t.Fatalf("Load(content/):\n%v", err)
	}
	if len(site.Declarations) < 4 || len(site.Meetings) < 1 || len(site.Bodies) < 2 {
		t.Errorf("content/ has %d declarations, %d meetings, %d bodies", len(site.Declarations), len(site.Meetings), len(site.Bodies))
	}
}

// TestBadContent shows each kind of bad content refused with the exact
// file:line:col an editor's tool can jump to.
func TestBadContent(t *testing.T) {
	const decl = "declarations/2021-stanowisko.pl.md"
	const body = `---
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
Tekst.
`
	for _, tc := range []struct {
		name string
		file string
		src  string
		want []string
	}{
		{
			name: "broken YAML",
			file: decl,
			src:  strings.Replace(body, "title: Stanowisko\n", "title: [Stanowisko\n", 1),
			// goccy/go-yaml reports where it found the flow sequence unclosed.
			want: []string{decl + ":4:1: ',' or ']' must be specified (check the YAML syntax"},
		},
		{
			name: "a key twice",
			file: decl,
			src:  strings.Replace(body, "summary:", "title: Drugi\nsummary:", 1),
			want: []string{decl + `:4:1: mapping key "title" already defined at line 3 (check the YAML syntax`},
		},
		{
			name: "unknown key",
			file: decl,
			src:  strings.Replace(body, "title:", "titel:", 1),
			want: []string{
				decl + `:3:1: unknown field "titel": did you mean "title"?`,
			},
		},
		{
			name: "missing required field",
			file: decl,
			src:  strings.Replace(body, "date: 2021-08\n", "", 1),
			want: []string{decl + `:1:1: missing required field "date": When it was adopted or signed, only as precisely as the source says: 2015, 2021-08, 2017-06-29/2017-06-30.`},
		},
		{
			name: "impossible date",
			file: decl,
			src:  strings.Replace(body, "date: 2021-08", "date: 2022-02-30", 1),
			want: []string{decl + `:7:7: date: "2022-02-30" is not a real date: February 2022 has 28 days`},
		},
		{
			name: "a title cut by a comment",
			file: decl,
			src:  strings.Replace(body, "title: Stanowisko", "title: Apel nr #2 na temat", 1),
			want: []string{decl + `:3:8: title: YAML reads the text after " #" as a comment, so the value would be cut to "Apel nr": put the whole value in quotes`},
		},
		{
			name: "a label cut by a comment",
			file: decl,
			src:  strings.Replace(body, "author: Prezydenci miast UMP", "author: {pl: Prezydenci, en: Mayors}\nsignatories:\n  - name: Jan Nowak #1\n    role: Prezydent", 1),
			want: []string{decl + `:10:11: signatories.0.name: YAML reads the text after " #" as a comment, so the value would be cut to "Jan Nowak"`},
		},
		{
			name: "value not allowed",
			file: decl,
			src:  strings.Replace(body, "kind: position", "kind: manifesto", 1),
			want: []string{decl + `:5:7: kind: "manifesto" is not allowed; use one of declaration, position, appeal`},
		},
		{
			name: "duplicate id",
			file: "declarations/2021-kopia.pl.md",
			src:  body,
			want: []string{`declarations/2021-kopia.pl.md:2:5: id "2021-stanowisko" does not match the file name`},
		},
		{
			name: "duplicate id in another type",
			file: "meetings/2021-stanowisko.pl.md",
			src:  "---\nid: 2021-stanowisko\ntitle: X\nsummary: X.\nbody: ump\ndate: 2022-12-16\nplace: Kraków\npublished: 2026-11-25\nuntranslated: true\n---\n",
			want: []string{`meetings/2021-stanowisko.pl.md:2:5: id "2021-stanowisko" is already used by declarations/2021-stanowisko.pl.md: ids are unique across the whole site`},
		},
		{
			name: "link to a page that does not exist",
			file: decl,
			src:  body + "\nZob. [stanowisko](/deklaracje/2021-stanowisk).\n",
			want: []string{decl + `:15:6: link to /deklaracje/2021-stanowisk: there is no such page: did you mean /deklaracje/2021-stanowisko?`},
		},
		{
			name: "link to a missing paragraph",
			file: decl,
			src:  body + "\nZob. [akapit](/en/declarations/2021-stanowisko#p-9).\n",
			want: []string{decl + `:15:6: link to /en/declarations/2021-stanowisko#p-9: declarations/2021-stanowisko.en.md has no heading or paragraph #p-9`},
		},
		{
			name: "unclosed front matter",
			file: decl,
			src:  strings.Replace(body, "---\nTekst.", "Tekst.", 1),
			want: []string{decl + `:1:1: the front matter opened here is never closed: add a line --- after its last field`},
		},
		{
			name: "no front matter",
			file: decl,
			src:  "Tekst bez nagłówka.\n",
			want: []string{decl + `:1:1: the file must start with front matter`},
		},
		{
			name: "raw HTML",
			file: decl,
			src:  body + "\n<script>alert(1)</script>\n",
			want: []string{decl + `:15:1: raw HTML is not allowed in Markdown`},
		},
		{
			name: "fact in the English file",
			file: "declarations/2021-stanowisko.en.md",
			src:  "---\nid: 2021-stanowisko\ntitle: Position\nsummary: A position.\ndate: 2021-08\npublished: 2026-11-25\n---\nText.\n",
			want: []string{`declarations/2021-stanowisko.en.md:5:1: field "date" belongs only in the Polish file`},
		},
		{
			name: "missing translation",
			file: "declarations/2021-stanowisko.en.md",
			src:  "",
			want: []string{decl + `:1:1: no English translation: add declarations/2021-stanowisko.en.md, or list en under untranslated`},
		},
		{
			name: "unknown body",
			file: decl,
			src:  strings.Replace(body, "body: ump", "body: umpp", 1),
			want: []string{decl + `:6:7: body: there is no body with id "umpp": did you mean "ump"?`},
		},
		{
			name: "a reference listed twice",
			file: decl,
			src:  strings.Replace(body, "text: full\n", "text: full\nrefers_to: [2021-stanowisko, 2021-stanowisko]\n", 1),
			want: []string{decl + `:11:30: refers_to: "2021-stanowisko" is listed twice: remove one`},
		},
		{
			name: "a label in one language only",
			file: decl,
			src:  strings.Replace(body, "author: Prezydenci miast UMP\n", "author:\n  pl: Prezydenci miast UMP\n", 1),
			// Where the mapping starts, at its first key.
			want: []string{decl + `:9:3: author: give en too (every complete language), or one plain text for every language`},
		},
		{
			name: "an optional label left empty",
			file: decl,
			src:  strings.Replace(body, "author: Prezydenci miast UMP", `author: ""`, 1),
			want: []string{decl + `:8:9: author is empty: write it, or leave the field out`},
		},
		{
			name: "a required label left empty",
			file: "bodies/ump.pl.md",
			src:  strings.Replace(string(fixture()["bodies/ump.pl.md"].Data), "name: {pl: Unia Metropolii Polskich, en: Union of Polish Metropolises}", "name: ''", 1),
			want: []string{`bodies/ump.pl.md:5:7: name is empty: write it, in each language if they differ`},
		},
		{
			name: "image without alt text",
			file: decl,
			src:  body + "\n![](/static/img/x.png)\n",
			want: []string{decl + `:15:1: image /static/img/x.png has no alt text`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(with(fixture(), tc.file, tc.src), Options{})
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load = %v, want Problems", err)
			}
			got := ps.Error()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Load problems:\n%s\nwant a line starting %q", got, w)
				}
			}
		})
	}
}

// TestAllProblemsAtOnce shows that every problem is reported in one run,
// across files.
func TestAllProblemsAtOnce(t *testing.T) {
	fsys := with(fixture(), "bodies/ump.en.md", "---\nid: ump\ntitel: X\n---\n")
	fsys = with(fsys, "meetings/2022-12-16-ump.pl.md", "---\nid: 2022-12-16-ump\n")
	_, err := Load(fsys, Options{})
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load = %v, want Problems", err)
	}
	files := map[string]bool{}
	for _, p := range ps {
		files[p.File] = true
	}
	if !files["bodies/ump.en.md"] || !files["meetings/2022-12-16-ump.pl.md"] {
		t.Errorf("Load reported problems in %v, want both broken files:\n%v", files, ps)
	}
}

// TestRawHTMLNeverRendered shows raw HTML dropped from the output even
// though the loader also reports it.
func TestRawHTMLNeverRendered(t *testing.T) {
	r := testMarkdown().render([]byte("Tekst <b onclick=\"x()\">pogrubiony</b>\n\n<script>alert(1)</script>\n\n[klik](javascript:alert(1))\n"), "pl", false)
	for _, bad := range []string{"<script", "onclick", "<b", "javascript:"} {
		if strings.Contains(r.HTML, bad) {
			t.Errorf("render kept %q:\n%s", bad, r.HTML)
		}
	}
	if len(r.Problems) != 3 {
		t.Errorf("render reported %d problems, want 3 (two raw HTML tags and a block): %v", len(r.Problems), r.Problems)
	}
}

func TestHeadingIDsKeepPolishWords(t *testing.T) {
	r := testMarkdown().render([]byte("## Pomoc dla uchodźców\n\n## Łódź i Kraków\n\n## Pomoc dla uchodźców\n"), "pl", false)
	for _, id := range []string{`id="pomoc-dla-uchodzcow"`, `id="lodz-i-krakow"`, `id="pomoc-dla-uchodzcow-1"`} {
		if !strings.Contains(r.HTML, id) {
			t.Errorf("render: no %s in\n%s", id, r.HTML)
		}
	}
}

func TestUnicodeColumns(t *testing.T) {
	// Columns count characters, not bytes: "Zażółć " is 7 characters.
	fsys := with(fixture(), "declarations/2021-stanowisko.en.md", "")
	fsys = with(fsys, "declarations/2021-stanowisko.pl.md", "---\nid: 2021-stanowisko\ntitle: S\nsummary: S.\nkind: position\nbody: ump\ndate: 2021\nauthor: A\ntext: none\nuntranslated: true\npublished: 2026-11-25\n---\nZażółć [x](/brak).\n")
	_, err := Load(fsys, Options{})
	if err == nil || !strings.Contains(err.Error(), "declarations/2021-stanowisko.pl.md:13:8: link to /brak") {
		t.Errorf("Load = %v, want the link at 13:8", err)
	}
}

// TestURLRegistry: a published URL must keep answering, and aliases must
// not collide.
func TestURLRegistry(t *testing.T) {
	const body = "bodies/ump.pl.md"
	moved := "---\nid: ump\ntitle: Unia\nsummary: Unia.\nslug: unia\nname: {pl: Unia, en: Union}\nkind: association\npublished: 2026-11-25\n---\n"
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		want string // "" for no problem
	}{
		{
			name: "moved without alias",
			fsys: with(fixture(), body, moved),
			want: "urls.txt:16:1: /organizacje/ump was published and no page answers it any more: add it to the aliases of the page that replaced it, so that it answers 301",
		},
		{
			name: "moved with alias",
			fsys: with(with(fixture(), body, strings.Replace(moved, "slug: unia\n", "slug: unia\naliases: [/organizacje/ump]\n", 1)),
				"urls.txt", string(fixture()["urls.txt"].Data)+"/organizacje/unia\n"),
		},
		{
			name: "deleted record",
			fsys: with(with(fixture(), "meetings/2022-12-16-ump.pl.md", ""), "meetings/2022-12-16-ump.en.md", ""),
			want: "urls.txt:18:1: /spotkania/2022-12-16-ump was published and no page answers it any more",
		},
		{
			name: "alias is a live page",
			fsys: with(fixture(), body, strings.Replace(moved, "slug: unia\n", "slug: ump\naliases: [/deklaracje]\n", 1)),
			want: "bodies/ump.pl.md:6:11: alias /deklaracje is the current address of pages/declarations.pl.md: an old URL cannot also be a live page",
		},
		{
			name: "alias of two pages",
			fsys: with(with(fixture(), body, strings.Replace(moved, "slug: unia\n", "slug: ump\naliases: [/stara]\n", 1)),
				"bodies/ump.en.md", "---\nid: ump\ntitle: Union\nsummary: U.\naliases:\n  - /stara\npublished: 2026-11-25\n---\n"),
			want: "bodies/ump.en.md:6:5: alias /stara is already an alias of bodies/ump.pl.md: one old URL can lead to one page only",
		},
		{
			name: "alias listed twice",
			fsys: with(fixture(), body, strings.Replace(moved, "slug: unia\n", "slug: ump\naliases: [/stara, /stara/]\n", 1)),
			want: "bodies/ump.pl.md:6:19: alias /stara is listed twice: remove one",
		},
		{
			name: "alias ending as a citation download",
			fsys: with(fixture(), body, strings.Replace(moved, "slug: unia\n", "slug: ump\naliases: [/stara.bib]\n", 1)),
			want: "bodies/ump.pl.md:6:11: alias /stara.bib is a path the site itself uses",
		},
		{
			name: "page at an address of the program",
			fsys: with(fixture(), "pages/zdrowie.pl.md", "---\nid: zdrowie\ntitle: Zdrowie\nsummary: Z.\nslug: healthz\nuntranslated: true\npublished: 2026-11-25\n---\nZ.\n"),
			want: "pages/zdrowie.pl.md:5:7: the URL /healthz is an address the site itself uses: choose another slug",
		},
		{
			name: "new page not recorded",
			fsys: with(with(fixture(), "pages/o-nas.pl.md", "---\nid: o-nas\ntitle: O nas\nsummary: O nas.\nslug: o-nas\nuntranslated: true\npublished: 2026-11-25\n---\n"), "urls.txt", string(fixture()["urls.txt"].Data)),
			want: "pages/o-nas.pl.md:1:1: the address /o-nas is not in urls.txt yet: run `make urls` to record it",
		},
		{
			name: "published page made a draft",
			fsys: with(fixture(), body, strings.Replace(moved, "slug: unia\n", "slug: ump\ndraft: true\n", 1)),
			want: "bodies/ump.pl.md:6:8: this page was published at /organizacje/ump (urls.txt:16): it cannot become a draft; to withdraw it, set expires",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.fsys, Options{})
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Load = %v, want no problem", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Load = %v\nwant a problem %q", err, tc.want)
			}
		})
	}
}

// TestParagraphAnchorsStable: editing one paragraph of a declaration leaves
// every other paragraph's anchor and number as they were; a paragraph
// inserted with {#p-2a} moves none of the others.
func TestParagraphAnchorsStable(t *testing.T) {
	const file = "declarations/2021-stanowisko.pl.md"
	paragraphs := func(fsys fstest.MapFS) map[string]string {
		t.Helper()
		site, err := Load(fsys, Options{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, p := range site.Declarations[0].Docs["pl"].Paragraphs {
			out[p.Anchor] = p.Text
		}
		return out
	}
	orig := string(fixture()[file].Data)
	before := paragraphs(fixture())
	if len(before) != 4 || before["p-1"] != "Pierwszy akapit." || before["p-3"] != "Cytat." {
		t.Fatalf("fixture paragraphs = %v", before)
	}

	edited := strings.Replace(orig, "Drugi akapit, zob.", "Drugi akapit, poprawiony, zob.", 1)
	after := paragraphs(with(fixture(), file, edited))
	for anchor, text := range before {
		if anchor == "p-2" {
			if !strings.Contains(after[anchor], "poprawiony") {
				t.Errorf("edited p-2 = %q", after[anchor])
			}
			continue
		}
		if after[anchor] != text {
			t.Errorf("after editing p-2, %s = %q, want %q", anchor, after[anchor], text)
		}
	}

	inserted := strings.Replace(orig, "\n> Cytat.", "\nWstawiony akapit. {#p-2a}\n\n> Cytat.", 1)
	after = paragraphs(with(fixture(), file, inserted))
	if after["p-2a"] != "Wstawiony akapit." {
		t.Errorf("inserted paragraph = %q (all: %v)", after["p-2a"], after)
	}
	for anchor, text := range before {
		if after[anchor] != text {
			t.Errorf("after inserting p-2a, %s = %q, want %q", anchor, after[anchor], text)
		}
	}

	dup := strings.Replace(orig, "Czwarty akapit.", "Czwarty akapit. {#p-2}", 1)
	if _, err := Load(with(fixture(), file, dup), Options{}); err == nil || !strings.Contains(err.Error(), file+":19:1: paragraph number 2 is used twice") {
		t.Errorf("Load with a repeated number = %v", err)
	}
	for _, marker := range []string{"{#p-0}", "{#p-02}"} {
		bad := strings.Replace(orig, "Czwarty akapit.", "Czwarty akapit. "+marker, 1)
		if _, err := Load(with(fixture(), file, bad), Options{}); err == nil || !strings.Contains(err.Error(), file+":19:1: "+marker+": paragraph numbers start at 1, without a leading zero") {
			t.Errorf("Load with %s = %v", marker, err)
		}
	}
}

// Version, which reads the files without parsing them, agrees with Load,
// and changes when any content file does.
func TestVersion(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{"fixture": fixture()} {
		site, err := Load(fsys, Options{})
		if err != nil {
			t.Fatal(err)
		}
		v, err := Version(fsys)
		if err != nil || v != site.Version {
			t.Errorf("%s: Version = %q, %v; Load's version %q", name, v, err, site.Version)
		}
		// A change to a content file, to the registry or to a catalogue
		// is a new version (and Load agrees).
		for _, p := range []string{"declarations/2021-stanowisko.en.md", "languages.yaml", "messages/en.yaml"} {
			changed := fstest.MapFS{}
			maps.Copy(changed, fsys)
			changed[p] = &fstest.MapFile{Data: append(slices.Clone(fsys[p].Data), '\n')}
			v2, _ := Version(changed)
			if v2 == v {
				t.Errorf("%s: Version unchanged after %s changed", name, p)
			}
			if s2, err := Load(changed, Options{}); err != nil || s2.Version != v2 {
				t.Errorf("%s: after %s changed, Load's version %v, %v; Version %s", name, p, s2, err, v2)
			}
		}
	}
	real := os.DirFS("../../content")
	site, err := Load(real, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := Version(real); err != nil || v != site.Version {
		t.Errorf("content/: Version = %q, %v; Load's version %q", v, err, site.Version)
	}
}

// TestAliasTrailingSlash: an alias written "/stara/" is the address
// "/stara", which is what a request for either reaches (the site answers
// "/stara/" with a redirect to "/stara").
func TestAliasTrailingSlash(t *testing.T) {
	const file = "bodies/ump.pl.md"
	src := string(fixture()[file].Data)
	site, err := Load(with(fixture(), file, strings.Replace(src, "published:", "aliases: [/stara-unia/]\npublished:", 1)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range site.Bodies {
		if got := b.Docs["pl"].Aliases; len(got) != 1 || got[0] != "/stara-unia" {
			t.Errorf("aliases of %s = %q, want [/stara-unia]", b.ID, got)
		}
	}
}

// TestScheduledAddressRecordedInAdvance: whether content passes the check
// must not change with the clock. A page scheduled for later must be in
// urls.txt already; then it passes before and after its publish time, and
// without it, it fails at both.
func TestScheduledAddressRecordedInAdvance(t *testing.T) {
	page := "---\nid: ogloszenie\ntitle: Ogłoszenie\nsummary: Ogłoszenie.\nslug: ogloszenie\nuntranslated: true\npublished: 2026-11-25\npublish: 2026-12-01 09:00\n---\nOgłoszenie.\n"
	fsys := with(fixture(), "pages/ogloszenie.pl.md", page)
	recorded := with(fsys, "urls.txt", string(fixture()["urls.txt"].Data)+"/ogloszenie\n/en/ogloszenie\n")
	for _, at := range []time.Time{
		time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), // before the publish time
		time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),   // after it (10:00 in Kraków)
	} {
		opts := Options{Now: func() time.Time { return at }}
		if _, err := Load(recorded, opts); err != nil {
			t.Errorf("at %s, with the address recorded: %v", at, err)
		}
		if _, err := Load(fsys, opts); err == nil || !strings.Contains(err.Error(), "pages/ogloszenie.pl.md:1:1: the address /ogloszenie is not in urls.txt yet") {
			t.Errorf("at %s, without the address recorded: %v, want it asked for", at, err)
		}
	}
}
