package content

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Text is a short label in Polish and English: a role, a place, a topic.
// In front matter it is either one plain string, the same in both languages
// ("Kraków"), or a mapping {pl: …, en: …}.
type Text struct {
	PL, EN string
}

// In returns the text in lang, falling back to Polish.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.PL
}

// IsZero reports whether t holds no text.
func (t Text) IsZero() bool { return t.PL == "" && t.EN == "" }

// Fold turns s into lowercase ASCII letters and digits, for ids, anchors and
// search: Polish letters lose their marks, including ł → l, which Unicode
// does not decompose ("Łódź" → "lodz").
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == 'ł' || r == 'Ł':
			b.WriteRune('l')
		case unicode.Is(unicode.Mn, r):
			// a combining mark left by NFD: drop it
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Slugify makes a URL- and anchor-safe id of s: folded, with every run of
// other characters turned into one hyphen.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range Fold(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}
