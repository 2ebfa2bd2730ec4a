// Package date provides calendar dates that may be partial — a year, a month
// or a day, exactly as precise as the source — and ranges of them.
//
// The site never invents a day the source does not give: "W sierpniu 2021
// roku" is the Date 2021-08, not 2021-08-01. Dates are written in ISO 8601
// (2015, 2021-08, 2022-12-16) and ranges as ISO 8601 intervals
// (2017-06-29/2017-06-30).
//
// It must not import any other package of the site.
package date

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a Date is known.
type Precision int

// Precisions, from least to most precise.
const (
	None Precision = iota
	Year
	Month
	Day
)

// Date is a calendar date known to the year, the month or the day.
// Month and Day are 0 where unknown. The zero Date means "no date".
type Date struct {
	Year, Month, Day int
}

// Parse reads an ISO 8601 calendar date, complete or reduced: "2015",
// "2021-08" or "2022-12-16". It refuses impossible dates such as 2022-02-30.
func Parse(s string) (Date, error) {
	parts := strings.Split(s, "-")
	if len(parts) > 3 || s == "" {
		return Date{}, fmt.Errorf("%q is not a date: write YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	widths := []int{4, 2, 2}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) != widths[i] || strings.Trim(p, "0123456789") != "" {
			return Date{}, fmt.Errorf("%q is not a date: write YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		n[i] = v
	}
	d := Date{Year: n[0], Month: n[1], Day: n[2]}
	if d.Year < 1000 {
		return Date{}, fmt.Errorf("%q: year %d is out of range", s, d.Year)
	}
	if len(parts) > 1 && (d.Month < 1 || d.Month > 12) {
		return Date{}, fmt.Errorf("%q: there is no month %d", s, d.Month)
	}
	if len(parts) > 2 {
		last := time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if d.Day < 1 || d.Day > last {
			return Date{}, fmt.Errorf("%q is not a real date: %s %d has %d days", s, time.Month(d.Month), d.Year, last)
		}
	}
	return d, nil
}

// MustParse is Parse for dates known to be valid, such as constants in tests.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Of returns the Date of t, to the day.
func Of(t time.Time) Date {
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.Year == 0 }

// Precision reports how much of d is known.
func (d Date) Precision() Precision {
	switch {
	case d.Year == 0:
		return None
	case d.Month == 0:
		return Year
	case d.Day == 0:
		return Month
	}
	return Day
}

// String returns d in ISO 8601, as precise as d is: "2021-08".
func (d Date) String() string {
	switch d.Precision() {
	case None:
		return ""
	case Year:
		return fmt.Sprintf("%04d", d.Year)
	case Month:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// First returns the first day d can mean: 2021-08 → 2021-08-01.
func (d Date) First() time.Time {
	m, day := max(d.Month, 1), max(d.Day, 1)
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// Last returns the last day d can mean: 2021-08 → 2021-08-31.
func (d Date) Last() time.Time {
	switch d.Precision() {
	case Year:
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	case Month:
		return time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return d.First()
}

// Compare orders dates by the first day they can mean, and a less precise
// date before a more precise one starting on the same day.
func (d Date) Compare(o Date) int {
	if c := d.First().Compare(o.First()); c != 0 {
		return c
	}
	return int(d.Precision()) - int(o.Precision())
}

// Range is a Date or an interval of two. To is zero for a single date.
type Range struct {
	From, To Date
}

// ParseRange reads a Date ("2022-12-16") or an ISO 8601 interval of two
// dates of the same precision ("2017-06-29/2017-06-30"), From before To.
func ParseRange(s string) (Range, error) {
	from, to, ok := strings.Cut(s, "/")
	f, err := Parse(from)
	if err != nil || !ok {
		return Range{From: f}, err
	}
	t, err := Parse(to)
	if err != nil {
		return Range{}, err
	}
	if f.Precision() != t.Precision() {
		return Range{}, errors.New("both ends of a date range must be equally precise")
	}
	if f.Compare(t) >= 0 {
		return Range{}, fmt.Errorf("the range %s ends before it starts", s)
	}
	return Range{From: f, To: t}, nil
}

// IsZero reports whether r holds no date.
func (r Range) IsZero() bool { return r.From.IsZero() }

// String returns r in ISO 8601: "2022-12-16" or "2017-06-29/2017-06-30".
func (r Range) String() string {
	if r.To.IsZero() {
		return r.From.String()
	}
	return r.From.String() + "/" + r.To.String()
}

// Within returns the most precise single Date that r lies within — the
// date itself; the month of 29–30 June 2017; the year of 30 June – 1 July
// 2017 — for formats that take no range (schema.org's dateCreated). A
// range across years lies within no Date: false.
func (r Range) Within() (Date, bool) {
	f, t := r.From, r.To
	switch {
	case t.IsZero() || f == t:
		return f, true
	case f.Year != t.Year:
		return Date{}, false
	case f.Month != 0 && f.Month == t.Month:
		return Date{Year: f.Year, Month: f.Month}, true
	}
	return Date{Year: f.Year}, true
}

// End returns the last Date of r: To, or From for a single date.
func (r Range) End() Date {
	if r.To.IsZero() {
		return r.From
	}
	return r.To
}
