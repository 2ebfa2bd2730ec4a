package content

import (
	"context"
	"io/fs"
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
	fsys fs.FS
	opts Options
	last *loadState // nil: the next load reads everything
}

// loadState is what a load keeps for the next one.
type loadState struct {
	l       *loader
	byPath  map[string]*job
	others  map[string]stamp
	scanned time.Time // when the walk started
	// catalogues are the message catalogues, read at the last full load.
	catalogues map[string]*catalog.Catalogue
}

// NewLoader returns a Loader of the content folder fsys.
func NewLoader(fsys fs.FS, opts Options) *Loader {
	return &Loader{fsys: fsys, opts: opts}
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
}

// Load loads the content folder as Load does, reading only what changed
// since the Loader's last load. It returns the Site or Problems, and what
// it read.
func (ld *Loader) Load(ctx context.Context) (*Site, Stats, error) {
	scanned := time.Now()
	l := &loader{fsys: ld.fsys, opts: ld.opts, broken: map[string]bool{}, brokenLang: map[string]bool{}, brokenType: map[Type]bool{}}
	prev := ld.last
	ld.last = nil
	var catalogues map[string]*catalog.Catalogue
	if prev != nil {
		l.reg, l.ease, l.md, l.catalogueAt, catalogues = prev.l.reg, prev.l.ease, prev.l.md, prev.l.catalogueAt, prev.catalogues
	} else {
		l.reg = l.readLanguages()
		if l.reg == nil {
			l.ps.list.sort()
			return nil, Stats{Full: true}, l.ps.list
		}
		catalogues = l.readCatalogues(l.reg)
		l.ease = l.readReadability()
		l.md = newMarkdown(l.reg)
	}
	// Problems of the languages or catalogues are reported by every load
	// until they are mended: a load after one is a full one.
	setupProblems := len(l.ps.list) > 0
	jobs, others := l.walk(ctx, true)
	if ctx.Err() != nil {
		return nil, Stats{}, context.Cause(ctx)
	}
	if prev != nil && !sameStamps(prev.others, others) {
		// The languages, catalogues or URL registry changed: everything
		// is read again, with them.
		return ld.Load(ctx)
	}
	st := Stats{Files: len(jobs), Full: prev == nil}
	for _, j := range jobs {
		old := (*job)(nil)
		if prev != nil {
			old = prev.byPath[j.path]
		}
		// A file changed in the same clock tick as the last walk saw it
		// may still show that walk's stamp: it is read again.
		if old == nil || old.stamp != j.stamp || !j.stamp.before(prev.scanned) {
			st.Read++
			continue
		}
		j.sum, j.size, j.f, j.problems = old.sum, old.size, old.f, old.problems
		if j.f != nil && j.f.doc != nil {
			*j.f.doc = j.f.pristine
		}
	}
	l.parse(ctx, jobs)
	if ctx.Err() != nil {
		return nil, Stats{}, context.Cause(ctx)
	}
	version := l.merge(jobs)
	byPath := make(map[string]*job, len(jobs))
	for _, j := range jobs {
		byPath[j.path] = j
	}
	if !setupProblems {
		ld.last = &loadState{l: l, byPath: byPath, others: others, scanned: scanned, catalogues: catalogues}
	}
	site, err := l.finish(version, catalogues)
	return site, st, err
}

func sameStamps(a, b map[string]stamp) bool {
	if len(a) != len(b) {
		return false
	}
	for p, s := range a {
		if t, ok := b[p]; !ok || t != s {
			return false
		}
	}
	return true
}
