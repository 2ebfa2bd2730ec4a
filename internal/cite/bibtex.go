package cite

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

var bibMonths = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// BibTeX returns w as one @misc entry, readable by BibTeX and by biblatex
// with biber.
//
// The entry type and its fields are those the biblatex data model allows
// in @misc (biblatex manual §2.1.1; checked by `biber --tool
// --validate-datamodel`): author, title, date (with year and month for
// BibTeX), type, address (biber's alias of location), howpublished,
// organization, language, langid, url, note. The event goes in howpublished ("a
// publication notice for unusual publications"): eventtitle belongs to
// @proceedings and @inproceedings only, and biber rejects it in @misc.
//
// The author and the title are in double braces: one name that neither
// BibTeX nor biber splits (at " and " or at a comma), and a title whose
// capitals stay. Every value goes through bibEscape, so no character
// unbalances the braces or starts a command.
func BibTeX(w Work) []byte {
	w = w.clean()
	var b bytes.Buffer
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %-9s = {%s},\n", name, value)
		}
	}
	fmt.Fprintf(&b, "@misc{%s,\n", Key(w))
	if w.Author != "" {
		field("author", "{"+bibEscape(w.Author)+"}")
	}
	field("title", "{"+bibEscape(Title(w))+"}")
	field("year", strconv.Itoa(w.Date.From.Year))
	if m := w.Date.From.Month; m > 0 {
		fmt.Fprintf(&b, "  %-9s = %s,\n", "month", bibMonths[m-1])
	}
	field("date", w.Date.String())
	field("type", bibEscape(w.Kind))
	field("address", bibEscape(w.Place))
	field("howpublished", bibEscape(w.Event))
	// langid too: without it biblatex (and Better BibTeX's parser) take
	// the entry for English and may change the case of its title.
	field("language", BibLaTeXLanguage(w.Lang))
	field("langid", BibLaTeXLanguage(w.Lang))
	field("url", bibURL(w.URL))
	field("organization", bibEscape(w.Site))
	field("note", bibEscape(versionNote(w)))
	b.WriteString("}\n")
	return b.Bytes()
}

// bibSpecial maps each character that TeX reads as markup to a command
// that prints it. Braces become \textbraceleft{} and \textbraceright{}, not
// \{ and \}: BibTeX counts every brace, escaped or not, to find the end of
// a value, so one unbalanced brace would swallow the fields after it.
// "<" and ">" print as ¡ and ¿ in TeX's OT1 encoding, a lone '"' is an
// active character under babel's Polish and German.
var bibSpecial = map[rune]string{
	'\\': `\textbackslash{}`, '{': `\textbraceleft{}`, '}': `\textbraceright{}`,
	'&': `\&`, '%': `\%`, '$': `\$`, '#': `\#`, '_': `\_`,
	'~': `\textasciitilde{}`, '^': `\textasciicircum{}`,
	'<': `\textless{}`, '>': `\textgreater{}`, '"': `{"}`,
}

// ligature reports whether TeX joins a and b into one glyph ("--" is an
// en dash, "“" and "”" curly quotes, ",," a low quote in T1, "!`" ¡).
func ligature(a, b rune) bool {
	return strings.ContainsRune("-`',!?", a) && strings.ContainsRune("-`',", b)
}

// bibEscape writes s as the text of a BibTeX value that prints s: every
// special character as a command (bibSpecial) and an empty group between
// two characters TeX would join (ligature).
func bibEscape(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if e, ok := bibSpecial[r]; ok {
			b.WriteString(e)
		} else {
			b.WriteRune(r)
		}
		if i+1 < len(rs) && ligature(r, rs[i+1]) {
			b.WriteString("{}")
		}
	}
	return b.String()
}

// bibURL writes a URL for the url field, which biber and BibTeX styles
// read verbatim: only the characters that would unbalance the value are
// percent-encoded (RFC 3986 §2.1), which leaves the address the same.
func bibURL(u string) string {
	return strings.NewReplacer("{", "%7B", "}", "%7D", "\\", "%5C").Replace(u)
}

// BibLaTeXLanguage is the name biblatex's language field takes for a BCP
// 47 tag: the language's English name in lower case, as babel names them
// ("polish", "english", "ukrainian"), from CLDR; "" for a tag it cannot
// name.
func BibLaTeXLanguage(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return ""
	}
	return strings.ToLower(display.English.Tags().Name(t))
}
