package templates

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"

	"github.com/a-h/templ"
)

var placeholder = regexp.MustCompile(`\{([a-z]+)\}`)

// fill renders the catalogue message msg with each {name} replaced by the
// component parts[name] (a link, an element with an id): the words around
// them stay in the catalogue, in the order the language puts them. The
// message's text is escaped; a placeholder without a part is written as it
// is. A part whose text ends with a full stop ("25 listopada 2026 r.")
// followed by the sentence's own full stop is written with one stop.
func fill(msg string, parts map[string]templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		last := 0
		stop := false // the last part's text ended with a full stop
		write := func(s string) error {
			if stop && strings.HasPrefix(s, ".") && !strings.HasPrefix(s, "..") {
				s = s[1:]
			}
			stop = false
			_, err := io.WriteString(w, templ.EscapeString(s))
			return err
		}
		for _, m := range placeholder.FindAllStringSubmatchIndex(msg, -1) {
			if err := write(msg[last:m[0]]); err != nil {
				return err
			}
			if c, ok := parts[msg[m[2]:m[3]]]; ok {
				var b bytes.Buffer
				if err := c.Render(ctx, &b); err != nil {
					return err
				}
				if _, err := w.Write(b.Bytes()); err != nil {
					return err
				}
				visible := strings.TrimRight(trailingTags.ReplaceAllString(b.String(), ""), " ")
				stop = strings.HasSuffix(visible, ".") && !strings.HasSuffix(visible, "..")
			} else if err := write(msg[m[0]:m[1]]); err != nil {
				return err
			}
			last = m[1]
		}
		return write(msg[last:])
	})
}

// trailingTags are the closing (or any) tags at the end of rendered HTML.
var trailingTags = regexp.MustCompile(`(?:<[^>]*>)+$`)

var doubleStop = regexp.MustCompile(`([^.])\.\.([^.]|$)`)

// sentence joins a date that ends with a full stop ("16 grudnia 2022 r.")
// and the full stop of the sentence it ends: one stop, not two (an
// ellipsis, three, is left alone).
func sentence(s string) string {
	return doubleStop.ReplaceAllString(s, "$1.$2")
}
