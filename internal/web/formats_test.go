package web_test

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/emersion/go-ical"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/internal/web"
)

// TestPermalinksAndAliases: every permanent link and every alias of the
// real content answers 301 to a page that answers 200.
func TestPermalinksAndAliases(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	_, ts := newServer(t)
	scheme := urls.New(site.Languages)
	var paths []string
	for _, r := range site.Records() {
		for lang, d := range r.Docs {
			if p := scheme.Permalink(r.Type.Permalink(), r.ID, lang); p != "" {
				paths = append(paths, p)
			}
			paths = append(paths, d.Aliases...)
		}
	}
	aliases := 0
	for _, p := range paths {
		if !strings.Contains(p, "/d/") && !strings.Contains(p, "/m/") {
			aliases++
		}
		res := get(t, ts, p)
		loc := res.header.Get("Location")
		if res.status != 301 || loc == "" {
			t.Errorf("GET %s = %d, Location %q; want 301", p, res.status, loc)
			continue
		}
		if next := get(t, ts, loc); next.status != 200 {
			t.Errorf("GET %s → %s = %d", p, loc, next.status)
		}
	}
	if len(paths) < 10 || aliases == 0 {
		t.Errorf("tested %d permanent links and aliases (%d aliases): the content should have both", len(paths), aliases)
	}
}

type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []atomEntryDoc `xml:"entry"`
}

type atomEntryDoc struct {
	ID      string `xml:"id"`
	Title   string `xml:"title"`
	Updated string `xml:"updated"`
	Link    struct {
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Summary string `xml:"summary"`
}

// TestAtom parses the feeds as XML and checks the elements RFC 4287
// requires.
func TestAtom(t *testing.T) {
	_, ts := newServer(t)
	for _, tc := range []struct{ path, lang, entry string }{
		{"/atom.xml", "pl", "Stanowisko prezydentów miast UMP w sprawie uchodźców z Afganistanu"},
		{"/en/atom.xml", "en", "Position of the mayors of UMP cities on refugees from Afghanistan"},
	} {
		p := get(t, ts, tc.path)
		if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("GET %s = %d %s", tc.path, p.status, p.header.Get("Content-Type"))
		}
		var f atomDoc
		if err := xml.Unmarshal([]byte(p.body), &f); err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if f.ID == "" || f.Title == "" || f.Author.Name == "" {
			t.Errorf("%s: feed id %q, title %q, author %q", tc.path, f.ID, f.Title, f.Author.Name)
		}
		if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
			t.Errorf("%s: feed updated %q: %v", tc.path, f.Updated, err)
		}
		self := false
		for _, l := range f.Links {
			self = self || (l.Rel == "self" && l.Href == ts.URL+tc.path)
		}
		if !self {
			t.Errorf("%s: no rel=self link", tc.path)
		}
		if len(f.Entries) < 10 {
			t.Errorf("%s: %d entries", tc.path, len(f.Entries))
		}
		found := false
		ids := map[string]bool{}
		for _, e := range f.Entries {
			if _, err := time.Parse(time.RFC3339, e.Updated); err != nil || e.ID == "" || e.Title == "" || e.Link.Href == "" {
				t.Errorf("%s: entry %+v", tc.path, e)
			}
			if ids[e.ID] {
				t.Errorf("%s: two entries with id %s", tc.path, e.ID)
			}
			ids[e.ID] = true
			if e.Title == tc.entry {
				found = true
				if want := ts.URL + langPrefix(t, tc.lang) + "/d/2021-stanowisko-afganistan"; e.Link.Href != want {
					t.Errorf("%s: entry links to %s, want the permanent link %s", tc.path, e.Link.Href, want)
				}
			}
		}
		if !found {
			t.Errorf("%s: no entry %q", tc.path, tc.entry)
		}
		// The feed has what the list of changes has: pages too (the
		// easy-to-read page), and its newest date.
		changes := get(t, ts, map[string]string{"pl": "/zmiany", "en": "/en/changes"}[tc.lang])
		newest := ""
		changes.doc.Find("main time[datetime]").Each(func(_ int, tm *goquery.Selection) {
			if d, _ := tm.Attr("datetime"); d > newest {
				newest = d
			}
		})
		if newest == "" || changes.status != 200 {
			t.Fatalf("the list of changes in %s (%d) has no dates", tc.lang, changes.status)
		}
		if day := newest[:min(len(newest), 10)]; f.Updated[:min(len(f.Updated), 10)] < day {
			t.Errorf("%s: updated %s, before the newest change listed, %s", tc.path, f.Updated, newest)
		}
		easy := text(get(t, ts, map[string]string{"pl": "/latwy-tekst", "en": "/en/easy-read"}[tc.lang]).doc.Find("h1"))
		if !slices.ContainsFunc(f.Entries, func(e atomEntryDoc) bool { return e.Title == easy }) {
			t.Errorf("%s: no entry for the page %q, which the list of changes has", tc.path, easy)
		}
	}
}

