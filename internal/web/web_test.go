package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/content/contenttest"
	"github.com/krakow/wspolpraca/internal/corpus"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/web"
	"github.com/krakow/wspolpraca/static"
)

// testNow is the clock of the tests: the day the content was published.
var testNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// newServer serves the real content folder from a real SQLite file over
// real HTTP.
func newServer(t *testing.T) (*web.Server, *httptest.Server) {
	t.Helper()
	return newServerWith(t, storetest.Content(t, content.Options{}), web.Config{})
}

func newServerWith(t *testing.T, site *content.Site, cfg web.Config) (*web.Server, *httptest.Server) {
	t.Helper()
	st, _ := storetest.Open(t, site)
	return startServer(t, st, cfg)
}

// startServer serves st over real HTTP; the store is closed at the end.
func startServer(t *testing.T, st *store.Store, cfg web.Config) (*web.Server, *httptest.Server) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	cfg.BaseURL = "http://" + ts.Listener.Addr().String()
	if cfg.Assets == nil {
		cfg.Assets = static.FS
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := web.New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return srv, ts
}

// languages is the real content's language registry.
func languages(t testing.TB) *lang.Registry {
	t.Helper()
	return storetest.Content(t, content.Options{}).Languages
}

// langPrefix is the path prefix of a language of the real content: "",
// "/en", "/uk".
func langPrefix(t testing.TB, tag string) string {
	t.Helper()
	return languages(t).Must(tag).Prefix
}

// noRedirects is a client that reports redirects instead of following them.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       10 * time.Second,
}

type page struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

