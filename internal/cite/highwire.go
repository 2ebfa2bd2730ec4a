package cite

import (
	"strings"
)

// Highwire is what a declaration page's head says in Highwire Press
// citation_* meta tags (read by Zotero's "Embedded Metadata" translator,
// Google Scholar and Mendeley): the same title, author, date, language
// and permanent link as BibTeX, RIS and CSL-JSON.
type Highwire struct {
	Title    string   // citation_title: Title(w), brackets included
	Authors  []string // citation_author, each in HighwireName's form
	Date     string   // citation_publication_date: YYYY, YYYY/MM or YYYY/MM/DD (the first day of a range)
	Language string   // citation_language: a BCP 47 tag
	URL      string   // citation_public_url: the permanent link
}

// HighwireTags returns the Highwire tags of w.
func HighwireTags(w Work) Highwire {
	w = w.clean()
	h := Highwire{Title: Title(w), Date: strings.ReplaceAll(w.Date.From.String(), "-", "/"), Language: w.Lang, URL: w.URL}
	if w.Author != "" {
		h.Authors = []string{HighwireName(w.Author)}
	}
	return h
}

// Look-alikes of the two characters that separate names in the clients'
// name parsers. U+201A SINGLE LOW-9 QUOTATION MARK looks like a comma and
// U+FF1B FULLWIDTH SEMICOLON like a semicolon; neither has a canonical
// decomposition, so Unicode normalisation (NFC) does not turn them back.
const (
	commaLookalike     = "\u201a"
	semicolonLookalike = "\uff1b"
)

// HighwireName is a collective author as citation_author gives it so
// that Zotero keeps it whole: the name, its commas and semicolons written
// as look-alikes, and a comma at the end.
//
// The rules it answers are Zotero's Embedded Metadata translator's
// (processHighwireCreators, zotero/translators): a citation_author is cut
// at every ";", and a lone tag at every "," when both sides hold a
// space; each name then goes through ZU.cleanAuthor, which, without a
// comma, takes the last word for the family name ("Prezydenci miast …
// im. Pawła" "Adamowicza": the fault this form mends) and, with one,
// reads "Family, Given". A name ending in a comma is therefore read as a
// family name with no given name, whole. Zotero has no way for a meta tag
// to make a single-field creator (fieldMode 1): this is the nearest, and
// Google Scholar reads "Family," the same way (its inclusion guidelines
// take "Smith, John" or "John Smith").
func HighwireName(name string) string {
	return strings.NewReplacer(",", commaLookalike, ";", semicolonLookalike).Replace(cleanText(name)) + ","
}

// RISName is a collective author as the AU tag gives it: the name with
// its commas written as look-alikes.
//
// The RIS specification (Research Information Systems, "RIS Format
// Specifications", tags A1/AU) writes a name as "Lastname, Firstname,
// Suffix": the comma is the separator and there is no way to escape it.
// Zotero's RIS import takes what comes before the first comma as the
// family name and the rest as the given name, and stores a name with no
// comma as one field (fieldMode 1, "corporate"); rispy keeps the line as
// it is. So a collective name, written with no comma, stays one name.
func RISName(name string) string {
	return strings.ReplaceAll(cleanText(name), ",", commaLookalike)
}
