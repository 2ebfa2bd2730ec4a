package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The access log's time is the text slog writes, whatever the time, the
// zone and the order of the lines (formatting is cached per second).
func TestAppendLogTime(t *testing.T) {
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, tm := range []time.Time{time.Date(10000, 5, 5, 5, 5, 5, 123456789, time.UTC), time.Date(-1, 5, 5, 5, 5, 5, 0, time.UTC)} {
		if got, want := string(appendLogTime(nil, tm)), tm.Format("2006-01-02T15:04:05.000Z07:00"); got != want {
			t.Errorf("appendLogTime(%v) = %q, want %q", tm, got, want)
		}
	}
	base := time.Date(2026, 3, 29, 0, 59, 59, 0, time.UTC) // an hour before Warsaw's clocks go forward
	for i := range 5000 {
		tm := base.Add(time.Duration(i) * 997 * time.Microsecond * 1000)
		for _, loc := range []*time.Location{time.UTC, warsaw, time.FixedZone("", -(3*3600 + 1800))} {
			tl := tm.In(loc)
			want := tl.Format("2006-01-02T15:04:05.000Z07:00")
			if got := string(appendLogTime(nil, tl)); got != want {
				t.Fatalf("appendLogTime(%v) = %q, want %q", tl, got, want)
			}
		}
	}
}

// Request ids are the random prefix, a dash and the counter in eight hex
// digits.
func TestRequestIDFormat(t *testing.T) {
	var ids []string
	h := requestIDs(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ids = append(ids, requestID(r)) }))
	for range 3 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	}
	for i, id := range ids {
		if len(id) != 17 || id[8] != '-' || id[9:] != fmt.Sprintf("%08x", i+1) || id[:8] != ids[0][:8] {
			t.Errorf("request id %d = %q, want the same 8-digit prefix, a dash and %08x", i, id, i+1)
		}
	}
}
