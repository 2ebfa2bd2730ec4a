package cite_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/krakow/wspolpraca/internal/cite"
	"github.com/krakow/wspolpraca/internal/cite/citetest"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/fold"
)

// hostile is every kind of character that broke, or could break, one of
// the formats: TeX's specials and ligatures, unbalanced braces, quotes,
// a RIS tag and a BibTeX entry after a line break, control characters,
// Polish letters and Cyrillic.
const hostile = "Żółć {nr 1 } }{ % \\ # & ~ ^ $x$ _ \"cytat\" 'apostrof' „tak” «так» -- --- `` '' ,, ?` !` <b>nie</b> @misc{x, Кирилиця ґ є ї"

func work(title, author string) cite.Work {
	return cite.Work{
		ID: "2099-test", Kind: "Stanowisko", Title: title, Author: author,
		Date: date.Range{From: date.MustParse("2017-06-29"), To: date.MustParse("2017-06-30")}, Place: "Gdańsk " + hostile,
		Event: "konferencja " + hostile, Lang: "pl", Original: true, URL: "https://example.org/d/2099-test",
		Version: date.MustParse("2026-11-25"), Site: "Kraków we współpracy miast", DateText: "29–30 czerwca 2017 r.",
		VersionText: "wersja z 25 listopada 2026 r.", Quotes: [2]string{"„", "”"},
	}
}

// clientCases are the works read by real clients: each example of issue
// 13 and cases of each kind of fault.
func clientCases() map[string]cite.Work {
	long := strings.Repeat("Bardzo długi tytuł stanowiska ", 200)
	cases := map[string]cite.Work{
		"collective author (issue 13)":      work("Stanowisko prezydentów miast UMP w sprawie uchodźców z Afganistanu", "Prezydenci miast Unii Metropolii Polskich im. Pawła Adamowicza"),
		"author with commas":                work("Tytuł", "Prezydenci Gdańska, Krakowa i Warszawy, 2017"),
		"author with a semicolon and 'and'": work("Tytuł", "Rada Miasta; Mayors of Gdańsk and Kraków"),
		"Cyrillic author":                   work("Позиція президентів міст UMP щодо біженців з Афганістану", "Президенти міст Союзу польських метрополій імені Павла Адамовича"),
		"hostile title and author":          work(hostile, hostile),
		"unbalanced brace (issue 13)":       work("Stanowisko {nr 1", "Prezydenci"),
		"closing brace first":               work("} Stanowisko", "Prezydenci }"),
		"line breaks and controls":          work("Tytuł\r\nTI  - forged\nER  - \n@misc{x,\x00\x1b[31m\u2028\u202e\tkoniec", "A\r\nAU  - Forged, Name"),
		"very long title":                   work(long, "Prezydenci"),
		"no author":                         work("Tytuł bez autora", ""),
	}
	d := work("Stanowisko dotyczące relokacji i przesiedleń uchodźców", "Prezydenci miast Unii Metropolii Polskich")
	d.Descriptive = true
	cases["descriptive title (issue 13)"] = d
	en := work("Position of the mayors of UMP cities on refugees from Afghanistan", "Mayors of the cities of the Paweł Adamowicz Union of Polish Metropolises")
	en.Lang, en.Original, en.Descriptive = "en", false, true
	en.VersionText, en.DateText = "version of 25 November 2026", "29–30 June 2017"
	cases["English, descriptive"] = en
	y := work("Rok tylko", "Prezydenci")
	y.Date = date.Range{From: date.MustParse("2015")}
	cases["year only"] = y
	return cases
}

// norm is a text as every output should give it: without controls, white
// space runs made one space.
func norm(s string) string {
	return strings.Join(strings.FieldsFunc(fold.StripControls(s), func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }), " ")
}

func dateOf(d date.Date) []int {
	out := []int{d.Year}
	if d.Month > 0 {
		out = append(out, d.Month)
		if d.Day > 0 {
			out = append(out, d.Day)
		}
	}
	return out
}

// TestClientsReadCitations writes every case in every format and reads
// it with real clients (Better BibTeX's parser, astrocite-ris,
// citeproc-js, biber; Zotero's name rules): each says the same title,
// author, date, language and link, keeps every field, splits no
// collective name, and validates.
func TestClientsReadCitations(t *testing.T) {
	cases := clientCases()
	var names []string
	for name := range cases {
		names = append(names, name)
	}
	slices.Sort(names)
	var files []citetest.File
	bibs := map[string]string{}
	for _, name := range names {
		w := cases[name]
		csl, err := cite.CSLJSON(w)
		if err != nil {
			t.Fatal(err)
		}
		bib := string(cite.BibTeX(w))
		bibs[name] = bib
		files = append(files,
			citetest.File{Name: name, Format: "bib", Text: bib},
			citetest.File{Name: name, Format: "ris", Text: string(cite.RIS(w))},
			citetest.File{Name: name, Format: "csl", Text: string(csl)},
			citetest.File{Name: name, Format: "highwire", Authors: cite.HighwireTags(w).Authors})
	}
	results := citetest.Read(t, files)
	for i, name := range names {
		w := cases[name]
		title := norm(w.Title)
		if w.Descriptive {
			title = "[" + title + "]"
		}
		var authors []string
		if w.Author != "" {
			authors = []string{norm(w.Author)}
		}
		bib, ris, csl, hw := results[4*i], results[4*i+1], results[4*i+2], results[4*i+3]
		for _, r := range []citetest.Result{bib, ris, csl, hw} {
			if len(r.Errors) > 0 {
				t.Errorf("%s: %v", name, r.Errors)
			}
		}
		for _, r := range []citetest.Result{bib, ris, csl} {
			if r.Entries != 1 {
				t.Errorf("%s: %d entries, want 1", name, r.Entries)
			}
		}
		checkBib(t, name, w, bib, title, authors)
		checkRIS(t, name, w, ris, title, authors)
		checkCSL(t, name, w, csl, title, authors)
		checkHighwire(t, name, w, hw)
	}
	if problems := citetest.Biber(t, bibs); len(problems) > 0 {
		t.Errorf("biber --validate-datamodel:\n%s", strings.Join(problems, "\n"))
	}
}