// TestICalendar parses the calendars with an iCalendar library.
func TestICalendar(t *testing.T) {
	_, ts := newServer(t)
	for _, tc := range []struct{ path, summary, page, name string }{
		{"/kalendarz.ics", "Posiedzenie Komisji Praw Człowieka i Równego Traktowania ZMP w Krakowie", "/spotkania/2022-12-16-komisja-zmp", "Kraków we współpracy miast: Posiedzenia"},
		{"/kalendarz/zmp-komisja-praw-czlowieka.ics", "Posiedzenie Komisji Praw Człowieka i Równego Traktowania ZMP w Krakowie", "/spotkania/2022-12-16-komisja-zmp", "Komisja Praw Człowieka i Równego Traktowania przy Związku Miast Polskich: Posiedzenia"},
		{"/en/calendar.ics", "Meeting of the ZMP Commission for Human Rights and Equal Treatment in Kraków", "/en/meetings/2022-12-16-komisja-zmp", "Kraków in city cooperation: Meetings"},
	} {
		p := get(t, ts, tc.path)
		if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("GET %s = %d %s", tc.path, p.status, p.header.Get("Content-Type"))
		}
		for _, line := range strings.Split(p.body, "\r\n") {
			if len(line) > 75 {
				t.Errorf("%s: line of %d octets, more than 75: %q", tc.path, len(line), line)
			}
		}
		cal, err := ical.NewDecoder(strings.NewReader(p.body)).Decode()
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		// A body's calendar, subscribed to beside others, has its own name.
		if name, _ := cal.Props.Text("X-WR-CALNAME"); name != tc.name {
			t.Errorf("%s: X-WR-CALNAME %q, want %q", tc.path, name, tc.name)
		}
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("%s: %d events, want 1", tc.path, len(events))
		}
		e := events[0]
		summary, _ := e.Props.Text(ical.PropSummary)
		desc, _ := e.Props.Text(ical.PropDescription)
		start, err := e.DateTimeStart(time.UTC)
		if err != nil || start.Format("2006-01-02") != "2022-12-16" {
			t.Errorf("%s: DTSTART %v, %v", tc.path, start, err)
		}
		if summary != tc.summary {
			t.Errorf("%s: SUMMARY %q", tc.path, summary)
		}
		if !strings.Contains(desc, ts.URL+tc.page) {
			t.Errorf("%s: DESCRIPTION %q lacks the page URL", tc.path, desc)
		}
		if loc, _ := e.Props.Text(ical.PropLocation); loc != "Kraków" {
			t.Errorf("%s: LOCATION %q", tc.path, loc)
		}
	}
	if p := get(t, ts, "/kalendarz/nie-ma.ics"); p.status != 404 {
		t.Errorf("calendar of a body that does not exist = %d", p.status)
	}
	if p := get(t, ts, "/kalendarz/iom.ics"); p.status != 200 || strings.Contains(p.body, "BEGIN:VEVENT") {
		t.Errorf("calendar of a body without meetings = %d", p.status)
	}
}

