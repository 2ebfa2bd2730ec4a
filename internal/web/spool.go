package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// spillBytes is the size past which a response being rendered for the
// cache goes to a file instead of memory. The site's pages are 3–20 KB;
// what passes this is a whole-dataset file (the JSON of every declaration
// is 15 MB at 10,000 records, 75 MB at 100,000), which is then written,
// compressed and served from disk, never held in memory whole.
const spillBytes = 1 << 20

// cached is a response kept in the cache, with everything its headers
// need made once: a hit only copies slices.
type cached struct {
	key      string
	header   headerList // Content-Type, Content-Disposition, Cache-Control…
	identity variant
	gz, br   *variant // nil when the encoding is not smaller
	etag     string   // of the identity body; -gz and -br for the encodings
	size     int      // memory held
}

// variant is one encoding of a cached body with its header values: the
// body itself, or the file holding it.
type variant struct {
	body     []byte
	file     string // the body's file, when it is on disk
	etag     []string
	length   []string
	encoding []string // nil for identity
}

func newVariant(body []byte, file string, n int64, etag, encoding string) variant {
	v := variant{body: body, file: file, etag: []string{`"` + etag + `"`}, length: []string{strconv.FormatInt(n, 10)}}
	if encoding != "" {
		v.encoding = []string{encoding}
	}
	return v
}

// drop removes the files of a response kept on disk. A request already
// serving one keeps reading it (an open file outlives its name); one that
// has not opened it yet renders the page anew.
func (c *cached) drop() {
	for _, v := range []*variant{&c.identity, c.gz, c.br} {
		if v != nil && v.file != "" {
			os.Remove(v.file)
		}
	}
}

var varyEncoding = []string{"Accept-Encoding"}

// spoolDir is the folder of one snapshot's responses kept on disk, made on
// first use inside the server's cache folder and removed with the
// snapshot.
type spoolDir struct {
	root string
	once sync.Once
	dir  string
	err  error
}

