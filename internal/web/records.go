package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/middleware"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/templates"
)

// perPage is the length of a page of a list.
const perPage = 50

func (s *Server) serveHome(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	ctx, vis, db, lang := r.Context(), s.vis(), st(r), doc.Lang
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	v := templates.HomeView{PageView: templates.PageView{Meta: m, Doc: doc}}
	bodies, err := db.Bodies(ctx, lang, vis)
	if err != nil {
		return err
	}
	for _, b := range bodies {
		if content.PlatformKind(b.Kind) {
			v.Bodies = append(v.Bodies, b)
		}
	}
	if v.Declarations, _, err = db.Declarations(ctx, store.DeclarationFilter{Lang: lang, PerPage: 3, SkipTotal: true}, vis); err != nil {
		return err
	}
	if v.Meetings, _, err = db.Meetings(ctx, store.MeetingFilter{Lang: lang, PerPage: 3, SkipTotal: true}, vis); err != nil {
		return err
	}
	for _, sec := range []struct {
		dst    *store.Link
		layout content.Layout
	}{{&v.MeetingsPage, content.LayoutMeetings}, {&v.DeclarationsPage, content.LayoutDeclarations}, {&v.TimelinePage, content.LayoutTimeline}} {
		if *sec.dst, err = db.Section(ctx, sec.layout, lang, vis); err != nil {
			return err
		}
	}
	return s.render(w, r, templates.HomePage(v))
}

func (s *Server) serveBodies(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	bodies, err := st(r).Bodies(r.Context(), doc.Lang, s.vis())
	if err != nil {
		return err
	}
	return s.render(w, r, templates.BodiesPage(templates.BodiesView{PageView: templates.PageView{Meta: m, Doc: doc}, Bodies: bodies}))
}

// bodyListed is how many of its meetings and declarations a body's page
// lists; a link leads to the rest.
const bodyListed = 10

func (s *Server) serveBody(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	ctx, vis, db, lang := r.Context(), s.vis(), st(r), doc.Lang
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	v := templates.BodyView{PageView: templates.PageView{Meta: m, Doc: doc}}
	if v.Body, err = db.Body(ctx, doc.RecordID, lang, vis); err != nil {
		return err
	}
	// The newest ten of each, and a link to the list of them all.
	if v.Meetings, v.MeetingsTotal, err = db.Meetings(ctx, store.MeetingFilter{Lang: lang, Body: doc.RecordID, PerPage: bodyListed}, vis); err != nil {
		return err
	}
	if v.Declarations, v.DeclarationsTotal, err = db.Declarations(ctx, store.DeclarationFilter{Lang: lang, Body: doc.RecordID, PerPage: bodyListed}, vis); err != nil {
		return err
	}
	f, err := s.frameOf(r, lang)
	if err != nil {
		return err
	}
	q := "?" + listQuery(reg(r).Must(lang).Params, 1, doc.RecordID)
	if l, err := f.section(content.LayoutMeetings, lang); err == nil {
		v.MeetingsAll = l.Path + q
	}
	if l, err := f.section(content.LayoutDeclarations, lang); err == nil {
		v.DeclarationsAll = l.Path + q
	}
	v.Meta.JSONLD = s.ldBody(r, doc, v.Body)
	return s.render(w, r, templates.BodyPage(v))
}

func (s *Server) serveMeetings(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	l, err := readList(s, r, doc, "meetings", func(lang, body string, page int, skipTotal bool) ([]store.MeetingItem, int, error) {
		return st(r).Meetings(r.Context(), store.MeetingFilter{Lang: lang, Body: body, Page: page, PerPage: perPage, SkipTotal: skipTotal}, s.vis())
	})
	if err != nil {
		return err
	}
	return s.render(w, r, templates.MeetingsPage(templates.MeetingsView{PageView: templates.PageView{Meta: l.meta, Doc: doc}, Meetings: l.items, Pager: l.pager, Filter: l.filter}))
}

// list is a page of a paged list that may be filtered by body.
type list[T any] struct {
	meta   templates.Meta
	filter *templates.ListFilter
	items  []T
	pager  templates.Pager
}

// readList reads the page of a list the request asks for, with query;
// the list's total is counted once per content version and schedule
// period (listTotal), under name.
func readList[T any](s *Server, r *http.Request, doc *store.Doc, name string, query func(lang, body string, page int, skipTotal bool) ([]T, int, error)) (list[T], error) {
	var l list[T]
	page, err := pageParam(r, doc.Lang)
	if err != nil {
		return l, err
	}
	if l.meta, err = s.meta(r, doc); err != nil {
		return l, err
	}
	if l.filter, err = s.listFilter(r, doc); err != nil {
		return l, err
	}
	body := l.filter.BodyID()
	total, known, keep := s.listTotal(r, listKey(name, doc.Lang, body))
	items, n, err := query(doc.Lang, body, page, known)
	if err != nil {
		return l, err
	}
	if !known {
		total = n
		keep(n)
	}
	if l.pager, err = newPager(r, doc.Lang, page, total, body); err != nil {
		return l, err
	}
	l.items = items
	listMeta(&l.meta, reg(r), l.pager, l.filter)
	return l, nil
}

