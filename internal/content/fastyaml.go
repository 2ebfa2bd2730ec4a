package content

import (
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	ytoken "github.com/goccy/go-yaml/token"
)

// fastMapping reads front matter of the plain shape nearly every content
// file has — "key: value" lines, a text by language as {pl: …, en: …} or
// as indented "pl: …" lines, lists as [a, b] or as "- " lines — into the
// syntax tree go-yaml's parser builds for it: the same nodes, values and
// positions (line, and column in characters), so that the decoder reads it
// exactly as it reads the parser's. It returns nil for anything else
// (quotes, comments, blocks after |, nesting, blank lines, trailing spaces,
// a key given twice, any value YAML could read otherwise), and the parser
// reads that, with its exact messages.
//
// It exists for speed: go-yaml took 60 µs and 5 KB of garbage for the front
// matter of a synthetic declaration, a third of the cost of loading the
// file; this takes a tenth of that. TestFastMappingMatchesParser and
// FuzzFastMapping check that whatever it reads, it reads as the parser does.
func fastMapping(src []byte) *ast.MappingNode {
	if len(src) == 0 || len(src) > 64<<10 || src[len(src)-1] != '\n' || !utf8.Valid(src) {
		return nil
	}
	p := fastParser{lines: strings.Split(string(src[:len(src)-1]), "\n")}
	m := p.mapping(0)
	if m == nil || p.i != len(p.lines) {
		return nil
	}
	return m
}

type fastParser struct {
	lines []string
	i     int // the next line
}

// mapping reads the block mapping whose keys are indented by ind spaces.
func (p *fastParser) mapping(ind int) *ast.MappingNode {
	var m *ast.MappingNode
	seen := map[string]bool{}
	for p.i < len(p.lines) {
		line := p.lines[p.i]
		if indent(line) != ind {
			if indent(line) > ind || m == nil {
				return nil // a continuation, or a shape this does not read
			}
			break // the end of a nested mapping
		}
		key, rest, ok := strings.Cut(line[ind:], ":")
		if !ok || !fastKey(key) || seen[key] {
			return nil
		}
		seen[key] = true
		n := p.i + 1
		colon := &ytoken.Token{Type: ytoken.MappingValueType, Value: ":", Origin: ":", Position: &ytoken.Position{Line: n, Column: ind + len(key) + 1}}
		k := ast.String(ytoken.New(key, key, &ytoken.Position{Line: n, Column: ind + 1}))
		if m == nil {
			m = ast.Mapping(colon, false)
		}
		p.i++
		var v ast.Node
		switch {
		case rest == "":
			v = p.nested(ind)
		case rest[0] == ' ':
			v = inlineValue(rest[1:], n, ind+len(key)+3)
		}
		if v == nil {
			return nil
		}
		m.Values = append(m.Values, ast.MappingValue(colon, k, v))
	}
	return m
}

// nested reads what follows a key with nothing after its colon: "- "
// items, or (at the top level only) a mapping, indented by two spaces.
func (p *fastParser) nested(ind int) ast.Node {
	if p.i >= len(p.lines) || indent(p.lines[p.i]) != ind+2 {
		return nil // an empty value: the parser says what it is
	}
	if strings.HasPrefix(p.lines[p.i][ind+2:], "- ") {
		return p.sequence(ind + 2)
	}
	if ind > 0 {
		return nil
	}
	if m := p.mapping(ind + 2); m != nil {
		return m
	}
	return nil // not a nil *MappingNode in an interface
}

// sequence reads "- " items indented by ind spaces, each a single-line value.
func (p *fastParser) sequence(ind int) ast.Node {
	var s *ast.SequenceNode
	for p.i < len(p.lines) && indent(p.lines[p.i]) == ind && strings.HasPrefix(p.lines[p.i][ind:], "- ") {
		n := p.i + 1
		if s == nil {
			s = ast.Sequence(&ytoken.Token{Type: ytoken.SequenceEntryType, Value: "-", Origin: "-", Position: &ytoken.Position{Line: n, Column: ind + 1}}, false)
		}
		v := inlineValue(p.lines[p.i][ind+2:], n, ind+3)
		if v == nil {
			return nil
		}
		s.Values = append(s.Values, v)
		p.i++
	}
	if s == nil || p.i < len(p.lines) && indent(p.lines[p.i]) > ind-2 {
		return nil // something else nested under the key
	}
	return s
}

