package publish

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeSite is a Render whose content a test sets: index.html says the
// version and whether the moment rendered is before or after a scheduled
// change.
type fakeSite struct {
	mu      sync.Mutex
	version string
	change  time.Time // zero: none
	renders atomic.Int32
}

func (f *fakeSite) set(version string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.version = version
}

func (f *fakeSite) render(ctx context.Context, at time.Time, out string) (Result, error) {
	f.mu.Lock()
	version, change := f.version, f.change
	f.mu.Unlock()
	f.renders.Add(1)
	period, until := "before", change
	if change.IsZero() || !at.Before(change) {
		period, until = "after", time.Time{}
	}
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte(version+" "+period), 0o644); err != nil {
		return Result{}, err
	}
	includes := map[string][]byte{"nginx-test.conf": []byte("# " + version + "\n")}
	return Result{Version: version, Until: until, Includes: includes, Files: 1}, nil
}

func start(t *testing.T, f *fakeSite, margin time.Duration) (*Publisher, string) {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	p, err := Start(ctx, Options{Dir: dir, Render: f.render, Margin: margin, Retry: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); p.Wait() })
	return p, dir
}

// served returns what nginx would serve as the home page now, or "" when
// there is no current folder (nginx asks the server).
func served(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "current", "index.html"))
	if errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func waitServed(t *testing.T, dir, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); served(t, dir) != want; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("current serves %q, want %q", served(t, dir), want)
		}
	}
}

// TestSwitches: each change of content is written to a new folder and
// switched to; the previous folder stays, older ones go; readers of the
// current folder never miss a file while it switches; the includes follow
// the version switched to.
func TestSwitches(t *testing.T) {
	f := &fakeSite{version: "v1"}
	p, dir := start(t, f, 0)
	waitServed(t, dir, "v1 after")

	var misses, reads atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := os.ReadFile(filepath.Join(dir, "current", "index.html")); err != nil {
					misses.Add(1)
				}
				reads.Add(1)
			}
		})
	}
	for _, v := range []string{"v2", "v3", "v4", "v5"} {
		f.set(v)
		p.Changed()
		waitServed(t, dir, v+" after")
	}
	close(stop)
	wg.Wait()
	if misses.Load() > 0 {
		t.Errorf("%d of %d reads of current/index.html failed during the switches", misses.Load(), reads.Load())
	}

	// The old folders go just after the switch.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		entries, err := os.ReadDir(filepath.Join(dir, "versions"))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		got := strings.Join(names, " ")
		if got == "v4 v4.json v5 v5.json" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("versions/ holds %s, want the current folder and the previous one", got)
		}
	}
	if target, _ := os.Readlink(filepath.Join(dir, "current")); target != filepath.Join("versions", "v5") || p.Linked() != "v5" {
		t.Errorf("current → %q (Linked %q), want versions/v5", target, p.Linked())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "nginx-test.conf")); string(b) != "# v5\n" {
		t.Errorf("nginx-test.conf = %q, want v5's", b)
	}
}

// TestSameVersionAgain: a version written again (a restart, a reload to
// the same content) gets a folder of its own beside the one served.
func TestSameVersionAgain(t *testing.T) {
	f := &fakeSite{version: "v1"}
	p, dir := start(t, f, 0)
	waitServed(t, dir, "v1 after")
	p.Changed()
	for deadline := time.Now().Add(10 * time.Second); p.Linked() != "v1-2"; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("Linked = %q, want v1-2", p.Linked())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "versions", "v1", "index.html")); err != nil {
		t.Errorf("the previous folder is gone: %v", err)
	}
}

// TestScheduledChange: the folder of a period is never served once the
// period has ended: current is withdrawn a margin before the change (the
// server answers), and the next period's folder, written ahead of time as
// of that moment, is linked at the change.
func TestScheduledChange(t *testing.T) {
	change := time.Now().Add(1500 * time.Millisecond)
	f := &fakeSite{version: "v1", change: change}
	p, dir := start(t, f, 300*time.Millisecond)
	waitServed(t, dir, "v1 before")

	withdrawn := false
	for deadline := change.Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		before := time.Now()
		got := served(t, dir)
		after := time.Now()
		switch {
		case got == "v1 before" && !before.Before(change):
			t.Fatalf("%s after the change, current still serves the period before it", before.Sub(change))
		case got == "v1 after" && after.Before(change):
			t.Fatalf("%s before the change, current serves the period after it", change.Sub(after))
		case got == "":
			withdrawn = true
		}
		if got == "v1 after" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("current serves %q long after the change", got)
		}
	}
	if !withdrawn {
		t.Error("current was never withdrawn before the change")
	}
	if n := f.renders.Load(); n != 2 {
		t.Errorf("%d renders, want 2 (the period before the change, then the one after, ahead of time)", n)
	}
	if p.Linked() == "" {
		t.Error("nothing linked after the change")
	}
}

