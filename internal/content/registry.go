package content

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// The URL registry, content/urls.txt, lists every address the site has ever
// published, one a line, sorted; lines starting with # are comments. It is
// only ever added to (site urls does that), and the check refuses content
// in which a recorded address no longer answers: a page whose URL changes
// must list its old URL under aliases, and the old URL then answers 301.

// registered is a recorded URL and the line it is on.
type registered struct {
	path string
	line int
}

// readRegistry reads urls.txt.
// registryRead is urls.txt as read: its URLs and the problems found in
// it. A Loader keeps it while the file is unchanged.
type registryRead struct {
	list     []registered
	ok       bool
	problems Problems
}

// registry returns the URLs of urls.txt, read once per load (or once for
// the loads of a Loader while it does not change), and adds its problems.
func (l *loader) registry() ([]registered, bool) {
	if l.urls == nil {
		before := len(l.ps.list)
		list, ok := l.readRegistry()
		l.urls = &registryRead{list: list, ok: ok, problems: slices.Clone(l.ps.list[before:])}
		return list, ok
	}
	l.ps.list = append(l.ps.list, l.urls.problems...)
	return l.urls.list, l.urls.ok
}

func (l *loader) readRegistry() ([]registered, bool) {
	src, err := fs.ReadFile(l.fsys, publishedFile)
	if err != nil {
		if !l.opts.RecordURLs {
			l.ps.add(publishedFile, pos{1, 1}, "the URL registry is missing: run `make urls` to create it, and commit it")
		}
		return nil, false
	}
	var out []registered
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if l.reg.OfPath(line).Home() != line && !validPath(line) {
			l.ps.add(publishedFile, pos{n, 1}, "%q is not a site path", line)
			continue
		}
		out = append(out, registered{path: line, line: n})
	}
	return out, true
}

// checkRegistry refuses content in which a recorded URL no longer answers,
// and (unless recording) public URLs that are not recorded yet. It returns
// the public URLs missing from the registry.
func (l *loader) checkRegistry(s *Site, byPath map[string]*Doc) []string {
	reg, ok := l.registry()
	aliases := map[string]bool{}
	for _, d := range s.Docs() {
		for _, a := range d.Aliases {
			aliases[strings.TrimSuffix(a, "/")] = true
		}
	}
	recorded := map[string]bool{}
	for _, r := range reg {
		recorded[r.path] = true
		d := byPath[r.path]
		switch {
		case d == nil && !aliases[r.path] && l.broken[path.Base(r.path)]:
			// the page's own file has problems, reported there
		case d == nil && !aliases[r.path]:
			l.ps.add(publishedFile, pos{r.line, 1}, "%s was published and no page answers it any more: add it to the aliases of the page that replaced it, so that it answers 301", r.path)
		case d != nil && d.Draft:
			l.ps.add(d.File, d.meta.at["draft"], "this page was published at %s (%s:%d): it cannot become a draft; to withdraw it, set expires", r.path, publishedFile, r.line)
		}
	}
	// A page scheduled for later is recorded now, like any other: were it
	// recorded only once live, content that passed the check would fail
	// it at the publish time, and every reload after would be refused.
	var missing []string
	for _, d := range s.Docs() {
		if d.Path == "" || d.Draft || recorded[d.Path] {
			continue
		}
		missing = append(missing, d.Path)
		if ok && !l.opts.RecordURLs {
			l.ps.add(d.File, pos{1, 1}, "the address %s is not in %s yet: run `make urls` to record it (a recorded address must answer for ever)", d.Path, publishedFile)
		}
	}
	slices.Sort(missing)
	return missing
}

// Registry returns the new content of urls.txt: the recorded URLs and the
// new ones, sorted, one a line.
func Registry(fsys fs.FS, add []string) []byte {
	seen := map[string]bool{}
	var lines []string
	if src, err := fs.ReadFile(fsys, publishedFile); err == nil {
		for line := range strings.SplitSeq(string(src), "\n") {
			line = strings.TrimSpace(line)
			if line != "" && !strings.HasPrefix(line, "#") && !seen[line] {
				seen[line] = true
				lines = append(lines, line)
			}
		}
	}
	for _, p := range add {
		if !seen[p] {
			seen[p] = true
			lines = append(lines, p)
		}
	}
	slices.Sort(lines)
	var b bytes.Buffer
	b.WriteString("# Every address this site has published. Add only: `make urls` records new ones.\n")
	b.WriteString("# A recorded address must always answer; when a page moves, list its old address under aliases.\n")
	for _, l := range lines {
		fmt.Fprintln(&b, l)
	}
	return b.Bytes()
}
