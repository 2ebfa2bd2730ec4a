package content

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/krakow/wspolpraca/internal/content/videotest"
)

// TestWebVTT: the captions check accepts valid files (a BOM, CRLF line
// ends, identifiers, settings, NOTE and STYLE blocks, hours) and reports
// each kind of mistake at its line and column.
func TestWebVTT(t *testing.T) {
	valid := []string{
		string(videotest.VTT(3)),
		"\uFEFFWEBVTT - Napisy\r\n\r\n00:01.000 --> 00:04.000 align:start line:0\r\nTekst.\r\n",
		"WEBVTT\n\nSTYLE\n::cue { color: yellow }\n\nNOTE uwaga\n\n1\n01:00:00.000 --> 01:00:02.500\n<v Tłumaczka>Dzień dobry.\n",
	}
	for _, src := range valid {
		if ps, cues, _ := checkWebVTT([]byte(src)); len(ps) != 0 || cues == 0 {
			t.Errorf("checkWebVTT(%q) = %v, %d cues; want no problem", src, ps, cues)
		}
	}
	for _, tc := range []struct{ src, want string }{
		{"WEBVTX\n\n00:01.000 --> 00:02.000\nA\n", `1:1: a WebVTT file starts with the line "WEBVTT"`},
		{"WEBVTTx\n", `1:1: a WebVTT file starts`},
		{"WEBVTT\n\n00:01.000 --> 00:02.00\nA\n", `3:15: end time "00:02.00": write it as mm:ss.ttt`},
		{"WEBVTT\n\n00:61.000 --> 01:02.000\nA\n", `3:1: start time "00:61.000": minutes and seconds go up to 59`},
		{"WEBVTT\n\n00:05.000 --> 00:02.000\nA\n", `3:1: the cue ends (00:00:02.000) before or when it starts`},
		{"WEBVTT\n\n00:05.000 --> 00:06.000\nA\n\n00:01.000 --> 00:02.000\nB\n", `6:1: the cue starts (00:00:01.000) before the cue above it`},
		{"WEBVTT\n\n00:01.000 --> 00:02.000 color:red\nA\n", `3:25: unknown cue setting "color"`},
		{"WEBVTT\n\n00:01.000 --> 00:02.000\nA\n00:03.000 --> 00:04.000\nB\n", `5:11: cue text must not hold "-->"`},
		{"WEBVTT\n\nintro\nno timings here\n", `3:1: expected a cue's timings`},
		{"WEBVTT\n\n00:01.000 --> 00:02.000\n", `3:1: the cue has no text`},
		{"WEBVTT\n", `the captions have no cue`},
		{"WEBVTT\n\n00:01.000-->00:02.000\nA\n", `3:10: write a space before "-->"`},
		{"WEBVTT\n\x00\xff\n", `1:1: captions must be UTF-8`},
		// Hours that would overflow a Duration.
		{"WEBVTT\n\n99999999999999999999:00:01.000 --> 99999999999999999999:00:02.000\nA\n", `3:1: start time "99999999999999999999:00:01.000": hours have at most four digits`},
	} {
		ps, _, _ := checkWebVTT([]byte(tc.src))
		var got []string
		for _, p := range ps {
			got = append(got, strconv.Itoa(p.Line)+":"+strconv.Itoa(p.Col)+": "+p.Msg)
		}
		if !strings.Contains(strings.Join(got, "\n"), tc.want) {
			t.Errorf("checkWebVTT(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
	// A file wrong on every line is reported by its first problems.
	if ps, _, _ := checkWebVTT([]byte("WEBVTT\n\n" + strings.Repeat("00:01.000 --> 00:02.000 color:red\nA\n\n", 5000))); len(ps) != MaxProblemsPerFile {
		t.Errorf("%d problems reported for 5,000 bad cues, want the first %d", len(ps), MaxProblemsPerFile)
	}
	if _, _, last := checkWebVTT(videotest.VTT(3)); last != 6*time.Second {
		t.Errorf("last cue ends at %v, want 6s", last)
	}
}

// TestMP4Duration: the duration comes from the movie header, whatever
// boxes come before it; a file that is not MP4, is cut short or has no
// movie box is refused.
func TestMP4Duration(t *testing.T) {
	mp4 := videotest.MP4(2500 * time.Millisecond)
	if d, err := mp4Duration(bytes.NewReader(mp4), int64(len(mp4))); err != nil || d != 2500*time.Millisecond {
		t.Errorf("mp4Duration = %v, %v; want 2.5s", d, err)
	}
	// A version 1 movie header with 64-bit times, as a crafted file
	// could give it.
	v1 := func(scale uint32, dur uint64) []byte {
		p := append([]byte{1, 0, 0, 0}, make([]byte, 16)...) // version, flags, created, modified
		p = binary.BigEndian.AppendUint32(p, scale)
		p = binary.BigEndian.AppendUint64(p, dur)
		p = append(p, make([]byte, 80)...)
		mvhd := append(binary.BigEndian.AppendUint32(nil, uint32(8+len(p))), "mvhd"...)
		moov := append(binary.BigEndian.AppendUint32(nil, uint32(16+len(p))), "moov"...)
		return slices.Concat(mp4[:28], moov, mvhd, p)
	}
	if b := v1(90000, 90000*75); true {
		if d, err := mp4Duration(bytes.NewReader(b), int64(len(b))); err != nil || d != 75*time.Second {
			t.Errorf("version 1 header: mp4Duration = %v, %v; want 1m15s", d, err)
		}
	}
	for name, b := range map[string][]byte{
		// 2^63 ticks would overflow a Duration into a negative length.
		"length past a Duration": v1(1, 1<<63-2),
		"length of 136 years":    v1(1, 1<<32-2),
		"not MP4":                []byte("\x00\x00\x00\x08moov"),
		"cut short":              mp4[:len(mp4)-20],
		"no moov":                mp4[:28],
		"empty":                  nil,
	} {
		if d, err := mp4Duration(bytes.NewReader(b), int64(len(b))); err == nil {
			t.Errorf("%s: mp4Duration accepted it (%v)", name, d)
		}
	}
}

// signVideoContent returns the real content with a recording on the
// about page, and static files holding it.
func signVideoContent(t *testing.T) (fstest.MapFS, fstest.MapFS) {
	t.Helper()
	fsys := realContent(t)
	replace(t, fsys, "pages/about.pl.md", "footer: 1\n", "footer: 1\n"+videotest.Field("pjm", "Dzień dobry. To jest **Kraków**."))
	static := fstest.MapFS{
		"video/pjm.mp4": {Data: videotest.MP4(6 * time.Second)},
		"video/pjm.vtt": {Data: videotest.VTT(3)},
		"video/pjm.png": {Data: videotest.Poster()},
	}
	return fsys, static
}

// TestSignVideo: a recording's files are read for its size and duration
// and its transcript rendered; every mistake is reported at the field, or
// inside the captions at their line and column.
func TestSignVideo(t *testing.T) {
	fsys, static := signVideoContent(t)
	site, err := Load(fsys, Options{Assets: static})
	if err != nil {
		t.Fatal(err)
	}
	var v *SignVideo
	for _, p := range site.Pages {
		if p.ID == "about" {
			v = p.SignVideo
		}
	}
	if v == nil || v.DurationMS != 6000 || v.Size != int64(len(static["video/pjm.mp4"].Data)) || v.Lang != "pl" ||
		!strings.Contains(v.TranscriptHTML, "<strong>Kraków</strong>") || v.MediaType != "video/mp4" {
		t.Fatalf("about's recording = %+v", v)
	}

	for _, tc := range []struct {
		name   string
		change func(fsys, static fstest.MapFS)
		want   string
	}{
		{"captions with a bad timing", func(_, s fstest.MapFS) {
			s["video/pjm.vtt"] = &fstest.MapFile{Data: []byte("WEBVTT\n\n00:01.000 --> 00:02.0000\nA\n")}
		}, "static/video/pjm.vtt:3:15: end time"},
		{"captions after the end", func(_, s fstest.MapFS) { s["video/pjm.vtt"] = &fstest.MapFile{Data: videotest.VTT(5)} },
			"the last caption ends at 00:00:10.000, after the recording (00:00:06.000)"},
		{"no poster", func(_, s fstest.MapFS) { delete(s, "video/pjm.png") },
			"pages/about.pl.md:10:11: sign_language_video.poster: /static/video/pjm.png does not exist"},
		{"poster too big", func(_, s fstest.MapFS) {
			s["video/pjm.png"] = &fstest.MapFile{Data: make([]byte, MaxPosterBytes+1)}
		}, "is 512 KB, more than the 512 KB allowed"},
		{"not an MP4", func(_, s fstest.MapFS) { s["video/pjm.mp4"] = &fstest.MapFile{Data: []byte("not a video")} },
			"pages/about.pl.md:8:9: sign_language_video.file: /static/video/pjm.mp4: not an MP4 file"},
		{"another format", func(f, _ fstest.MapFS) {
			replace(t, f, "pages/about.pl.md", "/static/video/pjm.mp4", "/static/video/pjm.webm")
		}, `sign_language_video.file: "/static/video/pjm.webm": want a file ending .mp4`},
		{"outside static", func(f, _ fstest.MapFS) {
			replace(t, f, "pages/about.pl.md", "captions: /static/video/pjm.vtt", "captions: https://example.org/pjm.vtt")
		}, "sign_language_video.captions: \"https://example.org/pjm.vtt\": the file goes in static/"},
		{"a list page", func(f, _ fstest.MapFS) {
			src := string(f["pages/about.pl.md"].Data)
			block := src[strings.Index(src, "sign_language_video:"):strings.Index(src, "published:")]
			replace(t, f, "pages/about.pl.md", block, "")
			replace(t, f, "pages/data.pl.md", "layout: data\n", "layout: data\n"+block)
		}, "sign_language_video belongs only on a page with layout: page"},
		{"in a translation", func(f, _ fstest.MapFS) {
			replace(t, f, "pages/about.en.md", "slug: about\n", "slug: about\n"+videotest.Field("pjm", "Hello."))
		}, "pages/about.en.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys, static := signVideoContent(t)
			tc.change(fsys, static)
			_, err := Load(fsys, Options{Assets: static})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load = %v\nwant a problem containing %q", err, tc.want)
			}
		})
	}
}

// TestReuseAndCatalogFacts: conditions, a licence and a contact point are
// published only when the content lists them as confirmed; one listed but
// not written, or an unknown entry, is a problem at its place.
func TestReuseAndCatalogFacts(t *testing.T) {
	fsys := realContent(t)
	const reuse = "pages/reuse.pl.md"
	replace(t, fsys, reuse, "  confirmed: []\n", "  conditions: {pl: Warunek., en: A condition., uk: Умова.}\n  license: https://example.org/licencja\n  confirmed: [license]\n")
	site, err := Load(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	page := func(layout Layout) *Page {
		for _, p := range site.Pages {
			if p.Layout == layout {
				return p
			}
		}
		t.Fatalf("no page with layout %s", layout)
		return nil
	}
	if r := page("reuse").Reuse; r == nil || !r.Conditions.IsZero() || r.License != "https://example.org/licencja" {
		t.Errorf("reuse = %+v; want the licence only (the conditions are not confirmed)", r)
	}
	if c := page("data").Catalog; c == nil || c.Spatial != "http://sws.geonames.org/3094802/" || !c.Contact.IsZero() || c.Email != "" {
		t.Errorf("catalog = %+v", c)
	}

	for _, tc := range []struct{ file, old, new, want string }{
		{reuse, "  confirmed: []\n", "  confirmed: [conditions]\n", "reuse.conditions is listed as confirmed but not given"},
		{reuse, "  confirmed: []\n", "  confirmed: [licence]\n", `pages/reuse.pl.md:11:15: reuse.confirmed: "licence" is not allowed`},
		{reuse, "  confirmed: []\n", "  license: CC BY\n  confirmed: [license]\n", "reuse.license: write the licence's address in full"},
		{reuse, "reuse:\n  confirmed: []\n", "", `missing field "reuse"`},
		{"pages/data.pl.md", "  spatial: http://sws.geonames.org/3094802/\n", "  spatial: http://sws.geonames.org/3094802/\n  confirmed: [email]\n",
			"catalog.email is listed as confirmed but not given"},
		{"pages/about.pl.md", "footer: 1\n", "footer: 1\nreuse:\n  confirmed: []\n", "reuse belongs only on a page with layout: reuse"},
	} {
		fsys := realContent(t)
		replace(t, fsys, tc.file, tc.old, tc.new)
		if got := loadProblems(t, fsys); !strings.Contains(got, tc.want) {
			t.Errorf("%s with %q:\n%s\nwant %q", tc.file, tc.new, got, tc.want)
		}
	}
}
