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

	"github.com/krakow/wspolpraca/internal/search"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/templates"
)

// searchPerPage is the number of results a page shows.
const searchPerPage = 10

// maxSearchPage is the last page of results there can be: results are
// ranked and counted up to store.CountLimit.
const maxSearchPage = store.CountLimit / searchPerPage

// searchParams names the search parameters in each language; the JSON
// API uses the English names.
var searchParams = map[string]templates.SearchParams{
	"pl": {Query: "q", Type: "typ", Body: "gremium", Year: "rok", Lang: "jezyk", Page: "strona", All: "wszystkie",
		Types: map[string]string{"strona": "page", "gremium": "body", "posiedzenie": "meeting", "deklaracja": "declaration"}},
	"en": {Query: "q", Type: "type", Body: "body", Year: "year", Lang: "lang", Page: "page", All: "all",
		Types: map[string]string{"page": "page", "body": "body", "meeting": "meeting", "declaration": "declaration"}},
}

// errSearch is a search the server cannot run, with what to tell the
// visitor (templates.Labels field names).
type errSearch struct{ msg string }

func (e errSearch) Error() string { return "bad search: " + e.msg }

// parseSearch reads a search from the query string of r, in the parameter
// names of lang. Bad input is an errSearch, never a 500.
func (s *Server) parseSearch(r *http.Request, lang string) (store.Query, string, error) {
	p := searchParams[lang]
	v := searchForm(r, lang)
	raw := v.Get(p.Query)
	q := store.Query{Lang: lang, PerPage: searchPerPage, Page: 1}
	switch {
	case !utf8.ValidString(raw):
		return q, "", errSearch{"SearchInvalid"}
	case utf8.RuneCountInString(raw) > search.MaxLength:
		return q, raw, errSearch{"SearchTooLong"}
	}
	q.Terms = search.Parse(raw)
	if search.LongPhrase(q.Terms) {
		return q, raw, errSearch{"SearchPhraseTooLong"}
	}
	if t := v.Get(p.Type); t != "" {
		if q.Type = p.Types[t]; q.Type == "" {
			return q, raw, errSearch{"SearchBadFilter"}
		}
	}
	if b := v.Get(p.Body); b != "" {
		if _, err := s.bodyDoc(r, b, lang); err != nil {
			return q, raw, errSearch{"SearchBadFilter"}
		}
		q.Body = b
	}
	if y := v.Get(p.Year); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1000 || n > 9999 {
			return q, raw, errSearch{"SearchBadFilter"}
		}
		q.Year = n
	}
	switch l := v.Get(p.Lang); l {
	case "":
	case p.All:
		q.Lang = ""
	case "pl", "en":
		q.Lang = l
	default:
		return q, raw, errSearch{"SearchBadFilter"}
	}
	if pg := v.Get(p.Page); pg != "" {
		n, err := strconv.Atoi(pg)
		if err != nil || n < 1 || len(pg) > 7 {
			return q, raw, errSearch{"SearchBadPage"}
		}
		// Results are ranked and counted up to store.CountLimit: no page
		// lies past them.
		if n > maxSearchPage {
			return q, raw, errSearch{"SearchPageTooFar"}
		}
		q.Page = n
	}
	return q, raw, nil
}

// searchForm declares and returns the search parameters of r in the
// names of lang.
func searchForm(r *http.Request, lang string) url.Values {
	p := searchParams[lang]
	return params(r, p.Query, p.Type, p.Body, p.Year, p.Lang, p.Page)
}

// serveSearch serves the search page: the form, and the results of the
// query in the URL, if any.
func (s *Server) serveSearch(w http.ResponseWriter, r *http.Request, doc *store.Doc) error {
	m, err := s.meta(r, doc)
	if err != nil {
		return err
	}
	form := searchForm(r, doc.Lang)
	m.NoIndex = len(form) > 0
	if len(form) > 0 {
		// Results are neither cached here nor by anyone on the way: each
		// search is counted against its visitor's limit.
		w.Header().Set("Cache-Control", "no-store")
		if err := s.limitSearch(w, r); err != nil {
			return err
		}
	}
	lang := doc.Lang
	v := templates.SearchView{PageView: templates.PageView{Meta: m, Doc: doc}, Params: searchParams[lang]}
	v.Bodies, err = st(r).Bodies(r.Context(), lang, s.vis())
	if err != nil {
		return err
	}
	q, raw, err := s.parseSearch(r, lang)
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
	case len(q.Terms) == 0:
		v.Problem = "SearchNoWords"
	default:
		release, err := s.searchSlot()
		if err != nil {
			return err
		}
		defer release()
		v.Searched = true
		v.Results, err = st(r).Search(r.Context(), q, s.vis())
		if errors.Is(err, store.ErrSearchTooBroad) {
			v.Searched, v.Problem, status = false, "SearchTooBroad", http.StatusBadRequest
			break
		}
		if err != nil {
			return err
		}
		if v.Results.Total == 0 {
			if v.Suggestions, err = st(r).Suggest(r.Context(), q.Terms, lang, s.vis()); err != nil {
				return err
			}
		}
		pages := max(1, (v.Results.Total+searchPerPage-1)/searchPerPage)
		v.Pager = templates.Pager{Page: q.Page, Pages: pages}
		if q.Page > 1 {
			v.Pager.Prev = pageLink(r.URL.Path, form, searchParams[lang].Page, q.Page-1)
		}
		if q.Page < pages {
			v.Pager.Next = pageLink(r.URL.Path, form, searchParams[lang].Page, q.Page+1)
		}
		v.PastEnd = q.Page > pages
	}
	v.Meta.Title = searchTitle(templates.L(lang), doc.Title, raw, v.Searched)
	return s.renderStatus(w, r, status, templates.SearchPage(v))
}

func searchTitle(l *templates.Labels, title, raw string, searched bool) string {
	if !searched {
		return title
	}
	return l.SearchResultsFor + " „" + strings.TrimSpace(raw) + "”"
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
	ID      string  `json:"id"`
	Type    string  `json:"type"`
	Lang    string  `json:"lang"`
	Title   string  `json:"title"`
	URL     string  `json:"url"`
	Date    *string `json:"date"`
	Body    *string `json:"body"`
	Snippet string  `json:"snippet"`
}

// handleSearchAPI serves /api/v1/search.json: the results of a search as
// JSON, with the English parameter names.
func (s *Server) handleSearchAPI(w http.ResponseWriter, r *http.Request) error {
	if err := s.limitSearch(w, r); err != nil {
		return err
	}
	q, raw, err := s.parseSearch(r, "en")
	var bad errSearch
	if errors.As(err, &bad) {
		return writeJSONError(w, r, http.StatusBadRequest, templates.L("en").Message(bad.msg))
	}
	if err != nil {
		return err
	}
	if searchForm(r, "en").Get("lang") == "" {
		q.Lang = "" // the API searches both languages unless told
	}
	res := store.Results{}
	if len(q.Terms) > 0 {
		release, err := s.searchSlot()
		if err != nil {
			return err
		}
		defer release()
		res, err = st(r).Search(r.Context(), q, s.vis())
		if errors.Is(err, store.ErrSearchTooBroad) {
			return writeJSONError(w, r, http.StatusBadRequest, templates.L("en").Message("SearchTooBroad"))
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

// writeJSONError answers an API request with status and a message.
func writeJSONError(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"error": msg})
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