// get requests path without following redirects and parses the HTML.
func get(t *testing.T, ts *httptest.Server, path string) page {
	t.Helper()
	req, err := http.NewRequest("GET", ts.URL+path, nil)
	if err != nil {
		// Paths a client library cannot even build are written raw.
		req, err = http.NewRequest("GET", ts.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = path
	}
	res, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	p := page{status: res.StatusCode, header: res.Header, body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if p.doc, err = goquery.NewDocumentFromReader(strings.NewReader(p.body)); err != nil {
			t.Fatalf("GET %s: parsing HTML: %v", path, err)
		}
	}
	return p
}

func text(s *goquery.Selection) string {
	return strings.Join(strings.Fields(s.Text()), " ")
}

func TestRoutes(t *testing.T) {
	_, ts := newServer(t)
	base := ts.URL
	for _, tc := range []struct {
		path         string
		wantStatus   int
		wantLocation string
		lang         string
		h1           string
		switchTo     string // the language switch's href
	}{
		{path: "/", wantStatus: 200, lang: "pl", h1: "Współpraca miast – prawa człowieka i migracja", switchTo: "/en/"},
		{path: "/en/", wantStatus: 200, lang: "en", h1: "City cooperation – human rights and migration", switchTo: "/"},
		{path: "/organizacje", wantStatus: 200, lang: "pl", h1: "Organizacje i zespoły", switchTo: "/en/organisations"},
		{path: "/en/organisations", wantStatus: 200, lang: "en", h1: "Organisations and teams", switchTo: "/organizacje"},
		{path: "/organizacje/komisja-praw-czlowieka-zmp", wantStatus: 200, lang: "pl", h1: "Komisja Praw Człowieka i Równego Traktowania przy Związku Miast Polskich", switchTo: "/en/organisations/zmp-human-rights-commission"},
		{path: "/en/organisations/ump-migration-integration-team", wantStatus: 200, lang: "en", h1: "Team for Migration and Integration of the Union of Polish Metropolises", switchTo: "/organizacje/zespol-migracji-i-integracji-ump"},
		{path: "/spotkania", wantStatus: 200, lang: "pl", h1: "Posiedzenia", switchTo: "/en/meetings"},
		{path: "/en/meetings", wantStatus: 200, lang: "en", h1: "Meetings", switchTo: "/spotkania"},
		{path: "/spotkania/2022-12-16-komisja-zmp", wantStatus: 200, lang: "pl", h1: "Posiedzenie Komisji Praw Człowieka i Równego Traktowania ZMP w Krakowie", switchTo: "/en/meetings/2022-12-16-komisja-zmp"},
		{path: "/en/meetings/2022-12-16-komisja-zmp", wantStatus: 200, lang: "en", h1: "Meeting of the ZMP Commission for Human Rights and Equal Treatment in Kraków", switchTo: "/spotkania/2022-12-16-komisja-zmp"},
		{path: "/deklaracje", wantStatus: 200, lang: "pl", h1: "Deklaracje i stanowiska", switchTo: "/en/declarations"},
		{path: "/en/declarations", wantStatus: 200, lang: "en", h1: "Declarations and positions", switchTo: "/deklaracje"},
		{path: "/deklaracje/2021-stanowisko-afganistan", wantStatus: 200, lang: "pl", h1: "Stanowisko prezydentów miast UMP w sprawie uchodźców z Afganistanu", switchTo: "/en/declarations/2021-stanowisko-afganistan"},
		{path: "/en/declarations/2017-deklaracja-migracje", wantStatus: 200, lang: "en", h1: "Declaration on cooperation in the field of migration", switchTo: "/deklaracje/2017-deklaracja-migracje"},
		{path: "/deklaracje/2015-stanowisko-relokacja", wantStatus: 200, lang: "pl", h1: "Stanowisko dotyczące relokacji i przesiedleń uchodźców", switchTo: "/en/declarations/2015-stanowisko-relokacja"},
		{path: "/en/declarations/2020-apel-moria", wantStatus: 200, lang: "en", h1: "Appeal on support for the victims of the fire at the Moria camp", switchTo: "/deklaracje/2020-apel-moria"},
		{path: "/os-czasu", wantStatus: 200, lang: "pl", h1: "Oś czasu", switchTo: "/en/timeline"},
		{path: "/en/timeline", wantStatus: 200, lang: "en", h1: "Timeline", switchTo: "/os-czasu"},
		{path: "/o-serwisie", wantStatus: 200, lang: "pl", h1: "O serwisie", switchTo: "/en/about"},
		{path: "/en/about", wantStatus: 200, lang: "en", h1: "About this site", switchTo: "/o-serwisie"},
		{path: "/uk/", wantStatus: 200, lang: "uk", h1: "Співпраця міст – права людини та міграція", switchTo: "/en/"},
		{path: "/uk/deklaratsii/2021-stanowisko-afganistan", wantStatus: 200, lang: "uk", h1: "Позиція президентів міст UMP щодо біженців з Афганістану", switchTo: "/en/declarations/2021-stanowisko-afganistan"},
		{path: "/uk/orhanizatsii/hrupa-z-mihratsii-ta-intehratsii-ump", wantStatus: 200, lang: "uk", h1: "Група Союзу польських метрополій з питань міграції та інтеграції", switchTo: "/en/organisations/ump-migration-integration-team"},

		{path: "/en", wantStatus: 301, wantLocation: "/en/"},
		{path: "/deklaracje/", wantStatus: 301, wantLocation: "/deklaracje"},
		// A trailing slash redirects only to what is there, in one hop.
		{path: "/Deklaracje/", wantStatus: 301, wantLocation: "/deklaracje"},
		{path: "/EN/", wantStatus: 301, wantLocation: "/en/"},
		{path: "/EN", wantStatus: 301, wantLocation: "/en/"},
		{path: "/En", wantStatus: 301, wantLocation: "/en/"},
		{path: "/UK/", wantStatus: 301, wantLocation: "/uk/"},
		{path: "/nie-ma/", wantStatus: 404, lang: "pl", h1: "Nie znaleziono strony"},
		{path: "/en/no-such-page/", wantStatus: 404, lang: "en", h1: "Page not found"},
		{path: "/api/v1/declarations.json/", wantStatus: 301, wantLocation: "/api/v1/declarations.json"},
		{path: "/en/atom.xml/", wantStatus: 301, wantLocation: "/en/atom.xml"},
		{path: "/d/2021-stanowisko-afganistan/", wantStatus: 301, wantLocation: "/deklaracje/2021-stanowisko-afganistan"},
		{path: "/deklaracje/2021-stanowisko-afganistan.bib/", wantStatus: 301, wantLocation: "/deklaracje/2021-stanowisko-afganistan.bib"},
		{path: "//deklaracje/2021-stanowisko-afganistan.ris", wantStatus: 301, wantLocation: "/deklaracje/2021-stanowisko-afganistan.ris"},
		{path: "//static/img/icon.svg", wantStatus: 301, wantLocation: "/static/img/icon.svg"},
		{path: "/Deklaracje", wantStatus: 301, wantLocation: "/deklaracje"},
		{path: "/%C5%82atwy-tekst", wantStatus: 301, wantLocation: "/latwy-tekst"},
		{path: "//deklaracje", wantStatus: 301, wantLocation: "/deklaracje"},
		{path: "//Deklaracje", wantStatus: 301, wantLocation: "/deklaracje"},
		{path: "//en", wantStatus: 301, wantLocation: "/en/"},
		{path: "/en//declarations", wantStatus: 301, wantLocation: "/en/declarations"},
		{path: "/deklaracje//2021-stanowisko-afganistan", wantStatus: 301, wantLocation: "/deklaracje/2021-stanowisko-afganistan"},
		{path: "/en//", wantStatus: 301, wantLocation: "/en/"},
		{path: "///nie-ma", wantStatus: 404, lang: "pl", h1: "Nie znaleziono strony"},
		{path: "/o%C5%9B-czasu", wantStatus: 301, wantLocation: "/os-czasu"},
		{path: "/%C5%81ATWY-TEKST/", wantStatus: 301, wantLocation: "/latwy-tekst"},
		{path: "/deklaracje/2021-stanowisko-afganist%C3%A1n", wantStatus: 301, wantLocation: "/deklaracje/2021-stanowisko-afganistan"},
		{path: "/%C5%BC%C3%B3%C5%82w", wantStatus: 404, lang: "pl", h1: "Nie znaleziono strony"},
		{path: "/d/2021-stanowisko-afganistan", wantStatus: 301, wantLocation: "/deklaracje/2021-stanowisko-afganistan"},
		{path: "/en/d/2021-stanowisko-afganistan", wantStatus: 301, wantLocation: "/en/declarations/2021-stanowisko-afganistan"},
		{path: "/m/2022-12-16-komisja-zmp", wantStatus: 301, wantLocation: "/spotkania/2022-12-16-komisja-zmp"},
		{path: "/en/m/2022-12-16-komisja-zmp", wantStatus: 301, wantLocation: "/en/meetings/2022-12-16-komisja-zmp"},
		{path: "/uk", wantStatus: 301, wantLocation: "/uk/"},
		{path: "/deklaracje%2F2017-deklaracja-migracje", wantStatus: 404, lang: "pl", h1: "Nie znaleziono strony"},
		{path: "/deklaracje%2f2017-deklaracja-migracje", wantStatus: 404, lang: "pl", h1: "Nie znaleziono strony"},
		{path: "/uk/deklaratsii%2F2017-deklaracja-migracje", wantStatus: 404, lang: "uk", h1: "Сторінку не знайдено"},
		{path: "/deklaracje/2017%2Ddeklaracja-migracje", wantStatus: 301, wantLocation: "/deklaracje/2017-deklaracja-migracje"},
		{path: "/dekl%61racje?strona=1", wantStatus: 301, wantLocation: "/deklaracje?strona=1"},
		{path: "/uk/d/2021-stanowisko-afganistan", wantStatus: 301, wantLocation: "/uk/deklaratsii/2021-stanowisko-afganistan"},
		{path: "/uk/m/2022-12-16-komisja-zmp", wantStatus: 301, wantLocation: "/uk/zasidannia/2022-12-16-komisja-zmp"},
		{path: "/uk/nemaie-takoi-storinky", wantStatus: 404, lang: "uk", h1: "Сторінку не знайдено"},
		{path: "/uk/deklaratsii?storinka=abc", wantStatus: 400, lang: "uk", h1: "Неправильний запит"},
		{path: "/d/2022-12-16-komisja-zmp", wantStatus: 404, lang: "pl", h1: "Nie znaleziono strony"},

		{path: "/nie-ma-takiej-strony", wantStatus: 404, lang: "pl", h1: "Nie znaleziono strony"},
		{path: "/en/no-such-page", wantStatus: 404, lang: "en", h1: "Page not found"},
		{path: "/deklaracje?strona=2", wantStatus: 404, lang: "pl", h1: "Nie znaleziono strony"},
		{path: "/deklaracje?strona=abc", wantStatus: 400, lang: "pl", h1: "Nieprawidłowe zapytanie"},
		{path: "/en/declarations?page=-1", wantStatus: 400, lang: "en", h1: "Bad request"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p := get(t, ts, tc.path)
			if p.status != tc.wantStatus {
				t.Fatalf("GET %s = %d, want %d", tc.path, p.status, tc.wantStatus)
			}
			if tc.wantLocation != "" {
				if got := p.header.Get("Location"); got != tc.wantLocation {
					t.Errorf("GET %s Location = %q, want %q", tc.path, got, tc.wantLocation)
				}
				return
			}
			if got, _ := p.doc.Find("html").Attr("lang"); got != tc.lang {
				t.Errorf("GET %s: <html lang=%q>, want %q", tc.path, got, tc.lang)
			}
			if h1 := p.doc.Find("h1"); h1.Length() != 1 || text(h1) != tc.h1 {
				t.Errorf("GET %s: %d h1, %q; want one, %q", tc.path, h1.Length(), text(h1), tc.h1)
			}
			if tc.wantStatus != 200 {
				return
			}
			canonical, _ := p.doc.Find(`link[rel=canonical]`).Attr("href")
			if canonical != base+tc.path {
				t.Errorf("GET %s: canonical %q, want %q", tc.path, canonical, base+tc.path)
			}
			// The language navigation: every language, by its endonym,
			// with lang and hreflang; the page's own marked current.
			other := map[string]string{"pl": "en", "en": "pl", "uk": "en"}[tc.lang]
			if href := p.doc.Find(`nav.lang a[hreflang="`+other+`"]`).AttrOr("href", ""); href != tc.switchTo {
				t.Errorf("GET %s: the link to %s goes to %q, want %q", tc.path, other, href, tc.switchTo)
			}
			tags := languages(t).Tags()
			links := p.doc.Find("nav.lang[aria-label] a[hreflang][lang]")
			if links.Length() != len(tags) {
				t.Errorf("GET %s: the language navigation has %d links, want %d", tc.path, links.Length(), len(tags))
			}
			links.Each(func(i int, a *goquery.Selection) {
				if a.AttrOr("hreflang", "") != tags[i] || a.AttrOr("lang", "") != tags[i] {
					t.Errorf("GET %s: language link %d is %s/%s", tc.path, i, a.AttrOr("hreflang", ""), a.AttrOr("lang", ""))
				}
				if _, cur := a.Attr("aria-current"); cur != (tags[i] == tc.lang) {
					t.Errorf("GET %s: aria-current on %s: %v", tc.path, tags[i], cur)
				}
			})
			alt := p.doc.Find(`link[rel=alternate][hreflang]`)
			if alt.Length() != len(tags)+1 {
				t.Errorf("GET %s: %d hreflang alternates, want every language and x-default", tc.path, alt.Length())
			}
		})
	}
}

