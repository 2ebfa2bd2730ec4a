package content

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/krakow/wspolpraca/internal/fold"
)

// Limits on one content file, checked before the file is parsed, so that no
// file an editor commits can make the check, the import or a reload run out
// of memory or time. Real files are far inside them (the longest is under
// 8 KB, nested at most 4 deep); each limit stops a kind of input whose cost
// grows faster than its size, measured on this project's parsers (go-yaml
// v1.19, goldmark v1.8) on a 2-core machine:
//
//   - MaxFileBytes: Markdown costs about 0.75 s and 230 MB of short-lived
//     allocation per MB, so a file stays under half a second.
//   - MaxFrontMatterBytes: go-yaml's cost grows with the square of the keys
//     in a mapping (20,000 keys: 1.4 s and 1.6 GB allocated; the 6,000 that
//     fit in 64 KB: 0.16 s).
//   - MaxYAMLDepth: nested flow collections ("[[[…]]]") and sequences on one
//     line ("- - - x") cost the square of their depth (16,000 deep: 0.35 s,
//     100 MB; 100,000 deep: out of memory).
//   - MaxMarkdownDepth: nested quotations and lists cost the square of their
//     depth in goldmark (">" 100,000 deep on one line: seconds).
//   - MaxLinks: unclosed inline links ("[a](" repeated) cost the square of
//     their number on a line (50,000: 8 s).
//   - MaxFootnotes: footnotes cost the square of their number (20,000: 2.4 s).
//   - MaxReferences: reference definitions are kept in a map; the limit
//     keeps the positions and checks of their links small.
//   - MaxProblemsPerFile: a file that is wrong everywhere is reported by its
//     first problems, not by a million lines.
//
// Every limit is reported as a problem at the file, line and column where it
// is exceeded.
const (
	MaxFileBytes        = 512 << 10
	MaxFrontMatterBytes = 64 << 10
	MaxYAMLDepth        = 16
	MaxMarkdownDepth    = 16
	MaxLinks            = 2000
	MaxReferences       = 1000
	MaxFootnotes        = 500
	MaxProblemsPerFile  = 100
)

// scanLimits checks a file's front matter (fm, starting on file line fmLine)
// and Markdown body (starting on line bodyLine) against the limits, before
// either is parsed, adding a problem for each limit exceeded. It reports
// whether the file may be parsed.
func scanLimits(file string, fm []byte, fmLine int, body []byte, bodyLine int, ps *problems) bool {
	ok := true
	if len(fm) > MaxFrontMatterBytes {
		ps.add(file, pos{fmLine, 1}, "the front matter is %s; at most %s is allowed: keep long texts in the Markdown body", kb(len(fm)), kb(MaxFrontMatterBytes))
		ok = false
	} else if at, depth := yamlDepth(fm, MaxYAMLDepth); depth > MaxYAMLDepth {
		ps.add(file, pos{fmLine + at.Line - 1, at.Col}, "the front matter nests lists and fields more than %d levels deep here (%d at the deepest): write them as separate fields", MaxYAMLDepth, depth)
		ok = false
	}
	if at, depth := markdownDepth(body, MaxMarkdownDepth); depth > MaxMarkdownDepth {
		ps.add(file, pos{bodyLine + at.Line - 1, at.Col}, "this line nests quotations, lists and indentation more than %d levels deep (%d at the deepest): the site shows at most %d", MaxMarkdownDepth, depth, MaxMarkdownDepth)
		ok = false
	}
	for _, c := range []struct {
		what  string
		count func([]byte) (int, pos)
		limit int
	}{
		{"links and images", countLinks, MaxLinks},
		{"link reference definitions", countReferences, MaxReferences},
		{"footnote markers", countFootnotes, MaxFootnotes},
	} {
		if n, at := c.count(body); n > c.limit {
			ps.add(file, pos{bodyLine + at.Line - 1, at.Col}, "the text has %d %s; at most %d are allowed in one file (this is the first one past the limit): split the text into several pages", n, c.what, c.limit)
			ok = false
		}
	}
	return ok
}

func kb(n int) string { return fmt.Sprintf("%d KB", (n+1023)/1024) }

