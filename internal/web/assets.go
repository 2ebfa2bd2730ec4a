package web

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/krakow/wspolpraca/internal/urls"
)

// assets serves static/: the stylesheet under a fingerprinted name
// (/static/site.<hash>.css) that can be cached for a year, and the other
// files under their own names.
type assets struct {
	fsys    fs.FS
	cssPath string // /static/site.<hash>.css
	css     []byte
	favicon []byte
}

func newAssets(fsys fs.FS) (*assets, error) {
	if fsys == nil {
		return nil, fmt.Errorf("web: no static assets")
	}
	css, err := fs.ReadFile(fsys, "css/site.css")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	ico, err := fs.ReadFile(fsys, "favicon.ico")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	sum := sha256.Sum256(css)
	return &assets{
		fsys:    fsys,
		css:     css,
		cssPath: urls.Static + "site." + hex.EncodeToString(sum[:])[:12] + ".css",
		favicon: ico,
	}, nil
}

// handleStatic serves /static/…: the fingerprinted stylesheet, immutable,
// and the other files with a day's caching.
// staticName returns the file of static/ that the address p names, if it
// may name one: under /static/, a valid name with an extension, and not the
// stylesheet's sources (served only fingerprinted).
func staticName(p string) (string, bool) {
	name, ok := strings.CutPrefix(p, urls.Static)
	if !ok || !fs.ValidPath(name) || strings.HasPrefix(name, "css/") || path.Ext(name) == "" {
		return "", false
	}
	return name, true
}

// has reports whether handleStatic serves a file at the address p.
func (a *assets) has(p string) bool {
	if p == a.cssPath {
		return true
	}
	name, ok := staticName(p)
	if !ok {
		return false
	}
	fi, err := fs.Stat(a.fsys, name)
	return err == nil && fi.Mode().IsRegular()
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	a := s.assets.Load()
	if r.URL.Path == a.cssPath {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		return writeBytes(w, r, "text/css; charset=utf-8", a.css)
	}
	name, ok := staticName(r.URL.Path)
	if !ok {
		return errNotFound
	}
	// Copied from the file, not read whole first: a recording may be
	// 64 MB, and the page cache spools what passes 1 MB to disk (whence
	// it answers Range requests, which players of MP4 send).
	f, err := a.fsys.Open(name)
	if err != nil {
		return errNotFound
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return errNotFound
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Content-Type", staticType(name))
	w.Header().Set("Content-Length", strconv.FormatInt(fi.Size(), 10))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		io.Copy(w, f)
	}
	return nil
}

func (s *Server) handleFavicon(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "public, max-age=86400")
	return writeBytes(w, r, "image/vnd.microsoft.icon", s.assets.Load().favicon)
}

// writeBytes answers 200 with b.
// startStream begins a response of contentType whose body is written as
// it is made, and returns the writer of the body; false for a HEAD
// request, which has none. (In the page cache the body goes to a recorder,
// which keeps it — on disk past spillBytes — and sets its length.)
func startStream(w http.ResponseWriter, r *http.Request, contentType string) (*bufio.Writer, bool) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil, false
	}
	return bufio.NewWriterSize(w, 32<<10), true
}

// heavy waits for one of the few places for building a whole-dataset file
// and returns the function that frees it: however many such files are
// asked for at once, at most heavyBuilds are built at a time, so their
// memory stays bounded (each is built once per content version).
func (s *Server) heavy() func() {
	s.builds <- struct{}{}
	return func() { <-s.builds }
}

// heavyBuilds is how many whole-dataset files are built at once.
const heavyBuilds = 2

func writeBytes(w http.ResponseWriter, r *http.Request, contentType string, b []byte) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", fmt.Sprint(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
	return nil
}
