package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/corpus"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/store/storetest"
)

// corpusStore opens a database of the real content plus n synthetic
// declarations and n synthetic meetings (2n records, 4n documents). It is
// built once and kept in the temporary folder, as it takes a while.
func corpusStore(tb testing.TB, n int) (*store.Store, string) {
	tb.Helper()
	base := storetest.Content(tb, content.Options{})
	opts := corpus.Options{Declarations: n, Meetings: n, Seed: 1}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("krakow-corpus-%d.db", n))
	if v, err := store.ContentVersion(path); err != nil || v != corpus.Version(base, opts) {
		site := corpus.Site(base, opts)
		start := time.Now()
		if err := store.Import(context.Background(), path, site); err != nil {
			tb.Fatal(err)
		}
		tb.Logf("imported %d records in %s", 2*n, time.Since(start).Round(time.Millisecond))
	}
	runtime.GC() // the corpus was garbage: collect it before measuring
	st, err := store.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st, path
}

// benchQueries mix what residents and journalists type: the commonest
// word of the corpus (the worst case), words of middling and rare
// frequency, the site's own words with and without Polish letters,
// prefixes, two-word queries, a phrase, filters, a later page, a word that
// is nowhere.
func benchQueries(g *corpus.Generator) []store.Query {

	return []store.Query{
		{Text: (g.Common("pl")), Lang: "pl"},
		{Text: (g.Ranked("pl", 3)), Lang: "pl"},
		{Text: (g.Ranked("pl", 30)), Lang: "pl"},
		{Text: (g.Ranked("pl", 300)), Lang: "pl"},
		{Text: (g.Ranked("pl", 3000)), Lang: "pl"},
		{Text: (g.Ranked("pl", 1) + " " + g.Ranked("pl", 2)), Lang: "pl"},
		{Text: (g.Ranked("pl", 10) + " " + g.Ranked("pl", 500)), Lang: "pl"},
		{Text: `"w dziedzinie migracji"`, Lang: "pl"},
		{Text: "uchodźcy", Lang: "pl"},
		{Text: "uchodzcow krakow", Lang: "pl"},
		{Text: "migracji", Lang: "pl"},
		{Text: `"praw człowieka"`, Lang: "pl"},
		{Text: "refugees", Lang: "en"},
		{Text: (g.Common("en")), Lang: "en"},
		{Text: (g.Ranked("en", 50)), Lang: ""},
		{Text: (g.Common("pl")), Lang: "pl", Type: "meeting"},
		{Text: (g.Ranked("pl", 5)), Lang: "pl", Year: 2021},
		{Text: (g.Ranked("pl", 20)), Lang: "pl", Body: "ump"},
		{Text: (g.Ranked("pl", 2)), Lang: "pl", Page: 5},
		{Text: "xyzzy", Lang: "pl"},
	}
}

// BenchmarkSearch100k searches 200,000 documents (100,000 records in two
// languages) and reports the median and 95th-percentile time of a query,
// snippets included, and the size of the index:
//
//	go test -tags sqlite_fts5 -run '^$' -bench Search100k -benchtime 2000x ./internal/store
func BenchmarkSearch100k(b *testing.B) {
	st, path := corpusStore(b, 50000)
	ctx := context.Background()
	queries := benchQueries(corpus.NewGenerator(storetest.Content(b, content.Options{}), 1))
	for _, q := range queries { // warm the page cache
		q.PerPage = 10
		if _, err := st.Search(ctx, q, now); err != nil {
			b.Fatal(err)
		}
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		q.PerPage = 10
		start := time.Now()
		if _, err := st.Search(ctx, q, now); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
	b.ReportMetric(ms(times[len(times)*95/100]), "p95-ms")
	b.ReportMetric(ms(times[len(times)-1]), "max-ms")
	if fi, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(fi.Size())/1e6, "db-MB")
	}
	if size, err := st.SearchIndexSize(ctx); err == nil {
		b.ReportMetric(float64(size)/1e6, "index-MB")
	}
}

