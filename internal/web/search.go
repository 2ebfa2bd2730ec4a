package web

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/httprate"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/middleware"
	"github.com/krakow/wspolpraca/internal/search"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/templates"
)

// searchPerPage is the number of results a page shows.
const searchPerPage = 10

// maxSearchPage is the last page of results there can be: results are
// ranked and counted up to store.CountLimit.
const maxSearchPage = store.CountLimit / searchPerPage

// apiParams are the search API's parameter names, the same whatever the
// language searched; its type filter takes the record types themselves.
var apiParams = lang.Params{Query: "q", Type: "type", Body: "body", Year: "year", Lang: "lang", Page: "page", All: "all"}

// searchForm describes the search form of a page: its parameter names
// and the values of its type filter.
type searchForm struct {
	params lang.Params
	types  []lang.Value
	lang   string // the language searched first
}

// formOf returns the search form of the pages of lang, or the API's
// (api true).
func formOf(r *http.Request, tag string, api bool) searchForm {
	if api {
		var types []lang.Value
		for _, t := range content.Types {
			types = append(types, lang.Value{Param: string(t), Value: string(t)})
		}
		return searchForm{apiParams, types, tag}
	}
	l := reg(r).Must(tag)
	return searchForm{l.Params, l.SearchTypes, tag}
}

// errSearch is a search the server cannot run, with what to tell the
// visitor (templates.Labels field names).
type errSearch struct{ msg catalog.SearchProblem }

func (e errSearch) Error() string { return "bad search: " + string(e.msg) }

// parseSearch reads a search from the query string of r, in the parameter
// names of lang. Bad input is an errSearch, never a 500.
func (s *Server) parseSearch(r *http.Request, f searchForm) (store.Query, string, error) {
	p := f.params
	v := f.values(r)
	raw := v.Get(p.Query)
	q := store.Query{Text: raw, Lang: f.lang, PerPage: searchPerPage, Page: 1}
	switch {
	case !utf8.ValidString(raw):
		return q, "", errSearch{catalog.SearchInvalid}
	case utf8.RuneCountInString(raw) > search.MaxLength:
		return q, raw, errSearch{catalog.SearchTooLong}
	}
	if search.LongPhrase(search.Parse(raw, reg(r).Must(f.lang))) {
		return q, raw, errSearch{catalog.SearchPhraseTooLong}
	}
	if t := v.Get(p.Type); t != "" {
		for _, tv := range f.types {
			if tv.Param == t {
				q.Type = content.Type(tv.Value)
			}
		}
		if q.Type == "" {
			return q, raw, errSearch{catalog.SearchBadFilter}
		}
	}
	if b := v.Get(p.Body); b != "" {
		if _, err := s.bodyDoc(r, b, f.lang); err != nil {
			return q, raw, errSearch{catalog.SearchBadFilter}
		}
		q.Body = b
	}
	if y := v.Get(p.Year); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1000 || n > 9999 {
			return q, raw, errSearch{catalog.SearchBadFilter}
		}
		q.Year = n
	}
	switch l := v.Get(p.Lang); {
	case l == "":
	case l == p.All:
		q.Lang = ""
	default:
		if _, ok := reg(r).Get(l); !ok {
			return q, raw, errSearch{catalog.SearchBadFilter}
		}
		q.Lang = l
	}
	if pg := v.Get(p.Page); pg != "" {
		n, err := strconv.Atoi(pg)
		if err != nil || n < 1 || len(pg) > 7 {
			return q, raw, errSearch{catalog.SearchBadPage}
		}
		// Results are ranked and counted up to store.CountLimit: no page
		// lies past them.
		if n > maxSearchPage {
			return q, raw, errSearch{catalog.SearchPageTooFar}
		}
		q.Page = n
	}
	return q, raw, nil
}

// translateSearch writes a search of the form from in the parameter names
// and type values of the form to: the same search, from another language's
// page.
func translateSearch(v url.Values, from, to searchForm) url.Values {
	out := url.Values{}
	set := func(name, value string) {
		if value != "" {
			out.Set(name, value)
		}
	}
	set(to.params.Query, v.Get(from.params.Query))
	if t := v.Get(from.params.Type); t != "" {
		for _, fv := range from.types {
			if fv.Param == t {
				for _, tv := range to.types {
					if tv.Value == fv.Value {
						set(to.params.Type, tv.Param)
					}
				}
			}
		}
	}
	set(to.params.Body, v.Get(from.params.Body))
	set(to.params.Year, v.Get(from.params.Year))
	if l := v.Get(from.params.Lang); l == from.params.All {
		set(to.params.Lang, to.params.All)
	} else {
		set(to.params.Lang, l)
	}
	set(to.params.Page, v.Get(from.params.Page))
	return out
}

// values declares and returns the form's parameters of r.
func (f searchForm) values(r *http.Request) url.Values {
	p := f.params
	return middleware.Params(r, p.Query, p.Type, p.Body, p.Year, p.Lang, p.Page)
}

