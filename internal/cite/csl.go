package cite

import (
	"encoding/json"

	"github.com/krakow/wspolpraca/internal/date"
)

// CSL is a CSL-JSON item (citeproc-js, Zotero, Pandoc), with the
// variables of the CSL 1.0.2 specification (Appendix IV).
type CSL struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title"` // Title(w), brackets included
	// Author holds one literal name: CSL-JSON's form for a name that is
	// not to be parsed into given and family parts.
	Author    []cslName `json:"author,omitempty"`
	Issued    cslDate   `json:"issued"`
	Genre     string    `json:"genre,omitempty"`
	Place     string    `json:"publisher-place,omitempty"`
	Event     string    `json:"event-title,omitempty"`
	Language  string    `json:"language"`
	URL       string    `json:"URL"`
	Publisher string    `json:"publisher,omitempty"`
	// Edition says which version of the page this is, as text ("wersja z
	// 25 listopada 2026 r."). CSL's "version" and "edition" are number
	// variables: a processor tests whether the value is numeric, and
	// citeproc-js read a date "2026-11-25" as the range 2026–11 and
	// printed "Versions 2026-11-25" in APA and Chicago. Text that is not a
	// number is printed as it is in edition's place ("(wersja z …)" in
	// APA); "version" would get the label "Version" before it.
	Edition string `json:"edition,omitempty"`
	Source  string `json:"source,omitempty"`
}

type cslName struct {
	Literal string `json:"literal"`
}

type cslDate struct {
	DateParts [][]int `json:"date-parts"`
}

// CSLJSON returns w as a CSL-JSON array of one item; the error is
// encoding/json's, which does not happen for these types.
func CSLJSON(w Work) ([]byte, error) {
	w = w.clean()
	item := CSL{
		ID: Key(w), Type: "document", Title: Title(w),
		Issued: cslDate{DateParts: [][]int{dateParts(w.Date.From)}},
		Genre:  w.Kind, Place: w.Place, Event: w.Event, Language: w.Lang, URL: w.URL,
		Edition: w.VersionText, Source: w.Site,
	}
	if w.Author != "" {
		item.Author = []cslName{{Literal: w.Author}}
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