// A trailing or doubled slash in an address where there is nothing (the
// API's folder, an unknown id, a missing file) is a 404 of its own, not a
// redirect to one.
func TestTrailingSlashOfNothing(t *testing.T) {
	_, ts := newServer(t)
	for _, path := range []string{"/api/v1/", "/api/", "/api/v1/nothing.json/", "/static/", "/static/nope.png/", "/d/nie-ma-takiej/",
		"/m/2021-stanowisko-afganistan/", "/deklaracje/nie-ma.bib/", "/o-serwisie.bib/", "/kalendarz/nie-ma.ics/", "//static/nope.png", "//d/nie-ma-takiej"} {
		if p := get(t, ts, path); p.status != 404 {
			t.Errorf("GET %s = %d (Location %q), want 404", path, p.status, p.header.Get("Location"))
		}
	}
}

// An address written with needless escapes is answered as the site writes
// it (301) or refused (an escaped slash: 404) even once the page it decodes
// to is in the page cache.
func TestEscapedAddressesAfterTheirPageIsCached(t *testing.T) {
	_, ts := newServer(t)
	for _, tc := range []struct {
		canonical, escaped string
		wantStatus         int
	}{
		{"/deklaracje", "/dekl%61racje", 301},
		{"/deklaracje", "/%64eklaracje", 301},
		{"/deklaracje/2017-deklaracja-migracje", "/deklaracje%2F2017-deklaracja-migracje", 404},
		{"/deklaracje/2017-deklaracja-migracje", "/deklaracje/2017%2Ddeklaracja-migracje", 301},
		{"/en/declarations", "/en/declaration%73", 301},
		{"/", "/%65n/", 301},
	} {
		for range 2 { // cached after the first
			if p := get(t, ts, tc.canonical); p.status != 200 {
				t.Fatalf("GET %s = %d", tc.canonical, p.status)
			}
		}
		p := get(t, ts, tc.escaped)
		if p.status != tc.wantStatus {
			t.Errorf("GET %s after %s = %d, want %d", tc.escaped, tc.canonical, p.status, tc.wantStatus)
		}
	}
}

