package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/fold"
	"github.com/krakow/wspolpraca/internal/search"
)

// Query is a search of the site's documents.
type Query struct {
	Text    string       // as typed; read in each language searched (search.Parse)
	Lang    string       // a language tag, or "" for every language
	Type    content.Type // or "" for all
	Body    string       // a body's id, or ""
	Year    int          // 0 for all
	Page    int          // 1-based
	PerPage int
}

// Hit is a document that matched a query.
type Hit struct {
	Item
	Type     content.Type
	BodyID   string
	BodyAbbr string
	Date     date.Range
	Title    []search.Segment // the title, matches marked
	Snippet  []search.Segment // text around the first match, matches marked
}

// Results is a page of hits and how many there are in all.
type Results struct {
	Hits  []Hit
	Total int  // documents found; with More, at least this many
	More  bool // more matched than were ranked or counted
}

// ErrSearchTooBroad is returned by Search when a query does not finish
// within SearchTimeout: its words are too common together.
var ErrSearchTooBroad = errors.New("search too broad")

// SearchTimeout bounds the time a search may take, whatever its words:
// SQLite is interrupted then. Ordinary searches take 1–15 ms on 200,000
// documents (BenchmarkSearch100k); what the limits of package search do
// not bound (a phrase of six very common words that seldom meet) is
// stopped here instead of holding a core.
const SearchTimeout = 80 * time.Millisecond

// Search limits. A query ranks at most Candidates documents by bm25, the
// newest matching (index order); it counts matches up to CountLimit.
const (
	Candidates = 300
	CountLimit = 1000
	// expansions is how many indexed words a stem may stand for, the
	// commonest first.
	expansions = 20
	// bm25Budget bounds the cost of bm25: to weigh a word it counts every
	// document holding it, so a query whose words are in more documents
	// than this (summed) is ranked by where it matched instead.
	bm25Budget = 5000
)

// bm25 weights of the index columns: a match in a title outranks one in a
// summary, which outranks one in the text; facets do not count.
const weights = "10.0, 4.0, 1.0, 0.0"

// candidate is a matching document and where it sorts: by tier, then score
// (lower first).
type candidate struct {
	id, lang string
	tier     int
	score    float64
}

// Search returns one page of the visible documents matching q, best first.
//
// Documents are ranked with bm25, a title match above a summary match above
// one in the text, among the Candidates newest that match. A query of very
// common words (more than bm25Budget documents) is ranked by where it
// matched instead — title, then summary, then text — newest first: the
// work per query stays bounded whatever the size of the site.
func (s *Store) Search(ctx context.Context, q Query, vis Visibility) (res Results, err error) {
	// Not the words searched for: the logs keep no visitor's searches.
	defer wrap(&err, "Search(lang %q, type %q, body %q, year %d, page %d)", q.Lang, q.Type, q.Body, q.Year, q.Page)
	ctx, cancel := context.WithTimeoutCause(ctx, SearchTimeout, ErrSearchTooBroad)
	defer cancel()
	defer func() {
		if err != nil && context.Cause(ctx) == ErrSearchTooBroad {
			res, err = Results{}, ErrSearchTooBroad
		}
	}()
	return s.search(ctx, q, vis)
}

func (s *Store) search(ctx context.Context, q Query, vis Visibility) (Results, error) {
	langs := s.reg.Tags()
	if q.Lang != "" {
		langs = []string{q.Lang}
	}
	terms := map[string][]search.Term{}
	for _, lang := range langs {
		terms[lang] = search.Parse(q.Text, s.reg.Must(lang))
	}
	limit, offset := paging(q.Page, q.PerPage)
	var res Results
	var cands []candidate
	// One way of ranking for both languages, so that their results sort
	// together: tiers if either needs them.
	matches := map[string]match{}
	tiers := false
	for _, lang := range langs {
		m, err := s.matchExpr(ctx, lang, q, terms[lang])
		if err != nil {
			return Results{}, fmt.Errorf("matching in %s: %w", lang, err)
		}
		matches[lang] = m
		tiers = tiers || m.postings > bm25Budget
	}
	for _, lang := range langs {
		m := matches[lang]
		if m.expr == "" {
			continue
		}
		var found []candidate
		var total int
		var more bool
		var err error
		if !tiers {
			found, total, more, err = s.rankBM25(ctx, lang, m.expr, vis)
		} else {
			found, total, more, err = s.rankTiers(ctx, lang, m, terms[lang], vis, offset+limit)
		}
		if err != nil {
			return Results{}, fmt.Errorf("ranking in %s: %w", lang, err)
		}
		cands = append(cands, found...)
		res.Total += total
		res.More = res.More || more
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].tier != cands[j].tier {
			return cands[i].tier < cands[j].tier
		}
		return cands[i].score < cands[j].score
	})
	if offset >= len(cands) {
		return res, nil
	}
	var err error
	res.Hits, err = s.hits(ctx, cands[offset:min(len(cands), offset+limit)], terms)
	return res, err
}

