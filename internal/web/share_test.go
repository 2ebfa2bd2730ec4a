package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"image"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/content/contenttest"
	"github.com/krakow/wspolpraca/internal/share"
	"github.com/krakow/wspolpraca/internal/web"
	"github.com/krakow/wspolpraca/static"
)

// TestShareImages: every page of the sitemap, in every language, names its
// share image in its head (og:image, absolute, with its type, size and a
// description in the page's language; Twitter's large card), and that
// address answers a 1200×630 PNG of at most 100 KB that is not blank, kept
// in the cache with an ETag. Pages with different titles have different
// images.
func TestShareImages(t *testing.T) {
	_, ts := newServer(t)
	site, err := content.Load(os.DirFS("../../content"), content.Options{Assets: static.FS})
	if err != nil {
		t.Fatal(err)
	}
	paths := sitemap(t, ts.URL, get(t, ts, "/sitemap.xml").body)
	byImage := map[[32]byte]string{} // image → a title it shows
	alts := map[string]string{}      // language → an og:image:alt
	minSize, maxSize, images := 1<<30, 0, 0
	for _, path := range paths {
		p := get(t, ts, path)
		if p.status != 200 || p.doc == nil {
			t.Errorf("GET %s = %d", path, p.status)
			continue
		}
		meta := func(attr, name string) string {
			return p.doc.Find(`meta[`+attr+`="`+name+`"]`).AttrOr("content", "")
		}
		lang := langOf(path)
		l := catalog.NewLabels(site.Catalogues[lang])
		title := meta("property", "og:title")
		src := meta("property", "og:image")
		for name, want := range map[string]string{
			"og:image:type": "image/png", "og:image:width": "1200", "og:image:height": "630",
			"og:image:alt": catalog.Fill(l.ShareImageAlt, "title", title, "site", l.SiteName),
		} {
			if got := meta("property", name); got != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
		if got := meta("name", "twitter:card"); got != "summary_large_image" {
			t.Errorf("%s: twitter:card = %q", path, got)
		}
		alts[lang] = meta("property", "og:image:alt")
		if !strings.HasPrefix(src, ts.URL+"/og") {
			t.Errorf("%s: og:image = %q, want an absolute URL of the site under /og", path, src)
			continue
		}
		res, body := fetch(t, "GET", src)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
			t.Errorf("GET %s = %d %s, want 200 image/png", src, res.StatusCode, res.Header.Get("Content-Type"))
			continue
		}
		if res.Header.Get("Etag") == "" || !strings.Contains(res.Header.Get("Cache-Control"), "max-age=") {
			t.Errorf("GET %s: ETag %q, Cache-Control %q", src, res.Header.Get("Etag"), res.Header.Get("Cache-Control"))
		}
		img, err := png.Decode(bytes.NewReader(body))
		if err != nil {
			t.Errorf("GET %s: %v", src, err)
			continue
		}
		if got := img.Bounds().Size(); got != image.Pt(1200, 630) {
			t.Errorf("GET %s: %v, want 1200×630", src, got)
		}
		if len(body) > 100<<10 {
			t.Errorf("GET %s: %d bytes, over 100 KB", src, len(body))
		}
		if v := share.LumaVariance(img); v < 100 {
			t.Errorf("GET %s: luma variance %.0f: blank", src, v)
		}
		sum := sha256.Sum256(body)
		if other, ok := byImage[sum]; ok && other != title {
			t.Errorf("GET %s: the same image for %q and %q", src, title, other)
		}
		byImage[sum] = title
		minSize, maxSize, images = min(minSize, len(body)), max(maxSize, len(body)), images+1
	}
	if images < 30 {
		t.Errorf("%d images checked: the test would prove little", images)
	}
	t.Logf("%d images: %.1f–%.1f KB", images, float64(minSize)/1024, float64(maxSize)/1024)
	// Each language describes the image in its own words.
	seen := map[string]string{}
	for lang, alt := range alts {
		if other, ok := seen[alt]; ok {
			t.Errorf("og:image:alt in %s is the one in %s: %q", lang, other, alt)
		}
		seen[alt] = lang
	}
	if len(alts) != len(site.Languages.Tags()) {
		t.Errorf("og:image:alt in %d languages, want %d", len(alts), len(site.Languages.Tags()))
	}
}

