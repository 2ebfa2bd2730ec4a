package urls

import (
	"testing"

	"github.com/krakow/wspolpraca/internal/lang"
)

func scheme() *Scheme {
	seg := func(cal string) lang.Segments {
		return lang.Segments{DeclarationPermalink: "d", MeetingPermalink: "m", Feed: "atom.xml", Calendar: cal}
	}
	return New(lang.New([]*lang.Language{
		{Tag: "pl", Authoritative: true, Segments: seg("kalendarz")},
		{Tag: "en", Prefix: "/en", Segments: seg("calendar")},
		{Tag: "uk", Prefix: "/uk", Segments: seg("kalendar")},
	}))
}

func TestParse(t *testing.T) {
	s := scheme()
	for _, tc := range []struct {
		path, lang, id string
		kind           Kind
	}{
		{"/d/2021-stanowisko-afganistan", "pl", "2021-stanowisko-afganistan", DeclarationPermalink},
		{"/uk/d/2021-stanowisko-afganistan", "uk", "2021-stanowisko-afganistan", DeclarationPermalink},
		{"/en/m/2022-12-16-komisja-zmp", "en", "2022-12-16-komisja-zmp", MeetingPermalink},
		{"/atom.xml", "pl", "", Feed},
		{"/uk/atom.xml", "uk", "", Feed},
		{"/kalendarz.ics", "pl", "", Calendar},
		{"/uk/kalendar.ics", "uk", "", Calendar},
		{"/en/calendar/zmp.ics", "en", "zmp", BodyCalendar},
	} {
		r, ok := s.Parse(tc.path)
		if !ok || r.Kind != tc.kind || r.Lang.Tag != tc.lang || r.ID != tc.id {
			t.Errorf("Parse(%s) = %+v %v, want %v in %s, id %q", tc.path, r, ok, tc.kind, tc.lang, tc.id)
		}
	}
	for _, p := range []string{"/d/", "/d/a/b", "/uk/calendar.ics", "/en/kalendarz.ics", "/deklaracje", "/kalendarz/.ics", "/uk"} {
		if r, ok := s.Parse(p); ok {
			t.Errorf("Parse(%s) = %+v, want none", p, r)
		}
	}
}

func TestPaths(t *testing.T) {
	s := scheme()
	for got, want := range map[string]string{
		s.Permalink(DeclarationPermalink, "x", "uk"): "/uk/d/x",
		s.Permalink(MeetingPermalink, "x", "pl"):     "/m/x",
		s.Permalink(None, "x", "pl"):                 "",
		s.Feed("en"):                                 "/en/atom.xml",
		s.Calendar("uk", ""):                         "/uk/kalendar.ics",
		s.Calendar("pl", "zmp"):                      "/kalendarz/zmp.ics",
		s.Home("uk"):                                 "/uk/",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	for _, p := range []string{"/healthz", "/uk", "/uk/d/x", "/en/calendar/x.ics", "/static/x", "/api/v1", "/sitemap-3.xml", "/deklaracje/x.bib", "/kalendarz.ics"} {
		if !s.Reserved(p) {
			t.Errorf("Reserved(%s) = false", p)
		}
	}
	for _, p := range []string{"/deklaracje", "/uk/pro-sait", "/ukraina", "/dane"} {
		if s.Reserved(p) {
			t.Errorf("Reserved(%s) = true", p)
		}
	}
	if !s.Served("/uk/atom.xml") || !s.Served("/api/v1/declarations.csv") || s.Served("/uk/pro-sait") {
		t.Error("Served")
	}
	if c, page, ok := CitationOf("/uk/deklaratsii/x.csl.json"); !ok || c.Name != "CSL-JSON" || page != "/uk/deklaratsii/x" {
		t.Errorf("CitationOf = %+v %q %v", c, page, ok)
	}
}
