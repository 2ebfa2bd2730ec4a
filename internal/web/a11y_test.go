package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/krakow/wspolpraca/internal/content/contenttest"
	"github.com/krakow/wspolpraca/internal/web"
)

// statementIDs are the elements the technical conditions of the Polish
// accessibility statement (version 2.0) require, by id.
var statementIDs = []string{
	"a11y-wstep", "a11y-podmiot", "a11y-zakres", "a11y-url", "a11y-data-publikacja", "a11y-data-aktualizacja",
	"a11y-status", "a11y-data-sporzadzenie", "a11y-kontakt", "a11y-email", "a11y-telefon", "a11y-procedura",
	"a11y-architektura", "a11y-komunikacja",
}

// TestAccessibilityStatement checks the statement in both languages: every
// required id, real dates in <time datetime="YYYY-MM-DD">, and the meta tag
// that announces it on every page.
func TestAccessibilityStatement(t *testing.T) {
	_, ts := newServer(t)
	isoDate := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	for _, tc := range []struct{ path, h1, heading string }{
		{"/deklaracja-dostepnosci", "Deklaracja dostępności", "Obsługa wniosków i skarg związanych z dostępnością"},
		{"/en/accessibility-statement", "Accessibility statement", "Requests and complaints about accessibility"},
		{"/uk/zaiava-pro-dostupnist", "Заява про доступність", "Розгляд запитів і скарг, пов’язаних із доступністю"},
	} {
		p := get(t, ts, tc.path)
		if p.status != 200 || text(p.doc.Find("h1")) != tc.h1 {
			t.Fatalf("GET %s = %d, h1 %q", tc.path, p.status, text(p.doc.Find("h1")))
		}
		for _, id := range statementIDs {
			el := p.doc.Find("#" + id)
			if el.Length() != 1 || strings.TrimSpace(el.Text()) == "" {
				t.Errorf("%s: #%s missing or empty", tc.path, id)
			}
		}
		for _, id := range []string{"a11y-data-publikacja", "a11y-data-aktualizacja", "a11y-data-sporzadzenie"} {
			el := p.doc.Find("time#" + id)
			dt, _ := el.Attr("datetime")
			if !isoDate.MatchString(dt) {
				t.Errorf("%s: #%s is not a <time datetime=\"YYYY-MM-DD\">: %q", tc.path, id, dt)
				continue
			}
			if _, err := time.Parse("2006-01-02", dt); err != nil || strings.TrimSpace(el.Text()) == "" {
				t.Errorf("%s: #%s datetime %q, text %q", tc.path, id, dt, el.Text())
			}
		}
		if href, _ := p.doc.Find("#a11y-url").Attr("href"); !strings.HasPrefix(href, ts.URL) {
			t.Errorf("%s: #a11y-url links to %q", tc.path, href)
		}
		// No source gives the contact details: the statement says the City
		// will add them, and shows no address or number.
		if p.doc.Find(`#a11y-email[href], #a11y-telefon[href], a[href^="mailto:"], a[href^="tel:"]`).Length() != 0 {
			t.Errorf("%s: a contact detail nobody confirmed is published", tc.path)
		}
		if !strings.Contains(text(p.doc.Find("#a11y-procedura")), "7") || p.doc.Find(`#a11y-procedura a[href="https://bip.brpo.gov.pl/"]`).Length() != 1 {
			t.Errorf("%s: the procedure lacks the 7-day deadline or the Ombudsman", tc.path)
		}
		found := false
		p.doc.Find("h2").Each(func(_ int, s *goquery.Selection) { found = found || text(s) == tc.heading })
		if !found {
			t.Errorf("%s: no heading %q", tc.path, tc.heading)
		}
	}
	// Every page announces the statement, and links to it from its footer.
	for _, path := range sitemap(t, ts.URL, get(t, ts, "/sitemap.xml").body) {
		p := get(t, ts, path)
		statement := map[string]string{"pl": "/deklaracja-dostepnosci", "en": "/en/accessibility-statement", "uk": "/uk/zaiava-pro-dostupnist"}[langOf(path)]
		if c, _ := p.doc.Find(`meta[name="deklaracja-dostępności"]`).Attr("content"); c != ts.URL+statement {
			t.Errorf("%s: meta deklaracja-dostępności = %q", path, c)
		}
		if p.doc.Find(`footer a[href="`+statement+`"]`).Length() != 1 {
			t.Errorf("%s: the footer does not link to the statement", path)
		}
	}
}

