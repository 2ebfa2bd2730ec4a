package web_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/krakow/wspolpraca/internal/cite"
	"github.com/krakow/wspolpraca/internal/cite/citetest"
	"github.com/krakow/wspolpraca/internal/web"
)

// hostileDeclaration is a declaration whose every cited field holds what
// broke, or could break, a citation format and that the content check
// accepts: TeX's specials and ligatures, unbalanced braces, quotes, RIS and
// BibTeX syntax, a collective author with commas, a semicolon and "and",
// Polish letters and Cyrillic; its title is descriptive.
const hostileDeclaration = `---
id: 2099-znaki
title: "Stanowisko {nr 1 } }{ 50% \\ #2 & ~ ^ $x$ _ \"cytat\" 'apostrof' „tak” «так» -- --- ,, <b>nie</b> ER  - @misc{x, Кирилиця ґ"
title_note: Tytuł opisowy.
summary: Deklaracja do testów cytowań.
kind: position
body: ump
date: 2017-06-29/2017-06-30
author: "Prezydenci Gdańska, Krakowa i Warszawy; Rada {UMP} and Mayors, Президенти міст"
place: "Gdańsk {} % \\ Гданськ"
event: "konferencja „Miasta Integrujące. Integracja = Bezpieczeństwo” {x} %"
language: pl
text: none
published: 2026-11-25
---
`

// hostileTranslations are the declaration's English and Ukrainian files.
var hostileTranslations = map[string]string{
	"en": "---\nid: 2099-znaki\ntitle: \"Position {no. 1 \\\\ 50% #2 & ~ ^ -- `` '' <i>x</i> TY  - GEN\"\ntitle_note: A descriptive title.\nsummary: A declaration for citation tests.\npublished: 2026-11-25\n---\n",
	"uk": "---\nid: 2099-znaki\ntitle: \"Позиція {№ 1 \\\\ 50% #2 & ~ ^ -- «так» ґ є ї\"\ntitle_note: Описова назва.\nsummary: Декларація для тестів цитувань.\npublished: 2026-11-25\n---\n",
}

// declarationPage is what one declaration page and its citation files
// say.
type declarationPage struct {
	path                     string
	title, date, lang, url   string   // Highwire
	authors                  []string // Highwire citation_author
	ref                      string   // the page's reference in the language of its text
	ldName, ldAuthor, ldLang string   // JSON-LD
	ldURL, ldCreated         string
	bib, ris, csl, highwire  citetest.Result
}

// TestCitationClients reads the citation files of every declaration page
// of the sitemap, in every language, and of a hostile declaration, with
// real clients (Better BibTeX's parser, astrocite-ris, citeproc-js in APA
// and Chicago author-date, biber; Zotero's name rules), and checks that
// each says the title, authors, date, language and link the page's
// Highwire tags and JSON-LD declare (issue 13, items 2 and 4).
func TestCitationClients(t *testing.T) {
	dir := contentCopy(t)
	if err := os.WriteFile(filepath.Join(dir, "declarations", "2099-znaki.pl.md"), []byte(hostileDeclaration), 0o644); err != nil {
		t.Fatal(err)
	}
	for tag, file := range hostileTranslations {
		if err := os.WriteFile(filepath.Join(dir, "declarations", "2099-znaki."+tag+".md"), []byte(file), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	record(t, dir, "/deklaracje/2099-znaki", "/en/declarations/2099-znaki", "/uk/deklaratsii/2099-znaki")
	now := func() time.Time { return testNow }
	st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), now)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, ts := startServer(t, st, web.Config{Now: now})

	var pages []*declarationPage
	var files []citetest.File
	bibs := map[string]string{}
	for _, path := range sitemap(t, ts.URL, get(t, ts, "/sitemap.xml").body) {
		p := get(t, ts, path)
		if p.doc == nil || p.doc.Find(`meta[name=citation_title]`).Length() == 0 {
			continue
		}
		d := readDeclarationPage(t, path, p)
		pages = append(pages, d)
		for _, f := range []struct{ ext, format string }{{".bib", "bib"}, {".ris", "ris"}, {".csl.json", "csl"}} {
			c := get(t, ts, path+f.ext)
			if c.status != 200 {
				t.Fatalf("GET %s%s = %d", path, f.ext, c.status)
			}
			files = append(files, citetest.File{Name: path + f.ext, Format: f.format, Text: c.body})
			if f.format == "bib" {
				bibs[path+f.ext] = c.body
			}
		}
		files = append(files, citetest.File{Name: path, Format: "highwire", Authors: d.authors})
	}
	if len(pages) < 15 {
		t.Fatalf("%d declaration pages in the sitemap, want every record in every language (at least 15)", len(pages))
	}
	results := citetest.Read(t, files)
	for i, d := range pages {
		d.bib, d.ris, d.csl, d.highwire = results[4*i], results[4*i+1], results[4*i+2], results[4*i+3]
		checkDeclarationPage(t, d)
	}
	if problems := citetest.Biber(t, bibs); len(problems) > 0 {
		t.Errorf("biber --validate-datamodel:\n%s", strings.Join(problems, "\n"))
	}
}

