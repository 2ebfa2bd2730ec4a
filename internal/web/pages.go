package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/fold"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/templates"
)

// handlePage serves every content page by its path: the home pages, free
// pages, section lists and records. An old URL listed as an alias answers
// 301 to the page's current URL.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return errMethodNotAllowed
	}
	p := r.URL.Path
	if !utf8.ValidString(p) {
		return errBadRequest
	}
	if done, err := s.canonical(w, r); done || err != nil {
		return err
	}
	if f, page, ok := urls.CitationOf(p); ok {
		return s.serveCitation(w, r, f, page)
	}
	doc, err := st(r).DocByPath(r.Context(), p, s.vis())
	if errors.Is(err, store.ErrNotFound) {
		return s.redirectOld(w, r, p)
	}
	if err != nil {
		return err
	}
	// The word of the paragraph links' labels, in the language of the
	// text they are in.
	doc.HTML = content.LabelParagraphs(doc.HTML, labels(r, doc.TextLang()).Paragraph)
	return s.serveDoc(w, r, doc)
}

// canonical redirects (or refuses) a path not written as the site writes
// it, and reports whether it answered.
func (s *Server) canonical(w http.ResponseWriter, r *http.Request) (bool, error) {
	p := r.URL.Path
	// An address is answered only as it is written canonically: a slash
	// written %2F is part of a segment, so no page of the site is there
	// (RFC 3986 §2.2); any other needless escape (%2D for "-") redirects
	// to the address as the site writes it.
	if raw := r.URL.RawPath; raw != "" {
		if strings.Contains(strings.ToLower(raw), "%2f") {
			return true, errNotFound
		}
		if (&url.URL{Path: p}).EscapedPath() != raw {
			// Escaped as the site escapes, where a page is (a redirect
			// never leads to a 404).
			if _, err := st(r).DocByPath(r.Context(), p, s.vis()); err == nil {
				return true, redirect(w, r, p)
			}
			return true, errNotFound
		}
	}
	// Slashes doubled in a copied address ("//deklaracje",
	// "/en//declarations"): the address with one, where it leads.
	// Doubled slashes in a copied address ("//deklaracje",
	// "/en//declarations") and a trailing one ("/deklaracje/"): the
	// address without them, only where there is something to see (a
	// redirect never leads to a 404); an old or capitalised address goes
	// straight to where it leads ("/EN/" → "/en/").
	single := p
	for strings.Contains(single, "//") {
		single = strings.ReplaceAll(single, "//", "/")
	}
	lg := reg(r).OfPath(single)
	if lg.Prefix != "" && single == lg.Prefix {
		return true, redirect(w, r, lg.Home()) // "/en" → "/en/"
	}
	if single != lg.Home() {
		single = strings.TrimSuffix(single, "/")
	}
	if single == p {
		return false, nil
	}
	if single == lg.Home() {
		return true, redirect(w, r, single)
	}
	if target, ok := s.leadsTo(r, single); ok {
		return true, redirect(w, r, target)
	}
	return true, s.redirectOld(w, r, single)
}

