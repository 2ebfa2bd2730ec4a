package search

import (
	"reflect"
	"strings"
	"testing"

	"github.com/krakow/wspolpraca/internal/lang"
)

// The languages of these tests: the stemming of content/languages.yaml,
// written out (folded, as content.Load folds them) so that the package is
// tested on its own.
var (
	pl = &lang.Language{Tag: "pl", Stemming: lang.Stemming{MinStem: 4, Endings: byLength(
		"owie", "ami", "ach", "iem", "owi", "ego", "emu", "ych", "ymi", "imi", "ich", "ej", "om", "ow", "em", "ie", "ia", "iu", "y", "i", "a", "e", "o", "u")}}
	en = &lang.Language{Tag: "en", Stemming: lang.Stemming{MinStem: 4, Endings: byLength("ies", "es", "s", "e", "y")}}
	uk = &lang.Language{Tag: "uk", Stemming: lang.Stemming{MinStem: 4, JoinApostrophes: true, Endings: byLength(
		"ами", "ями", "ові", "еві", "єві", "ого", "ому", "ими", "іми", "ах", "ях", "ам", "ям", "ів", "їв", "ом", "ем", "єм", "ою", "ею", "єю", "ий", "ій", "ої", "их", "іх", "им", "ім", "а", "я", "у", "ю", "і", "ї", "и", "о", "е", "є", "ь")}}
)

// byLength folds endings and sorts them longest first, as content.Load does.
func byLength(endings ...string) []string {
	for i, e := range endings {
		endings[i] = Fold(nil, e)
	}
	for i := 1; i < len(endings); i++ {
		for j := i; j > 0 && len([]rune(endings[j])) > len([]rune(endings[j-1])); j-- {
			endings[j], endings[j-1] = endings[j-1], endings[j]
		}
	}
	return endings
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Term
	}{
		{"Uchodźcy Kraków", []Term{{Words: []string{"uchodzcy"}}, {Words: []string{"krakow"}}}},
		{`"praw człowieka" komisja`, []Term{{Words: []string{"praw", "czlowieka"}, Phrase: true}, {Words: []string{"komisja"}}}},
		{`pomoc-dla`, []Term{{Words: []string{"pomoc"}}, {Words: []string{"dla"}}}},
		{`"niedomknięty cudzysłów`, []Term{{Words: []string{"niedomkniety"}}, {Words: []string{"cudzyslow"}}}},
		{`"jedno"`, []Term{{Words: []string{"jedno"}}}},
		{`a* OR (b) NEAR -c "`, []Term{{Words: []string{"a"}}, {Words: []string{"or"}}, {Words: []string{"b"}}, {Words: []string{"near"}}, {Words: []string{"c"}}}},
		{"'; DROP TABLE docs; --", []Term{{Words: []string{"drop"}}, {Words: []string{"table"}}, {Words: []string{"docs"}}}},
		{"   ", nil},
		{"***", nil},
		{"Łódź łódź", []Term{{Words: []string{"lodz"}}}},
		{"\xff\xfe krakow", []Term{{Words: []string{"krakow"}}}},
	} {
		if got := Parse(tc.in, pl); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	if n := len(Parse(strings.Repeat("słowo", 1)+strings.Repeat(" inne", 1)+strings.Repeat(" x y z a b c d e f g h i j k", 3), pl)); n != MaxTerms {
		t.Errorf("Parse of many words kept %d terms, want %d", n, MaxTerms)
	}
}

func TestStem(t *testing.T) {
	for _, l := range []*lang.Language{pl, en} {
		for in, want := range map[string]string{
			"uchodzcy": "uchodzc", "uchodzcow": "uchodzc", "uchodzcami": "uchodzc", "uchodzca": "uchodzc",
			"migracji": "migracj", "migracja": "migracj", "krakowie": "krak", "krakow": "krak",
			"prawa": "praw", "lodz": "lodz", "morii": "mori", "moria": "mori", "ump": "ump", "kobietom": "kobiet",
		} {
			if l == en {
				continue
			}
			if got := Stem(in, l); got != want {
				t.Errorf("Stem(%q, %s) = %q, want %q", in, l.Tag, got, want)
			}
		}
	}
	for in, want := range map[string]string{"refugees": "refuge", "refugee": "refuge", "communities": "communit", "community": "communit", "declarations": "declaration", "declaration": "declaration"} {
		if got := Stem(in, en); got != want {
			t.Errorf("Stem(%q, en) = %q, want %q", in, got, want)
		}
	}
}

