package content

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/lang"
)

// split cuts a content file into its YAML front matter and Markdown body.
// bodyLine is the file line the body starts on. A file must open with a
// line "---" and close the front matter with another; an unclosed block is a
// problem, never a page with its body swallowed.
func split(src []byte) (fm, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	if string(bytes.TrimRight(first, " \t\r")) != "---" {
		return nil, nil, 0, errors.New("the file must start with front matter: a line ---, the fields, then a line ---")
	}
	line := 2
	for off := 0; off < len(rest); line++ {
		end := bytes.IndexByte(rest[off:], '\n')
		next := len(rest)
		if end >= 0 {
			next = off + end + 1
		}
		if string(bytes.TrimRight(rest[off:next], " \t\r\n")) == "---" {
			return rest[:off], rest[next:], line + 1, nil
		}
		off = next
	}
	return nil, nil, 0, errors.New("the front matter opened here is never closed: add a line --- after its last field")
}

// A field is one front-matter key of a content type, read from the struct
// tags of its Go type: `yaml:"name"` names it, `fm:"required"` makes it
// required, `fm:"authoritative"` keeps it to the authoritative language's
// file,
// `enum:"a|b"` lists allowed values, and `doc` and `example` document it for
// the editors' reference.
type field struct {
	Name     string
	Index    []int
	Required bool
	AuthOnly bool
	Enum     []string
	Doc      string
	Example  string
	Type     reflect.Type
}

var fieldCache sync.Map // reflect.Type → []field

// fieldsOf lists the front-matter fields of struct type t, embedded structs
// flattened, in declaration order.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous {
			for _, f := range fieldsOf(sf.Type) {
				f.Index = append([]int{i}, f.Index...)
				fs = append(fs, f)
			}
			continue
		}
		name := sf.Tag.Get("yaml")
		if name == "" || name == "-" {
			continue
		}
		f := field{Name: name, Index: []int{i}, Type: sf.Type, Doc: sf.Tag.Get("doc"), Example: sf.Tag.Get("example")}
		for opt := range strings.SplitSeq(sf.Tag.Get("fm"), ",") {
			switch opt {
			case "required":
				f.Required = true
			case "authoritative":
				f.AuthOnly = true
			}
		}
		if e := sf.Tag.Get("enum"); e != "" {
			f.Enum = strings.Split(e, "|")
		}
		fs = append(fs, f)
	}
	fieldCache.Store(t, fs)
	return fs
}

// decoder reads YAML front matter into a tagged struct, reporting every
// problem with its exact file position and remembering where each value
// was written, so later checks (a missing body, an unknown relation) can
// point at it too.
type decoder struct {
	file  string
	reg   *lang.Registry // nil for files that hold no Text (the registry itself)
	lang  string         // the file's language tag
	line0 int            // file line just before the first YAML line
	ps    *problems
	at    map[string]pos // field path ("refers_to.1") → position of its value
}

// authoritative reports whether the file is in the authoritative language.
func (d *decoder) authoritative() bool {
	return d.reg != nil && d.lang == d.reg.Authoritative().Tag
}

var (
	typeDate  = reflect.TypeFor[date.Date]()
	typeRange = reflect.TypeFor[date.Range]()
	typeText  = reflect.TypeFor[Text]()
	typeTime  = reflect.TypeFor[time.Time]()
	typeUntr  = reflect.TypeFor[Untranslated]()
)

func (d *decoder) pos(n ast.Node) pos {
	// A block mapping's token is its first colon; the mapping starts at
	// its first key, where an editor looks for it.
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 && !m.IsFlowStyle {
		n = m.Values[0].Key
	}
	p := n.GetToken().Position
	return pos{Line: p.Line + d.line0, Col: p.Column}
}

func (d *decoder) add(at pos, format string, args ...any) {
	d.ps.add(d.file, at, format, args...)
}

