package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/internal/web"
	"github.com/krakow/wspolpraca/static"
)

// nginxPath finds Debian's nginx; without it the test is skipped, except
// in CI, which installs it.
func nginxPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"nginx", "/usr/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("nginx is missing (apt-get install -y nginx-light)")
	}
	t.Skip("nginx is missing (apt-get install -y nginx-light)")
	return ""
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startNginx serves dir with docs/nginx.conf on addr until the test ends.
func startNginx(t *testing.T, dir, addr string) {
	t.Helper()
	conf, err := os.ReadFile("../../docs/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	site := strings.ReplaceAll(string(conf), "/srv/krakow", dir)
	site = strings.Replace(site, "listen 80;", "listen "+addr+";", 1)
	runNginx(t, site, addr)
}

// runNginx runs nginx with site (what goes in its http block) on addr
// until the test ends, and returns its prefix folder, which holds its
// error.log.
func runNginx(t *testing.T, site, addr string) string {
	t.Helper()
	bin := nginxPath(t)
	prefix := t.TempDir()
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // the workers must read the test's private folders
	}
	main := fmt.Sprintf(`%s
daemon off;
worker_processes 1;
pcre_jit on;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path %[2]s; proxy_temp_path %[2]s; fastcgi_temp_path %[2]s; uwsgi_temp_path %[2]s; scgi_temp_path %[2]s;
%[3]s
}
`, user, prefix, site)
	confPath := filepath.Join(prefix, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", prefix, "-c", confPath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// SIGTERM, not SIGKILL: the master stops its worker and waits for
		// it; killed outright, it would leave the worker running.
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return prefix
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
			t.Fatalf("nginx did not start: %s\n%s", stderr.String(), log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestExportServedByNginx exports the real content and serves it with a
// real nginx and docs/nginx.conf: every page of the sitemap answers, every
// old address and permanent link redirects to its page, every address in
// content/urls.txt still works, compressed copies are served, and a
// missing page gets the 404 page of its language. Every file is sent with
// the program's media type and CORS headers (checkHeadersAsProgram), by
// nginx and as _headers describes them.
func TestExportServedByNginx(t *testing.T) {
	nginxPath(t)
	addr := freePort(t)
	base := "http://" + addr
	out := filepath.Join(t.TempDir(), "site")
	db := filepath.Join(t.TempDir(), "site.db")
	var stdout bytes.Buffer
	err := run(context.Background(), []string{"export", "-content", "../../content", "-db", db,
		"-out", out, "-base-url", base}, env(nil), &stdout, io.Discard)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	t.Log(strings.TrimSpace(stdout.String()))
	startNginx(t, out, addr)

	client := &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{DisableCompression: true},
		Timeout:       10 * time.Second,
	}
	get := func(path string, header ...string) (*http.Response, string) {
		t.Helper()
		return request(t, client, "GET", base+path, header...)
	}

	// Every page in the sitemap, in both languages.
	res, body := get("/sitemap.xml")
	if res.StatusCode != 200 {
		t.Fatalf("GET /sitemap.xml = %d", res.StatusCode)
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(body), &sm); err != nil || len(sm.URLs) < 20 {
		t.Fatalf("sitemap: %d addresses, %v", len(sm.URLs), err)
	}
	for _, u := range sm.URLs {
		path := strings.TrimPrefix(u.Loc, base)
		res, body := get(path)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s = %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
			continue
		}
		if !strings.Contains(body, `<link rel="canonical" href="`+u.Loc+`"`) {
			t.Errorf("GET %s: not the page of %s", path, u.Loc)
		}
		if !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("GET %s: no Content-Security-Policy", path)
		}
	}

	// Every old address and permanent link, from the content itself.
	site, err := content.Load(os.DirFS("../../content"), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	scheme := urls.New(site.Languages)
	want := map[string]string{} // old path → page path
	records := func(r *content.Record) {
		for lang, d := range r.Docs {
			for _, a := range d.Aliases {
				want[a] = d.Path
			}
			if p := scheme.Permalink(r.Type.Permalink(), r.ID, lang); p != "" {
				want[p] = d.Path
			}
		}
	}
	for _, p := range site.Pages {
		records(&p.Record)
	}
	for _, b := range site.Bodies {
		records(&b.Record)
	}
	for _, m := range site.Meetings {
		records(&m.Record)
	}
	for _, d := range site.Declarations {
		records(&d.Record)
	}
	aliases := 0
	for from, to := range want {
		res, _ := get(from)
		if loc := strings.TrimPrefix(res.Header.Get("Location"), base); res.StatusCode != 301 || loc != to {
			t.Errorf("GET %s = %d → %q, want 301 → %s", from, res.StatusCode, loc, to)
		}
		if !strings.HasPrefix(from, "/d/") && !strings.HasPrefix(from, "/m/") && !strings.HasPrefix(from, "/en/") {
			aliases++
		}
	}
	if aliases == 0 {
		t.Error("the content has no aliases to test: the test would prove nothing")
	}

	// Every address ever published still answers.
	f, err := os.Open("../../content/urls.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		path := strings.TrimSpace(sc.Text())
		if path == "" || strings.HasPrefix(path, "#") {
			continue
		}
		res, _ := get(path)
		if res.StatusCode == 301 {
			res, _ = get(strings.TrimPrefix(res.Header.Get("Location"), base))
		}
		if res.StatusCode != 200 {
			t.Errorf("published address %s = %d", path, res.StatusCode)
		}
	}

	// Files beside the pages, and their compressed copies.
	for _, tc := range []struct{ path, ctype string }{
		{"/atom.xml", "application/atom+xml"},
		{"/en/atom.xml", "application/atom+xml"},
		{"/sitemap.xml", "application/xml"},
		{"/kalendarz.ics", "text/calendar"},
		{"/api/v1/declarations.json", "application/json"},
		{"/api/v1/declarations.csv", "text/csv"},
		{"/deklaracje/2021-stanowisko-afganistan.bib", "application/x-bibtex"},
		{"/robots.txt", "text/plain"},
	} {
		if res, _ := get(tc.path); res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), tc.ctype) {
			t.Errorf("GET %s = %d %s, want 200 %s", tc.path, res.StatusCode, res.Header.Get("Content-Type"), tc.ctype)
		}
	}
	res, _ = get("/deklaracje/2021-stanowisko-afganistan", "Accept-Encoding", "gzip")
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("gzip: %d, Content-Encoding %q, Vary %q", res.StatusCode, res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
	}
	res, _ = get("/static/img/icon.svg")
	if res.StatusCode != 200 {
		t.Errorf("GET /static/img/icon.svg = %d", res.StatusCode)
	}
	res, body = get("/nie-ma-takiej-strony")
	if res.StatusCode != 404 || !strings.Contains(body, "<h1") || !strings.Contains(body, `<html lang="pl"`) {
		t.Errorf("GET /nie-ma-takiej-strony = %d, the 404 page: %v", res.StatusCode, strings.Contains(body, "<h1"))
	}
	// A missing page, or a missing file of open data, in any language of
	// the registry gets that language's 404 page (the issue: only Polish
	// and English had one); _redirects says the same to Netlify.
	redirects, err := os.ReadFile(filepath.Join(out, "_redirects"))
	if err != nil {
		t.Fatal(err)
	}
	for _, lg := range site.Languages.All() {
		for _, path := range []string{lg.Prefix + "/no-such-page", scheme.Calendar(lg.Tag, "no-such-body")} {
			res, body := get(path)
			if res.StatusCode != 404 || !strings.Contains(body, "<h1") || !strings.Contains(body, `<html lang="`+lg.Tag+`"`) {
				t.Errorf("GET %s = %d, want the 404 page in %s", path, res.StatusCode, lg.Tag)
			}
		}
		if rule := lg.Prefix + "/* " + lg.Prefix + "/404.html 404\n"; !strings.Contains(string(redirects), rule) {
			t.Errorf("_redirects has no %q", rule)
		}
	}
	if !strings.HasSuffix(string(redirects), "\n/* /404.html 404\n") {
		t.Error("_redirects does not end with the root's 404 rule, after the languages' ones")
	}

	checkHeadersAsProgram(t, client, base, out, db, site)
}

