package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/krakow/wspolpraca/internal/store/storetest"
)

// The browser suite drives Debian's Chromium with chromedp over every page
// of the sitemap, in every language, at 1280 and 320 pixels: axe-core finds
// no WCAG 2.0, 2.1 and 2.2 A and AA violation, nothing scrolls sideways, the
// first Tab focuses the skip link and the focus is visible, and no request
// leaves the site. In CI (CI=true) a missing Chromium or axe-core fails the
// suite; elsewhere it skips, loudly.

const chromiumPath = "/usr/bin/chromium"

// need returns the path of a tool the browser tests use, or stops the test:
// fails in CI, skips elsewhere.
func need(t *testing.T, what, path, install string) string {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return path
	}
	msg := fmt.Sprintf("BROWSER TESTS NOT RUN: %s not found at %s (%s)", what, path, install)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip("\n\n*** " + msg + " ***\n")
	return ""
}

// browser starts Chromium, headless, for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests take a while")
	}
	path := need(t, "Chromium", chromiumPath, "apt-get install -y chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// axeSource is axe-core's script, from node_modules (npm ci).
func axeSource(t *testing.T) string {
	t.Helper()
	path := need(t, "axe-core", filepath.Join(storetest.Root(t), "node_modules", "axe-core", "axe.min.js"), "npm ci")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type axeViolation struct {
	ID          string `json:"id"`
	Impact      string `json:"impact"`
	Description string `json:"description"`
	Nodes       []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

const runAxe = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}, resultTypes: ['violations']})
	.then(r => JSON.stringify(r.violations))`

// pageFacts is what the suite reads from a page after loading it.
type pageFacts struct {
	ScrollWidth int      `json:"scrollWidth"`
	ClientWidth int      `json:"clientWidth"`
	Resources   []string `json:"resources"`
	Scripts     int      `json:"scripts"`
}

const readFacts = `JSON.stringify({
	scrollWidth: document.documentElement.scrollWidth,
	clientWidth: document.documentElement.clientWidth,
	resources: performance.getEntriesByType('resource').map(e => e.name),
	scripts: document.querySelectorAll('script:not([type="application/ld+json"])').length,
})`

// focusFacts is what has the focus after the first Tab.
type focusFacts struct {
	Href      string `json:"href"`
	Visible   bool   `json:"visible"`
	BoxShadow string `json:"boxShadow"`
	Outline   string `json:"outline"`
	Top       float64
}

const readFocus = `(() => {
	const el = document.activeElement;
	const s = getComputedStyle(el);
	const r = el.getBoundingClientRect();
	return JSON.stringify({
		href: el.getAttribute('href') || '',
		visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight,
		boxShadow: s.boxShadow,
		outline: s.outlineStyle + ' ' + s.outlineWidth,
		Top: r.top,
	});
})()`

// evalJSON runs a script that returns JSON, and decodes it.
func evalJSON[T any](ctx context.Context, js string) (T, error) {
	var v T
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return v, err
	}
	err = json.Unmarshal([]byte(s), &v)
	return v, err
}

// TestBrowser checks every page of the sitemap in a real browser.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	axe := axeSource(t)
	_, ts := newServer(t)
	paths := sitemap(t, ts.URL, get(t, ts, "/sitemap.xml").body)
	// And pages the sitemap does not list: a search, an error page.
	paths = append(paths, "/szukaj?q=uchod%C5%BAcy", "/en/search?q=nothing-at-all", "/uk/poshuk?q=%D0%B1%D1%96%D0%B6%D0%B5%D0%BD%D1%86%D1%96%D0%B2", "/nie-ma-takiej-strony", "/en/no-such-page", "/uk/nemaie")
	start := time.Now()
	checked := 0
	for _, width := range []int64{1280, 320} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			checkInBrowser(t, ctx, ts, axe, path, width)
			checked++
		}
	}
	t.Logf("checked %d pages in %s", checked, time.Since(start).Round(time.Millisecond))
}

func checkInBrowser(t *testing.T, ctx context.Context, ts *httptest.Server, axe, path string, width int64) {
	t.Helper()
	where := fmt.Sprintf("%s at %dpx", path, width)
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(pctx, chromedp.Navigate(ts.URL+path)); err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	// The first Tab focuses the skip link, visibly.
	if err := chromedp.Do(pctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatalf("%s: Tab: %v", where, err)
	}
	focus, err := evalJSON[focusFacts](pctx, readFocus)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if focus.Href != "#main" {
		t.Errorf("%s: the first Tab focuses %q, want the skip link to #main", where, focus.Href)
	}
	if !focus.Visible || (focus.BoxShadow == "none" && strings.HasPrefix(focus.Outline, "none")) {
		t.Errorf("%s: the focused skip link is not visible: %+v", where, focus)
	}

	facts, err := evalJSON[pageFacts](pctx, readFacts)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if facts.ScrollWidth > facts.ClientWidth {
		t.Errorf("%s: scrolls sideways: %d px of content in %d px", where, facts.ScrollWidth, facts.ClientWidth)
	}
	for _, r := range facts.Resources {
		if !strings.HasPrefix(r, ts.URL+"/") {
			t.Errorf("%s: a request leaves the site: %s", where, r)
		}
	}
	if facts.Scripts > 0 {
		t.Errorf("%s: %d scripts", where, facts.Scripts)
	}

	if _, err := chromedp.Run(pctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		t.Fatalf("%s: loading axe: %v", where, err)
	}
	violations, err := evalJSON[[]axeViolation](pctx, runAxe)
	if err != nil {
		t.Fatalf("%s: axe: %v", where, err)
	}
	for _, v := range violations {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, fmt.Sprintf("%v %s", n.Target, n.HTML))
		}
		t.Errorf("%s: axe %s (%s): %s\n\t%s", where, v.ID, v.Impact, v.Description, strings.Join(nodes, "\n\t"))
	}
}

// TestScreenshots writes screenshots of the home page, a body page and a
// declaration page, at desktop and phone widths, to $SCREENSHOT_DIR (make
// screenshots writes them to docs/screenshots, shown in the README).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	ctx := browser(t)
	_, ts := newServer(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, shot := range []struct{ name, path string }{
		{"home", "/"},
		{"body", "/organizacje/komisja-praw-czlowieka-zmp"},
		{"declaration", "/deklaracje/2021-stanowisko-afganistan"},
	} {
		for _, size := range []struct {
			name          string
			width, height int64
		}{{"desktop", 1280, 900}, {"phone", 375, 740}} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.width, size.height), chromedp.Navigate(ts.URL+shot.path)); err != nil {
				t.Fatalf("%s: %v", shot.path, err)
			}
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatalf("%s: %v", shot.path, err)
			}
			file := filepath.Join(dir, shot.name+"-"+size.name+".png")
			if err := os.WriteFile(file, png, 0o644); err != nil {
				t.Fatal(err)
			}
			if len(png) < 1000 {
				t.Errorf("%s: a screenshot of %d bytes", file, len(png))
			}
		}
	}
}

// TestValidHTML runs html-validate (npm ci) on every page of the sitemap,
// in every language, and the error and search pages.
func TestValidHTML(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node")
	}
	root := storetest.Root(t)
	validator := need(t, "html-validate", filepath.Join(root, "node_modules", ".bin", "html-validate"), "npm ci")
	_, ts := newServer(t)
	paths := sitemap(t, ts.URL, get(t, ts, "/sitemap.xml").body)
	paths = append(paths, "/szukaj?q=uchod%C5%BAcy", "/szukaj?q=xyzzy", "/nie-ma", "/en/search?q=%ff", "/uk/poshuk?q=%D0%B1%D1%96%D0%B6%D0%B5%D0%BD%D1%86%D1%96%D0%B2", "/uk/nemaie")
	dir := t.TempDir()
	var files []string
	for i, p := range paths {
		f := filepath.Join(dir, fmt.Sprintf("page-%03d.html", i))
		if err := os.WriteFile(f, []byte(get(t, ts, p).body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	args := append([]string{"--config", filepath.Join(root, ".htmlvalidate.json"), "--formatter", "text"}, files...)
	out, err := exec.Command(validator, args...).CombinedOutput()
	if err != nil {
		report := string(out)
		for i, p := range paths {
			report = strings.ReplaceAll(report, files[i], p)
		}
		t.Errorf("html-validate found problems:\n%s", report)
	}
}
