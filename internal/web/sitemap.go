package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
)

type sitemapURL struct {
	XMLName xml.Name          `xml:"url"`
	Loc     string            `xml:"loc"`
	LastMod string            `xml:"lastmod,omitempty"`
	Links   []sitemapXHTMLAlt `xml:"xhtml:link"`
}

type sitemapXHTMLAlt struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// sitemapURLs is the most URLs one sitemap file lists. The sitemap
// protocol allows 50,000 URLs and 50 MB a file (sitemaps.org/protocol.html,
// "Using Sitemap index files"); with every language version listed as an
// alternate of each URL, 20,000 keep a file near 10 MB. A larger site gets
// a sitemap index at /sitemap.xml and its parts at /sitemap-1.xml, ….
const sitemapURLs = 20000

// sitemapPart returns how many records one part of the sitemap holds: its
// URLs are at most that many times the number of languages.
func (s *Server) sitemapRecords() int {
	n := len(s.snap.Load().words.reg.Tags())
	if s.cfg.SitemapURLs > 0 {
		return max(1, s.cfg.SitemapURLs/n)
	}
	return sitemapURLs / n
}

// handleSitemap lists every visible page in every language, each with its
// language versions as hreflang alternates; or, for a site with more than
// one part's worth of pages, the index of the parts.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) error {
	n, err := s.sitemapCount(r)
	if err != nil {
		return err
	}
	per := s.sitemapRecords()
	if n <= per {
		return s.writeSitemap(w, r, 0, per)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for part := 1; (part-1)*per < n; part++ {
		fmt.Fprintf(&b, " <sitemap><loc>%s</loc></sitemap>\n", s.abs(urls.SitemapPart(part)))
	}
	b.WriteString("</sitemapindex>\n")
	return writeBytes(w, r, "application/xml; charset=utf-8", b.Bytes())
}

// handleSitemapPart serves /sitemap-{part}.xml, a part of a large site's
// sitemap; a small site has none.
func (s *Server) handleSitemapPart(w http.ResponseWriter, r *http.Request) error {
	part, err := strconv.Atoi(r.PathValue("part"))
	if err != nil || part < 1 || strconv.Itoa(part) != r.PathValue("part") {
		return errNotFound
	}
	n, err := s.sitemapCount(r)
	if err != nil {
		return err
	}
	per := s.sitemapRecords()
	if n <= per || (part-1)*per >= n {
		return errNotFound
	}
	return s.writeSitemap(w, r, (part-1)*per, per)
}

// sitemapCount counts the records the sitemap lists, once per content
// version and schedule period.
func (s *Server) sitemapCount(r *http.Request) (int, error) {
	n, ok, keep := s.listTotal(r, "sitemap")
	if ok {
		return n, nil
	}
	n, err := st(r).SitemapRecords(r.Context(), s.vis())
	if err == nil {
		keep(n)
	}
	return n, err
}

// writeSitemap writes the URL set of limit records from offset, a URL at a
// time.
func (s *Server) writeSitemap(w http.ResponseWriter, r *http.Request, offset, limit int) error {
	entries, err := st(r).Sitemap(r.Context(), s.vis(), offset, limit)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n")
	enc := xml.NewEncoder(bw)
	enc.Indent(" ", " ")
	for _, e := range entries {
		u := sitemapURL{Loc: s.abs(e.Path)}
		if e.Updated.Precision() == date.Day {
			u.LastMod = e.Updated.String()
		}
		if len(e.Alternates) > 1 {
			auth := reg(r).Authoritative().Tag
			for _, a := range e.Alternates {
				u.Links = append(u.Links, sitemapXHTMLAlt{Rel: "alternate", Hreflang: a.Lang, Href: s.abs(a.Path)})
			}
			// x-default: the original, as in the pages' heads.
			for _, a := range e.Alternates {
				if a.Lang == auth {
					u.Links = append(u.Links, sitemapXHTMLAlt{Rel: "alternate", Hreflang: "x-default", Href: s.abs(a.Path)})
				}
			}
		}
		if err := enc.Encode(u); err != nil {
			return err
		}
	}
	bw.WriteString("\n</urlset>\n")
	return bw.Flush()
}

// handleRobots lets robots read every page but the searches (the search
// pages with a query, and the search API), and points to the sitemap. The
// Disallow lines come first: parsers that take the first matching line
// (Python's urllib.robotparser) would otherwise stop at an Allow.
func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) error {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, lg := range reg(r).All() {
		if f, err := s.frameOf(r, lg.Tag); err == nil {
			if search, err := f.section(content.LayoutSearch, lg.Tag); err == nil {
				b.WriteString("Disallow: " + search.Path + "?\n")
			}
		}
	}
	b.WriteString("Disallow: " + urls.Search + "\nAllow: /\n\nSitemap: " + s.abs(urls.Sitemap) + "\n")
	return writeBytes(w, r, "text/plain; charset=utf-8", []byte(b.String()))
}

// handleHealth answers 200 while the database answers, with the content
// version served and the outcome of the last reload: a failed reload does
// not make the site unhealthy, since it goes on serving the last good
// content, but it is reported here, as ok or failed and how many problems
// (what they are is in the log, and in the editors' preview).
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	db := st(r)
	status, code := "ok", http.StatusOK
	if err := db.Ping(r.Context()); err != nil {
		status, code = "database unavailable", http.StatusServiceUnavailable
	}
	health := map[string]any{
		"status":          status,
		"version":         store.BuildID(), // the program answering
		"db_version":      db.Build(),      // the program that built the database
		"content_version": db.Version(),
		"built":           db.Built().Format(time.RFC3339),
	}
	if last, ok := s.LastReload(); ok {
		health["last_reload"] = last.public()
	}
	b, err := json.MarshalIndent(health, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(append(b, '\n'))
	}
	return nil
}
