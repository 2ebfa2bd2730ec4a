package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// body returns the page at path of s.
func (s *server) body(path string) string {
	s.t.Helper()
	res, err := http.Get("http://" + s.addr + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestResidentReloads: a reload after an edit reads the edited file and
// writes the records that changed (the log says so), the page shows the
// edit, and the guarantees of a reload hold: content with a problem is
// refused and the last good version served; the importer, killed, is
// started again at the next reload, which imports everything.
func TestResidentReloads(t *testing.T) {
	bin := buildSite(t)
	dir, db := importedCopy(t, bin)
	s := serveContent(t, bin, dir, db)
	const page = "/deklaracje/2020-apel-moria"
	file := filepath.Join(dir, "declarations/2020-apel-moria.pl.md")
	retitle := func(title string) {
		rewrite(t, file, func(b []byte) []byte {
			i := bytes.Index(b, []byte("\ntitle: ")) + 8
			j := i + bytes.IndexByte(b[i:], '\n')
			return append(append(bytes.Clone(b[:i]), title...), b[j:]...)
		})
	}
	// The importer loads the content in the background once the server
	// is up; the first reload may come before it is done.
	for i, title := range []string{"Apel pierwszy", "Apel drugi", "Apel trzeci"} {
		retitle(title)
		if st := s.reload(); !st.OK {
			t.Fatalf("reload %d = %+v:\n%s", i, st, tail(s.log.String(), 10))
		}
		if !strings.Contains(s.body(page), title) {
			t.Errorf("after reload %d the page does not show %q", i, title)
		}
	}
	// (The log is written out every 200 ms.)
	for deadline := time.Now().Add(3 * time.Second); !strings.Contains(s.log.String(), `msg="content loaded" files_read=1 records_written=1`); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Errorf("no reload read one file and wrote one record:\n%s", tail(s.log.String(), 20))
			break
		}
	}
	if _, err := os.Stat(db + ".spare"); err != nil {
		t.Errorf("no spare database: %v", err)
	}

	// A problem: refused, the last good version stays.
	const link, broken = "(/deklaracje/2021-stanowisko-afganistan)", "(/deklaracje/2021-nie-ma)"
	rewrite(t, file, func(b []byte) []byte { return bytes.Replace(b, []byte(link), []byte(broken), 1) })
	if st := s.reload(); st.OK || st.Problems == 0 {
		t.Errorf("reload of broken content = %+v, want its problems", st)
	}
	if !strings.Contains(s.body(page), "Apel trzeci") {
		t.Errorf("after a refused reload the page does not show the last good title")
	}
	rewrite(t, file, func(b []byte) []byte { return bytes.Replace(b, []byte(broken), []byte(link), 1) })
	retitle("Apel czwarty")
	if st := s.reload(); !st.OK || !strings.Contains(s.body(page), "Apel czwarty") {
		t.Errorf("reload after the fix = %+v", st)
	}

	// The importer dies: the next reload starts another, which reads
	// every file.
	pids := importProcesses(bin)
	if len(pids) != 1 {
		t.Fatalf("import processes: %v, want the one resident", pids)
	}
	for _, p := range pids {
		var pid int
		for _, c := range p {
			pid = pid*10 + int(c-'0')
		}
		syscall.Kill(pid, syscall.SIGKILL)
	}
	time.Sleep(100 * time.Millisecond)
	retitle("Apel piąty")
	if st := s.reload(); !st.OK || !strings.Contains(s.body(page), "Apel piąty") {
		t.Errorf("reload after the importer died = %+v:\n%s", st, tail(s.log.String(), 10))
	}
}
