// Package citetest reads citation files with real clients, for tests:
// the npm parsers through tools/clients/citations.mjs (one node process
// for all the files) and biber's data-model validation. Like the browser
// tests, a missing tool skips the test, loudly, except in CI (CI=true),
// where it fails it: `npm ci` installs the npm packages and .ci/run
// installs Debian's biber.
//
// It is for tests only: the site's code must not import it.
package citetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// File is one citation file to read. Format is "bib", "ris", "csl" or
// "highwire" (Authors: the citation_author values of a page).
type File struct {
	Name    string   `json:"name"`
	Format  string   `json:"format"`
	Text    string   `json:"text,omitempty"`
	Authors []string `json:"authors,omitempty"`
}

// Creator is a name as Zotero would store it: FieldMode 1 is a
// single-field (institutional) name.
type Creator struct {
	LastName  string `json:"lastName"`
	FirstName string `json:"firstName"`
	FieldMode int    `json:"fieldMode"`
}

// Result is what the clients read in one File.
type Result struct {
	Name    string
	Errors  []string
	Entries int               // entries or records found
	Type    string            // the BibTeX entry type
	Key     string            // the BibTeX key
	Fields  map[string]string // every field as the parser returns it (BibTeX: LaTeX decoded; RIS: raw tag values)
	Title   string
	Authors []string // BibTeX and CSL: each name whole; RIS: the AU values
	Split   bool     // BibTeX: the parser split a name into parts
	Date    []int    // year, month, day of the (first) date, as far as known
	// Language: BibTeX's language field, RIS's LA, CSL's language.
	Language string
	URL      string
	Zotero   []Creator         // RIS and Highwire: the authors as Zotero's importers read them
	Rendered map[string]string // CSL: the item rendered by citeproc-js in each style ("apa", "chicago"), as text
}

// root is the repository's root folder, where go.mod is.
func root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("citetest: go.mod not found above the test's folder")
		}
		dir = parent
	}
}

// need returns path (a file, or a command looked up in PATH) if it
// exists, or stops the test: fails in CI, skips elsewhere.
func need(t testing.TB, what, path, install string) string {
	t.Helper()
	if filepath.IsAbs(path) {
		if _, err := os.Stat(path); err == nil {
			return path
		}
	} else if p, err := exec.LookPath(path); err == nil {
		return p
	}
	msg := fmt.Sprintf("CITATION CLIENT TESTS NOT RUN: %s not found at %s (%s)", what, path, install)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip("\n\n*** " + msg + " ***\n")
	return ""
}

// Read runs the npm clients over files, in one node process, and returns
// one Result per File, in order. CSL items are rendered in APA
// (@citation-js/plugin-csl's copy) and Chicago author-date
// (internal/web/testdata/csl).
func Read(t testing.TB, files []File) []Result {
	t.Helper()
	if testing.Short() {
		t.Skip("runs node")
	}
	dir := root(t)
	node := need(t, "node", "node", "apt-get install -y nodejs")
	need(t, "the npm parsers", filepath.Join(dir, "node_modules", "astrocite-ris", "package.json"), "npm ci")
	in, err := json.Marshal(map[string]any{"files": files, "styles": map[string]string{
		"chicago": filepath.Join(dir, "internal", "web", "testdata", "csl", "chicago-author-date.csl"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(dir, "tools", "clients", "citations.mjs"))
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tools/clients/citations.mjs: %v\n%s", err, stderr.String())
	}
	var res struct{ Results []Result }
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("tools/clients/citations.mjs wrote %.200q: %v", out, err)
	}
	if len(res.Results) != len(files) {
		t.Fatalf("tools/clients/citations.mjs read %d files of %d", len(res.Results), len(files))
	}
	return res.Results
}

var bibKey = regexp.MustCompile(`(?m)^@(\w+)\{([^,]*),`)

// Biber validates BibTeX entries against biblatex's data model with
// `biber --tool --validate-datamodel` (Debian's biber, one run for all)
// and returns its warnings and errors, each naming the entry's file. Keys
// are made unique first (a page and its fallback in another language
// share one).
func Biber(t testing.TB, bibs map[string]string) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs biber")
	}
	biber := need(t, "biber", "biber", "apt-get install -y biber")
	var all strings.Builder
	owner := map[string]string{}
	n := 0
	for name, bib := range bibs {
		all.WriteString(bibKey.ReplaceAllStringFunc(bib, func(m string) string {
			n++
			key := fmt.Sprintf("entry%d", n)
			owner[key] = name
			return bibKey.ReplaceAllString(m, "@$1{"+key+",")
		}))
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "all.bib"), []byte(all.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(biber, "--tool", "--validate-datamodel", "--nolog", "--output-directory", dir, "all.bib")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var problems []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "WARN") || strings.HasPrefix(line, "ERROR") {
			for key, name := range owner {
				line = strings.ReplaceAll(line, "'"+key+"'", name)
			}
			problems = append(problems, line)
		}
	}
	if err != nil {
		problems = append(problems, fmt.Sprintf("biber: %v\n%s", err, out))
	}
	return problems
}