// table returns the search index of lang (a tag of the registry, which
// content.Load checked: letters, digits and hyphens).
func (s *Store) table(lang string) string { return searchTable(s.reg.Must(lang).Tag) }

// visibleMatches selects, newest first, at most limit visible documents
// matching expr in the index of lang, with the columns given, and returns
// the query's arguments for expr and limit. Hidden documents (drafts,
// scheduled, expired) are left out before the limit, not after it: a
// page of results is full, and nothing hidden shows through.
func (s *Store) visibleMatches(lang, columns string, vis Visibility) (string, func(expr string, limit int) []any) {
	t := s.table(lang)
	if !s.hidden {
		// Every document is visible: the index alone, then the ids of
		// the few it returns.
		q := `WITH c AS (SELECT rowid` + columns + ` FROM ` + t + ` WHERE ` + t + ` MATCH ? ORDER BY rowid DESC LIMIT ?)
			SELECT sd.record_id, sd.lang, c.* FROM c JOIN search_docs sd ON sd.rowid = c.rowid ORDER BY c.rowid DESC`
		return q, func(expr string, limit int) []any { return []any{expr, limit} }
	}
	cond, args := vis.where("sd")
	// CROSS JOIN: the index is read first, newest first, and stops at
	// the limit.
	q := `SELECT sd.record_id, sd.lang, ` + t + `.rowid` + columns + ` FROM ` + t + ` CROSS JOIN search_docs sd ON sd.rowid = ` + t + `.rowid
		WHERE ` + t + ` MATCH ? AND ` + cond + ` ORDER BY ` + t + `.rowid DESC LIMIT ?`
	return q, func(expr string, limit int) []any { return append(append([]any{expr}, args...), limit) }
}