func (s *Server) serveMeeting(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	mt, err := st(r).Meeting(r.Context(), doc.RecordID, doc.Lang, s.vis())
	if err != nil {
		return err
	}
	v := templates.MeetingView{PageView: templates.PageView{Meta: m, Doc: doc}, Meeting: mt,
		Permalink: s.abs(scheme(r).Permalink(urls.MeetingPermalink, doc.RecordID, doc.Lang))}
	v.Meta.Permalink = v.Permalink
	v.Meta.JSONLD = s.ldMeeting(r, doc, mt)
	return s.render(w, r, templates.MeetingPage(v))
}

func (s *Server) serveDeclarations(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	l, err := readList(s, r, doc, "declarations", func(lang, body string, page int, skipTotal bool) ([]store.DeclarationItem, int, error) {
		return st(r).Declarations(r.Context(), store.DeclarationFilter{Lang: lang, Body: body, Page: page, PerPage: perPage, SkipTotal: skipTotal}, s.vis())
	})
	if err != nil {
		return err
	}
	return s.render(w, r, templates.DeclarationsPage(templates.DeclarationsView{PageView: templates.PageView{Meta: l.meta, Doc: doc}, Declarations: l.items, Pager: l.pager, Filter: l.filter}))
}

func (s *Server) serveDeclaration(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	d, err := st(r).Declaration(r.Context(), doc.RecordID, doc.Lang, s.vis())
	if err != nil {
		return err
	}
	v := templates.DeclarationView{PageView: templates.PageView{Meta: m, Doc: doc}, Declaration: d,
		Permalink: s.abs(scheme(r).Permalink(urls.DeclarationPermalink, doc.RecordID, doc.Lang))}
	v.Meta.OG.Type = "article"
	v.Meta.Permalink = v.Permalink
	v.Meta.JSONLD = s.ldDeclaration(r, doc, d, v.Permalink)
	if v.Meta.Citation, err = s.citation(r, doc, d); err != nil {
		return err
	}
	return s.render(w, r, templates.DeclarationPage(v))
}

// listKey names the total of a list in the cache: every page of a list
// shows it, and it is counted once per content version and schedule
// period.
func listKey(list, lang, body string) string { return list + "\x00" + lang + "\x00" + body }

// listTotal returns the total kept under key for the request's content
// version, if any, and the function that keeps one. (The preview keeps
// none: it is not cached.)
func (s *Server) listTotal(r *http.Request, key string) (int, bool, func(int)) {
	if s.cfg.Dev {
		return 0, false, func(int) {}
	}
	totals, period := &snap(r).totals, s.pages.Period(r)
	n, ok := totals.get(period, key)
	return n, ok, func(n int) { totals.put(period, key, n) }
}

// timelineLimit bounds the timeline page; a site with more dated records
// than this needs paging by year.
const timelineLimit = 2000

func (s *Server) serveTimeline(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	entries, err := st(r).Timeline(r.Context(), doc.Lang, s.vis(), timelineLimit)
	if err != nil {
		return err
	}
	v := templates.TimelineView{PageView: templates.PageView{Meta: m, Doc: doc}}
	for _, e := range entries {
		y := e.Date.Year()
		if n := len(v.Years); n == 0 || v.Years[n-1].Year != y {
			v.Years = append(v.Years, templates.TimelineYear{Year: y})
		}
		last := &v.Years[len(v.Years)-1]
		last.Entries = append(last.Entries, e)
	}
	return s.render(w, r, templates.TimelinePage(v))
}

// listParams declares and returns the parameters of a list page in lang:
// its page number and the body it is limited to.
func listParams(r *http.Request, lang string) url.Values {
	p := reg(r).Must(lang).Params
	return middleware.Params(r, p.Page, p.Body)
}

// pageParam reads the page number of a list: absent means 1; anything but
// a number from 1 up is a bad request.
func pageParam(r *http.Request, lang string) (int, error) {
	v := listParams(r, lang).Get(reg(r).Must(lang).Params.Page)
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || len(v) > 7 {
		return 0, errBadRequest
	}
	return n, nil
}

