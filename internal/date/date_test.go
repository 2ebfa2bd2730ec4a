package date

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2015", Date{Year: 2015}, false},
		{"2021-08", Date{Year: 2021, Month: 8}, false},
		{"2022-12-16", Date{Year: 2022, Month: 12, Day: 16}, false},
		{"2024-02-29", Date{Year: 2024, Month: 2, Day: 29}, false},
		{"2022-02-29", Date{}, true},
		{"2022-13", Date{}, true},
		{"2022-00", Date{}, true},
		{"22-12-16", Date{}, true},
		{"2022-1-5", Date{}, true},
		{"", Date{}, true},
		{"2022-12-16-01", Date{}, true},
		{"dwa tysiące", Date{}, true},
		{"2021-+8", Date{}, true},
		{"+021-08", Date{}, true},
		{"2021-08-+1", Date{}, true},
	} {
		got, err := Parse(tc.in)
		if (err != nil) != tc.wantErr || (!tc.wantErr && got != tc.want) {
			t.Errorf("Parse(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		if err == nil && got.String() != tc.in {
			t.Errorf("Parse(%q).String() = %q", tc.in, got.String())
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ in, pl, en string }{
		{"2015", "2015 r.", "2015"},
		{"2021-08", "sierpień 2021 r.", "August 2021"},
		{"2022-12-16", "16 grudnia 2022 r.", "16 December 2022"},
		{"2017-06-29/2017-06-30", "29–30 czerwca 2017 r.", "29–30 June 2017"},
		{"2017-06-30/2017-07-01", "30 czerwca – 1 lipca 2017 r.", "30 June – 1 July 2017"},
		{"2016-12-31/2017-01-01", "31 grudnia 2016 r. – 1 stycznia 2017 r.", "31 December 2016 – 1 January 2017"},
		{"2015/2016", "2015–2016 r.", "2015–2016"},
	} {
		r, err := ParseRange(tc.in)
		if err != nil {
			t.Fatalf("ParseRange(%q): %v", tc.in, err)
		}
		if got := r.Format(plNames); got != tc.pl {
			t.Errorf("ParseRange(%q).Format(pl) = %q, want %q", tc.in, got, tc.pl)
		}
		if got := r.Format(enNames); got != tc.en {
			t.Errorf("ParseRange(%q).Format(en) = %q, want %q", tc.in, got, tc.en)
		}
		if r.String() != tc.in {
			t.Errorf("ParseRange(%q).String() = %q", tc.in, r.String())
		}
	}
}

func TestParseRangeRefuses(t *testing.T) {
	for _, in := range []string{"2017-06-30/2017-06-29", "2017-06/2017-06-30", "2017-06-29/", "2017-06-29/2017-06-29"} {
		if r, err := ParseRange(in); err == nil {
			t.Errorf("ParseRange(%q) = %v, want an error", in, r)
		}
	}
}

func TestCompare(t *testing.T) {
	a, b, c := MustParse("2021"), MustParse("2021-01"), MustParse("2021-08")
	if a.Compare(b) >= 0 || b.Compare(c) >= 0 || c.Compare(a) <= 0 {
		t.Errorf("Compare orders %v, %v, %v wrongly", a, b, c)
	}
	if got := MustParse("2021-08").Last().Day(); got != 31 {
		t.Errorf("2021-08 Last day = %d", got)
	}
}

func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"2021", "2021", true},
		{"2022-12-16", "2022-12-16", true},
		{"2017-06-29/2017-06-30", "2017-06", true},
		{"2017-06-30/2017-07-01", "2017", true},
		{"2015/2016", "", false},
	} {
		r, err := ParseRange(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := r.Within()
		if ok != tc.ok || (ok && got.String() != tc.want) {
			t.Errorf("%s: Within = %v, %v; want %s, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// plNames and enNames are the month names and patterns of the Polish and
// English message catalogues (content/messages), written out so that this
// package is tested on its own; the catalog package's tests check the real
// catalogues.
var (
	plNames = Names{
		Genitive:   [12]string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"},
		Standalone: [12]string{"styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień"},
		Day:        "{day} {month} {year} r.", DayMonth: "{day} {month}", Month: "{month} {year} r.", Year: "{year} r.",
	}
	enNames = Names{
		Genitive:   [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		Standalone: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		Day:        "{day} {month} {year}", DayMonth: "{day} {month}", Month: "{month} {year}", Year: "{year}",
	}
)
