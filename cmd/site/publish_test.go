package main

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/publish"
)

// startProductionNginx serves the folder the server at serverAddr
// publishes to with docs/nginx-production.conf, on a free port, and
// returns its address.
func startProductionNginx(t *testing.T, pub, serverAddr string) string {
	t.Helper()
	conf, err := os.ReadFile("../../docs/nginx-production.conf")
	if err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	site := strings.ReplaceAll(string(conf), "/srv/krakow-publish", pub)
	site = strings.ReplaceAll(site, "/var/log/nginx/", t.TempDir()+"/")
	for old, new := range map[string]string{"server 127.0.0.1:8080;": "server " + serverAddr + ";", "listen 80;": "listen " + addr + ";"} {
		if !strings.Contains(site, old) {
			t.Fatalf("docs/nginx-production.conf has no %q", old)
		}
		site = strings.Replace(site, old, new, 1)
	}
	runNginx(t, site, addr)
	return "http://" + addr
}

// waitLog waits until the server's log has n lines holding s.
func waitLog(t *testing.T, srv *server, s string, n int) {
	t.Helper()
	for deadline := time.Now().Add(120 * time.Second); strings.Count(srv.log.String(), s) < n; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the server's log has not %d × %q:\n%s", n, s, publishLog(srv))
		}
	}
}

// switched is what the server logs when nginx serves a new folder.
const switched = "publish: nginx now serves the new folder"