// serveSearch serves the search page: the form, and the results of the
// query in the URL, if any.
func (s *Server) serveSearch(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	sf := formOf(r, doc.Lang, false)
	form := sf.values(r)
	m.NoIndex = len(form) > 0
	if len(form) > 0 {
		// Results are made for the visitor, not translated: no notice of
		// a translation; each language's link searches the same there.
		m.Notice = nil
		for i, ll := range m.Langs {
			if q := translateSearch(form, sf, formOf(r, ll.Tag, false)).Encode(); q != "" {
				m.Langs[i].Href = ll.Href + "?" + q
			}
		}
		// Results are neither cached here nor by anyone on the way: each
		// search is counted against its visitor's limit.
		w.Header().Set("Cache-Control", "no-store")
		if err := s.limitSearch(w, r); err != nil {
			return err
		}
	}
	v := templates.SearchView{PageView: templates.PageView{Meta: m, Doc: doc}, Params: sf.params, Types: sf.types, Languages: reg(r).All()}
	v.Bodies, err = st(r).Bodies(r.Context(), doc.Lang, s.vis())
	if err != nil {
		return err
	}
	q, raw, err := s.parseSearch(r, sf)
	v.Raw = raw
	v.Form = form
	status := http.StatusOK
	var bad errSearch
	switch {
	case errors.As(err, &bad):
		v.Problem, status = bad.msg, http.StatusBadRequest
	case err != nil:
		return err
	case strings.TrimSpace(raw) == "":
		// The form alone.
	case len(search.Parse(raw, reg(r).Must(doc.Lang))) == 0:
		v.Problem = catalog.SearchNoWords
	default:
		release, err := s.searchSlot()
		if err != nil {
			return err
		}
		defer release()
		if status, err = s.results(r, &v, q, sf); err != nil {
			return err
		}
	}
	v.Meta.Title = searchTitle(v.Meta.L, doc.Title, raw, v.Searched)
	v.Meta.Error = v.Problem != ""
	return s.renderStatus(w, r, status, templates.SearchPage(v))
}

func searchTitle(l *catalog.Labels, title, raw string, searched bool) string {
	if !searched {
		return title
	}
	return catalog.Fill(l.SearchResultsFor, "query", l.Quote(strings.TrimSpace(raw)))
}

// pageLink is the search at path with its form and the page set to n.
func pageLink(path string, form url.Values, name string, n int) string {
	v := url.Values{}
	for k, vs := range form {
		v[k] = vs
	}
	if n > 1 {
		v.Set(name, strconv.Itoa(n))
	} else {
		v.Del(name)
	}
	return (&url.URL{Path: path, RawQuery: v.Encode()}).String()
}

// apiSearchHit is a search result in the JSON API.
type apiSearchHit struct {
	ID      string       `json:"id"`
	Type    content.Type `json:"type"`
	Lang    string       `json:"lang"`
	Title   string       `json:"title"`
	URL     string       `json:"url"`
	Date    *string      `json:"date"`
	Body    *string      `json:"body"`
	Snippet string       `json:"snippet"`
}

// results runs search q for the search page v, with its pager, or a
// suggestion when nothing is found, and returns the page's status.
func (s *Server) results(r *http.Request, v *templates.SearchView, q store.Query, sf searchForm) (int, error) {
	var err error
	v.Searched = true
	v.Results, err = st(r).Search(r.Context(), q, s.vis())
	if errors.Is(err, store.ErrSearchTooBroad) {
		v.Searched, v.Problem = false, catalog.SearchTooBroad
		return http.StatusBadRequest, nil
	}
	if err != nil {
		return 0, err
	}
	if v.Results.Total == 0 {
		if v.Suggestions, err = st(r).Suggest(r.Context(), v.Raw, sf.lang, s.vis()); err != nil {
			return 0, err
		}
		v.Narrowed = q.Type != "" || q.Body != "" || q.Year != 0 || (q.Lang != "" && q.Lang != sf.lang)
	}
	pages := max(1, (v.Results.Total+searchPerPage-1)/searchPerPage)
	v.Pager = templates.Pager{Page: q.Page, Pages: pages}
	if q.Page > 1 {
		v.Pager.Prev = pageLink(r.URL.Path, v.Form, sf.params.Page, min(q.Page-1, pages))
	}
	if q.Page < pages {
		v.Pager.Next = pageLink(r.URL.Path, v.Form, sf.params.Page, q.Page+1)
	}
	// A page of results past the last is not there, as a list's is not
	// (404); it says so and links to the first, and its "previous" link
	// leads to the last page, not to another empty one.
	if v.PastEnd = q.Page > pages && v.Results.Total > 0; v.PastEnd {
		return http.StatusNotFound, nil
	}
	return http.StatusOK, nil
}

