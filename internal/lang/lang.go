// Package lang is the site's language registry: the languages the site is
// written in, read from content/languages.yaml (see content.Load), each with
// what it needs besides its translated files and its message catalogue — its
// BCP 47 tag, path prefix, endonym, Open Graph locale, fallback chain, URL
// segments, query-parameter names and search folding.
//
// It is the only place that knows which languages there are: the router,
// the templates, the store, the feeds and the export loop over a Registry
// and never name a language. It must not import any other package of the
// site.
package lang

import (
	"slices"
	"strings"
)

// Language is one language of the site.
type Language struct {
	Tag           string    `json:"tag"`                // BCP 47: "pl", "en", "uk"
	Name          string    `json:"name"`               // the endonym: "Українська"
	Prefix        string    `json:"prefix"`             // the path prefix: "" for the authoritative language, "/en"
	OGLocale      string    `json:"og_locale"`          // Open Graph locale: "uk_UA"
	Authoritative bool      `json:"authoritative"`      // its texts are the originals
	Fallback      []string  `json:"fallback"`           // languages shown, in order, where a text is missing in this one
	Complete      bool      `json:"complete"`           // every record has a file in it (or says it is untranslated)
	Segments      Segments  `json:"segments"`           // URL segments of what is not a content page
	Params        Params    `json:"params"`             // query-parameter names
	SearchTypes   []Value   `json:"search_types"`       // the values of the type filter, in the URL
	Stemming      Stemming  `json:"stemming"`           // search
	Translit      *Translit `json:"translit,omitempty"` // slugs and anchors of a non-Latin script
}

// Segments are the URL segments of a language's addresses that no content
// page gives (a section's segment is its page's slug).
type Segments struct {
	DeclarationPermalink string `json:"declaration_permalink"` // "d": /d/{id}
	MeetingPermalink     string `json:"meeting_permalink"`     // "m": /m/{id}
	Feed                 string `json:"feed"`                  // "atom.xml"
	Calendar             string `json:"calendar"`              // "kalendarz": /kalendarz.ics, /kalendarz/{body}.ics
}

// Params are the names of the query parameters of a language's pages.
type Params struct {
	Query string `json:"query"` // q
	Type  string `json:"type"`  // typ
	Body  string `json:"body"`  // gremium
	Year  string `json:"year"`  // rok
	Lang  string `json:"lang"`  // jezyk
	Page  string `json:"page"`  // strona
	All   string `json:"all"`   // wszystkie: the value of Lang for every language
}

// Value is a value of a filter as written in a URL, and what it stands for.
type Value struct {
	Param string `json:"param"` // "deklaracja"
	Value string `json:"value"` // "declaration"
}

// Stemming is how search folds a language's words to their stems: one of
// Endings is removed from the end of a folded word, longest first, when at
// least MinStem letters stay.
type Stemming struct {
	MinStem int      `json:"min_stem"`
	Endings []string `json:"endings"`
	// JoinApostrophes: an apostrophe inside a word belongs to it
	// (Ukrainian "м’ясо"), rather than separating two words (English
	// "Kraków's").
	JoinApostrophes bool `json:"join_apostrophes,omitempty"`
}

// Stem removes one inflectional ending from a folded word: "uchodzcow" →
// "uchodzc", "bizhentsiv"… (whatever the script: the endings are folded as
// the words are).
func (s Stemming) Stem(w string) string {
	n := len([]rune(w))
	for _, e := range s.Endings {
		if strings.HasSuffix(w, e) && n-len([]rune(e)) >= s.MinStem {
			return w[:len(w)-len(e)]
		}
	}
	return w
}

// Translit writes a non-Latin script in Latin letters, for slugs and
// heading anchors (which stay ASCII, so links survive copying): Letters
// maps each letter, Initial overrides it at the start of a word, Pairs maps
// two-letter sequences first.
type Translit struct {
	Letters map[string]string `json:"letters"`
	Initial map[string]string `json:"initial"`
	Pairs   map[string]string `json:"pairs"`
}

