package content

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// dumpYAML writes the parts of a syntax tree the decoder reads: each node's
// kind, token text and position, and value.
func dumpYAML(b *strings.Builder, n ast.Node, ind string) {
	tk := n.GetToken()
	fmt.Fprintf(b, "%s%T %v %q %d:%d", ind, n, n.Type(), tk.Value, tk.Position.Line, tk.Position.Column)
	switch n := n.(type) {
	case *ast.MappingNode:
		fmt.Fprintf(b, " flow=%v\n", n.IsFlowStyle)
		for _, mv := range n.Values {
			dumpYAML(b, mv.Key, ind+"  key ")
			dumpYAML(b, mv.Value, ind+"  value ")
		}
	case *ast.SequenceNode:
		fmt.Fprintf(b, " flow=%v\n", n.IsFlowStyle)
		for _, v := range n.Values {
			dumpYAML(b, v, ind+"  - ")
		}
	case *ast.StringNode:
		fmt.Fprintf(b, " %q\n", n.Value)
	case *ast.IntegerNode:
		fmt.Fprintf(b, " %v\n", n.Value)
	case *ast.FloatNode:
		fmt.Fprintf(b, " %v\n", n.Value)
	case *ast.BoolNode:
		fmt.Fprintf(b, " %v\n", n.Value)
	default:
		b.WriteString("\n")
	}
	if c := n.GetComment(); c != nil {
		fmt.Fprintf(b, "%scomment %q\n", ind, c.String())
	}
}

// checkFastMapping fails t if fastMapping reads fm otherwise than go-yaml
// does, and reports whether it read it at all.
func checkFastMapping(t *testing.T, name string, fm []byte) bool {
	t.Helper()
	fast := fastMapping(fm)
	if fast == nil {
		return false
	}
	f, err := parser.ParseBytes(fm, parser.ParseComments)
	if err != nil {
		t.Errorf("%s: fastMapping read front matter go-yaml refuses (%v):\n%s", name, err, fm)
		return true
	}
	var want, got strings.Builder
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		t.Errorf("%s: fastMapping read front matter go-yaml finds empty:\n%s", name, fm)
		return true
	}
	dumpYAML(&want, f.Docs[0].Body, "")
	dumpYAML(&got, fast, "")
	if got.String() != want.String() {
		t.Errorf("%s: fastMapping(%q) =\n%s\ngo-yaml reads\n%s", name, fm, got.String(), want.String())
	}
	return true
}

// TestFastMappingMatchesParser checks the fast path against go-yaml on the
// front matter of every real content file and test file, on the shapes
// the synthetic corpus writes (which it must read), and on values near
// the edges of what it reads.
func TestFastMappingMatchesParser(t *testing.T) {
	read := 0
	for _, root := range []string{"../../content", "../../cmd/site/testdata", "testdata"} {
		filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".md") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if fm, _, _, err := split(src); err == nil && checkFastMapping(t, p, fm) {
				read++
			}
			return nil
		})
	}
	t.Logf("the fast path read %d of the real and test files", read)

	synthetic := []string{
		"id: syn-d-000001\ntitle: Kalawiro rady letumi mitunogr szle walara kopo.\nsummary: Migrraka mitunogr, wawatecz lasz tete.\nkind: position\nbody: ump-zespol-migracji\ndate: 2001-12-09\nauthor: Prezydenci miast\nlanguage: pl\ntext: full\npublished: 2026-11-25\n",
		"id: syn-m-000001\ntitle: Karono lasz.\nsummary: Koletu.\nbody: ump\ndate: 2001-07-04\nplace: Kraków\nmode: in_person\ntopics:\n  - {pl: Laneszra ragrlacz czwasz wawatecz., en: Grszwiwi szsz tekoleko koposz., uk: Ноч лекорора шра раґрара.}\npublished: 2026-11-25\n",
		"id: x\ntitle: Приклад — тест.\nsummary: Текст, що пояснює.\npublished: 2026-11-25\n",
	}
	for i, s := range synthetic {
		if !checkFastMapping(t, fmt.Sprintf("synthetic %d", i), []byte(s)) {
			t.Errorf("fastMapping does not read the synthetic shape %q: the import would take the slow path", s)
		}
	}

	values := []string{
		"Kraków", "2021", "2021-08", "2017-06-29/2017-06-30", "2026-12-01 09:00", "12:30", "007", "0x1F", "0o17", "0b101", "1_000",
		"+1", "-1", ".5", "1.", "1e3", "true", "True", "FALSE", "yes", "on", "null", "Null", "~", ".inf", ".nan", "-.inf",
		"a, b", "a,b", "a [b] c", "a {b}", "it's", "say \"hi\"", "a: b", "a:b", "a:", "a #b", "a#b", "#a", "a  b", "a\tb",
		"&a", "*a", "!a", "|", ">", "%a", "@a", "`a", "?a", "-a", "- a", ":a", ",a", "[a", "{a", "]a", "}a", "'a'", "\"a\"",
		"Ноч.", "źdź", "a ", " a", "", "<<", "a\\b", "100%", "a&b", "x=y", "/deklaracje/a#p-2", "https://example.org/a?b=c",
	}
	for _, v := range values {
		for _, tmpl := range []string{
			"k: %s\n",
			"a: 1\nk: %s\nz: x\n",
			"k: {pl: %s, en: x}\n",
			"k: {pl: x, en: %s}\n",
			"k: [%s, x]\n",
			"k: [x, %s]\n",
			"k:\n  - %s\n  - x\n",
			"k:\n  pl: %s\n  en: x\nz: y\n",
			"k:\n  - {pl: %s, uk: ж}\nz: 1\n",
		} {
			src := fmt.Sprintf(tmpl, v)
			checkFastMapping(t, src, []byte(src))
		}
	}
	shapes := []string{
		"k:\n", "k:\nz: 1\n", "k: 1\nk: 2\n", "k: {a: 1, a: 2}\n", "k: {}\n", "k: []\n", "k: [a,b]\n", "k: {a: 1,b: 2}\n",
		"k: {a:  1}\n", "k: { a: 1}\n", "k: [ a]\n", "k:\n  - a\n - b\n", "k:\n  - a\n   b\n", "k:\n  - a\n  b: 1\n",
		"k:\n  a: 1\n  - b\n", "k:\n  a:\n    - b\n", "k:\n    a: 1\n", "k:\n- a\n", " k: 1\n", "k: a\n  b\n", "k: a\n\nz: b\n",
		"K: 1\n", "1: a\n", "true: a\n", "null: a\n", "k-k: a\nk_k: b\n", "k: a\n# c\n", "k: {a: 1}x\n", "k: [a]]\n",
		"k: {a: {b: 1}}\n", "k: [[a]]\n", "k:\n  - [a, b]\n", "k:\n  a: {b: 1}\n", "k: v\r\n", "k: a\nk2:\n  - x\n  - y\nk3: z\n",
	}
	for _, s := range shapes {
		checkFastMapping(t, s, []byte(s))
	}
}

// FuzzFastMapping checks that whatever front matter the fast path reads,
// it reads as go-yaml does.
func FuzzFastMapping(f *testing.F) {
	for _, s := range []string{
		"id: syn-d-000001\ntitle: Kalawiro rady.\ndate: 2001-12-09\n",
		"topics:\n  - {pl: a., en: b., uk: c.}\n",
		"refers_to: [a, b]\nauthor:\n  pl: x\n  en: y\n",
		"k: 2021\nb: true\nn: null\nf: 1.5\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFastMapping(t, "fuzz", src)
	})
}
