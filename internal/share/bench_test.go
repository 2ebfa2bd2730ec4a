package share

import "testing"

func BenchmarkRender(b *testing.B) {
	c := Card{Title: "Stanowisko prezydentów miast Unii Metropolii Polskich w sprawie pomocy dla uchodźców z Afganistanu", Site: "Kraków we współpracy miast", Tagline: "Prawa człowieka, równe traktowanie i migracja"}
	for b.Loop() {
		if _, err := Render(c); err != nil {
			b.Fatal(err)
		}
	}
}
