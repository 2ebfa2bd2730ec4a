package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// server is a `site serve` process of a test.
type server struct {
	t      *testing.T
	cmd    *exec.Cmd
	addr   string
	log    *lockedBuffer
	exited chan error
}

// serveContent starts the built program on dir and db with extra flags,
// and waits until it answers.
func serveContent(t *testing.T, bin, dir, db string, flags ...string) *server {
	t.Helper()
	s := &server{t: t, addr: freePort(t), log: &lockedBuffer{}, exited: make(chan error, 1)}
	s.cmd = exec.Command(bin, append([]string{"serve", "-addr", s.addr, "-content", dir, "-db", db}, flags...)...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exited <- s.cmd.Wait() }()
	t.Cleanup(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(20 * time.Second):
			s.cmd.Process.Kill()
		}
	})
	for deadline := time.Now().Add(30 * time.Second); s.get("/healthz") != 200; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("site did not start:\n%s", s.log.String())
		}
	}
	return s
}

// get requests path and returns the status, or 0 when the server does not
// answer.
func (s *server) get(path string) int {
	res, err := http.Get("http://" + s.addr + path)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// reloadStatus is what /healthz says of the last reload.
type reloadStatus struct {
	At       time.Time `json:"at"`
	OK       bool      `json:"ok"`
	Error    string    `json:"error"`
	Problems int       `json:"problems"`
}

func (s *server) lastReload() (reloadStatus, error) {
	res, err := http.Get("http://" + s.addr + "/healthz")
	if err != nil {
		return reloadStatus{}, err
	}
	defer res.Body.Close()
	var h struct {
		LastReload *reloadStatus `json:"last_reload"`
	}
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil {
		return reloadStatus{}, err
	}
	if h.LastReload == nil {
		return reloadStatus{}, nil
	}
	return *h.LastReload, nil
}

// reload sends SIGHUP and waits for the reload's outcome, failing the test
// if the server dies on the way.
func (s *server) reload() reloadStatus {
	s.t.Helper()
	before, _ := s.lastReload()
	if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		s.t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-s.exited:
			s.exited <- err
			s.t.Fatalf("the server died during the reload (%v):\n%s", err, tail(s.log.String(), 30))
		default:
		}
		if st, err := s.lastReload(); err == nil && st.At.After(before.At) {
			return st
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the reload did not finish:\n%s", tail(s.log.String(), 30))
		}
	}
}

