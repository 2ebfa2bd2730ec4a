package content

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
)

// ReferencePath is where the editors' reference is written, from the
// repository's root.
const ReferencePath = "docs/content-reference.md"

// examples is an example file of each content type, shown in the editors'
// reference. A test checks each is valid.
var examples = []struct {
	Type Type
	File string
	Src  string
}{
	{TypePage, "pages/about.pl.md", `---
id: about
title: O serwisie
summary: Skąd pochodzą informacje w serwisie.
slug: o-serwisie
footer: 1
published: 2026-11-25
---
Tekst strony w Markdown. [Link do deklaracji](/deklaracje/2021-stanowisko-afganistan).
`},
	{TypeBody, "bodies/ump-zespol-migracji.pl.md", `---
id: ump-zespol-migracji
title: Zespół Unii Metropolii Polskich ds. Migracji i Integracji
summary: Stały zespół UMP powołany w związku z deklaracją z 2017 r.
slug: zespol-migracji-i-integracji-ump
name:
  pl: Zespół Unii Metropolii Polskich ds. Migracji i Integracji
  en: Team for Migration and Integration of the Union of Polish Metropolises
  uk: Група Союзу польських метрополій з питань міграції та інтеграції
kind: team
parent: ump
founded_in_connection_with: 2017-deklaracja-migracje
supported_by: [iom, unhcr-polska]
published: 2026-11-25
---
Opis zespołu.
`},
	{TypeMeeting, "meetings/2022-12-16-komisja-zmp.pl.md", `---
id: 2022-12-16-komisja-zmp
title: Posiedzenie Komisji Praw Człowieka i Równego Traktowania ZMP w Krakowie
summary: Stacjonarne posiedzenie Komisji w Krakowie.
body: zmp-komisja-praw-czlowieka
date: 2022-12-16
place: Kraków
mode: in_person
topics:
  - pl: przemoc wobec kobiet
    en: violence against women
    uk: насильство щодо жінок
published: 2026-11-25
changes:
  - date: 2026-12-02
    note: Dodano temat posiedzenia.
---
Opis posiedzenia.
`},
	{TypeDeclaration, "declarations/2021-stanowisko-afganistan.pl.md", `---
id: 2021-stanowisko-afganistan
title: Stanowisko prezydentów miast UMP w sprawie uchodźców z Afganistanu
summary: Wspólne stanowisko prezydentów miast UMP z sierpnia 2021 r.
kind: position
body: ump
date: 2021-08
author:
  pl: Prezydenci miast Unii Metropolii Polskich
  en: Mayors of the cities of the Union of Polish Metropolises
  uk: Президенти міст Союзу польських метрополій
language: pl
text: excerpts
signatories:
  - name: Jacek Majchrowski
    role: {pl: Prezydent Krakowa, en: Mayor of Kraków, uk: президент Кракова}
refers_to: [2017-deklaracja-migracje]
context: |
  W sierpniu 2021 roku Prezydent Krakowa dołączył do stanowiska.
published: 2026-11-25
---
> „Pierwszy przytoczony fragment stanowiska.”

– deklarowały władze miast.

Akapit dodany później, między 1 a 2, z własnym numerem. {#p-1a}

> „Drugi fragment.”
`},
}

// Reference returns the editors' reference to the content format, made
// from the same struct tags the loader reads, so it cannot drift.
func Reference() []byte {
	var b bytes.Buffer
	b.WriteString(referenceIntro)
	fmt.Fprintf(&b, "\n## Fields of every file\n\n")
	writeFields(&b, reflect.TypeFor[commonMeta](), "")
	for _, ex := range examples {
		t := ex.Type.metaType()
		fmt.Fprintf(&b, "\n## %s — `content/%s/`\n\n%s\n\n", typeTitle[ex.Type], ex.Type.Folder(), typeIntro[ex.Type])
		fmt.Fprintf(&b, "Fields besides those of every file:\n\n")
		writeFields(&b, t, "")
		fmt.Fprintf(&b, "\nExample, `content/%s`:\n\n```markdown\n%s```\n", ex.File, ex.Src)
	}
	b.WriteString(referenceMarkdown)
	writeLimits(&b)
	return b.Bytes()
}

