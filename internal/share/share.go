// Package share draws the image a link preview shows of a page (Open
// Graph's og:image, Twitter's large summary card): a 1200×630 PNG with the
// page's title and the site's name, as the site's header shows them.
//
// The text is set in the Go fonts (golang.org/x/image/font/gofont: Go Bold
// and Go Regular, by Bigelow & Holmes, under the BSD licence in
// GOFONTS-LICENSE beside this file), embedded in the binary. They hold the
// WGL4 character set: every Polish letter and the Cyrillic of Ukrainian
// (і, ї, є, ґ), the dashes, quotation marks and the ellipsis. Missing
// reports what they lack, for tests and checks.
//
// The colours are the site's (static/css/site.css), flat, and the image is
// paletted (sixteen colours): a card of the real content is 6–18 KB.
//
// It only draws: it must not import any other package of the site.
package share

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The image's size and type: what Open Graph and Twitter's large card
// recommend (1.91:1), announced by og:image:width, :height and :type.
const (
	Width     = 1200
	Height    = 630
	MediaType = "image/png"
)

// MaxLines is the most lines a title takes; a longer one ends with "…".
const MaxLines = 4

// Card is what an image shows.
type Card struct {
	Title   string // the page's title: wrapped, cut with an ellipsis past MaxLines lines
	Site    string // the site's name, in the band at the top
	Tagline string // under the site's name; may be empty
}

// The site's palette (static/css/site.css).
var (
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
	brand = color.RGBA{0x0b, 0x3d, 0x91, 0xff} // --brand: the header's navy
	text  = color.RGBA{0x1b, 0x1b, 0x1b, 0xff} // --text
	focus = color.RGBA{0xff, 0xdd, 0x00, 0xff} // --focus: the yellow accent
)

// The layout, in pixels.
const (
	margin    = 72
	bandEnd   = 150 // the navy band with the site's name
	accentEnd = 160 // the yellow line under it
)

// titleSizes are the title's font sizes, tried in turn: the largest at
// which the whole title fits in MaxLines lines, else the smallest, cut.
var titleSizes = []float64{72, 62, 54}

// fonts are the Go fonts, parsed once: an sfnt.Font is safe for concurrent
// use, while each render makes its own faces (which are not).
var fonts = sync.OnceValues(func() (*fontSet, error) {
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("share: Go Bold: %w", err)
	}
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("share: Go Regular: %w", err)
	}
	return &fontSet{bold: bold, regular: regular}, nil
})

type fontSet struct{ bold, regular *sfnt.Font }

// LumaVariance is the variance of an image's luma (0–255), over every
// fourth pixel: near 0 for a blank card, in the thousands for one with
// text. For tests and checks that a card was drawn.
func LumaVariance(img image.Image) float64 {
	var sum, sq float64
	b := img.Bounds()
	n := 0.0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			v := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			sum += v
			sq += v * v
			n++
		}
	}
	return sq/n - (sum/n)*(sum/n)
}

// Missing returns the characters of s, other than spaces and control
// characters, for which a font of the card has no glyph (each once, in
// order): they would be drawn as an empty box.
func Missing(s string) ([]rune, error) {
	fs, err := fonts()
	if err != nil {
		return nil, err
	}
	var b sfnt.Buffer
	var out []rune
	seen := map[rune]bool{}
	for _, r := range s {
		if seen[r] || unicode.IsSpace(r) || unicode.IsControl(r) {
			continue
		}
		seen[r] = true
		for _, f := range []*sfnt.Font{fs.bold, fs.regular} {
			if i, err := f.GlyphIndex(&b, r); err != nil || i == 0 {
				out = append(out, r)
				break
			}
		}
	}
	return out, nil
}

// Render draws c and returns it as a PNG.
func Render(c Card) ([]byte, error) {
	fs, err := fonts()
	if err != nil {
		return nil, err
	}
	pal, onWhite, onBrand := palette()
	img := image.NewPaletted(image.Rect(0, 0, Width, Height), pal)
	fill(img, image.Rect(0, 0, Width, bandEnd), brand)
	fill(img, image.Rect(0, bandEnd, Width, accentEnd), focus)
	fill(img, image.Rect(0, accentEnd, Width, Height), white)
	if err := drawBand(img, fs, c, onBrand); err != nil {
		return nil, err
	}
	if err := drawTitle(img, fs, c.Title, onWhite); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	// The default level: BestCompression saves a tenth of the bytes
	// (20 KB for 21) for three times the time (80 ms for 30).
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&out, img); err != nil {
		return nil, fmt.Errorf("share: encoding: %w", err)
	}
	return out.Bytes(), nil
}