// publishedPaths returns the address of every file of the folder nginx
// serves, the compressed copies aside (the inverse of publish.File).
func publishedPaths(t *testing.T, pub string) []string {
	t.Helper()
	root, err := filepath.EvalSymlinks(filepath.Join(pub, "current"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	err = filepath.WalkDir(root, func(file string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(file, ".gz") || strings.HasSuffix(file, ".br") {
			return err
		}
		rel, _ := filepath.Rel(root, file)
		p := "/" + filepath.ToSlash(rel)
		switch {
		case path.Base(p) == "index.html":
			p = strings.TrimSuffix(p, "index.html")
		case strings.HasSuffix(p, ".html"):
			p = strings.TrimSuffix(p, ".html")
		}
		if publish.File(p) != rel {
			t.Errorf("%s is not where nginx looks for %s (%s)", rel, p, publish.File(p))
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

var sentinels atomic.Int64

// flushedLog returns the length of the server's log once every request
// answered before has its line there: the request log is written every
// 200 ms, in order, so it waits for the line of a request of its own.
func flushedLog(t *testing.T, srv *server) int {
	t.Helper()
	p := fmt.Sprintf("/publish-test-sentinel-%d", sentinels.Add(1))
	if srv.get(p) != 404 {
		t.Fatalf("GET %s from the server did not answer 404", p)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if log := srv.log.String(); strings.Contains(log, " path="+p+" ") {
			return len(log)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the request log has no line for %s", p)
		}
	}
}

// requested reports whether the server's log, from offset on, has a
// request for p.
func requested(log string, offset int, p string) bool {
	return strings.Contains(log[offset:], " path="+p+" ")
}

// TestPublishServedByNginx runs the program with -publish and nginx with
// docs/nginx-production.conf: every cached page and file comes from disk
// (the server's request log has none of them), with the program's bytes
// and headers; queries, other methods and addresses not on disk reach the
// server. Then the content changes twice, with SIGHUP, under continuous
// requests: the new page is served from disk, no request fails during
// the switches, and only the current and the previous folders are kept.
func TestPublishServedByNginx(t *testing.T) {
	nginxPath(t)
	bin := buildSite(t)
	dir, db := importedCopy(t, bin)
	pub := filepath.Join(t.TempDir(), "publish")
	srv := serveContent(t, bin, dir, db, "-publish", pub)
	waitLog(t, srv, switched, 1)
	base := startProductionNginx(t, pub, srv.addr)
	program := "http://" + srv.addr
	client := &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{DisableCompression: true},
		Timeout:       10 * time.Second,
	}

	// Every file on disk, through nginx, plain and with gzip.
	paths := publishedPaths(t, pub)
	kinds := map[string]int{}
	for _, p := range paths {
		for _, k := range []string{".html", ".bib", ".ris", ".csl.json", ".ics", "/atom.xml", "/api/v1/", ".csv", "/og", "/robots.txt", "/sitemap.xml", "/static/"} {
			if strings.Contains(p, k) || k == ".html" && !strings.Contains(path.Base(p), ".") {
				kinds[k]++
			}
		}
	}
	for k, n := range kinds {
		t.Logf("%s: %d", k, n)
	}
	if len(kinds) != 12 || kinds[".html"] < 40 {
		t.Fatalf("the folder lacks a kind of file: %v", kinds)
	}
	offset := flushedLog(t, srv)
	type answer struct {
		res  *http.Response
		body string
	}
	plain, gzipped := map[string]answer{}, map[string]answer{}
	for _, p := range paths {
		res, body := request(t, client, "GET", base+p)
		plain[p] = answer{res, body}
		res, body = request(t, client, "GET", base+p, "Accept-Encoding", "gzip")
		gzipped[p] = answer{res, body}
	}
	flushedLog(t, srv)
	log := srv.log.String()
	for _, p := range paths {
		if requested(log, offset, p) {
			t.Errorf("GET %s through nginx reached the server", p)
		}
	}
	// The same bytes and headers as the program's.
	for _, p := range paths {
		got, gotGzip := plain[p], gzipped[p]
		want, wantBody := request(t, client, "GET", program+p)
		wantGzip, _ := request(t, client, "GET", program+p, "Accept-Encoding", "gzip")
		if got.res.StatusCode != 200 || want.StatusCode != 200 || got.body != wantBody {
			t.Errorf("GET %s = %d from nginx, %d from the program; same body: %v", p, got.res.StatusCode, want.StatusCode, got.body == wantBody)
			continue
		}
		compareHeaders(t, "GET "+p, got.res.Header, want.Header, "Content-Type", "Cache-Control", "Content-Security-Policy",
			"X-Content-Type-Options", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers")
		// gzip wherever the program sends it (the export also compresses
		// a few types the program sends as they are: harmless), and Vary
		// with it.
		enc := gotGzip.res.Header.Get("Content-Encoding")
		if wantGzip.Header.Get("Content-Encoding") == "gzip" && enc != "gzip" || enc != "" && gotGzip.res.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("GET %s with gzip: Content-Encoding %q, Vary %q; the program's Content-Encoding %q", p, enc, gotGzip.res.Header.Get("Vary"), wantGzip.Header.Get("Content-Encoding"))
		}
	}

	// What only the server answers, through nginx.
	searchPath := "/szukaj"
	for _, tc := range []struct {
		method, path string
		status       int
		location     string
	}{
		{"GET", searchPath + "?q=krakow", 200, ""},
		{"GET", "/api/v1/search.json?q=migracja", 200, ""},
		{"GET", "/deklaracje?gremium=ump", 200, ""},
		{"GET", "/deklaracje?utm_source=newsletter", 200, ""},
		{"GET", "/en", 301, "/en/"},
		{"GET", "/deklaracje/", 301, "/deklaracje"},
		{"GET", "/d/2021-stanowisko-afganistan", 301, "/deklaracje/2021-stanowisko-afganistan"},
		{"GET", "/nie-ma-takiej-strony", 404, ""},
		{"GET", "/deklaracje/2021-stanowisko-afganistan.html", 404, ""},
		{"OPTIONS", "/atom.xml", 204, ""},
		{"POST", "/deklaracje", 405, ""},
	} {
		offset := flushedLog(t, srv)
		res, _ := request(t, client, tc.method, base+tc.path, "Origin", "https://example.com", "Access-Control-Request-Method", "GET")
		if res.StatusCode != tc.status || res.Header.Get("Location") != tc.location {
			t.Errorf("%s %s = %d → %q, want %d → %q", tc.method, tc.path, res.StatusCode, res.Header.Get("Location"), tc.status, tc.location)
		}
		p, _, _ := strings.Cut(tc.path, "?")
		flushedLog(t, srv)
		if !requested(srv.log.String(), offset, p) {
			t.Errorf("%s %s did not reach the server", tc.method, tc.path)
		}
	}

	// Two changes of content, each with SIGHUP, under continuous requests
	// for pages that exist before and after (a list with a query, from
	// the server, among them; not a search, limited to 60 a minute).
	page := "/deklaracje/2021-stanowisko-afganistan"
	load := []string{"/", "/en/", page, "/deklaracje", "/atom.xml", "/sitemap.xml", "/api/v1/declarations.json", "/robots.txt",
		"/og/deklaracje/2021-stanowisko-afganistan.png", "/deklaracje?gremium=ump"}
	var failures []string
	var mu sync.Mutex
	var requests atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	loadClient := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 8}, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for w := range 4 {
		wg.Go(func() {
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				p := load[i%len(load)]
				res, err := loadClient.Get(base + p)
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				requests.Add(1)
				time.Sleep(2 * time.Millisecond) // leave the cores to the reload
				if err != nil || res.StatusCode != 200 {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("GET %s: %v %v", p, statusOf(res), err))
					mu.Unlock()
				}
			}
		})
	}
	file := filepath.Join(dir, "declarations/2021-stanowisko-afganistan.pl.md")
	for i, words := range []string{"Pierwsza zmiana treści do testu publikacji.", "Druga zmiana treści do testu publikacji."} {
		rewrite(t, file, func(src []byte) []byte { return append(src, "\n"+words+"\n"...) })
		if st := srv.reload(); !st.OK {
			t.Fatalf("reload %d: %+v\n%s", i+1, st, tail(srv.log.String(), 20))
		}
		waitLog(t, srv, switched, i+2)
		offset := flushedLog(t, srv)
		res, body := request(t, client, "GET", base+page)
		if res.StatusCode != 200 || !strings.Contains(body, words) {
			t.Errorf("after reload %d, GET %s through nginx = %d, new text: %v", i+1, page, res.StatusCode, strings.Contains(body, words))
		}
		flushedLog(t, srv)
		if requested(srv.log.String(), offset, page) {
			t.Errorf("after reload %d, GET %s reached the server, not the new folder", i+1, page)
		}
	}
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("%d requests through nginx during the two reloads", requests.Load())
	if len(failures) > 0 {
		t.Errorf("%d of %d requests failed during the reloads, the first: %s", len(failures), requests.Load(), strings.Join(failures[:min(5, len(failures))], "; "))
	}
	if requests.Load() < 100 {
		t.Errorf("only %d requests during the reloads: the test proves little", requests.Load())
	}

	// The current folder and the previous one are kept; the first is gone
	// (just after the switch).
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		entries, err := os.ReadDir(filepath.Join(pub, "versions"))
		if err != nil {
			t.Fatal(err)
		}
		var folders []string
		for _, e := range entries {
			if e.IsDir() {
				folders = append(folders, e.Name())
			}
		}
		if len(folders) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("versions/ holds %v after three versions, want 2 folders:\n%s", folders, publishLog(srv))
		}
	}
}

