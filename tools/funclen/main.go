// Command funclen lists the longest functions of the site's Go code (not
// tests, not templ's generated files, not tools/), as a figure for
// reviews: how many are over 60 lines, and the 25 longest.
//
//	go run ./tools/funclen [DIR]
//
// It is a measuring tool, not part of the site: it must not import the
// site's packages.
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	type fn struct {
		name string
		n    int
	}
	var fns []fn
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.HasSuffix(p, "_templ.go") || strings.HasPrefix(filepath.ToSlash(p), "tools/") || strings.Contains(p, "/tools/") || strings.Contains(p, "node_modules") || strings.Contains(p, "/.git/") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return nil
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1
				fns = append(fns, fn{fmt.Sprintf("%s:%d %s", p, fset.Position(fd.Pos()).Line, fd.Name.Name), n})
			}
		}
		return nil
	})
	sort.Slice(fns, func(i, j int) bool { return fns[i].n > fns[j].n })
	over := 0
	for _, f := range fns {
		if f.n > 60 {
			over++
		}
	}
	fmt.Printf("functions: %d, over 60 lines: %d\n", len(fns), over)
	for _, f := range fns[:min(25, len(fns))] {
		fmt.Println(f.n, f.name)
	}
}
