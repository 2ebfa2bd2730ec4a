package content

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/krakow/wspolpraca/internal/catalog"

	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/urls"
)

// Options tell Load about the parts of the site that are not content.
type Options struct {
	// Assets holds the static files (CSS, images) served under /static/.
	// Images in Markdown must exist there.
	Assets fs.FS
	// Now tells the time, to know which pages are public yet. Defaults to
	// time.Now.
	Now func() time.Time
	// RecordURLs accepts public URLs missing from the URL registry and
	// returns them in Site.NewURLs, for `site urls` to record.
	RecordURLs bool
	// Progress, if not nil, is told how many of the total content files
	// have been handed to the parsers, as they are (from one goroutine).
	Progress func(done, total int)
}

func (o Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// file is one content file being read.
type file struct {
	path     string // relative to the content folder
	typ      Type
	lang     string
	name     string // the file name without .pl.md / .en.md
	meta     reflect.Value
	dec      *decoder
	body     []byte
	bodyLine int
	at       positioner // of body
	fm       []byte     // the front matter, from the file's line 2
	doc      *Doc
	// pristine is doc as read, before assembling the site changed it
	// (statuses, schedules, paths): a Loader's next load starts from it.
	pristine Doc
}

type loader struct {
	fsys  fs.FS
	opts  Options
	reg   *lang.Registry
	md    *markdown
	ps    problems
	files []*file
	// catalogueAt holds where each message of each catalogue is, by
	// tag + "\x00" + key, for problems found after reading them all.
	catalogueAt map[string]pos
	// broken holds the ids of files whose front matter is wrong, so that
	// one mistake is reported once, not again by every link to the file.
	broken     map[string]bool
	brokenLang map[string]bool // id + "." + lang
	brokenType map[Type]bool
	// ease is each language's easy-to-read check (readability.go).
	ease map[string]*easyCheck
	// urls is urls.txt as read (registry.go).
	urls *registryRead
	// scheme is the site's URL scheme, made once.
	scheme *urls.Scheme
	// onDir, if set, is told every folder the walk enters.
	onDir func(path string)
	// setup holds languages.yaml and the catalogues as the load read them
	// (setup.go).
	setup *setupFiles
}

// fileName is a content file's name: the record's id, the language's tag
// (lowercase), .md.
var fileName = regexp.MustCompile(`^([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z]{2,3}(?:-[a-z0-9]{2,8})*)\.md$`)

// Load reads, checks and renders every file of the content folder fsys.
// It returns every problem it finds at once, as Problems, or the Site.
func Load(fsys fs.FS, opts Options) (*Site, error) {
	return LoadContext(context.Background(), fsys, opts)
}

// LoadContext is Load, stopped when ctx ends: files not yet read are not
// read, and the error is ctx's cause. (A file being read finishes: the
// limits on a file keep that short.)
func LoadContext(ctx context.Context, fsys fs.FS, opts Options) (*Site, error) {
	l := &loader{fsys: fsys, opts: opts, broken: map[string]bool{}, brokenLang: map[string]bool{}, brokenType: map[Type]bool{}}
	// The languages come first: they say which files there may be.
	l.setup = readSetupFiles(fsys)
	l.reg = l.readLanguages()
	if l.reg == nil {
		l.ps.list.sort()
		return nil, l.ps.list
	}
	catalogues := l.readCatalogues(l.reg)
	l.ease = l.readReadability()
	l.md = newMarkdown(l.reg)
	version := l.readAll(ctx)
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	return l.finish(version, catalogues)
}

// finish assembles the records of the files read and checks the site.
func (l *loader) finish(version string, catalogues map[string]*catalog.Catalogue) (*Site, error) {
	site := l.assemble()
	site.Languages, site.Catalogues = l.reg, catalogues
	l.check(site)
	if len(l.ps.list) > 0 {
		l.ps.list.sort()
		return nil, l.ps.list
	}
	site.Version = version
	site.Readability = readabilityOf(site)
	return site, nil
}

// readAll reads every file, on all cores, and returns a hash of them all.
// It stops reading when ctx ends.
func (l *loader) readAll(ctx context.Context) string {
	jobs, _ := l.walk(ctx, false)
	l.parse(ctx, jobs)
	return l.merge(jobs)
}

// job is one content file of a record: where it is, and once parsed, its
// bytes' hash, the file and its problems.
type job struct {
	path     string
	typ      Type
	src      []byte
	sum      [sha256.Size]byte // of src, for the version
	size     int64
	f        *file
	ps       problems
	problems Problems // ps, flushed
	stamp    stamp    // when walked with stamps (Loader)
	force    bool     // the watcher named it: read it again
}

// walk lists the content files of records, in file order, adding a
// problem for anything else in the folder. With stamps, it also tells
// each file's stamp (an lstat each), and returns those of the files that
// are not records' (languages.yaml, urls.txt), by path.
func (l *loader) walk(ctx context.Context, stamps bool) ([]*job, map[string]stamp) {
	folders := map[string]Type{}
	for _, t := range Types {
		folders[t.Folder()] = t
	}
	var jobs []*job
	var others map[string]stamp
	if stamps {
		others = map[string]stamp{}
	}
	err := fs.WalkDir(l.fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return fs.SkipAll
		}
		if err != nil {
			l.ps.add(p, pos{}, "cannot read: %v", err)
			return nil
		}
		if strings.HasPrefix(e.Name(), ".") && p != "." {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			if l.onDir != nil {
				l.onDir(p)
			}
			return nil
		}
		var st stamp
		if stamps {
			st = stampOf(e)
		}
		// A pipe would block the reader, a device never end: content is
		// regular files (symbolic links included: they might point at
		// either).
		if !e.Type().IsRegular() {
			l.ps.add(p, pos{1, 1}, "not a regular file (a link, pipe or device): content files are plain Markdown files")
			return nil
		}
		top, _, nested := strings.Cut(p, "/")
		typ, ok := folders[top]
		switch {
		case !nested && (p == publishedFile || p == languagesFile):
			if stamps {
				others[p] = st
			}
		case top == messagesFolder:
			// read with the languages
			if stamps {
				others[p] = st
			}
		case !nested:
			l.ps.add(p, pos{1, 1}, "unexpected file: content files go in the folders pages/, bodies/, meetings/ and declarations/")
		case !ok:
			l.ps.add(p, pos{1, 1}, "unexpected folder %q: content files go in the folders pages/, bodies/, meetings/ and declarations/", top)
		default:
			jobs = append(jobs, &job{path: p, typ: typ, stamp: st})
		}
		return nil
	})
	if err != nil {
		l.ps.add(".", pos{}, "cannot read the content folder: %v", err)
	}
	return jobs, others
}

