// Package export writes a site, as its handler serves it, to a folder that
// any static host or CDN can serve: every page and file with precompressed
// .gz and .br copies, a 404 page, and the redirects (old addresses and
// permanent links) as an nginx map and a _redirects file.
//
// The pages are not rendered a second way: each is requested from the
// handler, so the export is byte for byte what the program serves.
package export

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"
	"golang.org/x/net/html"
)

// Options says what to export and where.
type Options struct {
	// Handler serves the site.
	Handler http.Handler
	// BaseURL is the site's public address, as the handler writes it in
	// the sitemap: "https://example.org".
	BaseURL string
	// Seeds are paths to start from besides the sitemap's pages, such as
	// /robots.txt; everything they link to on the site follows.
	Seeds []string
	// Redirects are paths that should answer with a redirect (old
	// addresses, permanent links); those that do are written out.
	Redirects []string
	// NotFound maps files to write to paths that do not exist, whose
	// pages they become: {"404.html": "/404", "en/404.html": "/en/404"}
	// gives each language its own 404 page.
	NotFound map[string]string
	// Out is the folder to write; it must not exist or be empty.
	Out string
}

// Report counts what was written.
type Report struct {
	Files     int   // pages and files, not counting compressed copies
	Redirects int   // redirects written
	Bytes     int64 // of the files, not counting compressed copies
}

// Redirect is a path that answers 301 with Location To.
type Redirect struct{ From, To string }

// Write exports the site to opts.Out. A link on a page that does not
// answer 200 or a redirect fails the export, naming the page: a static
// copy must not be published with broken links.
func Write(ctx context.Context, opts Options) (Report, error) {
	var rep Report
	if entries, err := os.ReadDir(opts.Out); err == nil && len(entries) > 0 {
		return rep, fmt.Errorf("export: %s is not empty", opts.Out)
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return rep, fmt.Errorf("export: %w", err)
	}
	e := &exporter{opts: opts, ctx: ctx, seen: map[string]string{}}

	sitemap, err := e.get("/sitemap.xml")
	if err != nil {
		return rep, err
	}
	pages, err := sitemapPaths(sitemap.Body.Bytes(), opts.BaseURL)
	if err != nil {
		return rep, err
	}
	for _, p := range append(append([]string{"/sitemap.xml"}, opts.Seeds...), pages...) {
		e.enqueue(p, "")
	}
	for len(e.queue) > 0 {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		p := e.queue[0]
		e.queue = e.queue[1:]
		if err := e.visit(p); err != nil {
			return rep, err
		}
	}
	for _, p := range opts.Redirects {
		if _, done := e.redirects[p]; done {
			continue
		}
		rec, err := e.get(p)
		if err != nil {
			return rep, err
		}
		if rec.Code == http.StatusMovedPermanently {
			e.addRedirect(p, rec.Header().Get("Location"))
		}
	}
	for _, file := range slices.Sorted(maps.Keys(opts.NotFound)) {
		path := opts.NotFound[file]
		rec, err := e.get(path)
		if err != nil {
			return rep, err
		}
		if rec.Code != http.StatusNotFound {
			return rep, fmt.Errorf("export: %s answered %d, not 404", path, rec.Code)
		}
		if err := e.write(file, rec.Header().Get("Content-Type"), rec.Body.Bytes()); err != nil {
			return rep, err
		}
	}
	if err := e.writeRedirects(); err != nil {
		return rep, err
	}
	rep.Files, rep.Bytes, rep.Redirects = e.files, e.bytes, len(e.redirects)
	return rep, nil
}

type exporter struct {
	opts      Options
	ctx       context.Context
	queue     []string
	seen      map[string]string // path → the page that first linked to it
	redirects map[string]string
	files     int
	bytes     int64
}

func (e *exporter) enqueue(p, from string) {
	if _, ok := e.seen[p]; ok {
		return
	}
	e.seen[p] = from
	e.queue = append(e.queue, p)
}

// get requests p from the handler, uncompressed.
func (e *exporter) get(p string) (*httptest.ResponseRecorder, error) {
	req := httptest.NewRequestWithContext(e.ctx, http.MethodGet, p, nil)
	req.RemoteAddr = "127.0.0.1:0"
	rec := httptest.NewRecorder()
	e.opts.Handler.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		return nil, fmt.Errorf("export: GET %s: %d", p, rec.Code)
	}
	return rec, nil
}

func (e *exporter) visit(p string) error {
	rec, err := e.get(p)
	if err != nil {
		return err
	}
	switch rec.Code {
	case http.StatusOK:
	case http.StatusMovedPermanently, http.StatusFound:
		to := rec.Header().Get("Location")
		e.addRedirect(p, to)
		e.enqueue(to, p)
		return nil
	default:
		if from := e.seen[p]; from != "" {
			return fmt.Errorf("export: %s links to %s, which answers %d", from, p, rec.Code)
		}
		return fmt.Errorf("export: %s answers %d", p, rec.Code)
	}
	ct := rec.Header().Get("Content-Type")
	body := rec.Body.Bytes()
	if err := e.write(fileFor(p), ct, body); err != nil {
		return err
	}
	if media, _, _ := mime.ParseMediaType(ct); media == "text/html" {
		for _, link := range links(body) {
			if l, ok := e.local(link, p); ok {
				e.enqueue(l, p)
			}
		}
	}
	return nil
}

