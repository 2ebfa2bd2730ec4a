// Package cite writes references to the site's declarations: a reference
// to read and copy, in any language of the site, and BibTeX, RIS and CSL-JSON for
// citation managers (Zotero, Mendeley, EndNote, JabRef).
package cite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/fold"
)

// Work is one language version of a declaration, as it is cited.
type Work struct {
	ID    string
	Kind  string // the kind's name in Lang: "Stanowisko", "Position"
	Title string
	// Descriptive says the title was supplied by the site (the source
	// gives none): references show it in square brackets.
	Descriptive bool
	Author      string // as the source names them, often a group; "" when unknown
	Date        date.Range
	Place       string
	Event       string
	Lang        string // the language of this version: a BCP 47 tag
	// Original: this version is in the authoritative language (its key
	// has no language suffix).
	Original bool
	URL      string // the permanent link
	Version  date.Date
	Site     string // the site's name, in Lang
	// The words of Lang (from its message catalogue): the date as the
	// language writes it, the version note ("wersja z 25 listopada 2026
	// r."), and the quotation marks.
	DateText, VersionText string
	Quotes                [2]string
}

// clean returns w with no control character in any text (fold.Control):
// a carriage return in a field would start a new line of RIS, a new
// BibTeX or CSL line, where a parser reads what follows as a field of its
// own. The content check refuses them; the writers do not rely on it.
func (w Work) clean() Work {
	for _, f := range []*string{&w.ID, &w.Kind, &w.Title, &w.Author, &w.Place, &w.Event, &w.Lang, &w.URL, &w.Site, &w.DateText, &w.VersionText, &w.Quotes[0], &w.Quotes[1]} {
		*f = fold.StripControls(*f)
	}
	return w
}

// Reference is a reference to read and copy, in w's language:
//
//	Prezydenci miast UMP, „Stanowisko …”, sierpień 2021 r., Kraków we
//	współpracy miast, https://…/d/… (wersja z 25 listopada 2026 r.).
func Reference(w Work) string {
	w = w.clean()
	var b strings.Builder
	open, close := w.Quotes[0], w.Quotes[1]
	if w.Author != "" {
		fmt.Fprintf(&b, "%s, ", w.Author)
	}
	if w.Descriptive {
		fmt.Fprintf(&b, "[%s]", w.Title)
	} else {
		fmt.Fprintf(&b, "%s%s%s", open, w.Title, close)
	}
	if w.Kind != "" {
		r, n := utf8.DecodeRuneInString(w.Kind)
		fmt.Fprintf(&b, " [%c%s]", unicode.ToLower(r), w.Kind[n:])
	}
	if w.Place != "" {
		fmt.Fprintf(&b, ", %s", w.Place)
	}
	fmt.Fprintf(&b, ", %s, %s, %s (%s).", w.DateText, w.Site, w.URL, w.VersionText)
	return strings.ReplaceAll(b.String(), "..", ".")
}

// Key is the citation key of w: "krakow-" and the declaration's id, and
// "-" and the language for a translation ("-en"), so that a bibliography
// may hold several.
func Key(w Work) string {
	if w.Original {
		return "krakow-" + w.ID
	}
	return "krakow-" + w.ID + "-" + w.Lang
}

// versionNote says which version of the page w is, in w's language.
func versionNote(w Work) string {
	r, n := utf8.DecodeRuneInString(w.VersionText)
	return string(unicode.ToUpper(r)) + w.VersionText[n:]
}

var bibMonths = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// BibTeX returns w as a BibTeX @misc entry, readable by BibTeX and biblatex.
func BibTeX(w Work) []byte {
	w = w.clean()
	var b bytes.Buffer
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %-9s = {%s},\n", name, value)
		}
	}
	fmt.Fprintf(&b, "@misc{%s,\n", Key(w))
	// Double braces: a group's name is one name, and the title keeps its capitals.
	if w.Author != "" {
		field("author", "{"+bibEscape(w.Author)+"}")
	}
	title := bibEscape(w.Title)
	if w.Descriptive {
		title = "[" + title + "]"
	}
	field("title", "{"+title+"}")
	field("year", strconv.Itoa(w.Date.From.Year))
	if m := w.Date.From.Month; m > 0 {
		fmt.Fprintf(&b, "  %-9s = %s,\n", "month", bibMonths[m-1])
	}
	field("date", w.Date.String())
	field("type", bibEscape(w.Kind))
	field("address", bibEscape(w.Place))
	field("eventtitle", bibEscape(w.Event))
	field("language", babelName(w.Lang))
	field("url", w.URL)
	field("howpublished", `\url{`+w.URL+`}`)
	field("organization", bibEscape(w.Site))
	field("note", versionNote(w))
	b.WriteString("}\n")
	return b.Bytes()
}

