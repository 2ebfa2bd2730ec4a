package progress

import (
	"bytes"
	"os"
	"testing"
)

// TestSilentOffTerminal: written to a buffer, a pipe or a file — a log,
// the server's resident importer — a bar is nothing and writes nothing, and
// every method of it can be called.
func TestSilentOffTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := os.Create(t.TempDir() + "/log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	for name, out := range map[string]interface{ Write([]byte) (int, error) }{"buffer": &buf, "pipe": w, "file": f} {
		for _, total := range []int{10, -1} {
			b := New(out, total, "reading content")
			if b != nil {
				t.Errorf("%s: a bar of %d steps on something that is not a terminal", name, total)
			}
			b.Total(20)
			b.Set(5)
			b.Add(1)
			b.Describe("writing")
			b.Done()
		}
	}
	w.Close()
	var piped bytes.Buffer
	piped.ReadFrom(r)
	if st, _ := f.Stat(); buf.Len() != 0 || piped.Len() != 0 || st.Size() != 0 {
		t.Errorf("wrote %d bytes to the buffer, %d to the pipe, %d to the file; want none", buf.Len(), piped.Len(), st.Size())
	}
}