// TestTranslationsAreMarked: every translated content page says it is a
// translation, in its own language, and links to the authoritative Polish
// text.
func TestTranslationsAreMarked(t *testing.T) {
	_, ts := newServer(t)
	for path, want := range map[string]string{
		"/en/declarations/2021-stanowisko-afganistan": "The authoritative text is the one in Polish",
		"/uk/deklaratsii/2021-stanowisko-afganistan":  "Автентичною є польська версія.",
	} {
		p := get(t, ts, path)
		note := p.doc.Find(".translation")
		if !strings.Contains(text(note), want) {
			t.Errorf("%s: translation note = %q, want %q", path, text(note), want)
		}
		if href, _ := note.Find("a").Attr("href"); href != "/deklaracje/2021-stanowisko-afganistan" {
			t.Errorf("%s: translation note links to %q", path, href)
		}
	}
	if get(t, ts, "/deklaracje/2021-stanowisko-afganistan").doc.Find(".translation").Length() != 0 {
		t.Error("a Polish page is marked as a translation")
	}
}

func TestSecurityHeaders(t *testing.T) {
	_, ts := newServer(t)
	for _, path := range []string{"/", "/en/declarations/2021-stanowisko-afganistan", "/nie-ma", "/sitemap.xml", "/favicon.ico"} {
		p := get(t, ts, path)
		csp := p.header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "style-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: CSP %q allows scripts", path, csp)
		}
		if p.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: headers %v", path, p.header)
		}
		if p.doc != nil {
			if policy, _ := p.doc.Find(`meta[name="referrer"]`).Attr("content"); policy != "strict-origin-when-cross-origin" {
				t.Errorf("GET %s: referrer policy %q", path, policy)
			}
		}
		if p.header.Get("Set-Cookie") != "" {
			t.Errorf("GET %s sets a cookie", path)
		}
		// The only <script> is structured data, which no browser runs.
		if p.doc != nil && p.doc.Find(`script:not([type="application/ld+json"])`).Length() > 0 {
			t.Errorf("GET %s: the page has a <script>", path)
		}
	}
}

