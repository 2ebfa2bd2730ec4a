package middleware

import (
	"testing"
	"time"
)

// A scheduled publish happens while a page is being rendered:
// what they read before it must not be kept after it. (Requests race like
// this when a page is shared widely at the moment of a publish; the steps
// are taken here in the order that loses, one at a time.)
func TestPageCacheDropsWorkFromBeforeAScheduledChange(t *testing.T) {
	before := time.Date(2026, 12, 1, 7, 59, 0, 0, time.UTC)
	publish := before.Add(time.Minute)
	after := publish.Add(time.Second)
	next := func() (time.Time, error) { return publish, nil }
	never := func() (time.Time, error) { return time.Time{}, nil } // no change after the publish
	pc := NewCache(nil)

	// A render begins before the publish time…
	c, f := pc.get("/deklaracje", before, next)
	if c != nil || f == nil {
		t.Fatal("the first request for a page does not render it")
	}
	// …a request after it neither waits for that render nor gets its page…
	got := make(chan *flight, 1)
	go func() { _, f2 := pc.get("/deklaracje", after, never); got <- f2 }()
	var f2 *flight
	select {
	case f2 = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("a request after the publish time waits for a render begun before it")
	}
	if f2 == nil || f2 == f {
		t.Fatal("a request after the publish time does not render the page again")
	}
	// …and when the old render ends, last, it is not kept: the new one is.
	old, fresh := &cached{key: "/deklaracje", size: 1}, &cached{key: "/deklaracje", size: 1}
	pc.put("/deklaracje", f2, fresh)
	pc.put("/deklaracje", f, old)
	if f.c != old {
		t.Error("the requests waiting for the old render do not get it")
	}
	if c, _ := pc.get("/deklaracje", after, never); c != fresh {
		t.Errorf("after the publish time the cache serves %s, want the page rendered after it", map[bool]string{true: "the page rendered before it", false: "no page"}[c == old])
	}
}
