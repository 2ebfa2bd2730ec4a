package urls

import "testing"

// TestShareImage: every page's share image is at an address no page can
// have, and leads back to that page.
func TestShareImage(t *testing.T) {
	s := scheme()
	for page, want := range map[string]string{
		"/":                             "/og.png",
		"/en/":                          "/og/en.png",
		"/uk/":                          "/og/uk.png",
		"/deklaracje/2021-stanowisko-x": "/og/deklaracje/2021-stanowisko-x.png",
		"/en/about":                     "/og/en/about.png",
		"/uk/pro-sait":                  "/og/uk/pro-sait.png",
		"/dane":                         "/og/dane.png",
	} {
		got := ShareImage(page)
		if got != want {
			t.Errorf("ShareImage(%s) = %s, want %s", page, got, want)
		}
		if back, ok := s.SharePage(got); !ok || back != page {
			t.Errorf("SharePage(%s) = %q %v, want %s", got, back, ok, page)
		}
		if !s.Reserved(got) {
			t.Errorf("Reserved(%s) = false: a content page could be there", got)
		}
	}
	for _, p := range []string{"/og", "/og/", "/og/.png", "/og/dane", "/og/dane/.png", "/ogre.png", "/dane.png", "/og.jpg", "/og/en/"} {
		if back, ok := s.SharePage(p); ok {
			t.Errorf("SharePage(%s) = %s, want none", p, back)
		}
	}
	for _, p := range []string{"/og", "/og/x", "/og.png"} {
		if !s.Reserved(p) {
			t.Errorf("Reserved(%s) = false", p)
		}
	}
	for _, p := range []string{"/ogloszenia", "/ogrody", "/en/og"} {
		if s.Reserved(p) {
			t.Errorf("Reserved(%s) = true", p)
		}
	}
}
