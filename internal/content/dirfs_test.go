//go:build linux

package content

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// Dir behaves as an fs.FS must (testing/fstest), and reads what os.DirFS
// reads.
func TestDirIsAnFS(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"languages.yaml":                       "pl: {}\n",
		"declarations/a.pl.md":                 "---\ntitle: A\n---\nTekst.\n",
		"declarations/b.en.md":                 "",
		"pages/nested/deeper.pl.md":            "ą ę ł ó ś ź ć ń\n",
		"pages/big.pl.md":                      string(make([]byte, 200_000)),
		"declarations/.hidden/ignored.pl.md":   "x",
		"declarations/zażółć gęślą jaźń.pl.md": "zażółć",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for name := range files {
		names = append(names, name)
	}
	if err := fstest.TestFS(Dir(dir), names...); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		got, err := fs.ReadFile(Dir(dir), name)
		if err != nil || string(got) != body {
			t.Errorf("ReadFile(%q) = %d bytes, %v; want the %d bytes written", name, len(got), err, len(body))
		}
	}
}

// What is not a regular file or a folder is refused when opened, and
// never blocks: a named pipe with no writer put where a file was.
func TestDirRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.pl.md"), 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		f, err := Dir(dir).Open("pipe.pl.md")
		if err == nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, errNotRegular) {
			t.Errorf("Open of a named pipe: %v, want %v", err, errNotRegular)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Open of a named pipe blocked")
	}
	for _, name := range []string{"../x", "/etc/passwd", "a//b", "missing.pl.md"} {
		if f, err := Dir(dir).Open(name); err == nil {
			f.Close()
			t.Errorf("Open(%q) succeeded", name)
		}
	}
}

// A closed file reads nothing and closes once.
func TestDirClosedFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.pl.md"), []byte("abc"), 0o644)
	f, err := Dir(dir).Open("a.pl.md")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Read(make([]byte, 1)); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Read after Close: %v", err)
	}
	if err := f.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
	var _ io.Reader = f
}