// leadsTo returns where p, a path without a trailing slash, leads when
// the site has something there: p itself for a page, its citation file, a
// feed or a calendar, a fixed route of the router (open data lists, the
// sitemap, the catalogue) or a static file that exists; a permanent link's
// page, so that a redirect to it is one hop. False when p would be a 404
// (a redirect never leads to one): an unknown id, a missing file.
func (s *Server) leadsTo(r *http.Request, p string) (string, bool) {
	ctx, db, vis := r.Context(), st(r), s.vis()
	if _, err := db.DocByPath(ctx, p, vis); err == nil {
		return p, true
	}
	if _, page, ok := urls.CitationOf(p); ok {
		if doc, err := db.DocByPath(ctx, page, vis); err == nil && doc.Type == content.TypeDeclaration {
			return p, true
		}
	}
	if rt, ok := scheme(r).Parse(p); ok {
		switch rt.Kind {
		case urls.DeclarationPermalink, urls.MeetingPermalink, urls.BodyCalendar:
			want := map[urls.Kind]content.Type{urls.DeclarationPermalink: content.TypeDeclaration,
				urls.MeetingPermalink: content.TypeMeeting, urls.BodyCalendar: content.TypeBody}[rt.Kind]
			doc, err := db.DocByID(ctx, rt.ID, rt.Lang.Tag, vis)
			if err != nil || doc.Type != want {
				return "", false
			}
			if rt.Kind == urls.BodyCalendar {
				return p, true
			}
			return doc.Path, true
		}
		return p, true
	}
	if s.mux == nil {
		return "", false
	}
	switch pattern := s.mux.Find(chi.NewRouteContext(), http.MethodGet, p); {
	case pattern == "" || strings.Contains(pattern, "{"):
		return "", false // none, or a record's address: its id may be unknown
	case strings.HasSuffix(pattern, "*"):
		// Static files (and share images): only one that is served.
		return p, s.assets.Load().has(p)
	}
	return p, true
}

// serveDoc serves a content page by its record type, or, for a free page
// or section, its layout.
func (s *Server) serveDoc(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	switch doc.Type {
	case content.TypeBody:
		return s.serveBody(w, r, doc)
	case content.TypeMeeting:
		return s.serveMeeting(w, r, doc)
	case content.TypeDeclaration:
		return s.serveDeclaration(w, r, doc)
	}
	switch doc.Layout {
	case content.LayoutHome:
		return s.serveHome(w, r, doc)
	case content.LayoutBodies:
		return s.serveBodies(w, r, doc)
	case content.LayoutMeetings:
		return s.serveMeetings(w, r, doc)
	case content.LayoutDeclarations:
		return s.serveDeclarations(w, r, doc)
	case content.LayoutTimeline:
		return s.serveTimeline(w, r, doc)
	case content.LayoutData:
		return s.serveData(w, r, doc)
	case content.LayoutChanges:
		return s.serveChanges(w, r, doc)
	case content.LayoutSearch:
		return s.serveSearch(w, r, doc)
	case content.LayoutAccessibility:
		return s.serveStatement(w, r, doc)
	case content.LayoutReuse:
		return s.serveReuse(w, r, doc)
	}
	return s.serveText(w, r, doc)
}

// redirectOld answers 301 for an old URL (an alias), a URL written in
// capitals or with the Polish letters its slug folds ("/łatwy-tekst"), and
// a language's home page in capitals ("/EN"); 410 for a withdrawn page;
// and 404 for anything else.
func (s *Server) redirectOld(w http.ResponseWriter, r *http.Request, p string) error {
	ctx, vis, db := r.Context(), s.vis(), st(r)
	target, err := db.Alias(ctx, p, vis)
	if err == nil {
		return redirect(w, r, target)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if at, err := db.Withdrawn(ctx, p, vis); err == nil {
		return errGone{at}
	}
	// The address typed in capitals ("/Deklaracje") or with the Polish
	// letters its ASCII slug leaves out ("/łatwy-tekst").
	lower := strings.ToLower(p)
	for _, alt := range []string{lower, fold.String(p)} {
		if alt == p {
			continue
		}
		if _, err := db.DocByPath(ctx, alt, vis); err == nil {
			return redirect(w, r, alt)
		}
	}
	// A language's home page in capitals: "/EN", "/Uk".
	if lg := reg(r).OfPath(lower); lower != p && lg.Prefix != "" && lower == lg.Prefix {
		return redirect(w, r, lg.Home())
	}
	return errNotFound
}

// servePermalink answers 301 from a short permanent link, /d/{id} or
// /m/{id}, to the record's current page in lang.
func (s *Server) servePermalink(w http.ResponseWriter, r *http.Request, typ content.Type, id, lang string) error {
	doc, err := st(r).DocByID(r.Context(), id, lang, s.vis())
	if err != nil {
		return err
	}
	if doc.Type != typ {
		return errNotFound
	}
	return redirect(w, r, doc.Path)
}

// redirect answers 301 to target, a path of this site, keeping the query
// string. A target a browser would read as another host ("//evil.example",
// "/\evil.example", or "/\t/evil.example", as browsers drop tabs and line
// breaks from URLs) is refused: 404, never an open redirect. The path is
// sent escaped.
func redirect(w http.ResponseWriter, r *http.Request, target string) error {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/\\") ||
		strings.ContainsFunc(target, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
		return errNotFound
	}
	target = (&url.URL{Path: target}).EscapedPath()
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return nil
}

// render writes a page: rendered into a buffer first, so that a failure
// becomes a clean error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, c templ.Component) error {
	return s.renderStatus(w, r, http.StatusOK, c)
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
	return nil
}

