package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/krakow/wspolpraca/internal/fold"
	"github.com/krakow/wspolpraca/internal/lang"
	"github.com/krakow/wspolpraca/internal/store"
	"github.com/krakow/wspolpraca/internal/urls"
)

// csvColumn is a column of a CSV export: its name, and how to fill it. A
// column of a language-dependent value (PerLang) is written once per
// language of the registry, as name_TAG ("title_pl", "title_uk"). Its
// documentation is the catalogue's Data.{file}.{name}. One table both writes
// and documents each file.
type csvColumn[T any] struct {
	Name    string
	PerLang bool
	Value   func(c csvContext, rec T, tag string) string
}

// csvContext is what filling a column needs: the server (for absolute
// addresses) and the request (for the address scheme).
type csvContext struct {
	s *Server
	r *http.Request
}

func (c csvContext) abs(p string) string {
	if p == "" {
		return ""
	}
	return c.s.abs(p)
}

// version returns the field of a record's version in tag that is its own
// text (not a fallback's).
func version(vs map[string]store.Version, tag string) (store.Version, bool) {
	v, ok := vs[tag]
	return v, ok && v.Fallback == ""
}

var declarationColumns = []csvColumn[store.DeclarationRecord]{
	{"id", false, func(_ csvContext, d store.DeclarationRecord, _ string) string { return d.ID }},
	{"kind", false, func(_ csvContext, d store.DeclarationRecord, _ string) string { return d.Kind }},
	{"date", false, func(_ csvContext, d store.DeclarationRecord, _ string) string { return d.Date.String() }},
	{"body", false, func(_ csvContext, d store.DeclarationRecord, _ string) string { return d.Body }},
	{"title", true, func(_ csvContext, d store.DeclarationRecord, tag string) string {
		v, _ := version(d.Versions, tag)
		return v.Title
	}},
	{"author", true, func(_ csvContext, d store.DeclarationRecord, tag string) string { return d.Author[tag] }},
	{"event", true, func(_ csvContext, d store.DeclarationRecord, tag string) string { return d.Event[tag] }},
	{"place", true, func(_ csvContext, d store.DeclarationRecord, tag string) string { return d.Place[tag] }},
	{"language", false, func(_ csvContext, d store.DeclarationRecord, _ string) string { return d.Language }},
	{"text", false, func(_ csvContext, d store.DeclarationRecord, _ string) string { return d.TextScope }},
	{"signatory_count", false, func(_ csvContext, d store.DeclarationRecord, _ string) string {
		if d.SignatoryCount == 0 {
			return ""
		}
		return strconv.Itoa(d.SignatoryCount)
	}},
	{"signatories", true, func(c csvContext, d store.DeclarationRecord, tag string) string {
		var out []string
		for _, s := range d.Signatories {
			out = append(out, s.Name+" ("+s.Role.In(reg(c.r), tag)+")")
		}
		return strings.Join(out, "; ")
	}},
	{"refers_to", false, func(_ csvContext, d store.DeclarationRecord, _ string) string { return strings.Join(d.RefersTo, "; ") }},
	{"url", true, func(c csvContext, d store.DeclarationRecord, tag string) string { return c.abs(d.Versions[tag].Path) }},
	{"translation", true, func(_ csvContext, d store.DeclarationRecord, tag string) string {
		return string(d.Versions[tag].Status)
	}},
	{"permalink", false, func(c csvContext, d store.DeclarationRecord, _ string) string {
		return c.abs(scheme(c.r).Permalink(urls.DeclarationPermalink, d.ID, reg(c.r).Authoritative().Tag))
	}},
	{"published", false, func(c csvContext, d store.DeclarationRecord, _ string) string {
		return d.Versions[reg(c.r).Authoritative().Tag].Published.String()
	}},
	{"updated", false, func(c csvContext, d store.DeclarationRecord, _ string) string {
		return d.Versions[reg(c.r).Authoritative().Tag].Updated.String()
	}},
}

