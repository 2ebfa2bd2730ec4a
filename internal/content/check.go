package content

import (
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/krakow/wspolpraca/internal/urls"
)

// publishedFile lists every URL the site has ever published, one a line.
const publishedFile = "urls.txt"

// sectionLayouts are the layouts of which each language has exactly one page.
var sectionLayouts = []Layout{LayoutHome, LayoutBodies, LayoutMeetings, LayoutDeclarations, LayoutTimeline, LayoutSearch, LayoutData, LayoutChanges, LayoutAccessibility}

func (l *loader) check(s *Site) {
	s.docs = s.Docs() // the records are all there: listed once
	l.checkSections(s)
	l.assignPaths(s)
	byPath := l.checkPaths(s)
	s.NewURLs = l.checkRegistry(s, byPath)
	l.checkRefs(s)
	l.checkLinks(s, byPath)
	l.checkEasyReadPages(s)
}

func (l *loader) checkSections(s *Site) {
	for _, layout := range sectionLayouts {
		var found []*Page
		for _, p := range s.Pages {
			if p.Layout == layout {
				found = append(found, p)
			}
		}
		switch {
		case len(found) == 0 && l.brokenType[TypePage]:
			// a page whose front matter has problems may be the one
		case len(found) == 0:
			l.ps.add("pages", pos{1, 1}, "no page has layout: %s; the site needs one (for example pages/%s.%s.md, with its translations)", layout, layout, l.reg.Authoritative().Tag)
		case len(found) > 1:
			auth := l.reg.Authoritative().Tag
			for _, p := range found[1:] {
				d := p.Docs[auth]
				l.ps.add(d.File, d.meta.at["layout"], "layout %s is already used by %s: only one page can have it", layout, found[0].Docs[auth].File)
			}
		}
	}
}

// assignPaths gives every document its URL path.
func (l *loader) assignPaths(s *Site) {
	sectionPath := func(layout Layout, tag string) string {
		if p := s.Section(layout); p != nil && p.Docs[tag] != nil {
			return p.Docs[tag].Path
		}
		return urls.New(l.reg).Page(tag, string(layout))
	}
	for _, p := range s.Pages {
		for tag, d := range p.Docs {
			switch {
			case p.Layout == LayoutHome:
				d.Path = l.reg.Must(tag).Home()
			case d.Slug == "" && d.Fallback == "":
				l.ps.add(d.File, pos{1, 1}, "missing field \"slug\": every page but the home page needs its URL segment")
			default:
				if d.Fallback == "" {
					l.checkSlug(d)
				}
				d.Path = urls.New(l.reg).Page(tag, d.Slug)
			}
		}
	}
	for _, b := range s.Bodies {
		for _, d := range b.Docs {
			if d.Slug == "" {
				d.Slug = b.ID
			}
			if d.Fallback == "" {
				l.checkSlug(d)
			}
		}
	}
	for _, b := range s.Bodies {
		for lang, d := range b.Docs {
			d.Path = urls.Record(sectionPath(LayoutBodies, lang), d.Slug)
		}
	}
	for _, m := range s.Meetings {
		for lang, d := range m.Docs {
			d.Path = urls.Record(sectionPath(LayoutMeetings, lang), m.ID)
		}
	}
	for _, dc := range s.Declarations {
		for lang, d := range dc.Docs {
			d.Path = urls.Record(sectionPath(LayoutDeclarations, lang), dc.ID)
		}
	}
}

func (l *loader) checkSlug(d *Doc) {
	if !pathSegment.MatchString(d.Slug) || strings.ContainsAny(d.Slug, "._") {
		like := d.Slug
		if lg, ok := l.reg.Get(d.Lang); ok {
			like = lg.Translit.Latin(like)
		}
		l.ps.add(d.File, d.meta.at["slug"], "slug %q: use lowercase ASCII letters (no diacritics, Latin letters only), digits and hyphens, like %q", d.Slug, Slugify(like))
	}
}