// lineWidth is the width text may take, between the margins.
var lineWidth = fixed.I(Width - 2*margin)

// drawBand writes the site's name, and its tagline under it, in the navy
// band, as the site's header does.
func drawBand(img *image.Paletted, fs *fontSet, c Card, rp ramp) error {
	site, err := face(fs.bold, 44)
	if err != nil {
		return err
	}
	defer site.Close()
	name, _ := wrap(site, c.Site, lineWidth, 1)
	if c.Tagline == "" {
		drawLines(img, site, rp, name, 92, 0)
		return nil
	}
	tag, err := face(fs.regular, 28)
	if err != nil {
		return err
	}
	defer tag.Close()
	tagline, _ := wrap(tag, c.Tagline, lineWidth, 1)
	drawLines(img, site, rp, name, 84, 0)
	drawLines(img, tag, rp, tagline, 128, 0)
	return nil
}

// drawTitle writes the title, centred in the height below the band.
func drawTitle(img *image.Paletted, fs *fontSet, title string, rp ramp) error {
	fc, lines, err := fitTitle(fs.bold, title, lineWidth)
	if err != nil {
		return err
	}
	defer fc.Close()
	m := fc.Metrics()
	lineHeight := m.Height.Ceil() * 6 / 5
	block := (len(lines)-1)*lineHeight + m.Ascent.Ceil() + m.Descent.Ceil()
	top := accentEnd + (Height-accentEnd-block)/2
	drawLines(img, fc, rp, lines, top+m.Ascent.Ceil(), lineHeight)
	return nil
}

// fitTitle sets title at the largest of titleSizes at which it fits in
// MaxLines lines of width, or at the smallest, cut with an ellipsis.
func fitTitle(f *sfnt.Font, title string, width fixed.Int26_6) (font.Face, []string, error) {
	for i, size := range titleSizes {
		fc, err := face(f, size)
		if err != nil {
			return nil, nil, err
		}
		lines, cut := wrap(fc, title, width, MaxLines)
		if !cut || i == len(titleSizes)-1 {
			return fc, lines, nil
		}
		fc.Close()
	}
	return nil, nil, errors.New("share: no title size") // titleSizes is empty
}

func face(f *sfnt.Font, size float64) (font.Face, error) {
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("share: face: %w", err)
	}
	return fc, nil
}

// drawLines draws lines in the shades of rp, the first on the baseline y,
// each next one step lower.
func drawLines(img *image.Paletted, fc font.Face, rp ramp, lines []string, y, step int) {
	for i, line := range lines {
		drawString(img, fc, rp, fixed.P(margin, y+i*step), line)
	}
}

// drawString draws s from dot, as font.Drawer does, but straight into the
// palette: each pixel a glyph covers takes the shade of rp nearest its
// coverage, unless a glyph beside it gave it a stronger one.
func drawString(img *image.Paletted, fc font.Face, rp ramp, dot fixed.Point26_6, s string) {
	var shade [256]int // by palette index: its shade in rp, or -1
	for i := range shade {
		shade[i] = -1
	}
	for i, idx := range rp {
		shade[idx] = i
	}
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			dot.X += fc.Kern(prev, r)
		}
		dr, mask, mp, advance, _ := fc.Glyph(dot, r)
		clip := dr.Intersect(img.Rect)
		for y := clip.Min.Y; y < clip.Max.Y; y++ {
			for x := clip.Min.X; x < clip.Max.X; x++ {
				a := coverage(mask, mp.X+x-dr.Min.X, mp.Y+y-dr.Min.Y)
				o := img.PixOffset(x, y)
				if lv := (a*shades + 127) / 255; lv > 0 && lv > shade[img.Pix[o]] {
					img.Pix[o] = rp[lv]
				}
			}
		}
		dot.X += advance
		prev = r
	}
}

// coverage is the mask's alpha at x, y, 0–255.
func coverage(mask image.Image, x, y int) int {
	if m, ok := mask.(*image.Alpha); ok {
		return int(m.Pix[m.PixOffset(x, y)])
	}
	_, _, _, a := mask.At(x, y).RGBA()
	return int(a >> 8)
}

