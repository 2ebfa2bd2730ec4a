package web_test

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/web"
	"github.com/krakow/wspolpraca/static"
)

// damagedServer serves the store's sample after running update (SQL with
// args) on its database file, as damage or a bug of the import would
// leave it; its log is written to log.
func damagedServer(t *testing.T, log *bytes.Buffer, update string, args ...any) *httptest.Server {
	t.Helper()
	st := storetest.Damaged(t, storetest.Sample(t), update, args...)
	ts := httptest.NewUnstartedServer(nil)
	srv, err := web.New(web.Config{
		BaseURL: "http://" + ts.Listener.Addr().String(),
		Assets:  static.FS,
		Now:     func() time.Time { return testNow },
		Logger:  slog.New(slog.NewTextHandler(log, nil)),
	}, st)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return ts
}

// TestCorruptedValueIsAServerError: a stored date that does not parse (a
// damaged file, a bug of the import) makes its page a 500 whose log line
// names the record and the column, never a page with a zero date.
func TestCorruptedValueIsAServerError(t *testing.T) {
	var log bytes.Buffer
	ts := damagedServer(t, &log, "UPDATE declarations SET date_from = 'garbage' WHERE id = ?", storetest.SampleDeclaration)

	p := get(t, ts, "/deklaracje/"+storetest.SampleDeclaration)
	if p.status != 500 {
		t.Errorf("GET the declaration with a damaged date = %d, want 500", p.status)
	}
	if strings.Contains(p.body, "garbage") || strings.Contains(p.body, "declarations.date_from") {
		t.Errorf("the error page shows the error:\n%s", p.body)
	}
	if l := log.String(); !strings.Contains(l, "record "+storetest.SampleDeclaration) || !strings.Contains(l, "declarations.date_from") {
		t.Errorf("the log does not name the record and the column:\n%s", l)
	}
}

// TestUnreadableScheduleKeepsServing: when the schedule cannot be read
// (a damaged publish time), pages are still served, the log says why no
// page is kept, and the error is not swallowed.
func TestUnreadableScheduleKeepsServing(t *testing.T) {
	var log bytes.Buffer
	ts := damagedServer(t, &log, "UPDATE docs SET publish_at = 'zzz' WHERE record_id = ?", storetest.SampleDeclaration)

	for i := range 3 {
		if p := get(t, ts, "/"); p.status != 200 {
			t.Fatalf("GET / (%d) = %d with an unreadable schedule", i+1, p.status)
		}
	}
	if l := log.String(); strings.Count(l, "the schedule cannot be read") < 2 || !strings.Contains(l, "NextChange") {
		t.Errorf("the log does not say, at each request, that the schedule cannot be read:\n%s", l)
	}
}
