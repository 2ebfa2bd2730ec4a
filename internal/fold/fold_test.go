package fold

import "testing"

func TestString(t *testing.T) {
	for in, want := range map[string]string{
		"Łódź":              "lodz",
		"Kraków":            "krakow",
		"uchodźców":         "uchodzcow",
		"ZAŻÓŁĆ GĘŚLĄ JAŹŃ": "zazolc gesla jazn",
		"Gdańsk 2017":       "gdansk 2017",
		"café":              "cafe",
	} {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Pomoc dla uchodźców":    "pomoc-dla-uchodzcow",
		"  Łódź — i Kraków!  ":   "lodz-i-krakow",
		"Integracja = Bezpiecz.": "integracja-bezpiecz",
		"":                       "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}
