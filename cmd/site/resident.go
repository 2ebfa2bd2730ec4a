package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/static"
)

// The resident importer. A reload used to run `site import` anew: read,
// parse and render every file, write a whole database (seconds, for a
// large site). The server now keeps one child process, `site import
// -resident`, for all its reloads. It keeps the content it loaded
// (content.Loader) and the database's last two versions (store.Updater),
// so that a reload after an edit reads the edited files and writes the
// records that changed: milliseconds. It still runs under the import
// deadline (each load) and memory budget (the process), and whatever it
// meets ends the child, not the server; the next reload starts a new
// child, which loads everything.
//
// The protocol is one line each way: the server writes "load" (or
// "reset": forget what was loaded, read everything) on the child's
// standard input; the child answers with one residentReply, as JSON, on
// its standard output.

// residentReply is the child's answer to one load.
type residentReply struct {
	Version  string           `json:"version,omitempty"`  // of the database at -db, when it holds the content
	Problems content.Problems `json:"problems,omitempty"` // the content's; the database is unchanged
	Error    string           `json:"error,omitempty"`    // why the load or import failed; unchanged too
	Applied  store.Applied    `json:"applied"`
	Stats    content.Stats    `json:"stats"`
	Millis   int64            `json:"ms"` // the load and import, in milliseconds
	// outOfMemory: the load failed for want of memory (SQLite's
	// allocations failed under the budget; Go's end the process).
	outOfMemory bool
}

