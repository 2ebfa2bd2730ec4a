package content

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/krakow/wspolpraca/internal/catalog"
)

// A Loader loads the same content folder again and again (the server's
// reloads), reading again only the files that changed since its last
// load. Each load's Site is what Load would return for the folder as it
// is then: every file the Loader does not read again is one it read
// before, unchanged (its stamp: size, modification and change times and
// inode, as git's index keeps them), and assembling and checking the site
// are done whole each time, so that an edit is checked against
// everything it may break.
//
// A change to languages.yaml, the message catalogues or urls.txt, or a
// load that failed before the records were read, makes the next load a
// full one. A Loader is not safe for concurrent use.
type Loader struct {
	fsys  fs.FS
	opts  Options
	last  *loadState // nil: the next load reads everything
	watch *watcher   // nil: each load walks the folder
	seq   uint64     // of the last load
	// remote: the folder is on a file system whose changes stat may not
	// show: every load reads everything.
	remote bool
	// unwatched says why the Loader does not watch, after Watch.
	unwatched string
}

// errNotLocal: the folder is on a network or FUSE file system.
var errNotLocal = errors.New("a network or FUSE file system: every load reads every file")

// loadState is what a load keeps for the next one.
type loadState struct {
	l       *loader
	index   map[string]int // of jobs, by path
	others  map[string]stamp
	scanned time.Time // when the walk started
	seq     uint64    // the load's number
	jobs    []*job    // in file order
	// walked are the problems the walk found (unexpected files): a load
	// that takes its files from the watcher reports them again.
	walked Problems
	// catalogues are the message catalogues, read at the last full load.
	catalogues map[string]*catalog.Catalogue
}

// NewLoader returns a Loader of the content folder fsys.
func NewLoader(fsys fs.FS, opts Options) *Loader {
	return &Loader{fsys: fsys, opts: opts}
}

// Watch makes the Loader learn which files changed from the kernel
// (inotify) instead of walking the folder dir (the one fsys reads) and
// stating every file: a load after an edit then stats the edited files
// only. Where the events cannot tell (a folder created, renamed or
// deleted, a file added or deleted, the event queue full) the load walks
// as before. Close stops watching.
//
// On a network or FUSE file system, another machine's changes are
// reported neither by inotify nor, for up to a minute (the attribute
// cache), by stat: there Watch returns an error, and every load of the
// Loader reads every file, as Load does.
func (ld *Loader) Watch(dir string) error {
	w, err := newWatcher(dir)
	if errors.Is(err, errNotLocal) {
		ld.remote, ld.last = true, nil
	}
	if err != nil {
		ld.unwatched = err.Error()
		return err
	}
	ld.watch, ld.last, ld.unwatched = w, nil, ""
	return nil
}

// Close stops watching the folder.
func (ld *Loader) Close() error {
	if ld.watch == nil {
		return nil
	}
	err := ld.watch.close()
	ld.watch = nil
	return err
}

// Reset makes the next load a full one (the static files have changed,
// say, which files are checked against).
func (ld *Loader) Reset() { ld.last = nil }

// Stats tells what the last load read: Files content files, of which Read
// were read and parsed (the rest were unchanged), and whether it was a
// full load.
type Stats struct {
	Files, Read int
	Full        bool
	Walked      bool // the folder was walked (not told by the watcher)
	// Unwatched, after Watch, says why the Loader does not watch the
	// folder ("" when it does): each load walks it, or reads it whole.
	Unwatched string
}

// Load loads the content folder as Load does, reading only what changed
// since the Loader's last load. It returns the Site or Problems, and what
// it read.
func (ld *Loader) Load(ctx context.Context) (*Site, Stats, error) {
	scanned := time.Now()
	l := &loader{fsys: ld.fsys, opts: ld.opts, broken: map[string]bool{}, brokenLang: map[string]bool{}, brokenType: map[Type]bool{}}
	prev := ld.last
	ld.last = nil
	if ld.remote {
		prev = nil
	}
	if prev == nil && ld.watch != nil {
		// Everything is read from here on: the events so far are
		// dropped now, before the first file is read, so that an edit
		// made while this load reads is an event for the next one.
		ld.watch.changed()
	}
	catalogues, ok := ld.setUp(l, prev)
	if !ok {
		l.ps.list.sort()
		return nil, Stats{Full: true}, l.ps.list
	}
	// Problems of the languages or catalogues are reported by every load
	// until they are mended: a load after one is a full one.
	setupProblems := len(l.ps.list) > 0
	jobs, others, walked, didWalk, full := ld.files(ctx, l, prev)
	if ctx.Err() != nil {
		return nil, Stats{}, context.Cause(ctx)
	}
	if full || prev != nil && !sameStamps(prev.others, others, prev.scanned) {
		// The languages, catalogues or URL registry changed: everything
		// is read again, with them.
		return ld.Load(ctx)
	}
	ld.seq++
	st := Stats{Files: len(jobs), Full: prev == nil, Walked: didWalk, Unwatched: ld.unwatched}
	info := LoadInfo{Seq: ld.seq, Changed: map[string]bool{}}
	st.Read = reuse(jobs, prev, &info)
	l.parse(ctx, jobs)
	if ctx.Err() != nil {
		return nil, Stats{}, context.Cause(ctx)
	}
	version := l.merge(jobs)
	index := make(map[string]int, len(jobs))
	for i, j := range jobs {
		index[j.path] = i
	}
	if prev != nil {
		for _, j := range prev.jobs {
			if _, ok := index[j.path]; !ok {
				info.Changed[recordID(j.path)] = true
			}
		}
	}
	if !setupProblems {
		ld.last = &loadState{l: l, seq: ld.seq, index: index, others: others, scanned: scanned, catalogues: catalogues, jobs: jobs, walked: walked}
	}
	site, err := l.finish(version, catalogues)
	if site != nil {
		site.Load = info
	}
	return site, st, err
}