// inlineValue reads the value s, which starts at column col of line.
func inlineValue(s string, line, col int) ast.Node {
	if s == "" {
		return nil
	}
	switch s[0] {
	case '{':
		return flowMapping(s, line, col)
	case '[':
		return flowSequence(s, line, col)
	}
	return plain(s, line, col, false)
}

// flowMapping reads {key: value, key: value}, written with one space
// after each colon and comma, in column col of line.
func flowMapping(s string, line, col int) ast.Node {
	if len(s) < 2 || s[len(s)-1] != '}' {
		return nil
	}
	start := &ytoken.Token{Type: ytoken.MappingStartType, Value: "{", Origin: "{", Position: &ytoken.Position{Line: line, Column: col}}
	m := ast.Mapping(start, true)
	seen := map[string]bool{}
	off := 1 // byte offset in s
	for entry := range strings.SplitSeq(s[1:len(s)-1], ", ") {
		key, val, ok := strings.Cut(entry, ": ")
		if !ok || !fastKey(key) || seen[key] {
			return nil
		}
		seen[key] = true
		kcol := col + utf8.RuneCountInString(s[:off])
		k := ast.String(ytoken.New(key, key, &ytoken.Position{Line: line, Column: kcol}))
		v := plain(val, line, kcol+len(key)+2, true)
		if v == nil {
			return nil
		}
		colon := &ytoken.Token{Type: ytoken.MappingValueType, Value: ":", Origin: ":", Position: &ytoken.Position{Line: line, Column: kcol + len(key)}}
		m.Values = append(m.Values, ast.MappingValue(colon, k, v))
		off += len(entry) + 2
	}
	return m
}

// flowSequence reads [a, b], written with one space after each comma, in
// column col of line.
func flowSequence(s string, line, col int) ast.Node {
	if len(s) < 2 || s[len(s)-1] != ']' {
		return nil
	}
	seq := ast.Sequence(&ytoken.Token{Type: ytoken.SequenceStartType, Value: "[", Origin: "[", Position: &ytoken.Position{Line: line, Column: col}}, true)
	off := 1
	for item := range strings.SplitSeq(s[1:len(s)-1], ", ") {
		v := plain(item, line, col+utf8.RuneCountInString(s[:off]), true)
		if v == nil {
			return nil
		}
		seq.Values = append(seq.Values, v)
		off += len(item) + 2
	}
	return seq
}

// plain reads a plain (unquoted) scalar, as go-yaml's tokenizer types it:
// text, a whole number, a number with a point, true or false, null. In a
// flow collection ({…} or […]) it may hold none of , [ ] { } :.
func plain(s string, line, col int, flow bool) ast.Node {
	if s == "" || strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@` ") || s[len(s)-1] == ' ' || s[len(s)-1] == ':' ||
		strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.ContainsAny(s, "\t\r") ||
		(flow && strings.ContainsAny(s, ",[]{}:")) {
		return nil
	}
	tk := ytoken.New(s, s, &ytoken.Position{Line: line, Column: col})
	switch tk.Type {
	case ytoken.StringType:
		return ast.String(tk)
	case ytoken.IntegerType, ytoken.BinaryIntegerType, ytoken.OctetIntegerType, ytoken.HexIntegerType:
		return ast.Integer(tk)
	case ytoken.FloatType:
		return ast.Float(tk)
	case ytoken.BoolType:
		return ast.Bool(tk)
	case ytoken.NullType:
		return ast.Null(tk)
	}
	return nil
}

// fastKey reports whether key is a plain lowercase key that YAML reads as
// text: letters, digits, _ and -, starting with a letter.
func fastKey(key string) bool {
	if key == "" || key[0] < 'a' || key[0] > 'z' {
		return false
	}
	for i := 1; i < len(key); i++ {
		c := key[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' && c != '-' {
			return false
		}
	}
	return ytoken.New(key, key, &ytoken.Position{}).Type == ytoken.StringType
}

// indent counts the spaces line starts with.
func indent(line string) int {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	return n
}
