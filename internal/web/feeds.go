package web

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/fold"
	"github.com/krakow/wspolpraca/internal/store"
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
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Links     []atomLink `xml:"link"`
	Summary   string     `xml:"summary"`
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
			if p := scheme(r).Permalink(e.Type.Permalink(), e.ID, e.Lang); p != "" {
				link = s.abs(p)
			}
			cats := []atomCategory{{Term: string(e.Type), Label: typeLabel(l, e.Type)}}
			if label := l.TranslationStatus(string(e.Status)); label != "" {
				cats = append(cats, atomCategory{Term: string(e.Status), Scheme: translationScheme, Label: label})
			}
			feed.Entries = append(feed.Entries, atomEntry{
				ID: s.tagURI(string(e.Type), e.ID, e.Lang), Title: e.Title, Summary: e.Summary,
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

func typeLabel(l *catalog.Labels, t content.Type) string {
	switch t {
	case content.TypeMeeting:
		return l.Meetings
	case content.TypeDeclaration:
		return l.Declarations
	case content.TypeBody:
		return l.Bodies
	}
	return l.TypeName(string(t))
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
//
// Every calendar holds at least one component, as RFC 5545 §3.6 requires
// (a body with no meeting yet still has a valid calendar): the time zone
// of the site, Kraków's, as a VTIMEZONE (§3.6.5). No event refers to it —
// meetings are whole days — but it is true of every date the calendar
// gives; the alternatives would be an invented event, or an X- component
// that only this site understands. Every calendar has it, empty or not:
// one shape for every client.
//
// An event keeps its UID for ever; when the meeting changes, its SEQUENCE
// goes up and its LAST-MODIFIED forward, which clients that follow iTIP
// (RFC 5546 §2.1.5) need before they replace an event they hold. Both come
// from the record's history, never from the clock, so that every replica
// and the export answer the same bytes: SEQUENCE counts the change notes
// (changes:) of the meeting's authoritative file, where its date, place
// and body are written, and of its file in lang, whose text the event
// shows (§3.8.7.4: 0 for an event never changed); LAST-MODIFIED is the day
// of the last of them (§3.8.7.3), or of the publication. DTSTAMP says the
// same: with METHOD:PUBLISH it is when the event's data was made
// (§3.8.7.2), and the data is that of its last revision.
func (s *Server) serveCalendar(w http.ResponseWriter, r *http.Request, lang, bodyID string) error {
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
	auth := reg(r).Authoritative().Tag
	changes, err := s.changeCounts(r, auth, lang)
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
	for _, line := range vtimezone {
		c.line(line)
	}
	for _, m := range recs {
		// A meeting known only to the month is not an event of the calendar.
		if m.Date.From.Precision() == date.Day {
			s.writeEvent(&c, r, m, lang, auth, changes)
		}
	}
	c.line("END:VCALENDAR")
	return bw.Flush()
}

// writeEvent writes meeting m as an event of the calendar in lang; auth is
// the authoritative language, changes the change counts of changeCounts.
func (s *Server) writeEvent(c *icsWriter, r *http.Request, m store.MeetingRecord, lang, auth string, changes map[string]int) {
	v := m.Versions[lang] // every meeting has a page in every language (maybe its fallback's)
	orig := m.Versions[auth]
	sequence := changes[orig.Path]
	if lang != auth && v.Fallback == "" {
		sequence += changes[v.Path]
	}
	modified := orig.Updated
	if v.Updated.Compare(modified) > 0 {
		modified = v.Updated
	}
	stamp := modified.First().Format("20060102T150405Z")
	end := m.Date.End().First().AddDate(0, 0, 1) // DTEND of an all-day event is exclusive
	page := s.abs(v.Path)
	c.line("BEGIN:VEVENT")
	c.line("UID:meeting-" + m.ID + "@" + s.host())
	c.line("DTSTAMP:" + stamp)
	c.line("LAST-MODIFIED:" + stamp)
	c.line("SEQUENCE:" + strconv.Itoa(sequence))
	c.line("DTSTART;VALUE=DATE:" + m.Date.From.First().Format("20060102"))
	c.line("DTEND;VALUE=DATE:" + end.Format("20060102"))
	c.prop("SUMMARY", v.Title)
	c.prop("LOCATION", m.Place.In(reg(r), lang))
	c.prop("DESCRIPTION", v.Summary+"\n\n"+page)
	c.prop("URL", page)
	c.line("END:VEVENT")
}

// changeCounts returns how many change notes each visible document with a
// text of its own has, by path, in the languages given: one query per
// language, however many meetings the calendar holds.
func (s *Server) changeCounts(r *http.Request, langs ...string) (map[string]int, error) {
	counts := map[string]int{}
	for _, lang := range slices.Compact(langs) {
		n, err := st(r).ChangeCounts(r.Context(), lang, s.vis())
		if err != nil {
			return nil, err
		}
		maps.Copy(counts, n) // paths differ between languages
	}
	return counts, nil
}

// vtimezone is Europe/Warsaw as iCalendar describes a time zone (RFC 5545
// §3.6.5): central European time, with summer time from the last Sunday
// of March at 02:00 to the last Sunday of October at 03:00 (EU directive
// 2000/84/EC; Poland's since 1996). The tz database's rules give the same
// offsets: TestCalendarsReadByICalJS compares them.
var vtimezone = []string{
	"BEGIN:VTIMEZONE",
	"TZID:Europe/Warsaw",
	"BEGIN:DAYLIGHT",
	"TZOFFSETFROM:+0100",
	"TZOFFSETTO:+0200",
	"TZNAME:CEST",
	"DTSTART:19700329T020000",
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"END:DAYLIGHT",
	"BEGIN:STANDARD",
	"TZOFFSETFROM:+0200",
	"TZOFFSETTO:+0100",
	"TZNAME:CET",
	"DTSTART:19701025T030000",
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	"END:STANDARD",
	"END:VTIMEZONE",
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