// fill paints r in c, which must be in img's palette.
func fill(img *image.Paletted, r image.Rectangle, c color.Color) {
	i := uint8(img.Palette.Index(c))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for x := range row {
			row[x] = i
		}
	}
}

// shades is the number of steps from a background to the text on it.
const shades = 7

// ramp is the palette indices of the shades from a background (0) to the
// colour of the text on it (shades).
type ramp [shades + 1]uint8

// palette holds the site's colours and, for antialiased text, the shades
// between each text colour and the colour it is drawn on: sixteen colours,
// so the PNG takes four bits a pixel, with edges that still look smooth.
// It returns the shades of text on white and of white on the brand's navy.
func palette() (color.Palette, ramp, ramp) {
	p := color.Palette{white, brand, text, focus}
	var ramps [2]ramp
	for k, pair := range [][2]color.RGBA{{white, text}, {brand, white}} {
		rp := &ramps[k]
		rp[0], rp[shades] = uint8(p.Index(pair[0])), uint8(p.Index(pair[1]))
		for i := 1; i < shades; i++ {
			rp[i] = uint8(len(p))
			p = append(p, mix(pair[0], pair[1], i, shades))
		}
	}
	return p, ramps[0], ramps[1]
}

// mix is the colour i/n of the way from a to b.
func mix(a, b color.RGBA, i, n int) color.RGBA {
	m := func(x, y uint8) uint8 { return uint8((int(x)*(n-i) + int(y)*i + n/2) / n) }
	return color.RGBA{m(a.R, b.R), m(a.G, b.G), m(a.B, b.B), 0xff}
}

// wrap breaks s into lines no wider than width, at most max of them; cut
// reports that s did not fit and the last line ends with an ellipsis. A
// word too long for a line is broken where it must be.
func wrap(fc font.Face, s string, width fixed.Int26_6, max int) (lines []string, cut bool) {
	fits := func(s string) bool { return font.MeasureString(fc, s) <= width }
	line := ""
	for _, w := range words(s) {
		switch {
		case line == "":
			line = w
		case fits(line + " " + w):
			line += " " + w
			continue
		default:
			lines = append(lines, line)
			line = w
		}
		for !fits(line) {
			head := longestFitting(line, fits)
			lines = append(lines, head)
			line = line[len(head):]
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) <= max {
		return lines, false
	}
	lines = lines[:max]
	lines[max-1] = ellipsis(lines[max-1], fits)
	return lines, true
}

// words splits s into the units a line may break between: words, with a
// one-letter word kept with the word after it ("w", "i", "z", "у", "і":
// Polish and Ukrainian typesetting leave none at a line's end) and a dash
// standing alone kept with the word before it (no line starts with "–").
func words(s string) []string {
	var out []string
	glue := false
	for _, w := range strings.Fields(s) {
		switch {
		case glue:
			out[len(out)-1] += " " + w
		case len(out) > 0 && isDash(w):
			out[len(out)-1] += " " + w
			continue
		default:
			out = append(out, w)
		}
		r, n := utf8.DecodeRuneInString(w)
		glue = n == len(w) && unicode.IsLetter(r)
	}
	return out
}

func isDash(w string) bool { return w == "–" || w == "—" || w == "-" }

// longestFitting is the longest start of s, at least one character, that
// fits (s itself does not).
func longestFitting(s string, fits func(string) bool) string {
	_, end := utf8.DecodeRuneInString(s)
	for i := range s {
		if i <= end {
			continue
		}
		if !fits(s[:i]) {
			break
		}
		end = i
	}
	return s[:end]
}

// ellipsis ends line with "…", dropping as many of its last words as it
// must to fit (or characters, of a single word), and never leaving a space
// or a mark of punctuation before it.
func ellipsis(line string, fits func(string) bool) string {
	trim := func(s string) string {
		return strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	}
	line = trim(line)
	for line != "" && !fits(line+"…") {
		if i := strings.LastIndexByte(line, ' '); i > 0 {
			line = trim(line[:i])
		} else {
			_, n := utf8.DecodeLastRuneInString(line)
			line = trim(line[:len(line)-n])
		}
	}
	return line + "…"
}