// rankBM25 ranks the Candidates newest documents matching expr by bm25.
func (s *Store) rankBM25(ctx context.Context, lang, expr string, vis Visibility) ([]candidate, int, bool, error) {
	q, args := s.visibleMatches(lang, ", bm25("+s.table(lang)+", "+weights+") AS rank", vis)
	// One more than ranked, to know whether there are more.
	rows, err := s.query(ctx, q, args(expr, Candidates+1)...)
	if err != nil {
		return nil, 0, false, err
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		var rowid int64
		if err := rows.Scan(&c.id, &c.lang, &rowid, &c.score); err != nil {
			return nil, 0, false, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, false, err
	}
	// Only the Candidates newest are ranked, so only they are counted
	// and paged through: "more than 300", and a narrower search for the
	// rest.
	if len(out) > Candidates {
		return out[:Candidates], Candidates, true, nil
	}
	return out, len(out), false, nil
}

// rankTiers finds the first n documents matching m: title matches, then
// summary matches, then text matches, newest first in each.
//
// When fewer than Candidates documents match, one pass over the index
// finds them all and their titles and summaries place them. Otherwise each
// tier is a query of its own, read only as far as needed (which is not far:
// the words are common), and the total is counted up to CountLimit.
func (s *Store) rankTiers(ctx context.Context, lang string, m match, terms []search.Term, vis Visibility, n int) ([]candidate, int, bool, error) {
	words := "(" + m.any + ")"
	tiers := []string{
		m.expr + " AND {title} : " + words,
		m.expr + " AND {summary} : " + words + " NOT {title} : " + words,
		m.expr + " NOT {title summary} : " + words,
	}
	var out []candidate
	for tier, expr := range tiers {
		if len(out) >= n {
			break
		}
		found, err := s.matches(ctx, lang, expr, tier+1, vis, n-len(out))
		if err != nil {
			return nil, 0, false, err
		}
		out = append(out, found...)
	}
	total, err := s.count(ctx, lang, m.expr, vis)
	return out, min(total, CountLimit), total > CountLimit, err
}

// matches returns the newest visible documents matching expr, at most
// limit, in the given tier, scored by age.
func (s *Store) matches(ctx context.Context, lang, expr string, tier int, vis Visibility, limit int) ([]candidate, error) {
	q, args := s.visibleMatches(lang, "", vis)
	rows, err := s.query(ctx, q, args(expr, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		c := candidate{tier: tier}
		var rowid int64
		if err := rows.Scan(&c.id, &c.lang, &rowid); err != nil {
			return nil, err
		}
		c.score = -float64(rowid)
		out = append(out, c)
	}
	return out, rows.Err()
}

// count counts the visible documents matching expr, up to CountLimit+1.
func (s *Store) count(ctx context.Context, lang, expr string, vis Visibility) (int, error) {
	var n int
	if !s.hidden {
		t := s.table(lang)
		err := s.queryRow(ctx, `SELECT count(*) FROM (SELECT rowid FROM `+t+` WHERE `+t+` MATCH ? LIMIT ?)`, expr, CountLimit+1).Scan(&n)
		return n, err
	}
	q, args := s.visibleMatches(lang, "", vis)
	err := s.queryRow(ctx, `SELECT count(*) FROM (`+q+`)`, args(expr, CountLimit+1)...).Scan(&n)
	return n, err
}

// match is the FTS5 query of a search in one language.
type match struct {
	expr     string // the whole query: words and filters; "" if a word matches nothing
	any      string // the words joined by OR, for the tiers of rankTiers
	postings int    // documents holding the query's words, summed: the cost of bm25
}

// matchExpr builds the FTS5 query of q for the index of lang: every word
// stands for the indexed words starting with its stem, and the filters are
// words of the facets column. Every word is quoted: nothing a visitor types
// is FTS5 syntax.
func (s *Store) matchExpr(ctx context.Context, lang string, q Query, terms []search.Term) (match, error) {
	var m match
	var parts []string
	for _, t := range terms {
		var words []string
		switch {
		case t.Phrase:
			words = []string{strings.Join(t.Words, " ")}
		case len([]rune(t.Words[0])) <= 2:
			words = t.Words
		default:
			var docs int
			var err error
			if words, docs, err = s.expand(ctx, lang, search.Stem(t.Words[0], s.reg.Must(lang)), t.Words[0]); err != nil || len(words) == 0 {
				return match{}, err // a word found nowhere: nothing matches
			}
			m.postings += docs
		}
		if t.Phrase || len(words) == 1 && len([]rune(words[0])) <= 2 {
			n, err := s.docFrequency(ctx, lang, words[0])
			if err != nil {
				return match{}, err
			}
			m.postings += n
		}
		parts = append(parts, "("+strings.Join(quoteAll(words), " OR ")+")")
	}
	if len(parts) == 0 {
		return match{}, nil
	}
	m.expr = "{title summary body} : (" + strings.Join(parts, " AND ") + ")"
	m.any = strings.Join(parts, " OR ")
	var facets []string
	if q.Type != "" {
		facets = append(facets, "t"+string(q.Type))
	}
	if q.Body != "" || q.Year != 0 {
		facets = append(facets, strings.Fields(FacetTokens("", q.Body, q.Year))[1:]...)
	}
	if len(facets) > 0 {
		m.expr += " AND facets : (" + strings.Join(quoteAll(facets), " AND ") + ")"
	}
	return m, nil
}

// docFrequency returns how many documents of lang hold word (for a
// phrase, its rarest word).
func (s *Store) docFrequency(ctx context.Context, lang, word string) (int, error) {
	least := -1
	for _, w := range strings.Fields(word) {
		var n int
		err := s.queryRow(ctx, "SELECT docs FROM terms WHERE lang = ? AND term = ?", lang, w).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		if least < 0 || n < least {
			least = n
		}
	}
	return max(least, 0), nil
}

// expand returns the commonest indexed words of lang starting with stem,
// the word typed first if it is one of them, and in how many documents
// they are, summed. (Without it first, the word typed could fall outside
// the commonest and not be found.)
func (s *Store) expand(ctx context.Context, lang, stem, word string) ([]string, int, error) {
	rows, err := s.query(ctx, "SELECT term, docs FROM terms WHERE lang = ? AND term >= ? AND term < ? ORDER BY term = ? DESC, docs DESC LIMIT ?",
		lang, stem, stem+"\U0010FFFF", word, expansions)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []string
	total := 0
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, 0, err
		}
		out = append(out, t)
		total += n
	}
	return out, total, rows.Err()
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = quote(s)
	}
	return out
}

