package publish

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// File is the file, relative to a version's folder, that holds the answer
// for the address p, where docs/nginx-production.conf looks for it
// ($krakow_file): an address ending in a slash (/, a language's home page
// /en/) is a folder with an index.html; any other page (no dot in its last
// segment) is its address plus .html, so that /en and /deklaracje/, which
// the program redirects, are not found and go to it; a file keeps its
// name (/atom.xml, /og/deklaracje/x.png).
func File(p string) string {
	clean := path.Clean("/" + p)
	switch {
	case clean == "/":
		return "index.html"
	case strings.HasSuffix(p, "/"):
		return filepath.FromSlash(clean[1:] + "/index.html")
	case strings.Contains(path.Base(clean), "."):
		return filepath.FromSlash(clean[1:])
	default:
		return filepath.FromSlash(clean[1:] + ".html")
	}
}

// Header includes, written by the publisher with the export's
// (nginx-maps.conf, nginx-types.conf): HeaderMaps in nginx's http block,
// HeaderLines where the files are served.
const (
	HeaderMaps  = "nginx-header-maps.conf"
	HeaderLines = "nginx-headers.conf"
)

// notCopied are the response headers nginx does not take from the
// program's answers: those it makes itself for each file (type, length,
// encoding, validators, Vary with gzip_static), those of one response
// (the request id), those the export's includes give (CORS), and
// Content-Disposition, which names each citation file apart (a map of
// every one would need nginx reloaded for each new record).
var notCopied = map[string]bool{
	"Content-Type": true, "Content-Length": true, "Content-Encoding": true, "Etag": true,
	"Last-Modified": true, "Vary": true, "Date": true, "Accept-Ranges": true, "X-Request-Id": true,
	"Access-Control-Allow-Origin": true, "Access-Control-Expose-Headers": true,
	"Content-Disposition": true, "Transfer-Encoding": true, "Connection": true,
}

// maxExceptions bounds the addresses whose header differs from the
// header's commonest value: each is a line of an nginx map, which nginx
// must be given a larger hash for past a few thousand.
const maxExceptions = 1000

// Headers records the headers of the program's answers (200) that nginx
// must send as the program does, and writes them as nginx includes: a
// header with one value on every file as it is; one that differs as a map
// from the address to its value, with the commonest value as the default.
type Headers struct {
	mu    sync.Mutex
	paths []string
	seen  map[string]map[string]string // header → address → value
}

// Record returns h, recording the headers of its answers in the Headers
// returned.
func Record(h http.Handler) (http.Handler, *Headers) {
	hs := &Headers{seen: map[string]map[string]string{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if r.Method == http.MethodGet && sw.status() == http.StatusOK {
			hs.add(r.URL.Path, w.Header())
		}
	}), hs
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) status() int { return cmp.Or(w.code, http.StatusOK) }

func (hs *Headers) add(p string, h http.Header) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	hs.paths = append(hs.paths, p)
	for name, vs := range h {
		if notCopied[name] {
			continue
		}
		if hs.seen[name] == nil {
			hs.seen[name] = map[string]string{}
		}
		hs.seen[name][p] = strings.Join(vs, ", ")
	}
}

// Includes returns the two includes: HeaderMaps and HeaderLines.
func (hs *Headers) Includes() (map[string][]byte, error) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	var mapConf, lines bytes.Buffer
	mapConf.WriteString("# Written by `site serve -publish`; docs/nginx-production.conf includes it in\n" +
		"# the http block. The program's headers that differ between its files, by the address\n" +
		"# asked for ($krakow_path: try_files changes $uri to the file's name).\n")
	lines.WriteString("# Written by `site serve -publish`; docs/nginx-production.conf includes it where\n" +
		"# it serves the files: the program's headers, as it sends them with every file.\n")
	for _, name := range slices.Sorted(maps.Keys(hs.seen)) {
		if !token(name) {
			return nil, fmt.Errorf("publish: header %q cannot be written for nginx", name)
		}
		byPath := hs.seen[name]
		counts := map[string]int{}
		for _, p := range hs.paths {
			counts[byPath[p]]++ // "" where the header is absent
		}
		common := ""
		for v, n := range counts {
			if n > counts[common] || n == counts[common] && v < common {
				common = v
			}
		}
		for v := range counts {
			if !safeValue(v) {
				return nil, fmt.Errorf("publish: the value of %s, %q, cannot be written for nginx", name, v)
			}
		}
		if len(counts) == 1 {
			fmt.Fprintf(&lines, "add_header %s \"%s\" always;\n", name, common)
			continue
		}
		variable := "$krakow_h_" + strings.ToLower(strings.ReplaceAll(name, "-", "_"))
		fmt.Fprintf(&mapConf, "map $krakow_path %s {\n    default \"%s\";\n", variable, common)
		exceptions := 0
		for _, p := range slices.Sorted(slices.Values(hs.paths)) {
			if v := byPath[p]; v != common {
				if exceptions++; exceptions > maxExceptions {
					return nil, fmt.Errorf("publish: %s differs on more than %d files: too many for an nginx map", name, maxExceptions)
				}
				if !safePath(p) {
					return nil, fmt.Errorf("publish: the address %q cannot be written for nginx", p)
				}
				fmt.Fprintf(&mapConf, "    \"%s\" \"%s\";\n", p, v)
			}
		}
		mapConf.WriteString("}\n")
		fmt.Fprintf(&lines, "add_header %s %s always;\n", name, variable)
	}
	return map[string][]byte{HeaderMaps: mapConf.Bytes(), HeaderLines: lines.Bytes()}, nil
}

// token reports whether a header's name can be written as it is.
func token(s string) bool {
	return s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == ""
}

// safeValue reports whether v can be written in double quotes in nginx's
// configuration, where a backslash escapes and $ starts a variable.
func safeValue(v string) bool {
	return !strings.ContainsAny(v, "\"\\$\r\n\t{}")
}

// safePath reports whether an address can be written in quotes as it is.
func safePath(p string) bool {
	return strings.Trim(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._~-") == ""
}