// TestServerErrorPage: when the database fails, visitors get a 500 page in
// their language with a request id, and never the error itself.
func TestServerErrorPage(t *testing.T) {
	srv, ts := newServer(t)
	srv.Close() // every query now fails
	for _, tc := range []struct{ path, lang, h1 string }{
		{"/deklaracje", "pl", "Przepraszamy, wystąpił błąd"},
		{"/en/declarations", "en", "Sorry, something went wrong"},
	} {
		p := get(t, ts, tc.path)
		if p.status != 500 {
			t.Fatalf("GET %s after Close = %d, want 500", tc.path, p.status)
		}
		if lang, _ := p.doc.Find("html").Attr("lang"); lang != tc.lang || text(p.doc.Find("h1")) != tc.h1 {
			t.Errorf("GET %s: lang %q, h1 %q", tc.path, lang, text(p.doc.Find("h1")))
		}
		id := p.header.Get("X-Request-Id")
		if id == "" || !strings.Contains(p.body, id) {
			t.Errorf("GET %s: request id %q not on the page", tc.path, id)
		}
		if strings.Contains(p.body, "sql") || strings.Contains(p.body, "closed") {
			t.Errorf("GET %s: the page shows the error:\n%s", tc.path, p.body)
		}
	}
}

func TestHealth(t *testing.T) {
	srv, ts := newServer(t)
	p := get(t, ts, "/healthz")
	if p.status != 200 || !strings.Contains(p.body, `"status": "ok"`) || !strings.Contains(p.body, srv.Version()) {
		t.Errorf("GET /healthz = %d %s", p.status, p.body)
	}
}

func TestRobots(t *testing.T) {
	_, ts := newServer(t)
	p := get(t, ts, "/robots.txt")
	if p.status != 200 || !strings.Contains(p.body, "Sitemap: "+ts.URL+"/sitemap.xml") {
		t.Errorf("GET /robots.txt = %d %q", p.status, p.body)
	}
}

func TestStatic(t *testing.T) {
	_, ts := newServer(t)
	home := get(t, ts, "/")
	css, _ := home.doc.Find(`link[rel=stylesheet]`).Attr("href")
	if !strings.HasPrefix(css, "/static/site.") || !strings.HasSuffix(css, ".css") {
		t.Fatalf("stylesheet %q is not fingerprinted", css)
	}
	p := get(t, ts, css)
	if p.status != 200 || !strings.Contains(p.header.Get("Cache-Control"), "immutable") || !strings.Contains(p.body, "focus-visible") {
		t.Errorf("GET %s = %d, Cache-Control %q", css, p.status, p.header.Get("Cache-Control"))
	}
	for _, path := range []string{"/static/css/site.css", "/static/../go.mod", "/static/img/nie-ma.png", "/static/site.0000.css"} {
		if p := get(t, ts, path); p.status != 404 {
			t.Errorf("GET %s = %d, want 404", path, p.status)
		}
	}
	if p := get(t, ts, "/favicon.ico"); p.status != 200 || p.header.Get("Content-Type") != "image/vnd.microsoft.icon" {
		t.Errorf("GET /favicon.ico = %d %s", p.status, p.header.Get("Content-Type"))
	}
}

func TestMethods(t *testing.T) {
	_, ts := newServer(t)
	res, err := http.Post(ts.URL+"/deklaracje", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 405 || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /deklaracje = %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
	res, err = http.Head(ts.URL + "/deklaracje")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || len(b) != 0 {
		t.Errorf("HEAD /deklaracje = %d with %d bytes", res.StatusCode, len(b))
	}
}

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Every request is logged, one line each, with its id, and a hostile path
// cannot forge a second line.
func TestAccessLog(t *testing.T) {
	var buf lockedBuffer
	_, ts := newServerWith(t, storetest.Content(t, content.Options{}), web.Config{AccessLog: &buf})
	// Asked for uncompressed, so that the logged size is the body's.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Get(ts.URL + "/deklaracje/2021-stanowisko-afganistan")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	get(t, ts, "/a%0Alevel=ERROR%20msg=forged")
	// A line is written once its handler returns, which can be just after
	// the client has the whole response.
	for deadline := time.Now().Add(5 * time.Second); strings.Count(buf.String(), "\n") < 2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) == 2 && strings.Contains(lines[0], `path="/a`) {
		lines[0], lines[1] = lines[1], lines[0] // written in the other order
	}
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2:\n%s", len(lines), buf.String())
	}
	first := regexp.MustCompile(`^time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\S* level=INFO msg=request method=GET path=/deklaracje/2021-stanowisko-afganistan status=200 bytes=(\d+) duration=\S+ request_id=(\S+)$`)
	m := first.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("log line %q does not read as expected", lines[0])
	}
	if m[1] != strconv.Itoa(len(body)) || m[2] != resp.Header.Get("X-Request-Id") {
		t.Errorf("logged bytes=%s request_id=%s; response had %d bytes, id %s", m[1], m[2], len(body), resp.Header.Get("X-Request-Id"))
	}
	if !strings.Contains(lines[1], `path="/a\nlevel=ERROR msg=forged" status=404`) {
		t.Errorf("hostile path not quoted: %q", lines[1])
	}
}

