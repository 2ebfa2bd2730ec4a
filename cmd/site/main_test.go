package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/krakow/wspolpraca/internal/content"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfig(t *testing.T) {
	var stderr bytes.Buffer
	c, err := parseConfig("serve", nil, env(map[string]string{"ADDR": "127.0.0.1:9000"}), &stderr)
	if err != nil || c.Addr != "127.0.0.1:9000" || c.BaseURL != "http://127.0.0.1:9000" || c.DB != "data/site.db" {
		t.Errorf("parseConfig(serve, ADDR) = %+v, %v", c, err)
	}
	c, err = parseConfig("serve", []string{"-addr", "127.0.0.1:7000"}, env(map[string]string{"ADDR": "127.0.0.1:9000"}), &stderr)
	if err != nil || c.Addr != "127.0.0.1:7000" {
		t.Errorf("-addr does not win over ADDR: %+v, %v", c, err)
	}
	for _, args := range [][]string{{"-addr", "nonsense"}, {"-base-url", "ftp://x"}, {"-base-url", "https://x.org/sub"}, {"extra"}} {
		if _, err := parseConfig("serve", args, env(nil), &stderr); err == nil {
			t.Errorf("parseConfig(serve, %q) accepted", args)
		}
	}
}

// TestCommands runs check and import on the real content, and import on
// broken content: problems are listed as file:line:col and the database
// stays as it was.
func TestCommands(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"check", "-content", "../../content"}, env(nil), &out, &out); err != nil {
		t.Fatalf("check: %v", err)
	}
	if !strings.Contains(out.String(), "content OK") {
		t.Errorf("check printed %q", out.String())
	}
	db := filepath.Join(t.TempDir(), "site.db")
	if err := run(ctx, []string{"import", "-content", "../../content", "-db", db}, env(nil), &out, &out); err != nil {
		t.Fatalf("import: %v", err)
	}
	before, _ := os.ReadFile(db)

	broken := t.TempDir()
	if err := os.CopyFS(broken, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(broken, "meetings", "2022-12-16-komisja-zmp.pl.md")
	src, _ := os.ReadFile(f)
	os.WriteFile(f, bytes.Replace(src, []byte("date: 2022-12-16"), []byte("date: 2022-12-32"), 1), 0o644)
	err := run(ctx, []string{"import", "-content", broken, "-db", db}, env(nil), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "meetings/2022-12-16-komisja-zmp.pl.md:6:7: date: \"2022-12-32\" is not a real date") {
		t.Errorf("import of broken content = %v", err)
	}
	after, _ := os.ReadFile(db)
	if !bytes.Equal(before, after) {
		t.Error("a refused import changed the database")
	}
	if err := run(ctx, []string{"frobnicate"}, env(nil), &out, &out); err == nil {
		t.Error("an unknown command ran")
	}
}

func TestCounts(t *testing.T) {
	site := &content.Site{
		Meetings:     []*content.Meeting{{}},
		Declarations: []*content.Declaration{{}, {}},
	}
	if got, want := counts(site), "0 pages, 0 bodies, 1 meeting, 2 declarations"; got != want {
		t.Errorf("counts = %q, want %q", got, want)
	}
}

// TestServeMemory: serve's soft memory limit defaults to
// defaultServeMemory MB and is set unless GOMEMLIMIT gave one; -memory 0
// sets none; a negative size is refused.
func TestServeMemory(t *testing.T) {
	var stderr bytes.Buffer
	c, err := parseConfig("serve", nil, env(nil), &stderr)
	if err != nil || c.ServeMemory != defaultServeMemory {
		t.Fatalf("default -memory = %d, %v; want %d", c.ServeMemory, err, defaultServeMemory)
	}
	if _, err := parseConfig("serve", []string{"-memory", "-1"}, env(nil), &stderr); err == nil {
		t.Error("-memory -1 accepted")
	}
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	limitServeMemory(150, env(map[string]string{"GOMEMLIMIT": "1GiB"}))
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("with GOMEMLIMIT set, the limit changed to %d", got)
	}
	limitServeMemory(0, env(nil))
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("-memory 0 changed the limit to %d", got)
	}
	limitServeMemory(150, env(nil))
	if got := debug.SetMemoryLimit(-1); got != 150<<20 {
		t.Errorf("limit = %d, want %d", got, 150<<20)
	}
}
