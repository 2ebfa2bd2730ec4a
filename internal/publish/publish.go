// Package publish keeps a folder of the site's cached pages for nginx to
// serve (docs/nginx-production.conf): one folder per content version and
// schedule period, written in full beside the one being served, then
// switched to with one rename.
//
// The folder (the server's -publish DIR) holds:
//
//	current              a symbolic link to versions/NAME: nginx's root
//	versions/NAME/       the files of one content version and schedule period
//	versions/NAME.json   what that folder holds (Meta)
//	versions/.tmp-*      a folder being written
//	nginx-*.conf         the includes of docs/nginx-production.conf, as the
//	                     version last switched to needs them
//	.lock                held by the server publishing here
//
// NAME is the content version, with -2, -3… when that name is taken (a
// restart, a new schedule period of the same content). The previous folder
// is kept until the next switch, for requests in flight; older ones are
// removed.
//
// Scheduled content (publish and expires times) is never served stale from
// disk: each folder is valid until the content's next scheduled change
// (store.NextChange), and the folder of the next period is written ahead of
// time, rendered as of that moment. A margin before the change, current is
// removed, so that nginx passes every request to the server (which is
// exact to the second); at the change, the next period's folder is linked.
//
// It owns the folder and its swaps; it must not import the site's other
// packages: what to write comes from the handler and the schedule it is
// given.
package publish

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Result is what a Render wrote.
type Result struct {
	// Version is the content version rendered.
	Version string
	// Until is the content's next scheduled change after the moment
	// rendered, when the folder stops being true; zero if none.
	Until time.Time
	// Includes are the nginx files docs/nginx-production.conf includes,
	// by name ("nginx-maps.conf"): written beside the versions when the
	// folder is switched to.
	Includes map[string][]byte
	// Files and Bytes count what was written, compressed copies aside.
	Files int
	Bytes int64
}

// Render writes the site as it is at the moment at into the empty folder
// out, and says what it wrote.
type Render func(ctx context.Context, at time.Time, out string) (Result, error)

// Meta is what versions/NAME.json says of a folder.
type Meta struct {
	Version string    `json:"version"`
	From    time.Time `json:"from"`            // the moment rendered
	Until   time.Time `json:"until,omitzero"`  // the next scheduled change
	Written time.Time `json:"written"`         // when the folder was finished
	Files   int       `json:"files"`           // compressed copies aside
	Bytes   int64     `json:"bytes,omitempty"` // of those files
}

// Options configure a Publisher.
type Options struct {
	// Dir is the folder to publish into; made if missing.
	Dir string
	// Render writes one version.
	Render Render
	// Log receives what the publisher does.
	Log *slog.Logger
	// Margin is how long before a scheduled change the current folder is
	// withdrawn (and every request goes to the server). Default 2 s.
	Margin time.Duration
	// Retry is how long to wait after a failed render before trying
	// again (a change of content tries at once). Default 1 minute.
	Retry time.Duration
}

// Publisher keeps Dir/current the site's cached pages as the server
// serves them. Its methods are safe for concurrent use.
type Publisher struct {
	opts    Options
	lock    *os.File
	changed chan struct{} // a token: the content changed
	done    chan struct{} // closed when run returns

	mu      sync.Mutex  // over what follows and Dir/current
	linked  string      // the folder current points to; "" when none
	version string      // the content version of the folder linked
	recent  string      // the folder current pointed to last (kept by cleanup)
	gen     uint64      // counts switches and withdrawals
	expiry  *time.Timer // withdraws current before its folder's Until
}

const (
	current  = "current"
	versions = "versions"
)

// ErrLocked is returned by Start when another process publishes to the
// same folder.
var ErrLocked = errors.New("another server publishes to this folder")