// TestPageWithoutTranslation: a page not translated into a language
// still has its page there, in that language's interface, showing the
// text of its fallback marked with the fallback's lang, saying so in the
// visitor's language; the language navigation links to it (never to a
// home page); search engines are sent to the original.
func TestPageWithoutTranslation(t *testing.T) {
	dir := contentCopy(t)
	page := "---\nid: komunikat\ntitle: Komunikat\nsummary: Komunikat dla mieszkańców.\nslug: komunikat\nuntranslated: true\npublished: 2026-11-25\n---\nTreść komunikatu.\n"
	if err := os.WriteFile(filepath.Join(dir, "pages/komunikat.pl.md"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	record(t, dir, "/komunikat", "/en/komunikat", "/uk/komunikat")
	st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), func() time.Time { return testNow })(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, ts := startServer(t, st, web.Config{Now: func() time.Time { return testNow }})
	p := get(t, ts, "/komunikat")
	for tag, want := range map[string]string{"en": "/en/komunikat", "uk": "/uk/komunikat"} {
		if href := p.doc.Find(`nav.lang a[hreflang="`+tag+`"]`).AttrOr("href", ""); href != want {
			t.Errorf("the language navigation links %s to %q, want %q", tag, href, want)
		}
	}
	for path, tc := range map[string]struct{ note, nav string }{
		"/en/komunikat": {"This page has no English version yet. Its text is shown below in Polish.", "Declarations and positions"},
		"/uk/komunikat": {"Ця сторінка ще не перекладена: українська версія поки відсутня. Нижче – польська версія тексту.", "Декларації та позиції"},
	} {
		p := get(t, ts, path)
		if p.status != 200 {
			t.Fatalf("GET %s = %d", path, p.status)
		}
		if lang := p.doc.Find("html").AttrOr("lang", ""); lang != langOf(path) {
			t.Errorf("%s: html lang=%q", path, lang)
		}
		if got := text(p.doc.Find(".translation")); !strings.Contains(got, tc.note) {
			t.Errorf("%s: note %q, want %q", path, got, tc.note)
		}
		if !strings.Contains(text(p.doc.Find("nav.menu")), tc.nav) {
			t.Errorf("%s: the menu is not in the page's language: %q", path, text(p.doc.Find("nav.menu")))
		}
		h1 := p.doc.Find("h1")
		if text(h1) != "Komunikat" || h1.AttrOr("lang", "") != "pl" || p.doc.Find(`[lang="pl"]`).Text() == "" || !strings.Contains(text(p.doc.Find(`main [lang="pl"]`)), "Treść komunikatu.") {
			t.Errorf("%s: the Polish text is not marked lang=pl: h1 %q lang=%q", path, text(h1), h1.AttrOr("lang", ""))
		}
		if c := p.doc.Find("link[rel=canonical]").AttrOr("href", ""); c != ts.URL+"/komunikat" {
			t.Errorf("%s: canonical %q, want the original", path, c)
		}
		if r := p.doc.Find(`meta[name=robots]`).AttrOr("content", ""); !strings.Contains(r, "noindex") {
			t.Errorf("%s: robots %q, want noindex", path, r)
		}
	}
	if strings.Contains(get(t, ts, "/sitemap.xml").body, "/en/komunikat") {
		t.Error("the sitemap lists a page with no text of its own")
	}
}

// TestListPagesAfterTheFirst: page 2 of a list is a page of its own for
// search engines and the language switch: its number in the title, a
// canonical link to itself, alternates and switch to page 2 in English.
func TestListPagesAfterTheFirst(t *testing.T) {
	base := storetest.Content(t, content.Options{})
	_, ts := newServerWith(t, corpus.Site(base, corpus.Options{Declarations: 60, Seed: 1}), web.Config{})
	p := get(t, ts, "/deklaracje?strona=2")
	if p.status != 200 {
		t.Fatalf("GET /deklaracje?strona=2 = %d, want 200", p.status)
	}
	canonical, _ := p.doc.Find(`link[rel=canonical]`).Attr("href")
	if !strings.HasSuffix(canonical, "/deklaracje?strona=2") {
		t.Errorf("canonical of page 2 = %q, want itself", canonical)
	}
	alternates := map[string]string{}
	p.doc.Find(`link[rel=alternate][hreflang]`).Each(func(_ int, s *goquery.Selection) {
		alternates[s.AttrOr("hreflang", "")] = s.AttrOr("href", "")
	})
	if !strings.HasSuffix(alternates["en"], "/en/declarations?page=2") || !strings.HasSuffix(alternates["pl"], "/deklaracje?strona=2") {
		t.Errorf("alternates of page 2 = %v, want page 2 in each language", alternates)
	}
	if href, _ := p.doc.Find(`.lang a[hreflang="en"]`).Attr("href"); href != "/en/declarations?page=2" {
		t.Errorf("language switch of page 2 = %q, want /en/declarations?page=2", href)
	}
	if title := text(p.doc.Find("title")); !strings.Contains(title, "2") || title == text(get(t, ts, "/deklaracje").doc.Find("title")) {
		t.Errorf("page 2 has the title %q, the same as page 1's or without its number", title)
	}
	if en := get(t, ts, "/en/declarations?page=2"); en.status != 200 {
		t.Errorf("GET /en/declarations?page=2 = %d, want 200", en.status)
	}
}

// TestBodyListsLeadToAll: a body's page lists its ten newest declarations
// and links to the list of them all, which is limited to that body, says
// so, and pages through them keeping the limit.
func TestBodyListsLeadToAll(t *testing.T) {
	base := storetest.Content(t, content.Options{})
	site := corpus.Site(base, corpus.Options{Declarations: 400, Seed: 1})
	_, ts := newServerWith(t, site, web.Config{})
	want := 0
	for _, d := range site.Declarations {
		if d.Body == "ump" {
			want++
		}
	}
	if want <= 60 {
		t.Fatalf("the corpus gives UMP %d declarations: too few to need a second page", want)
	}

	p := get(t, ts, "/organizacje/ump")
	if n := p.doc.Find("#deklaracje ~ * li, #deklaracje ~ ul li, section[aria-labelledby=deklaracje] li").Length(); n == 0 || n > 10 {
		t.Errorf("the body page lists %d declarations, want 1 to 10", n)
	}
	all := p.doc.Find(`section[aria-labelledby=deklaracje] a[href^="/deklaracje?"]`)
	href, _ := all.Attr("href")
	if href != "/deklaracje?gremium=ump" || !strings.Contains(text(all), strconv.Itoa(want)) {
		t.Fatalf("link to all the body's declarations: %q %q, want /deklaracje?gremium=ump saying %d", href, text(all), want)
	}

	list := get(t, ts, href)
	if list.status != 200 || !strings.Contains(text(list.doc.Find(".filter")), "Unia Metropolii Polskich") {
		t.Fatalf("GET %s = %d, filter %q", href, list.status, text(list.doc.Find(".filter")))
	}
	if got := text(list.doc.Find(".filter")); got != "Tylko gremium: Unia Metropolii Polskich im. Pawła Adamowicza. Pokaż wszystkie gremia" {
		t.Errorf("the filter says %q", got)
	}
	next, _ := list.doc.Find(`a[rel=next]`).Attr("href")
	if next != "/deklaracje?gremium=ump&strona=2" {
		t.Errorf("next page of the limited list = %q, want /deklaracje?gremium=ump&strona=2", next)
	}
	// Page by page, the limited list holds the body's declarations: as
	// many as it has, each once.
	seen := map[string]bool{}
	for path := href; path != ""; {
		p := get(t, ts, path)
		p.doc.Find("main ul.items li h2 a").Each(func(_ int, s *goquery.Selection) { seen[s.AttrOr("href", "")] = true })
		path, _ = p.doc.Find(`a[rel=next]`).Attr("href")
	}
	if len(seen) != want {
		t.Errorf("the limited list's pages hold %d declarations, want the body's %d", len(seen), want)
	}
	if switchTo, _ := list.doc.Find(`.lang a[hreflang="en"]`).Attr("href"); switchTo != "/en/declarations?body=ump" {
		t.Errorf("language switch of the limited list = %q", switchTo)
	}
	if p := get(t, ts, "/deklaracje?gremium=nie-ma"); p.status != 404 {
		t.Errorf("a list limited to a body that does not exist = %d, want 404", p.status)
	}
	if p := get(t, ts, "/deklaracje?gremium=2021-stanowisko-afganistan"); p.status != 404 {
		t.Errorf("a list limited to a declaration = %d, want 404", p.status)
	}
}

// TestErrorTitles: every page that shows an error says so first in its
// title, in its language (GOV.UK's pattern: a screen reader reads the
// title first); pages without an error do not.
func TestErrorTitles(t *testing.T) {
	_, ts := newServer(t)
	long := strings.Repeat("słowo ", 40)
	for path, prefix := range map[string]string{
		"/nie-ma-takiej-strony":              "Błąd: ",
		"/en/no-such-page":                   "Error: ",
		"/uk/nemaie":                         "Помилка: ",
		"/deklaracje?strona=abc":             "Błąd: ",
		"/en/declarations?page=0":            "Error: ",
		"/szukaj?q=" + url.QueryEscape(long): "Błąd: ",
		"/szukaj?q=***":                      "Błąd: ",
		"/szukaj?q=migracja&typ=nie":         "Błąd: ",
		"/en/search?q=%22a+b+c+d+e+f+g%22":   "Error: ",
		"/uk/poshuk?q=x&rik=abc":             "Помилка: ",
		"/szukaj?q=migracja&strona=101":      "Błąd: ",
	} {
		p := get(t, ts, path)
		if title := text(p.doc.Find("title")); !strings.HasPrefix(title, prefix) {
			t.Errorf("GET %s (%d): title %q, want it to start %q", path, p.status, title, prefix)
		}
	}
	for _, path := range []string{"/", "/szukaj", "/szukaj?q=migracja", "/uk/poshuk?q=%D0%B1%D1%96%D0%B6%D0%B5%D0%BD%D1%86%D1%96%D0%B2", "/deklaracje"} {
		if title := text(get(t, ts, path).doc.Find("title")); strings.HasPrefix(title, "Błąd") || strings.HasPrefix(title, "Помилка") {
			t.Errorf("GET %s: title %q, an error where there is none", path, title)
		}
	}
}

// TestWithdrawnRecordInTheAPI: a record whose pages have expired answers
// 410 in the API as its pages do; a record that never was answers 404.
func TestWithdrawnRecordInTheAPI(t *testing.T) {
	dir := contentCopy(t)
	contenttest.Edit(t, dir, "declarations/2015-stanowisko-relokacja.pl.md", "published: 2026-11-25", "published: 2026-11-25\nexpires: 2026-11-25 10:00")
	now := func() time.Time { return testNow } // 12:00 UTC, after it expired
	st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), now)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, ts := startServer(t, st, web.Config{Now: now})
	for path, want := range map[string]int{
		"/api/v1/declarations/2015-stanowisko-relokacja.json":  410,
		"/deklaracje/2015-stanowisko-relokacja":                410,
		"/uk/deklaratsii/2015-stanowisko-relokacja":            410,
		"/api/v1/declarations/2099-nigdy.json":                 404,
		"/api/v1/meetings/2015-stanowisko-relokacja.json":      404,
		"/api/v1/declarations/2021-stanowisko-afganistan.json": 200,
	} {
		p := get(t, ts, path)
		if p.status != want {
			t.Errorf("GET %s = %d, want %d", path, p.status, want)
		}
		if strings.HasPrefix(path, "/api/") && !strings.HasPrefix(p.header.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s: Content-Type %q, want JSON", path, p.header.Get("Content-Type"))
		}
	}
}