// TestJSONLD parses the structured data of a declaration, a meeting and a
// body as JSON and checks the schema.org properties.
func TestJSONLD(t *testing.T) {
	_, ts := newServer(t)
	ld := func(path string) map[string]any {
		t.Helper()
		p := get(t, ts, path)
		s := p.doc.Find(`script[type="application/ld+json"]`)
		if s.Length() != 1 {
			t.Fatalf("%s: %d JSON-LD scripts", path, s.Length())
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
			t.Fatalf("%s: JSON-LD: %v", path, err)
		}
		if v["@context"] != "https://schema.org" {
			t.Errorf("%s: @context %v", path, v["@context"])
		}
		return v
	}
	d := ld("/deklaracje/2021-stanowisko-afganistan")
	for _, k := range []string{"author", "creator", "dateCreated", "inLanguage", "workTranslation", "citation", "name", "url"} {
		if d[k] == nil {
			t.Errorf("declaration JSON-LD lacks %s: %v", k, d)
		}
	}
	if types, _ := json.Marshal(d["@type"]); !strings.Contains(string(types), "DigitalDocument") || d["dateCreated"] != "2021" || d["inLanguage"] != "pl" {
		t.Errorf("declaration JSON-LD: @type %s, dateCreated %v, inLanguage %v", types, d["dateCreated"], d["inLanguage"])
	}
	// A declaration signed during a two-day conference: schema.org takes
	// no range, and the source gives no day, so the month.
	if d2017 := ld("/deklaracje/2017-deklaracja-migracje"); d2017["dateCreated"] != "2017-06" {
		t.Errorf("2017 declaration JSON-LD dateCreated %v, want 2017-06", d2017["dateCreated"])
	}
	if cites, _ := d["citation"].([]any); len(cites) != 3 {
		t.Errorf("declaration JSON-LD cites %d texts, want 3", len(cites))
	}
	en := ld("/en/declarations/2021-stanowisko-afganistan")
	if tr, _ := en["translationOfWork"].(map[string]any); tr == nil || tr["url"] != ts.URL+"/deklaracje/2021-stanowisko-afganistan" {
		t.Errorf("English JSON-LD translationOfWork = %v", en["translationOfWork"])
	}
	m := ld("/spotkania/2022-12-16-komisja-zmp")
	if m["@type"] != "Event" || m["startDate"] != "2022-12-16" || m["eventAttendanceMode"] != "https://schema.org/OfflineEventAttendanceMode" {
		t.Errorf("meeting JSON-LD = %v", m)
	}
	if loc, _ := m["location"].(map[string]any); loc["name"] != "Kraków" {
		t.Errorf("meeting location = %v", m["location"])
	}
	if org, _ := m["organizer"].(map[string]any); org["@type"] != "Organization" {
		t.Errorf("meeting organizer = %v", m["organizer"])
	}
	b := ld("/organizacje/komisja-praw-czlowieka-zmp")
	if member, _ := b["memberOf"].(map[string]any); b["@type"] != "Organization" || member["name"] != "Związek Miast Polskich" || b["foundingDate"] != "2020-11" {
		t.Errorf("body JSON-LD = %v", b)
	}
}