// checkPaths refuses two documents at one URL and aliases that collide
// with a page or with each other. It returns the documents by path.
func (l *loader) checkPaths(s *Site) map[string]*Doc {
	byPath := map[string]*Doc{}
	for _, d := range s.Docs() {
		if d.Path == "" {
			continue
		}
		if prev := byPath[d.Path]; prev != nil {
			l.ps.add(d.File, d.meta.at["slug"], "the URL %s is already the address of %s: choose another slug", d.Path, prev.File)
			continue
		}
		if l.reservedPath(d.Path) {
			l.ps.add(d.File, d.meta.at["slug"], "the URL %s is an address the site itself uses: choose another slug", d.Path)
		}
		byPath[d.Path] = d
	}
	aliases := map[string]*Doc{}
	for _, d := range s.Docs() {
		for i, a := range d.Aliases {
			at := d.meta.at[fmt.Sprintf("aliases.%d", i)]
			switch {
			case byPath[a] != nil:
				l.ps.add(d.File, at, "alias %s is the current address of %s: an old URL cannot also be a live page", a, byPath[a].File)
			case aliases[a] == d:
				l.ps.add(d.File, at, "alias %s is listed twice: remove one", a)
			case aliases[a] != nil:
				l.ps.add(d.File, at, "alias %s is already an alias of %s: one old URL can lead to one page only", a, aliases[a].File)
			case l.reservedPath(a):
				l.ps.add(d.File, at, "alias %s is a path the site itself uses", a)
			}
			aliases[a] = d
		}
	}
	return byPath
}

// reservedPath reports whether p belongs to the program, not to content:
// a page there would never be reached.
func (l *loader) reservedPath(p string) bool {
	if l.scheme == nil {
		l.scheme = urls.New(l.reg)
	}
	return l.scheme.Reserved(p)
}

// checkRefs refuses references to records that do not exist or are of the
// wrong type.
func (l *loader) checkRefs(s *Site) {
	types := map[string]Type{}
	for _, r := range s.Records() {
		types[r.ID] = r.Type
	}
	auth := l.reg.Authoritative().Tag
	ref := func(r *Record, field, id string, want Type) {
		d := r.Docs[auth]
		at := d.meta.at[field]
		switch {
		case id == r.ID:
			l.ps.add(d.File, at, "%s: a record cannot refer to itself", field)
		case types[id] == "" && l.broken[id]:
			// reported already, in the file of that id
		case types[id] == "":
			msg := fmt.Sprintf("%s: there is no %s with id %q", field, want, id)
			if sug := suggest(id, idsOf(types, want)); sug != "" {
				msg += fmt.Sprintf(": did you mean %q?", sug)
			}
			l.ps.add(d.File, at, "%s", msg)
		case types[id] != want:
			l.ps.add(d.File, at, "%s: %q is a %s, not a %s", field, id, types[id], want)
		}
	}
	// A list naming one record twice says nothing more, and the database
	// keeps each relation once.
	refs := func(r *Record, field string, ids []string, want Type) {
		seen := map[string]bool{}
		for i, id := range ids {
			f := fmt.Sprintf("%s.%d", field, i)
			if seen[id] {
				l.ps.add(r.Docs[auth].File, r.Docs[auth].meta.at[f], "%s: %q is listed twice: remove one", field, id)
				continue
			}
			seen[id] = true
			ref(r, f, id, want)
		}
	}
	for _, b := range s.Bodies {
		if b.Parent != "" {
			ref(&b.Record, "parent", b.Parent, TypeBody)
		}
		if b.FoundedWith != "" {
			ref(&b.Record, "founded_in_connection_with", b.FoundedWith, TypeDeclaration)
		}
		refs(&b.Record, "supported_by", b.SupportedBy, TypeBody)
	}
	for _, m := range s.Meetings {
		ref(&m.Record, "body", m.Body, TypeBody)
	}
	for _, d := range s.Declarations {
		ref(&d.Record, "body", d.Body, TypeBody)
		refs(&d.Record, "refers_to", d.RefersTo, TypeDeclaration)
	}
}