// TestTimelineLabels: the timeline names each entry by what it is, in
// the singular for one meeting, in each language.
func TestTimelineLabels(t *testing.T) {
	_, ts := newServer(t)
	for path, want := range map[string]string{"/os-czasu": "Posiedzenie", "/en/timeline": "Meeting", "/uk/khronolohiia": "Засідання"} {
		p := get(t, ts, path)
		found := false
		p.doc.Find("li").Each(func(_ int, s *goquery.Selection) {
			if s.Find(`a[href*="2022-12-16-komisja-zmp"]`).Length() == 0 {
				return
			}
			meta := text(s.Find(".meta"))
			found = true
			if !strings.Contains(meta, "· "+want) || strings.Contains(meta, want+"a ") {
				t.Errorf("%s: the meeting of 16 December 2022 is labelled %q, want %q", path, meta, want)
			}
		})
		if !found {
			t.Errorf("%s: no entry for the meeting", path)
		}
	}
}

// A Polish phrase in a translated page is in a span with lang="pl" (WCAG
// 3.1.2): the conference's name on the English and Ukrainian pages of the
// 2017 declaration and of the UMP team.
func TestLanguageOfParts(t *testing.T) {
	_, ts := newServer(t)
	for _, path := range []string{"/en/declarations/2017-deklaracja-migracje", "/uk/deklaratsii/2017-deklaracja-migracje",
		"/en/organisations/ump-migration-integration-team"} {
		p := get(t, ts, path)
		span := p.doc.Find(`main span[lang="pl"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.HasPrefix(text(s), "Miasta Integrujące. Integracja = Bezpieczeństwo")
		})
		if p.status != 200 || span.Length() == 0 {
			t.Errorf("GET %s = %d: the conference's Polish name is not marked lang=\"pl\"", path, p.status)
		}
		if strings.Contains(p.body, "{lang=") {
			t.Errorf("GET %s: the mark {lang=…} reached the page", path)
		}
	}
}
