package web

import (
	"slices"
	"testing"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store/storetest"
)

// TestShareImageCached: a share image is drawn once per content version
// and kept in the page cache under its path alone, whatever query it is
// asked with.
func TestShareImageCached(t *testing.T) {
	s, ts := internalServer(t, storetest.Content(t, content.Options{}), Config{})
	for _, q := range []string{"", "?utm_source=x", "?fbclid=y", ""} {
		if got := status(t, ts.URL+"/og/deklaracje/2021-stanowisko-afganistan.png"+q); got != 200 {
			t.Fatalf("GET %s = %d", q, got)
		}
	}
	if got := s.keys("/og"); !slices.Equal(got, []string{"/og/deklaracje/2021-stanowisko-afganistan.png"}) {
		t.Errorf("cached %q, want the image once", got)
	}
}
