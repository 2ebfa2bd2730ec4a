package web

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/fold"
)

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr"`
	Href     string `xml:"href,attr"`
	Type     string `xml:"type,attr,omitempty"`
	Hreflang string `xml:"hreflang,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	ID        string       `xml:"id"`
	Title     string       `xml:"title"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published"`
	Links     []atomLink   `xml:"link"`
	Summary   string       `xml:"summary"`
	// The record's type, and for a translation, how it stands to the
	// original (scheme translationScheme).
	Categories []atomCategory `xml:"category"`
}

// translationScheme names the categories of a feed entry that say how a
// translation stands to the original (the values of the API's
// versions.{tag}.translation).
const translationScheme = "https://schema.org/translationOfWork"

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr"`
}

// atomTime writes a date as an Atom date: its first moment, UTC.
func atomTime(d date.Date) string { return d.First().Format(time.RFC3339) }

// serveAtom serves the Atom feed of new and updated records in lang.
func (s *Server) serveAtom(w http.ResponseWriter, r *http.Request, lang string) error {
	{
		entries, err := st(r).Recent(r.Context(), lang, s.vis(), 50)
		if err != nil {
			return err
		}
		l := labels(r, lang)
		home := s.abs(scheme(r).Home(lang))
		self := s.abs(scheme(r).Feed(lang))
		feed := atomFeed{
			Lang: lang, ID: self, Title: l.SiteName, Subtitle: l.SiteTagline,
			Links: []atomLink{
				{Rel: "self", Href: self, Type: "application/atom+xml"},
				{Rel: "alternate", Href: home, Type: "text/html", Hreflang: lang},
			},
			Author: atomPerson{Name: l.SiteName, URI: home},
		}
		newest := date.Date{}
		for _, e := range entries {
			if e.Updated.Compare(newest) > 0 {
				newest = e.Updated
			}
			link := s.abs(e.Path)
			if p := scheme(r).Permalink(e.Type, e.ID, e.Lang); p != "" {
				link = s.abs(p)
			}
			cats := []atomCategory{{Term: e.Type, Label: typeLabel(l, e.Type)}}
			if label := l.TranslationStatus(string(e.Status)); label != "" {
				cats = append(cats, atomCategory{Term: string(e.Status), Scheme: translationScheme, Label: label})
			}
			feed.Entries = append(feed.Entries, atomEntry{
				ID: s.tagURI(e.Type, e.ID, e.Lang), Title: e.Title, Summary: e.Summary,
				Updated: atomTime(e.Updated), Published: atomTime(e.Published),
				Links:      []atomLink{{Rel: "alternate", Href: link, Type: "text/html", Hreflang: e.Lang}},
				Categories: cats,
			})
		}
		if newest.IsZero() {
			newest = date.Of(st(r).Built())
		}
		feed.Updated = atomTime(newest)
		b, err := xml.MarshalIndent(feed, "", " ")
		if err != nil {
			return err
		}
		return writeBytes(w, r, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), b...))
	}
}

func typeLabel(l *catalog.Labels, t string) string {
	switch t {
	case "meeting":
		return l.Meetings
	case "declaration":
		return l.Declarations
	}
	return l.Bodies
}

// tagURI is a permanent id for a record in a feed (RFC 4151), independent
// of where the record's page is.
func (s *Server) tagURI(typ, id, lang string) string {
	return fmt.Sprintf("tag:%s,2026:%s/%s/%s", s.host(), typ, id, lang)
}

// host is the host name of the site's public address.
func (s *Server) host() string {
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// serveCalendar serves the iCalendar (RFC 5545) feed of meetings in lang:
// of every body, or of body bodyID.
func (s *Server) serveCalendar(w http.ResponseWriter, r *http.Request, lang, bodyID string) error {
	{
		l := labels(r, lang)
		name := l.SiteName + ": " + l.Meetings
		if bodyID != "" {
			b, err := s.bodyDoc(r, bodyID, lang)
			if err != nil {
				return err
			}
			// Calendars of several bodies, side by side, are told apart.
			name = b.Title + ": " + l.Meetings
		}
		defer s.heavy()()
		recs, err := st(r).MeetingRecords(r.Context(), bodyID, s.vis())
		if err != nil {
			return err
		}
		bw, ok := startStream(w, r, "text/calendar; charset=utf-8")
		if !ok {
			return nil
		}
		c := icsWriter{w: bw}
		c.line("BEGIN:VCALENDAR")
		c.line("VERSION:2.0")
		c.line("PRODID:-//Kraków//" + l.SiteName + "//" + strings.ToUpper(lang))
		c.line("CALSCALE:GREGORIAN")
		c.line("METHOD:PUBLISH")
		c.prop("X-WR-CALNAME", name)
		for _, m := range recs {
			if m.Date.From.Precision() != date.Day {
				continue // a meeting known only to the month is not an event of the calendar
			}
			v := m.Versions[lang] // every meeting has a page in every language (maybe its fallback's)
			page, title, summary, place := v.Path, v.Title, v.Summary, m.Place.In(reg(r), lang)
			end := m.Date.End().First().AddDate(0, 0, 1) // DTEND of an all-day event is exclusive
			c.line("BEGIN:VEVENT")
			c.line("UID:meeting-" + m.ID + "@" + s.host())
			c.line("DTSTAMP:" + v.Updated.First().Format("20060102T150405Z"))
			c.line("DTSTART;VALUE=DATE:" + m.Date.From.First().Format("20060102"))
			c.line("DTEND;VALUE=DATE:" + end.Format("20060102"))
			c.prop("SUMMARY", title)
			c.prop("LOCATION", place)
			c.prop("DESCRIPTION", summary+"\n\n"+s.abs(page))
			c.prop("URL", s.abs(page))
			c.line("END:VEVENT")
		}
		c.line("END:VCALENDAR")
		return bw.Flush()
	}
}

// icsWriter writes iCalendar content lines: escaped, folded at 75 octets,
// ended with CRLF.
type icsWriter struct{ w *bufio.Writer }

var icsEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`)

func (c *icsWriter) prop(name, value string) {
	if name == "URL" {
		c.line(name + ";VALUE=URI:" + fold.StripControls(value))
		return
	}
	c.line(name + ":" + icsEscaper.Replace(fold.StripControls(value)))
}

func (c *icsWriter) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for !utf8.RuneStart(s[cut]) {
			cut-- // never split a character
		}
		c.w.WriteString(s[:cut])
		c.w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // a continuation line starts with a space
	}
	c.w.WriteString(s)
	c.w.WriteString("\r\n")
}