// meta builds what the layout needs for doc: menus, breadcrumbs, language
// versions and navigation, canonical link, translation notice.
func (s *Server) meta(r *http.Request, doc *store.Doc) (templates.Meta, error) {
	lang, rg := doc.Lang, reg(r)
	l := labels(r, lang)
	m := templates.Meta{
		L: l, Lang: lang, Original: rg.Authoritative().Tag, Title: doc.Title, Description: doc.Summary, Path: doc.Path,
		Home: scheme(r).Home(lang), Canonical: s.abs(doc.Path), Updated: doc.Updated, Published: doc.Published, Changes: doc.Changes,
		CSS: s.assets.Load().cssPath, Draft: doc.Draft, Dev: s.cfg.Dev,
		// Record pages show their dates in their own record section.
		HideUpdated: doc.Type == content.TypeMeeting || doc.Type == content.TypeDeclaration,
		OG:          templates.OpenGraph{Type: "website", Locale: rg.Must(lang).OGLocale, Image: s.shareImage(doc, l)},
		Feeds:       s.feeds(r, doc),
	}
	f, err := s.frameOf(r, lang)
	if err != nil {
		return m, err
	}
	m.Menu, m.Footer = f.menu, f.footer
	search, err := f.section(content.LayoutSearch, lang)
	if err != nil {
		return m, err
	}
	m.SearchPath = search.Path
	if statement, err := f.section(content.LayoutAccessibility, lang); err == nil {
		m.Statement = s.abs(statement.Path)
	}
	if doc.Layout != content.LayoutHome {
		home, err := f.section(content.LayoutHome, lang)
		if err != nil {
			return m, err
		}
		home.Title = l.Home
		m.Crumbs = append(m.Crumbs, home)
	}
	if section := doc.Type.Section(); section != "" {
		sec, err := f.section(section, lang)
		if err != nil {
			return m, err
		}
		m.Crumbs = append(m.Crumbs, sec)
	}
	versions(&m, s, rg, doc)
	return m, nil
}