// Latin writes s in Latin letters: the Ukrainian national transliteration
// of 2010 makes "Зграя" "Zghraia", "Юрій" "Yurii".
func (t *Translit) Latin(s string) string {
	if t == nil {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	wordStart := true
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		lower := strings.ToLower(string(r))
		upper := lower != string(r)
		out, ok := "", false
		if i+1 < len(rs) {
			if v, found := t.Pairs[lower+strings.ToLower(string(rs[i+1]))]; found {
				out, ok = v, true
				i++
			}
		}
		if !ok && wordStart {
			out, ok = t.Initial[lower]
		}
		if !ok {
			out, ok = t.Letters[lower]
		}
		if !ok {
			out = string(r)
		} else if upper && out != "" {
			out = strings.ToUpper(out[:1]) + out[1:]
		}
		b.WriteString(out)
		letter := ok || isLetter(r)
		wordStart = !letter && r != '\'' && r != '’' && r != 'ʼ'
	}
	return b.String()
}

func isLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0xC0
}

// Registry is the site's languages, the authoritative one first.
type Registry struct {
	langs []*Language
	byTag map[string]*Language
}

// New returns a registry of langs, which a caller (content.Load) has
// checked: tags unique and valid, exactly one authoritative and first,
// prefixes unique, fallbacks known.
func New(langs []*Language) *Registry {
	r := &Registry{byTag: map[string]*Language{}}
	for _, l := range langs {
		r.langs = append(r.langs, l)
		r.byTag[l.Tag] = l
	}
	slices.SortStableFunc(r.langs, func(a, b *Language) int {
		switch {
		case a.Authoritative == b.Authoritative:
			return 0
		case a.Authoritative:
			return -1
		}
		return 1
	})
	return r
}

// All returns the languages, the authoritative one first, then in the
// order of the registry file.
func (r *Registry) All() []*Language { return r.langs }

// Tags returns the languages' tags, in the order of All.
func (r *Registry) Tags() []string {
	out := make([]string, len(r.langs))
	for i, l := range r.langs {
		out[i] = l.Tag
	}
	return out
}

// Get returns the language of tag.
func (r *Registry) Get(tag string) (*Language, bool) {
	l, ok := r.byTag[tag]
	return l, ok
}

// Must returns the language of tag, or the authoritative one when tag is
// not in the registry (a tag read from a database built with the registry
// is always in it).
func (r *Registry) Must(tag string) *Language {
	if l, ok := r.byTag[tag]; ok {
		return l
	}
	return r.Authoritative()
}

// Authoritative returns the language whose texts are the originals.
func (r *Registry) Authoritative() *Language { return r.langs[0] }

// Chain returns the languages to look in, in order, for a text to show in
// tag: tag itself, its fallbacks, then the authoritative language.
func (r *Registry) Chain(tag string) []string {
	out := []string{tag}
	if l, ok := r.byTag[tag]; ok {
		for _, f := range l.Fallback {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	if a := r.Authoritative().Tag; !slices.Contains(out, a) {
		out = append(out, a)
	}
	return out
}

// OfPath returns the language of the site section holding path: the one
// whose prefix path starts with, else the authoritative one.
func (r *Registry) OfPath(path string) *Language {
	for _, l := range r.langs {
		if p := l.Prefix; p != "" && strings.HasPrefix(path, p) && (len(path) == len(p) || path[len(p)] == '/') {
			return l
		}
	}
	return r.Authoritative()
}

// Home returns the path of a language's home page: "/", "/en/".
func (l *Language) Home() string { return l.Prefix + "/" }

// Pick returns the text of t to show in tag, following the registry's
// chain, and the language it is in; "" when t has none.
func (r *Registry) Pick(t map[string]string, tag string) (string, string) {
	for _, l := range r.Chain(tag) {
		if v := t[l]; v != "" {
			return v, l
		}
	}
	return "", ""
}
