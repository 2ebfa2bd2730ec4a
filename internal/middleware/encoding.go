package middleware

import "strings"

// acceptsEncoding reports whether an Accept-Encoding header accepts the
// content coding enc, by RFC 9110 §12.5.3: codings and parameter names are
// case-insensitive, "x-gzip" is gzip (§8.4.1.3), a coding's own qvalue
// wins over the "*" one, and a qvalue of 0 refuses; an element whose
// qvalue is not one (§12.4.2: 0 to 1, at most three decimals) is ignored.
func acceptsEncoding(header, enc string) bool {
	own, any := -1.0, -1.0
	for part := range strings.SplitSeq(header, ",") {
		params := strings.Split(part, ";")
		name := strings.ToLower(strings.TrimSpace(params[0]))
		if name == "x-gzip" {
			name = "gzip"
		}
		q, ok := 1.0, true
		for _, p := range params[1:] {
			k, v, _ := strings.Cut(p, "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				q, ok = qvalue(strings.TrimSpace(v))
			}
		}
		switch {
		case !ok:
		case name == strings.ToLower(enc):
			own = max(own, q)
		case name == "*":
			any = max(any, q)
		}
	}
	if own >= 0 {
		return own > 0
	}
	return any > 0
}

// qvalue parses a weight as RFC 9110 §12.4.2 writes it: "0", "0.5",
// "1.000"; ok is false for anything else.
func qvalue(s string) (float64, bool) {
	if len(s) == 0 || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	if len(s) > 1 && s[1] != '.' {
		return 0, false
	}
	q := float64(s[0] - '0')
	scale := 0.1
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' || (s[0] == '1' && s[i] != '0') {
			return 0, false
		}
		q += float64(s[i]-'0') * scale
		scale /= 10
	}
	return q, true
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
