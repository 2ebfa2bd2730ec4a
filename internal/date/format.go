package date

import (
	"fmt"
	"strconv"
)

var (
	// Polish months in the genitive ("16 grudnia") and nominative ("grudzień 2022").
	plGenitive   = [...]string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"}
	plNominative = [...]string{"styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień"}
	enMonths     = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// Format writes d for readers in lang ("pl" or "en"), no more precise than d:
// "16 grudnia 2022 r.", "sierpień 2021 r.", "2015 r."; "16 December 2022",
// "August 2021", "2015".
func (d Date) Format(lang string) string {
	if d.IsZero() {
		return ""
	}
	if lang == "en" {
		switch d.Precision() {
		case Year:
			return strconv.Itoa(d.Year)
		case Month:
			return fmt.Sprintf("%s %d", enMonths[d.Month-1], d.Year)
		}
		return fmt.Sprintf("%d %s %d", d.Day, enMonths[d.Month-1], d.Year)
	}
	switch d.Precision() {
	case Year:
		return fmt.Sprintf("%d r.", d.Year)
	case Month:
		return fmt.Sprintf("%s %d r.", plNominative[d.Month-1], d.Year)
	}
	return fmt.Sprintf("%d %s %d r.", d.Day, plGenitive[d.Month-1], d.Year)
}

// Format writes r for readers in lang, sharing what both ends share:
// "29–30 czerwca 2017 r.", "29–30 June 2017".
func (r Range) Format(lang string) string {
	f, t := r.From, r.To
	if t.IsZero() {
		return f.Format(lang)
	}
	const dash = "–"
	switch {
	case f.Precision() == Day && f.Year == t.Year && f.Month == t.Month:
		return strconv.Itoa(f.Day) + dash + t.Format(lang)
	case f.Precision() == Day && f.Year == t.Year:
		if lang == "en" {
			return fmt.Sprintf("%d %s %s %s", f.Day, enMonths[f.Month-1], dash, t.Format(lang))
		}
		return fmt.Sprintf("%d %s %s %s", f.Day, plGenitive[f.Month-1], dash, t.Format(lang))
	case f.Precision() == Year:
		return strconv.Itoa(f.Year) + dash + t.Format(lang)
	}
	return f.Format(lang) + " " + dash + " " + t.Format(lang)
}

// Year returns the year r starts in, as text.
func (r Range) Year() string { return strconv.Itoa(r.From.Year) }
