package fold

import "strings"

// Control names r if it is a character no text of the site may hold, and
// returns "" for any other. Tabs and line feeds are text. Refused are a
// carriage return (a line break to line-based formats — iCalendar, RIS,
// CSV — where none was meant: a calendar client reads what follows as a
// new property), the other C0 controls and DEL, the C1 controls, the
// Unicode line and paragraph separators, the bidirectional embeddings,
// overrides and isolates (which make a text read differently from what it
// says), and a byte order mark inside a text. The content check refuses
// them (content.Load), and every writer of a line-based format drops them
// (StripControls), so neither alone has to be right.
func Control(r rune) string {
	switch {
	case r == '\t' || r == '\n':
		return ""
	case r == '\r':
		return "carriage return"
	case r < 0x20 || r == 0x7f:
		return "control character"
	case r >= 0x80 && r <= 0x9f:
		return "C1 control character"
	case r == 0x2028:
		return "line separator"
	case r == 0x2029:
		return "paragraph separator"
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return "bidirectional override"
	case r == 0xfeff:
		return "byte order mark inside the text"
	}
	return ""
}

// StripControls returns s without the characters Control names ("\r\n"
// becomes "\n").
func StripControls(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, s)
}

func isControl(r rune) bool { return Control(r) != "" }
