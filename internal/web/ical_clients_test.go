package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/content/contenttest"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/urls"
	"github.com/krakow/wspolpraca/internal/web"
)

// calendarPaths lists every calendar of a site: in every language of its
// registry, the whole site's and every body's.
func calendarPaths(site *content.Site) []string {
	scheme := urls.New(site.Languages)
	var paths []string
	for _, tag := range site.Languages.Tags() {
		paths = append(paths, scheme.Calendar(tag, ""))
		for _, b := range site.Bodies {
			paths = append(paths, scheme.Calendar(tag, b.ID))
		}
	}
	return paths
}

// icalJSScript reads each calendar file named on its command line with
// ical.js (Thunderbird's RFC 5545 parser) and prints, as JSON, what a
// calendar client sees in it: its components, its events' properties, and
// the UTC offset its VTIMEZONE gives at each local time of ICAL_TIMES.
const icalJSScript = `
import { readFileSync } from "node:fs";
const { default: ICAL } = await import(process.env.ICAL_JS);
const times = JSON.parse(process.env.ICAL_TIMES);
const out = [];
for (const file of process.argv.slice(2)) {
  const r = { file, error: "", components: [], events: [], offsets: {} };
  try {
    const cal = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
    r.name = cal.name;
    r.version = cal.getFirstPropertyValue("version");
    r.prodid = cal.getFirstPropertyValue("prodid");
    r.components = cal.getAllSubcomponents().map((c) => c.name);
    for (const v of cal.getAllSubcomponents("vevent")) {
      const e = new ICAL.Event(v);
      const str = (name) => { const p = v.getFirstPropertyValue(name); return p === null ? "" : p.toString(); };
      r.events.push({
        uid: e.uid, summary: e.summary, sequence: v.hasProperty("sequence") ? e.sequence : -1,
        start: e.startDate.toString(), end: e.endDate.toString(), allDay: e.startDate.isDate,
        dtstamp: str("dtstamp"), lastModified: str("last-modified"),
      });
    }
    for (const z of cal.getAllSubcomponents("vtimezone")) {
      const tz = new ICAL.Timezone(z);
      for (const t of times) {
        r.offsets[tz.tzid + " " + t] = tz.utcOffset(ICAL.Time.fromDateTimeString(t));
      }
    }
  } catch (e) {
    r.error = String(e && e.stack || e);
  }
  out.push(r);
}
console.log(JSON.stringify(out));
`

type icalJSEvent struct {
	UID, Summary, Start, End, DTStamp string
	LastModified                      string `json:"lastModified"`
	Sequence                          int
	AllDay                            bool `json:"allDay"`
}

type icalJSCalendar struct {
	File, Error, Name, Version, ProdID string
	Components                         []string
	Events                             []icalJSEvent
	Offsets                            map[string]int
}

// readWithICalJS reads calendars (path → body) with ical.js from
// node_modules, through node; it fails in CI and skips elsewhere without
// them. times are local times at which to ask each VTIMEZONE its offset.
func readWithICalJS(t *testing.T, calendars map[string]string, times []string) map[string]icalJSCalendar {
	t.Helper()
	if testing.Short() {
		t.Skip("runs node")
	}
	node, _ := exec.LookPath("node")
	node = need(t, "node", node, "apt-get install -y nodejs")
	lib := need(t, "ical.js", filepath.Join(storetest.Root(t), "node_modules", "ical.js", "dist", "ical.js"), "npm ci")
	dir := t.TempDir()
	script := filepath.Join(dir, "read.mjs")
	if err := os.WriteFile(script, []byte(icalJSScript), 0o644); err != nil {
		t.Fatal(err)
	}
	args, byFile := []string{script}, map[string]string{}
	i := 0
	for path, body := range calendars {
		f := filepath.Join(dir, fmt.Sprintf("calendar-%02d.ics", i))
		i++
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		args, byFile[f] = append(args, f), path
	}
	ts, _ := json.Marshal(times)
	cmd := exec.Command(node, args...)
	cmd.Env = append(os.Environ(), "ICAL_JS=file://"+filepath.ToSlash(lib), "ICAL_TIMES="+string(ts))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node (ical.js): %v\n%s", err, stderr.String())
	}
	var results []icalJSCalendar
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("reading ical.js's answer: %v\n%s", err, out)
	}
	read := map[string]icalJSCalendar{}
	for _, r := range results {
		read[byFile[r.File]] = r
	}
	return read
}

