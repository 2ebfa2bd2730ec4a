// Package archtest checks the rules the packages' doc comments state about
// what each must not import, so that they stay true, and that every
// package's doc comment says what it must not do. It holds tests only: no
// package must import it.
package archtest

import (
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/krakow/wspolpraca/"

// allowed lists, for the packages whose doc comment limits them, the
// packages of the site they may import (nil: none).
var allowed = map[string][]string{
	"internal/date":       nil,
	"internal/fold":       nil,
	"internal/lang":       nil,
	"internal/rdf":        nil,
	"internal/share":      nil,
	"internal/publish":    nil,
	"internal/middleware": nil,
	"internal/progress":   nil,
	"tools/bench/bare":    nil,
	"static":              nil,
	"tools/funclen":       nil,
	"internal/urls":       {"internal/lang"},
	"internal/search":     {"internal/fold", "internal/lang"},
	"internal/cite":       {"internal/date", "internal/fold"},
	"internal/catalog":    {"internal/date"},
	"internal/export":     {"internal/urls"},
	"internal/content":    {"internal/catalog", "internal/date", "internal/fold", "internal/lang", "internal/urls"},
	"internal/corpus":     {"internal/content", "internal/date", "internal/catalog", "internal/fold", "internal/lang", "internal/urls"},
	"internal/store":      {"internal/catalog", "internal/content", "internal/date", "internal/fold", "internal/lang", "internal/search", "internal/urls"},
}

// forbidden lists packages some others must not import at all, outside
// their tests.
var forbidden = map[string][]string{
	"internal/store":   {"net/http"},
	"internal/content": {"database/sql", "net/http"},
	"templates":        {module + "internal/web", "database/sql", "net/http"},
}

// testOnly are packages for tests: no site code imports them.
var testOnly = []string{"internal/cite/citetest", "internal/content/contenttest", "internal/content/videotest", "internal/store/storetest"}

func root(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func TestImportRules(t *testing.T) {
	dir := root(t)
	pkgs := map[string]*build.Package{}
	for _, rel := range []string{"cmd/site", "internal/catalog", "internal/cite", "internal/content", "internal/corpus", "internal/date",
		"internal/export", "internal/fold", "internal/lang", "internal/middleware", "internal/progress", "internal/publish",
		"internal/rdf", "internal/search", "internal/share", "internal/store", "internal/urls", "internal/web", "static",
		"templates", "tools/bench/bare", "tools/funclen", "internal/cite/citetest", "internal/content/contenttest",
		"internal/content/videotest", "internal/store/storetest"} {
		p, err := build.ImportDir(filepath.Join(dir, rel), 0)
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		pkgs[rel] = p
	}
	for rel, p := range pkgs {
		may, limited := allowed[rel]
		for _, imp := range p.Imports {
			site, ok := strings.CutPrefix(imp, module)
			if slices.Contains(forbidden[rel], imp) {
				t.Errorf("%s imports %s, which its doc comment rules out", rel, imp)
			}
			if !ok {
				continue
			}
			if slices.Contains(testOnly, site) && !slices.Contains(testOnly, rel) {
				t.Errorf("%s imports the test package %s outside its tests", rel, site)
			}
			if limited && !slices.Contains(may, site) {
				t.Errorf("%s imports %s, which its doc comment rules out", rel, site)
			}
		}
		if doc := packageDoc(t, p); !strings.Contains(doc, "must not") {
			t.Errorf("%s: its package doc comment does not say what it must not do", rel)
		}
	}
}

// packageDoc returns the whole package doc comment of p.
func packageDoc(t *testing.T, p *build.Package) string {
	var doc string
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(p.Dir, name), nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil {
			doc += f.Doc.Text()
		}
	}
	return doc
}
