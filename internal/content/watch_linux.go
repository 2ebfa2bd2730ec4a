package content

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/unix"
)

// watcher tells which files of a folder changed, from the kernel's
// inotify events: a Loader that watches its folder stats only those files
// instead of every one (20,000 lstat calls take 80 ms here). The events
// are read without blocking, when asked: an event is queued by the write
// or rename that makes it, before that call returns, so a load started
// after an editor's save sees it.
type watcher struct {
	fd     int
	root   string
	rootID [2]uint64        // the root's device and inode (after symbolic links)
	dirs   map[int32]string // watch descriptor → folder, relative to root
	buf    []byte
}

// watchMask is what a watch reports: files written, their attributes
// changed, created, deleted and renamed, and the folder itself deleted or
// renamed.
const watchMask = unix.IN_MODIFY | unix.IN_ATTRIB | unix.IN_CLOSE_WRITE | unix.IN_CREATE | unix.IN_DELETE |
	unix.IN_MOVED_FROM | unix.IN_MOVED_TO | unix.IN_DELETE_SELF | unix.IN_MOVE_SELF

func newWatcher(root string) (*watcher, error) {
	var fs unix.Statfs_t
	if err := unix.Statfs(root, &fs); err != nil {
		return nil, &os.PathError{Op: "statfs", Path: root, Err: err}
	}
	if !localFS[int64(fs.Type)] {
		return nil, fmt.Errorf("%s is on a file system (type %#x) whose changes the kernel may not report: %w", root, fs.Type, errNotLocal)
	}
	id, err := fileID(root)
	if err != nil {
		return nil, err
	}
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		return nil, &os.SyscallError{Syscall: "inotify_init1", Err: err}
	}
	return &watcher{fd: fd, root: root, rootID: id, dirs: map[int32]string{}, buf: make([]byte, 64<<10)}, nil
}

// localFS are the file systems (statfs magic numbers, linux/magic.h)
// whose every change goes through this kernel, which reports it: not
// network or FUSE file systems, where another machine (or the host of a
// virtual machine) may change files unseen.
var localFS = map[int64]bool{
	0xEF53:     true, // ext2, ext3, ext4
	0x58465342: true, // xfs
	0x9123683E: true, // btrfs
	0x01021994: true, // tmpfs
	0x794C7630: true, // overlayfs (containers)
	0xF2F52010: true, // f2fs
	0x2FC12FC1: true, // zfs
}

// fileID returns the device and inode of the file at p, after symbolic
// links.
func fileID(p string) ([2]uint64, error) {
	var st unix.Stat_t
	if err := unix.Stat(p, &st); err != nil {
		return [2]uint64{}, &os.PathError{Op: "stat", Path: p, Err: err}
	}
	return [2]uint64{st.Dev, st.Ino}, nil
}

// sameRoot reports whether the root is the folder it was: a folder put in
// its place (a symbolic link switched to a new release, say) is not
// watched, and must be walked.
func (w *watcher) sameRoot() bool {
	id, err := fileID(w.root)
	if err != nil || id != w.rootID {
		w.rootID = id
		return false
	}
	return true
}

// add watches the folder rel (relative to the root, "." for the root).
func (w *watcher) add(rel string) error {
	wd, err := unix.InotifyAddWatch(w.fd, filepath.Join(w.root, filepath.FromSlash(rel)), watchMask|unix.IN_ONLYDIR)
	if err != nil {
		return &os.SyscallError{Syscall: "inotify_add_watch", Err: err}
	}
	w.dirs[int32(wd)] = rel
	return nil
}

// changed reads the events queued since the last call and returns the
// paths (relative to the root) of the files they name, or all = true when
// they cannot tell: the queue overflowed, a folder was created, deleted or
// renamed, or reading failed.
func (w *watcher) changed() (paths []string, all bool) {
	for {
		n, err := unix.Read(w.fd, w.buf)
		if errors.Is(err, unix.EAGAIN) || err == nil && n <= 0 {
			return paths, all
		}
		if err != nil {
			return nil, true
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&w.buf[off]))
			name := w.buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
			off += unix.SizeofInotifyEvent + int(ev.Len)
			for len(name) > 0 && name[len(name)-1] == 0 {
				name = name[:len(name)-1]
			}
			dir, known := w.dirs[ev.Wd]
			switch {
			case ev.Mask&unix.IN_Q_OVERFLOW != 0, !known,
				ev.Mask&(unix.IN_DELETE_SELF|unix.IN_MOVE_SELF|unix.IN_IGNORED) != 0,
				ev.Mask&unix.IN_ISDIR != 0:
				all = true
			case len(name) > 0:
				paths = append(paths, path.Join(dir, string(name)))
			}
		}
	}
}

func (w *watcher) close() error { return unix.Close(w.fd) }