func idsOf(types map[string]Type, want Type) []string {
	var ids []string
	for id, t := range types {
		if t == want {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// checkLinks refuses links to pages, anchors and images that do not exist.
func (l *loader) checkLinks(s *Site, byPath map[string]*Doc) {
	aliases := map[string]*Doc{}
	for _, d := range s.Docs() {
		for _, a := range d.Aliases {
			aliases[strings.TrimSuffix(a, "/")] = d
		}
	}
	perma := map[string]*Doc{}
	scheme := urls.New(l.reg)
	for _, r := range s.Records() {
		for tag, d := range r.Docs {
			if p := scheme.Permalink(r.Type.Permalink(), r.ID, tag); p != "" {
				perma[p] = d
			}
		}
	}
	for _, d := range s.Docs() {
		for _, lk := range d.links {
			if msg := l.linkProblem(d, lk.V, byPath, aliases, perma); msg != "" {
				l.ps.add(lk.file, lk.at, "%s", msg)
			}
		}
	}
}

func (l *loader) linkProblem(d *Doc, lk mdLink, byPath, aliases, perma map[string]*Doc) string {
	what := "link"
	if lk.Image {
		what = "image"
		if strings.TrimSpace(lk.Alt) == "" {
			return fmt.Sprintf("image %s has no alt text: describe it in the brackets, ![what it shows](%s)", lk.Dest, lk.Dest)
		}
	}
	u, err := url.Parse(lk.Dest)
	switch {
	case err != nil:
		return fmt.Sprintf("%s %q is not a valid address", what, lk.Dest)
	case u.Scheme == "http" || u.Scheme == "https":
		if lk.Image {
			return fmt.Sprintf("image %s is on another site: put it in static/img/ and write /static/img/…", lk.Dest)
		}
		return ""
	case u.Scheme == "mailto" || u.Scheme == "tel":
		return ""
	case u.Scheme != "" || u.Host != "":
		return fmt.Sprintf("%s %q: only https://, mailto: and site paths starting with / are allowed", what, lk.Dest)
	case u.Path == "" && u.Fragment != "":
		if !slices.Contains(d.anchors, u.Fragment) {
			return fmt.Sprintf("link to #%s: there is no such heading or paragraph on this page", u.Fragment)
		}
		return ""
	case !strings.HasPrefix(u.Path, "/"):
		return fmt.Sprintf("%s %q: write site links from the root, like /deklaracje/2021-stanowisko-afganistan", what, lk.Dest)
	case strings.HasPrefix(u.Path, urls.Static):
		if l.opts.Assets == nil {
			return ""
		}
		if _, err := fs.Stat(l.opts.Assets, strings.TrimPrefix(u.Path, urls.Static)); err != nil {
			return fmt.Sprintf("%s %s does not exist: static files live in static/", what, u.Path)
		}
		return ""
	case lk.Image:
		return fmt.Sprintf("image %s: images live in static/img/ and are written /static/img/…", lk.Dest)
	}
	p := u.Path
	if l.reg.OfPath(p).Home() != p {
		p = strings.TrimSuffix(p, "/")
	}
	target := byPath[p]
	if target == nil {
		target = perma[p]
	}
	switch {
	case target != nil:
		if u.Fragment != "" && !slices.Contains(target.anchors, u.Fragment) {
			return fmt.Sprintf("link to %s: %s has no heading or paragraph #%s", lk.Dest, target.File, u.Fragment)
		}
		if target.Draft && !d.Draft {
			return fmt.Sprintf("link to %s: %s is a draft, so the link would be broken on the live site", p, target.File)
		}
		if !target.Publish.IsZero() && (d.Publish.IsZero() || d.Publish.Before(target.Publish)) && target.Publish.After(l.opts.now()) {
			return fmt.Sprintf("link to %s: %s is published only from %s, later than this page", p, target.File, target.Publish.Format("2006-01-02 15:04"))
		}
		return ""
	case aliases[p] != nil:
		return fmt.Sprintf("link to %s, an old address: link to %s instead", p, aliases[p].Path)
	case urls.New(l.reg).Served(p):
		return ""
	}
	if l.broken[path.Base(p)] {
		return "" // the target's file has problems of its own, reported there
	}
	msg := fmt.Sprintf("link to %s: there is no such page", p)
	paths := make([]string, 0, len(byPath))
	for q := range byPath {
		paths = append(paths, q)
	}
	slices.Sort(paths)
	if sug := suggest(p, paths); sug != "" {
		msg += fmt.Sprintf(": did you mean %s?", sug)
	}
	return msg
}
