package content

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/fold"
	"github.com/krakow/wspolpraca/internal/lang"
)

// The language registry and the message catalogues: what a language needs
// besides its translated files. Adding a language is adding its entry to
// languages.yaml, its catalogue to messages/ and its files.
const (
	languagesFile  = "languages.yaml"
	messagesFolder = "messages"
)

// languagesMeta is languages.yaml.
type languagesMeta struct {
	Languages []languageMeta `yaml:"languages" fm:"required" doc:"The site's languages. Exactly one is authoritative: its texts are the originals, at the root of the site; every other is a translation."`
}

type languageMeta struct {
	Tag           string        `yaml:"tag" fm:"required" doc:"The language's BCP 47 tag, as in the names of its files (2021-stanowisko-afganistan.uk.md)." example:"uk"`
	Name          string        `yaml:"name" fm:"required" doc:"The language's name in itself (its endonym), as the language navigation shows it." example:"Українська"`
	Prefix        string        `yaml:"prefix" doc:"The path its pages are under; empty for the authoritative language only." example:"/uk"`
	OGLocale      string        `yaml:"og_locale" fm:"required" doc:"The Open Graph locale of its pages." example:"uk_UA"`
	Authoritative bool          `yaml:"authoritative" doc:"true for the language of the original texts."`
	Fallback      []string      `yaml:"fallback" doc:"Where a text has no version in this language, the languages to show instead, in order (the authoritative language comes last in any case)." example:"[pl]"`
	Complete      bool          `yaml:"complete" doc:"true when every record must have a file in this language, or name it under untranslated; a language being added is not complete, and its missing pages show their fallback."`
	Segments      segmentsMeta  `yaml:"segments" fm:"required" doc:"The URL segments of its addresses that no page gives."`
	Params        paramsMeta    `yaml:"params" fm:"required" doc:"The names of its query parameters."`
	SearchTypes   []valueMeta   `yaml:"search_types" fm:"required" doc:"The values of the search's type filter, in the URL: one for each of page, body, meeting, declaration."`
	Stemming      stemmingMeta  `yaml:"stemming" doc:"How search finds the inflected forms of a word."`
	Translit      *translitMeta `yaml:"transliteration" doc:"For a language not written in Latin letters: how its slugs and heading anchors are written in Latin letters."`
	// Read by readReadability (readability.go).
	Readability *readabilityMeta `yaml:"readability" doc:"The easy-to-read check of texts in this language: its measure and thresholds (see readability.go)."`
}

type segmentsMeta struct {
	DeclarationPermalink string `yaml:"declaration_permalink" fm:"required" doc:"The permanent link of a declaration: {prefix}/{segment}/{id}." example:"d"`
	MeetingPermalink     string `yaml:"meeting_permalink" fm:"required" doc:"The permanent link of a meeting." example:"m"`
	Feed                 string `yaml:"feed" fm:"required" doc:"The Atom feed: {prefix}/{feed}." example:"atom.xml"`
	Calendar             string `yaml:"calendar" fm:"required" doc:"The calendars: {prefix}/{calendar}.ics and {prefix}/{calendar}/{body}.ics." example:"kalendar"`
}

type paramsMeta struct {
	Query string `yaml:"query" fm:"required" doc:"The words searched for." example:"q"`
	Type  string `yaml:"type" fm:"required" doc:"The search's type filter." example:"typ"`
	Body  string `yaml:"body" fm:"required" doc:"The body a search or a list is limited to." example:"gremium"`
	Year  string `yaml:"year" fm:"required" doc:"The search's year filter." example:"rok"`
	Lang  string `yaml:"lang" fm:"required" doc:"The search's language filter." example:"jezyk"`
	Page  string `yaml:"page" fm:"required" doc:"The page number of a list or of results." example:"strona"`
	All   string `yaml:"all" fm:"required" doc:"The value of the language filter that searches every language." example:"wszystkie"`
}

type valueMeta struct {
	Param string `yaml:"param" fm:"required" doc:"The value as written in the URL." example:"deklaracja"`
	Value string `yaml:"value" fm:"required" enum:"page|body|meeting|declaration" doc:"What it stands for." example:"declaration"`
}

type stemmingMeta struct {
	MinStem         int      `yaml:"min_stem" doc:"The shortest stem left after removing an ending (shorter ones match too much)." example:"4"`
	Endings         []string `yaml:"endings" doc:"Inflectional endings, folded as words are (no diacritics), removed from the end of a word (longest first) before it is matched as a prefix." example:"[ami, ach, a]"`
	JoinApostrophes bool     `yaml:"join_apostrophes" doc:"true when an apostrophe inside a word belongs to the word (Ukrainian: м’ясо), rather than separating two (English: Kraków's)."`
}

