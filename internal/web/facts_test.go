package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/content/contenttest"
	"github.com/krakow/wspolpraca/internal/content/videotest"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/web"
)

// signVideoSite serves a copy of content/ and static/ in which the about
// page has a recording in Polish Sign Language: a six-second clip written
// by the test (no encoder needed), its captions and its poster. edit, if
// not nil, changes the content copy first.
func signVideoSite(t *testing.T, edit func(dir string)) (*httptest.Server, string) {
	t.Helper()
	dir := contentCopy(t)
	staticDir := filepath.Join(t.TempDir(), "static")
	if err := os.CopyFS(staticDir, os.DirFS(filepath.Join(storetest.Root(t), "static"))); err != nil {
		t.Fatal(err)
	}
	if err := videotest.Write(staticDir, "o-serwisie-pjm", 6*time.Second, 3); err != nil {
		t.Fatal(err)
	}
	field := videotest.Field("o-serwisie-pjm", "Dzień dobry. Ten serwis jest o udziale Krakowa we współpracy miast.")
	src, err := os.ReadFile(filepath.Join(dir, "pages", "about.pl.md"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "pages", "about.pl.md"), []byte(strings.Replace(string(src), "footer: 1\n", "footer: 1\n"+field, 1)))
	if edit != nil {
		edit(dir)
	}
	assets := os.DirFS(staticDir)
	site, err := content.Load(os.DirFS(dir), content.Options{Assets: assets, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := storetest.Open(t, site)
	_, ts := startServer(t, st, web.Config{Assets: assets})
	return ts, staticDir
}

// TestSignVideoPage: a page with a recording shows a native player that
// loads nothing until played, with its poster, its captions track (in the
// captions' language, labelled in the page's), its length and size, a
// download link and the transcript; the static files are served with the
// media types browsers need; the accessibility statement links to it in
// every language; and the page passes axe and html-validate.
func TestSignVideoPage(t *testing.T) {
	ts, staticDir := signVideoSite(t, nil)
	p := get(t, ts, "/o-serwisie")
	if p.status != 200 {
		t.Fatalf("GET /o-serwisie = %d", p.status)
	}
	v := p.doc.Find("section.sign-video video")
	if v.Length() != 1 {
		t.Fatalf("/o-serwisie: no video:\n%s", p.body)
	}
	for attr, want := range map[string]string{"preload": "none", "poster": "/static/video/o-serwisie-pjm.png", "aria-labelledby": "pjm"} {
		if got := v.AttrOr(attr, "?"); got != want {
			t.Errorf("video %s = %q, want %q", attr, got, want)
		}
	}
	if _, ok := v.Attr("controls"); !ok {
		t.Error("video has no controls")
	}
	if src := v.Find("source"); src.AttrOr("src", "") != "/static/video/o-serwisie-pjm.mp4" || src.AttrOr("type", "") != "video/mp4" {
		t.Errorf("source = %q (%q)", src.AttrOr("src", ""), src.AttrOr("type", ""))
	}
	tr := v.Find(`track[kind="captions"]`)
	if tr.AttrOr("src", "") != "/static/video/o-serwisie-pjm.vtt" || tr.AttrOr("srclang", "") != "pl" || tr.AttrOr("label", "") != "Napisy: polski" {
		html, _ := goquery.OuterHtml(tr)
		t.Errorf("track = %s", html)
	}
	meta := text(p.doc.Find("section.sign-video p.meta"))
	size := float64(len(videotest.MP4(6*time.Second))) / (1 << 20)
	if !strings.Contains(meta, "Czas trwania: 6 s.") || !strings.Contains(meta, "Pobierz nagranie (MP4, 0,1 MB)") || size > 0.1 {
		t.Errorf("meta = %q", meta)
	}
	if a := p.doc.Find("section.sign-video p.meta a[download]"); a.AttrOr("href", "") != "/static/video/o-serwisie-pjm.mp4" {
		t.Errorf("download link = %q", a.AttrOr("href", ""))
	}
	if got := text(p.doc.Find("section.sign-video .prose")); !strings.Contains(got, "Ten serwis jest o udziale Krakowa") {
		t.Errorf("transcript = %q", got)
	}
	if en := get(t, ts, "/en/about").doc.Find("section.sign-video"); en.Find(`track[label="Captions: Polish"]`).Length() != 1 ||
		en.Find(`.prose[lang="pl"]`).Length() != 1 {
		t.Errorf("/en/about: the captions are not labelled in English, or the Polish transcript is not marked pl")
	}
	for path, want := range map[string]string{
		"/static/video/o-serwisie-pjm.vtt": "text/vtt; charset=utf-8",
		"/static/video/o-serwisie-pjm.mp4": "video/mp4",
		"/static/video/o-serwisie-pjm.png": "image/png",
	} {
		if r := get(t, ts, path); r.status != 200 || r.header.Get("Content-Type") != want {
			t.Errorf("GET %s = %d %q, want %q", path, r.status, r.header.Get("Content-Type"), want)
		}
	}
	// A recording of real size (past the cache's 1 MB in memory) answers
	// the Range requests players send (Safari's first is bytes=0-1), from
	// the second request on as from the first.
	big := append(videotest.MP4(6*time.Second), make([]byte, 3<<20)...)
	write(t, filepath.Join(staticDir, "video", "duzy.mp4"), big)
	for i := range 2 {
		req, _ := http.NewRequest("GET", ts.URL+"/static/video/duzy.mp4", nil)
		req.Header.Set("Range", "bytes=0-1")
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusPartialContent || !bytes.Equal(body, big[:2]) ||
			res.Header.Get("Content-Range") != fmt.Sprintf("bytes 0-1/%d", len(big)) || res.Header.Get("Content-Type") != "video/mp4" {
			t.Errorf("request %d: Range bytes=0-1 of a 3 MB recording = %d %q %q, %d bytes", i+1, res.StatusCode,
				res.Header.Get("Content-Range"), res.Header.Get("Content-Type"), len(body))
		}
	}
	if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "media-src 'self'") {
		t.Errorf("CSP %q does not allow the site's own media", csp)
	}
	for path, want := range map[string]string{
		"/deklaracja-dostepnosci":     "znajdują się w nagraniu na stronie O serwisie",
		"/en/accessibility-statement": "is in the recording on the page About this site",
	} {
		s := get(t, ts, path).doc.Find("#a11y-pjm")
		if !strings.Contains(text(s), want) || s.Find("a").Length() != 1 {
			t.Errorf("%s: #a11y-pjm = %q, want a link and %q", path, text(s), want)
		}
	}

	// html-validate and axe, as every page of the site.
	root := storetest.Root(t)
	if !testing.Short() {
		validator := need(t, "html-validate", filepath.Join(root, "node_modules", ".bin", "html-validate"), "npm ci")
		f := filepath.Join(t.TempDir(), "o-serwisie.html")
		write(t, f, []byte(p.body))
		if out, err := exec.Command(validator, "--config", filepath.Join(root, ".htmlvalidate.json"), "--formatter", "text", f).CombinedOutput(); err != nil {
			t.Errorf("html-validate /o-serwisie:\n%s", out)
		}
	}
	ctx := browser(t)
	axe := axeSource(t)
	for _, width := range []int64{1280, 320} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		checkInBrowser(t, ctx, ts, axe, "/o-serwisie", width)
	}
	// The browser reads the captions' cues as the track (no script of the
	// site's: the test's own, through the DevTools protocol).
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(cctx, chromedp.Navigate(ts.URL+"/o-serwisie")); err != nil {
		t.Fatal(err)
	}
	cues, err := evalJSON[int](cctx, `new Promise((ok, fail) => {
		const v = document.querySelector('video'), t = v.textTracks[0];
		t.mode = 'hidden';
		const el = document.querySelector('track');
		if (el.readyState === 2) return ok(JSON.stringify(t.cues.length));
		el.addEventListener("load", () => ok(JSON.stringify(t.cues.length)));
		el.addEventListener('error', () => fail('the captions did not load'));
	})`)
	if err != nil || cues != 3 {
		t.Errorf("Chromium read %d cues, %v; want 3", cues, err)
	}
	_ = staticDir
}

