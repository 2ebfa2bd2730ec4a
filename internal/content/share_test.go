package content

import (
	"strings"
	"testing"
)

// TestNoPageAtShareImages: the content check refuses a page or an old
// address where the share images are (/og, /og/…, /og.png).
func TestNoPageAtShareImages(t *testing.T) {
	page := "---\nid: og\ntitle: O grafice\nsummary: O.\nslug: og\nuntranslated: true\npublished: 2026-11-25\n---\nO.\n"
	_, err := Load(with(fixture(), "pages/og.pl.md", page), Options{})
	if want := "pages/og.pl.md:5:7: the URL /og is an address the site itself uses"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a page at /og: Load = %v, want %q", err, want)
	}
	for _, alias := range []string{"/og.png", "/og/deklaracje/x.png"} {
		p := strings.Replace(page, "slug: og\n", "slug: o-grafice\naliases: ["+alias+"]\n", 1)
		_, err := Load(with(fixture(), "pages/og.pl.md", p), Options{})
		if want := "alias " + alias + " is a path the site itself uses"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("alias %s: Load = %v, want %q", alias, err, want)
		}
	}
}
