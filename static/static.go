// Package static holds the site's stylesheet, icons and images, embedded in
// the binary and served under /static/.
//
// It holds files only: it must not hold code beyond the embedding, nor
// import any package of the site.
package static

import "embed"

// FS holds css/, img/, video/ (recordings in Polish Sign Language) and
// favicon.ico.
//
//go:embed css img video favicon.ico
var FS embed.FS