// TestNoSignVideoOnTheLiveSite: the real content has no recording, so no
// page shows a video, and the statement says, in every language, that
// the recording is not yet available (and where the easy-to-read text
// is).
func TestNoSignVideoOnTheLiveSite(t *testing.T) {
	_, ts := newServer(t)
	for _, path := range sitemap(t, ts.URL, get(t, ts, "/sitemap.xml").body) {
		if p := get(t, ts, path); p.doc.Find("video, audio").Length() > 0 {
			t.Errorf("%s shows a recording, but the content has none", path)
		}
	}
	for path, want := range map[string]string{
		"/deklaracja-dostepnosci":     "nie jest jeszcze dostępne",
		"/en/accessibility-statement": "is not yet available",
		"/uk/zaiava-pro-dostupnist":   "поки що недоступний",
	} {
		p := get(t, ts, path)
		if got := text(p.doc.Find("#a11y-pjm")); !strings.Contains(got, want) || p.doc.Find("#a11y-pjm a").Length() != 0 {
			t.Errorf("%s: #a11y-pjm = %q, want %q and no link", path, got, want)
		}
		if p.doc.Find(`.prose a[href$="latwy-tekst"], .prose a[href$="easy-read"], .prose a[href$="tekst-dlia-lehkoho-chytannia"]`).Length() != 1 {
			t.Errorf("%s does not say where the easy-to-read text is", path)
		}
	}
}

