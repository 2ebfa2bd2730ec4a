package web_test

import (
	"encoding/xml"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
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
		if !langs["pl"] || !langs["en"] {
			t.Errorf("sitemap %s: hreflang alternates %v, want pl and en", u.Loc, langs)
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
	if langs["pl"] < 15 || langs["pl"] != langs["en"] {
		t.Errorf("sitemap lists %d Polish and %d English pages", langs["pl"], langs["en"])
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

// doubleStop finds two full stops that are not an ellipsis: "2022 r..".
var doubleStop = regexp.MustCompile(`\S{0,20}[^.]\.\.(?:[^.]|$)`)

func langOf(path string) string {
	if strings.HasPrefix(path, "/en/") {
		return "en"
	}
	return "pl"
}

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
	if path != "/" && path != "/en/" && d.Find("nav.crumbs li").Length() < 2 {
		t.Errorf("%s: no breadcrumbs", path)
	}
	for _, bad := range []string{"&amp;lt;", "&amp;gt;", "&amp;amp;", "&amp;quot;", "&lt;p&gt;", "&lt;a "} {
		if strings.Contains(p.body, bad) {
			t.Errorf("%s: double-escaped HTML %q", path, bad)
		}
	}
	if n := d.Find(`meta[content=""]`).Length(); n > 0 {
		t.Errorf("%s: %d empty <meta> tags", path, n)
	}
	if m := doubleStop.FindString(text(d.Find("body"))); m != "" {
		t.Errorf("%s: a sentence ends with two full stops: %q", path, m)
	}
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