// lineCol returns the 1-based line and column (in characters) of byte
// offset off in src. It is for the rare problem found by a scan; the
// loader's positions for links use a positioner.
func lineCol(src []byte, off int) pos {
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return pos{line, utf8.RuneCount(src[start:off]) + 1}
}

// countLinks counts inline links and images ("](") and returns where the
// one past MaxLinks is.
func countLinks(body []byte) (int, pos) {
	return countAt(body, []byte("]("), MaxLinks)
}

// countFootnotes counts footnote markers and definitions ("[^").
func countFootnotes(body []byte) (int, pos) {
	return countAt(body, []byte("[^"), MaxFootnotes)
}

func countAt(body, sep []byte, limit int) (int, pos) {
	n, off, past := 0, 0, -1
	for {
		i := bytes.Index(body[off:], sep)
		if i < 0 {
			break
		}
		n++
		if n == limit+1 {
			past = off + i
		}
		off += i + len(sep)
	}
	if past < 0 {
		return n, pos{}
	}
	return n, lineCol(body, past)
}

// countReferences counts lines that define a link reference ("[name]: url"
// at the start of a line, indented at most three spaces).
func countReferences(body []byte) (int, pos) {
	n, past := 0, -1
	for off := 0; off < len(body); {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body) - off
		}
		line := body[off : off+end]
		t := bytes.TrimLeft(line, " ")
		if len(line)-len(t) <= 3 && len(t) > 0 && t[0] == '[' && (len(t) < 2 || t[1] != '^') {
			if i := bytes.Index(t, []byte("]:")); i > 0 {
				n++
				if n == MaxReferences+1 {
					past = off + len(line) - len(t)
				}
			}
		}
		off += end + 1
	}
	if past < 0 {
		return n, pos{}
	}
	return n, lineCol(body, past)
}

// markdownDepth returns the deepest nesting of any line of a Markdown text,
// and the first line nested deeper than limit. A line's nesting is bounded by the container
// markers that open it (">" for a quotation, "-", "*", "+" or "1." for a
// list item) and its indentation (each nested list indents its items by
// at least two columns): the estimate never undercounts, and overcounts
// only deeply indented lines, which this site's texts have no use for.
// Lines inside fenced code blocks are not counted.
func markdownDepth(body []byte, limit int) (pos, int) {
	deepest, at := 0, pos{}
	var fence []byte
	line := 0
	for off := 0; off < len(body); {
		line++
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body) - off
		}
		l := body[off : off+end]
		off += end + 1
		if f := fenceOf(l); fence != nil {
			if f != nil && f[0] == fence[0] && len(f) >= len(fence) && len(bytes.TrimSpace(bytes.TrimLeft(bytes.TrimSpace(l), string(f[0])))) == 0 {
				fence = nil
			}
			continue
		} else if f != nil {
			fence = f
			continue
		}
		// Indentation counts before the first marker; spaces after a
		// marker are its own width.
		depth, cols, i := 0, 0, 0
		for i < len(l) {
			switch c := l[i]; {
			case c == ' ' || c == '\t':
				switch {
				case depth > 0:
				case c == '\t':
					cols += 4
				default:
					cols++
				}
				i++
			case c == '>':
				depth++
				i++
			case (c == '-' || c == '*' || c == '+') && (i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t'):
				depth++
				i++
			case c >= '0' && c <= '9':
				j := i
				for j < len(l) && j-i < 9 && l[j] >= '0' && l[j] <= '9' {
					j++
				}
				if j < len(l) && (l[j] == '.' || l[j] == ')') && (j+1 == len(l) || l[j+1] == ' ' || l[j+1] == '\t') {
					depth++
					i = j + 1
					continue
				}
				i = len(l)
			default:
				i = len(l)
				continue
			}
		}
		d := depth + cols/2
		if d > limit && deepest <= limit {
			at = pos{line, 1}
		}
		deepest = max(deepest, d)
	}
	return at, deepest
}

// fenceOf returns the fence (``` or ~~~, three or more) a line opens or
// closes a code block with, or nil.
func fenceOf(l []byte) []byte {
	t := bytes.TrimLeft(l, " ")
	if len(l)-len(t) > 3 || len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return nil
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 {
		return nil
	}
	return t[:n]
}

