package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/web"
)

// TestSearchInOtherLanguages: the language navigation of a search leads
// to the same search in each language (its parameter names and values),
// and a results page says nothing of translations.
func TestSearchInOtherLanguages(t *testing.T) {
	_, ts := newServer(t)
	p := get(t, ts, "/szukaj?q=uchod%C5%BAcy&typ=deklaracja&jezyk=wszystkie")
	for tag, want := range map[string]string{
		"en": "/en/search?lang=all&q=uchod%C5%BAcy&type=declaration",
		"uk": "/uk/poshuk?mova=vsi&q=uchod%C5%BAcy&typ=deklaratsiia",
	} {
		if href := p.doc.Find(`nav.lang a[hreflang="`+tag+`"]`).AttrOr("href", ""); href != want {
			t.Errorf("the search's link to %s = %q, want %q", tag, href, want)
		}
	}
	uk := get(t, ts, "/uk/poshuk?q=%D0%B1%D1%96%D0%B6%D0%B5%D0%BD%D1%86%D1%96%D0%B2")
	if uk.status != 200 || uk.doc.Find(".translation").Length() != 0 {
		t.Errorf("/uk/poshuk?q=біженців = %d with a translation notice %q", uk.status, text(uk.doc.Find(".translation")))
	}
	if uk.doc.Find(`ol.results a[href="/uk/deklaratsii/2021-stanowisko-afganistan"]`).Length() != 1 {
		t.Errorf("Ukrainian search for біженців does not find the 2021 position: %q", text(uk.doc.Find("main")))
	}
}

func TestSearchPage(t *testing.T) {
	_, ts := newServer(t)
	p := get(t, ts, "/szukaj?q="+url.QueryEscape("uchodźcami Krakowa"))
	if p.status != 200 {
		t.Fatalf("search = %d", p.status)
	}
	if h1 := text(p.doc.Find("h1")); h1 != "Wyniki wyszukiwania dla „uchodźcami Krakowa”" {
		t.Errorf("h1 = %q", h1)
	}
	hits := p.doc.Find("ol.results > li")
	if hits.Length() == 0 || !strings.HasPrefix(text(p.doc.Find(".count")), "Znaleziono 2 strony") {
		t.Fatalf("no results: %s", text(p.doc.Find("main")))
	}
	first := hits.First()
	if href := first.Find("h2 a").AttrOr("href", ""); href != "/deklaracje/2021-stanowisko-afganistan" {
		t.Errorf("first result = %s", href)
	}
	marks := p.doc.Find("ol.results mark")
	if marks.Length() == 0 {
		t.Error("no match is marked")
	}
	if v, _ := p.doc.Find("#q").Attr("value"); v != "uchodźcami Krakowa" {
		t.Errorf("the form shows %q", v)
	}
	if p.doc.Find(`meta[name=robots][content=noindex]`).Length() != 1 {
		t.Error("a results page is indexable")
	}

	en := get(t, ts, "/en/search?q=refugees&type=declaration")
	en.doc.Find("ol.results > li h2 a").Each(func(_ int, a *goquery.Selection) {
		if href := a.AttrOr("href", ""); !strings.HasPrefix(href, "/en/declarations/") {
			t.Errorf("English declaration search found %s", href)
		}
	})
	all := get(t, ts, "/szukaj?q=Moria&jezyk=wszystkie")
	langs := map[string]bool{}
	all.doc.Find("ol.results > li h2 a").Each(func(_ int, a *goquery.Selection) {
		langs[langOf(a.AttrOr("href", ""))] = true
	})
	if !langs["pl"] || !langs["en"] {
		t.Errorf("search in both languages found %v", langs)
	}
}

