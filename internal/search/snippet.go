package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/krakow/wspolpraca/internal/lang"
)

// Segment is a piece of text to show; Mark says it matched the query.
type Segment struct {
	Text string
	Mark bool
}

// token is a word or the separator before it, in the original text.
type token struct {
	text   string
	word   bool
	folded string // the word folded; a slice of one string for all tokens
}

func tokenize(s string, l *lang.Language) []token {
	out := make([]token, 0, len(s)/4)
	var folded strings.Builder
	folded.Grow(len(s))
	type span struct{ from, to int }
	var spans []span // where each word's folding is in folded
	start, inWord := 0, false
	flush := func(end int) {
		if end > start {
			t := token{text: s[start:end], word: inWord}
			if inWord {
				from := folded.Len()
				folded.WriteString(strings.ReplaceAll(Fold(l, t.text), " ", ""))
				spans = append(spans, span{from, folded.Len()})
			}
			out = append(out, t)
		}
		start = end
	}
	join := l != nil && l.Stemming.JoinApostrophes
	prev := rune(0)
	for i, r := range s {
		var isWord bool
		switch {
		case r < utf8.RuneSelf && r != '\'':
			isWord = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		case strings.ContainsRune(apostrophes, r):
			// Inside a word of a language that joins them, an apostrophe
			// is part of the word (Fold drops it).
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			isWord = join && inWord && unicode.IsLetter(prev) && unicode.IsLetter(next)
		default:
			isWord = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		}
		prev = r
		if isWord != inWord {
			flush(i)
			inWord = isWord
		}
	}
	flush(len(s))
	all := folded.String()
	k := 0
	for i := range out {
		if out[i].word {
			out[i].folded = all[spans[k].from:spans[k].to]
			k++
		}
	}
	return out
}

// matches reports which word tokens match terms, the way Match does: a
// word by its stem as a prefix, a phrase word for word.
func matches(toks []token, terms []Term, l *lang.Language) []bool {
	marked := make([]bool, len(toks))
	var words []int // indexes of word tokens
	for i, t := range toks {
		if t.word {
			words = append(words, i)
		}
	}
	for _, term := range terms {
		if !term.Phrase {
			w := term.Words[0]
			prefix := len([]rune(w)) > 2
			stem := Stem(w, l)
			for _, i := range words {
				f := toks[i].folded
				if f == w || (prefix && strings.HasPrefix(f, stem)) {
					marked[i] = true
				}
			}
			continue
		}
		for j := 0; j+len(term.Words) <= len(words); j++ {
			ok := true
			for k, w := range term.Words {
				if toks[words[j+k]].folded != w {
					ok = false
					break
				}
			}
			if ok {
				for i := words[j]; i <= words[j+len(term.Words)-1]; i++ {
					marked[i] = true // the words and the spaces between them
				}
			}
		}
	}
	return marked
}

// Highlight returns s with the words that match terms marked.
func Highlight(s string, terms []Term, l *lang.Language) []Segment {
	toks := tokenize(s, l)
	return segments(toks, matches(toks, terms, l), 0, len(toks))
}

// Snippet returns about width words of s around its first match, marked,
// with "…" where text is left out. With no match it returns the start.
func Snippet(s string, terms []Term, width int, l *lang.Language) []Segment {
	toks := tokenize(s, l)
	marked := matches(toks, terms, l)
	first := -1
	for i, m := range marked {
		if m {
			first = i
			break
		}
	}
	// Tokens alternate word and separator: width words are about 2*width tokens.
	from := max(0, first-width/2)
	if first < 0 {
		from = 0
	}
	to := min(len(toks), from+2*width)
	from = max(0, min(from, to-2*width))
	out := segments(toks, marked, from, to)
	if from > 0 {
		out = append([]Segment{{Text: "… "}}, out...)
	}
	if to < len(toks) {
		out = append(out, Segment{Text: " …"})
	}
	return out
}

// segments joins toks[from:to] into segments, marked runs apart.
func segments(toks []token, marked []bool, from, to int) []Segment {
	var out []Segment
	for i := from; i < to; i++ {
		text := toks[i].text
		if i == from || i == to-1 {
			text = strings.TrimSpace(text)
		}
		if text == "" {
			continue
		}
		m := marked[i]
		if n := len(out); n > 0 && out[n-1].Mark == m {
			out[n-1].Text += text
			continue
		}
		out = append(out, Segment{Text: text, Mark: m})
	}
	return out
}