// writeLimits documents the limits of limits.go, from the constants the
// check uses.
func writeLimits(b *bytes.Buffer) {
	fmt.Fprintf(b, `
## Limits

So that no file can stop the check, the import or the live site, every file is measured before it
is read, and refused (with the place where it goes past the limit) when it has:

| limit | at most |
|---|---|
| size of a file | %d KB |
| size of the front matter | %d KB |
| lists and fields nested on one line of front matter (`+"`[[…]]`, `- - x`"+`) | %d levels |
| quotations, lists and indentation nested on one line of text | %d levels (a line indented %d spaces counts as %d) |
| links and images (`+"`](`"+`) in a file | %d |
| link reference definitions (`+"`[name]: /path`"+`) in a file | %d |
| footnote markers and definitions (`+"`[^1]`"+`) in a file | %d |
| control characters | none: tabs and line ends only (Windows line ends are fine) |

A file with more than %d problems shows its first %d and how many more there are. The whole check or
import stops at its deadline (`+"`-import-timeout`"+`) or memory budget (`+"`-import-memory`"+`), and the live
site keeps its last good version.
`, MaxFileBytes>>10, MaxFrontMatterBytes>>10, MaxYAMLDepth, MaxMarkdownDepth, MaxMarkdownDepth*2, MaxMarkdownDepth,
		MaxLinks, MaxReferences, MaxFootnotes, MaxProblemsPerFile, MaxProblemsPerFile)
}

var typeTitle = map[Type]string{TypePage: "Pages", TypeBody: "Bodies", TypeMeeting: "Meetings", TypeDeclaration: "Declarations"}

var typeIntro = map[Type]string{
	TypePage: "Free pages (about, accessibility statement) and the pages that list records: their `layout` " +
		"says which list follows the text. Each list layout is used by exactly one page; its `slug` is the address " +
		"of the list and the first segment of its records' addresses.",
	TypeBody: "An organisation or team. Its address is the `bodies` list's address and its `slug`: `/organizacje/{slug}`.",
	TypeMeeting: "A dated meeting of a body. Its address is the `meetings` list's address and its id: " +
		"`/spotkania/{id}`; its permanent link is `/m/{id}`.",
	TypeDeclaration: "A declaration, position or appeal. Its address is the `declarations` list's address and its id: " +
		"`/deklaracje/{id}`; its permanent link is `/d/{id}`. Every paragraph, list and quotation of its text " +
		"(below the front matter) is numbered for citation.",
}

// writeFields writes a table of the fields of struct type t; nested
// structs follow as name.field or name[].field.
func writeFields(b *bytes.Buffer, t reflect.Type, prefix string) {
	if prefix == "" {
		b.WriteString("| field | required | in | type | description | example |\n|---|---|---|---|---|---|\n")
	}
	var nested []field
	for _, f := range fieldsOf(t) {
		if prefix == "" && t != reflect.TypeFor[commonMeta]() && isCommon(f.Name) {
			continue
		}
		req, where := "", "every file"
		if f.Required {
			req = "yes"
		}
		if f.AuthOnly {
			where = "authoritative file"
		}
		typ := typeName(f.Type)
		if f.Enum != nil {
			typ += ": " + strings.Join(quoteAll(f.Enum), ", ")
		}
		example := ""
		if f.Example != "" {
			example = "`" + f.Example + "`"
		}
		fmt.Fprintf(b, "| `%s%s` | %s | %s | %s | %s | %s |\n", prefix, f.Name, req, where, typ, escapePipes(f.Doc), escapePipes(example))
		if inner := elem(f.Type); inner.Kind() == reflect.Struct && !leafType(inner) {
			nested = append(nested, f)
		}
	}
	for _, f := range nested {
		sep := "."
		if f.Type.Kind() == reflect.Slice {
			sep = "[]."
		}
		writeFields(b, elem(f.Type), prefix+f.Name+sep)
	}
}

func isCommon(name string) bool {
	return lookup(fieldsOf(reflect.TypeFor[commonMeta]()), name) != nil
}

func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

func leafType(t reflect.Type) bool {
	return t == typeDate || t == typeRange || t == typeText || t == typeTime
}

func typeName(t reflect.Type) string {
	switch t {
	case typeDate:
		return "date: `2015`, `2021-08` or `2022-12-16`"
	case typeRange:
		return "date, or range `2017-06-29/2017-06-30`"
	case typeText:
		return "text, or one per language: `{pl: …, en: …, uk: …}`"
	case typeUntr:
		return "`true`, or a list of language tags"
	case typeTime:
		return "date and time, Kraków time: `2026-12-01 09:00`"
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "`true` or `false`"
	case reflect.Int:
		return "number"
	case reflect.Slice:
		if elem(t).Kind() == reflect.Struct && !leafType(elem(t)) {
			return "list of entries (below)"
		}
		return "list of " + typeName(t.Elem())
	case reflect.Pointer, reflect.Struct:
		return "fields (below)"
	case reflect.Map:
		return "pairs (`key: value`)"
	}
	return t.String()
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = "`" + s + "`"
	}
	return out
}

