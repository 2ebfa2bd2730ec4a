// Package catalog holds the words of the site's interface: one message
// catalogue per language, kept with the content (content/messages/TAG.yaml,
// read and checked by content.Load like any content file), and the typed
// Labels the templates read them through.
//
// A catalogue maps message keys to texts. A key is a field of Labels
// ("SiteName", "SearchFound") or a member of a family ("Kind.position",
// "Month.12"); every catalogue must give every key a text that is not
// empty, and nothing else. A text may hold placeholders in braces
// ("{count}", "{language}"). A counted message gives one text per CLDR
// plural form of its language (Polish and Ukrainian: one, few, many,
// other; English: one, other), chosen by golang.org/x/text/feature/plural.
//
// Language names come from CLDR too (golang.org/x/text/language/display),
// so that a new language needs no key in the other catalogues.
//
// It must not import the site's other packages but date.
package catalog

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/krakow/wspolpraca/internal/date"
)

// Message is one message of a catalogue: a text, or a text per plural
// form ("one", "few", "many", "other").
type Message struct {
	Text   string            `json:"text,omitempty"`
	Plural map[string]string `json:"plural,omitempty"`
}

// Catalogue is one language's messages, by key.
type Catalogue struct {
	Lang     string             `json:"lang"`
	Messages map[string]Message `json:"messages"`
}

// Count is a message whose text depends on a number.
type Count struct {
	forms map[plural.Form]string
	rule  func(int) plural.Form
}

// N returns the text for n, with {count} replaced by n.
func (c Count) N(n int) string {
	s := c.forms[c.rule(n)]
	if s == "" {
		s = c.forms[plural.Other]
	}
	return strings.ReplaceAll(s, "{count}", strconv.Itoa(n))
}

// Families are the keys that stand for the values of an enumeration: the
// content's kinds, modes and types (given by content.Load, from its
// schema) and the months.
type Families map[string][]string

// Required returns every key a catalogue must give, sorted, with whether
// it is counted (plural).
func Required(fam Families) map[string]bool {
	keys := map[string]bool{}
	t := reflect.TypeFor[Labels]()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("catalog") == "-" {
			continue
		}
		keys[f.Name] = f.Type == reflect.TypeFor[Count]()
	}
	for name, values := range fam {
		for _, v := range values {
			keys[name+"."+v] = false
		}
	}
	for m := 1; m <= 12; m++ {
		keys["Month."+strconv.Itoa(m)] = false
		keys["MonthStandalone."+strconv.Itoa(m)] = false
	}
	for _, k := range dataKeys() {
		keys[k] = false
	}
	return keys
}

// Forms returns the CLDR plural forms a counted message needs in lang, by
// name ("one", "few", "many", "other"): those some whole number takes.
func Forms(lang string) []string {
	rule := rule(lang)
	seen := map[plural.Form]bool{plural.Other: true}
	for n := range 1000 {
		seen[rule(n)] = true
	}
	var out []string
	for f := range seen {
		out = append(out, formNames[f])
	}
	sort.Slice(out, func(i, j int) bool { return formOrder(out[i]) < formOrder(out[j]) })
	return out
}

var formNames = map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many", plural.Other: "other"}

func formOrder(name string) int {
	return slices.Index([]string{"zero", "one", "two", "few", "many", "other"}, name)
}

func rule(lang string) func(int) plural.Form {
	tag := language.Make(lang)
	return func(n int) plural.Form { return plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0) }
}

