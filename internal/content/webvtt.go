package content

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// WebVTT is the captions format of HTML's <track>. checkWebVTT checks a
// file against the parts of the W3C WebVTT syntax (WebVTT: The Web Video
// Text Tracks Format, §4 "Syntax") that decide whether a browser shows a
// cue: the signature line, the blocks between blank lines, each cue's
// timings and settings, and cue text that does not hold "-->". It returns
// every problem found, with its line and column, and the end of the last
// cue (for comparing with the video's duration).
//
// Not checked: the markup inside cue text (<c>, <v>, <i>…: a browser shows
// what it cannot parse as text), REGION and STYLE blocks' contents.
func checkWebVTT(src []byte) (problems []vttProblem, cues int, last time.Duration) {
	add := func(line, col int, format string, args ...any) {
		// As for a content file: the first problems say what is wrong;
		// a file of thousands adds nothing but output.
		if len(problems) >= MaxProblemsPerFile {
			return
		}
		problems = append(problems, vttProblem{line, col, fmt.Sprintf(format, args...)})
	}
	if !utf8.Valid(src) {
		add(1, 1, "captions must be UTF-8 (§4.1): save the file as UTF-8")
		return problems, 0, 0
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	text := strings.ReplaceAll(strings.ReplaceAll(string(src), "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	// §4.1: "WEBVTT", then nothing, or a space or tab and anything but "-->".
	first := lines[0]
	if rest, ok := strings.CutPrefix(first, "WEBVTT"); !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		add(1, 1, `a WebVTT file starts with the line "WEBVTT" (§4.1), not %q`, clip(first))
		return problems, 0, 0
	} else if strings.Contains(rest, "-->") {
		add(1, 7+strings.Index(rest, "-->"), `the "WEBVTT" line must not hold "-->"`)
	}
	i := 1
	// The header's other lines (legacy metadata) run to the first blank line.
	for i < len(lines) && lines[i] != "" {
		if strings.Contains(lines[i], "-->") {
			add(i+1, 1, "a blank line must separate the WEBVTT line from the first cue")
		}
		i++
	}
	var prevStart time.Duration
	seenCue := false
	for i < len(lines) {
		if lines[i] == "" {
			i++
			continue
		}
		// A block: lines up to the next blank line.
		start := i
		for i < len(lines) && lines[i] != "" {
			i++
		}
		block := lines[start:i]
		head := block[0]
		switch {
		case head == "NOTE" || strings.HasPrefix(head, "NOTE ") || strings.HasPrefix(head, "NOTE\t"):
			for k, l := range block {
				if c := strings.Index(l, "-->"); c >= 0 {
					add(start+k+1, c+1, `a NOTE must not hold "-->" (§4.1)`)
				}
			}
			continue
		case (head == "STYLE" || head == "REGION") && !strings.Contains(head, "-->"):
			if seenCue {
				add(start+1, 1, "%s blocks come before the first cue (§4.1)", head)
			}
			continue
		}
		// A cue: an optional identifier, then its timings.
		t := 0
		if !strings.Contains(head, "-->") {
			t = 1
			if len(block) < 2 || !strings.Contains(block[1], "-->") {
				add(start+1, 1, `expected a cue's timings ("00:00:01.000 --> 00:00:04.000") after its identifier %q`, clip(head))
				continue
			}
		}
		seenCue = true
		cues++
		ln := start + t + 1
		from, to, ps := cueTimings(block[t])
		for _, p := range ps {
			add(ln, p.Col, "%s", p.Msg)
		}
		if len(ps) == 0 {
			if to <= from {
				add(ln, 1, "the cue ends (%s) before or when it starts (%s): its end must be later (§4.1)", fmtVTT(to), fmtVTT(from))
			}
			if from < prevStart {
				add(ln, 1, "the cue starts (%s) before the cue above it (%s): cues must be in order of their start (§4.1)", fmtVTT(from), fmtVTT(prevStart))
			}
			prevStart, last = from, max(last, to)
		}
		if len(block) == t+1 {
			add(ln, 1, "the cue has no text: write its caption on the lines after its timings")
		}
		for k, l := range block[t+1:] {
			if c := strings.Index(l, "-->"); c >= 0 {
				add(ln+1+k, utf8.RuneCountInString(l[:c])+1, `cue text must not hold "-->": is a blank line missing before the next cue?`)
			}
		}
	}
	if cues == 0 {
		add(len(lines), 1, "the captions have no cue")
	}
	return problems, cues, last
}

// vttProblem is a problem at a line and column of a WebVTT file.
type vttProblem struct {
	Line, Col int
	Msg       string
}

// cueTimings reads "start --> end [settings]" (§4.1 "WebVTT cue timings").
func cueTimings(line string) (from, to time.Duration, ps []vttProblem) {
	bad := func(col int, format string, args ...any) {
		ps = append(ps, vttProblem{0, col, fmt.Sprintf(format, args...)})
	}
	arrow := strings.Index(line, "-->")
	left := strings.TrimRight(line[:arrow], " \t")
	if left == "" || left != strings.TrimLeft(left, " \t") {
		bad(1, "a cue's timings start with its start time: 00:00:01.000 --> 00:00:04.000")
		return
	}
	if len(left) == arrow {
		bad(arrow+1, `write a space before "-->"`)
	}
	rest := line[arrow+3:]
	if !strings.HasPrefix(rest, " ") && !strings.HasPrefix(rest, "\t") {
		bad(arrow+4, `write a space after "-->"`)
		return
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		bad(arrow+4, `the cue has no end time after "-->"`)
		return
	}
	var err error
	if from, err = vttTimestamp(left); err != nil {
		bad(1, "start time %q: %v", left, err)
	}
	endCol := arrow + 4 + strings.Index(rest, fields[0])
	if to, err = vttTimestamp(fields[0]); err != nil {
		bad(endCol, "end time %q: %v", fields[0], err)
	}
	col := endCol + len(fields[0])
	for _, s := range fields[1:] {
		col = strings.Index(line[col-1:], s) + col
		name, value, ok := strings.Cut(s, ":")
		switch {
		case !ok || value == "":
			bad(col, "cue setting %q: write name:value, like align:center", s)
		case !vttSettings[name]:
			bad(col, "unknown cue setting %q: the settings are vertical, line, position, size, align and region (§4.4)", name)
		}
		col += len(s)
	}
	return from, to, ps
}

var vttSettings = map[string]bool{"vertical": true, "line": true, "position": true, "size": true, "align": true, "region": true}

// vttTimestamp reads a WebVTT timestamp (§4.1): [hh:]mm:ss.ttt, hours of
// two digits or more, minutes and seconds 00–59, exactly three digits of
// milliseconds.
func vttTimestamp(s string) (time.Duration, error) {
	hms, ms, ok := strings.Cut(s, ".")
	if !ok || len(ms) != 3 || !digitsOnly(ms) {
		return 0, fmt.Errorf("write it as mm:ss.ttt or hh:mm:ss.ttt, with three digits of milliseconds")
	}
	parts := strings.Split(hms, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("write it as mm:ss.ttt or hh:mm:ss.ttt")
	}
	var h int
	if len(parts) == 3 {
		if len(parts[0]) < 2 || !digitsOnly(parts[0]) {
			return 0, fmt.Errorf("hours have two digits or more")
		}
		// More would overflow a Duration; no recording lasts that long.
		if len(parts[0]) > 4 {
			return 0, fmt.Errorf("hours have at most four digits")
		}
		h, _ = strconv.Atoi(parts[0])
		parts = parts[1:]
	}
	if len(parts[0]) != 2 || len(parts[1]) != 2 || !digitsOnly(parts[0]) || !digitsOnly(parts[1]) {
		return 0, fmt.Errorf("minutes and seconds have two digits each")
	}
	m, _ := strconv.Atoi(parts[0])
	sec, _ := strconv.Atoi(parts[1])
	if m > 59 || sec > 59 {
		return 0, fmt.Errorf("minutes and seconds go up to 59")
	}
	milli, _ := strconv.Atoi(ms)
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second +
		time.Duration(milli)*time.Millisecond, nil
}

func digitsOnly(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func fmtVTT(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}
