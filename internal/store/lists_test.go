package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/store/storetest"
)

// The relations of a declaration are a list filtered through another
// table: its count must go through that table too (the declaration page
// skips the count; a future list of them may not).
func TestRelationListCount(t *testing.T) {
	site := storetest.Sample(t)
	st, _ := storetest.Open(t, site)
	ctx := context.Background()
	var want []string
	for _, d := range site.Declarations {
		if d.ID == storetest.SampleDeclaration {
			want = d.RefersTo
		}
	}
	if len(want) == 0 || len(want) >= len(site.Declarations)-1 {
		t.Fatalf("the sample declaration refers to %d of %d declarations: the test needs some, not all", len(want), len(site.Declarations))
	}
	list, total, err := st.Declarations(ctx, store.ReferencesFilter(storetest.SampleDeclaration, "pl", false), now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range list {
		got = append(got, d.ID)
	}
	slices.Sort(got)
	if !slices.Equal(got, slices.Sorted(slices.Values(want))) || total != len(want) {
		t.Errorf("Declarations(references of %s) = %v, total %d; its content lists %v", storetest.SampleDeclaration, got, total, want)
	}
	// And the other way: each of them is referred to by the one.
	list, total, err = st.Declarations(ctx, store.ReferencesFilter(want[0], "pl", true), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != storetest.SampleDeclaration || total != 1 {
		t.Errorf("Declarations(referring to %s) = %+v, total %d; want %s alone", want[0], list, total, storetest.SampleDeclaration)
	}
}

// TestSingleRecordReadsAreKeyed: reading one record for the API looks
// rows up by key; no query it runs scans a table of records (SQLite's
// EXPLAIN QUERY PLAN says SCAN for a full pass, SEARCH for a keyed one),
// so that a record costs the same whatever the size of the site.
func TestSingleRecordReadsAreKeyed(t *testing.T) {
	st, _ := storetest.Open(t, storetest.Sample(t))
	ctx := context.Background()
	if _, err := st.DeclarationRecord(ctx, storetest.SampleDeclaration, now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MeetingRecord(ctx, storetest.SampleMeeting, now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.BodyRecord(ctx, storetest.SampleBody, now); err != nil {
		t.Fatal(err)
	}
	queries := st.PreparedQueries()
	for _, q := range queries {
		plan, err := st.QueryPlan(ctx, q, strings.Count(q, "?"))
		if err != nil {
			t.Errorf("EXPLAIN %s: %v", q, err)
			continue
		}
		for _, d := range plan {
			// A scan of a one-row CTE (pick) or of a list of values is
			// not a scan of the site's tables.
			if strings.HasPrefix(d, "SCAN ") && !strings.HasPrefix(d, "SCAN pick") && !strings.HasPrefix(d, "SCAN CONSTANT ROW") && !strings.Contains(d, "json_each") {
				t.Errorf("a single-record read scans: %s\nin %s\nplan %q", d, q, plan)
			}
		}
	}
	if len(queries) < 3 {
		t.Errorf("%d queries seen", len(queries))
	}
}
