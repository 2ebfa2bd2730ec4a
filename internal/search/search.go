// Package search turns what a visitor types into a safe SQLite FTS5 query,
// and marks where a text matched.
//
// Matching is on folded words (lowercase, no diacritics, ł → l; Fold), so
// "uchodzcy" finds "uchodźców" and "lodz" finds "Łódź". Inflection is
// handled by a light stemmer and prefix queries, with each language's
// endings (content/languages.yaml): a word loses one common ending
// ("uchodźcami" → "uchodzc", "біженців" → "біженц") and matches every word
// starting with what is left ("uchodzc*": uchodźca, uchodźcy, uchodźców,
// uchodźcami). A
// full Polish stemmer (Morfologik, Stempel) would need a dictionary of
// several megabytes; stripping endings and matching prefixes finds the
// inflected forms of the site's words with none, and the few false matches
// it allows rank below exact ones. Text in double quotes is a phrase,
// matched word for word.
//
// Parse keeps only letters and digits: "-", "*", "(", ":", quotes and the
// like only ever separate words, so user input never reaches FTS5 as
// syntax (store quotes every word it puts in a query as well).
//
// It owns the query language; it must not run queries (the store does)
// nor import packages of the site other than fold and lang.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/krakow/wspolpraca/internal/fold"
	"github.com/krakow/wspolpraca/internal/lang"
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

// Parse reads a query as typed, in language l (nil: none in particular).
// Anything that is not a letter or a digit separates words (but an
// apostrophe inside a word of a language that joins them, see Fold); text
// between double quotes is a phrase. It never fails: a query of nothing but
// punctuation has no terms.
func Parse(input string, l *lang.Language) []Term {
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
		words := Words(part, l)
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

// Words returns the folded words of s, in language l (see Fold).
func Words(s string, l *lang.Language) []string {
	return strings.FieldsFunc(Fold(l, s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// apostrophes are the characters written for an apostrophe: the
// typewriter one, the right single quotation mark and the modifier letter
// (which Ukrainian spelling prefers, and which Unicode counts as a letter).
const apostrophes = "'’ʼ"

// Fold folds s for the index and the queries of language l (fold.String),
// and makes every apostrophe one thing: in a language that joins them
// (Ukrainian "м’ясо", "об'єднання"), an apostrophe between two letters is
// dropped, so the word is one word however it was typed; elsewhere every
// apostrophe separates words, as the typewriter one did (the modifier
// letter would otherwise hold words together in the index only).
func Fold(l *lang.Language, s string) string {
	if !strings.ContainsAny(s, apostrophes) {
		return fold.String(s)
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if !strings.ContainsRune(apostrophes, r) {
			b.WriteRune(r)
			continue
		}
		between := i > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i-1]) && unicode.IsLetter(rs[i+1]) && rs[i-1] != 'ʼ'
		if l != nil && l.Stemming.JoinApostrophes && between {
			continue
		}
		b.WriteByte(' ')
	}
	return fold.String(b.String())
}

// Stem removes one inflectional ending from a folded word, by the rules of
// its language (lang.Stemming: the endings listed in content/languages.yaml,
// when the stem left is long enough): "uchodzcow" → "uchodzc", "krakowie" →
// "krak", "біженців" → "біженц", "lodz" stays "lodz".
func Stem(w string, l *lang.Language) string {
	if l == nil {
		return w
	}
	return l.Stemming.Stem(w)
}