func escapePipes(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

const referenceIntro = `# Content reference

<!-- Generated from internal/content/schema.go by ` + "`make reference`" + `. Do not edit: a test fails when it is stale. -->

Everything on the site is a Markdown file in ` + "`content/`" + `, with front matter (YAML) between two
lines ` + "`---`" + `. ` + "`make check`" + ` checks every file and prints each problem as
` + "`file:line:col: message`" + `, all at once; nothing with a problem reaches the site.

## Files

- ` + "`content/pages/`" + `, ` + "`content/bodies/`" + `, ` + "`content/meetings/`" + `, ` + "`content/declarations/`" + `: one folder per type.
- A record is a file per language with the same name: ` + "`{id}.pl.md`" + ` (Polish, authoritative), ` + "`{id}.en.md`" + `,
  ` + "`{id}.uk.md`" + `… (translations). The languages, their addresses and their fallbacks are listed in
  ` + "`content/languages.yaml`" + `, and the words of the interface in ` + "`content/messages/{tag}.yaml`" + `. The name
  is the record's ` + "`id`" + `, lowercase letters, digits and hyphens; it never changes once published. A
  record deliberately not translated into a language lists it under ` + "`untranslated`" + `; its page in that
  language then shows the text of the language's fallback, and says so.
- Facts that do not depend on language (dates, body, place, signatories, relations) are written once,
  in the authoritative file; the check refuses them in a translation. Short labels that need translating
  (a role, a place, a topic) are written ` + "`{pl: …, en: …, uk: …}`" + `, with every complete language.
- A translation records the version of the authoritative text it translates (` + "`translation_of`" + `, written by
  ` + "`make translated`" + `). When the authoritative text changes, the check warns and the translation's page says it
  may be out of date, until the translation is updated and ` + "`make translated FILE=…`" + ` run again.
- ` + "`content/urls.txt`" + ` lists every address ever published. ` + "`make urls`" + ` adds new ones (a page
  scheduled with ` + "`publish`" + ` too, when it is added); none is ever removed. When a page's address
  changes, list the old one under ` + "`aliases`" + `: it then answers 301.
- Where the source does not give a fact, leave the field out: the page says "not given in the source".
`

const referenceMarkdown = `
## Writing the text

- Links to other pages are paths from the site's root: ` + "`[stanowisko](/deklaracje/2021-stanowisko-afganistan)`" + `,
  optionally with an anchor: ` + "`#p-2`" + ` for a paragraph, or a heading's id. The check refuses links to pages or
  anchors that do not exist, to old addresses (link to the new one) and to drafts.
- Images live in ` + "`static/img/`" + ` and are written ` + "`![what the image shows](/static/img/name.png)`" + `; the text in
  brackets (alt text) is required.
- Raw HTML is not allowed; it never reaches the page.
- Headings get ids from their words, Polish letters folded and other scripts transliterated:
  "Pomoc dla uchodźców" → ` + "`#pomoc-dla-uchodzcow`" + `, "Допомога біженцям" → ` + "`#dopomoha-bizhentsiam`" + `.
- A phrase in another language than the text's, other than a proper name (the Polish title of a
  conference in an English text), is marked with its language, so that screen readers read it in that
  language: ` + "`“[Miasta Integrujące]{lang=pl}”`" + ` (a BCP 47 tag, as in ` + "`languages.yaml`" + `; WCAG 3.1.2,
  language of parts). This works in the text and in the fields written in Markdown (` + "`context`" + `, notes).
- A quotation (` + "`> …`" + `) followed by a paragraph starting with a dash (` + "`– deklarowały władze miast.`" + `) shows that
  paragraph as the quotation's attribution.

## Numbered paragraphs in declarations

Every top-level paragraph, list, table and quotation of a declaration's text gets a number and an
anchor readers can link to: ` + "`/deklaracje/{id}#p-3`" + `. Numbers run 1, 2, 3… in order. To keep published
anchors stable:

- Correct a paragraph in place: no other number moves.
- Never insert or delete a paragraph in the middle without pinning numbers. To insert one between 2
  and 3, end it with ` + "`{#p-2a}`" + `; numbering goes on from 2, so the next paragraph is still 3. To delete
  paragraph 2, end paragraph 3 with ` + "`{#p-3}`" + ` so that it and the ones after keep their numbers.
- A number used twice is refused by the check.

## Drafts, scheduling and changes

- ` + "`draft: true`" + ` keeps a file off the live site; ` + "`make dev`" + ` shows it with a banner. A page once published
  cannot become a draft: set ` + "`expires`" + ` to withdraw it (its address then answers 410 Gone).
- ` + "`publish`" + ` and ` + "`expires`" + ` take effect at that moment, with no rebuild.
- A major change (of meaning or of a fact) gets a note under ` + "`changes`" + `; its date becomes the page's "last
  updated" date. A minor change (a typo) needs no note and changes no date.
`