// pageBudget is the most a page may weigh, its HTML and the stylesheet
// compressed with gzip: 14 KB, what the first round trip of a connection
// carries.
const pageBudget = 14 * 1024

// TestPageWeight keeps every page within the budget, with no script to run
// and nothing loaded from another host.
func TestPageWeight(t *testing.T) {
	_, ts := newServer(t)
	gz := func(b string) int {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write([]byte(b))
		w.Close()
		return buf.Len()
	}
	home := get(t, ts, "/")
	css := get(t, ts, home.doc.Find(`link[rel=stylesheet]`).AttrOr("href", ""))
	cssSize := gz(css.body)
	heaviest, heaviestPath := 0, ""
	for _, path := range append(sitemap(t, ts.URL, get(t, ts, "/sitemap.xml").body), "/szukaj?q=uchodzcy") {
		p := get(t, ts, path)
		size := gz(p.body) + cssSize
		if size > heaviest {
			heaviest, heaviestPath = size, path
		}
		if size > pageBudget {
			t.Errorf("%s: %d bytes compressed (HTML %d + CSS %d), over the budget of %d", path, size, gz(p.body), cssSize, pageBudget)
		}
		if n := p.doc.Find(`script:not([type="application/ld+json"])`).Length(); n > 0 {
			t.Errorf("%s: %d scripts", path, n)
		}
		p.doc.Find("link[href], img[src], script[src], iframe[src], source[src]").Each(func(_ int, s *goquery.Selection) {
			ref := s.AttrOr("href", s.AttrOr("src", ""))
			rel := s.AttrOr("rel", "")
			if strings.Contains(rel, "alternate") || strings.Contains(rel, "canonical") {
				return // links, not loads
			}
			if strings.Contains(ref, "://") && !strings.HasPrefix(ref, ts.URL) || strings.HasPrefix(ref, "//") {
				t.Errorf("%s: loads %s from another host", path, ref)
			}
		})
	}
	t.Logf("heaviest page: %s, %d bytes compressed with the stylesheet (budget %d)", heaviestPath, heaviest, pageBudget)
}

// contactPattern finds what looks like an e-mail address or a Polish
// phone number in a page's text.
var contactPattern = regexp.MustCompile(`[\w.+-]+@[\w-]+\.[\w.]+|\b\d{2}[ -]?\d{3}[ -]?\d{2}[ -]?\d{2}\b|\+48`)

// TestOnlyConfirmedContacts: no e-mail address or phone number appears on
// any page unless the content marks it confirmed; once it is, the
// statement links it.
func TestOnlyConfirmedContacts(t *testing.T) {
	_, ts := newServer(t)
	for _, path := range sitemap(t, ts.URL, get(t, ts, "/sitemap.xml").body) {
		p := get(t, ts, path)
		if m := contactPattern.FindString(text(p.doc.Find("body"))); m != "" {
			t.Errorf("%s shows %q, a contact detail no content confirms", path, m)
		}
	}
	dir := contentCopy(t)
	contenttest.Edit(t, dir, "pages/accessibility.pl.md", "  architecture:", "  contact: Koordynator ds. dostępności\n  email: dostepnosc@example.org\n  phone: 12 345 67 89\n  confirmed: [email]\n  architecture:")
	now := func() time.Time { return testNow }
	st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), now)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, ts2 := startServer(t, st, web.Config{Now: now})
	p := get(t, ts2, "/deklaracja-dostepnosci")
	if href := p.doc.Find("#a11y-email").AttrOr("href", ""); href != "mailto:dostepnosc@example.org" {
		t.Errorf("a confirmed e-mail address: #a11y-email href %q", href)
	}
	if strings.Contains(p.body, "345 67 89") || strings.Contains(p.body, "Koordynator ds. dost") {
		t.Error("an unconfirmed phone number or contact is published")
	}
}