var meetingColumns = []csvColumn[store.MeetingRecord]{
	{"id", false, func(_ csvContext, m store.MeetingRecord, _ string) string { return m.ID }},
	{"date", false, func(_ csvContext, m store.MeetingRecord, _ string) string { return m.Date.String() }},
	{"body", false, func(_ csvContext, m store.MeetingRecord, _ string) string { return m.Body }},
	{"title", true, func(_ csvContext, m store.MeetingRecord, tag string) string {
		v, _ := version(m.Versions, tag)
		return v.Title
	}},
	{"place", true, func(c csvContext, m store.MeetingRecord, tag string) string { return m.Place.In(reg(c.r), tag) }},
	{"mode", false, func(_ csvContext, m store.MeetingRecord, _ string) string { return m.Mode }},
	{"topics", true, func(c csvContext, m store.MeetingRecord, tag string) string {
		var out []string
		for _, t := range m.Topics {
			out = append(out, t.In(reg(c.r), tag))
		}
		return strings.Join(out, "; ")
	}},
	{"url", true, func(c csvContext, m store.MeetingRecord, tag string) string { return c.abs(m.Versions[tag].Path) }},
	{"translation", true, func(_ csvContext, m store.MeetingRecord, tag string) string { return string(m.Versions[tag].Status) }},
	{"permalink", false, func(c csvContext, m store.MeetingRecord, _ string) string {
		return c.abs(scheme(c.r).Permalink(urls.MeetingPermalink, m.ID, reg(c.r).Authoritative().Tag))
	}},
	{"published", false, func(c csvContext, m store.MeetingRecord, _ string) string {
		return m.Versions[reg(c.r).Authoritative().Tag].Published.String()
	}},
	{"updated", false, func(c csvContext, m store.MeetingRecord, _ string) string {
		return m.Versions[reg(c.r).Authoritative().Tag].Updated.String()
	}},
}

// csvHeader returns the column names of cols for the registry's languages.
func csvHeader[T any](cols []csvColumn[T], reg *lang.Registry) []string {
	var out []string
	for _, c := range cols {
		if !c.PerLang {
			out = append(out, c.Name)
			continue
		}
		for _, tag := range reg.Tags() {
			out = append(out, c.Name+"_"+tag)
		}
	}
	return out
}

// defuse keeps a spreadsheet from running a cell as a formula: a value
// starting with = + - @ (or a tab or carriage return) gets an apostrophe
// in front, which spreadsheets hide (OWASP's advice on CSV injection).
// No number, date, id or address of the site starts so; only text can.
func defuse(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// utf8BOM is the byte order mark of UTF-8 (U+FEFF): Excel for Windows
// reads a CSV file as UTF-8 only when it starts with one, and as the
// system's code page (cp1250, cp1252) otherwise, which garbles every
// Polish and Ukrainian letter. Other programs are better served without
// it (RFC 4180 has none; some read it as part of the first name).
const utf8BOM = "\uFEFF"

// writeCSV writes records as RFC 4180 CSV in UTF-8, with a header row and
// CRLF line ends. At an address ending in urls.CSVExcel, the file Excel for
// Windows opens by a double click as Polish and Ukrainian regional settings
// have it: after a byte order mark, and with fields separated by ";", the
// list separator of those settings (where "," is the decimal mark); with
// commas, Excel puts each row in one cell.
func writeCSV[T any](s *Server, w http.ResponseWriter, r *http.Request, cols []csvColumn[T], recs []T) error {
	// (CORS headers: the openData middleware.)
	bw, ok := startStream(w, r, "text/csv; charset=utf-8; header=present")
	if !ok {
		return nil
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if strings.HasSuffix(r.URL.Path, urls.CSVExcel) {
		bw.WriteString(utf8BOM)
		cw.Comma = ';'
	}
	reg := reg(r)
	cw.Write(csvHeader(cols, reg))
	c := csvContext{s, r}
	var row []string
	for _, rec := range recs {
		row = row[:0]
		for _, col := range cols {
			if !col.PerLang {
				row = append(row, defuse(fold.StripControls(col.Value(c, rec, ""))))
				continue
			}
			for _, tag := range reg.Tags() {
				row = append(row, defuse(fold.StripControls(col.Value(c, rec, tag))))
			}
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func (s *Server) handleDeclarationsCSV(w http.ResponseWriter, r *http.Request) error {
	defer s.heavy()()
	recs, err := st(r).DeclarationRecords(r.Context(), s.vis())
	if err != nil {
		return err
	}
	return writeCSV(s, w, r, declarationColumns, recs)
}

func (s *Server) handleMeetingsCSV(w http.ResponseWriter, r *http.Request) error {
	defer s.heavy()()
	recs, err := st(r).MeetingRecords(r.Context(), "", s.vis())
	if err != nil {
		return err
	}
	return writeCSV(s, w, r, meetingColumns, recs)
}