// residentImport is `site import -resident`: it answers the loads the
// server asks for on stdin until stdin ends.
func residentImport(ctx context.Context, cfg Config, stdin io.Reader, stdout io.Writer) error {
	// A SIGHUP for the server's process group (pkill -HUP site) is the
	// server's: it asks for the load.
	signal.Ignore(syscall.SIGHUP)
	if err := limitMemory(cfg.ImportMemory); err != nil {
		return err
	}
	stopProfile, err := cpuProfile(cfg.CPUProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	opts := content.Options{Assets: static.FS}
	if cfg.Static != "" {
		opts.Assets = os.DirFS(cfg.Static)
	}
	ld := content.NewLoader(content.Dir(cfg.Content), opts)
	// Without inotify (no more watches allowed, say) each load walks the
	// folder: slower, the same result.
	ld.Watch(cfg.Content)
	defer ld.Close()
	u := store.NewUpdater(cfg.DB)
	in := bufio.NewScanner(stdin)
	out := json.NewEncoder(stdout)
	for in.Scan() {
		if in.Text() == "reset" {
			ld.Reset()
		}
		rep := residentLoad(ctx, cfg, ld, u)
		if err := out.Encode(rep); err != nil {
			return err
		}
		if rep.outOfMemory {
			// What it holds may be half made: the next load is a new
			// importer's.
			return errors.New(rep.Error)
		}
		// The garbage of a load (40 MB for 20,000 files) is collected
		// now, while the importer waits, rather than by a collection
		// that would mark the whole kept content (hundreds of MB) during
		// a later load: a reload took 225–240 ms, and 380–540 ms when
		// one did (make scale, 2026-11-30). (Giving the memory back as
		// well, debug.FreeOSMemory, made the next reload fault it in
		// again, 430–490 ms, and left RSS where it was, 301 MB: Go's
		// scavenger returns it over time anyway.)
		runtime.GC()
	}
	return in.Err()
}

// residentLoad loads the content and brings the database up to date with
// it, under the import deadline.
func residentLoad(ctx context.Context, cfg Config, ld *content.Loader, u *store.Updater) residentReply {
	start := time.Now()
	ctx, cancel := withDeadline(ctx, cfg.ImportTimeout)
	defer cancel()
	var r residentReply
	site, st, err := ld.Load(ctx)
	r.Stats = st
	if err == nil {
		r.Applied, err = u.Apply(ctx, site)
	}
	var ps content.Problems
	switch {
	case errors.As(err, &ps):
		r.Problems = ps
	case err != nil && ctx.Err() != nil:
		r.Error = context.Cause(ctx).Error()
	case err != nil && outOfMemory(err.Error()):
		r.Error = fmt.Sprintf("import stopped: it needed more than its memory budget of %d MB (-import-memory)", cfg.ImportMemory)
		r.outOfMemory = true
	case err != nil:
		r.Error = err.Error()
	default:
		r.Version = site.Version
	}
	r.Millis = time.Since(start).Milliseconds()
	return r
}

// resident is the server's side: the child process, started when first
// needed and again after it ends.
type resident struct {
	cfg Config
	log *slog.Logger
	// done ends any load when the server closes (Close).
	done   context.Context
	cancel context.CancelFunc
	mu     sync.Mutex // one load at a time, with its opening of the database
	// The running child, or nil.
	// unwatched is the last reason the importer gave for not watching
	// the content folder (logged when it changes).
	unwatched string
	cmd       *exec.Cmd
	in        io.WriteCloser
	lines     chan []byte // the child's answers, one a line; closed when it exits
	stderr    *tailWriter
	exited    chan struct{}
}

func newResident(cfg Config, log *slog.Logger) *resident {
	done, cancel := context.WithCancel(context.Background())
	return &resident{cfg: cfg, log: log, done: done, cancel: cancel}
}

// start starts the child.
func (r *resident) start() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("import: cannot find the program to run: %w", err)
	}
	args := []string{"import", "-resident", "-content", r.cfg.Content, "-db", r.cfg.DB,
		"-import-timeout", r.cfg.ImportTimeout.String(), "-import-memory", strconv.Itoa(r.cfg.ImportMemory)}
	if r.cfg.Dev {
		args = append(args, "-static", r.cfg.Static)
	}
	cmd := exec.Command(exe, args...)
	// The child dies with the server, however the server ends.
	cmd.SysProcAttr = dieWithParent()
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	r.stderr = &tailWriter{n: 64 << 10}
	cmd.Stderr = r.stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("import: starting the importer: %w", err)
	}
	r.cmd, r.in, r.lines, r.exited = cmd, in, make(chan []byte), make(chan struct{})
	// The answers are read until the child closes its output; then it is
	// waited for (Wait closes the pipe: reads must be done first).
	go func(lines chan<- []byte, exited chan<- struct{}) {
		br := bufio.NewReaderSize(out, 64<<10)
		var err error
		for {
			var line []byte
			if line, err = readLine(br, childOutputLimit); err != nil {
				break
			}
			lines <- line
		}
		close(lines)
		if err != io.EOF {
			// An answer too long, or unreadable: the child is of no
			// more use, and its output is read to its end.
			cmd.Process.Kill()
		}
		io.Copy(io.Discard, out)
		cmd.Wait()
		close(exited)
	}(r.lines, r.exited)
	return nil
}

// readLine reads one line of at most limit bytes.
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		part, isPrefix, err := br.ReadLine()
		if err != nil {
			return nil, err
		}
		line = append(line, part...)
		if len(line) > limit {
			return nil, errors.New("answer too long")
		}
		if !isPrefix {
			return line, nil
		}
	}
}

// stop ends the child, if it runs, and waits for it.
func (r *resident) stop() {
	if r.cmd == nil {
		return
	}
	r.in.Close()
	r.cmd.Process.Kill()
	// An answer the server no longer waits for is dropped, so that the
	// reader can finish.
	go func(lines <-chan []byte) {
		for range lines {
		}
	}(r.lines)
	<-r.exited
	r.cmd = nil
}

// Close ends the child.
func (r *resident) Close() {
	r.cancel() // a load in progress gives up now
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stop()
}

// load asks the child for a load ("reset" first forgets what it loaded)
// and returns its answer. It gives up, ending the child, when ctx ends or
// the load takes longer than the import deadline and a margin.
func (r *resident) load(ctx context.Context, reset bool) (residentReply, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.loadLocked(ctx, reset)
}

