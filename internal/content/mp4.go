package content

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// mp4Duration reads the duration of an MP4 file (ISO/IEC 14496-12, the
// ISO base media file format) from its movie header: the file must start
// with a file-type box (ftyp, §4.3) and hold a movie box (moov, §8.2.1)
// whose movie header (mvhd, §8.2.2) gives a time scale and a duration.
// Boxes are skipped, not read, so the cost does not depend on the size of
// the media data. r is read from its start; size is the file's size.
func mp4Duration(r io.ReaderAt, size int64) (time.Duration, error) {
	var head [8]byte
	if _, err := r.ReadAt(head[:], 0); err != nil || string(head[4:]) != "ftyp" {
		return 0, errors.New("not an MP4 file: it does not start with a file-type box (ftyp)")
	}
	var off int64
	for off < size {
		typ, start, end, err := mp4Box(r, off, size)
		if err != nil {
			return 0, err
		}
		if typ == "moov" {
			return mvhd(r, start, end)
		}
		off = end
	}
	return 0, errors.New("the MP4 file has no movie box (moov): it cannot be played; export it again (with the movie box at the start, for streaming)")
}

// mp4Box reads the header of the box at off: its type, where its content
// starts and where the box ends.
func mp4Box(r io.ReaderAt, off, size int64) (typ string, start, end int64, err error) {
	var h [16]byte
	if _, err := r.ReadAt(h[:8], off); err != nil {
		return "", 0, 0, fmt.Errorf("box at byte %d: %w", off, err)
	}
	n, typ := int64(binary.BigEndian.Uint32(h[:4])), string(h[4:8])
	start = off + 8
	switch n {
	case 0: // to the end of the file
		n = size - off
	case 1: // a 64-bit size follows
		if _, err := r.ReadAt(h[8:16], off+8); err != nil {
			return "", 0, 0, fmt.Errorf("box %q at byte %d: %w", typ, off, err)
		}
		n, start = int64(binary.BigEndian.Uint64(h[8:16])), off+16
	}
	if n < start-off || n > size-off {
		return "", 0, 0, fmt.Errorf("box %q at byte %d has a size (%d) that does not fit the file: the file is damaged or cut short", typ, off, n)
	}
	return typ, start, off + n, nil
}

// mvhd finds the movie header among the children of the moov box
// [start, end) and returns the movie's duration.
func mvhd(r io.ReaderAt, start, end int64) (time.Duration, error) {
	for off := start; off < end; {
		typ, cstart, cend, err := mp4Box(r, off, end)
		if err != nil {
			return 0, err
		}
		if typ != "mvhd" {
			off = cend
			continue
		}
		var b [32]byte
		n := min(cend-cstart, int64(len(b)))
		if _, err := r.ReadAt(b[:n], cstart); err != nil && !errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("movie header: %w", err)
		}
		var scale uint32
		var dur uint64
		switch {
		case b[0] == 0 && n >= 20: // version 0: 32-bit times
			scale, dur = binary.BigEndian.Uint32(b[12:16]), uint64(binary.BigEndian.Uint32(b[16:20]))
		case b[0] == 1 && n >= 32: // version 1: 64-bit times
			scale, dur = binary.BigEndian.Uint32(b[20:24]), binary.BigEndian.Uint64(b[24:32])
		default:
			return 0, errors.New("the movie header (mvhd) is damaged")
		}
		if scale == 0 {
			return 0, errors.New("the movie header (mvhd) has no time scale")
		}
		if dur == 0 || dur == 1<<32-1 || dur == 1<<64-1 {
			return 0, errors.New("the movie header (mvhd) gives no duration")
		}
		// Checked in seconds before it becomes a Duration, which a crafted
		// header (2^63 ticks) would overflow into a negative length.
		if secs := float64(dur) / float64(scale); secs > MaxVideoDuration.Seconds()*2 {
			return 0, fmt.Errorf("the movie header (mvhd) gives a length of %.0f s, far beyond the %s allowed", secs, MaxVideoDuration)
		}
		return time.Duration(float64(dur) / float64(scale) * float64(time.Second)), nil
	}
	return 0, errors.New("the movie box (moov) has no movie header (mvhd)")
}