// TestShareImageAddresses: the share images of home pages, of a page
// shown in its fallback's language, and of nothing; conditional requests
// get 304, HEAD no body.
func TestShareImageAddresses(t *testing.T) {
	_, ts := newServer(t)
	reg := languages(t)
	for _, l := range reg.All() {
		home := get(t, ts, l.Home())
		src := home.doc.Find(`meta[property="og:image"]`).AttrOr("content", "")
		if want := ts.URL + "/og" + l.Prefix + ".png"; src != want {
			t.Errorf("%s: og:image %q, want %q", l.Home(), src, want)
		}
	}
	// Link-preview crawlers that read robots.txt (Twitterbot) may fetch them.
	if robots := get(t, ts, "/robots.txt").body; strings.Contains(robots, "Disallow: /og") {
		t.Errorf("robots.txt keeps crawlers from the share images:\n%s", robots)
	}
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/og.png", 200},
		{"/og" + langPrefix(t, "en") + ".png", 200},
		{"/og/deklaracje/2021-stanowisko-afganistan.png", 200},
		{"/og/deklaracje/nie-ma-takiej.png", 404},
		{"/og/deklaracje/2021-stanowisko-afganistan", 404},
		{"/og/deklaracje/2021-stanowisko-afganistan.jpg", 404},
		{"/og/", 404},
		{"/og/.png", 404},
		{"/og/d/2021-stanowisko-afganistan.png", 404}, // a permanent link is no page
	} {
		res, body := fetch(t, "GET", ts.URL+tc.path)
		if res.StatusCode != tc.status {
			t.Errorf("GET %s = %d, want %d", tc.path, res.StatusCode, tc.status)
			continue
		}
		if tc.status != 200 {
			continue
		}
		if _, err := png.DecodeConfig(bytes.NewReader(body)); err != nil {
			t.Errorf("GET %s: %v", tc.path, err)
		}
		etag := res.Header.Get("Etag")
		if res, _ := fetch(t, "GET", ts.URL+tc.path, "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s If-None-Match %s = %d, want 304", tc.path, etag, res.StatusCode)
		}
		if res, body := fetch(t, "HEAD", ts.URL+tc.path); res.StatusCode != 200 || len(body) != 0 || res.Header.Get("Etag") != etag {
			t.Errorf("HEAD %s = %d, %d bytes, ETag %q", tc.path, res.StatusCode, len(body), res.Header.Get("Etag"))
		}
		if res, again := fetch(t, "GET", ts.URL+tc.path+"?utm_source=x"); res.Header.Get("Etag") != etag || !bytes.Equal(again, body) {
			t.Errorf("GET %s again: another image", tc.path)
		}
	}
}

// TestShareImageFollowsContent: an image is kept for its content version
// (the same bytes and ETag each time) and drawn anew when a reload changes
// the page's title.
func TestShareImageFollowsContent(t *testing.T) {
	dir := contentCopy(t)
	db := filepath.Join(t.TempDir(), "site.db")
	st, err := loader(dir, db, nil)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv, ts := startServer(t, st, web.Config{})
	src := ts.URL + "/og/deklaracje/2021-stanowisko-afganistan.png"
	before, old := fetch(t, "GET", src)
	etag := before.Header.Get("Etag")
	if res, again := fetch(t, "GET", src); res.Header.Get("Etag") != etag || !bytes.Equal(again, old) {
		t.Errorf("the same content version gave another image")
	}
	file := "declarations/2021-stanowisko-afganistan.pl.md"
	contenttest.Edit(t, dir, file, "title: Stanowisko prezydentów miast UMP", "title: Nowy tytuł stanowiska prezydentów miast UMP")
	if err := srv.Reload(context.Background(), loader(dir, db, nil)); err != nil {
		t.Fatal(err)
	}
	res, body := fetch(t, "GET", src, "If-None-Match", etag)
	if res.StatusCode != 200 || res.Header.Get("Etag") == etag || bytes.Equal(body, old) {
		t.Errorf("after a new title: %d, ETag %s (was %s), same image %v", res.StatusCode, res.Header.Get("Etag"), etag, bytes.Equal(body, old))
	}
}
