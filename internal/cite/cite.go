// Package cite writes references to the site's declarations: a reference
// to read and copy, in any language of the site; BibTeX, RIS and CSL-JSON
// for citation managers (Zotero, Mendeley, EndNote, JabRef); and the
// Highwire Press tags of the page's head. Every output says the same
// title, authors, date, language and permanent link, whatever characters
// the fields hold; each writer's file says which rules of its format it
// follows.
//
// It owns these formats and nothing else: it takes a Work and returns
// bytes, and must not read the store or a request (the web package builds
// the Work from a declaration).
package cite

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/fold"
)

// Work is one language version of a declaration, as it is cited.
type Work struct {
	ID    string
	Kind  string // the kind's name in Lang: "Stanowisko", "Position"
	Title string
	// Descriptive says the title was supplied by the site (the source
	// gives none): every output shows it in square brackets (Title).
	Descriptive bool
	// Author is who adopted the text, as the source names them: always a
	// group or a body here ("Prezydenci miast Unii Metropolii Polskich im.
	// Pawła Adamowicza"), so every output gives it as one name that no
	// client splits into given and family names; "" when unknown.
	Author string
	Date   date.Range
	Place  string
	Event  string
	Lang   string // the language of this version: a BCP 47 tag
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

// clean returns w with no control character in any text (fold.Control),
// invalid UTF-8 as U+FFFD (as encoding/json writes it, so that every
// output says the same), and with every run of spaces, tabs and line feeds made one space: a
// line break in a field would start a new line of RIS, BibTeX or CSL,
// where a parser reads what follows as a field of its own, and clients
// that collapse white space (Zotero's ZU.trimInternal) would otherwise
// read another text than the others. The content check refuses control
// characters; the writers do not rely on it.
func (w Work) clean() Work {
	for _, f := range []*string{&w.ID, &w.Kind, &w.Title, &w.Author, &w.Place, &w.Event, &w.Lang, &w.URL, &w.Site, &w.DateText, &w.VersionText, &w.Quotes[0], &w.Quotes[1]} {
		*f = cleanText(*f)
	}
	return w
}

// cleanText is one field as clean leaves it.
func cleanText(s string) string {
	return squeeze(fold.StripControls(strings.ToValidUTF8(s, "\uFFFD")))
}

// squeeze makes every run of ASCII white space in s one space and trims
// it (a no-break space is kept: Polish typography puts one after a
// one-letter word).
func squeeze(s string) string {
	if !strings.ContainsAny(s, " \t\n") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }), " ")
}

// Title is w's title as every output gives it: in square brackets when
// the site supplied it (Descriptive), the convention of library
// cataloguing (ISBD area 1, "title supplied by the cataloguer") that the
// page's reference follows.
func Title(w Work) string {
	w = w.clean()
	if w.Descriptive {
		return "[" + w.Title + "]"
	}
	return w.Title
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
		b.WriteString(Title(w))
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
	// The fields are written as they are: a title ending in "..." keeps
	// its three dots, as the other outputs do.
	fmt.Fprintf(&b, ", %s, %s, %s (%s).", w.DateText, w.Site, w.URL, w.VersionText)
	return b.String()
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

// versionNote says which version of the page w is, in w's language, as a
// sentence ("Wersja z 25 listopada 2026 r.").
func versionNote(w Work) string {
	r, n := utf8.DecodeRuneInString(w.VersionText)
	return string(unicode.ToUpper(r)) + w.VersionText[n:]
}