// Start takes Dir, clears what a stopped publisher left half written, and
// publishes the content as it is now, then at every Changed and every
// scheduled change, until ctx is done. A current folder left by an earlier
// run is served until the first switch, unless its period has ended.
func Start(ctx context.Context, opts Options) (*Publisher, error) {
	if opts.Margin <= 0 {
		opts.Margin = 2 * time.Second
	}
	if opts.Retry <= 0 {
		opts.Retry = time.Minute
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Join(opts.Dir, versions), 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(opts.Dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("publish %s: %w", opts.Dir, ErrLocked)
	}
	p := &Publisher{opts: opts, lock: lock, changed: make(chan struct{}, 1), done: make(chan struct{})}
	p.sweep()
	p.adopt()
	go p.run(ctx)
	return p, nil
}

// Changed tells the publisher that the content changed: it publishes the
// new version next (after the render in progress, if any).
func (p *Publisher) Changed() {
	select {
	case p.changed <- struct{}{}:
	default:
	}
}

// Outdated tells the publisher that the server now serves version. If
// the folder nginx serves holds another, it is withdrawn at once, so that
// nginx passes every request to the server, which answers with the new
// version, until the new version's folder is written and linked: an edit
// (a page taken down, a correction) is live as soon as the server has it,
// not a render later. Call Changed after it.
func (p *Publisher) Outdated(version string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.linked == "" || p.version == version {
		return
	}
	if err := os.Remove(p.path(current)); err != nil && !errors.Is(err, os.ErrNotExist) {
		p.opts.Log.Error("publish: withdrawing the outdated folder failed", "err", err)
		return
	}
	p.opts.Log.Info("publish: the content changed: the server answers every request until the new folder is linked",
		"folder", filepath.Join(versions, p.linked), "version", version)
	p.linked = ""
	p.gen++
}

// Wait returns once the publisher has stopped (its context is done) and
// released the folder. Dir/current stays: nginx goes on serving it while
// the server restarts.
func (p *Publisher) Wait() { <-p.done }

// Linked returns the name of the folder Dir/current points to, or "".
func (p *Publisher) Linked() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.linked
}

func (p *Publisher) path(elem ...string) string {
	return filepath.Join(append([]string{p.opts.Dir}, elem...)...)
}

// run publishes the version being served, then each scheduled period
// ahead of time, and starts again at each change of content.
func (p *Publisher) run(ctx context.Context) {
	defer close(p.done)
	defer p.lock.Close() // releases the lock
	defer p.stopExpiry()
	at := time.Now()
	for {
		future := at.After(time.Now())
		name, res, err := p.render(ctx, at)
		switch {
		case ctx.Err() != nil:
			if err == nil {
				p.remove(name)
			}
			return
		case err != nil:
			p.opts.Log.Error("publish: writing the pages failed; the server answers what is not on disk", "err", err)
			p.await(ctx, time.Now().Add(p.opts.Retry))
			at = time.Now()
			continue
		case !res.Until.IsZero() && !time.Now().Before(res.Until.Add(-p.opts.Margin)):
			// Its period ended (or nearly) while it was written: write the next.
			p.remove(name)
			at = res.Until
			continue
		case future && !p.await(ctx, at):
			// The content changed before the period it was written for.
			p.remove(name)
			at = time.Now()
			continue
		}
		p.swap(name, res)
		if res.Until.IsZero() || p.pending() {
			p.await(ctx, time.Time{})
			at = time.Now()
			continue
		}
		at = res.Until // written now, switched to at that moment
	}
}

// await waits until t (zero: for ever) and reports true; or, if the
// content changes first (or has changed since the last wait), consumes
// the change and reports false; or reports false when ctx is done.
func (p *Publisher) await(ctx context.Context, t time.Time) bool {
	select {
	case <-p.changed:
		return false
	default:
	}
	for {
		var timer <-chan time.Time
		var tm *time.Timer
		if !t.IsZero() {
			d := time.Until(t)
			if d <= 0 {
				return true
			}
			tm = time.NewTimer(d)
			timer = tm.C
		}
		stop := func() {
			if tm != nil {
				tm.Stop()
			}
		}
		select {
		case <-ctx.Done():
			stop()
			return false
		case <-p.changed:
			stop()
			return false
		case <-timer:
			// Timers run on the monotonic clock, t is a wall-clock
			// time: look again.
		}
	}
}

