package store

import (
	"context"
	"os"
	"path/filepath"
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