type translitMeta struct {
	Letters map[string]string `yaml:"letters" fm:"required" doc:"Each letter, lowercase, and its Latin spelling."`
	Initial map[string]string `yaml:"initial" doc:"Letters spelt otherwise at the start of a word."`
	Pairs   map[string]string `yaml:"pairs" doc:"Two-letter sequences spelt otherwise."`
}

var (
	prefixPattern   = regexp.MustCompile(`^/[a-z]{2,8}$`)
	ogLocalePattern = regexp.MustCompile(`^[a-z]{2,3}_[A-Z]{2}$`)
	paramPattern    = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// readLanguages reads and checks languages.yaml; nil when it has problems.
func (l *loader) readLanguages() *lang.Registry {
	src, err := l.readSetup(languagesFile)
	if err != nil {
		l.ps.add(languagesFile, pos{1, 1}, "the language registry is missing: the site's languages are listed in content/%s", languagesFile)
		return nil
	}
	if len(src) > MaxFrontMatterBytes {
		l.ps.add(languagesFile, pos{1, 1}, "the language registry is larger than %s", kb(MaxFrontMatterBytes))
		return nil
	}
	before := len(l.ps.list)
	if at, depth := yamlDepth(src, MaxYAMLDepth); depth > MaxYAMLDepth {
		l.ps.add(languagesFile, at, "nested more than %d levels deep", MaxYAMLDepth)
		return nil
	}
	var m languagesMeta
	dec := &decoder{file: languagesFile, line0: 0, ps: &l.ps, at: map[string]pos{}}
	dec.decode(src, &m)
	if len(l.ps.list) > before {
		return nil
	}
	var langs []*lang.Language
	tags := map[string]bool{}
	prefixes := map[string]bool{}
	authoritative := 0
	for i, lm := range m.Languages {
		at := func(field string) pos { return dec.at[fmt.Sprintf("languages.%d.%s", i, field)] }
		t, err := language.Parse(lm.Tag)
		switch {
		case err != nil:
			l.ps.add(languagesFile, at("tag"), "tag %q is not a BCP 47 language tag: %v", lm.Tag, err)
		case t.String() != lm.Tag || strings.ToLower(lm.Tag) != lm.Tag:
			l.ps.add(languagesFile, at("tag"), "tag %q: write it in its canonical form, lowercase, as in the file names: %q", lm.Tag, strings.ToLower(t.String()))
		case tags[lm.Tag]:
			l.ps.add(languagesFile, at("tag"), "tag %q is listed twice", lm.Tag)
		}
		tags[lm.Tag] = true
		switch {
		case lm.Authoritative && lm.Prefix != "":
			l.ps.add(languagesFile, at("prefix"), "the authoritative language is at the root: its prefix is empty")
		case !lm.Authoritative && !prefixPattern.MatchString(lm.Prefix):
			l.ps.add(languagesFile, at("prefix"), "prefix %q: write / and 2 to 8 lowercase ASCII letters, like /%s", lm.Prefix, strings.ToLower(lm.Tag))
		case prefixes[lm.Prefix]:
			l.ps.add(languagesFile, at("prefix"), "prefix %q is used twice", lm.Prefix)
		}
		prefixes[lm.Prefix] = true
		if lm.Authoritative {
			authoritative++
		}
		if !ogLocalePattern.MatchString(lm.OGLocale) {
			l.ps.add(languagesFile, at("og_locale"), "og_locale %q: write language_TERRITORY, like uk_UA", lm.OGLocale)
		}
		for name, v := range map[string]string{"segments.declaration_permalink": lm.Segments.DeclarationPermalink,
			"segments.meeting_permalink": lm.Segments.MeetingPermalink, "segments.feed": lm.Segments.Feed, "segments.calendar": lm.Segments.Calendar} {
			if !pathSegment.MatchString(v) {
				l.ps.add(languagesFile, at(name), "%s %q: use lowercase ASCII letters, digits, hyphens and dots", name, v)
			}
		}
		p := lm.Params
		seen := map[string]bool{}
		for _, v := range []string{p.Query, p.Type, p.Body, p.Year, p.Lang, p.Page} {
			if !paramPattern.MatchString(v) || seen[v] {
				l.ps.add(languagesFile, at("params"), "params: %q is not a parameter name, or is used twice: lowercase ASCII letters, digits and _", v)
			}
			seen[v] = true
		}
		values := map[string]bool{}
		for _, v := range lm.SearchTypes {
			values[v.Value] = true
		}
		if len(values) != len(Types) || len(lm.SearchTypes) != len(Types) {
			l.ps.add(languagesFile, at("search_types"), "search_types: give one value for each of page, body, meeting, declaration")
		}
		lg := &lang.Language{
			Tag: lm.Tag, Name: lm.Name, Prefix: lm.Prefix, OGLocale: lm.OGLocale, Authoritative: lm.Authoritative,
			Fallback: lm.Fallback, Complete: lm.Complete || lm.Authoritative,
			Segments: lang.Segments(lm.Segments), Params: lang.Params(lm.Params),
			Stemming: lang.Stemming{MinStem: lm.Stemming.MinStem, Endings: slices.Clone(lm.Stemming.Endings), JoinApostrophes: lm.Stemming.JoinApostrophes},
		}
		for _, v := range lm.SearchTypes {
			lg.SearchTypes = append(lg.SearchTypes, lang.Value(v))
		}
		// Folded as the words they end are (ó → o, й → и), longest first,
		// so that "ami" goes before "i".
		for i, e := range lg.Stemming.Endings {
			lg.Stemming.Endings[i] = fold.String(e)
		}
		sort.SliceStable(lg.Stemming.Endings, func(a, b int) bool {
			return len([]rune(lg.Stemming.Endings[a])) > len([]rune(lg.Stemming.Endings[b]))
		})
		if t := lm.Translit; t != nil {
			lg.Translit = &lang.Translit{Letters: t.Letters, Initial: t.Initial, Pairs: t.Pairs}
		}
		langs = append(langs, lg)
	}
	if authoritative != 1 {
		l.ps.add(languagesFile, dec.at["languages"], "exactly one language must be authoritative (authoritative: true); found %d", authoritative)
	}
	for i, lm := range m.Languages {
		for j, f := range lm.Fallback {
			switch {
			case !tags[f]:
				l.ps.add(languagesFile, dec.at[fmt.Sprintf("languages.%d.fallback.%d", i, j)], "fallback %q is not a language of the registry", f)
			case f == lm.Tag:
				l.ps.add(languagesFile, dec.at[fmt.Sprintf("languages.%d.fallback.%d", i, j)], "a language cannot fall back on itself")
			}
		}
	}
	if len(l.ps.list) > before {
		return nil
	}
	return lang.New(langs)
}

// readCatalogues reads and checks the message catalogue of every language:
// messages/TAG.yaml, holding every key catalog.Required lists (with the
// families of the content's own enumerations) and nothing else, no text
// empty, a counted message with every plural form of its language, and
// the same placeholders as the authoritative catalogue's.
func (l *loader) readCatalogues(reg *lang.Registry) map[string]*catalog.Catalogue {
	required := catalog.Required(families())
	out := map[string]*catalog.Catalogue{}
	for _, lg := range reg.All() {
		file := messagesFolder + "/" + lg.Tag + ".yaml"
		c := l.readCatalogue(file, lg.Tag, required)
		if c != nil {
			out[lg.Tag] = c
		}
	}
	// Placeholders: a translation says what the original says.
	auth := out[reg.Authoritative().Tag]
	for tag, c := range out {
		if auth == nil || c == auth {
			continue
		}
		for key, m := range c.Messages {
			want := placeholders(auth.Messages[key])
			if got := placeholders(m); !slices.Equal(got, want) {
				l.ps.add(messagesFolder+"/"+tag+".yaml", l.catalogueAt[tag+"\x00"+key], "%s: placeholders %v, but the %s catalogue's text has %v", key, got, auth.Lang, want)
			}
		}
	}
	if len(out) != len(reg.All()) {
		return nil
	}
	return out
}

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// placeholders lists the {names} of a message, sorted, once each.
func placeholders(m catalog.Message) []string {
	var out []string
	add := func(s string) {
		for _, p := range placeholder.FindAllString(s, -1) {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	add(m.Text)
	for _, s := range m.Plural {
		add(s)
	}
	slices.Sort(out)
	return out
}

// families are the catalogue's keys that stand for the values of the
// content's enumerations, read from the schema's enum tags.
func families() catalog.Families {
	enum := func(t Type, name string) []string {
		for _, f := range fieldsOf(t.metaType()) {
			if f.Name == name {
				return f.Enum
			}
		}
		panic("content: no field " + name)
	}
	types := make([]string, len(Types))
	for i, t := range Types {
		types[i] = string(t)
	}
	var status []string
	for _, f := range fieldsOf(reflectStatement) {
		if f.Name == "status" {
			status = f.Enum
		}
	}
	return catalog.Families{
		// How a translation stands to the original, as /zmiany and the
		// feeds say it (the original itself needs no word).
		"Translation": {string(Current), string(Outdated), string(Unverified), string(Fallback)},
		"Type":        types,
		"Kind":        enum(TypeDeclaration, "kind"),
		"BodyKind":    enum(TypeBody, "kind"),
		"Mode":        enum(TypeMeeting, "mode"),
		"Scope":       enum(TypeDeclaration, "text"),
		"Status":      status,
	}
}

// readCatalogue reads one catalogue file.
func (l *loader) readCatalogue(file, tag string, required map[string]bool) *catalog.Catalogue {
	src, err := l.readSetup(file)
	if err != nil {
		l.ps.add(file, pos{1, 1}, "the message catalogue of %q is missing: every language of %s has one", tag, languagesFile)
		return nil
	}
	if len(src) > MaxFileBytes {
		l.ps.add(file, pos{1, 1}, "the catalogue is larger than %s", kb(MaxFileBytes))
		return nil
	}
	if !controlFree(file, src, &l.ps) {
		return nil
	}
	if at, depth := yamlDepth(src, 2); depth > 2 {
		l.ps.add(file, at, "a catalogue is a list of keys, each with a text or with its plural forms")
		return nil
	}
	f, err := parser.ParseBytes(src, parser.ParseComments)
	dec := &decoder{file: file, ps: &l.ps, at: map[string]pos{}}
	if err != nil {
		dec.syntaxError(err)
		return nil
	}
	root, ok := f.Docs[0].Body.(*ast.MappingNode)
	if len(f.Docs) == 0 || !ok {
		l.ps.add(file, pos{1, 1}, "a catalogue is a list of keys (Key: text)")
		return nil
	}
	c := &catalog.Catalogue{Lang: tag, Messages: map[string]catalog.Message{}}
	forms := catalog.Forms(tag)
	var keys []string
	for k := range required {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, mv := range root.Values {
		key := mv.Key.GetToken().Value
		at := dec.pos(mv.Key)
		if l.catalogueAt == nil {
			l.catalogueAt = map[string]pos{}
		}
		l.catalogueAt[tag+"\x00"+key] = at
		counted, known := required[key]
		if !known {
			msg := fmt.Sprintf("unknown message %q", key)
			if s := suggest(key, keys); s != "" {
				msg += fmt.Sprintf(": did you mean %q?", s)
			}
			l.ps.add(file, at, "%s", msg)
			continue
		}
		if _, dup := c.Messages[key]; dup {
			l.ps.add(file, at, "message %q is given twice", key)
			continue
		}
		var m catalog.Message
		if counted {
			pm, ok := mv.Value.(*ast.MappingNode)
			if !ok {
				l.ps.add(file, dec.pos(mv.Value), "%s counts something: give a text for each plural form of %s: %s", key, tag, strings.Join(forms, ", "))
				continue
			}
			m.Plural = map[string]string{}
			for _, fv := range pm.Values {
				form := fv.Key.GetToken().Value
				s, ok := dec.scalar(fv.Value, key+"."+form, "text")
				switch {
				case !ok:
				case !slices.Contains(forms, form):
					l.ps.add(file, dec.pos(fv.Key), "%s: %s has no plural form %q; its forms are %s", key, tag, form, strings.Join(forms, ", "))
				case strings.TrimSpace(s) == "":
					l.ps.add(file, dec.pos(fv.Value), "%s.%s is empty: every message needs its text", key, form)
				default:
					m.Plural[form] = strings.TrimSpace(s)
				}
			}
			for _, form := range forms {
				if _, ok := m.Plural[form]; !ok {
					l.ps.add(file, at, "%s has no text for the plural form %q (%s needs %s)", key, form, tag, strings.Join(forms, ", "))
				}
			}
		} else {
			s, ok := dec.scalar(mv.Value, key, "text")
			if !ok {
				continue
			}
			if strings.TrimSpace(s) == "" {
				l.ps.add(file, dec.pos(mv.Value), "%s is empty: every message needs its text", key)
				continue
			}
			m.Text = strings.TrimSpace(s)
		}
		c.Messages[key] = m
	}
	for _, k := range keys {
		if _, ok := c.Messages[k]; !ok {
			if _, reported := l.catalogueAt[tag+"\x00"+k]; !reported {
				l.ps.add(file, pos{1, 1}, "message %q is missing: every catalogue gives every message", k)
			}
		}
	}
	return c
}

// englishName names a language tag in English, for the editors' messages
// (CLDR, through golang.org/x/text/language/display): "Polish", "Ukrainian".
func englishName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if n := display.English.Tags().Name(t); n != "" {
		return n
	}
	return tag
}