// versions fills in what meta says of a page's languages: the language
// navigation (the page in every language: its translation, or the page
// showing its fallback's text), the hreflang alternates (only texts of
// their own, with x-default the original), the Open Graph locales, and the
// notice of a translation or a page shown in another language.
func versions(m *templates.Meta, s *Server, rg *lang.Registry, doc *store.Doc) {
	orig := m.Original
	byLang := map[string]store.Page{}
	for _, p := range doc.Pages {
		byLang[p.Lang] = p
	}
	for _, p := range doc.Pages {
		m.Langs = append(m.Langs, templates.LangLink{Tag: p.Lang, Name: rg.Must(p.Lang).Name, Href: p.Path, Current: p.Lang == doc.Lang})
	}
	if doc.Fallback != "" {
		// Another language's text: not an alternate of it, and its
		// canonical address is that text's own page.
		src := byLang[doc.Fallback]
		m.TextLang = doc.Fallback
		m.NoIndex = true
		m.OG.Locale = rg.Must(doc.Fallback).OGLocale // what a preview shows is that text
		if src.Path != "" {
			m.Canonical = s.abs(src.Path)
		}
		m.Notice = &templates.TranslationNotice{Fallback: true, OriginalName: m.L.LanguageName(doc.Fallback),
			Original: templates.Alternate{Lang: doc.Fallback, Href: src.Path}}
		return
	}
	m.Alternates = append(m.Alternates, templates.Alternate{Lang: doc.Lang, Href: s.abs(doc.Path)})
	for _, a := range doc.Alternates {
		m.Alternates = append(m.Alternates, templates.Alternate{Lang: a.Lang, Href: s.abs(a.Path)})
	}
	if len(m.Alternates) > 1 {
		def := m.Alternates[0].Href
		for _, a := range m.Alternates {
			if a.Lang == orig {
				def = a.Href
			}
		}
		m.Alternates = append(m.Alternates, templates.Alternate{Lang: "x-default", Href: def})
	}
	for _, a := range doc.Alternates {
		if loc := rg.Must(a.Lang).OGLocale; loc != "" {
			m.OG.LocaleAlt = append(m.OG.LocaleAlt, loc)
		}
	}
	if doc.Lang != orig {
		n := &templates.TranslationNotice{OriginalName: m.L.LanguageName(orig),
			Original: templates.Alternate{Lang: orig, Href: byLang[orig].Path}, Quotes: doc.Type == content.TypeDeclaration}
		if doc.Status == content.Outdated {
			n.Outdated = doc.SourceUpdated
		}
		m.Notice = n
	}
}

// feeds lists the data, feeds and downloads of a page, for <link
// rel="alternate">: every format is announced on the pages it belongs to.
func (s *Server) feeds(r *http.Request, doc *store.Doc) []templates.Feed {
	lang, id, sc, l := doc.Lang, doc.RecordID, scheme(r), labels(r, doc.Lang)
	atom := templates.Feed{Type: "application/atom+xml", Href: sc.Feed(lang), Title: l.SiteName}
	ics := templates.Feed{Type: "text/calendar", Href: sc.Calendar(lang, ""), Title: l.Meetings}
	json := func(t content.Type) templates.Feed {
		return templates.Feed{Type: "application/json", Href: urls.DataList(t.Folder(), urls.JSON), Title: "JSON"}
	}
	csv := func(t content.Type) templates.Feed {
		return templates.Feed{Type: "text/csv", Href: urls.DataList(t.Folder(), urls.CSV), Title: "CSV"}
	}
	record := templates.Feed{Type: "application/json", Href: urls.DataRecord(doc.Type.Folder(), id), Title: "JSON"}
	switch doc.Type {
	case content.TypeDeclaration:
		fs := []templates.Feed{record}
		for _, c := range urls.Citations {
			fs = append(fs, templates.Feed{Type: strings.Split(c.MediaType, ";")[0], Href: doc.Path + c.Ext, Title: c.Name})
		}
		return fs
	case content.TypeMeeting:
		return []templates.Feed{record, ics}
	case content.TypeBody:
		return []templates.Feed{record, {Type: "text/calendar", Href: sc.Calendar(lang, id), Title: doc.Title}}
	}
	switch doc.Layout {
	case content.LayoutHome:
		return []templates.Feed{atom}
	case content.LayoutDeclarations:
		return []templates.Feed{json(content.TypeDeclaration), csv(content.TypeDeclaration), atom}
	case content.LayoutMeetings:
		return []templates.Feed{json(content.TypeMeeting), csv(content.TypeMeeting), ics, atom}
	case content.LayoutBodies:
		return []templates.Feed{json(content.TypeBody)}
	case content.LayoutTimeline:
		return []templates.Feed{atom, ics}
	}
	return nil
}

// abs returns the absolute URL of path p.
func (s *Server) abs(p string) string {
	return s.cfg.BaseURL + (&url.URL{Path: p}).EscapedPath()
}
