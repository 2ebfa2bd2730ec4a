package content

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/krakow/wspolpraca/internal/urls"
)

// MaxVideoDuration bounds a recording's length: a page's information in
// sign language takes minutes, not hours.
const MaxVideoDuration = 30 * time.Minute

// signVideo checks a recording and its files (which must be in the static
// files, l.opts.Assets) and returns what its page shows, or nil when a
// file is missing or wrong. Problems with the files' paths are reported at
// the field; problems inside the captions at their line in the .vtt file,
// named as under the repository (static/video/x.vtt).
func (l *loader) signVideo(m *signVideoMeta, orig *file) *SignVideo {
	at := orig.dec.at
	auth := l.reg.Authoritative().Tag
	v := &SignVideo{File: m.File, Captions: m.Captions, Poster: m.Poster, MediaType: "video/mp4", Lang: auth}
	ok := true
	// read returns a file's bytes (at most limit, which it checks) or
	// reports why it cannot.
	stat := func(field, p string, exts []string, limit int64) (fs.File, int64, bool) {
		where := at["sign_language_video."+field]
		name, isStatic := strings.CutPrefix(p, urls.Static)
		switch {
		case !isStatic || !fs.ValidPath(name) || strings.HasPrefix(name, "css/"):
			l.ps.add(orig.path, where, "sign_language_video.%s: %q: the file goes in static/ (static/video/ for a recording) and is written /static/video/…", field, p)
			return nil, 0, false
		case !slices.Contains(exts, strings.ToLower(path.Ext(name))):
			l.ps.add(orig.path, where, "sign_language_video.%s: %q: want a file ending %s", field, p, strings.Join(exts, ", "))
			return nil, 0, false
		case l.opts.Assets == nil:
			return nil, 0, false
		}
		f, err := l.opts.Assets.Open(name)
		if err != nil {
			l.ps.add(orig.path, where, "sign_language_video.%s: %s does not exist: put the file in static/%s", field, p, path.Dir(name))
			return nil, 0, false
		}
		info, err := f.Stat()
		if err != nil || info.IsDir() {
			f.Close()
			l.ps.add(orig.path, where, "sign_language_video.%s: %s is not a file", field, p)
			return nil, 0, false
		}
		if info.Size() > limit {
			f.Close()
			l.ps.add(orig.path, where, "sign_language_video.%s: %s is %s, more than the %s allowed: make it smaller", field, p, sizeText(info.Size()), sizeText(limit))
			return nil, 0, false
		}
		return f, info.Size(), true
	}
	if f, size, good := stat("file", m.File, []string{".mp4"}, MaxVideoBytes); good {
		v.Size = size
		d, err := mp4Duration(readerAt(f, size), size)
		f.Close()
		switch {
		case err != nil:
			l.ps.add(orig.path, at["sign_language_video.file"], "sign_language_video.file: %s: %v", m.File, err)
			ok = false
		case d > MaxVideoDuration:
			l.ps.add(orig.path, at["sign_language_video.file"], "sign_language_video.file: %s lasts %s, more than the %s allowed", m.File, d.Round(time.Second), MaxVideoDuration)
			ok = false
		}
		v.DurationMS = d.Milliseconds()
	} else {
		ok = false
	}
	if f, size, good := stat("captions", m.Captions, []string{".vtt"}, MaxCaptionsBytes); good {
		src, err := io.ReadAll(io.LimitReader(f, size))
		f.Close()
		if err != nil {
			l.ps.add(orig.path, at["sign_language_video.captions"], "sign_language_video.captions: %s: %v", m.Captions, err)
			return nil
		}
		vtt := strings.TrimPrefix(m.Captions, "/")
		ps, _, last := checkWebVTT(src)
		for _, p := range ps {
			l.ps.add(vtt, pos{p.Line, p.Col}, "%s", p.Msg)
		}
		ok = ok && len(ps) == 0
		// A second's slack: editors round the last cue's end.
		if v.DurationMS > 0 && last > time.Duration(v.DurationMS)*time.Millisecond+time.Second {
			l.ps.add(orig.path, at["sign_language_video.captions"], "sign_language_video.captions: the last caption ends at %s, after the recording (%s): are they the captions of another recording?",
				fmtVTT(last), fmtVTT(time.Duration(v.DurationMS)*time.Millisecond))
			ok = false
		}
	} else {
		ok = false
	}
	if f, _, good := stat("poster", m.Poster, []string{".jpg", ".jpeg", ".png", ".webp"}, MaxPosterBytes); good {
		f.Close()
	} else {
		ok = false
	}
	if strings.TrimSpace(m.Transcript) != "" {
		rd := l.md.render([]byte(m.Transcript), auth, false)
		v.TranscriptHTML = rd.HTML
		for _, p := range rd.Problems {
			l.ps.add(orig.path, at["sign_language_video.transcript"], "sign_language_video.transcript: %s", p.Msg)
		}
		for _, lk := range rd.Links {
			if lk.Image {
				l.ps.add(orig.path, at["sign_language_video.transcript"], "sign_language_video.transcript: a transcript is text: leave out the image %s", lk.Dest)
			}
		}
	}
	if !ok {
		return nil
	}
	return v
}

// readerAt reads f at offsets: directly when it can seek (os and embed
// files can), or else from a copy in memory (a file within the bounds).
func readerAt(f fs.File, size int64) io.ReaderAt {
	if ra, ok := f.(io.ReaderAt); ok {
		return ra
	}
	if rs, ok := f.(io.ReadSeeker); ok {
		return io.NewSectionReader(seekReaderAt{rs}, 0, size)
	}
	b, err := io.ReadAll(io.LimitReader(f, size))
	if err != nil {
		return bytes.NewReader(nil)
	}
	return bytes.NewReader(b)
}

type seekReaderAt struct{ rs io.ReadSeeker }

func (s seekReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if _, err := s.rs.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	return io.ReadFull(s.rs, p)
}

// sizeText writes a size as editors read it: "48.2 MB", "120 KB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