// decode parses src and fills dst, a pointer to a struct.
func (d *decoder) decode(src []byte, dst any) {
	// The plain shape most files have is read without the parser, into
	// the same tree (fastyaml.go).
	if m := fastMapping(src); m != nil {
		d.structure(m, reflect.ValueOf(dst).Elem(), "", pos{d.line0, 1})
		return
	}
	// With comments: a value cut by one is caught (scalar).
	f, err := parser.ParseBytes(src, parser.ParseComments)
	if err != nil {
		d.syntaxError(err)
		return
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		d.add(pos{d.line0, 1}, "the front matter is empty: it needs at least the fields %s", requiredList(reflect.TypeOf(dst).Elem()))
		return
	}
	d.structure(f.Docs[0].Body, reflect.ValueOf(dst).Elem(), "", pos{d.line0, 1})
}

// syntaxError reports a YAML syntax error at its place.
func (d *decoder) syntaxError(err error) {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		p := ye.GetToken().Position
		d.add(pos{p.Line + d.line0, p.Column}, "%s", yamlMessage(ye.GetMessage(), d.line0))
	} else {
		d.add(pos{d.line0 + 1, 1}, "%v", err)
	}
}

// yamlMessage is the YAML parser's message m, with the positions it
// names ("already defined at [2:1]", counted from the front matter's
// first line) made lines of the file, as editors' tools count them.
func yamlMessage(m string, line0 int) string {
	m = yamlPos.ReplaceAllStringFunc(strings.TrimSpace(m), func(s string) string {
		g := yamlPos.FindStringSubmatch(s)
		n, _ := strconv.Atoi(g[1])
		return "line " + strconv.Itoa(n+line0)
	})
	return m + " (check the YAML syntax: indentation, colons and quotes)"
}

var yamlPos = regexp.MustCompile(`\[(\d+):\d+\]`)

func requiredList(t reflect.Type) string {
	var names []string
	for _, f := range fieldsOf(t) {
		if f.Required {
			names = append(names, f.Name)
		}
	}
	return strings.Join(names, ", ")
}

// structure fills the struct v from the mapping n. at is where the mapping
// starts, for problems about keys it lacks.
func (d *decoder) structure(n ast.Node, v reflect.Value, path string, at pos) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.add(d.pos(n), "%swant fields (key: value), found %s", prefix(path), describe(n))
		return
	}
	fields := fieldsOf(v.Type())
	seen := map[string]bool{}
	for _, mv := range m.Values {
		key := mv.Key.GetToken().Value
		f := lookup(fields, key)
		switch {
		case f == nil:
			msg, meant := unknownField(path, key, fields)
			d.add(d.pos(mv.Key), "%s", msg)
			seen[meant] = true // one mistake, one problem: not also "missing"
			continue
		case f.AuthOnly && !d.authoritative():
			d.add(d.pos(mv.Key), "field %q belongs only in the %s file: facts that do not depend on language are written once, in the authoritative text", key, englishName(d.reg.Authoritative().Tag))
			continue
		}
		seen[key] = true
		fp := join(path, key)
		d.at[fp] = d.pos(mv.Value)
		d.value(mv.Value, v.FieldByIndex(f.Index), fp, f)
	}
	for _, f := range fields {
		if f.Required && !seen[f.Name] && (!f.AuthOnly || d.authoritative()) {
			d.add(at, "missing required field %q: %s", join(path, f.Name), firstSentence(f.Doc))
		}
	}
}

func lookup(fields []field, name string) *field {
	for i := range fields {
		if fields[i].Name == name {
			return &fields[i]
		}
	}
	return nil
}

// unknownField explains an unknown key and returns the field the editor
// probably meant, if any.
func unknownField(path, key string, fields []field) (string, string) {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	msg := fmt.Sprintf("unknown field %q", join(path, key))
	if s := suggest(key, names); s != "" {
		return msg + fmt.Sprintf(": did you mean %q?", s), s
	}
	return msg + ": allowed here are " + strings.Join(names, ", "), ""
}

