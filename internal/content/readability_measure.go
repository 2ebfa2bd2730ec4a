package content

// Measuring an easy-to-read text (see readability.go for the rules and
// their sources): its blocks of words from the Markdown, its sentences,
// words, syllables, abbreviations and numbers, and the FOG index.

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// etrBlock is the text of one paragraph, heading, list item or table cell,
// with the source offset of each of its bytes (and of its end).
type etrBlock struct {
	text string
	at   []int
}

// etrParser reads Markdown as the pages' renderer does, phrases in another
// language (span.go) included: their marks are not words.
var etrParser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.Footnote),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(spanTransformer{}, 300)))).Parser()

// mdBlocks returns the blocks of text of the Markdown src, and where its
// headings are.
func mdBlocks(src []byte) ([]etrBlock, []int) {
	doc := etrParser.Parse(text.NewReader(src))
	var blocks []etrBlock
	var headings []int
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Heading:
			headings = append(headings, blockStart(n))
		case *ast.Paragraph, *ast.TextBlock, *extast.TableCell:
		default:
			return ast.WalkContinue, nil
		}
		var b etrBlock
		inline(n, src, &b)
		if end := blockEnd(n); end >= 0 {
			b.at = append(b.at, end)
		} else if len(b.at) > 0 {
			b.at = append(b.at, b.at[len(b.at)-1])
		} else {
			b.at = append(b.at, 0)
		}
		blocks = append(blocks, b)
		return ast.WalkSkipChildren, nil
	})
	return blocks, headings
}

func blockEnd(n ast.Node) int {
	if l := n.Lines(); l.Len() > 0 {
		return l.At(l.Len() - 1).Stop
	}
	return -1
}

// inline adds the words of the inline children of n to b.
func inline(n ast.Node, src []byte, b *etrBlock) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			seg := c.Segment
			b.text += string(seg.Value(src))
			for i := seg.Start; i < seg.Stop; i++ {
				b.at = append(b.at, i)
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.text += " "
				b.at = append(b.at, seg.Stop)
			}
		case *ast.AutoLink, *ast.Image, *ast.RawHTML:
			// An address is not words; an image's words are its alt text.
		default:
			inline(c, src, b)
		}
	}
}

// token is a word, a number or a punctuation mark of a block.
type token struct {
	kind       byte // 'w' word, 'n' number, 'p' punctuation
	start, end int  // byte offsets in the block's text
	word       string
	// numbers: written with a separator (1,5; 16.12.2022), followed by %
	sep, percent bool
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// tokens splits a block's text.
func tokens(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case unicode.IsLetter(r):
			j := i + n
			for j < len(s) {
				q, m := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(q) || unicode.IsMark(q) || unicode.IsDigit(q) {
					j += m
					continue
				}
				if isApostrophe(q) {
					if q2, _ := utf8.DecodeRuneInString(s[j+m:]); unicode.IsLetter(q2) {
						j += m
						continue
					}
				}
				break
			}
			out = append(out, token{kind: 'w', start: i, end: j, word: s[i:j]})
			i = j
		case unicode.IsDigit(r):
			t := token{kind: 'n', start: i}
			j := i + n
			for j < len(s) {
				q, m := utf8.DecodeRuneInString(s[j:])
				next, _ := utf8.DecodeRuneInString(s[j+m:])
				switch {
				case unicode.IsDigit(q):
					j += m
					continue
				case strings.ContainsRune(".,:/", q) && unicode.IsDigit(next):
					t.sep = true
					j += m
					continue
				case (q == ' ' || q == '\u00a0') && thousands(s[j+m:]):
					t.sep = true
					j += m
					continue
				}
				break
			}
			t.end, t.word = j, s[i:j]
			rest := strings.TrimLeft(s[j:], " \u00a0")
			t.percent = strings.HasPrefix(rest, "%")
			out = append(out, t)
			i = j
		default:
			out = append(out, token{kind: 'p', start: i, end: i + n, word: s[i : i+n]})
			i += n
		}
	}
	return out
}

// thousands reports whether s starts with a group of three digits and no
// more: the rest of a number written 1 758 625.
func thousands(s string) bool {
	if len(s) < 3 {
		return false
	}
	for i := range 3 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) == 3 || s[3] < '0' || s[3] > '9'
}

