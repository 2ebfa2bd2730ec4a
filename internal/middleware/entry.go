package middleware

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
)

// cached is a response kept in the cache, with everything its headers
// need made once: a hit only copies slices.
type cached struct {
	key      string
	header   Headers // Content-Type, Content-Disposition, Cache-Control…
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
	c := &cached{key: key, header: NewHeaders(header), etag: etag}
	compress := compressible(c.header.Get("Content-Type")) && rec.size > 256
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
	c.header.Set(h)
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