// pending reports whether the content changed since the last await,
// leaving the change to be consumed.
func (p *Publisher) pending() bool {
	select {
	case <-p.changed:
		p.Changed()
		return true
	default:
		return false
	}
}

// render writes the site as of at into a new folder of versions/ and
// returns its name.
func (p *Publisher) render(ctx context.Context, at time.Time) (string, Result, error) {
	start := time.Now()
	tmp, err := os.MkdirTemp(p.path(versions), ".tmp-")
	if err != nil {
		return "", Result{}, err
	}
	// MkdirTemp makes it private; nginx's workers must read it.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return "", Result{}, err
	}
	res, err := p.opts.Render(ctx, at, tmp)
	if err != nil {
		os.RemoveAll(tmp)
		return "", Result{}, err
	}
	name, err := p.place(tmp, res.Version)
	if err != nil {
		os.RemoveAll(tmp)
		return "", Result{}, err
	}
	meta := Meta{Version: res.Version, From: at.UTC(), Until: res.Until.UTC(), Written: time.Now().UTC(), Files: res.Files, Bytes: res.Bytes}
	b, _ := json.MarshalIndent(meta, "", "  ")
	if err := writeFile(p.path(versions, name+".json"), append(b, '\n')); err != nil {
		p.remove(name)
		return "", Result{}, err
	}
	p.opts.Log.Info("publish: wrote the pages", "folder", filepath.Join(versions, name), "version", res.Version,
		"as_of", at.UTC().Format(time.RFC3339), "until", formatUntil(res.Until), "files", res.Files,
		"duration", time.Since(start).Round(time.Millisecond))
	return name, res, nil
}

func formatUntil(t time.Time) string {
	if t.IsZero() {
		return "next change of content"
	}
	return t.UTC().Format(time.RFC3339)
}

// place renames the finished folder tmp to the first free name for
// version.
func (p *Publisher) place(tmp, version string) (string, error) {
	base := safeName(version)
	for n := 1; n < 1000; n++ {
		name := base
		if n > 1 {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		if _, err := os.Lstat(p.path(versions, name)); err == nil {
			continue
		}
		if _, err := os.Lstat(p.path(versions, name+".json")); err == nil {
			continue
		}
		return name, os.Rename(tmp, p.path(versions, name))
	}
	return "", fmt.Errorf("publish: no free name for version %s in %s", version, p.path(versions))
}

// safeName is version as a folder name: letters, digits, - and _ only.
func safeName(version string) string {
	ok := version != "" && len(version) <= 64
	for _, r := range version {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			ok = false
		}
	}
	if ok {
		return version
	}
	return "v" + hex.EncodeToString([]byte(version))[:min(32, 2*len(version))]
}

// swap points current at the folder name, atomically: a new link renamed
// over the old one. It writes the nginx includes that changed, arms the
// withdrawal before res.Until, and removes every folder but name and the
// one current pointed to before.
func (p *Publisher) swap(name string, res Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.writeIncludes(res.Includes)
	if err := p.link(name); err != nil {
		p.opts.Log.Error("publish: switching to the new folder failed", "folder", name, "err", err)
		p.remove(name)
		return
	}
	previous := p.recent
	p.linked, p.recent, p.version = name, name, res.Version
	p.gen++
	p.armExpiry(res.Until)
	p.opts.Log.Info("publish: nginx now serves the new folder", "folder", filepath.Join(versions, name), "version", res.Version)
	p.cleanup(name, previous)
}

// link makes current point to versions/name.
func (p *Publisher) link(name string) error {
	b := make([]byte, 6)
	rand.Read(b)
	tmp := p.path(".current-" + hex.EncodeToString(b))
	if err := os.Symlink(filepath.Join(versions, name), tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, p.path(current)); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// armExpiry withdraws current a margin before until. p.mu must be held.
func (p *Publisher) armExpiry(until time.Time) {
	if p.expiry != nil {
		p.expiry.Stop()
		p.expiry = nil
	}
	if until.IsZero() {
		return
	}
	gen := p.gen
	p.expiry = time.AfterFunc(time.Until(until.Add(-p.opts.Margin)), func() { p.withdraw(gen, until) })
}

func (p *Publisher) stopExpiry() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.expiry != nil {
		p.expiry.Stop()
	}
}

