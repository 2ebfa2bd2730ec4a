package content

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// realContent returns a copy of the real content folder, in memory, for a
// test to change.
func realContent(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("../../content"), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile("../../content/" + p)
		fsys[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// replace returns fsys with old replaced by new in file name, and the new
// source.
func replace(t *testing.T, fsys fstest.MapFS, name, old, new string) string {
	t.Helper()
	src := string(fsys[name].Data)
	if strings.Count(src, old) != 1 {
		t.Fatalf("%s: %q is not there once", name, old)
	}
	src = strings.Replace(src, old, new, 1)
	fsys[name] = &fstest.MapFile{Data: []byte(src)}
	return src
}

// loadProblems loads fsys and returns its problems, one a line.
func loadProblems(t *testing.T, fsys fs.FS) string {
	t.Helper()
	_, err := Load(fsys, Options{})
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load = %v, want problems", err)
	}
	return ps.Error()
}

// TestEasyReadRefusedAtItsPlace: a hard sentence, in the text of the
// easy-to-read page and in a summary written in front matter (a block
// scalar and a quoted one), is refused at its exact file:line:col, with
// its figure; so is every other kind of problem the check knows.
func TestEasyReadRefusedAtItsPlace(t *testing.T) {
	const page = "pages/easy-read.pl.md"
	const body = "bodies/zmp.pl.md"
	const decl = "declarations/2020-apel-moria.en.md"
	fsys := realContent(t)

	hard := "Komisja, która została powołana w wyniku długotrwałych konsultacji przeprowadzonych przez zarząd związku, rozpatruje wnioski składane przez samorządy z całego kraju."
	replace(t, fsys, page, "Chciało tego wiele miast.", "Chciało tego wiele miast. "+hard)
	replace(t, fsys, page, "Metropolia to bardzo duże miasto.", "Metropolia to bardzo duże miasto, np. Kraków.")
	replace(t, fsys, page, "W komisji pracują ludzie z ponad 50 gmin.", "W komisji jest 63% osób z PSONI.")
	pageSrc := replace(t, fsys, page, "Tekstu nie sprawdziły jeszcze osoby", "Tekstu nie sprawdziły 16.12.2022 osoby z niepełnosprawnościami ani")

	bodySrc := replace(t, fsys, body, "  Kraków od początku brał udział w pracy tej komisji.",
		"  Kraków od początku brał udział w pracy tej komisji.\n\n  "+hard)
	declSrc := replace(t, fsys, decl, "  This website does not have the text.", "  This website does not have the text of the appeal, which the mayors of the cities of the union agreed on in 2020.")

	got := loadProblems(t, fsys)
	want := []string{
		// the index of each text, at its first word: the hard sentence
		// takes both past their ceilings
		"pages/easy-read.pl.md:9:4: FOG-PL 6.1, at most 6: write shorter sentences",
		at(body, bodySrc, "Związek Miast Polskich (ZMP) to") + ": easy_read_summary: FOG-PL 9.8, at most 6",
		at(page, pageSrc, "Komisja, która") + ": sentence of 20 words, at most 15: split it",
		at(page, pageSrc, "np. Kraków") + ": „np.” is an abbreviation: write the word in full",
		at(page, pageSrc, "63%") + ": „63%”: a percentage is hard to understand",
		at(page, pageSrc, "PSONI") + ": the abbreviation „PSONI” is not explained",
		at(page, pageSrc, "16.12.2022") + ": „16.12.2022”: write numbers whole",
		at(page, pageSrc, "niepełnosprawnościami") + ": the word „niepełnosprawnościami” has 7 syllables, at most 6",
		at(body, bodySrc, "Komisja, która") + ": easy_read_summary: sentence of 20 words, at most 15",
		at(decl, declSrc, "This website does not have the text of") + ": easy_read_summary: sentence of 23 words, at most 15",
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("problems lack %q:\n%s", w, got)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != len(want) {
		t.Errorf("%d problems, want %d:\n%s", n, len(want), got)
	}
}

// TestEasyReadQuotedSummary: a summary in quotes, on the field's line,
// is placed by column.
func TestEasyReadQuotedSummary(t *testing.T) {
	const body = "bodies/iom.en.md"
	fsys := realContent(t)
	src := string(fsys[body].Data)
	start := strings.Index(src, "easy_read_summary: |")
	end := start + strings.Index(src[start:], "\npublished:")
	src = src[:start] + `easy_read_summary: "This is \"short\". It is about the UNHCR and more."` + src[end:]
	fsys[body] = &fstest.MapFile{Data: []byte(src)}
	got := loadProblems(t, fsys)
	if want := at(body, src, "UNHCR and") + ": easy_read_summary: the abbreviation „UNHCR” is not explained"; !strings.Contains(got, want) {
		t.Errorf("problems lack %q:\n%s", want, got)
	}
}

// TestEasyReadRealContent: the real easy-to-read texts pass, and each has
// its figures: the page in every language and a summary in every file of
// every body and declaration.
func TestEasyReadRealContent(t *testing.T) {
	site, err := Load(os.DirFS("../../content"), Options{})
	if err != nil {
		t.Fatalf("Load(content/):\n%v", err)
	}
	tags := len(site.Languages.Tags())
	want := map[string]bool{}
	for _, p := range site.Pages {
		if p.EasyRead {
			for _, d := range p.Docs {
				want[d.File] = true
			}
		}
	}
	if len(want) != tags {
		t.Errorf("%d files of the easy-to-read page, want %d", len(want), tags)
	}
	for _, r := range append(recordsOf(site.Bodies), recordsOf(site.Declarations)...) {
		for _, d := range r.Docs {
			if d.EasyHTML == "" {
				t.Errorf("%s has no easy_read_summary", d.File)
			}
			want[d.File+" (easy_read_summary)"] = true
		}
	}
	for _, r := range site.Readability {
		key := r.File
		if r.Field != "" {
			key += " (" + r.Field + ")"
		}
		if !want[key] {
			t.Errorf("figures of %s, which is not an easy-to-read text", key)
		}
		delete(want, key)
		if r.FOG > float64(r.MaxFOG) || r.LongestSentence > r.MaxSentenceWords || r.Words == 0 {
			t.Errorf("%s passed over its thresholds", r)
		}
	}
	for k := range want {
		t.Errorf("no figures of %s", k)
	}
}

func recordsOf[T interface{ record() *Record }](xs []T) []*Record {
	var out []*Record
	for _, x := range xs {
		out = append(out, x.record())
	}
	return out
}

func (b *Body) record() *Record        { return &b.Record }
func (d *Declaration) record() *Record { return &d.Record }

// TestEasyReadMarks: every file of the easy-to-read page says so, there
// is one such page, and a language with no readability cannot have
// easy-to-read text.
func TestEasyReadMarks(t *testing.T) {
	fsys := realContent(t)
	replace(t, fsys, "pages/easy-read.en.md", "easy_read: true\n", "")
	replace(t, fsys, "pages/about.pl.md", "footer: 1\n", "footer: 1\neasy_read: true\n")
	got := loadProblems(t, fsys)
	for _, want := range []string{
		"pages/easy-read.en.md:1:1: the Polish file marks this page easy-to-read: mark this one too",
		"pages/about.en.md:1:1: the Polish file marks this page easy-to-read",
		// pages are read in the order of their ids: about comes first
		"pages/easy-read.pl.md:6:12: easy_read: pages/about.pl.md is the easy-to-read page already",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}

	fsys = realContent(t)
	lsrc := string(fsys["languages.yaml"].Data)
	i := strings.Index(lsrc, "    readability:\n      # Ukrainian")
	j := strings.Index(lsrc, "    # The Ukrainian national transliteration")
	fsys["languages.yaml"] = &fstest.MapFile{Data: []byte(lsrc[:i] + lsrc[j:])}
	got = loadProblems(t, fsys)
	uk := string(fsys["bodies/zmp.uk.md"].Data)
	if want := at("bodies/zmp.uk.md", uk, "|\n") + ": Ukrainian has no easy-to-read check: give its entry in languages.yaml a readability"; !strings.Contains(got, want) {
		t.Errorf("problems lack %q:\n%s", want, got)
	}
}

// TestSourceHashCoversSummary: a new easy-to-read summary in the Polish
// file makes its translations out of date; a file without one hashes as
// before the field existed.
func TestSourceHashCoversSummary(t *testing.T) {
	if SourceHash("T", "S", "", []byte("x"), "") != SourceHash("T", "S", "", []byte("x"), "  ") {
		t.Error("an empty summary changes the hash")
	}
	if SourceHash("T", "S", "", []byte("x"), "") == SourceHash("T", "S", "", []byte("x"), "Prosto.") {
		t.Error("the summary is not in the hash")
	}
	fsys := realContent(t)
	replace(t, fsys, "bodies/zmp.pl.md", "  Kraków od początku brał udział w pracy tej komisji.", "  Kraków od początku brał czynny udział w pracy tej komisji.")
	site, err := Load(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var zmp *Body
	for _, b := range site.Bodies {
		if b.ID == "zmp" {
			zmp = b
		}
	}
	if s := zmp.Docs["en"].Status; s != Outdated {
		t.Errorf("English translation after a change of the Polish summary: %s, want %s", s, Outdated)
	}
}

// TestReadabilityRules checks the counting rules one by one.
func TestReadabilityRules(t *testing.T) {
	l := &loader{fsys: os.DirFS("../../content")}
	l.reg = l.readLanguages()
	ease := l.readReadability()
	for _, c := range []struct {
		lang, word string
		want       int
	}{
		{"pl", "nie", 1}, {"pl", "miasta", 2}, {"pl", "niepełnosprawnością", 6}, {"pl", "Kraków", 2},
		{"uk", "країна", 3}, {"uk", "комісія", 4}, {"uk", "м’ясо", 2},
		{"en", "made", 1}, {"en", "used", 1}, {"en", "refugee", 3}, {"en", "refugees", 3}, {"en", "cities", 2},
	} {
		if got := ease[c.lang].syllables(c.word); got != c.want {
			t.Errorf("syllables(%s %q) = %d, want %d", c.lang, c.word, got, c.want)
		}
	}

	measure := func(lang, text string) (Readability, string) {
		blocks, _ := mdBlocks([]byte(text))
		var ps problems
		r := ease[lang].check("f", "", blocks, func(off int) pos { return pos{1, off + 1} }, &ps)
		return r, ps.list.Error()
	}
	for _, c := range []struct {
		lang, text string
		problem    string // "" for none
	}{
		{"pl", "Związek Miast Polskich (ZMP) jest duży. ZMP ma komisję.", ""},
		{"pl", "ZMP (Związek Miast Polskich) jest duży.", ""},
		{"pl", "To jest Związek Miast Polskich (w skrócie: ZMP).", ""},
		{"pl", "ZMP jest duży. Związek Miast Polskich (ZMP) też.", "f:1:1: the abbreviation „ZMP” is not explained"},
		{"pl", "ZMP (duży) jest tu.", "the abbreviation „ZMP” is not explained"},
		{"pl", "Deklarację podpisano w 2017 r. w Gdańsku.", "f:1:30: „r.” is an abbreviation"},
		{"pl", "Zespół ds. Migracji działa.", "„ds.” is an abbreviation"},
		{"pl", "Są tam m.in. radni.", "„m.in.” is an abbreviation"},
		{"pl", "Strona krakow.pl jest miejska.", ""},
		{"pl", "W 2021 roku było 11 miast i 100 osób.", ""},
		{"pl", "Było tam 101 osób.", "the number 101 is larger than 100"},
		{"pl", "Było tam 1 758 625 osób.", "„1 758 625”: write numbers whole"},
		{"pl", "Było tam 2200 osób.", "the number 2200 is larger than 100"},
		{"pl", "To jest „krótkie”. A to też. Czy tak? Tak!", ""},
		{"en", "Experts (e.g. lawyers) help.", "„e.g.” is an abbreviation"},
	} {
		_, got := measure(c.lang, c.text)
		if c.problem == "" && got != "" || !strings.Contains(got, c.problem) {
			t.Errorf("%s %q: problems %q, want %q", c.lang, c.text, got, c.problem)
		}
	}

	r, _ := measure("pl", "# Jak działa komisja\n\nTo jest jedno zdanie. A to drugie, dłuższe zdanie o komisji.\n\n- punkt listy\n- drugi punkt\n")
	if r.Sentences != 5 || r.Words != 18 || r.LongestSentence != 7 {
		t.Errorf("sentences %d, words %d, longest %d; want 5, 18, 7 (a heading and each list item end a sentence)", r.Sentences, r.Words, r.LongestSentence)
	}
	// FOG = 0.4 × (words per sentence + 100 × hard words / words)
	r, _ = measure("pl", "Organizacja przygotowała dokumentację. Ala ma kota.")
	if want := 0.4 * (6.0/2 + 100*3.0/6); r.HardWords != 3 || r.FOG < want-0.01 || r.FOG > want+0.01 {
		t.Errorf("FOG %.2f with %d hard words, want %.2f with 3", r.FOG, r.HardWords, want)
	}
	// A name inside a sentence is not a hard word.
	if r, _ := measure("pl", "Tu jest Międzynarodowa Organizacja do spraw Migracji."); r.HardWords != 0 {
		t.Errorf("names counted as %d hard words", r.HardWords)
	}
}