// TestCalendarsReadByICalJS: every calendar — every language, the whole
// site's and every body's, ten of which have no meeting (the issue's
// /kalendarz/iom.ics had no component at all, which RFC 5545 §3.6
// forbids) — is read by ical.js and by go-ical, and holds at least one
// component. Every event has what a client needs to update it (UID,
// DTSTAMP, SEQUENCE, LAST-MODIFIED in UTC), and the calendar's time zone
// gives the offsets of the tz database, in winter, in summer, either side
// of each change and in years to come.
func TestCalendarsReadByICalJS(t *testing.T) {
	site := storetest.Content(t, content.Options{})
	_, ts := newServer(t)
	calendars := map[string]string{}
	empty := 0
	for _, path := range calendarPaths(site) {
		p := get(t, ts, path)
		if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("GET %s = %d %s", path, p.status, p.header.Get("Content-Type"))
		}
		calendars[path] = p.body
		if !strings.Contains(p.body, "BEGIN:VEVENT") {
			empty++
		}
		checkContentLines(t, path, p.body)
		cal, err := ical.NewDecoder(strings.NewReader(p.body)).Decode()
		if err != nil {
			t.Errorf("go-ical: %s: %v", path, err)
		} else if len(cal.Children) == 0 {
			t.Errorf("go-ical: %s has no component", path)
		}
	}
	if empty == 0 {
		t.Error("no calendar without meetings: the test would not show that they are valid")
	}

	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	times := []string{
		"2026-01-15T12:00:00", "2026-07-01T12:00:00",
		"2026-03-29T01:30:00", "2026-03-29T03:30:00", // either side of the spring change (02:00 → 03:00)
		"2026-10-25T01:30:00", "2026-10-25T03:30:00", // either side of the autumn one (03:00 → 02:00)
		"2022-12-16T10:00:00", "2031-03-30T04:00:00", "2040-10-27T12:00:00",
	}
	for path, r := range readWithICalJS(t, calendars, times) {
		if r.Error != "" {
			t.Errorf("ical.js: %s: %s", path, r.Error)
			continue
		}
		if r.Name != "vcalendar" || r.Version != "2.0" || r.ProdID == "" {
			t.Errorf("ical.js: %s: %s, VERSION %q, PRODID %q", path, r.Name, r.Version, r.ProdID)
		}
		if len(r.Components) == 0 {
			t.Errorf("ical.js: %s has no component (RFC 5545 §3.6)", path)
		}
		if len(r.Offsets) != len(times) {
			t.Errorf("ical.js: %s: offsets %v, want one for each of %d times from its VTIMEZONE", path, r.Offsets, len(times))
		}
		for key, got := range r.Offsets {
			tzid, local, _ := strings.Cut(key, " ")
			lt, err := time.ParseInLocation("2006-01-02T15:04:05", local, warsaw)
			if err != nil || tzid != "Europe/Warsaw" {
				t.Fatalf("%s: offset %q: %v", path, key, err)
			}
			if _, want := lt.Zone(); got != want {
				t.Errorf("ical.js: %s: %s at %s is UTC%+d s, the tz database says %+d s", path, tzid, local, got, want)
			}
		}
		for _, e := range r.Events {
			if e.UID == "" || e.DTStamp == "" || e.Sequence < 0 || !e.AllDay || e.End <= e.Start {
				t.Errorf("ical.js: %s: event %+v", path, e)
			}
			if !strings.HasSuffix(e.LastModified, "Z") || !strings.HasSuffix(e.DTStamp, "Z") {
				t.Errorf("ical.js: %s: %s: LAST-MODIFIED %q and DTSTAMP %q must be UTC (RFC 5545 §3.8.7)", path, e.UID, e.LastModified, e.DTStamp)
			}
		}
	}
}

// checkContentLines checks RFC 5545 §3.1: CRLF line ends, lines of at most
// 75 octets, folded lines continued by one space.
func checkContentLines(t *testing.T, path, body string) {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") || strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
		t.Errorf("%s: a line not ended by CRLF", path)
	}
	for _, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(line) > 75 || line == "" {
			t.Errorf("%s: line of %d octets: %q", path, len(line), line)
		}
	}
}

// calendarEvent is what the calendars of a server say of one meeting, by
// calendar path: the properties a client compares to update it.
type calendarEvent struct {
	uid, start, end, stamp, modified string
	sequence                         int
}

func meetingInCalendars(t *testing.T, ts *httptest.Server, paths []string, uidPrefix string) map[string]calendarEvent {
	t.Helper()
	out := map[string]calendarEvent{}
	for _, path := range paths {
		p := get(t, ts, path)
		cal, err := ical.NewDecoder(strings.NewReader(p.body)).Decode()
		if p.status != 200 || err != nil {
			t.Fatalf("GET %s = %d, %v", path, p.status, err)
		}
		for _, e := range cal.Events() {
			uid, _ := e.Props.Text(ical.PropUID)
			if !strings.HasPrefix(uid, uidPrefix) {
				continue
			}
			text := func(name string) string {
				if p := e.Props.Get(name); p != nil {
					return p.Value
				}
				return ""
			}
			seq, err := strconv.Atoi(text(ical.PropSequence))
			if err != nil {
				t.Fatalf("%s: %s: SEQUENCE %q: %v", path, uid, text(ical.PropSequence), err)
			}
			out[path] = calendarEvent{uid: uid, start: text(ical.PropDateTimeStart), end: text(ical.PropDateTimeEnd),
				stamp: text(ical.PropDateTimeStamp), modified: text(ical.PropLastModified), sequence: seq}
		}
		if _, ok := out[path]; !ok {
			t.Fatalf("%s: no event %s…", path, uidPrefix)
		}
	}
	return out
}

