package web_test

import (
	"encoding/xml"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/web"
	"github.com/krakow/wspolpraca/static"
)

type sitemapDoc struct {
	URLs []struct {
		Loc   string `xml:"loc"`
		Links []struct {
			Rel      string `xml:"rel,attr"`
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"url"`
}

// sitemap returns the paths the sitemap lists.
func sitemap(t *testing.T, base string, body string) []string {
	t.Helper()
	var sm sitemapDoc
	if err := xml.Unmarshal([]byte(body), &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	var paths []string
	for _, u := range sm.URLs {
		if !strings.HasPrefix(u.Loc, base+"/") {
			t.Errorf("sitemap URL %q is not on %s", u.Loc, base)
			continue
		}
		paths = append(paths, strings.TrimPrefix(u.Loc, base))
		langs := map[string]bool{}
		for _, l := range u.Links {
			langs[l.Hreflang] = true
		}
		for _, tag := range append(realLanguages().Tags(), "x-default") {
			if !langs[tag] {
				t.Errorf("sitemap %s: hreflang alternates %v, want every language and x-default", u.Loc, langs)
			}
		}
	}
	return paths
}

// TestAll requests every page in the sitemap and every internal link on
// every page (golang/website's TestAll): each answers 200, or 301 to a page
// that answers 200; every page has the parts every page must have.
func TestAll(t *testing.T) {
	_, ts := newServer(t)
	sm := get(t, ts, "/sitemap.xml")
	if sm.status != 200 {
		t.Fatalf("GET /sitemap.xml = %d", sm.status)
	}
	paths := sitemap(t, ts.URL, sm.body)
	langs := map[string]int{}
	for _, p := range paths {
		langs[langOf(p)]++
	}
	for _, tag := range realLanguages().Tags() {
		if langs["pl"] < 15 || langs[tag] != langs["pl"] {
			t.Errorf("sitemap lists %d pages in %s and %d in Polish; want each page in every language", langs[tag], tag, langs["pl"])
		}
	}

	seen := map[string]bool{}
	queue := append([]string{}, paths...)
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		p := get(t, ts, path)
		if p.status == 301 {
			loc := p.header.Get("Location")
			if next := get(t, ts, loc); next.status != 200 {
				t.Errorf("GET %s: 301 to %s, which answers %d", path, loc, next.status)
			}
			continue
		}
		if p.status != 200 {
			t.Errorf("GET %s = %d (linked from the sitemap or a page)", path, p.status)
			continue
		}
		if p.doc == nil {
			continue // not a page: a stylesheet, an icon, a feed
		}
		checkPage(t, path, p)
		p.doc.Find("a[href], link[href]").Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			u, err := url.Parse(href)
			if err != nil {
				t.Errorf("%s: bad link %q", path, href)
				return
			}
			if u.Host != "" && "http://"+u.Host != ts.URL {
				return // another site
			}
			if u.Path == "" || u.Scheme == "mailto" {
				return
			}
			target := u.Path
			if u.RawQuery != "" {
				target += "?" + u.RawQuery
			}
			if !seen[target] {
				queue = append(queue, target)
			}
		})
	}
	if len(seen) < len(paths) {
		t.Errorf("crawled %d URLs, fewer than the sitemap's %d", len(seen), len(paths))
	}
}

// leftPlaceholder is a {name} of a message or of the stored HTML.
var leftPlaceholder = regexp.MustCompile(`\{[a-z]+\}`)

// doubleStop finds two full stops that are not an ellipsis: "2022 r..".
var doubleStop = regexp.MustCompile(`\S{0,20}[^.]\.\.(?:[^.]|$)`)

func langOf(path string) string { return realLanguages().OfPath(path).Tag }

// realLanguages is the language registry of the real content.
var realLanguages = sync.OnceValue(func() *lang.Registry {
	site, err := content.Load(os.DirFS("../../content"), content.Options{Assets: static.FS})
	if err != nil {
		panic(err)
	}
	return site.Languages
})

// checkPage asserts what every page has: one h1, its language, landmarks,
// a skip link first, a canonical link, a last-updated date, breadcrumbs
// below the home page, and no double escaping.
func checkPage(t *testing.T, path string, p page) {
	t.Helper()
	d := p.doc
	if n := d.Find("h1").Length(); n != 1 {
		t.Errorf("%s: %d h1 elements, want 1", path, n)
	}
	if lang, _ := d.Find("html").Attr("lang"); lang != langOf(path) {
		t.Errorf("%s: lang=%q, want %q", path, lang, langOf(path))
	}
	for _, sel := range []string{"header", "main#main", "footer", "nav.lang a[hreflang]", "link[rel=canonical]", "title", "meta[name=description]"} {
		if d.Find(sel).Length() == 0 {
			t.Errorf("%s: no %s", path, sel)
		}
	}
	if first := d.Find("body a").First(); first.AttrOr("href", "") != "#main" {
		t.Errorf("%s: the first link is %q, want the skip link to #main", path, first.AttrOr("href", ""))
	}
	if d.Find(".updated time[datetime], .record-facts time[datetime]").Length() == 0 {
		t.Errorf("%s: no last-updated date", path)
	}
	if path != realLanguages().OfPath(path).Home() && d.Find("nav.crumbs li").Length() < 2 {
		t.Errorf("%s: no breadcrumbs", path)
	}
	for _, bad := range []string{"&amp;lt;", "&amp;gt;", "&amp;amp;", "&amp;quot;", "&lt;p&gt;", "&lt;a "} {
		if strings.Contains(p.body, bad) {
			t.Errorf("%s: double-escaped HTML %q", path, bad)
		}
	}
	// No placeholder of a catalogue or of the stored HTML is left, in the
	// text or in an attribute (a screen reader would read it).
	for _, m := range leftPlaceholder.FindAllString(p.body, -1) {
		if m != "{id}" && m != "{tag}" { // the data page's address templates
			t.Errorf("%s: placeholder %s left in the page", path, m)
		}
	}
	if n := d.Find(`meta[content=""]`).Length(); n > 0 {
		t.Errorf("%s: %d empty <meta> tags", path, n)
	}
	if m := doubleStop.FindString(text(d.Find("body"))); m != "" {
		t.Errorf("%s: a sentence ends with two full stops: %q", path, m)
	}
	// A line of facts has no separator at either end or twice in a row
	// (a value the source does not give leaves no "·" behind).
	d.Find(".meta, .kicker").Each(func(_ int, s *goquery.Selection) {
		m := text(s)
		if strings.HasPrefix(m, "·") || strings.HasSuffix(m, "·") || strings.Contains(m, "· ·") {
			t.Errorf("%s: a dangling separator in %q", path, m)
		}
	})
	ids := map[string]bool{}
	d.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id := s.AttrOr("id", "")
		if ids[id] {
			t.Errorf("%s: duplicate id %q", path, id)
		}
		ids[id] = true
	})
	d.Find(`a[href^="#"]`).Each(func(_ int, s *goquery.Selection) {
		if id := strings.TrimPrefix(s.AttrOr("href", ""), "#"); id != "" && !ids[id] {
			t.Errorf("%s: link to #%s, which is not on the page", path, id)
		}
	})
}

// TestHTMLInjection: hostile paths and queries get 400 or 404, and any of
// the input shown on the page is escaped (pkgsite's TestHTMLInjection).
func TestHTMLInjection(t *testing.T) {
	_, ts := newServer(t)
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/<script>alert(1)</script>", 404},
		{"/%3Cscript%3Ealert(1)%3C/script%3E", 404},
		{"/deklaracje/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E", 404},
		{"/..%2f..%2f..%2fetc%2fpasswd", 404},
		{"/static/..%2f..%2fgo.mod", 404},
		{"/en/declarations?page=%3Cscript%3E", 400},
		{"/deklaracje?strona=1%27%20OR%201=1--", 400},
		{"/deklaracje?strona=99999999999999999999", 400},
		{"/" + strings.Repeat("a", 3000), 400},
		{"/deklaracje?x=" + strings.Repeat("%3C", 2000), 400},
		{"/%ff%fe", 400},
		{"//evil.example/", 404},    // an open redirect, were the slash trimmed
		{"/\\evil.example/", 404},   // browsers read /\ as //
		{"/%09/evil.example/", 404}, // browsers drop the tab: //evil.example
		{"/%0A/evil.example/", 404},
	} {
		p := get(t, ts, tc.path)
		if p.status != tc.status {
			t.Errorf("GET %.80s = %d, want %d", tc.path, p.status, tc.status)
		}
		for _, bad := range []string{"<script>alert", "<img src=x", "onerror=alert"} {
			if strings.Contains(p.body, bad) {
				t.Errorf("GET %.80s: the page contains %q unescaped", tc.path, bad)
			}
		}
		if loc := p.header.Get("Location"); loc != "" {
			t.Errorf("GET %.80s redirects to %q", tc.path, loc)
		}
		if p.doc == nil || p.doc.Find("h1").Length() != 1 {
			t.Errorf("GET %.80s: no error page in the site's layout", tc.path)
		} else if n := p.doc.Find(`meta[content=""]`).Length(); n > 0 {
			t.Errorf("GET %.80s: %d empty <meta> tags", tc.path, n)
		}
	}
}

// TestNoForeignInterfaceWords: a page in a translation has no interface
// text of another language — no message of another catalogue that its own
// does not share — outside elements marked with another lang (the language
// navigation's endonyms, a text shown in its fallback language).
func TestNoForeignInterfaceWords(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	_, ts := newServerWith(t, site, web.Config{})
	chunks := func(tag string) []string {
		var out []string
		for _, m := range site.Catalogues[tag].Messages {
			texts := []string{m.Text}
			for _, p := range m.Plural {
				texts = append(texts, p)
			}
			for _, s := range texts {
				for _, c := range regexp.MustCompile(`\{[a-z]+\}`).Split(s, -1) {
					if c = strings.TrimSpace(strings.Trim(c, " .,:;()–")); utf8.RuneCountInString(c) >= 4 {
						out = append(out, c)
					}
				}
			}
		}
		return out
	}
	for _, l := range site.Languages.All() {
		if l.Authoritative {
			continue
		}
		own := strings.Join(chunks(l.Tag), "\n")
		var foreign []string
		for _, other := range site.Languages.All() {
			if other.Tag == l.Tag {
				continue
			}
			for _, c := range chunks(other.Tag) {
				if !strings.Contains(own, c) && !slices.Contains(foreign, c) {
					foreign = append(foreign, c)
				}
			}
		}
		pages := 0
		for _, path := range sitemap(t, ts.URL, get(t, ts, "/sitemap.xml").body) {
			if langOf(path) != l.Tag {
				continue
			}
			pages++
			p := get(t, ts, path)
			p.doc.Find("script").Remove()
			p.doc.Find("[lang]").Not("html").Each(func(_ int, s *goquery.Selection) {
				if s.AttrOr("lang", "") != l.Tag {
					s.Remove()
				}
			})
			var b strings.Builder
			b.WriteString(text(p.doc.Find("html")))
			p.doc.Find("[aria-label], [title], [placeholder], [alt], meta[name=description], title").Each(func(_ int, s *goquery.Selection) {
				for _, a := range []string{"aria-label", "title", "placeholder", "alt", "content"} {
					b.WriteString(" " + s.AttrOr(a, ""))
				}
			})
			page := b.String()
			for _, c := range foreign {
				if i := strings.Index(page, c); i >= 0 && wordAt(page, i, len(c)) {
					t.Errorf("%s: %q, interface text of another language", path, c)
				}
			}
		}
		if pages < 15 {
			t.Errorf("%d pages in %s", pages, l.Tag)
		}
	}
}

// wordAt reports whether s[i:i+n] is whole words: no letter just before
// or after it.
func wordAt(s string, i, n int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i+n:])
	return !unicode.IsLetter(before) && !unicode.IsLetter(after)
}
