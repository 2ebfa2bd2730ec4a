package content

import (
	"github.com/krakow/wspolpraca/internal/fold"
	"github.com/krakow/wspolpraca/internal/lang"
)

// Text is a short label in each of the site's languages, by language tag:
// a role, a place, a topic. In front matter it is either one plain string,
// the same in every language ("Kraków"), or a mapping by tag ({pl: …, en:
// …, uk: …}) that gives at least the authoritative language and every
// complete one (see lang.Language.Complete). A language it lacks shows the
// text of the language's fallback chain (Registry.Pick).
type Text map[string]string

// In returns the text to show in tag, following reg's fallback chain.
func (t Text) In(reg *lang.Registry, tag string) string {
	s, _ := reg.Pick(t, tag)
	return s
}

// IsZero reports whether t holds no text.
func (t Text) IsZero() bool {
	for _, s := range t {
		if s != "" {
			return false
		}
	}
	return true
}

// Slugify makes a URL- and anchor-safe id of s (see fold.Slug).
func Slugify(s string) string { return fold.Slug(s) }
