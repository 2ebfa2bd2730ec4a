// Package search turns what a visitor types into a safe SQLite FTS5 query,
// and marks where a text matched.
//
// Matching is on folded words (lowercase, no diacritics, ł → l), so
// "uchodzcy" finds "uchodźców" and "lodz" finds "Łódź". Polish inflection is
// handled by a light stemmer and prefix queries: a word loses one common
// ending ("uchodźcami" → "uchodzc") and matches every word starting with
// what is left ("uchodzc*": uchodźca, uchodźcy, uchodźców, uchodźcami). A
// full Polish stemmer (Morfologik, Stempel) would need a dictionary of
// several megabytes; stripping endings and matching prefixes finds the
// inflected forms of the site's words with none, and the few false matches
// it allows rank below exact ones. Text in double quotes is a phrase,
// matched word for word.
//
// Parse keeps only letters and digits: "-", "*", "(", ":", quotes and the
// like only ever separate words, so user input never reaches FTS5 as
// syntax (store quotes every word it puts in a query as well).
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/krakow/wspolpraca/internal/fold"
)

// Limits on what a query may hold. A phrase of common words costs a scan of
// every document holding all of them: on 200,000 documents, 4 of the
// commonest took 0.16 s and 8 took 0.3 s; 2 took 2 ms (they meet often, so
// the newest matches are found early). Past MaxPhraseWords a query is
// refused with a message, not cut: a cut phrase would find other texts.
const (
	MaxLength      = 200 // characters of input
	MaxTerms       = 12  // words and phrases used; later ones are dropped
	MaxPhraseWords = 6   // words in one phrase
)

// LongPhrase reports whether terms hold a phrase of more than
// MaxPhraseWords words.
func LongPhrase(terms []Term) bool {
	for _, t := range terms {
		if len(t.Words) > MaxPhraseWords {
			return true
		}
	}
	return false
}

// Term is a word or a phrase of a query, folded.
type Term struct {
	Words  []string // one word, or the words of a phrase
	Phrase bool
}

// Parse reads a query as typed. Anything that is not a letter or a digit
// separates words; text between double quotes is a phrase. It never fails:
// a query of nothing but punctuation has no terms.
func Parse(input string) []Term {
	if !utf8.ValidString(input) {
		input = strings.ToValidUTF8(input, " ")
	}
	var terms []Term
	seen := map[string]bool{}
	add := func(t Term) {
		key := strings.Join(t.Words, " ")
		if len(t.Words) == 0 || seen[key] || len(terms) >= MaxTerms {
			return
		}
		seen[key] = true
		terms = append(terms, t)
	}
	parts := strings.Split(input, `"`)
	for i, part := range parts {
		words := Words(part)
		// Odd parts are inside quotes, unless the last quote is unclosed.
		if i%2 == 1 && i < len(parts)-1 && len(words) > 1 {
			add(Term{Words: words, Phrase: true})
			continue
		}
		for _, w := range words {
			add(Term{Words: []string{w}})
		}
	}
	return terms
}

// Words returns the folded words of s.
func Words(s string) []string {
	return strings.FieldsFunc(fold.String(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// endings are the inflectional endings Stem removes, longest first: Polish
// nouns and adjectives after folding, and English plurals.
var endings = []string{
	"owie", "ami", "ach", "iem", "owi", "ego", "emu", "ych", "ymi", "imi", "ich", "ies",
	"ej", "om", "ow", "em", "ie", "ia", "iu", "es", "y", "i", "a", "e", "o", "u", "s",
}

// minStem is the shortest stem Stem leaves: shorter ones would match too
// much ("pra*").
const minStem = 4

// Stem removes one inflectional ending from a folded word, if what is left
// is still minStem letters long: "uchodzcow" → "uchodzc", "krakowie" →
// "krak", "morii" → "mori", "lodz" stays "lodz".
func Stem(w string) string {
	for _, e := range endings {
		if strings.HasSuffix(w, e) && utf8.RuneCountInString(w)-len(e) >= minStem {
			return w[:len(w)-len(e)]
		}
	}
	return w
}
