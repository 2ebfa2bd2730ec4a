// Package videotest writes the files of a recording in Polish Sign
// Language for tests, without any encoder: a minimal MP4 (a file-type box
// and a movie box whose movie header gives the duration, ISO/IEC 14496-12
// §4.3, §8.2.2; no tracks, so it plays as nothing), WebVTT captions and a
// poster. Real recordings come from the City, never from here.
//
// It is for tests only: the site's code must not import it.
package videotest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"time"
)

// MP4 returns a minimal MP4 file lasting d.
func MP4(d time.Duration) []byte {
	box := func(typ string, payload ...[]byte) []byte {
		body := bytes.Join(payload, nil)
		out := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
		return append(append(out, typ...), body...)
	}
	ftyp := box("ftyp", []byte("isom"), []byte{0, 0, 2, 0}, []byte("isomiso2mp41"))
	const scale = 1000
	mvhd := binary.BigEndian.AppendUint32(nil, 0) // version 0, no flags
	mvhd = binary.BigEndian.AppendUint32(mvhd, 0) // created
	mvhd = binary.BigEndian.AppendUint32(mvhd, 0) // modified
	mvhd = binary.BigEndian.AppendUint32(mvhd, scale)
	mvhd = binary.BigEndian.AppendUint32(mvhd, uint32(d.Milliseconds()))
	mvhd = binary.BigEndian.AppendUint32(mvhd, 0x00010000) // rate 1.0
	mvhd = binary.BigEndian.AppendUint16(mvhd, 0x0100)     // volume 1.0
	mvhd = append(mvhd, make([]byte, 10)...)               // reserved
	for _, v := range []uint32{0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000} {
		mvhd = binary.BigEndian.AppendUint32(mvhd, v) // the unity matrix
	}
	mvhd = append(mvhd, make([]byte, 24)...)      // pre-defined
	mvhd = binary.BigEndian.AppendUint32(mvhd, 1) // next track id
	return append(append(ftyp, box("moov", box("mvhd", mvhd))...), box("mdat")...)
}

// VTT returns WebVTT captions of n cues of two seconds each.
func VTT(n int) []byte {
	var b bytes.Buffer
	b.WriteString("WEBVTT\n")
	for i := range n {
		fmt.Fprintf(&b, "\n%d\n00:00:%02d.000 --> 00:00:%02d.000\nZdanie %d.\n", i+1, 2*i, 2*i+2, i+1)
	}
	return b.Bytes()
}

// Poster returns a small PNG.
func Poster() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 9))
	for x := range 16 {
		for y := range 9 {
			img.Set(x, y, color.RGBA{0x1d, 0x4e, 0x89, 0xff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Write writes a recording of d with n cues into static/video/ of the
// static folder dir, as name.mp4, name.vtt and name.png.
func Write(dir, name string, d time.Duration, cues int) error {
	folder := filepath.Join(dir, "video")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return err
	}
	for ext, b := range map[string][]byte{".mp4": MP4(d), ".vtt": VTT(cues), ".png": Poster()} {
		if err := os.WriteFile(filepath.Join(folder, name+ext), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Field is the front matter of the recording Write wrote, for a page's
// authoritative file.
func Field(name, transcript string) string {
	return fmt.Sprintf("sign_language_video:\n  file: /static/video/%[1]s.mp4\n  captions: /static/video/%[1]s.vtt\n  poster: /static/video/%[1]s.png\n  transcript: |\n    %s\n", name, transcript)
}
