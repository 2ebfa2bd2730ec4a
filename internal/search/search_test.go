package search

import (
	"reflect"
	"strings"
	"testing"
)

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
		if got := Parse(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	if n := len(Parse(strings.Repeat("słowo", 1) + strings.Repeat(" inne", 1) + strings.Repeat(" x y z a b c d e f g h i j k", 3))); n != MaxTerms {
		t.Errorf("Parse of many words kept %d terms, want %d", n, MaxTerms)
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{
		"uchodzcy": "uchodzc", "uchodzcow": "uchodzc", "uchodzcami": "uchodzc", "uchodzca": "uchodzc",
		"migracji": "migracj", "migracja": "migracj", "krakowie": "krak", "krakow": "krak",
		"prawa": "praw", "lodz": "lodz", "morii": "mori", "moria": "mori", "ump": "ump", "kobietom": "kobiet", "refugees": "refuge", "refugee": "refuge",
	} {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHighlightAndSnippet(t *testing.T) {
	text := "W sierpniu 2021 roku Prezydent Krakowa dołączył do stanowiska w sprawie uchodźców z Afganistanu. Kraków deklaruje gotowość."
	got := Highlight(text, Parse("uchodzcy krakow"))
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
	snip := Snippet(strings.Repeat("słowo ", 50)+text+strings.Repeat(" koniec", 50), Parse(`"z Afganistanu"`), 10)
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
		terms := Parse(s)
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
		Snippet(s, terms, 10)
	})
}
