package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// brokenContent returns a copy of testdata/broken, which has one of every
// kind of problem, with the real message catalogues of its languages
// (Polish and English): the interface text is not what it tests.
func brokenContent(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "broken")
	if err := os.CopyFS(dir, os.DirFS("testdata/broken")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "messages"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"pl", "en"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "content", "messages", tag+".yaml"))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, "messages", tag+".yaml"), b, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCheckBrokenContent runs `site check` on testdata/broken and
// compares what it prints, line by line, with testdata/broken.golden (go
// test -update rewrites it).
func TestCheckBrokenContent(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"check", "-content", brokenContent(t)}, env(nil), &out, &out)
	if err == nil {
		t.Fatal("check of broken content succeeded")
	}
	got := err.Error() + "\n"
	golden := filepath.Join("testdata", "broken.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("check printed:\n%s\nwant (%s):\n%s", got, golden, want)
	}
	// Every kind of problem is there, each with file:line:col.
	for _, kind := range []string{
		"unknown field \"titel\": did you mean \"title\"?", "is not allowed; use one of", "want true or false",
		"belongs only in the Polish file", "is the current address of", "has no alt text", "must be specified (check the YAML syntax",
		"there is no body with id", "raw HTML is not allowed", "no Polish file", "no English translation", "is not in urls.txt yet",
		"cannot refer to itself", "is used twice", "file names are the record's id", "front matter opened here is never closed",
		"is not a real date", "there is no such page", "has no heading or paragraph", "is a draft", "write site links from the root",
		"slug \"o-nas-łódź\"", "missing required field \"summary\"", "was published and no page answers it",
	} {
		if !strings.Contains(got, kind) {
			t.Errorf("check output lacks %q", kind)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		if line == "" || strings.Contains(line, "problem(s) in the content") {
			continue
		}
		if parts := strings.SplitN(line, ":", 4); len(parts) < 4 || parts[1] == "" || parts[2] == "" {
			t.Errorf("not file:line:col: %q", line)
		}
	}
}

// TestMakeCheck runs `make check` as an editor would: it fails on the
// broken fixture and passes on the real content.
func TestMakeCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("runs make")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	root := filepath.Join("..", "..")
	out, err := exec.Command("make", "-s", "-C", root, "check", "CONTENT="+brokenContent(t)).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "bodies/komisja.pl.md:3:1: unknown field \"titel\"") {
		t.Errorf("make check on broken content: %v\n%s", err, out)
	}
	out, err = exec.Command("make", "-s", "-C", root, "check").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "content OK") {
		t.Errorf("make check on content/: %v\n%s", err, out)
	}
}
