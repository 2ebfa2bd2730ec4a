// Command bare is the ceiling of make bench for a Go server: net/http with
// no middleware, writing one page's bytes from memory with precomputed
// headers, and its gzip bytes when the request accepts gzip (as the site
// serves a cached page).
//
//	bare -addr 127.0.0.1:8081 -file page.html [-gzip page.html.gz] [-headers page.h -gzip-headers page.gz.h]
//
// With -headers (and -gzip-headers), it sends the header lines of those
// files ("Name: value", as curl -D writes them; the status line and Date
// are skipped, net/http writes its own) in place of its own three: the
// same bytes as the site's response, but for Date and the request id's
// value.
//
// With -limits, the server has the site's limits (timeouts, header size):
// what a server exposed to the Internet must have, which are not
// middleware.
//
// It is a measuring tool, not part of the site: it must not import the
// site's packages, so that it stays the ceiling the site is compared with.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"log"
	"net/http"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	file := flag.String("file", "", "the page to serve")
	gz := flag.String("gzip", "", "the same page, gzip-compressed")
	headers := flag.String("headers", "", "the headers to send with the page (curl -D)")
	gzHeaders := flag.String("gzip-headers", "", "the headers to send with the gzip page (curl -D)")
	limits := flag.Bool("limits", false, "the site's server limits (timeouts, header size: cmd/site's httpServer)")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	var zipped []byte
	if *gz != "" {
		if zipped, err = os.ReadFile(*gz); err != nil {
			log.Fatal(err)
		}
	}
	plain := http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Length": {strconv.Itoa(len(body))}, "Vary": {"Accept-Encoding"}}
	packed := http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Length": {strconv.Itoa(len(zipped))}, "Content-Encoding": {"gzip"}, "Vary": {"Accept-Encoding"}}
	if *headers != "" {
		plain = readHeaders(*headers)
	}
	if *gzHeaders != "" {
		packed = readHeaders(*gzHeaders)
	}
	srv := &http.Server{Addr: *addr}
	if *limits {
		// The same values as cmd/site's httpServer (not imported: see
		// above).
		srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout = 5*time.Second, 10*time.Second, 30*time.Second, 120*time.Second
		srv.MaxHeaderBytes = 16<<10 - 4096
	}
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, b := plain, body
		if zipped != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h, b = packed, zipped
		}
		for k, v := range h {
			w.Header()[k] = v
		}
		w.Write(b)
	})
	log.Fatal(srv.ListenAndServe())
}

// readHeaders reads a response's header lines as curl -D writes them.
func readHeaders(name string) http.Header {
	b, err := os.ReadFile(name)
	if err != nil {
		log.Fatal(err)
	}
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(b)))
	if _, err := r.ReadLine(); err != nil { // HTTP/1.1 200 OK
		log.Fatal(err)
	}
	mh, err := r.ReadMIMEHeader()
	if err != nil {
		log.Fatal(err)
	}
	h := http.Header(mh)
	h.Del("Date")
	return h
}