// hits reads what the results show: their pages, facets and snippets. A
// snippet is cut from the text only when the title and summary do not
// already show a match, as the text is long to read.
func (s *Store) hits(ctx context.Context, cands []candidate, terms map[string][]search.Term) ([]Hit, error) {
	keys := make([][2]string, len(cands))
	for i, c := range cands {
		keys[i] = [2]string{c.id, c.lang}
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, fmt.Errorf("search hits: %w", err)
	}
	rows, err := s.query(ctx, `SELECT d.record_id, d.path, d.title, d.summary, d.lang, d.updated, f.type, f.body_id, coalesce(b.abbr, ''), f.date
		FROM json_each(?) k JOIN docs d ON d.record_id = k.value ->> 0 AND d.lang = k.value ->> 1
		JOIN facets f ON f.record_id = d.record_id LEFT JOIN bodies b ON b.id = f.body_id ORDER BY k.key`, string(list))
	if err != nil {
		return nil, fmt.Errorf("search hits: %w", err)
	}
	defer rows.Close()
	var out []Hit
	for rows.Next() {
		var h Hit
		var updated, when string
		if err := rows.Scan(&h.ID, &h.Path, &h.Item.Title, &h.Summary, &h.Lang, &updated, &h.Type, &h.BodyID, &h.BodyAbbr, &when); err != nil {
			return nil, fmt.Errorf("search hits: %w", err)
		}
		if h.Updated, err = storedDate(docKey(h.ID, h.Lang), "docs.updated", updated); err != nil {
			return nil, err
		}
		if when != "" {
			if h.Date, err = date.ParseRange(when); err != nil {
				return nil, badValue(h.ID, "facets.date", err)
			}
		}
		lg := s.reg.Must(h.Lang)
		h.Title = search.Highlight(h.Item.Title, terms[h.Lang], lg)
		h.Snippet = search.Highlight(h.Summary, terms[h.Lang], lg)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search hits: %w", err)
	}
	for i := range out {
		if marked(out[i].Title) || marked(out[i].Snippet) {
			continue
		}
		var text string
		if err := s.queryRow(ctx, "SELECT context_text || char(10) || text FROM doc_texts WHERE record_id = ? AND lang = ?", out[i].ID, out[i].Lang).Scan(&text); err != nil {
			return nil, fmt.Errorf("snippet of %s: %w", docKey(out[i].ID, out[i].Lang), err)
		}
		if snip := search.Snippet(text, terms[out[i].Lang], 30, s.reg.Must(out[i].Lang)); marked(snip) {
			out[i].Snippet = snip
		}
	}
	return out, nil
}

func marked(segs []search.Segment) bool {
	return slices.ContainsFunc(segs, func(s search.Segment) bool { return s.Mark })
}

