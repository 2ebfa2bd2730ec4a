package web

import (
	"errors"
	"strings"
	"syscall"
)

// acceptsEncoding reports whether an Accept-Encoding header accepts enc
// (and does not refuse it with q=0).
func acceptsEncoding(header, enc string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), enc) {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// etagMatches reports whether If-None-Match names any encoding of the page
// whose identity ETag is etag.
func etagMatches(header, etag string) bool {
	if strings.TrimSpace(header) == "*" {
		return true
	}
	for part := range strings.SplitSeq(header, ",") {
		tag := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		tag = strings.Trim(tag, `"`)
		if tag == etag || tag == etag+"-gz" || tag == etag+"-br" {
			return true
		}
	}
	return false
}

// processAlive reports whether process pid exists (signal 0 checks without
// sending anything; EPERM means it exists under another user).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
