package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
)

// PageFacts are the facts a page carries besides its text (content's
// pagefacts.go), kept as JSON in pages.facts.
type PageFacts struct {
	SignVideo *content.SignVideo    `json:",omitempty"`
	Reuse     *content.Reuse        `json:",omitempty"`
	Catalog   *content.CatalogFacts `json:",omitempty"`
}

// pageFacts returns the JSON of p's facts, or nil (NULL) when it has none.
func pageFacts(p *content.Page) any {
	if p.SignVideo == nil && p.Reuse == nil && p.Catalog == nil {
		return nil
	}
	b, err := json.Marshal(PageFacts{SignVideo: p.SignVideo, Reuse: p.Reuse, Catalog: p.Catalog})
	if err != nil {
		panic(err) // plain structs of strings and numbers
	}
	return string(b)
}

// PageFacts returns the facts of page id; none (not an error) for a page
// without.
func (s *Store) PageFacts(ctx context.Context, id string) (_ *PageFacts, err error) {
	defer wrap(&err, "PageFacts(%q)", id)
	return s.facts(ctx, "SELECT id, facts FROM pages WHERE id = ?", id)
}

// LayoutFacts returns the facts of the page with layout (reuse, data);
// ErrNotFound when no page has it.
func (s *Store) LayoutFacts(ctx context.Context, layout content.Layout) (_ *PageFacts, err error) {
	defer wrap(&err, "LayoutFacts(%q)", layout)
	var n int
	if err := s.queryRow(ctx, "SELECT count(*) FROM pages WHERE layout = ?", string(layout)).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, ErrNotFound
	}
	return s.facts(ctx, "SELECT id, facts FROM pages WHERE layout = ? ORDER BY id LIMIT 1", string(layout))
}

// facts reads the facts of the page q selects (its id and facts).
func (s *Store) facts(ctx context.Context, q string, arg string) (*PageFacts, error) {
	var id string
	var raw sql.NullString
	err := s.queryRow(ctx, q, arg).Scan(&id, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var f PageFacts
	if raw.Valid {
		if err := json.Unmarshal([]byte(raw.String), &f); err != nil {
			return nil, badValue(id, "pages.facts", err)
		}
	}
	return &f, nil
}

// SignVideoPages returns the ids of the pages that show a recording in
// Polish Sign Language, sorted.
func (s *Store) SignVideoPages(ctx context.Context) (_ []string, err error) {
	defer wrap(&err, "SignVideoPages")
	return s.strings(ctx, "SELECT id FROM pages WHERE json_extract(facts, '$.SignVideo') IS NOT NULL ORDER BY id")
}

// Coverage is what the records of a dataset span: their earliest and
// latest dates (of adoption, of a meeting, of founding; zero when no
// record gives one), when any of their visible pages last changed, and
// how many records there are.
type Coverage struct {
	From, To date.Date
	Modified date.Date
	Records  int
}

// coverageDates are, by record type, the table and the expressions of its
// earliest and latest dates.
var coverageDates = map[content.Type][3]string{
	content.TypeDeclaration: {"declarations", "x.date_from", "CASE x.date_to WHEN '' THEN x.date_from ELSE x.date_to END"},
	content.TypeMeeting:     {"meetings", "x.date_from", "CASE x.date_to WHEN '' THEN x.date_from ELSE x.date_to END"},
	content.TypeBody:        {"bodies", "nullif(x.founded, '')", "nullif(x.founded, '')"},
}

// Coverage returns the coverage of the visible records of type typ
// (declaration, meeting, body). Dates are partial ISO dates, which sort
// as text.
func (s *Store) Coverage(ctx context.Context, typ content.Type, vis Visibility) (_ Coverage, err error) {
	defer wrap(&err, "Coverage(%q)", typ)
	t, ok := coverageDates[typ]
	if !ok {
		return Coverage{}, fmt.Errorf("no such record type")
	}
	condO, argsO := vis.where("o")
	condA, argsA := vis.where("a")
	condD, argsD := vis.where("d")
	// A record is visible when its authoritative document is; it was
	// modified when any of its visible documents was.
	q := `SELECT coalesce(min(` + t[1] + `), ''), coalesce(max(` + t[2] + `), ''), count(*),
		coalesce((SELECT max(a.updated) FROM docs a JOIN ` + t[0] + ` y ON y.id = a.record_id
			JOIN docs o ON o.record_id = a.record_id AND o.status = 'original' AND ` + condO + `
			WHERE ` + condA + `), '')
		FROM ` + t[0] + ` x JOIN docs d ON d.record_id = x.id AND d.status = 'original' WHERE ` + condD
	all := append(append(append([]any{}, argsO...), argsA...), argsD...)
	var from, to, modified string
	var c Coverage
	if err := s.queryRow(ctx, q, all...).Scan(&from, &to, &c.Records, &modified); err != nil {
		return c, err
	}
	// The values are a minimum or maximum over every record: the
	// columns are named, the record is not at hand.
	for _, v := range []struct {
		column, s string
		dst       *date.Date
	}{{t[0] + " (earliest date)", from, &c.From}, {t[0] + " (latest date)", to, &c.To}, {"docs.updated (latest)", modified, &c.Modified}} {
		d, err := storedDate("(any "+string(typ)+")", v.column, v.s)
		if err != nil {
			return c, err
		}
		*v.dst = d
	}
	return c, nil
}