// TestMovedMeetingUpdatesInCalendars moves a meeting as an editor does —
// a new date and a changes: entry in its Polish file — and checks that
// every calendar holding it, in every language, gives the same UID with a
// greater SEQUENCE, a later LAST-MODIFIED and DTSTAMP and the new dates,
// which is what a strict client needs to replace the event it holds. Then
// a change to the English text alone updates the English calendars only;
// and the calendars do not depend on when they are asked for.
func TestMovedMeetingUpdatesInCalendars(t *testing.T) {
	dir := contentCopy(t)
	at := func(d time.Time) func() time.Time { return func() time.Time { return d } }
	now := at(time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC))
	serve := func(now func() time.Time) *httptest.Server {
		t.Helper()
		st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), now)(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		_, ts := startServer(t, st, web.Config{Now: now})
		return ts
	}
	site, err := content.Load(os.DirFS(dir), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	scheme := urls.New(site.Languages)
	var paths []string
	for _, tag := range site.Languages.Tags() {
		paths = append(paths, scheme.Calendar(tag, ""), scheme.Calendar(tag, "zmp-komisja-praw-czlowieka"))
	}
	const uid = "meeting-2022-12-16-komisja-zmp@"

	ts := serve(now)
	before := meetingInCalendars(t, ts, paths, uid)
	for path, e := range before {
		if e.sequence != 0 || e.start != "20221216" || e.end != "20221217" {
			t.Errorf("%s before the move: %+v, want SEQUENCE 0 on 2022-12-16", path, e)
		}
	}
	// The same content asked for later gives the same bytes: nothing in a
	// calendar comes from the clock.
	later := serve(at(time.Date(2027, 6, 1, 8, 0, 0, 0, time.UTC)))
	for _, path := range paths {
		// (Unfolded, with the servers' addresses made one.)
		a := strings.ReplaceAll(strings.ReplaceAll(get(t, ts, path).body, "\r\n ", ""), ts.URL, "http://site")
		b := strings.ReplaceAll(strings.ReplaceAll(get(t, later, path).body, "\r\n ", ""), later.URL, "http://site")
		if a != b {
			t.Errorf("%s differs when asked for half a year later:\n%s\n%s", path, a, b)
		}
	}

	contenttest.Edit(t, dir, "meetings/2022-12-16-komisja-zmp.pl.md", "date: 2022-12-16\n", "date: 2022-12-19\n")
	contenttest.Edit(t, dir, "meetings/2022-12-16-komisja-zmp.pl.md", "published: 2026-11-25\n",
		"published: 2026-11-25\nchanges:\n  - date: 2026-12-01\n    note: Posiedzenie przeniesiono na 19 grudnia 2022 r.\n")
	moved := meetingInCalendars(t, serve(now), paths, uid)
	for _, path := range paths {
		b, a := before[path], moved[path]
		if a.uid != b.uid {
			t.Errorf("%s: UID %q became %q: a client would keep the old event beside the new", path, b.uid, a.uid)
		}
		if a.sequence <= b.sequence {
			t.Errorf("%s: SEQUENCE %d → %d, want it greater (RFC 5545 §3.8.7.4)", path, b.sequence, a.sequence)
		}
		if a.modified <= b.modified || a.stamp <= b.stamp {
			t.Errorf("%s: LAST-MODIFIED %s → %s, DTSTAMP %s → %s: want both later", path, b.modified, a.modified, b.stamp, a.stamp)
		}
		if a.start != "20221219" || a.end != "20221220" {
			t.Errorf("%s: DTSTART %s, DTEND %s after the move, want 20221219, 20221220", path, a.start, a.end)
		}
	}

	// A change noted in the English text only: the English calendars'
	// event shows that text, and changes; the others' does not.
	contenttest.Edit(t, dir, "meetings/2022-12-16-komisja-zmp.en.md", "published: 2026-11-25\n",
		"published: 2026-11-25\nchanges:\n  - date: 2026-12-02\n    note: Corrected the list of topics.\n")
	translated := meetingInCalendars(t, serve(now), paths, uid)
	for _, path := range paths {
		m, tr := moved[path], translated[path]
		english := site.Languages.OfPath(path).Tag == "en"
		if changed := tr.sequence > m.sequence && tr.modified > m.modified; changed != english {
			t.Errorf("%s after a change to the English text: SEQUENCE %d → %d, LAST-MODIFIED %s → %s", path, m.sequence, tr.sequence, m.modified, tr.modified)
		}
		if tr.uid != m.uid || tr.start != m.start {
			t.Errorf("%s: %+v became %+v", path, m, tr)
		}
	}
}