// TestUkrainian: the inflected forms of a Ukrainian word find each other,
// and a word with an apostrophe is one word.
func TestUkrainian(t *testing.T) {
	stems := func(s string) []string {
		var out []string
		for _, term := range Parse(s, uk) {
			for _, w := range term.Words {
				out = append(out, Stem(w, uk))
			}
		}
		return out
	}
	for _, group := range [][]string{
		{"біженці", "біженців", "біженцями", "біженцям", "Біженців"},
		{"Афганістан", "Афганістану", "Афганістані", "афганістаном"},
		{"міграція", "міграції", "міграцію"},
	} {
		want := stems(group[0])
		if len(want) != 1 {
			t.Fatalf("Parse(%q, uk) = %q, want one word", group[0], want)
		}
		for _, w := range group[1:] {
			if got := stems(w); !reflect.DeepEqual(got, want) {
				t.Errorf("Parse(%q, uk) = %q, want %q (as %q)", w, got, want, group[0])
			}
		}
	}
	if got := stems("здоров’я обов'язок"); len(got) != 2 {
		t.Errorf("Parse(здоров’я обов'язок, uk) = %q, want two words (the apostrophe inside each)", got)
	}
	if got := stems("Kraków's"); len(got) != 1 {
		t.Errorf("Parse(Kraków's, uk) = %q", got)
	}
	if got := Parse("Kraków's", en); len(got) != 2 {
		t.Errorf("Parse(Kraków's, en) = %+v, want the apostrophe to separate (English)", got)
	}
	marked := ""
	for _, s := range Highlight("Позиція щодо біженців з Афганістану.", Parse("біженці афганістан", uk), uk) {
		if s.Mark {
			marked += "[" + s.Text + "]"
		}
	}
	if marked != "[біженців][Афганістану]" {
		t.Errorf("Highlight in Ukrainian marked %s", marked)
	}
}

func TestHighlightAndSnippet(t *testing.T) {
	text := "W sierpniu 2021 roku Prezydent Krakowa dołączył do stanowiska w sprawie uchodźców z Afganistanu. Kraków deklaruje gotowość."
	got := Highlight(text, Parse("uchodzcy krakow", pl), pl)
	var marked []string
	var all strings.Builder
	for _, s := range got {
		all.WriteString(s.Text)
		if s.Mark {
			marked = append(marked, s.Text)
		}
	}
	if all.String() != text {
		t.Errorf("Highlight changed the text: %q", all.String())
	}
	if want := []string{"Krakowa", "uchodźców", "Kraków"}; !reflect.DeepEqual(marked, want) {
		t.Errorf("Highlight marked %q, want %q", marked, want)
	}
	snip := Snippet(strings.Repeat("słowo ", 50)+text+strings.Repeat(" koniec", 50), Parse(`"z Afganistanu"`, pl), 10, pl)
	if snip[0].Text != "… " || snip[len(snip)-1].Text != " …" {
		t.Errorf("Snippet does not show the cuts: %+v", snip)
	}
	found := false
	for _, s := range snip {
		if s.Mark && s.Text == "z Afganistanu" {
			found = true
		}
	}
	if !found {
		t.Errorf("Snippet did not mark the phrase: %+v", snip)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"uchodźcy", `"praw człowieka"`, "a* OR b", "NEAR(x y)", "\xff", `""""`, "-", "24/7", "pomoc-dla"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		terms := Parse(s, pl)
		if len(terms) > MaxTerms {
			t.Fatalf("Parse(%q): %d terms", s, len(terms))
		}
		for _, t2 := range terms {
			for _, w := range t2.Words {
				if w == "" || strings.ContainsAny(w, `"*()-:^`) {
					t.Fatalf("Parse(%q): word %q", s, w)
				}
			}
		}
		Snippet(s, terms, 10, pl)
		Snippet(s, Parse(s, uk), 10, uk)
	})
}