// Suggest returns, for the words of terms, the indexed words spelled most
// nearly like them ("uchodzcuw" → "uchodźców"), most common first: the
// "did you mean" of a search without results.
func (s *Store) Suggest(ctx context.Context, text, lang string, vis Visibility) (out []string, err error) {
	defer wrap(&err, "Suggest(lang %q)", lang) // not the words: see Search
	terms := search.Parse(text, s.reg.Must(lang))
	ctx, cancel := context.WithTimeoutCause(ctx, SearchTimeout, ErrSearchTooBroad)
	defer cancel()
	defer func() {
		if err != nil && context.Cause(ctx) == ErrSearchTooBroad {
			out, err = nil, nil // no suggestion in time: none
		}
	}()
	for _, t := range terms {
		if t.Phrase || len([]rune(t.Words[0])) < 4 {
			continue
		}
		w := t.Words[0]
		// A word visible texts hold is spelled as they spell it: the
		// search found nothing for another reason (its filters, its other
		// words), and a word spelled otherwise would not be what was meant.
		// (A word only hidden texts hold is not known: what they say
		// must not show, even as a missing suggestion.)
		stem := search.Stem(w, s.reg.Must(lang))
		known, err := s.knownWord(ctx, lang, stem, vis)
		if err != nil {
			return nil, err
		}
		if known {
			continue
		}
		first := []rune(w)[0]
		rows, err := s.query(ctx, `SELECT term, docs FROM terms WHERE lang = ? AND term >= ? AND term < ? AND length(term) BETWEEN ? AND ?`,
			lang, string(first), string(first+1), len([]rune(w))-2, len([]rune(w))+2)
		if err != nil {
			return nil, err
		}
		best, bestDist, bestDocs := "", 3, 0
		for rows.Next() {
			var term string
			var docs int
			if err := rows.Scan(&term, &docs); err != nil {
				rows.Close()
				return nil, err
			}
			if strings.HasPrefix(term, stem) {
				continue // it would have matched
			}
			if d := distance(w, term); d < bestDist || (d == bestDist && docs > bestDocs) {
				best, bestDist, bestDocs = term, d, docs
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
		if best == "" {
			continue
		}
		// A word only hidden documents hold (a draft, an embargoed text)
		// is not suggested: it would give them away.
		if spelled, ok := s.spelling(ctx, lang, best, vis); ok {
			out = append(out, spelled)
		}
	}
	return out, nil
}

// knownWord reports whether a visible document in lang holds a word that
// begins with stem (as a search for it would match).
func (s *Store) knownWord(ctx context.Context, lang, stem string, vis Visibility) (bool, error) {
	rows, err := s.query(ctx, `SELECT term FROM terms WHERE lang = ? AND term >= ? AND term < ? ORDER BY docs DESC LIMIT 5`,
		lang, stem, stem+"\U0010FFFF")
	if err != nil {
		return false, err
	}
	var terms []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return false, err
		}
		terms = append(terms, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	for _, t := range terms {
		if _, ok := s.spelling(ctx, lang, t, vis); ok {
			return true, nil
		}
	}
	return false, nil
}

// spelling returns a folded indexed word as the visible texts spell it
// ("uchodzcow" → "uchodźców"), or the word itself; false if no visible
// document holds it.
func (s *Store) spelling(ctx context.Context, lang, term string, vis Visibility) (string, bool) {
	var title, summary, body string
	t := s.table(lang)
	cond, args := vis.where("sd")
	err := s.queryRow(ctx, `SELECT d.title, d.summary, t.context_text || char(10) || t.text FROM `+t+` x
		CROSS JOIN search_docs sd ON sd.rowid = x.rowid JOIN docs d ON d.record_id = sd.record_id AND d.lang = sd.lang
		JOIN doc_texts t ON t.record_id = d.record_id AND t.lang = d.lang
		WHERE `+t+` MATCH ? AND `+cond+` LIMIT 1`, append([]any{quote(term)}, args...)...).Scan(&title, &summary, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false
	}
	if err != nil {
		return term, true
	}
	for _, text := range []string{title, summary, body} {
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if fold.String(w) == term {
				return strings.ToLower(w), true
			}
		}
	}
	return term, true
}

// distance is the edit distance of two words.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// SearchIndexSize returns the bytes of the full-text indexes.
func (s *Store) SearchIndexSize(ctx context.Context) (_ int64, err error) {
	defer wrap(&err, "SearchIndexSize")
	// Every language's index, not a fixed list: the languages are data.
	var sums []string
	for _, tag := range s.reg.Tags() {
		sums = append(sums, "(SELECT coalesce(sum(length(block)), 0) FROM "+s.table(tag)+"_data)")
	}
	var n int64
	err = s.queryRow(ctx, "SELECT "+strings.Join(sums, " + ")).Scan(&n)
	return n, err
}
