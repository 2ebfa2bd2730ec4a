package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestExportHasShareImages: the export writes the share image every
// exported page names in its og:image, as a 1200×630 PNG at the file its
// address names, so a static host serves it at that address.
func TestExportHasShareImages(t *testing.T) {
	base := "https://example.org"
	out := filepath.Join(t.TempDir(), "site")
	err := run(context.Background(), []string{"export", "-content", "../../content", "-db", filepath.Join(t.TempDir(), "site.db"),
		"-out", out, "-base-url", base}, env(nil), io.Discard, io.Discard)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	pages, images := 0, map[string]bool{}
	err = filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "index.html" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		pages++
		src := ogImage(b)
		rel, ok := strings.CutPrefix(src, base+"/og")
		if !ok || !strings.HasSuffix(rel, ".png") {
			t.Errorf("%s: og:image %q, want an image of the site under /og", path, src)
			return nil
		}
		images[filepath.Join(out, "og"+filepath.FromSlash(rel))] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 30 {
		t.Fatalf("%d pages exported", pages)
	}
	for file := range images {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("the export has no share image %s", file)
			continue
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil || image.Pt(cfg.Width, cfg.Height) != image.Pt(1200, 630) {
			t.Errorf("%s: %dx%d, %v", file, cfg.Width, cfg.Height, err)
		}
		for _, ext := range []string{".gz", ".br"} {
			if _, err := os.Stat(file + ext); err == nil {
				t.Errorf("%s%s: a compressed copy of a PNG", file, ext)
			}
		}
	}
}

// ogImage returns the og:image of an HTML page.
func ogImage(page []byte) string {
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			var property, content string
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "property":
					property = string(v)
				case "content":
					content = string(v)
				}
			}
			if property == "og:image" {
				return content
			}
		}
	}
}
