package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/corpus"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/store/storetest"
)

func ids(t *testing.T, st *store.Store, q store.Query) []string {
	t.Helper()
	if q.PerPage == 0 {
		q.PerPage = 50
	}
	res, err := st.Search(context.Background(), q, now)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	var out []string
	for _, h := range res.Hits {
		if !slices.Contains(out, h.ID) {
			out = append(out, h.ID)
		}
	}
	return out
}

// TestSearchFolding: diacritics folded both ways and inflected forms find
// the same records, in the real content.
func TestSearchFolding(t *testing.T) {
	st, _ := storetest.Open(t, storetest.Content(t, content.Options{}))
	for _, tc := range []struct {
		name    string
		queries []string
		lang    string
		want    []string // these records must be found by every query
		top     string   // and this one ranks first
	}{
		{"refugees, inflected and folded", []string{"uchodźcy", "uchodźców", "uchodźcami", "uchodzcy", "UCHODZCOW", "uchodźca"}, "pl",
			[]string{"2021-stanowisko-afganistan", "2015-stanowisko-relokacja", "ump-zespol-migracji", "unhcr-polska"}, "2015-stanowisko-relokacja"},
		{"Kraków without its letter", []string{"Kraków", "krakow", "Krakowie", "krakowa"}, "pl",
			[]string{"2022-12-16-komisja-zmp", "2021-stanowisko-afganistan", "home"}, ""},
		{"Gdańsk", []string{"gdansk", "Gdańsku", "GDAŃSK"}, "pl", []string{"2017-deklaracja-migracje", "ump-zespol-migracji"}, ""},
		{"a phrase", []string{`"praw człowieka"`, `"Praw Czlowieka"`}, "pl", []string{"zmp-komisja-praw-czlowieka", "2022-12-16-komisja-zmp"}, ""},
		{"English", []string{"refugees", "refugee"}, "en", []string{"2021-stanowisko-afganistan", "2015-stanowisko-relokacja"}, ""},
		{"title above text", []string{"Moria", "morii"}, "pl", []string{"2020-apel-moria", "2021-stanowisko-afganistan"}, "2020-apel-moria"},
		{"a name", []string{"Majchrowski", "majchrowskiego"}, "pl", []string{"2017-deklaracja-migracje", "2021-stanowisko-afganistan"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, q := range tc.queries {
				got := ids(t, st, store.Query{Text: (q), Lang: tc.lang})
				for _, w := range tc.want {
					if !slices.Contains(got, w) {
						t.Errorf("Search(%q) = %v, lacks %s", q, got, w)
					}
				}
				if tc.top != "" && (len(got) == 0 || got[0] != tc.top) {
					t.Errorf("Search(%q) = %v, want %s first", q, got, tc.top)
				}
			}
		})
	}
	for _, got := range ids(t, st, store.Query{Text: "uchodzcy", Lang: "pl", Type: "declaration"}) {
		if !slices.Contains([]string{"2015-stanowisko-relokacja", "2020-apel-moria", "2021-stanowisko-afganistan", "2017-deklaracja-migracje"}, got) {
			t.Errorf("a declaration filter found %s", got)
		}
	}
	if got := ids(t, st, store.Query{Text: "uchodzcy", Lang: "pl", Year: 2021}); !slices.Equal(got, []string{"2021-stanowisko-afganistan"}) {
		t.Errorf("refugees in 2021 = %v", got)
	}
	if got := ids(t, st, store.Query{Text: "posiedzenie", Lang: "pl", Type: "meeting", Body: "zmp-komisja-praw-czlowieka"}); !slices.Equal(got, []string{"2022-12-16-komisja-zmp"}) {
		t.Errorf("meetings of the commission = %v", got)
	}
	if got := ids(t, st, store.Query{Text: "Gdańsk", Lang: "pl", Body: "iom"}); len(got) != 0 {
		t.Errorf("records of IOM about Gdańsk = %v, want none", got)
	}
	if got := ids(t, st, store.Query{Text: "xyzzy"}); len(got) != 0 {
		t.Errorf("nonsense found %v", got)
	}
	sug, err := st.Suggest(context.Background(), "uchodzcuw migracyi", "pl", now)
	if err != nil || !slices.Contains(sug, "uchodźców") {
		t.Errorf("Suggest = %v, %v; want uchodźców", sug, err)
	}
	// A word the index holds gets no "did you mean", whatever else the
	// search had (a filter that left nothing, another word): "krakow" is
	// spelled right, and "kraju" is not what was meant.
	for _, q := range []string{"krakow", "Kraków", "uchodzcy", "krakow uchodzcuw"} {
		sug, err := st.Suggest(context.Background(), q, "pl", now)
		if err != nil || slices.ContainsFunc(sug, func(w string) bool { return !strings.HasPrefix(w, "uchodź") }) {
			t.Errorf("Suggest(%q) = %v, %v; want no word for the words the index holds", q, sug, err)
		}
	}
}