// TestOutOfDateFolderNotAdopted: a folder left current by a stopped
// server whose period has ended is withdrawn at once on start; one still
// valid is served until the first switch.
func TestOutOfDateFolderNotAdopted(t *testing.T) {
	for _, tc := range []struct {
		name  string
		until time.Time
		keep  bool
	}{
		{"ended", time.Now().Add(-time.Minute), false},
		{"valid", time.Time{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			old := filepath.Join(dir, "versions", "old")
			if err := os.MkdirAll(old, 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(old, "index.html"), []byte("old"), 0o644)
			meta := `{"version": "old", "from": "2026-01-01T00:00:00Z"`
			if !tc.until.IsZero() {
				meta += `, "until": "` + tc.until.UTC().Format(time.RFC3339) + `"`
			}
			os.WriteFile(old+".json", []byte(meta+"}"), 0o644)
			os.Symlink(filepath.Join("versions", "old"), filepath.Join(dir, "current"))
			os.MkdirAll(filepath.Join(dir, "versions", ".tmp-123"), 0o755) // half written

			block := make(chan struct{})
			ctx, cancel := context.WithCancel(context.Background())
			p, err := Start(ctx, Options{Dir: dir, Render: func(ctx context.Context, at time.Time, out string) (Result, error) {
				<-block
				return Result{}, ctx.Err()
			}})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { cancel(); close(block); p.Wait() }()
			if got := served(t, dir); (got == "old") != tc.keep {
				t.Errorf("current serves %q on start; keep it: %v", got, tc.keep)
			}
			if _, err := os.Stat(filepath.Join(dir, "versions", ".tmp-123")); err == nil {
				t.Error("a half-written folder was left")
			}
			if _, err := Start(ctx, Options{Dir: dir, Render: func(context.Context, time.Time, string) (Result, error) { return Result{}, nil }}); !errors.Is(err, ErrLocked) {
				t.Errorf("a second publisher on the folder: %v, want ErrLocked", err)
			}
		})
	}
}

// TestFailedRenderKeepsServing: a render that fails leaves the folder
// served as it was.
func TestFailedRenderKeepsServing(t *testing.T) {
	f := &fakeSite{version: "v1"}
	var fail atomic.Bool
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	p, err := Start(ctx, Options{Dir: dir, Retry: time.Hour, Render: func(ctx context.Context, at time.Time, out string) (Result, error) {
		if fail.Load() {
			return Result{}, errors.New("broken")
		}
		return f.render(ctx, at, out)
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); p.Wait() }()
	waitServed(t, dir, "v1 after")
	fail.Store(true)
	n := f.renders.Load()
	p.Changed()
	time.Sleep(100 * time.Millisecond)
	if got := served(t, dir); got != "v1 after" || f.renders.Load() != n {
		t.Errorf("after a failed render, current serves %q", got)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "versions")); len(entries) != 2 {
		t.Errorf("versions/ holds %d entries after a failed render, want 2", len(entries))
	}
}

func TestFile(t *testing.T) {
	for p, want := range map[string]string{
		"/":                             "index.html",
		"/en/":                          "en/index.html",
		"/deklaracje":                   "deklaracje.html",
		"/en/declarations/2021-a":       "en/declarations/2021-a.html",
		"/atom.xml":                     "atom.xml",
		"/og/deklaracje/2021-a.png":     "og/deklaracje/2021-a.png",
		"/deklaracje/2021-a.csl.json":   "deklaracje/2021-a.csl.json",
		"/static/site.0123456789ab.css": "static/site.0123456789ab.css",
	} {
		if got := File(p); got != filepath.FromSlash(want) {
			t.Errorf("File(%q) = %q, want %q", p, got, want)
		}
	}
}

// TestHeaderIncludes: a header the same on every file is added as it is;
// one that differs becomes a map by address, the commonest value its
// default; what nginx makes itself is left out; a value nginx would read
// as a variable is refused.
func TestHeaderIncludes(t *testing.T) {
	h, headers := Record(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "public, max-age=300")
		switch r.URL.Path {
		case "/favicon.ico":
			w.Header().Set("Cache-Control", "public, max-age=86400")
		case "/missing":
			w.WriteHeader(http.StatusNotFound)
			w.Header().Set("Cache-Control", "no-store")
		case "/bad":
			w.Header().Set("X-Odd", "$host")
		}
		w.Write([]byte("x"))
	}))
	for _, p := range []string{"/", "/a", "/favicon.ico", "/missing"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	inc, err := headers.Includes()
	if err != nil {
		t.Fatal(err)
	}
	lines, maps := string(inc[HeaderLines]), string(inc[HeaderMaps])
	for _, want := range []string{`add_header X-Content-Type-Options "nosniff" always;`, `add_header Cache-Control $krakow_h_cache_control always;`} {
		if !strings.Contains(lines, want+"\n") {
			t.Errorf("%s lacks %s:\n%s", HeaderLines, want, lines)
		}
	}
	if strings.Contains(lines, "add_header Content-Type") || strings.Contains(maps, "no-store") {
		t.Errorf("a header nginx makes, or one of an answer not 200, was copied:\n%s%s", lines, maps)
	}
	want := "map $krakow_path $krakow_h_cache_control {\n    default \"public, max-age=300\";\n    \"/favicon.ico\" \"public, max-age=86400\";\n}\n"
	if !strings.Contains(maps, want) {
		t.Errorf("%s:\n%s\nwant:\n%s", HeaderMaps, maps, want)
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/bad", nil))
	if _, err := headers.Includes(); err == nil {
		t.Error("a value with $ was written for nginx")
	}
}

// TestOutdatedWithdraws: once the server has another version, nginx stops
// serving the folder of the old one at once (every request goes to the
// server) until the new folder is linked; the same version withdraws
// nothing.
func TestOutdatedWithdraws(t *testing.T) {
	f := &fakeSite{version: "v1"}
	p, dir := start(t, f, 0)
	waitServed(t, dir, "v1 after")
	p.Outdated("v1")
	if served(t, dir) != "v1 after" || p.Linked() != "v1" {
		t.Fatalf("the same version withdrew the folder: serves %q, Linked %q", served(t, dir), p.Linked())
	}
	f.mu.Lock() // holds the next render back
	p.Outdated("v2")
	if got := served(t, dir); got != "" || p.Linked() != "" {
		t.Errorf("after Outdated(v2), nginx still serves %q (Linked %q), want nothing on disk", got, p.Linked())
	}
	f.version = "v2"
	f.mu.Unlock()
	p.Changed()
	waitServed(t, dir, "v2 after")
}