// setUp gives l the languages, catalogues and readability checks: the
// last load's, or read now (ok is false when the languages cannot be).
func (ld *Loader) setUp(l *loader, prev *loadState) (catalogues map[string]*catalog.Catalogue, ok bool) {
	if prev != nil {
		l.reg, l.ease, l.md, l.catalogueAt = prev.l.reg, prev.l.ease, prev.l.md, prev.l.catalogueAt
		l.urls, l.scheme, l.setup = prev.l.urls, prev.l.scheme, prev.l.setup
		return prev.catalogues, true
	}
	l.setup = readSetupFiles(ld.fsys)
	if l.reg = l.readLanguages(); l.reg == nil {
		return nil, false
	}
	catalogues = l.readCatalogues(l.reg)
	l.ease = l.readReadability()
	l.md = newMarkdown(l.reg)
	return catalogues, true
}

// files lists the content files of records, stamped: from the watcher's
// events and the last load's list when they tell, or by a walk (didWalk),
// which also watches every folder it enters. walked are the walk's
// problems; full is set when the languages, catalogues or URL registry
// changed.
func (ld *Loader) files(ctx context.Context, l *loader, prev *loadState) (jobs []*job, others map[string]stamp, walked Problems, didWalk, full bool) {
	if prev != nil && ld.watch != nil {
		if jobs, full = ld.watched(prev); full {
			return nil, nil, nil, false, true
		}
		if jobs != nil {
			l.ps.list = append(l.ps.list, prev.walked...)
			return jobs, prev.others, prev.walked, false, false
		}
	}
	before := len(l.ps.list)
	if w := ld.watch; w != nil {
		l.onDir = func(p string) {
			// A folder that cannot be watched (no more watches allowed,
			// or it was just deleted): the Loader walks from now on.
			if w == nil {
				return
			}
			if err := w.add(p); err != nil {
				w.close()
				w, ld.watch = nil, nil
				ld.unwatched = err.Error()
			}
		}
	}
	jobs, others = l.walk(ctx, true)
	l.onDir = nil
	return jobs, others, slices.Clone(l.ps.list[before:]), true, false
}

// reuse takes, for each file unchanged since the last load, what that
// load read of it (its document restored as read), and returns how many
// files are left to read; those are the changed ones, in info.
func reuse(jobs []*job, prev *loadState, info *LoadInfo) (read int) {
	if prev != nil {
		info.Prev = prev.seq
	}
	for _, j := range jobs {
		old := (*job)(nil)
		if prev != nil {
			if i, ok := prev.index[j.path]; ok {
				old = prev.jobs[i]
			}
		}
		// A file changed in the same clock tick as the last walk saw it
		// may still show that walk's stamp: it is read again; so is one
		// the watcher names, whatever its stamp, and one that had
		// problems (whether a date is in the future depends on the day;
		// a file that could not be read may be readable now).
		if old == nil || j.force || len(old.problems) > 0 || old.stamp != j.stamp || !j.stamp.before(prev.scanned) {
			read++
			info.Changed[recordID(j.path)] = true
			continue
		}
		j.sum, j.size, j.f, j.problems = old.sum, old.size, old.f, old.problems
		if j.f != nil && j.f.doc != nil {
			*j.f.doc = j.f.pristine
		}
	}
	return read
}

// recordID is the record id in the name of the content file p ("" for a
// name that is not a content file's).
func recordID(p string) string {
	m := fileName.FindStringSubmatch(path.Base(p))
	if m == nil {
		return ""
	}
	return m[1]
}

// watched returns the last load's files with new stamps for those the
// watcher says changed, or nil when the folder must be walked (a file
// added or deleted, or the watcher cannot tell); full is set when the
// languages, catalogues or URL registry changed.
func (ld *Loader) watched(prev *loadState) (jobs []*job, full bool) {
	paths, all := ld.watch.changed()
	if all || !ld.watch.sameRoot() {
		return nil, false
	}
	jobs = make([]*job, len(prev.jobs))
	for i, j := range prev.jobs {
		jobs[i] = &job{path: j.path, typ: j.typ, stamp: j.stamp}
	}
	index := make(map[string]int, len(paths))
	for _, p := range paths {
		if _, seen := index[p]; seen {
			continue
		}
		index[p] = -1
		if _, ok := prev.others[p]; ok {
			return nil, true
		}
		fi, err := os.Lstat(filepath.Join(ld.watch.root, filepath.FromSlash(p)))
		i, known := prev.index[p]
		switch {
		case strings.HasPrefix(path.Base(p), "."):
			// a hidden file (an editor's swap file): content ignores it
		case err != nil && !known && !prev.walkedFile(p):
			// made and removed since the last load, unseen (an editor's
			// temporary file, renamed over the file it saves)
		case err != nil || !known || !fi.Mode().IsRegular():
			// Added or removed, or not a content file (which the walk
			// reports, and stops reporting once it is gone): a walk
			// lists them.
			return nil, false
		default:
			jobs[i].stamp, jobs[i].force = stampOfInfo(fi), true
		}
	}
	return jobs, false
}

// sameStamps reports whether the files of a (stamped by the walk of the
// load that started at scanned) have the same stamps in b, none of them
// too recent to trust.
// walkedFile reports whether the load's walk reported a problem of the
// file p (an unexpected file).
func (s *loadState) walkedFile(p string) bool {
	for _, pr := range s.walked {
		if pr.File == p {
			return true
		}
	}
	return false
}

func sameStamps(a, b map[string]stamp, scanned time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for p, s := range a {
		if t, ok := b[p]; !ok || t != s || !s.before(scanned) {
			return false
		}
	}
	return true
}
