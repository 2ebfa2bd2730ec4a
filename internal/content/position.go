package content

import (
	"sort"
	"unicode/utf8"
)

// positioner turns byte offsets of a text into file positions (line, and
// column in characters). Offsets asked for in increasing order — as a walk
// of the Markdown tree gives them — cost, all together, time linear in the
// text; an earlier offset is found through an index of line starts.
type positioner struct {
	src   []byte
	line0 int   // the file line of src's first line
	lines []int // byte offset of each line's start, made on first use
	// the last position found, to go on from
	off, line, col int
	valid          bool
}

// pos returns the file position of byte offset off of the text.
func (p *positioner) pos(off int) pos {
	off = min(max(off, 0), len(p.src))
	if p.lines == nil {
		p.lines = append(p.lines, 0)
		for i, c := range p.src {
			if c == '\n' {
				p.lines = append(p.lines, i+1)
			}
		}
	}
	line := sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > off }) - 1
	if p.valid && line == p.line && off >= p.off {
		p.col += utf8.RuneCount(p.src[p.off:off])
	} else {
		p.col = utf8.RuneCount(p.src[p.lines[line]:off]) + 1
	}
	p.off, p.line, p.valid = off, line, true
	return pos{Line: p.line0 + line, Col: p.col}
}
