package middleware

import (
	"net/http"
	"slices"
)

// Headers is a response's fixed headers, kept as a list: ranging over a
// map costs more, on every request. Make one with NewHeaders.
type Headers []headerField

type headerField struct {
	key    string // canonical
	values []string
}

// NewHeaders returns the headers of h, keys in canonical form (h is not
// kept).
func NewHeaders(h http.Header) Headers {
	l := make(Headers, 0, len(h))
	for k, v := range h {
		l = append(l, headerField{http.CanonicalHeaderKey(k), slices.Clip(slices.Clone(v))})
	}
	return l
}

// Set sets every header of l in h, replacing what h had under its keys.
func (l Headers) Set(h http.Header) {
	for _, f := range l {
		h[f.key] = f.values
	}
}

// Get returns the first value of key (canonical), or "".
func (l Headers) Get(key string) string {
	for _, f := range l {
		if f.key == key && len(f.values) > 0 {
			return f.values[0]
		}
	}
	return ""
}
