//go:build !linux

package content

import (
	"io/fs"
	"time"
)

// stamp tells whether a file may have changed since it was read: its size
// and modification time (stamp_linux.go has more).
type stamp struct {
	size, mtime int64
	ok          bool
}

func stampOf(e fs.DirEntry) stamp {
	fi, err := e.Info()
	if err != nil {
		return stamp{}
	}
	return stampOfInfo(fi)
}

// stampOfInfo returns the stamp of a file described by fi.
func stampOfInfo(fi fs.FileInfo) stamp {
	return stamp{size: fi.Size(), mtime: fi.ModTime().UnixNano(), ok: true}
}

func (s stamp) before(t time.Time) bool {
	window := racyWindow
	if s.mtime%1e9 == 0 {
		window = coarseWindow
	}
	return s.ok && s.mtime < t.Add(-window).UnixNano()
}

const racyWindow = 100 * time.Millisecond

// coarseWindow is racyWindow on a file system whose times are whole
// seconds (ext4 with small inodes, FAT, some network file systems): a
// change in the second of a load keeps the stamp that load saw.
const coarseWindow = 2 * time.Second
