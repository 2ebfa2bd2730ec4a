package content

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// A Problem is one thing wrong with the content, at a place in a file.
type Problem struct {
	File string // slash-separated, relative to the content folder
	Line int    // 1-based
	Col  int    // 1-based, in characters
	Msg  string
}

// String formats p as "file:line:col: message", the form editors' tools
// jump to.
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, max(p.Line, 1), max(p.Col, 1), p.Msg)
}

// Problems is every problem found in the content. As an error, it lists
// them one per line, in file order.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

func (ps Problems) sort() {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// pos is a place in a file.
type pos struct{ Line, Col int }

// problems collects Problems while content is read. A collector made with
// a limit (one file's) keeps that many and counts the rest.
type problems struct {
	list    Problems
	limit   int // 0: no limit
	dropped int
}

func (ps *problems) add(file string, at pos, format string, args ...any) {
	if ps.limit > 0 && len(ps.list) >= ps.limit {
		ps.dropped++
		return
	}
	ps.list = append(ps.list, Problem{File: file, Line: at.Line, Col: at.Col, Msg: fmt.Sprintf(format, args...)})
}

// flush returns the problems collected, with a last one saying how many
// more there were.
func (ps *problems) flush() Problems {
	if ps.dropped > 0 && len(ps.list) > 0 {
		last := ps.list[len(ps.list)-1]
		return append(ps.list, Problem{File: last.File, Line: last.Line, Col: last.Col,
			Msg: fmt.Sprintf("…and %d more problems in this file, not listed: fix these first", ps.dropped)})
	}
	return ps.list
}
