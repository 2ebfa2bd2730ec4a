package cite

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/fold"
)

func gdansk() Work {
	r, _ := date.ParseRange("2017-06-29/2017-06-30")
	return Work{
		ID: "2017-deklaracja-migracje", Kind: "Deklaracja", Title: "Deklaracja o współdziałaniu w dziedzinie migracji",
		Author: "Prezydenci 11 miast Unii Metropolii Polskich", Date: r, Place: "Gdańsk",
		Event: "konferencja „Miasta Integrujące. Integracja = Bezpieczeństwo”", Lang: "pl",
		URL: "https://example.org/d/2017-deklaracja-migracje", Version: date.MustParse("2026-11-25"), Site: "Kraków we współpracy miast",
		Original: true, DateText: "29–30 czerwca 2017 r.", VersionText: "wersja z 25 listopada 2026 r.", Quotes: [2]string{"„", "”"},
	}
}

func TestReference(t *testing.T) {
	got := Reference(gdansk())
	want := "Prezydenci 11 miast Unii Metropolii Polskich, „Deklaracja o współdziałaniu w dziedzinie migracji” [deklaracja], Gdańsk, 29–30 czerwca 2017 r., Kraków we współpracy miast, https://example.org/d/2017-deklaracja-migracje (wersja z 25 listopada 2026 r.)."
	if got != want {
		t.Errorf("Reference =\n%s\nwant\n%s", got, want)
	}
}

// bibFields parses the fields of a one-entry BibTeX text.
func bibFields(t *testing.T, bib string) (string, map[string]string) {
	t.Helper()
	head, rest, ok := strings.Cut(bib, ",\n")
	if !ok || !strings.HasPrefix(head, "@misc{") || !strings.HasSuffix(strings.TrimSpace(rest), "}") {
		t.Fatalf("not a BibTeX entry:\n%s", bib)
	}
	fields := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(strings.TrimSpace(rest), "}"), "\n") {
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		value = strings.TrimSuffix(strings.TrimSpace(value), ",")
		if depth := strings.Count(value, "{") - strings.Count(value, "}") + strings.Count(value, `\}`) - strings.Count(value, `\{`); depth != 0 {
			t.Errorf("unbalanced braces in %s = %s", name, value)
		}
		fields[strings.TrimSpace(name)] = value
	}
	return strings.TrimPrefix(head, "@misc{"), fields
}

func TestBibTeX(t *testing.T) {
	key, f := bibFields(t, string(BibTeX(gdansk())))
	for name, want := range map[string]string{
		"author": "{{Prezydenci 11 miast Unii Metropolii Polskich}}",
		"title":  "{{Deklaracja o współdziałaniu w dziedzinie migracji}}",
		"year":   "{2017}", "month": "jun", "date": "{2017-06-29/2017-06-30}",
		"url": "{https://example.org/d/2017-deklaracja-migracje}", "language": "{polish}", "address": "{Gdańsk}",
		"note": "{Wersja z 25 listopada 2026 r.}",
	} {
		if f[name] != want {
			t.Errorf("BibTeX %s = %s, want %s", name, f[name], want)
		}
	}
	if key != "krakow-2017-deklaracja-migracje" {
		t.Errorf("BibTeX key = %q", key)
	}
	for tag, babel := range map[string]string{"en": "english", "uk": "ukrainian"} {
		tr := gdansk()
		tr.Lang, tr.Original = tag, false
		key, f := bibFields(t, string(BibTeX(tr)))
		if key != "krakow-2017-deklaracja-migracje-"+tag {
			t.Errorf("BibTeX key of the %s version = %q, want it apart from the Polish one's", tag, key)
		}
		if f["language"] != "{"+babel+"}" {
			t.Errorf("BibTeX language of the %s version = %s, want {%s}", tag, f["language"], babel)
		}
	}
	w := gdansk()
	w.Title = "50% & {wszystko}_"
	_, f = bibFields(t, string(BibTeX(w)))
	if f["title"] != `{{50\% \& \textbraceleft{}wszystko\textbraceright{}\_}}` {
		t.Errorf("escaped title = %s", f["title"])
	}
	if _, ok := f["eventtitle"]; ok {
		t.Errorf("BibTeX @misc has eventtitle, which biblatex's data model does not allow there")
	}
	if f["howpublished"] != "{konferencja „Miasta Integrujące. Integracja = Bezpieczeństwo”}" {
		t.Errorf("BibTeX howpublished = %s, want the event", f["howpublished"])
	}
}

