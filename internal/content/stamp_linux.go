package content

import (
	"io/fs"
	"syscall"
	"time"
)

// stamp tells whether a file may have changed since it was read, as git's
// index does: its size, modification and status-change times (in
// nanoseconds) and inode. A file rewritten in place, replaced by a rename
// or touched all show a new stamp.
type stamp struct {
	size         int64
	mtime, ctime int64
	ino          uint64
	ok           bool
}

// stampOf returns the stamp of the walked entry e (an lstat); a stamp
// that could not be read matches nothing, so the file is read again.
func stampOf(e fs.DirEntry) stamp {
	fi, err := e.Info()
	if err != nil {
		return stamp{}
	}
	return stampOfInfo(fi)
}

// stampOfInfo returns the stamp of a file described by fi.
func stampOfInfo(fi fs.FileInfo) stamp {
	st := stamp{size: fi.Size(), mtime: fi.ModTime().UnixNano(), ok: true}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.ctime = time.Unix(sys.Ctim.Unix()).UnixNano()
		st.ino = sys.Ino
	}
	return st
}

// before reports whether the file's last change is older than t by more
// than a clock tick: a file changed in the tick of the walk that saw it
// could change again within that tick and keep its stamp.
func (s stamp) before(t time.Time) bool {
	if !s.ok {
		return false
	}
	window := racyWindow
	if s.mtime%1e9 == 0 && s.ctime%1e9 == 0 {
		window = coarseWindow // a file system that keeps whole seconds
	}
	limit := t.Add(-window).UnixNano()
	return s.mtime < limit && s.ctime < limit
}

// racyWindow is how recent a change is too recent to trust a stamp: well
// above the kernel's file-time granularity (file times come from the
// coarse clock, which lags by up to a jiffy: 1–10 ms).
const racyWindow = 100 * time.Millisecond

// coarseWindow is racyWindow on a file system whose times are whole
// seconds (ext4 with small inodes, FAT, some network file systems): a
// change in the second of a load keeps the stamp that load saw.
const coarseWindow = 2 * time.Second
