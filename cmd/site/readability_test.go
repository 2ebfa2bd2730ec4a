package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestCheckPrintsReadability: site check prints the figures of every
// easy-to-read text of the real content, one line each, before "content
// OK": the page in each language and the summary of every body and
// declaration in each.
func TestCheckPrintsReadability(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"check", "-content", "../../content"}, env(nil), &out, &out); err != nil {
		t.Fatalf("check: %v\n%s", err, out.String())
	}
	line := regexp.MustCompile(`^(pages|bodies|declarations)/[a-z0-9-]+\.[a-z]+\.md( \(easy_read_summary\))?: (FOG-PL|FOG|FOG \(FOG-PL rules\)) \d+\.\d \(at most \d+\), longest sentence \d+ words \(at most \d+\), \d+ sentences, \d+ words, \d+ hard \(\d\+ syllables, \d+\.\d%\), \d+ numbers?$`)
	n := 0
	for _, l := range strings.Split(out.String(), "\n") {
		if line.MatchString(l) {
			n++
		}
	}
	// 3 languages × (the page + 6 bodies + 4 declarations)
	if n != 33 {
		t.Errorf("check printed %d lines of figures, want 33:\n%s", n, out.String())
	}
	for _, want := range []string{"pages/easy-read.pl.md: FOG-PL ", "bodies/zmp.pl.md (easy_read_summary): FOG-PL ", "pages/easy-read.en.md: FOG ", "pages/easy-read.uk.md: FOG (FOG-PL rules) "} {
		if !strings.Contains(out.String(), "\n"+want) && !strings.HasPrefix(out.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, out.String())
		}
	}
	if i, j := strings.Index(out.String(), "pages/easy-read.pl.md:"), strings.Index(out.String(), "content OK"); i < 0 || j < i {
		t.Errorf("the figures do not come before \"content OK\":\n%s", out.String())
	}
}
