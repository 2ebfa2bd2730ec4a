package web

import "testing"

// A frame (menu, footer) or a total read before a scheduled change that
// another request crossed meanwhile is not kept; a later period starts
// empty. (Requests race like this when a page is shared widely at the
// moment of a publish; the steps are taken here in the order that loses.)
func TestPeriodMemoDropsWorkFromAnEarlierPeriod(t *testing.T) {
	var m periodMemo[int]
	m.put(1, "pl", 10)
	if v, ok := m.get(1, "pl"); !ok || v != 10 {
		t.Fatalf("get(1) = %d, %v; want what was put in period 1", v, ok)
	}
	// Another request enters period 2 and keeps its value…
	m.put(2, "en", 20)
	if _, ok := m.get(2, "pl"); ok {
		t.Error("period 2 returns a value kept in period 1")
	}
	// …then a value read in period 1 ends, late: it is not kept.
	m.put(1, "pl", 11)
	if v, ok := m.get(2, "pl"); ok {
		t.Errorf("period 2 returns %d, read in period 1", v)
	}
	if _, ok := m.get(1, "pl"); ok {
		t.Error("period 1's values outlive period 2")
	}
	if v, ok := m.get(2, "en"); !ok || v != 20 {
		t.Errorf("get(2, en) = %d, %v; want 20", v, ok)
	}
}