// handleSearchAPI serves /api/v1/search.json: the results of a search as
// JSON, with the English parameter names.
func (s *Server) handleSearchAPI(w http.ResponseWriter, r *http.Request) error {
	if err := s.limitSearch(w, r); err != nil {
		return err
	}
	auth := reg(r).Authoritative().Tag
	sf := formOf(r, auth, true)
	q, raw, err := s.parseSearch(r, sf)
	// The API's messages are in the language searched (lang), else in
	// the authoritative one, with the key for programs.
	msgLang := auth
	if l, ok := reg(r).Get(sf.values(r).Get(apiParams.Lang)); ok {
		msgLang = l.Tag
	}
	var bad errSearch
	if errors.As(err, &bad) {
		return writeJSONError(w, r, http.StatusBadRequest, string(bad.msg), labels(r, msgLang).Problem(bad.msg))
	}
	if err != nil {
		return err
	}
	if sf.values(r).Get(apiParams.Lang) == "" {
		q.Lang = "" // the API searches every language unless told
	}
	res := store.Results{}
	if len(search.Parse(raw, reg(r).Must(msgLang))) > 0 {
		release, err := s.searchSlot()
		if err != nil {
			return err
		}
		defer release()
		res, err = st(r).Search(r.Context(), q, s.vis())
		if errors.Is(err, store.ErrSearchTooBroad) {
			return writeJSONError(w, r, http.StatusBadRequest, string(catalog.SearchTooBroad), labels(r, msgLang).Problem(catalog.SearchTooBroad))
		}
		if err != nil {
			return err
		}
	}
	hits := []apiSearchHit{}
	for _, h := range res.Hits {
		var snippet strings.Builder
		for _, seg := range h.Snippet {
			snippet.WriteString(seg.Text)
		}
		hits = append(hits, apiSearchHit{ID: h.ID, Type: h.Type, Lang: h.Lang, Title: h.Item.Title, URL: s.abs(h.Path),
			Date: nullable(h.Date.String()), Body: nullable(h.BodyID), Snippet: snippet.String()})
	}
	return writeJSON(w, r, map[string]any{"query": raw, "total": res.Total, "more": res.More, "page": q.Page, "per_page": searchPerPage, "results": hits})
}

// writeJSONError answers an API request with status, the key of its
// problem (stable, for programs) and a message (for people).
func writeJSONError(w http.ResponseWriter, r *http.Request, status int, key, msg string) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"error": msg, "code": key})
	if r.Method != http.MethodHead {
		w.Write(append(b, '\n'))
	}
	return nil
}

// searchSlot takes one of the places for a search running now, and returns
// the function that frees it; when all are taken it answers at once with
// 503 and Retry-After (errBusy), rather than queueing searches behind each
// other while pages wait for the cores.
func (s *Server) searchSlot() (func(), error) {
	select {
	case s.searches <- struct{}{}:
		return func() { <-s.searches }, nil
	default:
		return nil, errBusy
	}
}

// newSearchLimiter limits searches to limit a minute from one client.
func newSearchLimiter(limit int) *httprate.RateLimiter {
	return httprate.NewRateLimiter(limit, time.Minute)
}

// limitSearch counts a search against its client's limit; over the limit,
// it returns errTooManyRequests, which answers 429 with a friendly page.
func (s *Server) limitSearch(w http.ResponseWriter, r *http.Request) error {
	if s.searchLimit.OnLimit(w, r, s.clientIP(r)) {
		return errTooManyRequests
	}
	return nil
}

// clientIP returns the address of the client that sent r: the last valid
// address in the ClientIPHeader, if configured (the one the nearest proxy
// added), else the connection's; IPv6 addresses by their /64 (one
// household or host has a whole /64), with any zone ("fe80::1%eth0")
// dropped, so neither a new interface identifier nor a zone makes a new
// client.
func (s *Server) clientIP(r *http.Request) string {
	if h := s.cfg.ClientIPHeader; h != "" {
		if vs := r.Header.Values(h); len(vs) > 0 {
			v := vs[len(vs)-1]
			if i := strings.LastIndexByte(v, ','); i >= 0 {
				v = v[i+1:]
			}
			if ip, ok := parseClientAddr(strings.TrimSpace(v)); ok {
				return ip
			}
		}
	}
	if ip, ok := parseClientAddr(r.RemoteAddr); ok {
		return ip
	}
	return r.RemoteAddr
}

// parseClientAddr reads an address ("203.0.113.7", "203.0.113.7:5678",
// "[2001:db8::1]:443", "fe80::1%eth0") as the limiter's key.
func parseClientAddr(v string) (string, bool) {
	if host, _, err := net.SplitHostPort(v); err == nil {
		v = host
	}
	ip, err := netip.ParseAddr(v)
	if err != nil {
		return "", false
	}
	return httprate.CanonicalizeIP(ip.WithZone("").Unmap().String()), true
}