// request sends a request and returns the answer with its body.
func request(t *testing.T, client *http.Client, method, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// checkHeadersAsProgram checks every file of the export at base (served by
// nginx) against the program serving the same database: the same media
// type, CORS headers on open data and on nothing else, preflights
// answered alike, a 304 and a 404 of open data readable by scripts; and
// the _headers file, read as Netlify and Cloudflare Pages read it (each
// rule whose pattern matches adds its headers; * matches anything),
// gives every file the same.
func checkHeadersAsProgram(t *testing.T, client *http.Client, base, out, db string, site *content.Site) {
	t.Helper()
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{BaseURL: base, Assets: static.FS, Logger: slog.New(slog.DiscardHandler)}, st)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	program := func(method, path string, header ...string) *http.Response {
		req := httptest.NewRequest(method, path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Result()
	}
	rules := readHeadersFile(t, filepath.Join(out, "_headers"))

	preflight := []string{"Origin", "https://example.com", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "if-none-match"}
	kinds := map[string]int{}
	for _, path := range exportedPaths(t, out) {
		want := program("GET", path)
		if loc := strings.TrimPrefix(want.Header.Get("Location"), base); want.StatusCode == 301 && loc == path+"/" {
			path, want = loc, program("GET", loc) // a language's home page, /en/
		}
		got, _ := request(t, client, "GET", base+path)
		if got.StatusCode != 200 || want.StatusCode != 200 {
			t.Errorf("GET %s = %d from nginx, %d from the program", path, got.StatusCode, want.StatusCode)
			continue
		}
		kinds[want.Header.Get("Content-Type")]++
		compareHeaders(t, "nginx: GET "+path, got.Header, want.Header, "Content-Type", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers")
		static := http.Header{}
		for _, r := range rules {
			if r.matches(path) {
				for k, vs := range r.header {
					static[k] = append(static[k], vs...)
				}
			}
		}
		for k, vs := range static {
			static[k] = []string{strings.Join(vs, ", ")} // how a static host sends a header several rules set
		}
		compareHeaders(t, "_headers: "+path, static, want.Header, "Access-Control-Allow-Origin", "Access-Control-Expose-Headers",
			"Content-Security-Policy", "X-Content-Type-Options")
		if want.Header.Get("Access-Control-Allow-Origin") == "" {
			continue // a page, a stylesheet, an image: the host types it by its name
		}
		// Open data: its type said, not guessed from the name (.csl.json, a feed's .xml).
		compareHeaders(t, "_headers: "+path, static, want.Header, "Content-Type")
		// Open data: a preflight, and a script revalidating with the ETag.
		got, _ = request(t, client, "OPTIONS", base+path, preflight...)
		want = program("OPTIONS", path, preflight...)
		if got.StatusCode != 204 || want.StatusCode != 204 {
			t.Errorf("OPTIONS %s = %d from nginx, %d from the program; want 204", path, got.StatusCode, want.StatusCode)
		}
		compareHeaders(t, "nginx: OPTIONS "+path, got.Header, want.Header, "Access-Control-Allow-Origin", "Access-Control-Expose-Headers",
			"Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age", "Allow")
		got, _ = request(t, client, "GET", base+path)
		got, _ = request(t, client, "GET", base+path, "If-None-Match", got.Header.Get("ETag"))
		if got.StatusCode != 304 || got.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("nginx: GET %s with its ETag = %d, Access-Control-Allow-Origin %q; want 304 and *", path, got.StatusCode, got.Header.Get("Access-Control-Allow-Origin"))
		}
	}
	for _, ct := range []string{"application/atom+xml; charset=utf-8", "text/calendar; charset=utf-8", "application/vnd.citationstyles.csl+json; charset=utf-8",
		"application/x-bibtex; charset=utf-8", "application/x-research-info-systems; charset=utf-8", "application/xml; charset=utf-8"} {
		if kinds[ct] == 0 {
			t.Errorf("no file of %s exported: the test would prove nothing of it", ct)
		}
	}

	// What is missing is answered alike: a 404 of open data is readable.
	scheme := urls.New(site.Languages)
	for _, lg := range site.Languages.All() {
		for _, path := range []string{scheme.Calendar(lg.Tag, "no-such-body"), lg.Prefix + "/no-such-declaration.bib", "/api/v1/declarations/no-such.json"} {
			got, _ := request(t, client, "GET", base+path)
			want := program("GET", path)
			if got.StatusCode != 404 || want.StatusCode != 404 {
				t.Errorf("GET %s = %d from nginx, %d from the program; want 404", path, got.StatusCode, want.StatusCode)
			}
			compareHeaders(t, "nginx: GET "+path, got.Header, want.Header, "Access-Control-Allow-Origin", "Access-Control-Expose-Headers")
		}
	}
}

// compareHeaders reports the headers named that differ between got and
// want: a media type by its type and parameters (their names and a
// charset in any case, RFC 9110 §8.3.1), a list by its elements in any
// case and order, anything else exactly.
func compareHeaders(t *testing.T, what string, got, want http.Header, names ...string) {
	t.Helper()
	for _, name := range names {
		g, w := got.Get(name), want.Get(name)
		same := g == w
		switch name {
		case "Content-Type":
			gm, gp, gerr := mime.ParseMediaType(g)
			wm, wp, werr := mime.ParseMediaType(w)
			same = gerr == nil && werr == nil && gm == wm && strings.EqualFold(gp["charset"], wp["charset"])
			delete(gp, "charset")
			delete(wp, "charset")
			same = same && maps.Equal(gp, wp)
		case "Access-Control-Expose-Headers", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Allow":
			same = slices.Equal(listOf(g), listOf(w))
		}
		if !same {
			t.Errorf("%s: %s %q, the program's %q", what, name, g, w)
		}
	}
}

// listOf returns the elements of a comma-separated header, in lower case
// and sorted.
func listOf(v string) []string {
	var out []string
	for e := range strings.SplitSeq(v, ",") {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return out
}

// exportedPaths returns the address of every file of an export but its
// compressed copies, its 404 pages and the files for the host.
func exportedPaths(t *testing.T, out string) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := "/" + filepath.ToSlash(strings.TrimPrefix(p, out+string(filepath.Separator)))
		name := path.Base(rel)
		switch {
		case strings.HasSuffix(name, ".gz"), strings.HasSuffix(name, ".br"), name == "404.html",
			slices.Contains([]string{"/_headers", "/_redirects", "/redirects.map", "/nginx-maps.conf", "/nginx-types.conf"}, rel):
			return nil
		case name == "index.html":
			rel = strings.TrimSuffix(path.Dir(rel), "/")
			if rel == "" {
				rel = "/"
			}
		}
		paths = append(paths, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// headersRule is a rule of a _headers file: a path, or a pattern with *.
type headersRule struct {
	pattern string
	header  http.Header
}

func (r headersRule) matches(p string) bool {
	prefix, suffix, splat := strings.Cut(r.pattern, "*")
	if !splat {
		return p == r.pattern
	}
	return len(p) >= len(prefix)+len(suffix) && strings.HasPrefix(p, prefix) && strings.HasSuffix(p, suffix)
}

// readHeadersFile reads a _headers file as Netlify documents it: a line
// starting with / is a path, an indented "Name: value" a header for it,
// # a comment.
func readHeadersFile(t *testing.T, file string) []headersRule {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var rules []headersRule
	for i, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case strings.HasPrefix(line, "/"):
			if strings.Count(line, "*") > 1 {
				t.Errorf("_headers:%d: %q: Cloudflare Pages takes one * a rule", i+1, line)
			}
			rules = append(rules, headersRule{line, http.Header{}})
		case line != trimmed && strings.Contains(trimmed, ": ") && len(rules) > 0:
			name, value, _ := strings.Cut(trimmed, ": ")
			rules[len(rules)-1].header.Add(name, value)
		default:
			t.Errorf("_headers:%d: %q is neither a path nor a header", i+1, line)
		}
	}
	if len(rules) == 0 || len(rules) > 100 {
		t.Errorf("_headers: %d rules; Cloudflare Pages takes at most 100", len(rules))
	}
	return rules
}