// syllables counts the syllables of word by its vowel letters.
func (r *easyCheck) syllables(word string) int {
	w := strings.ToLower(word)
	n, prev := 0, false
	for _, c := range w {
		v := r.vowels[c]
		if v && (!prev || !r.MergeVowels) {
			n++
		}
		prev = v
	}
	if n > 1 {
		for _, e := range r.SilentEndings {
			// after a consonant: "made", "used", but not "refugee"
			if before, ok := strings.CutSuffix(w, e); ok {
				if c, _ := utf8.DecodeLastRuneInString(before); !r.vowels[c] {
					n--
					break
				}
			}
		}
	}
	return n
}

// isAbbreviation reports whether w is written as an abbreviation: two or
// more letters, all capitals.
func isAbbreviation(w string) bool {
	letters := 0
	for _, c := range w {
		switch {
		case unicode.IsLetter(c) && !unicode.IsUpper(c):
			return false
		case unicode.IsLetter(c):
			letters++
		case !unicode.IsDigit(c):
			return false
		}
	}
	return letters >= 2
}

// closers are the marks that may stand between the end of a sentence and
// the space after it.
const closers = "\"'”’»)]"

// check measures the text made of blocks, reporting its problems in file
// (in field, if it is a front-matter value) at where(offset).
func (r *easyCheck) check(file, field string, blocks []etrBlock, where func(int) pos, ps *problems) Readability {
	res := Readability{File: file, Field: field, Measure: r.Measure, Hard: r.HardSyllables, MaxFOG: r.MaxFOG, MaxSentenceWords: r.MaxSentenceWords}
	prefix := ""
	if field != "" {
		prefix = field + ": "
	}
	add := func(b etrBlock, off int, format string, args ...any) {
		ps.add(file, where(b.at[min(off, len(b.at)-1)]), "%s%s", prefix, fmt.Sprintf(format, args...))
	}
	seen := map[string]bool{}
	first := -1
	for _, b := range blocks {
		toks := tokens(b.text)
		words, start := 0, -1
		end := func() {
			if words == 0 {
				return
			}
			res.Sentences++
			res.LongestSentence = max(res.LongestSentence, words)
			if words > r.MaxSentenceWords {
				add(b, start, "sentence of %d words, at most %d: split it into shorter sentences, one idea each", words, r.MaxSentenceWords)
			}
			words, start = 0, -1
		}
		skip := map[int]bool{} // dots that belong to an abbreviation
		for i, t := range toks {
			switch t.kind {
			case 'w', 'n':
				if start < 0 {
					start = t.start
				}
				if first < 0 {
					first = b.at[t.start]
				}
				words++
				res.Words++
				if t.kind == 'n' {
					res.Numbers++
					r.checkNumber(t, func(format string, args ...any) { add(b, t.start, format, args...) })
					continue
				}
				// A capitalised word inside a sentence is a name, which
				// Gunning leaves out of the hard words (and which no
				// everyday word replaces).
				if c, _ := utf8.DecodeRuneInString(t.word); words > 1 && unicode.IsUpper(c) {
					// a name
				} else if s := r.syllables(t.word); s >= r.HardSyllables {
					res.HardWords++
					if s > r.MaxWordSyllables {
						add(b, t.start, "the word „%s” has %d syllables, at most %d: use a shorter, everyday word", t.word, s, r.MaxWordSyllables)
					}
				}
				if a := r.dotted(b.text, toks, i); a > 0 {
					add(b, t.start, "„%s” is an abbreviation: write the word in full", b.text[t.start:a])
					for j := i + 1; j < len(toks) && toks[j].start < a; j++ {
						skip[j] = true
					}
				}
				if isAbbreviation(t.word) && !seen[t.word] {
					seen[t.word] = true
					if !explained(toks, i) {
						add(b, t.start, "the abbreviation „%s” is not explained: at its first use write what it stands for, in brackets after it or with it in brackets after the words, like „Związek Miast Polskich (ZMP)”", t.word)
					}
				}
			case 'p':
				if skip[i] || !strings.Contains(".!?…", t.word) {
					continue
				}
				if sentenceEnd(b.text, t.end) {
					end()
				}
			}
		}
		end()
	}
	if res.Words > 0 {
		res.FOG = 0.4 * (float64(res.Words)/float64(max(res.Sentences, 1)) + 100*float64(res.HardWords)/float64(res.Words))
	}
	if res.FOG > float64(r.MaxFOG) {
		at := where(max(first, 0))
		if first < 0 && len(blocks) > 0 {
			at = where(blocks[0].at[0])
		}
		ps.add(file, at, "%s%s %.1f, at most %d: write shorter sentences and fewer words of %d or more syllables (%d of %d words here)",
			prefix, r.Measure, res.FOG, r.MaxFOG, r.HardSyllables, res.HardWords, res.Words)
	}
	return res
}