// NewLabels returns the typed labels of catalogue c. The catalogue must have
// passed content.Load's check (every key there, no text empty); a key
// missing all the same is shown as its name, never as an empty string.
func NewLabels(c *Catalogue) *Labels {
	l := &Labels{Lang: c.Lang, family: map[string]string{}}
	rule := rule(c.Lang)
	v := reflect.ValueOf(l).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("catalog") == "-" {
			continue
		}
		m, ok := c.Messages[f.Name]
		switch f.Type {
		case reflect.TypeFor[Count]():
			cnt := Count{forms: map[plural.Form]string{}, rule: rule}
			for form, name := range formNames {
				if s := m.Plural[name]; s != "" {
					cnt.forms[form] = s
				}
			}
			if len(cnt.forms) == 0 {
				cnt.forms[plural.Other] = f.Name
			}
			v.Field(i).Set(reflect.ValueOf(cnt))
		default:
			if !ok || m.Text == "" {
				m.Text = f.Name
			}
			v.Field(i).SetString(m.Text)
		}
	}
	for k, m := range c.Messages {
		if strings.Contains(k, ".") {
			l.family[k] = m.Text
		}
	}
	for i := range 12 {
		l.names.Genitive[i] = l.member("Month", strconv.Itoa(i+1))
		l.names.Standalone[i] = l.member("MonthStandalone", strconv.Itoa(i+1))
	}
	l.names.Day, l.names.DayMonth, l.names.Month, l.names.Year = l.DateDay, l.DateDayMonth, l.DateMonth, l.DateYear
	l.self = language.Make(c.Lang)
	return l
}

// member returns the text of key family.value.
func (l *Labels) member(family, value string) string {
	if s := l.family[family+"."+value]; s != "" {
		return s
	}
	return family + "." + value
}

// Fill replaces each {name} in s with its value: Fill("{a} and {b}",
// "a", "x", "b", "y").
func Fill(s string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, "{"+pairs[i]+"}", pairs[i+1])
	}
	return s
}

// LanguageName names the language tag in the labels' language, as CLDR
// writes it in running text ("angielski", "англійська", "English").
func (l *Labels) LanguageName(tag string) string {
	if tag == "" {
		return l.NotInSource
	}
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if n := display.Tags(l.self).Name(t); n != "" {
		return n
	}
	return tag
}

// FormatDate writes d as the labels' language writes dates ("16 grudnia 2022 r.").
func (l *Labels) FormatDate(d date.Date) string { return d.Format(l.names) }

// FormatRange writes a date range ("29–30 czerwca 2017 r.").
func (l *Labels) FormatRange(r date.Range) string { return r.Format(l.names) }

// Quote puts s in the language's quotation marks: „…”, “…”, «…».
func (l *Labels) Quote(s string) string { return l.QuoteOpen + s + l.QuoteClose }

// ModeName names an attendance mode; "" becomes "not given in the source".
func (l *Labels) ModeName(mode string) string { return l.or(mode, "Mode") }

// KindName names a kind of declaration.
func (l *Labels) KindName(kind string) string { return l.or(kind, "Kind") }

// BodyKindName names a kind of body.
func (l *Labels) BodyKindName(kind string) string { return l.or(kind, "BodyKind") }

// TypeName names a type of record: page, body, meeting, declaration.
func (l *Labels) TypeName(t string) string { return l.or(t, "Type") }

// StatusSentence is the statement's sentence for a compliance status.
func (l *Labels) StatusSentence(status string) string { return l.member("Status", status) }

// TranslationStatus says how a translated page stands to the original
// (content.TranslationStatus: current, outdated, unverified, fallback); ""
// for the original itself.
func (l *Labels) TranslationStatus(status string) string {
	if status == "" || status == "original" {
		return ""
	}
	return l.member("Translation", status)
}

// ScopeNote says how much of a declaration's text the site holds.
func (l *Labels) ScopeNote(scope string) string { return l.member("Scope", scope) }

// Authoritative says which text is authoritative: the original in the
// language tag.
func (l *Labels) Authoritative(tag string) string {
	return Fill(l.AuthoritativeIn, "language", l.LanguageName(tag))
}

// Page says which page of how many a list shows.
func (l *Labels) Page(n, of int) string {
	return Fill(l.PageOf, "page", strconv.Itoa(n), "pages", strconv.Itoa(of))
}

func (l *Labels) or(value, family string) string {
	if value == "" {
		return l.NotInSource
	}
	return l.member(family, value)
}

// String describes a catalogue for errors.
func (c *Catalogue) String() string {
	return fmt.Sprintf("catalogue %s (%d messages)", c.Lang, len(c.Messages))
}
