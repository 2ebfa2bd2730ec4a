package middleware

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// A Declared path's first render, begun before a scheduled publish at T
// and finished after it, is not kept for the period after T: the next
// request renders the page again. (Found in review: the first render of a
// path took its period after rendering.)
func TestFirstRenderAcrossAScheduledChange(t *testing.T) {
	T := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	clock.Store(T.Add(-time.Minute).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	c := NewCache(NewSpool(t.TempDir()))
	m := &PageCache{
		Cache: func(*http.Request) *Cache { return c },
		Now:   now,
		NextChange: func(*http.Request) (time.Time, error) {
			if now().Before(T) {
				return T, nil
			}
			return time.Time{}, nil
		},
	}
	h := m.Declared(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Params(r, "page")
		state := "before publish"
		if !now().Before(T) {
			state = "after publish"
		}
		if r.URL.Path == "/list" {
			// the publish time passes while this page renders
			clock.Store(T.Add(time.Second).UnixNano())
		}
		fmt.Fprint(w, state)
	}))
	serve := func(p string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		return rec.Body.String()
	}
	serve("/other") // the cache's first period: until T
	first := serve("/list")
	later := serve("/list")
	if first != "before publish" {
		t.Fatalf("the first render says %q, want it rendered before T", first)
	}
	if later != "after publish" {
		t.Errorf("after T the cache serves %q, want the page rendered after T", later)
	}
}