// parse reads and parses the jobs not parsed yet (f == nil and no
// problems), on all cores; each keeps its own problems.
func (l *loader) parse(ctx context.Context, jobs []*job) {
	var todo []*job
	for _, j := range jobs {
		if j.f == nil && j.problems == nil {
			todo = append(todo, j)
		}
	}
	next := make(chan *job)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				if ctx.Err() != nil {
					continue
				}
				j.ps.limit = MaxProblemsPerFile
				j.src = l.readFile(j.path, &j.ps)
				j.sum, j.size = sha256.Sum256(j.src), int64(len(j.src))
				if j.src != nil {
					j.f = l.read(j.path, j.typ, j.src, &j.ps)
				}
				j.src = nil
				j.problems = j.ps.flush()
				if j.problems == nil {
					j.problems = Problems{}
				}
			}
		}()
	}
	for i, j := range todo {
		next <- j
		if l.opts.Progress != nil {
			l.opts.Progress(i+1, len(todo))
		}
	}
	close(next)
	wg.Wait()
}

// merge takes the parsed jobs in file order, so that everything after is
// deterministic, and returns the content version.
func (l *loader) merge(jobs []*job) string {
	h := sha256.New()
	for _, j := range jobs {
		hashFile(h, j.path, j.size, j.sum)
		l.ps.list = append(l.ps.list, j.problems...)
		switch {
		case j.f == nil:
		case j.f.doc == nil:
			l.markBroken(j.f)
		default:
			l.files = append(l.files, j.f)
		}
	}
	if err := l.setup.hash(h); err != nil {
		l.ps.add(languagesFile, pos{1, 1}, "cannot read: %v", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// hashFile adds a content file to a content version: its path, its size
// in bytes and the SHA-256 of its bytes. Each file's hash is computed on
// the core that reads it, and the version hashes those in file order:
// reading and hashing 20,000 files takes the time of one core's share.
func hashFile(h io.Writer, path string, size int64, sum [sha256.Size]byte) {
	fmt.Fprintf(h, "%s\x00%d\x00", path, size)
	h.Write(sum[:])
}

// hashLanguages adds the language registry and the message catalogues to
// a content version: a change of an interface word is a new version, which
// the server imports (Version must give what Load does).
func hashLanguages(h io.Writer, fsys fs.FS) error {
	names := []string{languagesFile}
	cats, err := fs.Glob(fsys, messagesFolder+"/*")
	if err != nil {
		return err
	}
	names = append(names, cats...)
	for _, p := range names {
		f, err := fsys.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00", p)
		// Bounded: Load refuses a file larger than MaxFileBytes.
		_, err = io.Copy(h, io.LimitReader(f, MaxFileBytes+1))
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// markBroken remembers a file whose front matter is wrong, so that its
// mistakes are reported once, not again by every reference to it.
func (l *loader) markBroken(f *file) {
	l.broken[f.name] = true
	l.brokenLang[f.name+"."+f.lang] = true
	l.brokenType[f.typ] = true
	if slug := f.meta.Elem().FieldByName("Slug"); slug.IsValid() && slug.String() != "" {
		l.broken[slug.String()] = true
	}
}

// readFile reads the content file p, refusing one whose name is not a
// content file's or which is larger than MaxFileBytes before reading it
// (a file of any size may be committed). It returns nil after adding a
// problem to ps.
func (l *loader) readFile(p string, ps *problems) []byte {
	m := fileName.FindStringSubmatch(path.Base(p))
	if m == nil {
		ps.add(p, pos{1, 1}, "file names are the record's id and language: lowercase letters, digits and hyphens, then .TAG.md for a language of %s (e.g. 2021-stanowisko-afganistan.%s.md)", languagesFile, l.reg.Authoritative().Tag)
		return nil
	}
	if _, ok := l.reg.Get(m[2]); !ok {
		ps.add(p, pos{1, 1}, "language %q is not in %s: the languages are %s", m[2], languagesFile, strings.Join(l.reg.Tags(), ", "))
		return nil
	}
	f, err := l.fsys.Open(p)
	if err != nil {
		ps.add(p, pos{}, "cannot read: %v", err)
		return nil
	}
	defer f.Close()
	src, err := readLimited(f, MaxFileBytes+1)
	if err != nil {
		ps.add(p, pos{}, "cannot read: %v", err)
		return nil
	}
	if len(src) > MaxFileBytes {
		ps.add(p, pos{1, 1}, "the file is larger than %s, the most a content file may be: split the text into several pages", kb(MaxFileBytes))
		return nil
	}
	return src
}

// readLimited reads f to its end, or n bytes of it. The buffer is sized
// by the file's size, so that a file is one read and one allocation
// (io.ReadAll grows its buffer from 512 bytes).
func readLimited(f fs.File, n int) ([]byte, error) {
	size := n
	if fi, err := f.Stat(); err == nil && fi.Size() < int64(n) {
		size = int(fi.Size()) + 1 // +1: the read that meets the end
	}
	src := make([]byte, 0, size)
	for len(src) < n {
		if len(src) == cap(src) {
			src = slices.Grow(src, min(cap(src), n-len(src)))
		}
		k, err := f.Read(src[len(src):min(cap(src), n)])
		src = src[:len(src)+k]
		if err == io.EOF {
			return src, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return src, nil
}

// read parses one content file, adding its problems to ps. It returns nil
// for a file it cannot read at all, and a file without a doc when the
// front matter is wrong (the rest is not guessed at).
func (l *loader) read(p string, typ Type, src []byte, ps *problems) *file {
	m := fileName.FindStringSubmatch(path.Base(p))
	// A file refused from here on is known by its name, so that its
	// record's other files and links to it are not reported again.
	f := &file{path: p, typ: typ, name: m[1], lang: m[2], meta: reflect.New(typ.metaType())}
	if !utf8.Valid(src) {
		ps.add(p, pos{1, 1}, "the file is not UTF-8 text: save it as UTF-8")
		return f
	}
	// Windows line ends are line ends; any other control character is a
	// problem, at its place, before anything is parsed.
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	if !controlFree(p, src, ps) {
		return f
	}
	fm, body, bodyLine, err := split(src)
	if err != nil {
		ps.add(p, pos{1, 1}, "%v", err)
		return f
	}
	if !scanLimits(p, fm, 2, body, bodyLine, ps) {
		return f
	}
	f.body, f.bodyLine, f.fm = body, bodyLine, fm
	f.at = positioner{src: body, line0: bodyLine}
	f.dec = &decoder{file: p, reg: l.reg, lang: f.lang, line0: 1, ps: ps, at: map[string]pos{}}
	before := len(ps.list)
	f.dec.decode(fm, f.meta.Interface())
	if len(ps.list) > before {
		return f
	}
	f.doc = l.document(f, ps)
	if f.doc != nil {
		f.pristine = *f.doc
	}
	return f
}

// document builds the Doc of a file whose front matter decoded cleanly.
func (l *loader) document(f *file, ps *problems) *Doc {
	c := *f.meta.Interface().(interface{ base() *commonMeta }).base()
	d := &Doc{
		Lang: f.lang, File: f.path, Title: c.Title, Summary: c.Summary,
		Draft: c.Draft, Publish: c.Publish, Expires: c.Expires,
		Published: c.Published, Updated: c.Published, meta: f.dec,
	}
	// "/stara/" and "/stara" are one address: the site answers the first
	// with a redirect to the second, which the alias must then be.
	for _, a := range c.Aliases {
		d.Aliases = append(d.Aliases, strings.TrimSuffix(a, "/"))
	}
	for _, ch := range c.Changes {
		d.Changes = append(d.Changes, Change(ch))
		if ch.Date.Compare(d.Updated) > 0 {
			d.Updated = ch.Date
		}
	}
	if c.ID != f.name {
		ps.add(f.path, f.dec.at["id"], "id %q does not match the file name: name the file %s.%s.md, or change the id to %q", c.ID, c.ID, f.lang, f.name)
	}
	l.checkDates(f, c, ps)
	context, easy := "", "" // easy: the easy-to-read summary
	if m, ok := f.meta.Interface().(*bodyMeta); ok {
		easy = m.EasySummary
	}
	if m, ok := f.meta.Interface().(*declarationMeta); ok {
		context, easy = m.Context, m.EasySummary
		if m.Language != "" {
			if t, err := language.Parse(m.Language); err != nil || strings.ToLower(t.String()) != m.Language {
				ps.add(f.path, f.dec.at["language"], "language %q is not a language tag: write it as BCP 47 has it, like pl, en or uk", m.Language)
			}
		}
	}
	if f.dec.authoritative() {
		d.SourceHash = SourceHash(c.Title, c.Summary, context, f.body, easy)
		d.Status = Original
		if c.TranslationOf != "" {
			ps.add(f.path, f.dec.at["translation_of"], "translation_of belongs in translations: this is the authoritative text")
		}
	} else {
		d.TranslationOf = c.TranslationOf
	}

	cite, easyPage := false, false
	switch m := f.meta.Interface().(type) {
	case *pageMeta:
		d.Slug, easyPage = m.Slug, m.EasyRead
	case *bodyMeta:
		d.Slug = m.Slug
	case *declarationMeta:
		cite = true
		d.TitleNote = m.TitleNote
		if m.Context != "" {
			r := l.md.render([]byte(m.Context), f.lang, false)
			d.ContextHTML, d.ContextText = r.HTML, r.Text
			at := f.dec.at["context"]
			for _, lk := range r.Links {
				d.links = append(d.links, located[mdLink]{V: lk, file: f.path, at: at})
			}
			for _, p := range r.Problems {
				ps.add(f.path, at, "context: %s", p.Msg)
			}
		}
	}
	r := l.md.render(f.body, f.lang, cite)
	d.HTML, d.Text, d.Paragraphs, d.anchors = r.HTML, r.Text, r.Paragraphs, r.Anchors
	for _, lk := range r.Links {
		d.links = append(d.links, located[mdLink]{V: lk, file: f.path, at: f.bodyPos(lk.Offset)})
	}
	for _, p := range r.Problems {
		ps.add(f.path, f.bodyPos(p.Offset), "%s", p.Msg)
	}
	l.easyRead(f, d, ps, easyPage, easy)
	return d
}

// SourceHash identifies a version of an authoritative text: the first 12
// hex digits of the SHA-256 of its title, summary, context, Markdown text
// and easy-to-read summary (easy_read_summary; a text without one hashes
// as before the field existed). A translation records the one it
// translates (translation_of).
func SourceHash(title, summary, context string, body []byte, easy string) string {
	h := sha256.New()
	for _, s := range []string{title, summary, context} {
		h.Write([]byte(strings.TrimSpace(s)))
		h.Write([]byte{0})
	}
	h.Write(bytes.TrimSpace(body))
	if easy = strings.TrimSpace(easy); easy != "" {
		h.Write([]byte("\x00" + easySummaryField + "\x00"))
		h.Write([]byte(easy))
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// bodyPos turns a byte offset of the Markdown body into a file position.
func (f *file) bodyPos(off int) pos { return f.at.pos(off) }

func (l *loader) checkDates(f *file, c commonMeta, ps *problems) {
	at := f.dec.at
	today := date.Of(l.opts.now())
	if c.Published.Compare(today) > 0 && c.Publish.IsZero() {
		ps.add(f.path, at["published"], "published (%s) is in the future: to publish the page later, set publish", c.Published)
	}
	prev := c.Published
	for i, ch := range c.Changes {
		p := fmt.Sprintf("changes.%d.date", i)
		switch {
		case ch.Date.Compare(c.Published) < 0:
			ps.add(f.path, at[p], "this change (%s) is dated before the page was published (%s)", ch.Date, c.Published)
		case ch.Date.Compare(prev) < 0:
			ps.add(f.path, at[p], "changes are listed oldest first: %s comes after %s", ch.Date, prev)
		case ch.Date.Compare(today) > 0:
			ps.add(f.path, at[p], "this change is dated in the future (%s)", ch.Date)
		}
		prev = ch.Date
	}
	if !c.Publish.IsZero() && !c.Expires.IsZero() && !c.Expires.After(c.Publish) {
		ps.add(f.path, at["expires"], "expires is not after publish: the page would never be visible")
	}
	for i, a := range c.Aliases {
		if !validPath(a) {
			ps.add(f.path, at[fmt.Sprintf("aliases.%d", i)], "alias %q is not a site path: write it from the root, like /stara-sciezka, without a domain, query or #", a)
		}
	}
}

var pathSegment = regexp.MustCompile(`^[a-z0-9]+(?:[-._][a-z0-9]+)*$`)

// validPath reports whether p is a clean site path: "/" and lowercase
// segments.
func validPath(p string) bool {
	if !strings.HasPrefix(p, "/") || p == "/" {
		return false
	}
	for s := range strings.SplitSeq(strings.TrimSuffix(p[1:], "/"), "/") {
		if !pathSegment.MatchString(s) {
			return false
		}
	}
	return true
}

// sortRecords orders s's records the way lists show them.
func sortRecords(s *Site) {
	slices.SortFunc(s.Pages, func(a, b *Page) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Bodies, func(a, b *Body) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Meetings, func(a, b *Meeting) int { return b.Date.From.Compare(a.Date.From) })
	slices.SortFunc(s.Declarations, func(a, b *Declaration) int { return b.Date.From.Compare(a.Date.From) })
}

// Version returns the version Load would give the content folder fsys
// (a hash of its content files) by reading the files without parsing
// them: a server whose database holds this version starts without
// loading the content again.
func Version(fsys fs.FS) (string, error) {
	folders := map[string]bool{}
	for _, t := range Types {
		folders[t.Folder()] = true
	}
	var paths []string
	err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(e.Name(), ".") && p != "." {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		top, _, nested := strings.Cut(p, "/")
		if e.IsDir() || !nested || !folders[top] {
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return "", err
	}
	// The files are hashed on all cores, each its own SHA-256, streamed
	// (a file of any size costs no memory here; Load refuses one over
	// MaxFileBytes); the version hashes those in file order, as Load does.
	type digest struct {
		size int64
		sum  [sha256.Size]byte
		err  error
	}
	sums := make([]digest, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fh := sha256.New()
			buf := make([]byte, 32<<10) // io.Copy would make one per file
			for i := range next {
				fh.Reset()
				sums[i].size, sums[i].err = hashOne(fsys, paths[i], fh, buf)
				fh.Sum(sums[i].sum[:0])
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	h := sha256.New()
	for i, p := range paths {
		if sums[i].err != nil {
			return "", sums[i].err
		}
		hashFile(h, p, sums[i].size, sums[i].sum)
	}
	if err := hashLanguages(h, fsys); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// hashOne copies the file p into h and returns its size in bytes.
func hashOne(fsys fs.FS, p string, h io.Writer, buf []byte) (int64, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.CopyBuffer(h, f, buf)
}