// publishLog returns what the server logged of its reloads and
// publications.
func publishLog(srv *server) string {
	var out []string
	for line := range strings.SplitSeq(srv.log.String(), "\n") {
		if strings.Contains(line, "publish") || strings.Contains(line, "reload") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// TestPublishScheduleThroughNginx: a page set to expire in a few seconds
// is served (from disk) before the moment and never after it: not the
// page, not the sitemap that lists it. After it, nginx serves a folder
// written as of that moment.
func TestPublishScheduleThroughNginx(t *testing.T) {
	nginxPath(t)
	bin := buildSite(t)
	dir, db := filepath.Join(t.TempDir(), "content"), filepath.Join(t.TempDir(), "site.db")
	if err := os.CopyFS(dir, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	expires := time.Now().Add(20 * time.Second).Truncate(time.Second)
	notice := "---\nid: test-notice\ntitle: Ogłoszenie\nsummary: Ogłoszenie na krótko.\nslug: ogloszenie-testowe\n" +
		"published: 2026-11-25\nexpires: " + expires.UTC().Format(time.RFC3339) + "\nuntranslated: true\n---\nTekst ogłoszenia.\n"
	if err := os.WriteFile(filepath.Join(dir, "pages/test-notice.pl.md"), []byte(notice), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"urls", "-content", dir}, {"import", "-content", dir, "-db", db}} {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("site %s: %v\n%s", args[0], err, out)
		}
	}
	pub := filepath.Join(t.TempDir(), "publish")
	srv := serveContent(t, bin, dir, db, "-publish", pub)
	waitLog(t, srv, switched, 1)
	base := startProductionNginx(t, pub, srv.addr)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second}

	if time.Until(expires) < 3*time.Second {
		t.Skipf("the server took too long to start: %s left before the page expires", time.Until(expires))
	}
	const page = "/ogloszenie-testowe"
	before, after := 0, 0
	for time.Now().Before(expires.Add(5 * time.Second)) {
		for _, p := range []string{page, "/sitemap.xml"} {
			start := time.Now()
			res, body := request(t, client, "GET", base+p)
			end := time.Now()
			visible := res.StatusCode == 200 && (p == page || strings.Contains(body, page+"<"))
			switch {
			case !start.Before(expires) && visible:
				t.Fatalf("GET %s %s after the page expired: %d, still there", p, start.Sub(expires), res.StatusCode)
			case end.Before(expires) && !visible:
				t.Fatalf("GET %s %s before the page expires: %d, not there", p, expires.Sub(end), res.StatusCode)
			case end.Before(expires):
				before++
			case !start.Before(expires):
				after++
				if p == page && res.StatusCode != 410 {
					t.Errorf("GET %s after it expired = %d, want 410", p, res.StatusCode)
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("%d answers before the moment, %d after", before, after)

	// The folder served after the moment was written as of it.
	waitLog(t, srv, switched, 2)
	target, err := filepath.EvalSymlinks(filepath.Join(pub, "current"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(target + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if want := `"from": "` + expires.UTC().Format(time.RFC3339) + `"`; !strings.Contains(string(b), want) {
		t.Errorf("the folder served after the change: %s, want %s", b, want)
	}
	if _, err := os.Stat(filepath.Join(target, "ogloszenie-testowe.html")); err == nil {
		t.Error("the expired page is on disk")
	}
}

func statusOf(res *http.Response) int {
	if res == nil {
		return 0
	}
	return res.StatusCode
}