func readDeclarationPage(t *testing.T, path string, p page) *declarationPage {
	t.Helper()
	meta := func(name string) string { return p.doc.Find(`meta[name=`+name+`]`).AttrOr("content", "") }
	d := &declarationPage{path: path, title: meta("citation_title"), date: meta("citation_publication_date"),
		lang: meta("citation_language"), url: meta("citation_public_url")}
	p.doc.Find(`meta[name=citation_author]`).Each(func(_ int, s *goquery.Selection) {
		d.authors = append(d.authors, s.AttrOr("content", ""))
	})
	d.ref = text(p.doc.Find(`.cite .ref[lang="` + d.lang + `"]`))
	var ld struct {
		Name       string `json:"name"`
		InLanguage string `json:"inLanguage"`
		Identifier string `json:"identifier"`
		Created    string `json:"dateCreated"`
		Author     *struct {
			Name string `json:"name"`
		} `json:"author"`
	}
	if err := json.Unmarshal([]byte(p.doc.Find(`script[type="application/ld+json"]`).Text()), &ld); err != nil {
		t.Fatalf("%s: JSON-LD: %v", path, err)
	}
	d.ldName, d.ldLang, d.ldURL, d.ldCreated = ld.Name, ld.InLanguage, ld.Identifier, ld.Created
	if ld.Author != nil {
		d.ldAuthor = ld.Author.Name
	}
	return d
}

// ints reads a date written with "/" or "-" between its parts.
func ints(s string) []int {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil
		}
		out = append(out, n)
	}
	return out
}

func checkDeclarationPage(t *testing.T, d *declarationPage) {
	t.Helper()
	for _, r := range []citetest.Result{d.bib, d.ris, d.csl, d.highwire} {
		if len(r.Errors) > 0 {
			t.Errorf("%s: %s: %v", d.path, r.Name, r.Errors)
		}
	}
	// Title: the same in every file and the head; a title the site
	// supplied is in brackets wherever the page's reference has them.
	if d.bib.Title != d.title || d.ris.Title != d.title || d.csl.Title != d.title {
		t.Errorf("%s: titles: Highwire %q, BibTeX %q, RIS %q, CSL %q", d.path, d.title, d.bib.Title, d.ris.Title, d.csl.Title)
	}
	// (Runs of white space are one space in the citations, as TeX, HTML
	// and Zotero's ZU.trimInternal read them; JSON-LD keeps them.)
	name := strings.Join(strings.FieldsFunc(d.ldName, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }), " ")
	bracketed := strings.Contains(d.ref, "["+name+"]")
	if want := map[bool]string{true: "[" + name + "]", false: name}[bracketed]; d.title != want {
		t.Errorf("%s: Highwire title %q, want %q (JSON-LD name %q, the page's reference %q)", d.path, d.title, want, d.ldName, d.ref)
	}
	// Authors: one collective name, whole, in each format's form.
	var want []string
	if d.ldAuthor != "" {
		want = []string{d.ldAuthor}
	}
	if !slices.Equal(d.bib.Authors, want) || d.bib.Split || !slices.Equal(d.csl.Authors, want) {
		t.Errorf("%s: authors: JSON-LD %q, BibTeX %q (split %v), CSL %q", d.path, want, d.bib.Authors, d.bib.Split, d.csl.Authors)
	}
	if len(d.ris.Authors) != len(want) || len(d.authors) != len(want) || len(d.highwire.Zotero) != len(want) {
		t.Fatalf("%s: authors: JSON-LD %q, RIS %q, Highwire %q read by Zotero as %+v", d.path, want, d.ris.Authors, d.authors, d.highwire.Zotero)
	}
	for i, a := range want {
		if d.ris.Authors[i] != cite.RISName(a) || d.ris.Zotero[i].FieldMode != 1 {
			t.Errorf("%s: RIS AU %q read by Zotero as %+v, want %q as one single-field name", d.path, d.ris.Authors[i], d.ris.Zotero[i], cite.RISName(a))
		}
		if z := d.highwire.Zotero[i]; d.authors[i] != cite.HighwireName(a) || z.FirstName != "" || z.LastName+"," != d.authors[i] {
			t.Errorf("%s: citation_author %q read by Zotero as %+v, want %q as one name", d.path, d.authors[i], z, cite.HighwireName(a))
		}
	}
	// Date: the first day (or month, or year) of the date.
	date := ints(d.date)
	for name, got := range map[string][]int{"BibTeX": d.bib.Date, "RIS": d.ris.Date, "CSL": d.csl.Date} {
		if !slices.Equal(got, date) {
			t.Errorf("%s: %s date %v, Highwire %q", d.path, name, got, d.date)
		}
	}
	if created := ints(d.ldCreated); d.ldCreated != "" && (len(created) > len(date) || !slices.Equal(created, date[:len(created)])) {
		t.Errorf("%s: JSON-LD dateCreated %q, Highwire %q", d.path, d.ldCreated, d.date)
	}
	// Language and link.
	if d.ris.Language != d.lang || d.csl.Language != d.lang || d.ldLang != d.lang || d.bib.Language != cite.BibLaTeXLanguage(d.lang) {
		t.Errorf("%s: languages: Highwire %q, JSON-LD %q, BibTeX %q, RIS %q, CSL %q", d.path, d.lang, d.ldLang, d.bib.Language, d.ris.Language, d.csl.Language)
	}
	if d.bib.URL != d.url || d.ris.URL != d.url || d.csl.URL != d.url || d.ldURL != d.url {
		t.Errorf("%s: links: Highwire %q, JSON-LD %q, BibTeX %q, RIS %q, CSL %q", d.path, d.url, d.ldURL, d.bib.URL, d.ris.URL, d.csl.URL)
	}
	// A reference citeproc-js can print: the link, the year, no "Version".
	for style, ref := range d.csl.Rendered {
		if !strings.Contains(ref, d.url) || !strings.Contains(ref, strconv.Itoa(date[0])) || strings.Contains(ref, "Version") {
			t.Errorf("%s: citeproc-js %s renders %q", d.path, style, ref)
		}
	}
}
