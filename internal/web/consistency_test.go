package web_test

import (
	"encoding/json"
	"encoding/xml"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestHeadsAgreeWithSitemapFeedsAndJSONLD: what a page's head declares of
// itself — its language versions (hreflang, x-default), title, locale and
// dates — is what the sitemap, the feed of its language and its JSON-LD
// declare for it.
func TestHeadsAgreeWithSitemapFeedsAndJSONLD(t *testing.T) {
	_, ts := newServer(t)
	var sm sitemapDoc
	if err := xml.Unmarshal([]byte(get(t, ts, "/sitemap.xml").body), &sm); err != nil {
		t.Fatal(err)
	}
	reg := realLanguages()
	for _, u := range sm.URLs {
		path := strings.TrimPrefix(u.Loc, ts.URL)
		p := get(t, ts, path)
		// hreflang: the same set, with the same addresses.
		var inMap, inHead []string
		for _, l := range u.Links {
			inMap = append(inMap, l.Hreflang+" "+l.Href)
		}
		p.doc.Find(`link[rel=alternate][hreflang]`).Each(func(_ int, s *goquery.Selection) {
			inHead = append(inHead, s.AttrOr("hreflang", "")+" "+s.AttrOr("href", ""))
		})
		sort.Strings(inMap)
		sort.Strings(inHead)
		if strings.Join(inMap, "\n") != strings.Join(inHead, "\n") {
			t.Errorf("%s: the sitemap's alternates\n%s\nthe head's\n%s", path, strings.Join(inMap, "\n"), strings.Join(inHead, "\n"))
		}
		// The locale of the page's language, its canonical address.
		lang := p.doc.Find("html").AttrOr("lang", "")
		if loc := p.doc.Find(`meta[property="og:locale"]`).AttrOr("content", ""); loc != reg.Must(lang).OGLocale {
			t.Errorf("%s: og:locale %q for a page in %s", path, loc, lang)
		}
		if c := p.doc.Find("link[rel=canonical]").AttrOr("href", ""); c != u.Loc {
			t.Errorf("%s: canonical %q, the sitemap says %q", path, c, u.Loc)
		}
		// JSON-LD: the same language, and the same name as the title.
		raw := p.doc.Find(`script[type="application/ld+json"]`).Text()
		if raw == "" {
			continue // a page that is not a record describes nothing
		}
		var ld map[string]any
		if err := json.Unmarshal([]byte(raw), &ld); err != nil {
			t.Errorf("%s: JSON-LD: %v", path, err)
			continue
		}
		if in, ok := ld["inLanguage"]; ok && in != lang {
			t.Errorf("%s: JSON-LD inLanguage %v, the page is in %s", path, in, lang)
		}
		// A record's title; an organisation's name is its own (the title
		// adds the short name).
		if name, ok := ld["name"].(string); ok && ld["@type"] != "Organization" && strings.Join(strings.Fields(name), " ") != text(p.doc.Find("h1")) {
			t.Errorf("%s: JSON-LD name %q, h1 %q", path, name, text(p.doc.Find("h1")))
		}
	}
	// Each feed entry's title and date are its page's.
	for _, lg := range reg.All() {
		feedPath := lg.Prefix + "/" + lg.Segments.Feed
		var feed struct {
			Entries []struct {
				Title   string `xml:"title"`
				Updated string `xml:"updated"`
				Links   []struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal([]byte(get(t, ts, feedPath).body), &feed); err != nil {
			t.Fatalf("%s: %v", feedPath, err)
		}
		for _, e := range feed.Entries {
			link := strings.TrimPrefix(e.Links[0].Href, ts.URL)
			if r := get(t, ts, link); r.status == 301 {
				link = r.header.Get("Location")
			}
			p := get(t, ts, link)
			if h1 := text(p.doc.Find("h1")); h1 != e.Title {
				t.Errorf("%s: entry %q, its page's h1 %q", feedPath, e.Title, h1)
			}
			if d := p.doc.Find(".updated time[datetime], .record-facts time[datetime]").Last().AttrOr("datetime", ""); d != "" && !strings.HasPrefix(e.Updated, d) {
				t.Logf("%s: entry %s updated %s, page says %s", feedPath, link, e.Updated, d)
			}
		}
	}
}
