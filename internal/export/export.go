// Package export writes a site, as its handler serves it, to a folder that
// any static host or CDN can serve: every page and file with precompressed
// .gz and .br copies, a 404 page, the redirects (old addresses and
// permanent links) as an nginx map and a _redirects file, and the headers
// the files need that a static server cannot tell from their names (their
// media types, CORS for open data) as a _headers file and nginx files.
//
// The pages are not rendered a second way: each is requested from the
// handler, so the export is byte for byte what the program serves.
//
// It must not render pages itself nor read the store: every byte comes
// from the handler it is given.
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
	"regexp"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"
	"golang.org/x/net/html"

	"github.com/krakow/wspolpraca/internal/urls"
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
	// FileFor names the file, relative to Out, that holds the answer for
	// an address. Nil: a page (no dot in its last segment) is a folder
	// with an index.html, as static hosts look for it.
	FileFor func(path string) string
	// Progress, if not nil, is told after each address visited how many
	// have been and how many are known so far (the total grows as pages
	// link to more).
	Progress func(done, known int)
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

	sitemap, err := e.get(urls.Sitemap)
	if err != nil {
		return rep, err
	}
	pages, parts, err := sitemapPaths(sitemap.Body.Bytes(), opts.BaseURL)
	if err != nil {
		return rep, err
	}
	// A large site's sitemap is an index of parts, which list the pages.
	for _, part := range parts {
		rec, err := e.get(part)
		if err != nil {
			return rep, err
		}
		more, _, err := sitemapPaths(rec.Body.Bytes(), opts.BaseURL)
		if err != nil {
			return rep, err
		}
		pages = append(pages, more...)
	}
	for _, p := range append(append(append([]string{urls.Sitemap}, parts...), opts.Seeds...), pages...) {
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
		if opts.Progress != nil {
			opts.Progress(len(e.seen)-len(e.queue), len(e.seen))
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
	if err := e.writeHeaders(); err != nil {
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
	served    []servedFile      // every file written, with its headers
	shared    map[string]string // of sharedHeaders, those every file has alike
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
	file := fileFor(p)
	if e.opts.FileFor != nil {
		file = e.opts.FileFor(p)
	}
	if err := e.write(file, ct, body); err != nil {
		return err
	}
	e.keepHeaders(p, rec.Header())
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
	// A window no larger than the file compresses it as well as the
	// default 4 MB one, whose tables cost more to clear than a page to
	// compress (three quarters of an export's time).
	lgwin := 10
	for lgwin < 24 && 1<<lgwin < len(body) {
		lgwin++
	}
	bw := brotli.NewWriterOptions(&br, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: lgwin})
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
	// Then each language's 404 page for the addresses under its folder,
	// the nearest first: Netlify serves a 404 rule only where no file is
	// (and on its own only the root's 404.html); Cloudflare Pages, which
	// takes no 404 rule, finds the nearest 404.html itself.
	netlify.WriteString("# A missing page gets the 404 page of its language.\n")
	for _, nf := range e.notFoundPages() {
		fmt.Fprintf(&netlify, "%s* %s 404\n", nf.prefix, nf.page)
	}
	if err := os.WriteFile(filepath.Join(e.opts.Out, "_redirects"), netlify.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(e.opts.Out, "redirects.map"), nginx.Bytes(), 0o644)
}

// notFound is a 404 page and the folder of addresses it is for.
type notFound struct{ prefix, page string }

// notFoundPages returns the 404 pages of opts.NotFound by the folder they
// are in, the deepest first: {"/en/", "/en/404.html"} … {"/", "/404.html"}.
func (e *exporter) notFoundPages() []notFound {
	var out []notFound
	for file := range e.opts.NotFound {
		page := "/" + filepath.ToSlash(file)
		prefix := strings.TrimSuffix(path.Dir(page), "/") + "/"
		out = append(out, notFound{prefix, page})
	}
	slices.SortFunc(out, func(a, b notFound) int {
		if c := len(b.prefix) - len(a.prefix); c != 0 {
			return c
		}
		return strings.Compare(a.prefix, b.prefix)
	})
	return out
}

// links returns the href, src and poster (a video's still) values of an
// HTML page, and its og:image.
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
			og := false // <meta property="og:image" content="…">: the page's share image
			for {
				k, v, more := z.TagAttr()
				if string(k) == "href" || string(k) == "src" || string(k) == "poster" || og && string(k) == "content" {
					out = append(out, string(v))
				}
				og = og || string(k) == "property" && string(v) == "og:image"
				if !more {
					break
				}
			}
		}
	}
}

