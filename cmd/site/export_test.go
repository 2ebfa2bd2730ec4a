package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/urls"
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
	bin := nginxPath(t)
	conf, err := os.ReadFile("../../docs/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	site := strings.ReplaceAll(string(conf), "/srv/krakow", dir)
	site = strings.Replace(site, "listen 80;", "listen "+addr+";", 1)
	prefix := t.TempDir()
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // the workers must read the test's private folders
	}
	main := fmt.Sprintf(`%s
daemon off;
worker_processes 1;
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
			return
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
// missing page gets the 404 page.
func TestExportServedByNginx(t *testing.T) {
	nginxPath(t)
	addr := freePort(t)
	base := "http://" + addr
	out := filepath.Join(t.TempDir(), "site")
	var stdout bytes.Buffer
	err := run(context.Background(), []string{"export", "-content", "../../content", "-db", filepath.Join(t.TempDir(), "site.db"),
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
		req, err := http.NewRequest("GET", base+path, nil)
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
			if p := scheme.Permalink(string(r.Type), r.ID, lang); p != "" {
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
	res, body = get("/en/no-such-page")
	if res.StatusCode != 404 || !strings.Contains(body, "<h1") || !strings.Contains(body, `<html lang="en"`) {
		t.Errorf("GET /en/no-such-page = %d, want the English 404 page", res.StatusCode)
	}
}
