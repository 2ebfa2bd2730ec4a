package store

import (
	"fmt"
	"time"

	"github.com/krakow/wspolpraca/internal/date"
)

// wrap adds to *errp, when it is not nil, what was being done and for
// which id: format and args as for fmt.Sprintf, by convention the method's
// name and arguments, "DocByID(%q, %q)". A data method defers it on its
// first line (pkgsite's derrors.Wrap), so that its body can return the
// errors it meets as they are and every one still says where it came from.
// The error stays wrapped with %w: errors.Is(err, ErrNotFound) and
// errors.Is(err, context.Canceled) hold as before.
func wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}

// A stored value that does not read back (a date that does not parse, a
// text that is not JSON) is a damaged database or a bug of the import:
// never a zero value to show. The functions below read such values and
// name, in their error, the record and the column ("table.column") the
// value is in.

// storedDate reads a stored partial date of record id; "" is the zero date.
func storedDate(id, column, s string) (date.Date, error) {
	d, err := parseDate(s)
	if err != nil {
		return d, badValue(id, column, err)
	}
	return d, nil
}

// storedRange reads the stored date range (date_from, date_to) of record
// id in table.
func storedRange(id, table, from, to string) (date.Range, error) {
	var r date.Range
	var err error
	if r.From, err = storedDate(id, table+".date_from", from); err != nil {
		return r, err
	}
	r.To, err = storedDate(id, table+".date_to", to)
	return r, err
}

// storedText reads a stored JSON text of record id.
func storedText(id, column, raw string, t *Text) error {
	if err := scanText(raw, t); err != nil {
		return badValue(id, column, err)
	}
	return nil
}

// badValue is the error of a value of record id, in column, that does not
// read back.
func badValue(id, column string, err error) error {
	return fmt.Errorf("record %s: column %s: %w", id, column, err)
}

// docKey names a document, a record's row in one language, in errors.
func docKey(id, lang string) string { return id + " (" + lang + ")" }

// parseDate reads a stored partial date; "" is the zero date.
func parseDate(s string) (date.Date, error) {
	if s == "" {
		return date.Date{}, nil
	}
	return date.Parse(s)
}

// storedTime reads a stored moment (a schedule's start or end) of record id.
func storedTime(id, column, s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return t, badValue(id, column, err)
	}
	return t, nil
}