// sitemapPaths returns the paths of a sitemap's pages and their language
// versions, and, for a sitemap index, the paths of its parts.
func sitemapPaths(b []byte, baseURL string) (pages, parts []string, err error) {
	var sm struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"url"`
		Parts []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(b, &sm); err != nil {
		return nil, nil, fmt.Errorf("export: reading the sitemap: %w", err)
	}
	local := func(loc string) (string, error) {
		p, ok := strings.CutPrefix(loc, baseURL)
		if !ok || !strings.HasPrefix(p, "/") && p != "" {
			return "", fmt.Errorf("export: sitemap address %s is not under %s", loc, baseURL)
		}
		if p == "" {
			p = "/"
		}
		return p, nil
	}
	for _, u := range sm.URLs {
		for _, loc := range append([]string{u.Loc}, hrefs(u.Links)...) {
			p, err := local(loc)
			if err != nil {
				return nil, nil, err
			}
			pages = append(pages, p)
		}
	}
	for _, part := range sm.Parts {
		p, err := local(part.Loc)
		if err != nil {
			return nil, nil, err
		}
		parts = append(parts, p)
	}
	return pages, parts, nil
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

// The CORS headers the program sends with open data, which the export
// has static hosts send too.
const (
	corsOrigin = "Access-Control-Allow-Origin"
	corsExpose = "Access-Control-Expose-Headers"
)

// sharedHeaders are headers the program sends with every response; those
// of the same value on every file exported are written for every path.
var sharedHeaders = []string{"Content-Security-Policy", "X-Content-Type-Options"}

// fileHeaders are the headers of an exported file that a static server
// cannot tell from the file's name: its media type as the program gives
// it, and the CORS headers of open data.
type fileHeaders struct {
	contentType, origin, expose string
}

// servedFile is a file exported, with the program's headers.
type servedFile struct {
	path string
	want fileHeaders
}

// keepHeaders keeps what the static hosts need of the headers of the file
// at p.
func (e *exporter) keepHeaders(p string, h http.Header) {
	first := len(e.served) == 0
	e.served = append(e.served, servedFile{p, fileHeaders{h.Get("Content-Type"), h.Get(corsOrigin), h.Get(corsExpose)}})
	if first {
		e.shared = map[string]string{}
		for _, name := range sharedHeaders {
			if v := h.Get(name); v != "" {
				e.shared[name] = v
			}
		}
	}
	for name, v := range e.shared {
		if h.Get(name) != v {
			delete(e.shared, name)
		}
	}
}

// A headerRule gives the files at the addresses its pattern matches their
// headers. A pattern is an address, or a prefix and a suffix around one *
// that matches anything, slashes included (the splat of Netlify's and
// Cloudflare Pages' _headers).
type headerRule struct {
	pattern string
	fileHeaders
}

func (r headerRule) matches(p string) bool {
	prefix, suffix, splat := strings.Cut(r.pattern, "*")
	if !splat {
		return p == r.pattern
	}
	return len(p) >= len(prefix)+len(suffix) && strings.HasPrefix(p, prefix) && strings.HasSuffix(p, suffix)
}

// headerRules returns the rules that give every file of open data (one
// the program answers with CORS headers) its headers, and no other file
// any: a rule per kind of file where every file of the kind has the same
// headers — a kind is the end of the name from its first dot (.ics,
// .csl.json), in the API's folder or anywhere else — and a rule per file
// where they differ (the feeds are .xml, as the sitemap, but Atom).
func headerRules(files []servedFile) ([]headerRule, error) {
	kinds := map[string]bool{} // the kinds of open data: true while their files agree
	for _, f := range files {
		if f.want.origin != "" {
			kinds[kindPattern(f.path)] = true
		}
	}
	var rules []headerRule
	for _, pattern := range slices.Sorted(maps.Keys(kinds)) {
		r := headerRule{pattern: pattern}
		n := 0
		for _, f := range files {
			if r.matches(f.path) {
				if n > 0 && f.want != r.fileHeaders {
					kinds[pattern] = false
					break
				}
				r.fileHeaders, n = f.want, n+1
			}
		}
		if kinds[pattern] {
			rules = append(rules, r)
		}
	}
	for _, f := range files {
		if f.want.origin != "" && !kinds[kindPattern(f.path)] {
			rules = append(rules, headerRule{f.path, f.want})
		}
	}
	slices.SortFunc(rules, func(a, b headerRule) int { return strings.Compare(a.pattern, b.pattern) })
	for _, r := range rules {
		if !safePath(r.pattern) || strings.ContainsAny(r.contentType+r.origin+r.expose, "\"\\\r\n") {
			return nil, fmt.Errorf("export: the headers of %s cannot be written safely", r.pattern)
		}
	}
	// Every file gets the program's headers, from one rule at most: a
	// static host joins the values of every rule that matches.
	for _, f := range files {
		var got []headerRule
		for _, r := range rules {
			if r.matches(f.path) {
				got = append(got, r)
			}
		}
		if f.want.origin == "" && len(got) > 0 || f.want.origin != "" && (len(got) != 1 || got[0].fileHeaders != f.want) {
			return nil, fmt.Errorf("export: no rule gives %s its headers alone (%d match)", f.path, len(got))
		}
	}
	return rules, nil
}

// kindPattern is the pattern of the files of p's kind: in the API's
// folder or anywhere, with the same end of the name from its first dot.
func kindPattern(p string) string {
	dir, name := path.Split(p)
	ext := name
	if i := strings.IndexByte(name, '.'); i >= 0 {
		ext = name[i:]
	}
	if strings.HasPrefix(dir, urls.API) {
		return urls.API + "*" + ext
	}
	return "/*" + ext
}

// writeHeaders writes what a static server must add to the files: the
// _headers file of Netlify and Cloudflare Pages, and for nginx two files
// that docs/nginx.conf includes: nginx-maps.conf (open data and each
// language's 404 page, by address) and nginx-types.conf (the media type
// of each kind of open data, as the program gives it).
func (e *exporter) writeHeaders() error {
	rules, err := headerRules(e.served)
	if err != nil {
		return err
	}
	var static, maps, types bytes.Buffer
	static.WriteString("# The headers of these files on a static host (Netlify, Cloudflare Pages),\n" +
		"# as the program sends them. Written by `site export`. A static host answers\n" +
		"# no CORS preflight (OPTIONS): a script that sends If-None-Match needs nginx\n" +
		"# (docs/nginx.conf) or the program.\n")
	if len(e.shared) > 0 {
		static.WriteString("\n/*\n")
		for _, name := range sharedHeaders {
			if v, ok := e.shared[name]; ok {
				fmt.Fprintf(&static, "  %s: %s\n", name, v)
			}
		}
	}
	for _, r := range rules {
		fmt.Fprintf(&static, "\n%s\n  Content-Type: %s\n  %s: %s\n  %s: %s\n", r.pattern, r.contentType, corsOrigin, r.origin, corsExpose, r.expose)
	}

	// nginx: the exposed headers by address; docs/nginx.conf answers with
	// Access-Control-Allow-Origin: * where there are some.
	maps.WriteString("# Written by `site export`; docs/nginx.conf includes it in the http block.\n" +
		"# Open data (what the program answers with CORS headers): the headers it exposes.\n" +
		"map $uri $krakow_cors_expose {\n    default \"\";\n")
	// Regular expressions are tried in order at every request that reads
	// the map (every page, in docs/nginx-production.conf): consecutive ones
	// of the same value are one alternation, which nginx tries once. (An
	// exact address is looked up before any expression, wherever it is.)
	var run []string // a run of expressions of one value
	var runValue string
	flush := func() {
		if len(run) > 0 {
			fmt.Fprintf(&maps, "    %s %s;\n", nginxQuote("~"+alternation(run)), nginxQuote(runValue))
			run = nil
		}
	}
	for _, r := range rules {
		if r.origin != "*" {
			return fmt.Errorf("export: %s: Access-Control-Allow-Origin %q, where docs/nginx.conf sends *", r.pattern, r.origin)
		}
		key := nginxKey(r.pattern)
		re, isRegexp := strings.CutPrefix(key, "~")
		if !isRegexp {
			fmt.Fprintf(&maps, "    %s %s;\n", nginxQuote(key), nginxQuote(r.expose))
			continue
		}
		if len(run) > 0 && r.expose != runValue {
			flush()
		}
		run, runValue = append(run, re), r.expose
	}
	flush()
	maps.WriteString("}\n")
	maps.WriteString("# The 404 page of the language whose folder holds the address.\nmap $uri $krakow_404 {\n")
	for _, nf := range e.notFoundPages() {
		if !safePath(nf.page) {
			return fmt.Errorf("export: the 404 page %s cannot be written safely", nf.page)
		}
		if nf.prefix == "/" {
			fmt.Fprintf(&maps, "    default %s;\n", nginxQuote(nf.page))
		} else {
			fmt.Fprintf(&maps, "    %s %s;\n", nginxQuote("~^"+regexp.QuoteMeta(nf.prefix)), nginxQuote(nf.page))
		}
	}
	maps.WriteString("}\n")

	types.WriteString("# Written by `site export`; docs/nginx.conf includes it in the server block.\n" +
		"# Open data with its media type as the program gives it (.csl.json is not any\n" +
		"# JSON, a feed is Atom, not any XML): the type exactly, charset included.\n")
	// The locations of regular expressions are nested in one whose
	// expression is their alternation: a page, matching none, is tried
	// against one expression, not one per kind of open data.
	var nested []string
	var inner bytes.Buffer
	for _, r := range rules {
		block := "{\n    types { }\n    default_type %s;\n    charset off;\n}\n"
		re, ok := strings.CutPrefix(nginxKey(r.pattern), "~")
		if !ok {
			fmt.Fprintf(&types, "location = %s "+block, r.pattern, nginxQuote(r.contentType))
			continue
		}
		nested = append(nested, re)
		fmt.Fprintf(&inner, "location ~ %s "+block, nginxQuote(re), nginxQuote(r.contentType))
	}
	switch len(nested) {
	case 0:
	case 1:
		types.Write(inner.Bytes())
	default:
		fmt.Fprintf(&types, "location ~ %s {\n", nginxQuote(alternation(nested)))
		for _, line := range strings.SplitAfter(strings.TrimSuffix(inner.String(), "\n"), "\n") {
			types.WriteString("    " + line)
		}
		types.WriteString("\n}\n")
	}
	for name, b := range map[string][]byte{"_headers": static.Bytes(), "nginx-maps.conf": maps.Bytes(), "nginx-types.conf": types.Bytes()} {
		if err := os.WriteFile(filepath.Join(e.opts.Out, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// safePath reports whether p can be written in every file the export
// writes as it is: letters, digits and / . _ ~ - *.
func safePath(p string) bool {
	return strings.Trim(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._~*-") == ""
}

// nginxQuote quotes s for nginx's configuration, where a backslash in
// quotes escapes the next character (s holds no quote: see safePath).
func nginxQuote(s string) string { return `"` + strings.ReplaceAll(s, `\`, `\\`) + `"` }

// nginxKey is a pattern as nginx matches an address: itself, or a regular
// expression.
// alternation returns one regular expression matching what any of res
// (each anchored, ^…$, as nginxKey writes them) matches.
func alternation(res []string) string {
	parts := make([]string, len(res))
	for i, re := range res {
		parts[i] = strings.TrimSuffix(strings.TrimPrefix(re, "^"), "$")
	}
	return "^(?:" + strings.Join(parts, "|") + ")$"
}

func nginxKey(pattern string) string {
	prefix, suffix, splat := strings.Cut(pattern, "*")
	if !splat {
		return pattern
	}
	return "~^" + regexp.QuoteMeta(prefix) + ".*" + regexp.QuoteMeta(suffix) + "$"
}