// newPager places page among the pages of total items; a page past the end
// does not exist.
func newPager(r *http.Request, lang string, page, total int, body string) (templates.Pager, error) {
	pages := max(1, (total+perPage-1)/perPage)
	if page > pages {
		return templates.Pager{}, errNotFound
	}
	p := templates.Pager{Page: page, Pages: pages}
	p2 := reg(r).Must(lang).Params
	link := func(n int) string {
		u := url.URL{Path: r.URL.Path, RawQuery: listQuery(p2, n, body)}
		return u.String()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p, nil
}

// listQuery is the query string of a list's page: its number after the
// first, and the body it is limited to, in a language's parameter names.
func listQuery(p lang.Params, page int, body string) string {
	q := url.Values{}
	if body != "" {
		q.Set(p.Body, body)
	}
	if page > 1 {
		q.Set(p.Page, strconv.Itoa(page))
	}
	return q.Encode()
}

// listFilter reads the body a list is limited to (?gremium=zmp,
// ?body=zmp); nil for none. A body that does not exist is a page that
// does not either.
func (s *Server) listFilter(r *http.Request, list *store.Doc) (*templates.ListFilter, error) {
	id := listParams(r, list.Lang).Get(reg(r).Must(list.Lang).Params.Body)
	if id == "" {
		return nil, nil
	}
	doc, err := s.bodyDoc(r, id, list.Lang)
	if err != nil {
		return nil, err
	}
	return &templates.ListFilter{ID: id, Body: store.Link{Path: doc.Path, Title: doc.Title, Lang: doc.TextLang()}, Clear: list.Path}, nil
}

// bodyDoc returns the visible page of body id in lang, or in the first
// language of lang's fallback chain that has one; errNotFound for anything
// else, a body not yet published included (its name must not show
// anywhere before it is).
func (s *Server) bodyDoc(r *http.Request, id, lang string) (*store.Doc, error) {
	ctx, vis, db := r.Context(), s.vis(), st(r)
	var doc *store.Doc
	err := store.ErrNotFound
	for _, tag := range reg(r).Chain(lang) {
		if doc, err = db.DocByID(ctx, id, tag, vis); !errors.Is(err, store.ErrNotFound) {
			break
		}
	}
	if errors.Is(err, store.ErrNotFound) || (err == nil && doc.Type != content.TypeBody) {
		return nil, errNotFound
	}
	return doc, err
}

// listMeta makes the layout of a list page limited to a body, or after the
// first, its own: the body and the page number in the title, a canonical
// link to itself (not to page 1, which would tell search engines to drop
// it) and the same page in the other language as the alternate and the
// language switch.
func listMeta(m *templates.Meta, rg *lang.Registry, p templates.Pager, f *templates.ListFilter) {
	body := f.BodyID()
	if p.Page <= 1 && body == "" {
		return
	}
	with := func(href, tag string) string { return href + "?" + listQuery(rg.Must(tag).Params, p.Page, body) }
	if f != nil {
		m.Title += ": " + f.Body.Title
	}
	if p.Page > 1 {
		m.Title += " (" + m.L.Page(p.Page, p.Pages) + ")"
	}
	m.Canonical = with(m.Canonical, m.Lang)
	for i, a := range m.Alternates {
		tag := a.Lang
		if tag == "x-default" {
			tag = m.Original
		}
		m.Alternates[i].Href = with(a.Href, tag)
	}
	for i, lg := range m.Langs {
		m.Langs[i].Href = with(lg.Href, lg.Tag)
	}
}

// historyLimit bounds the site's change history page.
const historyLimit = 500

func (s *Server) serveChanges(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	entries, err := st(r).History(r.Context(), doc.Lang, s.vis(), historyLimit)
	if err != nil {
		return err
	}
	return s.render(w, r, templates.ChangesPage(templates.ChangesView{PageView: templates.PageView{Meta: m, Doc: doc}, Entries: entries}))
}

func (s *Server) serveStatement(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	st, err := st(r).Statement(r.Context())
	if err != nil {
		return err
	}
	in := func(t content.Text) string { return t.In(reg(r), doc.Lang) }
	stv := templates.Statement{Entity: in(st.Entity), SitePublished: st.SitePublished, SiteUpdated: st.SiteUpdated, Status: st.Status,
		Prepared: st.Prepared, Reviewed: st.Reviewed, Method: in(st.Method), Contact: confirmed(st, "contact", in(st.Contact)), Email: confirmed(st, "email", st.Email), Phone: confirmed(st, "phone", st.Phone),
		Architecture: in(st.Architecture), Communication: in(st.Communication)}
	for _, p := range st.Problems {
		stv.Problems = append(stv.Problems, in(p))
	}
	pjm, err := s.signLanguageStatus(r, doc.Lang)
	if err != nil {
		return err
	}
	v := templates.StatementView{PageView: templates.PageView{Meta: m, Doc: doc}, Statement: stv, SiteURL: s.abs(scheme(r).Home(doc.Lang)), SignLanguage: pjm}
	return s.render(w, r, templates.StatementPage(v))
}

// confirmed returns value if the statement lists field (contact, email,
// phone) as confirmed by the City, else "": a contact detail nobody has
// confirmed is never published.
func confirmed(st *store.Statement, field, value string) string {
	if slices.Contains(st.Confirmed, field) {
		return value
	}
	return ""
}
