package cite

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/krakow/wspolpraca/internal/date"
)

// RIS returns w as one RIS record, as the RIS specification (Research
// Information Systems, "RIS Format Specifications") has it: "TY  - "
// first and "ER  - " last, each tag on a line of its own ending in CRLF,
// one line per value (clean leaves no line break in any field, so nothing
// a field holds can start a tag of its own). The author is in RISName's
// form, the title is Title(w).
func RIS(w Work) []byte {
	w = w.clean()
	var b bytes.Buffer
	tag := func(t, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s  - %s\r\n", t, v)
		}
	}
	tag("TY", "GEN")
	tag("ID", Key(w))
	tag("TI", Title(w))
	if w.Author != "" {
		tag("AU", RISName(w.Author))
	}
	tag("PY", strconv.Itoa(w.Date.From.Year))
	// RIS dates take no range: the first day, and the range itself in the
	// date's free-text part ("2017/06/29/29–30 June 2017").
	da := risDate(w.Date.From)
	if !w.Date.To.IsZero() {
		da += w.DateText
	}
	tag("DA", da)
	tag("M3", w.Kind)
	tag("CY", w.Place)
	tag("T2", w.Event)
	tag("LA", w.Lang)
	tag("UR", w.URL)
	tag("DB", w.Site)
	tag("N1", versionNote(w))
	b.WriteString("ER  - \r\n")
	return b.Bytes()
}

// risDate writes a date as RIS wants it: YYYY/MM/DD/, with unknown parts empty.
func risDate(d date.Date) string {
	s := fmt.Sprintf("%04d/", d.Year)
	if d.Month > 0 {
		s += fmt.Sprintf("%02d", d.Month)
	}
	s += "/"
	if d.Day > 0 {
		s += fmt.Sprintf("%02d", d.Day)
	}
	return s + "/"
}
