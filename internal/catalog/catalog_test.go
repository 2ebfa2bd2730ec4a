package catalog

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/krakow/wspolpraca/internal/date"
)

// TestForms: the CLDR plural forms each language needs.
func TestForms(t *testing.T) {
	for tag, want := range map[string][]string{
		"pl": {"one", "few", "many", "other"},
		"uk": {"one", "few", "many", "other"},
		"en": {"one", "other"},
		"de": {"one", "other"},
	} {
		if got := Forms(tag); !slices.Equal(got, want) {
			t.Errorf("Forms(%s) = %v, want %v", tag, got, want)
		}
	}
}

// TestCount: Polish and Ukrainian choose their form by the last digits
// (CLDR): 1 one; 2–4, 22–24 few; 5–21, 25–31, 12–14 many.
func TestCount(t *testing.T) {
	c := &Catalogue{Lang: "uk", Messages: map[string]Message{
		"SearchFound": {Plural: map[string]string{"one": "{count} сторінку", "few": "{count} сторінки", "many": "{count} сторінок", "other": "{count} сторінки"}},
	}}
	l := NewLabels(c)
	for n, want := range map[int]string{1: "1 сторінку", 2: "2 сторінки", 4: "4 сторінки", 5: "5 сторінок", 11: "11 сторінок", 12: "12 сторінок",
		21: "21 сторінку", 22: "22 сторінки", 25: "25 сторінок", 101: "101 сторінку", 0: "0 сторінок"} {
		if got := l.SearchFound.N(n); got != want {
			t.Errorf("N(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestNewLabels: every field of Labels is a key of the catalogue; a key
// the catalogue lacks shows its name, never "".
func TestNewLabels(t *testing.T) {
	req := Required(Families{"Kind": {"position"}})
	for _, k := range []string{"SiteName", "ErrorPrefix", "Month.12", "MonthStandalone.1", "Kind.position"} {
		if _, ok := req[k]; !ok {
			t.Errorf("Required lacks %s", k)
		}
	}
	if !req["SearchFound"] || req["SiteName"] {
		t.Error("Required does not tell counted messages apart")
	}
	l := NewLabels(&Catalogue{Lang: "pl", Messages: map[string]Message{"SiteName": {Text: "Kraków we współpracy miast"}}})
	if l.SiteName != "Kraków we współpracy miast" || l.Breadcrumbs != "Breadcrumbs" {
		t.Errorf("SiteName %q, Breadcrumbs %q", l.SiteName, l.Breadcrumbs)
	}
	v := reflect.ValueOf(*l)
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.String && v.Type().Field(i).IsExported() && f.String() == "" {
			t.Errorf("%s is empty", v.Type().Field(i).Name)
		}
	}
}

func TestDatesAndNames(t *testing.T) {
	msgs := map[string]Message{"DateDay": {Text: "{day} {month} {year} р."}, "DateDayMonth": {Text: "{day} {month}"}, "DateMonth": {Text: "{month} {year} р."}, "DateYear": {Text: "{year} р."},
		"Month.12": {Text: "грудня"}, "Month.6": {Text: "червня"}, "MonthStandalone.8": {Text: "серпень"}, "QuoteOpen": {Text: "«"}, "QuoteClose": {Text: "»"}}
	l := NewLabels(&Catalogue{Lang: "uk", Messages: msgs})
	r, _ := date.ParseRange("2017-06-29/2017-06-30")
	for got, want := range map[string]string{
		l.FormatDate(date.MustParse("2022-12-16")): "16 грудня 2022 р.",
		l.FormatDate(date.MustParse("2021-08")):    "серпень 2021 р.",
		l.FormatDate(date.MustParse("2015")):       "2015 р.",
		l.FormatRange(r):                           "29–30 червня 2017 р.",
		l.Quote("Миста"):                           "«Миста»",
		l.LanguageName("pl"):                       "польська",
		l.LanguageName("en"):                       "англійська",
		Fill("{a} і {b}", "a", "x", "b", "y"):      "x і y",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	if n := NewLabels(&Catalogue{Lang: "pl"}).LanguageName("uk"); !strings.HasPrefix(n, "ukrai") {
		t.Errorf("Polish name of uk = %q", n)
	}
}