// TestCSV reads the exports with encoding/csv.
func TestCSV(t *testing.T) {
	_, ts := newServer(t)
	read := func(path string) []map[string]string {
		t.Helper()
		p := get(t, ts, path)
		if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("GET %s = %d %s", path, p.status, p.header.Get("Content-Type"))
		}
		if !strings.Contains(p.body, "\r\n") {
			t.Errorf("%s: lines do not end in CRLF", path)
		}
		rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var out []map[string]string
		for _, row := range rows[1:] {
			m := map[string]string{}
			for i, h := range rows[0] {
				m[h] = row[i]
			}
			out = append(out, m)
		}
		return out
	}
	ds := read("/api/v1/declarations.csv")
	if len(ds) != 4 {
		t.Fatalf("declarations.csv: %d rows", len(ds))
	}
	byID := map[string]map[string]string{}
	for _, d := range ds {
		byID[d["id"]] = d
	}
	g := byID["2017-deklaracja-migracje"]
	if g["date"] != "2017-06-29/2017-06-30" || g["signatory_count"] != "11" || g["place_pl"] != "Gdańsk" || g["signatories_pl"] != "Jacek Majchrowski (Prezydent Miasta Krakowa)" || g["signatories_uk"] != "Jacek Majchrowski (президент міста Кракова)" || g["place_uk"] != "Гданськ" {
		t.Errorf("declarations.csv row = %v", g)
	}
	if a := byID["2021-stanowisko-afganistan"]; a["refers_to"] != "2015-stanowisko-relokacja; 2017-deklaracja-migracje; 2020-apel-moria" || a["signatory_count"] != "" {
		t.Errorf("declarations.csv row = %v", a)
	}
	// The variant for Excel: the same records after a UTF-8 byte order
	// mark, separated by semicolons (Polish and Ukrainian regional
	// settings), linked from the data page in every language.
	for _, kind := range []string{"declarations", "meetings"} {
		plain, excel := get(t, ts, "/api/v1/"+kind+".csv"), get(t, ts, "/api/v1/"+kind+"-excel.csv")
		if excel.status != 200 || !strings.HasPrefix(excel.body, "\uFEFF") || strings.HasPrefix(plain.body, "\uFEFF") {
			t.Errorf("%s-excel.csv = %d, %q…; want a BOM, and the plain file without", kind, excel.status, excel.body[:min(20, len(excel.body))])
		}
		pr := csv.NewReader(strings.NewReader(plain.body))
		er := csv.NewReader(strings.NewReader(strings.TrimPrefix(excel.body, "\uFEFF")))
		er.Comma = ';'
		precs, perr := pr.ReadAll()
		erecs, eerr := er.ReadAll()
		if perr != nil || eerr != nil || len(precs) < 2 || !reflect.DeepEqual(precs, erecs) {
			t.Errorf("%s-excel.csv read with ';' (%v) differs from %s.csv read with ',' (%v)", kind, eerr, kind, perr)
		}
		if first, _, _ := strings.Cut(strings.TrimPrefix(excel.body, "\uFEFF"), "\r\n"); strings.Count(first, ";") != len(precs[0])-1 {
			t.Errorf("%s-excel.csv header %q: want its %d columns separated by ';'", kind, first, len(precs[0]))
		}
		if ct := excel.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("%s-excel.csv: Content-Type %q", kind, ct)
		}
		for _, page := range []string{"/dane", "/en/data", "/uk/dani"} {
			if get(t, ts, page).doc.Find(`a[href="/api/v1/`+kind+`-excel.csv"]`).Length() != 1 {
				t.Errorf("%s does not link %s-excel.csv", page, kind)
			}
		}
	}
	ms := read("/api/v1/meetings.csv")
	if len(ms) != 1 || ms[0]["date"] != "2022-12-16" || ms[0]["mode"] != "in_person" || !strings.Contains(ms[0]["topics_en"], "violence against women") {
		t.Errorf("meetings.csv = %v", ms)
	}
}

