package content

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// hostileBody is the fixture's declaration with front matter extra (YAML
// lines, added before published:) and the Markdown text md.
func hostileBody(extra, md string) string {
	return "---\nid: 2021-stanowisko\ntitle: Stanowisko\nsummary: Stanowisko z 2021 r.\nkind: position\nbody: ump\n" +
		"date: 2021-08\nauthor: Prezydenci miast UMP\nlanguage: pl\ntext: full\n" + extra + "published: 2026-11-25\n---\n" + md
}

// TestHostileContent feeds the loader inputs whose cost grows faster than
// their size. Each must be refused with a problem at its place, quickly and
// without holding much memory: before the limits, the first took the YAML
// parser past 2 GB and the live server with it.
func TestHostileContent(t *testing.T) {
	const decl = "declarations/2021-stanowisko.pl.md"
	// The body starts on line 14 of hostileBody("", …).
	repeatLines := func(line string, n int) string { return strings.Repeat(line+"\n", n) }
	var refs, footnotes strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&refs, "[l%d]\n", i)
	}
	for i := range 20000 {
		fmt.Fprintf(&refs, "\n[l%d]: /x%d", i, i)
	}
	for i := range 40000 {
		fmt.Fprintf(&footnotes, "a[^%d]\n", i)
	}
	for _, tc := range []struct {
		name string
		src  string
		want string
	}{
		{"deep YAML flow sequences (the review's 200 KB file)",
			hostileBody("participants: "+strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+"\n", "Tekst.\n"),
			decl + ":2:1: the front matter is 196 KB; at most 64 KB is allowed"},
		{"deep YAML flow sequences within the size limit",
			hostileBody("participants: "+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+"\n", "Tekst.\n"),
			decl + ":11:31: the front matter nests lists and fields more than 16 levels deep here (20000 at the deepest)"},
		{"deep YAML flow mappings",
			hostileBody("x: "+strings.Repeat("{a: ", 10000)+"1"+strings.Repeat("}", 10000)+"\n", "Tekst.\n"),
			decl + ":11:68: the front matter nests lists and fields more than 16 levels deep here (10000 at the deepest)"},
		{"deep YAML flow sequence never closed",
			hostileBody("participants: "+strings.Repeat("[", 20000)+"\n", "Tekst.\n"),
			decl + ":11:31: the front matter nests lists and fields more than 16 levels deep here (20000 at the deepest)"},
		{"block sequences on one line",
			hostileBody("topics:\n  "+strings.Repeat("- ", 20000)+"x\n", "Tekst.\n"),
			decl + ":12:35: the front matter nests lists and fields more than 16 levels deep here (20000 at the deepest)"},
		{"flow sequences spread over lines",
			hostileBody("topics: "+repeatLines("[", 20)+strings.Repeat("]", 20)+"\n", "Tekst.\n"),
			decl + ":27:1: the front matter nests lists and fields more than 16 levels deep here (20 at the deepest)"},
		{"many keys", hostileBody(repeatLines("k: v", 20000), "Tekst.\n"),
			decl + ":2:1: the front matter is 98 KB; at most 64 KB is allowed"},
		{"nested quotations on one line", hostileBody("", strings.Repeat(">", 100000)+" x\n"),
			decl + ":13:1: this line nests quotations, lists and indentation more than 16 levels deep (100000 at the deepest)"},
		{"nested quotations, a level a line", hostileBody("", func() string {
			var b strings.Builder
			for i := 1; i <= 400; i++ {
				b.WriteString(strings.Repeat("> ", i) + "x\n")
			}
			return b.String()
		}()), decl + ":29:1: this line nests quotations, lists and indentation more than 16 levels deep (400 at the deepest)"},
		{"nested lists on one line", hostileBody("", strings.Repeat("- ", 8000)+"x\n"),
			decl + ":13:1: this line nests quotations, lists and indentation more than 16 levels deep (8000 at the deepest)"},
		{"nested ordered lists", hostileBody("", strings.Repeat("1. ", 5000)+"x\n"),
			decl + ":13:1: this line nests quotations, lists and indentation more than 16 levels deep (5000 at the deepest)"},
		{"nested lists by indentation", hostileBody("", func() string {
			var b strings.Builder
			for i := range 600 {
				b.WriteString(strings.Repeat("  ", i) + "- x\n")
			}
			return b.String()
		}()), decl + ":29:1: this line nests quotations, lists and indentation more than 16 levels deep (600 at the deepest)"},
		{"unclosed links", hostileBody("", strings.Repeat("[a](", 50000)+"\n"),
			decl + ":13:8003: the text has 50000 links and images; at most 2000 are allowed in one file"},
		{"reference links", hostileBody("", refs.String()),
			decl + ":21014:1: the text has 20000 link reference definitions; at most 1000 are allowed in one file"},
		{"footnotes", hostileBody("", footnotes.String()),
			decl + ":513:2: the text has 40000 footnote markers; at most 500 are allowed in one file"},
		{"a file over the size limit", hostileBody("", repeatLines("Tekst akapitu.", 40000)),
			decl + ":1:1: the file is larger than 512 KB"},
		{"a carriage return in a value", hostileBody("place: Kraków\rBEGIN:VEVENT\n", "Tekst.\n"),
			decl + ":11:14: invisible control character U+000D (carriage return)"},
		{"a carriage return written as a YAML escape", hostileBody("place: \"Kraków\\rUR  - https://evil.example\"\n", "Tekst.\n"),
			decl + ":11:8: place: the value holds an invisible control character U+000D (carriage return), written as an escape"},
		{"a line separator in the text", hostileBody("", "Tekst\u2028BEGIN:VEVENT\n"),
			decl + ":13:6: invisible control character U+2028 (line separator)"},
		{"a bidirectional override in the title", strings.Replace(hostileBody("", "Tekst.\n"), "title: Stanowisko", "title: Stan\u202eowisko", 1),
			decl + ":3:12: invisible control character U+202E (bidirectional override)"},
		{"a NUL in the text", hostileBody("", "Tekst\x00.\n"),
			decl + ":13:6: invisible control character U+0000 (control character)"},
		{"raw HTML everywhere", hostileBody("", strings.Repeat("<b>x</b>\n\n", 5000)),
			decl + ":111:5: …and 9900 more problems in this file, not listed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := with(fixture(), decl, tc.src)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			done := make(chan error, 1)
			go func() {
				_, err := Load(fsys, Options{})
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("Load did not return within 30 s: the input is not bounded before parsing")
			}
			runtime.ReadMemStats(&after)
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load = %v, want problems", err)
			}
			if !strings.Contains(ps.Error(), tc.want) {
				t.Errorf("problems:\n%s\nwant one containing:\n%s", firstLines(ps.Error(), 5), tc.want)
			}
			// Parsing a 200 KB file may allocate a few times its size;
			// the unbounded parsers allocated gigabytes.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 && !raceEnabled {
				t.Errorf("Load allocated %d MB for a %d KB file", alloc>>20, len(tc.src)>>10)
			}
		})
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// TestLimitsLeaveRealTextsAlone checks that what content legitimately holds
// is not refused by the limits: a quotation inside a list, a list in a
// quotation, YAML flow lists of labels, a literal block holding brackets,
// quoted strings holding brackets and "#", a code fence with deep
// indentation, a byte order mark and Windows line ends.
func TestLimitsLeaveRealTextsAlone(t *testing.T) {
	const decl = "declarations/2021-stanowisko.pl.md"
	src := "\uFEFF" + strings.ReplaceAll(hostileBody(
		"event: {pl: \"Konferencja [2017] #1\", en: 'Conference [2017] #1'}\n"+
			"place: Gdańsk [[not a list\n"+
			"signatories:\n  - name: Jan Kowalski\n    role: {pl: Prezydent, en: Mayor}\n"+
			"context: |\n  Tekst [z nawiasem {\n  [[[[[[[[[[[[[[[[[[[[ w bloku\n",
		"- punkt\n  > cytat w liście\n\n> - lista w cytacie\n>   - zagnieżdżona\n\n```\n"+strings.Repeat(" ", 80)+"kod\n```\n\nAkapit.\n"), "\n", "\r\n")
	if _, err := Load(with(fixture(), decl, src), Options{}); err != nil {
		t.Fatalf("Load: %v", err)
	}
}

func TestPositionerLinear(t *testing.T) {
	src := []byte("ab\nźdź [x](y)\n\n[z](w)")
	p := positioner{src: src, line0: 10}
	for _, tc := range []struct {
		off  int
		want pos
	}{
		{0, pos{10, 1}}, {1, pos{10, 2}}, {3, pos{11, 1}}, {10, pos{11, 6}}, {17, pos{13, 1}}, {22, pos{13, 6}}, {5, pos{11, 2}}, {100, pos{13, 7}},
	} {
		if got := p.pos(tc.off); got != tc.want {
			t.Errorf("pos(%d) = %v, want %v", tc.off, got, tc.want)
		}
	}
}
