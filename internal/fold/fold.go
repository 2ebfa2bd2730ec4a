// Package fold folds text for matching: lowercase, without diacritics, with
// ł as l (Unicode does not decompose ł, so "lodz" would not find "Łódź"
// otherwise). Ids, anchors and search all fold the same way.
//
// It must not import any other package of the site.
package fold

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// String returns s folded: "Łódź, Kraków" → "lodz, krakow".
func String(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	Append(&b, s)
	return b.String()
}

// Append writes s folded to b.
func Append(b *strings.Builder, s string) {
	for _, r := range s {
		appendRune(b, r)
	}
}

// polish folds the letters of Polish directly: the common case, without
// the cost of Unicode decomposition.
var polish = map[rune]byte{
	'ą': 'a', 'ć': 'c', 'ę': 'e', 'ł': 'l', 'ń': 'n', 'ó': 'o', 'ś': 's', 'ź': 'z', 'ż': 'z',
	'Ą': 'a', 'Ć': 'c', 'Ę': 'e', 'Ł': 'l', 'Ń': 'n', 'Ó': 'o', 'Ś': 's', 'Ź': 'z', 'Ż': 'z',
}

func appendRune(b *strings.Builder, r rune) {
	if r < 0x80 {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteByte(byte(r))
		return
	}
	if c, ok := polish[r]; ok {
		b.WriteByte(c)
		return
	}
	// Any other letter: decompose, drop the marks (é → e, ü → u).
	for _, d := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, d) {
			b.WriteRune(unicode.ToLower(d))
		}
	}
}

// Slug makes a URL- and anchor-safe id of s: folded, ASCII letters and
// digits, every run of other characters one hyphen.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range String(s) {
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
