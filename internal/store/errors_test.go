package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/store/storetest"
)

// corrupted is the sample content's database with update run on it
// (storetest.Damaged).
func corrupted(t *testing.T, update string, args ...any) *store.Store {
	t.Helper()
	return storetest.Damaged(t, storetest.Sample(t), update, args...)
}

// TestStoredValueThatDoesNotParse: a stored value that does not read back
// (a date that is not a date, a text that is not JSON) is an error that
// names the method, the record and the column, never a zero value.
func TestStoredValueThatDoesNotParse(t *testing.T) {
	ctx := context.Background()
	decl, meeting, body := storetest.SampleDeclaration, storetest.SampleMeeting, storetest.SampleBody
	for _, tc := range []struct {
		name   string
		update string
		args   []any
		read   func(*store.Store) error
		want   []string // in the error
	}{
		{
			name:   "declaration date",
			update: "UPDATE declarations SET date_from = 'garbage' WHERE id = ?", args: []any{decl},
			read: func(st *store.Store) error { _, err := st.Declaration(ctx, decl, "pl", now); return err },
			want: []string{`Declaration("` + decl + `", "pl")`, "record " + decl, "declarations.date_from", `"garbage"`},
		},
		{
			name:   "declaration date in a list",
			update: "UPDATE declarations SET date_from = 'garbage' WHERE id = ?", args: []any{decl},
			read: func(st *store.Store) error {
				_, _, err := st.Declarations(ctx, store.DeclarationFilter{Lang: "en"}, now)
				return err
			},
			want: []string{"Declarations(lang en", "record " + decl, "declarations.date_from"},
		},
		{
			name:   "declaration date in open data",
			update: "UPDATE declarations SET date_to = '2021-13' WHERE id = ?", args: []any{decl},
			read: func(st *store.Store) error { _, err := st.DeclarationRecords(ctx, now); return err },
			want: []string{"DeclarationRecords", "record " + decl, "declarations.date_to", `"2021-13"`},
		},
		{
			name:   "publication date of a page",
			update: "UPDATE docs SET published = 'garbage' WHERE record_id = ? AND lang = 'pl'", args: []any{meeting},
			read: func(st *store.Store) error { _, err := st.DocByID(ctx, meeting, "pl", now); return err },
			want: []string{`DocByID("` + meeting + `", "pl")`, "record " + meeting + " (pl)", "docs.published"},
		},
		{
			name:   "last update in the feed",
			update: "UPDATE docs SET updated = 'yesterday' WHERE record_id = ? AND lang = 'en'", args: []any{meeting},
			read: func(st *store.Store) error { _, err := st.Recent(ctx, "en", now, 10); return err },
			want: []string{`Recent("en", 10)`, "record " + meeting + " (en)", "docs.updated"},
		},
		{
			name:   "founding date",
			update: "UPDATE bodies SET founded = 'garbage' WHERE id = ?", args: []any{body},
			read: func(st *store.Store) error { _, err := st.Body(ctx, body, "en", now); return err },
			want: []string{`Body("` + body + `", "en")`, "record " + body, "bodies.founded"},
		},
		{
			name:   "founding date on the timeline",
			update: "UPDATE bodies SET founded = '19x0' WHERE id = ?", args: []any{body},
			read: func(st *store.Store) error { _, err := st.Timeline(ctx, "pl", now, 100); return err },
			want: []string{`Timeline("pl", 100)`, "record " + body, "bodies.founded"},
		},
		{
			name:   "a name that is not JSON",
			update: "UPDATE bodies SET name = 'not JSON' WHERE id = ?", args: []any{body},
			read: func(st *store.Store) error { _, err := st.Bodies(ctx, "pl", now); return err },
			want: []string{`Bodies("pl")`, "record " + body, "bodies.name"},
		},
		{
			name:   "a signatory's role",
			update: "UPDATE signatories SET role = '[' WHERE declaration_id = ?", args: []any{decl},
			read: func(st *store.Store) error { _, err := st.Declaration(ctx, decl, "en", now); return err },
			want: []string{`Declaration("` + decl + `", "en")`, "record " + decl, "signatories.role"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := corrupted(t, tc.update, tc.args...)
			err := tc.read(st)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, store.ErrNotFound) {
				t.Errorf("error %q is ErrNotFound", err)
			}
			t.Logf("%v", err)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestErrorsSayWhatFailed: an error of a data method names the method and
// its arguments, and keeps what it wraps: ErrNotFound is still
// ErrNotFound, a closed database's error is still said.
func TestErrorsSayWhatFailed(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.Open(t, storetest.Sample(t))
	_, err := st.Declaration(ctx, "nie-ma", "pl", now)
	if !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), `Declaration("nie-ma", "pl")`) {
		t.Errorf("Declaration(nie-ma) = %v, want ErrNotFound naming the call", err)
	}
	if _, err := st.Section(ctx, "no-such-layout", "en", now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Section(no-such-layout) = %v, want ErrNotFound", err)
	}
	st.Close()
	_, err = st.Meeting(ctx, storetest.SampleMeeting, "en", now)
	if err == nil || !strings.Contains(err.Error(), `Meeting("`+storetest.SampleMeeting+`", "en")`) || !strings.Contains(err.Error(), "database is closed") {
		t.Errorf("Meeting after Close = %v, want it to name the call and say the database is closed", err)
	}
	t.Logf("for example: %v", err)
}
