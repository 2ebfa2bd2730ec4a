package lang

import (
	"slices"
	"testing"
)

func registry() *Registry {
	return New([]*Language{
		{Tag: "en", Prefix: "/en", Fallback: []string{"pl"}},
		{Tag: "pl", Authoritative: true},
		{Tag: "uk", Prefix: "/uk", Fallback: []string{"pl"}},
		{Tag: "de", Prefix: "/de", Fallback: []string{"en"}},
	})
}

func TestRegistry(t *testing.T) {
	r := registry()
	if got := r.Tags(); !slices.Equal(got, []string{"pl", "en", "uk", "de"}) {
		t.Errorf("Tags = %v, want the authoritative first, then the file's order", got)
	}
	for tag, want := range map[string][]string{"pl": {"pl"}, "uk": {"uk", "pl"}, "de": {"de", "en", "pl"}, "xx": {"xx", "pl"}} {
		if got := r.Chain(tag); !slices.Equal(got, want) {
			t.Errorf("Chain(%s) = %v, want %v", tag, got, want)
		}
	}
	for path, want := range map[string]string{"/": "pl", "/en/": "en", "/en": "en", "/uk/poshuk": "uk", "/ukraina": "pl", "/deklaracje": "pl", "/de/x": "de"} {
		if got := r.OfPath(path).Tag; got != want {
			t.Errorf("OfPath(%s) = %s, want %s", path, got, want)
		}
	}
	text := map[string]string{"pl": "Kraków", "en": "Krakow"}
	for tag, want := range map[string][2]string{"uk": {"Kraków", "pl"}, "de": {"Krakow", "en"}, "en": {"Krakow", "en"}} {
		if v, l := r.Pick(text, tag); v != want[0] || l != want[1] {
			t.Errorf("Pick(%s) = %s, %s; want %v", tag, v, l, want)
		}
	}
	if v, l := r.Pick(map[string]string{}, "uk"); v != "" || l != "" {
		t.Errorf("Pick of nothing = %q, %q", v, l)
	}
	if r.Must("xx").Tag != "pl" || r.Authoritative().Tag != "pl" {
		t.Error("Must of an unknown tag is not the authoritative language")
	}
}

// TestLatin: the Ukrainian national transliteration (Resolution of the
// Cabinet of Ministers of Ukraine No. 55 of 27 January 2010), with its
// own examples: є, ї, й, ю, я at the start of a word, зг, the apostrophe
// and the soft sign dropped.
func TestLatin(t *testing.T) {
	uk := &Translit{
		Letters: map[string]string{"а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": ""},
		Initial: map[string]string{"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"},
		Pairs:   map[string]string{"зг": "zgh"},
	}
	for in, want := range map[string]string{
		"Алушта": "Alushta", "Згорани": "Zghorany", "Розгон": "Rozghon", "Євген": "Yevhen", "Короп’є": "Koropie",
		"Їжакевич": "Yizhakevych", "Кадиївка": "Kadyivka", "Йосипівка": "Yosypivka", "Стрий": "Stryi", "Юрій": "Yurii",
		"Крюківка": "Kriukivka", "Яготин": "Yahotyn", "Іванків": "Ivankiv", "Щербухи": "Shcherbukhy", "Гоща": "Hoshcha",
		"Знам’янка": "Znamianka", "Київ": "Kyiv", "Біженці з Афганістану": "Bizhentsi z Afhanistanu", "UMP 2021": "UMP 2021",
	} {
		if got := uk.Latin(in); got != want {
			t.Errorf("Latin(%s) = %s, want %s", in, got, want)
		}
	}
	var none *Translit
	if none.Latin("Łódź") != "Łódź" {
		t.Error("a language of Latin letters changed a word")
	}
}

func TestStem(t *testing.T) {
	s := Stemming{MinStem: 4, Endings: []string{"ami", "a", "i"}}
	for in, want := range map[string]string{"miastami": "miast", "miasta": "miast", "ump": "ump", "praw": "praw", "prawa": "praw"} {
		if got := s.Stem(in); got != want {
			t.Errorf("Stem(%s) = %s, want %s", in, got, want)
		}
	}
}