func TestSearchNoResults(t *testing.T) {
	_, ts := newServer(t)
	p := get(t, ts, "/szukaj?q=uchodzcuw")
	if p.status != 200 || !strings.Contains(text(p.doc.Find(".no-results")), "Nie znaleziono stron dla „uchodzcuw”.") {
		t.Fatalf("no results page = %d %q", p.status, text(p.doc.Find("main")))
	}
	if s := p.doc.Find(".no-results a").First(); text(s) != "uchodźców" {
		t.Errorf("suggestion = %q, want uchodźców", text(s))
	}
	if p.doc.Find(`.no-results a[href="/organizacje/komisja-praw-czlowieka-zmp"]`).Length() != 1 {
		t.Error("no links to the bodies")
	}
}

// TestSearchBadInput: every kind of bad input gets a clear answer (200 or
// 400), never a 500, and the query is shown escaped.
func TestSearchBadInput(t *testing.T) {
	_, ts := newServer(t)
	for _, tc := range []struct {
		name, query string
		status      int
		says        string
	}{
		{"empty", "", 200, ""},
		{"whitespace", "q=%20%20%20", 200, ""},
		{"too long", "q=" + strings.Repeat("a", 201), 400, "Zapytanie jest za długie"},
		{"quote", "q=%22", 200, "Zapytanie nie zawiera słów"},
		{"unclosed quote", "q=%22praw%20cz", 200, ""},
		{"star", "q=*", 200, "Zapytanie nie zawiera słów"},
		{"prefix star", "q=uchod*", 200, "Znaleziono"},
		{"minus", "q=-uchodzcy", 200, "Znaleziono"},
		{"parenthesis", "q=(uchodzcy", 200, "Znaleziono"},
		{"NEAR", "q=NEAR(uchodzcy%20krakow)", 200, "Nie znaleziono"},
		{"OR", "q=uchodzcy%20OR%20moria", 200, ""},
		{"column filter", "q=title:moria", 200, ""},
		{"caret", "q=%5Emoria", 200, "Znaleziono"},
		{"SQL", "q=%27%3B%20DROP%20TABLE%20docs%3B%20--", 200, "Nie znaleziono"},
		{"script", "q=%3Cscript%3Ealert(1)%3C/script%3E", 200, "Nie znaleziono"},
		{"invalid UTF-8", "q=%ff%fe", 400, "nieprawidłowe znaki"},
		{"page past the results", "q=uchodzcy&strona=99", 404, "Wyników jest mniej"},
		{"page past the ranked window", "q=uchodzcy&strona=99999", 400, "Wyniki można przeglądać do strony 100"},
		{"long phrase", "q=%22a+b+c+d+e+f+g%22", 400, "Fraza w cudzysłowie może mieć najwyżej 6 słów"},
		{"page overflow", "q=uchodzcy&strona=999999999999999999999", 400, "Nieprawidłowy numer strony"},
		{"negative page", "q=uchodzcy&strona=-1", 400, "Nieprawidłowy numer strony"},
		{"bad type", "q=uchodzcy&typ=tabela", 400, "Nie rozpoznano filtra"},
		{"bad body", "q=uchodzcy&gremium=%27%20OR%201=1", 400, "Nie rozpoznano filtra"},
		{"bad year", "q=uchodzcy&rok=dwa", 400, "Nie rozpoznano filtra"},
		{"bad language", "q=uchodzcy&jezyk=de", 400, "Nie rozpoznano filtra"},
		{"many words", "q=" + strings.Repeat("słowo+", 30), 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := get(t, ts, "/szukaj?"+tc.query)
			if p.status != tc.status {
				t.Fatalf("GET /szukaj?%.60s = %d, want %d", tc.query, p.status, tc.status)
			}
			main := text(p.doc.Find("main"))
			if tc.says != "" && !strings.Contains(main, tc.says) {
				t.Errorf("the page does not say %q:\n%s", tc.says, main)
			}
			for _, bad := range []string{"<script>alert", "DROP TABLE docs;</"} {
				if strings.Contains(p.body, bad) {
					t.Errorf("the page contains %q unescaped", bad)
				}
			}
			if p.doc.Find("form.search-form #q").Length() != 1 {
				t.Error("the page has no search form")
			}
		})
	}
	if p := get(t, ts, "/szukaj?q=%3Cscript%3Ealert(1)%3C/script%3E"); !strings.Contains(p.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the query is not shown escaped")
	}
}

