package date

import (
	"strconv"
	"strings"
)

// Names are how a language writes dates, from its message catalogue
// (catalog.Labels): month names in the case a day takes ("grudnia",
// "грудня", "December") and standing alone ("grudzień", "грудень"), and
// patterns with {day}, {month} and {year}.
type Names struct {
	Genitive   [12]string // "16 grudnia"
	Standalone [12]string // "grudzień 2022"
	Day        string     // "{day} {month} {year} r."
	DayMonth   string     // "{day} {month}", a range's first day in the same year
	Month      string     // "{month} {year} r."
	Year       string     // "{year} r."
}

func fill(pattern string, day int, month, year string) string {
	s := strings.ReplaceAll(pattern, "{day}", strconv.Itoa(day))
	s = strings.ReplaceAll(s, "{month}", month)
	return strings.ReplaceAll(s, "{year}", year)
}

// Format writes d as n says, no more precise than d: "16 grudnia 2022 r.",
// "sierpień 2021 r.", "2015 r."; "16 December 2022".
func (d Date) Format(n Names) string {
	if d.IsZero() {
		return ""
	}
	y := strconv.Itoa(d.Year)
	switch d.Precision() {
	case Year:
		return fill(n.Year, 0, "", y)
	case Month:
		return fill(n.Month, 0, n.Standalone[d.Month-1], y)
	}
	return fill(n.Day, d.Day, n.Genitive[d.Month-1], y)
}

// Format writes r as n says, sharing what both ends share:
// "29–30 czerwca 2017 r.", "29 June – 2 July 2017".
func (r Range) Format(n Names) string {
	f, t := r.From, r.To
	if t.IsZero() {
		return f.Format(n)
	}
	const dash = "–"
	switch {
	case f.Precision() == Day && f.Year == t.Year && f.Month == t.Month:
		return strconv.Itoa(f.Day) + dash + t.Format(n)
	case f.Precision() == Day && f.Year == t.Year:
		return fill(n.DayMonth, f.Day, n.Genitive[f.Month-1], "") + " " + dash + " " + t.Format(n)
	case f.Precision() == Year:
		return strconv.Itoa(f.Year) + dash + t.Format(n)
	}
	return f.Format(n) + " " + dash + " " + t.Format(n)
}

// Year returns the year r starts in, as text.
func (r Range) Year() string { return strconv.Itoa(r.From.Year) }