func (d *spoolDir) create(pattern string) (*os.File, error) {
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

func (d *spoolDir) remove() {
	if d != nil && d.dir != "" {
		os.RemoveAll(d.dir)
	}
}

// recorder captures a response to cache it: in memory, and past spillBytes
// in a file of dir. It hashes the body as it comes, for the ETag.
type recorder struct {
	header http.Header
	status int
	buf    bytes.Buffer
	file   *os.File
	size   int64
	sum    hash.Hash
	dir    *spoolDir
	err    error
}

func newRecorder(dir *spoolDir) *recorder {
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
	if r.file == nil && r.buf.Len()+len(b) > spillBytes && r.dir != nil {
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

// newCached keeps a recorded response with its encodings and ETag: in
// memory, or on disk beside the recorder's file.
func newCached(key string, rec *recorder) (*cached, error) {
	etag := base64.RawURLEncoding.EncodeToString(rec.sum.Sum(nil)[:12])
	header := rec.header.Clone()
	header.Del("Content-Length")
	if header.Get("Cache-Control") == "" {
		// Shared caches (a CDN) may keep a page five minutes; after that
		// they revalidate with the ETag.
		header.Set("Cache-Control", "public, max-age=300")
	}
	c := &cached{key: key, header: newHeaderList(header), etag: etag}
	compress := compressible(c.header.get("Content-Type")) && rec.size > 256
	if rec.file == nil {
		body := bytes.Clone(rec.buf.Bytes())
		c.identity = newVariant(body, "", int64(len(body)), etag, "")
		c.size = len(key) + len(body) + 512
		if compress {
			c.gz = encodeMemory(body, etag, "gzip")
			c.br = encodeMemory(body, etag, "br")
			for _, v := range []*variant{c.gz, c.br} {
				if v != nil {
					c.size += len(v.body)
				}
			}
		}
		return c, nil
	}
	c.identity = newVariant(nil, rec.file.Name(), rec.size, etag, "")
	c.size = len(key) + 512
	if compress {
		var err error
		if c.gz, err = encodeFile(rec.file.Name(), rec.size, etag, "gzip"); err == nil {
			c.br, err = encodeFile(rec.file.Name(), rec.size, etag, "br")
		}
		if err != nil {
			c.drop()
			return nil, err
		}
	}
	return c, nil
}

// encoder returns a writer compressing into w with enc: the strongest
// levels for pages in memory (rendered once, served thousands of times;
// brotli 6: on a 13.6 KB declaration page, 1.7 ms for 3686 bytes, where
// level 11 takes 46 ms for 3385), faster ones for large files on disk
// (gzip 6 and brotli 4 compress the 15 MB declarations JSON in well under
// a second each).
func encoder(w io.Writer, enc string, large bool) io.WriteCloser {
	switch {
	case enc == "gzip" && large:
		zw, _ := gzip.NewWriterLevel(w, gzip.DefaultCompression)
		return zw
	case enc == "gzip":
		zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
		return zw
	case large:
		return brotli.NewWriterLevel(w, 4)
	}
	return brotli.NewWriterLevel(w, 6)
}

// encodeMemory compresses body with enc; nil when that is no smaller.
func encodeMemory(body []byte, etag, enc string) *variant {
	var b bytes.Buffer
	zw := encoder(&b, enc, false)
	zw.Write(body)
	zw.Close()
	if b.Len() >= len(body) {
		return nil
	}
	v := newVariant(b.Bytes(), "", int64(b.Len()), etag+"-"+suffix(enc), enc)
	return &v
}

// encodeFile compresses the file name (n bytes) with enc into a file
// beside it; nil when that is no smaller.
func encodeFile(name string, n int64, etag, enc string) (*variant, error) {
	in, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	out, err := os.Create(name + "." + suffix(enc))
	if err != nil {
		return nil, err
	}
	cw := &countingWriter{w: out}
	zw := encoder(cw, enc, true)
	_, err = io.Copy(zw, in)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil || cw.n >= n {
		os.Remove(out.Name())
		return nil, err
	}
	v := newVariant(nil, out.Name(), cw.n, etag+"-"+suffix(enc), enc)
	return &v, nil
}

func suffix(enc string) string {
	if enc == "gzip" {
		return "gz"
	}
	return enc
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func compressible(contentType string) bool {
	for _, t := range []string{"text/", "application/json", "application/xml", "application/atom+xml", "image/svg+xml", "application/x-", "application/vnd."} {
		if strings.HasPrefix(contentType, t) {
			return true
		}
	}
	return false
}

// serveCached writes a cached response in the best encoding the client
// accepts, or 304 when its copy is current. It reports false, having
// written nothing, when the response's file is gone (a reload or an
// eviction removed it): the caller then renders the page anew.
func serveCached(w http.ResponseWriter, r *http.Request, c *cached) bool {
	v := &c.identity
	if c.gz != nil || c.br != nil {
		if accepts := r.Header.Get("Accept-Encoding"); accepts != "" {
			switch {
			case c.br != nil && acceptsEncoding(accepts, "br"):
				v = c.br
			case c.gz != nil && acceptsEncoding(accepts, "gzip"):
				v = c.gz
			}
		}
	}
	notModified := false
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, c.etag) {
		notModified = true
	}
	var f *os.File
	if v.file != "" && !notModified {
		var err error
		if f, err = os.Open(v.file); err != nil {
			return false
		}
		defer f.Close()
	}
	h := w.Header()
	c.header.set(h)
	if c.gz != nil || c.br != nil {
		h["Vary"] = varyEncoding
	}
	h["Etag"] = v.etag
	if notModified {
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	if v.encoding != nil {
		h["Content-Encoding"] = v.encoding
	}
	if f != nil {
		// Large files: ranges (a download resumed) and sendfile.
		http.ServeContent(w, r, "", time.Time{}, f)
		return true
	}
	h["Content-Length"] = v.length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(v.body)
	}
	return true
}

// cacheFolder makes the server's folder for responses kept on disk, in
// root (the system's temporary folder when ""), first removing the folders
// of servers of this host that are gone.
func cacheFolder(root string) (string, error) {
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
