package templates

import (
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/store"
)

// SignVideo is a recording in Polish Sign Language shown on a page: its
// files (paths under /static/), the language of its captions and
// transcript, and what the page says of it.
type SignVideo struct {
	Src, Captions, Poster string
	MediaType, Format     string // video/mp4, MP4
	Lang                  string
	Size                  int64
	Duration              time.Duration
	TranscriptHTML        string // rendered by internal/content from the editors' Markdown
}

// ReuseView is the page on the conditions of re-use.
type ReuseView struct {
	PageView
	Entity     string // who sets the conditions, in the page's language
	Conditions string // "" until the City confirms them
	License    string // a URI; "" until the City confirms it
	JSONLD     string // the catalogue's paths
	Turtle     string
}

// SignLanguageStatus is what the accessibility statement says of the
// recording in Polish Sign Language: the page that has it, or none yet.
type SignLanguageStatus struct {
	Page *store.Link
}

// duration writes d as the language writes a length: "2 min 5 s".
func duration(l *catalog.Labels, d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s < 60 {
		return catalog.Fill(l.DurationSec, "sec", strconv.Itoa(s))
	}
	return catalog.Fill(l.DurationMinSec, "min", strconv.Itoa(s/60), "sec", strconv.Itoa(s%60))
}

// megabytes writes a size in megabytes with one decimal, the language's
// way: "12,3 MB"; at least 0,1.
func megabytes(l *catalog.Labels, n int64) string {
	tenths := max((n*10+(1<<19))>>20, 1)
	s := strconv.FormatInt(tenths/10, 10) + l.DecimalSeparator + strconv.FormatInt(tenths%10, 10)
	return catalog.Fill(l.SizeMB, "size", s)
}

// langAttr gives an element the language tag when it differs from the
// page's.
func langAttr(tag, pageLang string) templ.Attributes {
	if tag == "" || strings.EqualFold(tag, pageLang) {
		return nil
	}
	return templ.Attributes{"lang": tag}
}
