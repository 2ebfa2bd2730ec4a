package urls

import "strings"

// Share images: the picture a link preview shows of a page (og:image), at
// the page's path without its trailing slash plus ".png", under /og:
// /og/deklaracje/{id}.png, /og/en/about.png. A home page's is its
// language's prefix, /og/en.png, and the home at "/" has /og.png. Reserved
// holds both, so no content page can be there.
const (
	Share     = "/og/"
	ShareHome = "/og.png"
)

// ShareImage returns the path of the share image of the page at page.
func ShareImage(page string) string {
	return "/og" + strings.TrimSuffix(page, "/") + ".png"
}

// SharePage returns the path of the page whose share image is at p, if p
// is the path of a share image.
func (s *Scheme) SharePage(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, "/og")
	if !ok {
		return "", false
	}
	rest, ok = strings.CutSuffix(rest, ".png")
	if !ok || rest != "" && !strings.HasPrefix(rest, "/") || strings.HasSuffix(rest, "/") {
		return "", false
	}
	for _, l := range s.Reg.All() {
		if l.Prefix == rest {
			return l.Home(), true
		}
	}
	if rest == "" {
		return "", false
	}
	return rest, true
}