// yamlDepth returns the deepest nesting of YAML front matter that a single
// line opens — flow collections ("[", "{") and block sequence entries
// written on one line ("- - x") — and where it first goes past limit. Nesting by
// indentation is not counted: it needs a line and a deeper indentation per
// level, so the front-matter size bounds it (and go-yaml's cost for it is
// small). Quoted strings, comments and block scalars (| and >) are skipped.
func yamlDepth(fm []byte, limit int) (pos, int) {
	deepest, at := 0, pos{}
	flow := 0         // open flow collections, across lines
	var quote byte    // the quote of a string that continues on the next line
	blockIndent := -1 // the indentation of a block scalar's key, while in one
	line := 0
	var l []byte
	// note records a depth d reached at byte i of the line.
	note := func(d, i int) {
		if d > limit && deepest <= limit {
			at = pos{line, utf8.RuneCount(l[:i]) + 1}
		}
		deepest = max(deepest, d)
	}
	for off := 0; off < len(fm); {
		line++
		end := bytes.IndexByte(fm[off:], '\n')
		if end < 0 {
			end = len(fm) - off
		}
		l = fm[off : off+end]
		off += end + 1
		indent := len(l) - len(bytes.TrimLeft(l, " "))
		if blockIndent >= 0 {
			if len(bytes.TrimSpace(l)) == 0 || indent > blockIndent {
				continue
			}
			blockIndent = -1
		}
		dashes := 0
		start := true // at the start of a token: a quote or a bracket here opens one
		for i := 0; i < len(l); i++ {
			c := l[i]
			if quote != 0 {
				switch {
				case quote == '"' && c == '\\':
					i++
				case quote == '\'' && c == '\'' && i+1 < len(l) && l[i+1] == '\'':
					i++
				case c == quote:
					quote = 0
					start = false
				}
				continue
			}
			switch {
			case c == ' ' || c == '\t':
				continue
			case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
				i = len(l)
				continue
			case start && (c == '"' || c == '\''):
				quote = c
				continue
			case start && flow == 0 && c == '-' && (i+1 == len(l) || l[i+1] == ' '):
				dashes++
				note(dashes, i)
				continue
			case start && (c == '[' || c == '{'):
				flow++
				note(flow+dashes, i)
				continue
			case flow > 0 && (c == ']' || c == '}'):
				flow--
				start = false
				continue
			case flow > 0 && c == ',':
				start = true
				continue
			case c == ':' && (i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t'):
				start = true
				rest := bytes.TrimSpace(l[i+1:])
				if flow == 0 && len(rest) > 0 && (rest[0] == '|' || rest[0] == '>') {
					blockIndent = indent
					i = len(l)
				}
				continue
			}
			if flow == 0 && (c == '|' || c == '>') && start {
				blockIndent = indent
				break
			}
			// A plain scalar: brackets and quotes inside it are text, up to
			// the next indicator.
			start = false
		}
	}
	return at, deepest
}

// controlFree reports whether src (a whole file, line ends already made
// "\n") is free of control characters, adding a problem at each one it
// finds (up to the file's limit). Tabs and line feeds are text; anything
// else below U+0020, DEL, the C1 controls, the Unicode line and paragraph
// separators and the bidirectional overrides is refused: a carriage return
// or a line separator would start a new line in iCalendar, RIS or CSV
// output where none was meant (and a calendar client would read whatever
// follows as a new property), and invisible direction overrides make a text
// read differently from what it says.
func controlFree(file string, src []byte, ps *problems) bool {
	ok := true
	line, col, i := 1, 1, 0
	if len(src) >= 3 && string(src[:3]) == "\uFEFF" {
		i = 3 // a byte order mark opening the file is not text
	}
	for i < len(src) {
		r, size := utf8.DecodeRune(src[i:])
		if r == '\n' {
			line, col = line+1, 1
			i += size
			continue
		}
		if name := controlName(r); name != "" {
			ps.add(file, pos{line, col}, "invisible control character %U (%s): delete it (it often comes from copying text out of another program)", r, name)
			ok = false
		}
		col++
		i += size
	}
	return ok
}

// controlName names r if it is a control character no content may hold
// (fold.Control: one list for the check and the writers).
func controlName(r rune) string { return fold.Control(r) }