func TestSearchAPI(t *testing.T) {
	_, ts := newServer(t)
	p := get(t, ts, "/api/v1/search.json?q=refugees&lang=en")
	var res struct {
		Total   int   `json:"total"`
		More    *bool `json:"more"` // whether more than total match
		Results []struct {
			ID, Lang, URL, Snippet string
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(p.body), &res); err != nil || res.Total == 0 || res.More == nil || *res.More {
		t.Fatalf("search.json = %s, %v; want a total and more: false", p.body, err)
	}
	for _, r := range res.Results {
		if r.Lang != "en" || !strings.HasPrefix(r.URL, ts.URL+"/en/") {
			t.Errorf("English search returned %+v", r)
		}
	}
	bad := get(t, ts, "/api/v1/search.json?q="+strings.Repeat("x", 300))
	if bad.status != 400 || !strings.Contains(bad.body, `"error"`) {
		t.Errorf("too long a query = %d %s", bad.status, bad.body)
	}
}

// TestSearchRateLimit: a client searching too often gets a friendly 429
// page; other pages still answer.
func TestSearchRateLimit(t *testing.T) {
	_, ts := newServerWith(t, storetest.Content(t, content.Options{}), web.Config{SearchLimit: 3})
	for i := range 3 {
		if p := get(t, ts, "/szukaj?q=krakow"); p.status != 200 {
			t.Fatalf("search %d = %d", i+1, p.status)
		}
	}
	p := get(t, ts, "/szukaj?q=krakow")
	if p.status != 429 || text(p.doc.Find("h1")) != "Zbyt wiele wyszukiwań" || p.header.Get("Retry-After") == "" {
		t.Errorf("4th search = %d %q, Retry-After %q", p.status, text(p.doc.Find("h1")), p.header.Get("Retry-After"))
	}
	// It says when to search again, as Retry-After does (at most the
	// minute the limit counts).
	if secs, err := strconv.Atoi(p.header.Get("Retry-After")); err != nil || secs < 1 || secs > 60 ||
		!strings.Contains(text(p.doc.Find("main")), "Spróbuj ponownie za minutę") {
		t.Errorf("the 429 page does not say when to retry (Retry-After %q): %s", p.header.Get("Retry-After"), text(p.doc.Find("main")))
	}
	if p := get(t, ts, "/api/v1/search.json?q=krakow"); p.status != 429 || !strings.Contains(p.body, `"error"`) {
		t.Errorf("API over the limit = %d %s", p.status, p.body)
	}
	if p := get(t, ts, "/deklaracje"); p.status != 200 {
		t.Errorf("a page while searches are limited = %d", p.status)
	}
	if p := get(t, ts, "/szukaj"); p.status != 200 {
		t.Errorf("the empty search form while searches are limited = %d", p.status)
	}
}

// TestSearchRateLimitBehindProxy: behind a proxy every request comes from
// the proxy's address; with ClientIPHeader the limit is each client's
// (the last address in the header, the one the proxy added), so one
// client over its limit does not lock out the others.
func TestSearchRateLimitBehindProxy(t *testing.T) {
	_, ts := newServerWith(t, storetest.Content(t, content.Options{}),
		web.Config{SearchLimit: 2, ClientIPHeader: "X-Forwarded-For"})
	search := func(forwardedFor string) int {
		req, err := http.NewRequest("GET", ts.URL+"/szukaj?q=krakow", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Forwarded-For", forwardedFor)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// The first address is the client's own claim; the proxy appends
	// the address it saw.
	for i, xff := range []string{"10.0.0.1, 203.0.113.7", "10.0.0.2, 203.0.113.7"} {
		if got := search(xff); got != 200 {
			t.Fatalf("search %d from 203.0.113.7 = %d, want 200", i+1, got)
		}
	}
	if got := search("10.0.0.3, 203.0.113.7"); got != 429 {
		t.Errorf("3rd search from 203.0.113.7 (claiming another address) = %d, want 429", got)
	}
	if got := search("203.0.113.8"); got != 200 {
		t.Errorf("a search from another client behind the same proxy = %d, want 200", got)
	}
}

// A search a filter empties is not told it misspelled a word it spelled
// right: it is offered the same words without the filters. A misspelled
// word's suggestion keeps the filters.
func TestSearchEmptiedByAFilter(t *testing.T) {
	_, ts := newServer(t)
	for _, tc := range []struct {
		query, lang string
	}{
		{"q=krakow&rok=1800", "pl"},
		{"q=krakow&jezyk=uk", "pl"},
		{"q=uchodzcy&rok=1999", "pl"},
	} {
		p := get(t, ts, "/szukaj?"+tc.query)
		main := text(p.doc.Find("main"))
		if p.status != 200 || !strings.Contains(main, "Nie znaleziono") {
			t.Fatalf("GET /szukaj?%s = %d: %s", tc.query, p.status, main)
		}
		if strings.Contains(main, "Czy chodziło o") {
			t.Errorf("/szukaj?%s suggests another spelling of a word the site holds: %s", tc.query, main)
		}
		q := strings.SplitN(strings.TrimPrefix(tc.query, "q="), "&", 2)[0]
		link := p.doc.Find(`main a[href="/szukaj?q=` + q + `"]`)
		if link.Length() != 1 || !strings.Contains(text(link), "bez zawężenia") {
			t.Errorf("/szukaj?%s has no link to the same words without its filters", tc.query)
		}
		if get(t, ts, "/szukaj?q="+q).doc.Find("ol.results li").Length() == 0 {
			t.Errorf("/szukaj?q=%s finds nothing: the test needs a word the site holds", q)
		}
	}
	p := get(t, ts, "/szukaj?q=uchodzcuw&rok=1800")
	href, _ := p.doc.Find(`main .no-results a`).First().Attr("href")
	if !strings.Contains(href, "rok=1800") || !strings.Contains(href, "q=uchod") {
		t.Errorf("the suggestion of a misspelled word drops the filters: %q", href)
	}
	// The form sends its empty filters: they narrow nothing, and neither
	// does "all languages"; a search they leave empty is offered nothing
	// that would only run it again.
	for _, q := range []string{"q=krakow", "q=xyzzyq&typ=&gremium=&rok=&jezyk=", "q=xyzzyq&jezyk=pl", "q=xyzzyq&jezyk=wszystkie"} {
		if p := get(t, ts, "/szukaj?"+q); strings.Contains(text(p.doc.Find("main")), "bez zawężenia") {
			t.Errorf("/szukaj?%s: a search without filters is offered itself without filters", q)
		}
	}
}

// A page of results past the last is a 404 whose "previous" link leads to
// the last page of results.
func TestSearchPastTheLastPage(t *testing.T) {
	_, ts := newServer(t)
	p := get(t, ts, "/szukaj?q=krakow&strona=5")
	if p.status != 404 || !strings.Contains(text(p.doc.Find("main")), "Wyników jest mniej") {
		t.Fatalf("GET /szukaj?q=krakow&strona=5 = %d", p.status)
	}
	last := get(t, ts, "/szukaj?q=krakow")
	pages := 1
	if last.doc.Find(`a[rel=next]`).Length() > 0 {
		pages = 2 // the sample has few results: one or two pages
	}
	if p.doc.Find(`a[rel=prev]`).Length() == 0 {
		t.Error("past the end, there is no link to the previous page")
	}
	p.doc.Find(`a[rel=prev]`).Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		want := "/szukaj?q=krakow"
		if pages > 1 {
			want += "&strona=" + strconv.Itoa(pages)
		}
		if href != want {
			t.Errorf("past the end, the previous page is %q, want the last, %q", href, want)
		}
	})
}
