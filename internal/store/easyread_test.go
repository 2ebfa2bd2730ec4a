package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/store/storetest"
)

// TestEasyRead: the page in easy-to-read text comes first among the
// header's links in every language, marked, and the easy-to-read summary
// of a body is stored with its page, in the page's language.
func TestEasyRead(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	st, _ := storetest.Open(t, site)
	ctx, vis := context.Background(), store.Visibility{Now: time.Now()}
	for tag, path := range map[string]string{"pl": "/latwy-tekst", "en": "/en/easy-read", "uk": "/uk/tekst-dlia-lehkoho-chytannia"} {
		menu, err := st.Menu(ctx, tag, vis)
		if err != nil {
			t.Fatal(err)
		}
		if len(menu) < 2 || !menu[0].EasyRead || menu[0].Path != path {
			t.Errorf("Menu(%s) = %+v, want %s first, marked EasyRead", tag, menu, path)
		}
		for _, l := range menu[1:] {
			if l.EasyRead {
				t.Errorf("Menu(%s): %s marked EasyRead too", tag, l.Path)
			}
		}
	}
	// Search finds the page by its title, not by the words of the records
	// it restates.
	if got := ids(t, st, store.Query{Text: "łatwym do czytania", Lang: "pl"}); !slices.Contains(got, "easy-read") {
		t.Errorf("Search(łatwym do czytania) = %v, lacks the easy-to-read page", got)
	}
	if got := ids(t, st, store.Query{Text: "uchodźca", Lang: "pl"}); slices.Contains(got, "easy-read") {
		t.Errorf("Search(uchodźca) = %v: the easy-to-read page is searched by its text", got)
	}
	for path, want := range map[string]string{
		"/organizacje/zmp":      "<p>Związek Miast Polskich (ZMP) to związek",
		"/en/organisations/zmp": "<p>Cities in Poland belong to",
		"/o-serwisie":           "",
	} {
		d, err := st.DocByPath(ctx, path, vis)
		if err != nil {
			t.Fatal(err)
		}
		if want == "" && d.EasyHTML != "" || !strings.HasPrefix(d.EasyHTML, want) {
			t.Errorf("DocByPath(%s).EasyHTML = %.80q, want it to start %q", path, d.EasyHTML, want)
		}
	}
}
