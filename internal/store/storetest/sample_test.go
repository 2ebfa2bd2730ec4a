package storetest_test

import (
	"testing"

	"github.com/krakow/wspolpraca/internal/store/storetest"
)

// TestSample: the sample content loads and imports, with the records its
// constants name.
func TestSample(t *testing.T) {
	site := storetest.Sample(t)
	if got, want := len(site.Bodies), 2+len(storetest.SampleOrganisations); len(site.Declarations) != 4 || len(site.Meetings) != 1 || got != want {
		t.Errorf("Sample: %d declarations, %d meetings, %d bodies; want 4, 1, %d", len(site.Declarations), len(site.Meetings), got, want)
	}
	storetest.Open(t, site)
}
