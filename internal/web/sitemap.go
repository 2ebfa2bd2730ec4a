package web

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"time"

	"github.com/krakow/wspolpraca/internal/date"
)

type sitemapURLSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string            `xml:"loc"`
	LastMod string            `xml:"lastmod,omitempty"`
	Links   []sitemapXHTMLAlt `xml:"xhtml:link"`
}

type sitemapXHTMLAlt struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// handleSitemap lists every visible page in both languages, each with its
// language versions as hreflang alternates.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) error {
	entries, err := st(r).Sitemap(r.Context(), s.vis())
	if err != nil {
		return err
	}
	set := sitemapURLSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	for _, e := range entries {
		u := sitemapURL{Loc: s.abs(e.Path)}
		if e.Updated.Precision() == date.Day {
			u.LastMod = e.Updated.String()
		}
		if len(e.Alternates) > 1 {
			for _, a := range e.Alternates {
				u.Links = append(u.Links, sitemapXHTMLAlt{Rel: "alternate", Hreflang: a.Lang, Href: s.abs(a.Path)})
			}
		}
		set.URLs = append(set.URLs, u)
	}
	b, err := xml.MarshalIndent(set, "", " ")
	if err != nil {
		return err
	}
	return writeBytes(w, r, "application/xml; charset=utf-8", append([]byte(xml.Header), b...))
}

// handleRobots allows everything and points to the sitemap.
func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) error {
	body := "User-agent: *\nAllow: /\nDisallow: /szukaj?\nDisallow: /en/search?\n\nSitemap: " + s.abs("/sitemap.xml") + "\n"
	return writeBytes(w, r, "text/plain; charset=utf-8", []byte(body))
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