func (e *exporter) addRedirect(from, to string) {
	if e.redirects == nil {
		e.redirects = map[string]string{}
	}
	e.redirects[from] = to
}

// local turns a link on page into a path of the site to export, or false
// for other sites, fragments, and addresses with a query (search, a list's
// later pages), which need the program.
func (e *exporter) local(link, page string) (string, bool) {
	u, err := url.Parse(link)
	if err != nil || u.RawQuery != "" || u.Opaque != "" {
		return "", false
	}
	if u.Scheme != "" || u.Host != "" {
		base, err := url.Parse(e.opts.BaseURL)
		if err != nil || u.Scheme != base.Scheme || u.Host != base.Host {
			return "", false
		}
	}
	if u.Path == "" {
		return "", false // a fragment of page itself
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") {
		p = path.Join(path.Dir(page), p)
	}
	return p, true
}

// fileFor is the file that holds the response for p: pages (no extension)
// are folders with an index.html, so that their addresses stay as they are.
func fileFor(p string) string {
	p = strings.TrimPrefix(path.Clean(p), "/")
	if p == "" {
		return "index.html"
	}
	if strings.Contains(path.Base(p), ".") {
		return filepath.FromSlash(p)
	}
	return filepath.Join(filepath.FromSlash(p), "index.html")
}

// write writes a file and, when compression pays, its .gz and .br.
func (e *exporter) write(name, contentType string, body []byte) error {
	full := filepath.Join(e.opts.Out, name)
	if !strings.HasPrefix(full, filepath.Clean(e.opts.Out)+string(filepath.Separator)) {
		return fmt.Errorf("export: %s is outside the folder", name)
	}
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(full, body, 0o644); err != nil {
		return err
	}
	e.files++
	e.bytes += int64(len(body))
	if !compressible(contentType) || len(body) < 256 {
		return nil
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	bw.Write(body)
	bw.Close()
	for ext, b := range map[string][]byte{".gz": gz.Bytes(), ".br": br.Bytes()} {
		if len(b) < len(body) {
			if err := os.WriteFile(full+ext, b, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

func compressible(contentType string) bool {
	media, _, _ := mime.ParseMediaType(contentType)
	return strings.HasPrefix(media, "text/") || strings.HasSuffix(media, "json") || strings.HasSuffix(media, "xml") ||
		strings.HasPrefix(media, "application/x-") || media == "image/svg+xml" || media == "image/vnd.microsoft.icon"
}

// writeRedirects writes the redirects twice: _redirects, the format of
// Netlify, Cloudflare Pages and others ("/from /to 301"), and
// redirects.map, the body of an nginx map block ("/from" "/to";).
func (e *exporter) writeRedirects() error {
	froms := make([]string, 0, len(e.redirects))
	for from := range e.redirects {
		froms = append(froms, from)
	}
	slices.Sort(froms)
	var netlify, nginx bytes.Buffer
	netlify.WriteString("# Old addresses and permanent links. Written by `site export`.\n")
	nginx.WriteString("# The body of an nginx map from $uri to its new address. Written by `site export`.\n")
	for _, from := range froms {
		to := e.redirects[from]
		if strings.ContainsAny(from+to, " \t\r\n\"';{}\\") {
			return fmt.Errorf("export: redirect %q → %q cannot be written safely", from, to)
		}
		fmt.Fprintf(&netlify, "%s %s 301\n", from, to)
		fmt.Fprintf(&nginx, "%q %q;\n", from, to)
	}
	if err := os.WriteFile(filepath.Join(e.opts.Out, "_redirects"), netlify.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(e.opts.Out, "redirects.map"), nginx.Bytes(), 0o644)
}

// links returns the href and src values of an HTML page.
func links(page []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return out
			}
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			for {
				k, v, more := z.TagAttr()
				if string(k) == "href" || string(k) == "src" {
					out = append(out, string(v))
				}
				if !more {
					break
				}
			}
		}
	}
}

// sitemapPaths returns the paths of a sitemap's pages and their language
// versions.
func sitemapPaths(b []byte, baseURL string) ([]string, error) {
	var sm struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &sm); err != nil {
		return nil, fmt.Errorf("export: reading the sitemap: %w", err)
	}
	var out []string
	for _, u := range sm.URLs {
		for _, loc := range append([]string{u.Loc}, hrefs(u.Links)...) {
			p, ok := strings.CutPrefix(loc, baseURL)
			if !ok || !strings.HasPrefix(p, "/") && p != "" {
				return nil, fmt.Errorf("export: sitemap address %s is not under %s", loc, baseURL)
			}
			if p == "" {
				p = "/"
			}
			out = append(out, p)
		}
	}
	return out, nil
}

func hrefs(links []struct {
	Href string `xml:"href,attr"`
}) []string {
	out := make([]string, len(links))
	for i, l := range links {
		out[i] = l.Href
	}
	return out
}