// TestCitations checks the BibTeX and RIS downloads of a known declaration.
func TestCitations(t *testing.T) {
	_, ts := newServer(t)
	bib := get(t, ts, "/deklaracje/2017-deklaracja-migracje.bib")
	if bib.status != 200 || !strings.HasPrefix(bib.header.Get("Content-Type"), "application/x-bibtex") {
		t.Fatalf("BibTeX = %d %s", bib.status, bib.header.Get("Content-Type"))
	}
	for _, want := range []string{"@misc{krakow-2017-deklaracja-migracje,", "title     = {{Deklaracja o współdziałaniu w dziedzinie migracji}}",
		"year      = {2017}", "month     = jun", "date      = {2017-06-29/2017-06-30}",
		"url       = {" + ts.URL + "/d/2017-deklaracja-migracje}", "address   = {Gdańsk}"} {
		if !strings.Contains(bib.body, want) {
			t.Errorf("BibTeX lacks %q:\n%s", want, bib.body)
		}
	}
	ris := get(t, ts, "/en/declarations/2017-deklaracja-migracje.ris")
	tags := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(ris.body), "\r\n") {
		if len(line) >= 6 {
			tags[line[:2]] = line[6:]
		}
	}
	if tags["TY"] != "GEN" || tags["TI"] != "Declaration on cooperation in the field of migration" || tags["PY"] != "2017" ||
		tags["DA"] != "2017/06/29/29–30 June 2017" || tags["UR"] != ts.URL+"/en/d/2017-deklaracja-migracje" || tags["LA"] != "en" {
		t.Errorf("RIS = %v", tags)
	}
	csl := get(t, ts, "/deklaracje/2021-stanowisko-afganistan.csl.json")
	var items []map[string]any
	if err := json.Unmarshal([]byte(csl.body), &items); err != nil || len(items) != 1 || items[0]["title"] != "Stanowisko prezydentów miast UMP w sprawie uchodźców z Afganistanu" {
		t.Errorf("CSL-JSON = %s, %v", csl.body, err)
	}
	if p := get(t, ts, "/spotkania/2022-12-16-komisja-zmp.bib"); p.status != 404 {
		t.Errorf("BibTeX of a meeting = %d, want 404", p.status)
	}
	page := get(t, ts, "/deklaracje/2021-stanowisko-afganistan")
	for _, sel := range []string{`meta[name=citation_title]`, `meta[name=citation_author]`, `meta[name=citation_publication_date][content="2021"]`, `meta[property="og:title"]`, `meta[name="twitter:card"]`, `link[rel=alternate][type="application/x-bibtex"]`, `.cite .ref[lang=pl]`, `.cite .ref[lang=en]`} {
		if page.doc.Find(sel).Length() == 0 {
			t.Errorf("declaration page lacks %s", sel)
		}
	}
	if ref := text(page.doc.Find(".cite .ref[lang=en]")); !strings.Contains(ref, "“Position of the mayors of UMP cities on refugees from Afghanistan”") || !strings.Contains(ref, ts.URL+"/en/d/2021-stanowisko-afganistan") {
		t.Errorf("English reference = %q", ref)
	}
}

// TestJSONAPI reads the lists and single records, checks both languages
// are there, and that the data page documents every field written.
func TestJSONAPI(t *testing.T) {
	_, ts := newServer(t)
	var list struct {
		Version string           `json:"version"`
		Count   int              `json:"count"`
		Items   []map[string]any `json:"items"`
	}
	p := get(t, ts, "/api/v1/declarations.json")
	if err := json.Unmarshal([]byte(p.body), &list); err != nil || list.Count != 4 || len(list.Items) != 4 {
		t.Fatalf("declarations.json: %v, count %d", err, list.Count)
	}
	one := get(t, ts, "/api/v1/declarations/2021-stanowisko-afganistan.json")
	var d map[string]any
	if err := json.Unmarshal([]byte(one.body), &d); err != nil {
		t.Fatal(err)
	}
	title, _ := d["title"].(map[string]any)
	if title["pl"] != "Stanowisko prezydentów miast UMP w sprawie uchodźców z Afganistanu" || title["en"] != "Position of the mayors of UMP cities on refugees from Afghanistan" || title["uk"] != "Позиція президентів міст UMP щодо біженців з Афганістану" {
		t.Errorf("title = %v", d["title"])
	}
	if d["signatory_count"] != nil || d["place"] != nil || d["date"] != "2021" {
		t.Errorf("unknown facts must be null: signatory_count %v, place %v; date %v", d["signatory_count"], d["place"], d["date"])
	}
	paras, _ := d["paragraphs"].(map[string]any)
	if pl, _ := paras["pl"].([]any); len(pl) != 2 {
		t.Errorf("paragraphs = %v", d["paragraphs"])
	}
	for _, path := range []string{"/api/v1/meetings.json", "/api/v1/bodies.json", "/api/v1/meetings/2022-12-16-komisja-zmp.json", "/api/v1/bodies/ump.json"} {
		if p := get(t, ts, path); p.status != 200 || p.header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s = %d", path, p.status)
		}
	}
	for _, path := range []string{"/api/v1/declarations/nie-ma.json", "/api/v1/declarations/2021-stanowisko-afganistan", "/api/v1/bodies/.json"} {
		if p := get(t, ts, path); p.status != 404 {
			t.Errorf("GET %s = %d, want 404", path, p.status)
		}
	}

	// Every field written is documented on the data page, in every language.
	for _, dataPage := range []string{"/dane", "/en/data", "/uk/dani"} {
		doc := get(t, ts, dataPage).doc
		documented := map[string]bool{}
		doc.Find(".fields th[scope=row]").Each(func(_ int, s *goquery.Selection) { documented[s.Text()] = true })
		var walk func(prefix string, v any)
		walk = func(prefix string, v any) {
			switch v := v.(type) {
			case map[string]any:
				if isText(v) {
					return // a text in every language
				}
				for k, x := range v {
					name := prefix + k
					if prefix == "paragraphs." || prefix == "versions." {
						// Keyed by language: documented once, as {tag}.
						if _, ok := realLanguages().Get(k); !ok {
							t.Errorf("%s has the key %q, not a language", prefix, k)
						}
						name = prefix + "{tag}"
						walk(name+".", x)
						continue
					}
					if !documented[name] {
						t.Errorf("%s does not document the field %s", dataPage, name)
					}
					walk(name+".", x)
				}
			case []any:
				for _, x := range v {
					walk(strings.TrimSuffix(prefix, ".")+"[].", x)
				}
			}
		}
		walk("", d)
		if !documented["signatory_count"] || !documented["refers_to"] || !documented["topics_en"] || !documented["topics_uk"] || !documented["DTSTART"] {
			t.Errorf("%s documents %d fields", dataPage, len(documented))
		}
	}
}