// TestSearchCorpus searches a synthetic corpus of a few thousand records:
// results are found, paged and filtered there too.
func TestSearchCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a corpus")
	}
	st, _ := corpusStore(t, 1000)
	ctx := context.Background()
	common := corpus.NewGenerator(storetest.Content(t, content.Options{}), 1).Common("pl")
	res, err := st.Search(ctx, store.Query{Text: (common), Lang: "pl", PerPage: 10}, now)
	// More match than are ranked: the ranked ones are counted, and every
	// page of them is full.
	if err != nil || len(res.Hits) != 10 || res.Total != store.Candidates || !res.More {
		t.Fatalf("Search(%q) = %d of %d (more: %v), %v; want 10 of %d, more", common, len(res.Hits), res.Total, res.More, err, store.Candidates)
	}
	last, err := st.Search(ctx, store.Query{Text: (common), Lang: "pl", PerPage: 10, Page: store.Candidates / 10}, now)
	if err != nil || len(last.Hits) != 10 {
		t.Errorf("the last page (%d) = %d hits, %v; want 10", store.Candidates/10, len(last.Hits), err)
	}
	page2, err := st.Search(ctx, store.Query{Text: (common), Lang: "pl", PerPage: 10, Page: 2}, now)
	if err != nil || len(page2.Hits) != 10 || page2.Hits[0].ID == res.Hits[0].ID {
		t.Errorf("page 2 = %v, %v", page2.Hits, err)
	}
	// A word of the real content that the synthetic records use seldom
	// (how often depends on the whole vocabulary, so on the content:
	// the first of these that matches no more than a page).
	var rare store.Results
	var word string
	for _, word = range []string{"uchodźców", "afganistanu", "relokacji", "gdańsku", "sygnatariuszy"} {
		if rare, err = st.Search(ctx, store.Query{Text: word, Lang: "pl", PerPage: 50}, now); err != nil || rare.Total <= 50 {
			break
		}
	}
	if err != nil || rare.More || rare.Total != len(rare.Hits) || rare.Total < 4 {
		t.Errorf("Search(%s) = %d of %d (more: %v), %v", word, len(rare.Hits), rare.Total, rare.More, err)
	}
	for _, y := range []int{2005, 2021} {
		r, err := st.Search(ctx, store.Query{Text: (common), Year: y, PerPage: 50}, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Hits) == 0 {
			t.Errorf("nothing in %d", y)
		}
		for _, h := range r.Hits {
			if h.Date.From.Year != y {
				t.Errorf("year %d filter found %s of %v", y, h.ID, h.Date)
			}
		}
	}
}

// hostileQueries are the searches whose cost grew with what they held: a
// phrase of the commonest words (39 of them took 2 s on 200,000
// documents), many common words, many stems each standing for many
// indexed words, and the last page of a common word.
func hostileQueries(g *corpus.Generator) map[string]store.Query {
	common := func(lang string, n int) string {
		var b []string
		for i := range n {
			b = append(b, g.Ranked(lang, i))
		}
		return strings.Join(b, " ")
	}

	return map[string]store.Query{
		"phrase of 39 common words":      {Text: (`"` + common("pl", 39) + `"`), Lang: "pl"},
		"phrase of 39 common words, all": {Text: (`"` + common("pl", 39) + `"`)},
		"phrase of 8 common words":       {Text: (`"` + common("pl", 8) + `"`), Lang: "pl"},
		"phrase of 4 common words":       {Text: (`"` + common("pl", 4) + `"`), Lang: "pl"},
		"phrase of 2 common words":       {Text: (`"` + common("pl", 2) + `"`), Lang: "pl"},
		"phrase of 2 rarer words":        {Text: (`"` + g.Ranked("pl", 40) + " " + g.Ranked("pl", 41) + `"`), Lang: "pl"},
		"12 common words":                {Text: (common("pl", 12)), Lang: "pl"},
		"40 common words":                {Text: (common("pl", 40)), Lang: ""},
		"3 phrases of 5 common words":    {Text: (`"` + common("pl", 5) + `" "` + g.Ranked("pl", 6) + " " + common("pl", 4) + `" "` + common("en", 5) + `"`), Lang: ""},
		"12 short stems":                 {Text: "praw migr miast uchod wspol kraj czlow dekl stan polit miedz narod", Lang: "pl"},
		"common word, last page":         {Text: (g.Common("pl")), Lang: "pl", Page: store.CountLimit / 10},
		"common words with filters":      {Text: (common("pl", 6)), Lang: "pl", Type: "declaration", Body: "ump", Year: 2021},
	}
}

// BenchmarkSearchHostile100k runs each hostile query on 200,000 documents
// and reports the slowest of them, in milliseconds, with the name of each
// and its time in the log (-v):
//
//	go test -tags sqlite_fts5 -run '^$' -bench SearchHostile100k -benchtime 20x -v ./internal/store
func BenchmarkSearchHostile100k(b *testing.B) {
	st, _ := corpusStore(b, 50000)
	ctx := context.Background()
	queries := hostileQueries(corpus.NewGenerator(storetest.Content(b, content.Options{}), 1))
	names := slices.Sorted(maps.Keys(queries))
	worst := map[string]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, name := range names {
			q := queries[name]
			q.PerPage = 10
			start := time.Now()
			if _, err := st.Search(ctx, q, now); err != nil && !errors.Is(err, store.ErrSearchTooBroad) {
				b.Fatalf("%s: %v", name, err)
			}
			worst[name] = max(worst[name], time.Since(start))
		}
	}
	b.StopTimer()
	var slowest time.Duration
	for _, name := range names {
		b.Logf("%-32s max %7.1f ms", name, float64(worst[name].Microseconds())/1000)
		slowest = max(slowest, worst[name])
	}
	b.ReportMetric(float64(slowest.Microseconds())/1000, "max-ms")
}
