package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
)

// The relations of a declaration are a list filtered through another
// table: its count must go through that table too (the declaration page
// skips the count; a future list of them may not).
func TestRelationListCount(t *testing.T) {
	site, err := content.Load(os.DirFS("../../content"), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "site.db")
	if err := Import(context.Background(), path, site); err != nil {
		t.Fatal(err)
	}
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := DeclarationFilter{Lang: "pl", PerPage: 1000, args: []any{"2021-stanowisko-afganistan"}}
	f.via, f.cond = "relations rel JOIN declarations x ON x.id = rel.to_id", "rel.from_id = ? AND rel.type = 'refers_to'"
	list, total, err := st.Declarations(context.Background(), f, Visibility{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var want int
	for _, d := range site.Declarations {
		if d.ID == "2021-stanowisko-afganistan" {
			want = len(d.RefersTo)
		}
	}
	if want == 0 || len(list) != want || total != want {
		t.Errorf("the 2021 position refers to %d declarations, %d counted; its content lists %d", len(list), total, want)
	}
}

// TestSingleRecordReadsAreKeyed: reading one record for the API looks
// rows up by key; no query it runs scans a table of records (SQLite's
// EXPLAIN QUERY PLAN says SCAN for a full pass, SEARCH for a keyed one),
// so that a record costs the same whatever the size of the site.
func TestSingleRecordReadsAreKeyed(t *testing.T) {
	site, err := content.Load(os.DirFS("../../content"), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "site.db")
	if err := Import(context.Background(), path, site); err != nil {
		t.Fatal(err)
	}
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, vis := context.Background(), Visibility{Now: time.Now()}
	if _, err := st.DeclarationRecord(ctx, "2021-stanowisko-afganistan", vis); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MeetingRecord(ctx, "2022-12-16-komisja-zmp", vis); err != nil {
		t.Fatal(err)
	}
	if _, err := st.BodyRecord(ctx, "ump", vis); err != nil {
		t.Fatal(err)
	}
	queries := 0
	st.stmts.Range(func(k, _ any) bool {
		q := k.(string)
		queries++
		args := make([]any, strings.Count(q, "?"))
		rows, err := st.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Errorf("EXPLAIN %s: %v", q, err)
			return true
		}
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		for _, d := range plan {
			// A scan of a one-row CTE (pick) or of a list of values is
			// not a scan of the site's tables.
			if strings.HasPrefix(d, "SCAN ") && !strings.HasPrefix(d, "SCAN pick") && !strings.HasPrefix(d, "SCAN CONSTANT ROW") && !strings.Contains(d, "json_each") {
				t.Errorf("a single-record read scans: %s\nin %s\nplan %q", d, q, plan)
			}
		}
		return true
	})
	if queries < 3 {
		t.Errorf("%d queries seen", queries)
	}
}