// isText reports whether v is a text in every language of the registry:
// {"pl": …, "en": …, "uk": …} with strings or nulls.
func isText(v map[string]any) bool {
	if len(v) != len(realLanguages().Tags()) {
		return false
	}
	for _, k := range realLanguages().Tags() {
		x, ok := v[k]
		if !ok {
			return false
		}
		if _, isString := x.(string); !isString && x != nil {
			return false
		}
	}
	return true
}

// TestCSVFormulas: a text a spreadsheet would run as a formula (a title
// an editor began with "=", a place with "@") reaches the CSV file with an
// apostrophe in front, which spreadsheets show as text.
func TestCSVFormulas(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	for _, d := range site.Declarations {
		if d.ID == "2017-deklaracja-migracje" {
			d.Docs["pl"].Title = `=HYPERLINK("http://example.org","Deklaracja")`
			d.Place["pl"] = "@Gdańsk"
		}
	}
	_, ts := newServerWith(t, site, web.Config{})
	p := get(t, ts, "/api/v1/declarations.csv")
	rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, row := range rows {
		if row[0] == "2017-deklaracja-migracje" {
			cells = row
		}
	}
	for _, want := range []string{`'=HYPERLINK("http://example.org","Deklaracja")`, "'@Gdańsk"} {
		if !slices.Contains(cells, want) {
			t.Errorf("declarations.csv row %q lacks %q", cells, want)
		}
	}
}

// TestHiddenBodyNotNamed: a body whose page is not published yet is not
// named anywhere: its calendar and a list limited to it do not exist yet.
func TestHiddenBodyNotNamed(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	for _, b := range site.Bodies {
		if b.ID == "iom" {
			for _, d := range b.Docs {
				d.Draft = true
			}
		}
	}
	_, ts := newServerWith(t, site, web.Config{})
	for _, path := range []string{"/kalendarz/iom.ics", "/spotkania?gremium=iom", "/en/declarations?body=iom"} {
		if p := get(t, ts, path); p.status != 404 || strings.Contains(p.body, "International Organization") || strings.Contains(p.body, "Międzynarodowa Organizacja") {
			t.Errorf("GET %s = %d, want 404 without the body's name", path, p.status)
		}
	}
}