func checkBib(t *testing.T, name string, w cite.Work, r citetest.Result, title string, authors []string) {
	t.Helper()
	if r.Type != "misc" || r.Key != cite.Key(w) {
		t.Errorf("%s: BibTeX @%s{%s}, want @misc{%s}", name, r.Type, r.Key, cite.Key(w))
	}
	if r.Title != title || !slices.Equal(r.Authors, authors) || r.Split {
		t.Errorf("%s: BibTeX title %q, authors %q (split %v), want %q, %q", name, r.Title, r.Authors, r.Split, title, authors)
	}
	want := map[string]string{
		"type": w.Kind, "address": norm(w.Place), "howpublished": norm(w.Event), "organization": w.Site,
		"note": "W" + strings.TrimPrefix(w.VersionText, "w"), "url": w.URL, "date": w.Date.String(),
		"language": cite.BibLaTeXLanguage(w.Lang), "year": fmt.Sprint(w.Date.From.Year),
	}
	if w.Lang == "en" {
		want["note"] = "V" + strings.TrimPrefix(w.VersionText, "v")
	}
	for field, v := range want {
		if got := r.Fields[field]; got != v {
			t.Errorf("%s: BibTeX %s = %q, want %q", name, field, got, v)
		}
	}
	if !slices.Equal(r.Date, dateOf(w.Date.From)) {
		t.Errorf("%s: BibTeX date %v, want %v", name, r.Date, dateOf(w.Date.From))
	}
}

func checkRIS(t *testing.T, name string, w cite.Work, r citetest.Result, title string, authors []string) {
	t.Helper()
	if r.Title != title || r.Language != w.Lang || r.URL != w.URL || !slices.Equal(r.Date, dateOf(w.Date.From)) {
		t.Errorf("%s: RIS title %q, language %q, URL %q, date %v; want %q, %q, %q, %v", name, r.Title, r.Language, r.URL, r.Date, title, w.Lang, w.URL, dateOf(w.Date.From))
	}
	if len(r.Authors) != len(authors) {
		t.Fatalf("%s: RIS authors %q, want %q", name, r.Authors, authors)
	}
	for j, a := range authors {
		if r.Authors[j] != cite.RISName(a) {
			t.Errorf("%s: RIS AU %q, want %q", name, r.Authors[j], cite.RISName(a))
		}
		if z := r.Zotero[j]; z.FieldMode != 1 || z.LastName != cite.RISName(a) {
			t.Errorf("%s: Zotero reads RIS AU %q as %+v, want one single-field name", name, r.Authors[j], z)
		}
	}
	if got, want := r.Fields["CY"], norm(w.Place); got != want {
		t.Errorf("%s: RIS CY = %q, want %q", name, got, want)
	}
	if got, want := r.Fields["T2"], norm(w.Event); got != want {
		t.Errorf("%s: RIS T2 = %q, want %q", name, got, want)
	}
}

func checkCSL(t *testing.T, name string, w cite.Work, r citetest.Result, title string, authors []string) {
	t.Helper()
	if r.Title != title || !slices.Equal(r.Authors, authors) || r.Language != w.Lang || r.URL != w.URL || !slices.Equal(r.Date, dateOf(w.Date.From)) {
		t.Errorf("%s: CSL title %q, authors %q, language %q, URL %q, date %v; want %q, %q, %q, %q, %v", name, r.Title, r.Authors, r.Language, r.URL, r.Date, title, authors, w.Lang, w.URL, dateOf(w.Date.From))
	}
	for _, style := range []string{"apa", "chicago"} {
		ref := r.Rendered[style]
		if !strings.Contains(ref, w.URL) || !strings.Contains(ref, fmt.Sprint(w.Date.From.Year)) || strings.Contains(ref, "Version") {
			t.Errorf("%s: citeproc-js %s renders %q", name, style, ref)
		}
		for _, a := range authors {
			if !strings.Contains(letters(ref), letters(cslMarkup.ReplaceAllString(a, ""))) {
				t.Errorf("%s: citeproc-js %s renders %q, without the author %q whole", name, style, ref, a)
			}
		}
	}
	if !strings.Contains(r.Rendered["apa"], "("+w.VersionText+")") {
		t.Errorf("%s: APA renders %q, without the version %q", name, r.Rendered["apa"], w.VersionText)
	}
}

// cslMarkup is the rich-text markup citeproc-js reads in CSL-JSON
// values (its "HTML-like" tags): a "<b>" in a title is bold there.
var cslMarkup = regexp.MustCompile(`</?(b|i|sc|sup|sub)>`)

// letters is s with only its letters and digits: what citeproc-js's
// typography (curly quotes, a narrow space before "?") leaves alone.
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

func checkHighwire(t *testing.T, name string, w cite.Work, r citetest.Result) {
	t.Helper()
	if w.Author == "" {
		if len(r.Zotero) != 0 {
			t.Errorf("%s: Highwire authors %+v, want none", name, r.Zotero)
		}
		return
	}
	want := strings.TrimSuffix(cite.HighwireName(w.Author), ",")
	if len(r.Zotero) != 1 || r.Zotero[0].LastName != want || r.Zotero[0].FirstName != "" {
		t.Errorf("%s: Zotero reads citation_author %q as %+v, want one name %q", name, cite.HighwireTags(w).Authors, r.Zotero, want)
	}
}
