package content

// Easy-to-read text (ETR) and its check.
//
// Texts marked easy-to-read — the page with easy_read: true and every
// easy_read_summary — are measured when the content is loaded, and refused
// when they go past the thresholds of their language's entry in
// languages.yaml (readability). The rules are those of the easy-to-read
// standards: Inclusion Europe, "Information for all. European standards
// for making information easy to read and understand" (2009, ISBN
// 2-87460-110-1), in Polish "Informacja dla wszystkich" (PSONI): short
// sentences, one idea each; everyday words; no initials, or explained
// ones; no percentages or big numbers. What can be counted is counted:
//
//   - The measure is Gunning's FOG index, 0.4 × (words per sentence + 100 ×
//     hard words per word) (R. Gunning, The Technique of Clear Writing,
//     1952), with a hard word of hard_syllables syllables or more. For
//     Polish that is FOG-PL, the adaptation used by Jasnopis and Logios:
//     hard words have 4 syllables or more, not 3 as in English (A. Seretny
//     2006; Pracownia Prostej Polszczyzny, Uniwersytet Wrocławski). B.
//     Broda, B. Nitoń, W. Gruszczyński, M. Ogrodniczuk, "Measuring
//     Readability of Polish Texts: Baseline Experiments", LREC 2014,
//     pp. 573–580, evaluate FOG and Pisarek's index on Polish and describe
//     Jasnopis. Syllables are counted by vowel letters (a group of adjacent
//     vowels is one syllable where merge_vowels says so), which is close
//     to, not exactly, the spoken syllables. As Gunning has it, names are
//     not hard words: a word with a capital letter inside a sentence (not
//     its first) is a name, neither hard nor too long.
//   - A sentence ends at . ! ? … followed by a space or the end of its
//     block, and at the end of every paragraph, heading, list item and
//     table cell. A sentence of more than max_sentence_words words is
//     refused; so is a word of more than max_word_syllables syllables.
//   - An abbreviation is a word of two or more letters, all capitals
//     (ZMP, UNHCR, МОМ; digits may follow: COVID19). It is explained when
//     its first use in the text stands in brackets after at least two
//     words ("Związek Miast Polskich (ZMP)", "(w skrócie: ZMP)") or is
//     followed by brackets holding at least two words ("ZMP (Związek Miast
//     Polskich)"); later uses need nothing. An abbreviation with a dot
//     (the language's list: np., m.in., r.; or a word followed by a dot and
//     a small letter) is refused: the word is written in full.
//   - Numbers are written in digits, as the standards ask, but a
//     percentage, a number with a separator (1,5; 16.12.2022) and a number
//     larger than max_number are refused; a four-digit number within the
//     years given is a year, which is allowed.
//
// The figures (the index, the longest sentence, the hard words, the
// numbers) are kept in Site.Readability, which site check prints.

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// easySummaryField is the front-matter field of a body's or a
// declaration's easy-to-read summary.
const easySummaryField = "easy_read_summary"

// readabilityMeta is the easy-to-read check of one language, in
// languages.yaml.
type readabilityMeta struct {
	Measure          string   `yaml:"measure" fm:"required" doc:"The measure's name, as site check prints it." example:"FOG-PL"`
	Vowels           string   `yaml:"vowels" fm:"required" doc:"The language's vowel letters, lowercase: syllables are counted by them." example:"aąeęioóuy"`
	MergeVowels      bool     `yaml:"merge_vowels" doc:"true when adjacent vowel letters are one syllable (Polish nie, English team); false when each vowel letter is one (Ukrainian країна)."`
	SilentEndings    []string `yaml:"silent_endings" doc:"Word endings that add no syllable after a consonant (English: made, used; Gunning does not count -ed and -es)." example:"[e, ed, es]"`
	HardSyllables    int      `yaml:"hard_syllables" fm:"required" doc:"A word of this many syllables or more is a hard word of the FOG index." example:"4"`
	MaxFOG           int      `yaml:"max_fog" fm:"required" doc:"The highest FOG index an easy-to-read text may have." example:"6"`
	MaxSentenceWords int      `yaml:"max_sentence_words" fm:"required" doc:"The most words a sentence may have." example:"15"`
	MaxWordSyllables int      `yaml:"max_word_syllables" fm:"required" doc:"The most syllables a word may have." example:"6"`
	MaxNumber        int      `yaml:"max_number" fm:"required" doc:"The largest number that may be written in digits (a year excepted)." example:"100"`
	Years            []int    `yaml:"years" doc:"The first and the last year a four-digit number may be." example:"[1900, 2099]"`
	Abbreviations    []string `yaml:"abbreviations" doc:"Abbreviations written with a dot, without it, lowercase: refused in easy-to-read text." example:"[np, m.in, r]"`
}