func (r *resident) loadLocked(ctx context.Context, reset bool) (residentReply, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(r.done, cancel)
	defer stop()
	if r.cmd != nil {
		select {
		case <-r.exited:
			// It ended since the last load (killed, say): a new one
			// loads everything.
			r.log.Warn("the importer had ended: starting another", slog.String("its_log", lastLine(strings.TrimSpace(r.stderr.String()))))
			r.stop()
		default:
		}
	}
	if r.cmd == nil {
		if err := r.start(); err != nil {
			return residentReply{}, err
		}
	}
	req := "load\n"
	if reset {
		req = "reset\n"
	}
	if _, err := io.WriteString(r.in, req); err != nil {
		return residentReply{}, r.failed(ctx, err)
	}
	var timeout <-chan time.Time
	if r.cfg.ImportTimeout > 0 {
		t := time.NewTimer(r.cfg.ImportTimeout + 5*time.Second)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case line, ok := <-r.lines:
		if !ok {
			return residentReply{}, r.failed(ctx, nil)
		}
		var rep residentReply
		if err := json.Unmarshal(line, &rep); err != nil {
			return residentReply{}, r.failed(ctx, fmt.Errorf("unreadable answer: %w", err))
		}
		return rep, nil
	case <-ctx.Done():
		return residentReply{}, r.failed(ctx, nil)
	case <-timeout:
		return residentReply{}, r.failed(ctx, fmt.Errorf("it did not finish within %s (-import-timeout)", r.cfg.ImportTimeout))
	}
}

// failed ends the child after a load that did not come back, and says why.
func (r *resident) failed(ctx context.Context, err error) error {
	r.stop()
	log := strings.TrimSpace(r.stderr.String())
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("import stopped: %w", ctx.Err())
	case err != nil:
		return fmt.Errorf("import stopped: %w", err)
	case outOfMemory(log):
		return fmt.Errorf("import stopped: it needed more than its memory budget of %d MB (-import-memory)", r.cfg.ImportMemory)
	case log != "":
		return fmt.Errorf("import failed: %s", lastLine(log))
	}
	return errors.New("import failed: the importer ended")
}

// loader returns the server's Loader of the content through the child:
// the database at cfg.DB, opened once the child has brought it up to date.
func (r *resident) loader(reset bool) func(context.Context) (*store.Store, error) {
	return func(ctx context.Context) (*store.Store, error) {
		// The database is opened before another load (the warm-up's)
		// can change it.
		r.mu.Lock()
		defer r.mu.Unlock()
		rep, err := r.loadLocked(ctx, reset)
		if err != nil {
			return nil, err
		}
		if len(rep.Problems) > 0 {
			return nil, rep.Problems
		}
		if rep.Error != "" {
			return nil, errors.New(rep.Error)
		}
		st, err := store.Open(r.cfg.DB)
		if err != nil {
			return nil, err
		}
		if st.Version() != rep.Version {
			st.Close()
			return nil, fmt.Errorf("import: the database holds version %s, the importer wrote %s", st.Version(), rep.Version)
		}
		if u := rep.Stats.Unwatched; u != r.unwatched {
			r.unwatched = u
			if u != "" {
				r.log.Warn("the importer cannot watch the content folder: each reload reads more of it", slog.String("why", u))
			}
		}
		a := rep.Applied
		switch {
		case a.Unchanged:
		case a.Incremental:
			r.log.Info("content loaded", slog.Int("files_read", rep.Stats.Read), slog.Int("records_written", a.Records), slog.Int64("ms", rep.Millis))
		default:
			r.log.Info("content imported", slog.Int("files_read", rep.Stats.Read), slog.String("full_import_because", a.Why), slog.Int64("ms", rep.Millis))
		}
		return st, nil
	}
}

// outOfMemory reports whether an error or a log says memory ran out: Go's
// "fatal error: out of memory", SQLite's "out of memory", the kernel's
// ENOMEM.
func outOfMemory(s string) bool {
	return strings.Contains(s, "out of memory") || strings.Contains(s, "cannot allocate memory")
}

// tailWriter keeps the last n bytes written to it.
type tailWriter struct {
	mu  sync.Mutex
	n   int
	buf []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.n {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.n:]...)
	}
	return len(p), nil
}

func (t *tailWriter) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
