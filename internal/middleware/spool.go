package middleware

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// SpillBytes is the size, in bytes, past which a response being rendered for the
// cache goes to a file instead of memory. The site's pages are 3–20 KB;
// what passes this is a whole-dataset file (the JSON of every declaration
// is 15 MB at 10,000 records, 75 MB at 100,000), which is then written,
// compressed and served from disk, never held in memory whole.
const SpillBytes = 1 << 20

// Spool is the folder of one content version's responses kept on disk,
// made on first use inside the server's cache folder (see Folder) and
// removed with the version (Remove).
type Spool struct {
	root string
	once sync.Once
	dir  string
	err  error
}

func (d *Spool) create(pattern string) (*os.File, error) {
	d.once.Do(func() {
		if d.root == "" {
			d.err = errors.New("no cache folder")
			return
		}
		d.dir, d.err = os.MkdirTemp(d.root, "v-")
	})
	if d.err != nil {
		return nil, d.err
	}
	return os.CreateTemp(d.dir, pattern)
}

// NewSpool returns the spool of a content version in root, the server's
// cache folder. Nothing is written until a response needs it.
func NewSpool(root string) *Spool { return &Spool{root: root} }

// Dir returns the spool's folder, or "" while it holds nothing.
func (d *Spool) Dir() string { return d.dir }

// Remove removes the spool's folder and every file in it. A request
// already serving one keeps reading it (an open file outlives its name).
func (d *Spool) Remove() {
	if d != nil && d.dir != "" {
		os.RemoveAll(d.dir)
	}
}

// recorder captures a response to cache it: in memory, and past SpillBytes
// in a file of dir. It hashes the body as it comes, for the ETag.
type recorder struct {
	header http.Header
	status int
	buf    bytes.Buffer
	file   *os.File
	size   int64
	sum    hash.Hash
	dir    *Spool
	err    error
}

func newRecorder(dir *Spool) *recorder {
	return &recorder{header: http.Header{}, sum: sha256.New(), dir: dir}
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.err != nil {
		return 0, r.err
	}
	r.sum.Write(b)
	r.size += int64(len(b))
	if r.file == nil && r.buf.Len()+len(b) > SpillBytes && r.dir != nil {
		f, err := r.dir.create("body-*")
		if err == nil {
			_, err = f.Write(r.buf.Bytes())
		}
		if err != nil {
			r.err = err
			return 0, err
		}
		r.file = f
		r.buf = bytes.Buffer{}
	}
	if r.file != nil {
		n, err := r.file.Write(b)
		if err != nil {
			r.err = err
		}
		return n, err
	}
	return r.buf.Write(b)
}

// close ends the body, and returns the error of writing it, if any.
func (r *recorder) close() error {
	if r.file != nil {
		if err := r.file.Close(); err != nil && r.err == nil {
			r.err = err
		}
	}
	return r.err
}

// discard removes the recorder's file, if any.
func (r *recorder) discard() {
	if r.file != nil {
		os.Remove(r.file.Name())
	}
}

// keep reports whether the response may be cached and shared: a 200,
// written whole, setting no cookie and not marked no-store.
func (r *recorder) keep() bool {
	return r.err == nil && r.status == http.StatusOK && r.header.Get("Set-Cookie") == "" &&
		!strings.Contains(r.header.Get("Cache-Control"), "no-store")
}

// copyTo writes the recorded response to w as it is.
func (r *recorder) copyTo(w http.ResponseWriter, req *http.Request) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.file == nil {
		w.WriteHeader(r.status)
		if req.Method != http.MethodHead {
			w.Write(r.buf.Bytes())
		}
		return
	}
	defer r.discard()
	f, err := os.Open(r.file.Name())
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Length", strconv.FormatInt(r.size, 10))
	w.WriteHeader(r.status)
	if req.Method != http.MethodHead {
		io.Copy(w, f)
	}
}

// Folder makes the server's folder for responses kept on disk, in root
// (the system's temporary folder when ""), named site-cache-pPID-*, first
// removing the folders of servers of this host that are gone. The server
// removes it when it closes.
func Folder(root string) (string, error) {
	if root == "" {
		root = os.TempDir()
	}
	names, _ := filepath.Glob(filepath.Join(root, "site-cache-p*-*"))
	for _, name := range names {
		var pid int
		rest := strings.TrimPrefix(filepath.Base(name), "site-cache-p")
		if i := strings.IndexByte(rest, '-'); i > 0 {
			pid, _ = strconv.Atoi(rest[:i])
		}
		if pid > 0 && pid != os.Getpid() && !processAlive(pid) {
			os.RemoveAll(name)
		}
	}
	return os.MkdirTemp(root, "site-cache-p"+strconv.Itoa(os.Getpid())+"-")
}

// processAlive reports whether process pid exists (signal 0 checks without
// sending anything; EPERM means it exists under another user).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
