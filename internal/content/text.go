package content

import "github.com/krakow/wspolpraca/internal/fold"

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

// Slugify makes a URL- and anchor-safe id of s (see fold.Slug).
func Slugify(s string) string { return fold.Slug(s) }