// TestReusePage: the page on re-use says who will give the conditions and
// the licence while the City has confirmed neither, shows them once
// confirmed, and is linked, with the catalogue, from the data page.
func TestReusePage(t *testing.T) {
	_, ts := newServer(t)
	for path, want := range map[string]string{
		"/warunki-ponownego-wykorzystywania": "Ta informacja zostanie opublikowana, gdy potwierdzi ją Gmina Miejska Kraków.",
		"/en/re-use-conditions":              "This information will be published once Municipality of Kraków confirms it.",
		"/uk/umovy-povtornoho-vykorystannia": "Цю інформацію буде опубліковано, коли її підтвердить Міська гміна Краків.",
	} {
		p := get(t, ts, path)
		for _, id := range []string{"#reuse-conditions", "#reuse-license"} {
			if got := text(p.doc.Find(id)); p.status != 200 || !strings.Contains(got, want) {
				t.Errorf("%s %s = %d %q, want %q", path, id, p.status, got, want)
			}
		}
		if p.doc.Find(`a[rel="license"]`).Length() != 0 {
			t.Errorf("%s links a licence nobody confirmed", path)
		}
	}
	for path, reuse := range map[string]string{"/dane": "/warunki-ponownego-wykorzystywania", "/en/data": "/en/re-use-conditions", "/uk/dani": "/uk/umovy-povtornoho-vykorystannia"} {
		d := get(t, ts, path).doc
		for _, href := range []string{reuse, "/api/v1/catalog.jsonld", "/api/v1/catalog.ttl"} {
			if d.Find(`main a[href="`+href+`"]`).Length() == 0 {
				t.Errorf("%s does not link %s", path, href)
			}
		}
	}

	dir := contentCopy(t)
	contenttest.Edit(t, dir, "pages/reuse.pl.md", "  confirmed: []\n", "  conditions: {pl: Podaj źródło., en: Name the source., uk: Зазначте джерело.}\n  license: https://creativecommons.org/licenses/by/4.0/\n  confirmed: [conditions, license]\n")
	st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), func() time.Time { return testNow })(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, ts2 := startServer(t, st, web.Config{})
	p := get(t, ts2, "/en/re-use-conditions")
	if text(p.doc.Find("#reuse-conditions")) != "Name the source." || p.doc.Find(`#reuse-license a[rel="license"]`).AttrOr("href", "") != "https://creativecommons.org/licenses/by/4.0/" {
		t.Errorf("confirmed conditions and licence not shown: %q, %q", text(p.doc.Find("#reuse-conditions")), text(p.doc.Find("#reuse-license")))
	}
}