// easyCheck is a language's easy-to-read check, ready to use.
type easyCheck struct {
	readabilityMeta
	vowels map[rune]bool
}

// Readability is what the easy-to-read check measured of one text.
type Readability struct {
	File    string // relative to the content folder
	Field   string // the front-matter field holding the text; "" for the file's text
	Measure string // the index's name: FOG-PL, FOG…
	FOG     float64
	// Hard is the syllables of a hard word; HardWords how many words have
	// as many or more.
	Hard                                 int
	Sentences, Words, HardWords, Numbers int
	LongestSentence                      int // in words
	MaxFOG, MaxSentenceWords             int // the thresholds it was held to
}

// String gives the figures as site check prints them: "pages/easy-read.pl.md:
// FOG-PL 5.1 (at most 6), longest sentence 12 words (at most 15), …".
func (r Readability) String() string {
	where := r.File
	if r.Field != "" {
		where += " (" + r.Field + ")"
	}
	share := 0.0
	if r.Words > 0 {
		share = 100 * float64(r.HardWords) / float64(r.Words)
	}
	numbers := "numbers"
	if r.Numbers == 1 {
		numbers = "number"
	}
	return fmt.Sprintf("%s: %s %.1f (at most %d), longest sentence %d words (at most %d), %d sentences, %d words, %d hard (%d+ syllables, %.1f%%), %d %s",
		where, r.Measure, r.FOG, r.MaxFOG, r.LongestSentence, r.MaxSentenceWords, r.Sentences, r.Words, r.HardWords, r.Hard, share, r.Numbers, numbers)
}

// readReadability reads the readability of every language of
// languages.yaml (whose syntax and types readLanguages has checked) and
// checks its values. A language without one has no easy-to-read check:
// an easy-to-read text in it is a problem.
func (l *loader) readReadability() map[string]*easyCheck {
	src, err := l.readSetup(languagesFile)
	if err != nil {
		return nil
	}
	var m languagesMeta
	var scratch problems // reported by readLanguages already
	dec := &decoder{file: languagesFile, ps: &scratch, at: map[string]pos{}}
	dec.decode(src, &m)
	out := map[string]*easyCheck{}
	for i, lm := range m.Languages {
		rm := lm.Readability
		if rm == nil {
			continue
		}
		at := func(field string) pos { return dec.at[fmt.Sprintf("languages.%d.readability.%s", i, field)] }
		ok := true
		for name, v := range map[string]int{"hard_syllables": rm.HardSyllables, "max_fog": rm.MaxFOG,
			"max_sentence_words": rm.MaxSentenceWords, "max_word_syllables": rm.MaxWordSyllables, "max_number": rm.MaxNumber} {
			if v < 1 {
				l.ps.add(languagesFile, at(name), "readability.%s: give a whole number of 1 or more", name)
				ok = false
			}
		}
		if len(rm.Years) != 0 && (len(rm.Years) != 2 || rm.Years[0] > rm.Years[1]) {
			l.ps.add(languagesFile, at("years"), "readability.years: give the first and the last year, like [1900, 2099]")
			ok = false
		}
		r := &easyCheck{readabilityMeta: *rm, vowels: map[rune]bool{}}
		for _, v := range strings.ToLower(rm.Vowels) {
			r.vowels[v] = true
		}
		for j, a := range r.Abbreviations {
			r.Abbreviations[j] = strings.ToLower(strings.TrimSuffix(a, "."))
		}
		if ok {
			out[lm.Tag] = r
		}
	}
	return out
}