var bibSpecial = strings.NewReplacer(`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "&", `\&`, "%", `\%`, "$", `\$`, "#", `\#`, "_", `\_`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`)

func bibEscape(s string) string { return bibSpecial.Replace(s) }

// RIS returns w as a RIS record (lines end in CRLF, as the format has it).
func RIS(w Work) []byte {
	w = w.clean()
	var b bytes.Buffer
	tag := func(t, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s  - %s\r\n", t, strings.ReplaceAll(v, "\n", " "))
		}
	}
	tag("TY", "GEN")
	tag("ID", Key(w))
	if w.Descriptive {
		tag("TI", "["+w.Title+"]")
	} else {
		tag("TI", w.Title)
	}
	tag("AU", w.Author)
	tag("PY", strconv.Itoa(w.Date.From.Year))
	// RIS dates take no range: the first day, and the range itself in the
	// date's free-text part ("2017/06/29/29–30 June 2017").
	da := risDate(w.Date.From)
	if !w.Date.To.IsZero() {
		da += w.DateText
	}
	tag("DA", da)
	tag("M3", w.Kind)
	tag("CY", w.Place)
	tag("T2", w.Event)
	tag("LA", w.Lang)
	tag("UR", w.URL)
	tag("DB", w.Site)
	tag("N1", versionNote(w))
	b.WriteString("ER  - \r\n")
	return b.Bytes()
}

// risDate writes a date as RIS wants it: YYYY/MM/DD/, with unknown parts empty.
func risDate(d date.Date) string {
	s := fmt.Sprintf("%04d/", d.Year)
	if d.Month > 0 {
		s += fmt.Sprintf("%02d", d.Month)
	}
	s += "/"
	if d.Day > 0 {
		s += fmt.Sprintf("%02d", d.Day)
	}
	return s + "/"
}

// CSL is a CSL-JSON item (citeproc-js, Zotero, Pandoc).
type CSL struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Title     string    `json:"title"`
	Author    []cslName `json:"author,omitempty"`
	Issued    cslDate   `json:"issued"`
	Genre     string    `json:"genre,omitempty"`
	Place     string    `json:"publisher-place,omitempty"`
	Event     string    `json:"event-title,omitempty"`
	Language  string    `json:"language"`
	URL       string    `json:"URL"`
	Publisher string    `json:"publisher,omitempty"`
	Version   string    `json:"version,omitempty"`
	Source    string    `json:"source,omitempty"`
}

type cslName struct {
	Literal string `json:"literal"`
}

type cslDate struct {
	DateParts [][]int `json:"date-parts"`
}

// CSLJSON returns w as a CSL-JSON array of one item.
func CSLJSON(w Work) ([]byte, error) {
	w = w.clean()
	item := CSL{
		ID: Key(w), Type: "document", Title: w.Title,
		Issued: cslDate{DateParts: [][]int{dateParts(w.Date.From)}},
		Genre:  w.Kind, Place: w.Place, Event: w.Event, Language: w.Lang, URL: w.URL,
		Version: w.Version.String(), Source: w.Site,
	}
	if w.Author != "" {
		item.Author = []cslName{{Literal: w.Author}}
	}
	if w.Descriptive {
		item.Title = "[" + w.Title + "]"
	}
	if !w.Date.To.IsZero() {
		item.Issued.DateParts = append(item.Issued.DateParts, dateParts(w.Date.To))
	}
	b, err := json.MarshalIndent([]CSL{item}, "", "  ")
	return append(b, '\n'), err
}

func dateParts(d date.Date) []int {
	parts := []int{d.Year}
	if d.Month > 0 {
		parts = append(parts, d.Month)
		if d.Day > 0 {
			parts = append(parts, d.Day)
		}
	}
	return parts
}

// babelName is the name BibLaTeX's language field takes for a BCP 47 tag:
// the language's English name in lower case, as babel names them
// ("polish", "english", "ukrainian"), from CLDR; "" for a tag it cannot
// name.
func babelName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return ""
	}
	return strings.ToLower(display.English.Tags().Name(t))
}