// TestSearchUkrainian: Ukrainian search finds the 2021 position by the
// inflected forms of its words, whatever the case and the apostrophe, and
// suggests a spelling in Cyrillic.
func TestSearchUkrainian(t *testing.T) {
	st, _ := storetest.Open(t, storetest.Content(t, content.Options{}))
	for _, q := range []string{"біженців", "Афганістан", "біженці з Афганістану", "БІЖЕНЦЯМ", "афганістані"} {
		if got := ids(t, st, store.Query{Text: q, Lang: "uk"}); !slices.Contains(got, "2021-stanowisko-afganistan") {
			t.Errorf("Search(%q, uk) = %v, want the 2021 position", q, got)
		}
	}
	for _, q := range []string{"здоров’я", "здоров'я", "здоровʼя"} {
		if got := ids(t, st, store.Query{Text: q, Lang: "uk"}); !slices.Contains(got, "2021-stanowisko-afganistan") {
			t.Errorf("Search(%q, uk) = %v, want the 2021 position (its quotation says «здоров’я»)", q, got)
		}
	}
	res, err := st.Search(context.Background(), store.Query{Text: "біженців", Lang: "uk", PerPage: 10}, now)
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("Search(біженців, uk) = %v, %v", res, err)
	}
	marked := false
	for _, s := range append(res.Hits[0].Title, res.Hits[0].Snippet...) {
		marked = marked || (s.Mark && strings.HasPrefix(strings.ToLower(s.Text), "біженц"))
	}
	if !marked {
		t.Errorf("the first hit marks no біженц…: %+v", res.Hits[0])
	}
	sug, err := st.Suggest(context.Background(), "біженцив афганистан", "uk", now)
	if err != nil || !slices.ContainsFunc(sug, func(s string) bool { return strings.HasPrefix(s, "біжен") }) {
		t.Errorf("Suggest(біженцив, uk) = %v, %v; want a word of біжен…", sug, err)
	}
}

// TestSearchLodz: ł, which Unicode does not decompose, is folded too: lodz
// finds Łódź (a fixture: the real content does not name it).
func TestSearchLodz(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	d := *site.Declarations[0]
	d.ID = "2099-lodz"
	d.Docs = map[string]*content.Doc{"pl": {Lang: "pl", Path: "/deklaracje/2099-lodz", Title: "Deklaracja łódzka",
		Summary: "Przyjęta w Łodzi.", Text: "Miasto Łódź i Kraków.", Published: date.MustParse("2026-11-25"), Updated: date.MustParse("2026-11-25")}}
	d.RefersTo = nil
	site.Declarations = append(site.Declarations, &d)
	st, _ := storetest.Open(t, site)
	for _, q := range []string{"lodz", "Łódź", "ŁÓDŹ", "lodzka", "łodzi"} {
		if got := ids(t, st, store.Query{Text: (q)}); !slices.Contains(got, "2099-lodz") {
			t.Errorf("Search(%q) = %v, lacks the Łódź fixture", q, got)
		}
	}
}

// TestSearchHidesHiddenDocuments: drafts (and, alike, documents scheduled
// for later or expired) are left out before results are counted, ranked
// and paged: the newest matches being drafts leaves no page short and no
// count wrong, and "did you mean" offers no word that only a draft holds.
func TestSearchHidesHiddenDocuments(t *testing.T) {
	base := storetest.Content(t, content.Options{})
	site := corpus.Site(base, corpus.Options{Declarations: 600, Seed: 1})
	decls := slices.Clone(site.Declarations)
	slices.SortFunc(decls, func(a, b *content.Declaration) int { return b.Date.From.Compare(a.Date.From) })
	drafts := map[string]bool{}
	for i, d := range decls[:40] { // the newest 40
		drafts[d.ID] = true
		for _, doc := range d.Docs {
			doc.Draft = true
			if i == 0 {
				doc.Title += " Zełenski"
			}
		}
	}
	st, _ := storetest.Open(t, site)
	ctx := context.Background()
	common := corpus.NewGenerator(base, 1).Common("pl")

	q := store.Query{Text: (common), Lang: "pl", PerPage: 50}
	first, err := st.Search(ctx, q, now)
	if err != nil {
		t.Fatal(err)
	}
	if first.Total != store.Candidates || !first.More {
		t.Errorf("Search(%q) counts %d (more: %v), want the %d ranked and more: drafts were counted out after the ranking", common, first.Total, first.More, store.Candidates)
	}
	for page := 1; page <= store.Candidates/q.PerPage; page++ {
		q.Page = page
		res, err := st.Search(ctx, q, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != q.PerPage {
			t.Errorf("page %d holds %d results, want %d", page, len(res.Hits), q.PerPage)
		}
		for _, h := range res.Hits {
			if drafts[h.ID] {
				t.Errorf("page %d shows the draft %s", page, h.ID)
			}
		}
	}

	if got := ids(t, st, store.Query{Text: "zełenski"}); len(got) != 0 {
		t.Errorf("a word only a draft holds finds %v", got)
	}
	sug, err := st.Suggest(ctx, "zalenski", "pl", now)
	if err != nil || slices.Contains(sug, "zełenski") || slices.Contains(sug, "zelenski") {
		t.Errorf("Suggest(zalenski) = %v, %v: it gives away a word only a draft holds", sug, err)
	}
}
