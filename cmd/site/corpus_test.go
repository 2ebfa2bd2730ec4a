package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpusLanguages: `site corpus -languages en` writes each synthetic
// record in Polish and English only, names Ukrainian as untranslated in
// the Polish file, records every language's address, and the result
// passes `site check`; an unknown tag is refused. Off a terminal, the
// output is the final line alone (no progress bar).
func TestCorpusLanguages(t *testing.T) {
	out := filepath.Join(t.TempDir(), "corpus")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"corpus", "-content", "../../content", "-out", out, "-declarations", "3", "-meetings", "2", "-languages", "en"}, env(nil), &stdout, &stderr)
	if err != nil {
		t.Fatalf("corpus: %v\n%s", err, stderr.String())
	}
	if got := stdout.String(); !strings.HasPrefix(got, "wrote 3 declarations and 2 meetings, in pl, en, to ") || strings.Count(got, "\n") != 1 || stderr.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", got, stderr.String())
	}
	for _, f := range []string{"declarations/syn-d-000002.pl.md", "declarations/syn-d-000002.en.md", "meetings/syn-m-000001.en.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "declarations/syn-d-000002.uk.md")); err == nil {
		t.Error("a Ukrainian file was written")
	}
	pl, _ := os.ReadFile(filepath.Join(out, "declarations/syn-d-000002.pl.md"))
	if !strings.Contains(string(pl), "\nuntranslated: [uk]\n") {
		t.Errorf("the Polish file does not name uk as untranslated:\n%s", pl)
	}
	urls, _ := os.ReadFile(filepath.Join(out, "urls.txt"))
	if !strings.Contains(string(urls), "/uk/deklaratsii/syn-d-000002\n") {
		t.Error("urls.txt lacks the Ukrainian address (a fallback page)")
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"check", "-content", out}, env(nil), &stdout, &stdout); err != nil {
		t.Fatalf("check of the corpus: %v\n%s", err, stdout.String())
	}

	err = run(context.Background(), []string{"corpus", "-content", "../../content", "-out", filepath.Join(t.TempDir(), "c2"), "-declarations", "1", "-languages", "xx"}, env(nil), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), `"xx" is not a language of the site`) {
		t.Errorf("-languages xx: %v", err)
	}
}