// withdraw removes current, if it is still the link made in generation
// gen: nginx then passes every request to the server, which is exact at
// the scheduled change, until the next period's folder is linked.
func (p *Publisher) withdraw(gen uint64, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if gen != p.gen || p.linked == "" {
		return
	}
	if err := os.Remove(p.path(current)); err != nil && !errors.Is(err, os.ErrNotExist) {
		p.opts.Log.Error("publish: withdrawing the folder before a scheduled change failed", "err", err)
		return
	}
	p.linked = ""
	p.gen++
	p.opts.Log.Info("publish: a scheduled change is due: the server answers every request until its folder is linked",
		"folder", filepath.Join(versions, p.recent), "change", until.UTC().Format(time.RFC3339))
}

// writeIncludes writes the nginx includes that differ from those on disk.
// nginx reads them when it starts or reloads: until then, what the old
// ones do not cover goes to the server, so the log says to reload it.
func (p *Publisher) writeIncludes(includes map[string][]byte) {
	for name, b := range includes {
		if filepath.Base(name) != name || !strings.HasSuffix(name, ".conf") {
			p.opts.Log.Error("publish: not an include's name", "name", name)
			continue
		}
		old, err := os.ReadFile(p.path(name))
		if err == nil && string(old) == string(b) {
			continue
		}
		if err := writeFile(p.path(name), b); err != nil {
			p.opts.Log.Error("publish: writing an nginx include failed", "file", p.path(name), "err", err)
			continue
		}
		if old == nil {
			p.opts.Log.Info("publish: wrote an nginx include (start nginx once all are written)", "file", p.path(name))
		} else {
			p.opts.Log.Warn("publish: an nginx include changed: reload nginx (nginx -s reload) to apply it", "file", p.path(name))
		}
	}
}

// cleanup removes every folder of versions/ but those named in keep.
func (p *Publisher) cleanup(keep ...string) {
	entries, err := os.ReadDir(p.path(versions))
	if err != nil {
		return
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".json")
		if strings.HasPrefix(name, ".") || slices.Contains(keep, name) {
			continue
		}
		if err := os.RemoveAll(p.path(versions, e.Name())); err != nil {
			p.opts.Log.Error("publish: removing an old folder failed", "err", err)
		}
	}
}

// remove removes the folder name and what describes it.
func (p *Publisher) remove(name string) {
	os.RemoveAll(p.path(versions, name))
	os.Remove(p.path(versions, name+".json"))
}

// sweep removes what a publisher that stopped left half done.
func (p *Publisher) sweep() {
	for _, pattern := range []string{p.path(versions, ".tmp-*"), p.path(versions, ".*.tmp"), p.path(".current-*"), p.path(".*.tmp")} {
		matches, _ := filepath.Glob(pattern)
		for _, m := range matches {
			os.RemoveAll(m)
		}
	}
}

// adopt takes over the folder an earlier run left current, if its period
// has not ended: nginx went on serving it while the server was down.
func (p *Publisher) adopt() {
	target, err := os.Readlink(p.path(current))
	if err != nil {
		return
	}
	name := filepath.Base(target)
	var meta Meta
	b, err := os.ReadFile(p.path(versions, name+".json"))
	if err == nil {
		err = json.Unmarshal(b, &meta)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil || filepath.Dir(target) != versions || !meta.Until.IsZero() && !time.Now().Before(meta.Until.Add(-p.opts.Margin)) {
		os.Remove(p.path(current))
		p.opts.Log.Info("publish: the folder left by the last run is out of date: the server answers until the new one is written", "folder", target)
		return
	}
	p.linked, p.recent = name, name
	p.armExpiry(meta.Until)
}

// writeFile writes a file whole or not at all: a temporary file renamed
// over it.
func writeFile(name string, b []byte) error {
	tmp := filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