// TestBibEscape: every TeX special prints as itself, no brace is left
// unbalanced, and no two characters make a ligature.
func TestBibEscape(t *testing.T) {
	for in, want := range map[string]string{
		"{":          `\textbraceleft{}`,
		"a}b":        `a\textbraceright{}b`,
		`\`:          `\textbackslash{}`,
		"--":         "-{}-",
		"---":        "-{}-{}-",
		"``":         "`{}`",
		"''":         "'{}'",
		",,":         ",{},",
		"?`":         "?{}`",
		"<>":         `\textless{}\textgreater{}`,
		`"`:          `{"}`,
		"$x^2_1~#&%": `\$x\textasciicircum{}2\_1\textasciitilde{}\#\&\%`,
		"Żółć Кий":   "Żółć Кий",
	} {
		if got := bibEscape(in); got != want {
			t.Errorf("bibEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCollectiveNames: the forms of a collective author that clients
// keep whole (see HighwireName and RISName).
func TestCollectiveNames(t *testing.T) {
	for in, want := range map[string][2]string{
		"Prezydenci miast Unii Metropolii Polskich im. Pawła Adamowicza": {"Prezydenci miast Unii Metropolii Polskich im. Pawła Adamowicza,", "Prezydenci miast Unii Metropolii Polskich im. Pawła Adamowicza"},
		"Prezydenci Gdańska, Krakowa; Rada":                              {"Prezydenci Gdańska\u201a Krakowa\uff1b Rada,", "Prezydenci Gdańska\u201a Krakowa; Rada"},
		"A\r\n  B\t":                                                     {"A B,", "A B"},
	} {
		if got := HighwireName(in); got != want[0] {
			t.Errorf("HighwireName(%q) = %q, want %q", in, got, want[0])
		}
		if got := RISName(in); got != want[1] {
			t.Errorf("RISName(%q) = %q, want %q", in, got, want[1])
		}
	}
}

// TestDescriptiveTitle: a title the site supplied is in square brackets
// in every output (issue 13: the Highwire title of the 2015 and 2020
// records had none).
func TestDescriptiveTitle(t *testing.T) {
	w := gdansk()
	w.Descriptive = true
	want := "[Deklaracja o współdziałaniu w dziedzinie migracji]"
	csl, err := CSLJSON(w)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"Highwire": HighwireTags(w).Title, "BibTeX": string(BibTeX(w)), "RIS": string(RIS(w)), "CSL-JSON": string(csl), "Reference": Reference(w)} {
		if !strings.Contains(out, want) {
			t.Errorf("%s lacks %q:\n%s", name, want, out)
		}
	}
}

func TestRIS(t *testing.T) {
	ris := string(RIS(gdansk()))
	if !strings.HasPrefix(ris, "TY  - GEN\r\n") || !strings.HasSuffix(ris, "ER  - \r\n") {
		t.Fatalf("RIS record:\n%q", ris)
	}
	tags := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(ris, "\r\n"), "\r\n") {
		if len(line) < 6 || line[2:6] != "  - " {
			t.Fatalf("bad RIS line %q", line)
		}
		tags[line[:2]] = line[6:]
	}
	for tag, want := range map[string]string{"TI": "Deklaracja o współdziałaniu w dziedzinie migracji", "AU": "Prezydenci 11 miast Unii Metropolii Polskich",
		"PY": "2017", "DA": "2017/06/29/29–30 czerwca 2017 r.", "LA": "pl", "UR": "https://example.org/d/2017-deklaracja-migracje", "CY": "Gdańsk"} {
		if tags[tag] != want {
			t.Errorf("RIS %s = %q, want %q", tag, tags[tag], want)
		}
	}
	w := gdansk()
	w.Date = date.Range{From: date.MustParse("2021-08")}
	if got := risDate(w.Date.From); got != "2021/08//" {
		t.Errorf("risDate(2021-08) = %q", got)
	}
}

func TestCSLJSON(t *testing.T) {
	b, err := CSLJSON(gdansk())
	if err != nil {
		t.Fatal(err)
	}
	var items []map[string]any
	if err := json.Unmarshal(b, &items); err != nil || len(items) != 1 {
		t.Fatalf("CSL-JSON = %s, %v", b, err)
	}
	it := items[0]
	if _, ok := it["version"]; ok || it["edition"] != "wersja z 25 listopada 2026 r." {
		t.Errorf("CSL version %v, edition %v: want the version as edition text (CSL reads version as a number)", it["version"], it["edition"])
	}
	issued, _ := json.Marshal(it["issued"])
	if it["type"] != "document" || it["title"] != "Deklaracja o współdziałaniu w dziedzinie migracji" || string(issued) != `{"date-parts":[[2017,6,29],[2017,6,30]]}` || it["URL"] != "https://example.org/d/2017-deklaracja-migracje" {
		t.Errorf("CSL item = %v", it)
	}
}

// TestNoControlCharacters: whatever a field holds, no output carries a
// control character that a line-based parser would read as a new line
// (a carriage return, a line separator) or any other.
func TestNoControlCharacters(t *testing.T) {
	w := Work{ID: "x", Kind: "Apel", Title: "Tytuł\rUR  - https://evil.example", Author: "A\u2028B", Place: "Kraków\r\nBEGIN:VEVENT",
		Event: "E\x00\x1b[31m", Lang: "pl", URL: "https://example.org/d/x", Site: "S\u202e", Date: date.Range{From: date.MustParse("2021-08")}, Version: date.MustParse("2026-11-25")}
	csl, err := CSLJSON(w)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"Reference": Reference(w), "BibTeX": string(BibTeX(w)), "RIS": string(RIS(w)), "CSL-JSON": string(csl)} {
		if name == "RIS" {
			out = strings.ReplaceAll(out, "\r\n", "\n")
		}
		for _, r := range out {
			if r != '\n' && fold.Control(r) != "" {
				t.Errorf("%s holds %U:\n%q", name, r, out)
				break
			}
		}
		if name == "RIS" && strings.Count(out, "\nUR  - ") != 1 {
			t.Errorf("RIS has a forged UR line:\n%s", out)
		}
	}
}