// easyRead measures the easy-to-read texts of f: its Markdown text when
// page is set (easy_read: true), and summary (easy_read_summary) when it
// is not empty. Problems go to ps; the figures and the rendered summary to
// d.
func (l *loader) easyRead(f *file, d *Doc, ps *problems, page bool, summary string) {
	d.easyRead = page
	if !page && summary == "" {
		if _, given := f.dec.at[easySummaryField]; given {
			ps.add(f.path, f.dec.at[easySummaryField], "%s is empty: write it, or leave the field out", easySummaryField)
		}
		return
	}
	r := l.ease[f.lang]
	if r == nil {
		at := f.dec.at["easy_read"]
		if !page {
			at = f.dec.at[easySummaryField]
		}
		ps.add(f.path, at, "%s has no easy-to-read check: give its entry in %s a readability (see the Polish one)", englishName(f.lang), languagesFile)
		return
	}
	if page {
		blocks, _ := mdBlocks(f.body)
		d.Readability = append(d.Readability, r.check(f.path, "", blocks, func(off int) pos { return f.bodyPos(off) }, ps))
	}
	if summary == "" {
		return
	}
	src := []byte(summary)
	blocks, headings := mdBlocks(src)
	at := valuePositions(f.fm, f.dec.at[easySummaryField], summary)
	where := func(off int) pos { return at[min(max(off, 0), len(at)-1)] }
	for _, h := range headings {
		ps.add(f.path, where(h), "%s: a summary has no headings: its page gives it one", easySummaryField)
	}
	rd := l.md.render(src, f.lang, false)
	d.EasyHTML, d.EasyText = rd.HTML, rd.Text
	for _, lk := range rd.Links {
		d.links = append(d.links, located[mdLink]{V: lk, file: f.path, at: where(lk.Offset)})
	}
	for _, p := range rd.Problems {
		ps.add(f.path, where(p.Offset), "%s: %s", easySummaryField, p.Msg)
	}
	d.Readability = append(d.Readability, r.check(f.path, easySummaryField, blocks, where, ps))
}

// valuePositions maps each byte of value — a front-matter value as YAML
// read it: unquoted, unescaped, its lines unindented (|) or joined (>) —
// to its place in the file, given the front matter fm (which starts on
// the file's line 2) and where the value starts. Each character is looked
// for from where the one before it was found; a space stands for
// whatever spacing YAML made of the lines.
func valuePositions(fm []byte, start pos, value string) []pos {
	p := positioner{src: fm, line0: 2}
	// The byte offset of start in fm.
	cur, line := 0, 2
	for line < start.Line && cur < len(fm) {
		i := bytes.IndexByte(fm[cur:], '\n')
		if i < 0 {
			cur = len(fm)
			break
		}
		cur += i + 1
		line++
	}
	for col := 1; col < start.Col && cur < len(fm); col++ {
		_, n := utf8.DecodeRune(fm[cur:])
		cur += n
	}
	out := make([]pos, len(value)+1)
	const window = 512 // indentation, an escape, the block indicator
	for i, r := range value {
		if !unicode.IsSpace(r) {
			var enc [utf8.UTFMax]byte
			n := utf8.EncodeRune(enc[:], r)
			if j := bytes.Index(fm[cur:min(cur+window, len(fm))], enc[:n]); j >= 0 {
				cur += j
			}
		}
		out[i] = p.pos(cur)
		if !unicode.IsSpace(r) && cur < len(fm) {
			_, n := utf8.DecodeRune(fm[cur:])
			cur += n
		}
	}
	for i := range out {
		if out[i] == (pos{}) { // the inner bytes of a character
			out[i] = out[max(i-1, 0)]
		}
	}
	out[len(value)] = p.pos(cur)
	return out
}

// checkEasyRead checks that every file of a page says what its
// authoritative file says of being the easy-to-read page.
func (l *loader) checkEasyRead(rec Record, easy bool) {
	for _, tag := range l.reg.Tags() {
		d := rec.Docs[tag]
		if d == nil || d.Fallback != "" || d.easyRead == easy {
			continue
		}
		if easy {
			l.ps.add(d.File, pos{1, 1}, "the %s file marks this page easy-to-read: mark this one too (easy_read: true), so that its text is checked", englishName(l.reg.Authoritative().Tag))
		} else {
			l.ps.add(d.File, d.meta.at["easy_read"], "easy_read: the %s file does not mark this page easy-to-read: mark both, or neither", englishName(l.reg.Authoritative().Tag))
		}
	}
}

// checkEasyReadPages allows one easy-to-read page: the header links to it.
func (l *loader) checkEasyReadPages(s *Site) {
	var first *Page
	auth := l.reg.Authoritative().Tag
	for _, p := range s.Pages {
		if !p.EasyRead {
			continue
		}
		if first == nil {
			first = p
			continue
		}
		d := p.Docs[auth]
		l.ps.add(d.File, d.meta.at["easy_read"], "easy_read: %s is the easy-to-read page already; the header links to one", first.Docs[auth].File)
	}
}

// readabilityOf lists the figures of every easy-to-read text of s, by
// file.
func readabilityOf(s *Site) []Readability {
	var out []Readability
	for _, d := range s.Docs() {
		if d.Fallback == "" {
			out = append(out, d.Readability...)
		}
	}
	slices.SortStableFunc(out, func(a, b Readability) int { return strings.Compare(a.File, b.File) })
	return out
}