// TestReloadRefusesHostileContent commits, one at a time, each kind of
// input that used to take the site down or hold it for seconds, and sends
// SIGHUP: the reload fails with the problem in the log, and the site goes
// on serving its last good version.
func TestReloadRefusesHostileContent(t *testing.T) {
	bin := buildSite(t)
	dir, db := importedCopy(t, bin)
	s := serveContent(t, bin, dir, db)
	const decl = "declarations/2021-stanowisko-afganistan.pl.md"
	orig, err := os.ReadFile(filepath.Join(dir, decl))
	if err != nil {
		t.Fatal(err)
	}
	withBody := func(md string) []byte {
		end := bytes.Index(orig[4:], []byte("\n---\n")) + 4 + 5
		return append(bytes.Clone(orig[:end]), md...)
	}
	withField := func(line string) []byte {
		return bytes.Replace(orig, []byte("published:"), []byte(line+"\npublished:"), 1)
	}
	lines := func(f func(i int) string, n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i))
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, file string
		src        []byte
		want       string // in the log
	}{
		{"deep YAML flow sequences, 200 KB", decl,
			withField("participants: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000)), "; at most 64 KB is allowed"},
		{"deep YAML within the size limit", decl,
			withField("participants: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000)), "nests lists and fields more than 16 levels deep"},
		{"nested quotations, 100 KB", decl, withBody(strings.Repeat(">", 100000) + " x\n"), "nests quotations, lists and indentation more than 16 levels deep"},
		{"20,000 reference links", decl, withBody(lines(func(i int) string { return fmt.Sprintf("[l%d]\n", i) }, 20000) +
			lines(func(i int) string { return fmt.Sprintf("\n[l%d]: /x%d", i, i) }, 20000)), "20000 link reference definitions"},
		{"40,000 footnotes", decl, withBody(lines(func(i int) string { return fmt.Sprintf("a[^%d]\n", i) }, 40000)), "40000 footnote markers"},
		{"unclosed links", decl, withBody(strings.Repeat("[a](", 50000)), "50000 links and images"},
		{"a carriage return in a place", "meetings/2022-12-16-komisja-zmp.pl.md", nil, "U+000D (carriage return)"},
		{"a file of 1 MB", decl, withBody(strings.Repeat("Tekst akapitu.\n", 70000)), "the file is larger than 512 KB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			src := tc.src
			if src == nil {
				src = bytes.Replace(before, []byte("\nplace: "), []byte("\nplace: Kraków\rBEGIN:VEVENT\nx: "), 1)
			}
			if err := os.WriteFile(path, src, 0o644); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(path, before, 0o644)
			st := s.reload()
			if st.OK || st.Problems == 0 {
				t.Errorf("reload = %+v, want refused content", st)
			}
			if !strings.Contains(s.log.String(), tc.want) {
				t.Errorf("the log does not name the problem %q:\n%s", tc.want, tail(s.log.String(), 10))
			}
			for _, p := range []string{"/", "/deklaracje/2021-stanowisko-afganistan", "/api/v1/declarations.json"} {
				if code := s.get(p); code != 200 {
					t.Errorf("GET %s = %d after the refused reload, want 200", p, code)
				}
			}
		})
	}
	// Valid again: the next reload succeeds.
	if st := s.reload(); !st.OK {
		t.Errorf("reload of the restored content = %+v", st)
	}
}

// TestReloadBudget: content that is valid but too much for the import's
// deadline or memory budget stops the child process that imports it, not
// the server; and stopping the server does not wait for an import.
func TestReloadBudget(t *testing.T) {
	bin := buildSite(t)
	dir, db := importedCopy(t, bin)
	big := filepath.Join(t.TempDir(), "big")
	if out, err := exec.Command(bin, "corpus", "-content", dir, "-out", big, "-declarations", "3000", "-meetings", "0").CombinedOutput(); err != nil {
		t.Fatalf("corpus: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		name  string
		flags []string
		want  string
	}{
		{"deadline", []string{"-import-timeout", "200ms"}, "within 200ms (-import-timeout)"},
		{"memory", []string{"-import-memory", "256"}, "it needed more than its memory budget of 256 MB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			content := filepath.Join(t.TempDir(), "content")
			if err := os.CopyFS(content, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			s := serveContent(t, bin, content, db, tc.flags...)
			if err := os.RemoveAll(content); err != nil {
				t.Fatal(err)
			}
			if err := os.CopyFS(content, os.DirFS(big)); err != nil {
				t.Fatal(err)
			}
			st := s.reload()
			if st.OK || st.Error != "the import failed" {
				t.Errorf("reload = %+v, want a failed import", st)
			}
			if !strings.Contains(s.log.String(), tc.want) {
				t.Errorf("the log does not say %q:\n%s", tc.want, tail(s.log.String(), 10))
			}
			if code := s.get("/deklaracje/2021-stanowisko-afganistan"); code != 200 {
				t.Errorf("a page after the stopped import = %d, want 200", code)
			}
		})
	}

	t.Run("shutdown during an import", func(t *testing.T) {
		content := filepath.Join(t.TempDir(), "content")
		if err := os.CopyFS(content, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		s := serveContent(t, bin, content, db)
		os.RemoveAll(content)
		if err := os.CopyFS(content, os.DirFS(big)); err != nil {
			t.Fatal(err)
		}
		s.cmd.Process.Signal(syscall.SIGHUP)
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(s.log.String(), "SIGHUP"); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no reload began:\n%s", s.log.String())
			}
		}
		s.cmd.Process.Signal(syscall.SIGTERM)
		if err := <-s.exited; err != nil {
			t.Errorf("site exited with %v:\n%s", err, tail(s.log.String(), 10))
		}
		s.exited <- nil
		// It did not wait for the import: the import was stopped, and
		// no import process outlives the server.
		if strings.Contains(s.log.String(), "msg=reloaded") {
			t.Errorf("the server finished the import before stopping:\n%s", tail(s.log.String(), 10))
		}
		if pids := importProcesses(bin); len(pids) > 0 {
			t.Errorf("import processes %v outlive the server", pids)
		}
	})
}

// importProcesses lists the processes running bin import.
func importProcesses(bin string) []string {
	var pids []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && bytes.HasPrefix(cmdline, []byte(bin+"\x00import\x00")) {
			pids = append(pids, e.Name())
		}
	}
	return pids
}