// value fills v from the YAML node n.
func (d *decoder) value(n ast.Node, v reflect.Value, path string, f *field) {
	if n.Type() == ast.NullType {
		if f != nil && f.Required {
			d.add(d.pos(n), "field %q is empty: %s", path, firstSentence(f.Doc))
		}
		return
	}
	switch v.Type() {
	case typeDate:
		s, ok := d.scalar(n, path, "a date")
		if !ok {
			return
		}
		t, err := date.Parse(s)
		if err != nil {
			d.add(d.pos(n), "%s: %v", path, err)
		}
		v.Set(reflect.ValueOf(t))
		return
	case typeRange:
		s, ok := d.scalar(n, path, "a date or date range")
		if !ok {
			return
		}
		r, err := date.ParseRange(s)
		if err != nil {
			d.add(d.pos(n), "%s: %v", path, err)
		}
		v.Set(reflect.ValueOf(r))
		return
	case typeTime:
		s, ok := d.scalar(n, path, "a date and time")
		if !ok {
			return
		}
		t, err := parseTime(s)
		if err != nil {
			d.add(d.pos(n), "%s: %v", path, err)
		}
		v.Set(reflect.ValueOf(t))
		return
	case typeText:
		d.text(n, v, path, f != nil && f.Required)
		return
	case typeUntr:
		d.untranslated(n, v, path)
		return
	}
	switch v.Kind() {
	case reflect.String:
		s, ok := d.scalar(n, path, "text")
		if !ok {
			return
		}
		s = strings.TrimSpace(s)
		if f != nil && f.Enum != nil && !slices.Contains(f.Enum, s) {
			d.add(d.pos(n), "%s: %q is not allowed; use one of %s", path, s, strings.Join(f.Enum, ", "))
		}
		if f != nil && f.Required && s == "" {
			d.add(d.pos(n), "field %q is empty: %s", path, firstSentence(f.Doc))
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.add(d.pos(n), "%s: want true or false, found %s", path, describe(n))
			return
		}
		v.SetBool(b.Value)
	case reflect.Int:
		i, ok := n.(*ast.IntegerNode)
		if !ok {
			d.add(d.pos(n), "%s: want a whole number, found %s", path, describe(n))
			return
		}
		x, err := strconv.Atoi(i.GetToken().Value)
		if err != nil {
			d.add(d.pos(n), "%s: want a whole number written in digits, found %q", path, i.GetToken().Value)
			return
		}
		if x < 0 {
			d.add(d.pos(n), "%s: want a number of 0 or more, found %d", path, x)
		}
		v.SetInt(int64(x))
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			d.add(d.pos(n), "%s: want a list (lines starting with \"- \"), found %s", path, describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(seq.Values), len(seq.Values))
		for i, item := range seq.Values {
			ip := path + "." + strconv.Itoa(i)
			d.at[ip] = d.pos(item)
			d.value(item, s.Index(i), ip, nil)
		}
		v.Set(s)
	case reflect.Struct:
		d.structure(n, v, path, d.pos(n))
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		d.value(n, p.Elem(), path, f)
		v.Set(p)
	case reflect.Map: // of strings, by string
		m, ok := n.(*ast.MappingNode)
		if !ok {
			d.add(d.pos(n), "%s: want pairs (key: value), found %s", path, describe(n))
			return
		}
		out := reflect.MakeMap(v.Type())
		for _, mv := range m.Values {
			key := mv.Key.GetToken().Value
			s, ok := d.scalar(mv.Value, join(path, key), "text")
			if ok {
				out.SetMapIndex(reflect.ValueOf(key), reflect.ValueOf(s))
			}
		}
		v.Set(out)
	default:
		panic(fmt.Sprintf("content: no decoder for %s", v.Type()))
	}
}

// scalar returns the text of a scalar node, or reports that n is not one.
// A value holding a control character (which only an escape in a quoted
// string, such as "\r", can still put there) is reported too.
func (d *decoder) scalar(n ast.Node, path, want string) (string, bool) {
	var v string
	switch s := n.(type) {
	case *ast.StringNode:
		v = s.Value
	case *ast.LiteralNode:
		v = s.Value.Value
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return n.GetToken().Value, true
	default:
		d.add(d.pos(n), "%s: want %s, found %s", path, want, describe(n))
		return "", false
	}
	// "title: Apel nr #2" is "Apel nr" to YAML: a space then # starts a
	// comment. A value silently cut is a problem, not a page.
	if c := n.GetComment(); c != nil && len(c.Comments) > 0 && c.Comments[0].GetToken().Position.Line == n.GetToken().Position.Line {
		d.add(d.pos(n), "%s: YAML reads the text after \" #\" as a comment, so the value would be cut to %q: put the whole value in quotes, or write # without a space before it", path, v)
		return "", false
	}
	if i := strings.IndexFunc(v, func(r rune) bool { return controlName(r) != "" }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(v[i:])
		d.add(d.pos(n), "%s: the value holds an invisible control character %U (%s), written as an escape: remove it", path, r, controlName(r))
		return "", false
	}
	return v, true
}