// sentenceEnd reports whether the mark that ends at i in s ends a
// sentence: it is followed, past any closing quotes and brackets, by a
// space or the end of the block, and the next word does not start with a
// small letter.
func sentenceEnd(s string, i int) bool {
	for i < len(s) && strings.ContainsRune(closers, rune(s[i])) {
		i++
	}
	for _, c := range []string{"”", "’", "»"} {
		for strings.HasPrefix(s[i:], c) {
			i += len(c)
		}
	}
	if i == len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	if !unicode.IsSpace(r) {
		return false
	}
	rest := strings.TrimLeftFunc(s[i:], unicode.IsSpace)
	next, _ := utf8.DecodeRuneInString(rest)
	return rest == "" || !unicode.IsLower(next)
}

// dotted returns the end of the abbreviation with a dot that starts at
// word i of toks (in s), or 0: a word of the language's list followed by
// its dot ("np.", "m.in."), or a word followed by a dot and then, after a
// space, a small letter ("2017 r. w Gdańsku"), or directly a letter ("e.g").
func (r *easyCheck) dotted(s string, toks []token, i int) int {
	t := toks[i]
	if i > 0 && toks[i-1].end == t.start && toks[i-1].word == "." {
		return 0 // inside one found already
	}
	low := strings.ToLower(s[t.start:])
	for _, a := range r.Abbreviations {
		if strings.HasPrefix(low, a+".") {
			end := t.start + len(a) + 1
			next, _ := utf8.DecodeRuneInString(s[end:])
			if !unicode.IsLetter(next) || strings.Contains(a, ".") {
				return end
			}
		}
	}
	if i+1 >= len(toks) || toks[i+1].word != "." || toks[i+1].start != t.end {
		return 0
	}
	after := s[t.end+1:]
	next, _ := utf8.DecodeRuneInString(after)
	if unicode.IsLetter(next) {
		if utf8.RuneCountInString(t.word) <= 2 {
			// m.in, e.g, i.e: up to the last dot of the run
			end := t.end + 1
			for j := i + 2; j+1 < len(toks) && toks[j].kind == 'w' && toks[j].start == end && toks[j+1].word == "." && toks[j+1].start == toks[j].end; j += 2 {
				end = toks[j+1].end
			}
			return end
		}
		return 0 // an address: krakow.pl
	}
	rest := strings.TrimLeftFunc(after, unicode.IsSpace)
	if len(rest) < len(after) {
		if c, _ := utf8.DecodeRuneInString(rest); unicode.IsLower(c) {
			return t.end + 1
		}
	}
	return 0
}

// explained reports whether the abbreviation at toks[i] is explained
// where it stands: followed by brackets holding two words or more, or
// itself in brackets after two words or more.
func explained(toks []token, i int) bool {
	if i+1 < len(toks) && toks[i+1].word == "(" {
		words := 0
		for _, t := range toks[i+2:] {
			if t.word == ")" {
				break
			}
			if t.kind != 'p' {
				words++
			}
		}
		if words >= 2 {
			return true
		}
	}
	depth := 0
	for j := i - 1; j >= 0; j-- {
		switch toks[j].word {
		case ")":
			depth++
		case "(":
			if depth > 0 {
				depth--
				continue
			}
			words := 0
			for _, t := range toks[:j] {
				if t.kind != 'p' {
					words++
				}
			}
			return words >= 2
		}
	}
	return false
}

// checkNumber reports a number easy-to-read text should not have.
func (r *easyCheck) checkNumber(t token, add func(string, ...any)) {
	switch {
	case t.percent:
		add("„%s%%”: a percentage is hard to understand: say it in words (for example „more than half”)", t.word)
	case t.sep:
		add("„%s”: write numbers whole, without separators, and dates in words (16 grudnia 2022)", t.word)
	default:
		n, err := strconv.Atoi(t.word)
		year := len(r.Years) == 2 && len(t.word) == 4 && err == nil && n >= r.Years[0] && n <= r.Years[1]
		if err != nil || n > r.MaxNumber && !year {
			add("the number %s is larger than %d: say it in words (for example „many”), or round it", t.word, r.MaxNumber)
		}
	}
}