// text fills a Text: a plain string means the same in every language; a
// mapping gives each language its own, by tag: at least the authoritative
// language and every complete one.
func (d *decoder) text(n ast.Node, v reflect.Value, path string, required bool) {
	auth := d.reg.Authoritative().Tag
	m, ok := n.(*ast.MappingNode)
	if !ok {
		s, ok := d.scalar(n, path, "text")
		s = strings.TrimSpace(s)
		if !ok {
			return
		}
		switch {
		case s != "":
		case required:
			d.add(d.pos(n), "%s is empty: write it, in each language if they differ", path)
		default:
			d.add(d.pos(n), "%s is empty: write it, or leave the field out", path)
		}
		v.Set(reflect.ValueOf(Text{auth: s}))
		return
	}
	t := Text{}
	for _, mv := range m.Values {
		key := mv.Key.GetToken().Value
		s, ok := d.scalar(mv.Value, join(path, key), "text")
		if !ok {
			continue
		}
		if _, known := d.reg.Get(key); !known {
			d.add(d.pos(mv.Key), "%s: unknown language %q: the languages are %s (content/%s)", path, key, strings.Join(d.reg.Tags(), ", "), languagesFile)
			continue
		}
		if _, dup := t[key]; dup {
			d.add(d.pos(mv.Key), "%s: %s is given twice", path, key)
			continue
		}
		if s = strings.TrimSpace(s); s == "" {
			d.add(d.pos(mv.Value), "%s.%s is empty: write it, or leave the language out if it may show another's text", path, key)
			continue
		}
		t[key] = s
	}
	var missing []string
	for _, lg := range d.reg.All() {
		if lg.Complete && t[lg.Tag] == "" {
			missing = append(missing, lg.Tag)
		}
	}
	if len(missing) > 0 && len(t) > 0 {
		d.add(d.pos(n), "%s: give %s too (every complete language), or one plain text for every language", path, strings.Join(missing, " and "))
	}
	if t[auth] == "" && len(t) > 0 && !slices.Contains(missing, auth) {
		d.add(d.pos(n), "%s: give the authoritative text (%s)", path, auth)
	}
	v.Set(reflect.ValueOf(t))
}

// untranslated fills an Untranslated: true (every language but the
// authoritative one) or a list of language tags.
func (d *decoder) untranslated(n ast.Node, v reflect.Value, path string) {
	var u Untranslated
	switch n := n.(type) {
	case *ast.BoolNode:
		u.All = n.Value
	case *ast.SequenceNode:
		for i, item := range n.Values {
			tag, ok := d.scalar(item, fmt.Sprintf("%s.%d", path, i), "a language tag")
			if !ok {
				continue
			}
			lg, known := d.reg.Get(tag)
			switch {
			case !known:
				d.add(d.pos(item), "%s: unknown language %q: the languages are %s", path, tag, strings.Join(d.reg.Tags(), ", "))
			case lg.Authoritative:
				d.add(d.pos(item), "%s: %s is the authoritative language, in which every record is written", path, tag)
			default:
				u.Langs = append(u.Langs, tag)
			}
		}
	default:
		d.add(d.pos(n), "%s: want true, or a list of the languages this record is not translated into, like [en, uk]; found %s", path, describe(n))
		return
	}
	v.Set(reflect.ValueOf(u))
}

var warsaw = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}()

// parseTime reads a moment: RFC 3339 ("2026-12-01T09:00:00+01:00"), or a
// date and optional time in Kraków ("2026-12-01", "2026-12-01 09:00").
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, warsaw); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date and time: write 2026-12-01, 2026-12-01 09:00 (Kraków time) or 2026-12-01T09:00:00+01:00", s)
}

func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode:
		return "fields"
	case *ast.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.GetToken().Value)
}

func prefix(path string) string {
	if path == "" {
		return ""
	}
	return path + ": "
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
