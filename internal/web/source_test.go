package web_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/krakow/wspolpraca/internal/store/storetest"
)

// sourceFacts is the source text (../shared/seeds/000_596bcd6450c9c8b9.txt),
// restored to correct Polish and cut into sentences: each fact and quote must
// appear, word for word, on some Polish page of the site.
var sourceFacts = []string{
	"Współpraca i dialog pomiędzy samorządami to klucz do budowania lepszych rozwiązań na poziomie lokalnym i źródło inspiracji dla naszych miast.",
	"Dlatego też Kraków angażuje się w działania różnych wspólnych miejskich platform dotyczących równości praw człowieka czy migracji.",
	"Komisja Praw Człowieka i Równego Traktowania przy Związku Miast Polskich",
	"Prawa człowieka i problem równego traktowania są obszarem prac jednej z komisji tematycznych Związku Miast Polskich.",
	"W listopadzie 2020 r. Zarząd Związku Miast Polskich podjął decyzję o utworzeniu takiego ciała na wniosek wielu miast.",
	"W komisji reprezentowane jest ponad 50 gmin, a wśród osób zaangażowanych w prace są m.in. członkinie i członkowie władz miejskich, radne i radni, urzędniczki i urzędnicy samorządowi, pełnomocniczki i pełnomocnicy do spraw równego traktowania, równych szans, polityki równościowej, tolerancji, przeciwdziałania ksenofobii oraz organizacji pozarządowych.",
	"Od samego początku funkcjonowania komisji Kraków brał czynny udział w jej działaniach.",
	"16 grudnia 2022 roku w Krakowie odbyło się stacjonarne posiedzenie Komisji, które skupiało się na wyzwaniach związanych z wdrażaniem Planów Równości Płci w samorządzie, przemocą wobec kobiet oraz sytuacją osób transpłciowych i niebinarnych.",
	"Zespół Unii Metropolii Polskich ds. Migracji i Integracji",
	"Stały Zespół UMP ds. Migracji i Integracji powołano w związku z deklaracją o współdziałaniu w dziedzinie migracji, podpisaną przez 11 prezydentów miast Unii Metropolii Polskich podczas konferencji „Miasta Integrujące. Integracja = Bezpieczeństwo”, która odbyła się 29–30 czerwca 2017 r. w Gdańsku.",
	"Jednym z sygnatariuszy deklaracji był Prezydent Miasta Krakowa Jacek Majchrowski.",
	"W deklaracji zapisano m.in.:",
	"Samorządy deklarują wolę do opracowania i wdrożenia lokalnych planów działania w zakresie integracji imigrantów, których celem jest budowa podstawowych standardów w obszarach edukacji, zatrudnienia, bezpieczeństwa, kultury, pomocy społecznej i zdrowia. (…)",
	"Każde posiedzenie Zespołu wspierane jest wiedzą specjalistyczną dwóch organizacji: Międzynarodowej Organizacji ds. Migracji (IOM) oraz Biura Wysokiego Komisarza Narodów Zjednoczonych ds. Uchodźców (UNHCR Polska).",
	"Stanowisko prezydentów miast UMP w sprawie uchodźców z Afganistanu",
	"W sierpniu 2021 roku Prezydent Krakowa Jacek Majchrowski dołączył do wspólnego stanowiska prezydentów Unii Metropolii Polskich im. Pawła Adamowicza w sprawie uchodźców z Afganistanu.",
	"„Kryzys w Afganistanie zmusza Afgańczyków i Afganki do opuszczania ich kraju w obawie przed utratą życia i zdrowia. Dramatyczna zmiana polityczna sprawiła, że sytuacja wielu jest niezwykle trudna. Czujemy, że naszym podstawowym obowiązkiem jest wesprzeć ich w potrzebie, dlatego Kraków deklaruje pełną gotowość podjęcia współpracy z administracją rządową i zapewnienie wsparcia dla uchodźców z Afganistanu w możliwych prawnie ramach” – deklarowały władze miast.",
	"„W ostatnim czasie wszyscy mierzymy się z nagłą i niebezpieczną sytuacją, w której znaleźli się obywatele Afganistanu zmuszeni do opuszczenia swoich domów i ojczyzny. Jak dotychczas, my – prezydenci miast UMP deklarujemy gotowość wsparcia w tym trudnym dla nich czasie. Od wielu lat, w tematach związanych z kolejnymi kryzysami migracyjnymi, podtrzymujemy wolę współpracy z administracją rządową i organizacjami społecznymi. Wyraziliśmy ją m.in. w 2015 roku w stanowisku dotyczącym relokacji i przesiedleń uchodźców, w 2017 roku w deklaracji o współdziałaniu w dziedzinie migracji czy w 2020 roku – w apelu na temat wsparcia ofiar pożaru obozu w Morii. Deklaracje są nadal aktualne, szczególnie w dobie kryzysu humanitarnego w Afganistanie. Z całą odpowiedzialnością powtarzamy, że realizacja zarówno systemowych, jak i doraźnych form pomocy cudzoziemcom nie jest możliwa bez decyzji na poziomie rządowym”.",
}

// startsWord reports whether s has sub at the start of a word ("byt " is
// damage, "zbyt " is not).
func startsWord(s, sub string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], sub)
		if j < 0 {
			return false
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i+j])
		if !unicode.IsLetter(before) {
			return true
		}
		i += j + 1
	}
}

// ocrDamage are letter groups the OCR made of Polish letters: none may
// reach a page.
var ocrDamage = []string{
	"Wspétpraca", "pomiedzy", "samorzadami", "rozwigzan", "Krakéw", "dziatania", "cztowieka",
	"Zwigzku", "podjat", "ciata", "wsrdéd", "oséb", "cztonkinie", "wtadz", "petnomocni",
	"pozarzgdowych", "brat czynny", "udziat", "skupiato", "Planéw", "Ptci", "przemocg",
	"sytuacjg", "transptciowych", "Zespot", "Zespdt", "powotano", "deklaracjg", "wspdétdziataniu",
	"podpisang", "prezydentéw", "Integrujgce", "Bezpieczenstwo", "odbyta", "Gdansku", "byt ",
	"deklarujg", "wdrozenia", "imigrantow", "standarddw", "spotecznej", "wiedzg", "specjalistyczng",
	"dwdch", "Narodéw", "UchodZzcéw", "uchodzcow", "dotgczyt", "Pawta", "Afganczykéw", "utratg",
	"zycia", "sprawita", "obowigzkiem", "wesprzec", "petng", "gotowos", "administracjg",
	"rzgdowaq", "deklarowaty", "nagtg", "niebezpieczng", "znalezli", "doméw", "zwigzanych",
	"wspétpracy", "administracja rzadowga", "WyraziliSmy", "dotyczgcym", "przesiedlef",
	"wspotdziataniu", "pozaru", "szczegdlnie", "cata odpowiedzialnos", "zaréwno", "doraznych",
	"mozliwa", "rzgdowym",
}

func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestSourceFactsOnSite: every fact and quote of the source appears on the
// rendered site, and none of the OCR damage does.
func TestSourceFactsOnSite(t *testing.T) {
	_, ts := newServer(t)
	var all strings.Builder
	for _, path := range sitemap(t, ts.URL, get(t, ts, "/sitemap.xml").body) {
		p := get(t, ts, path)
		main := normalize(p.doc.Find("main").Text())
		if langOf(path) == "pl" {
			all.WriteString(main + "\n")
		}
		for _, bad := range ocrDamage {
			if startsWord(p.body, bad) {
				t.Errorf("%s shows OCR damage %q", path, bad)
			}
		}
	}
	// And none in the content files themselves, front matter included.
	root := filepath.Join(storetest.Root(t), "content")
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, bad := range ocrDamage {
			if startsWord(string(b), bad) {
				t.Errorf("%s has OCR damage %q", path, bad)
			}
		}
		return nil
	})
	site := all.String()
	for _, fact := range sourceFacts {
		if !strings.Contains(site, normalize(fact)) {
			t.Errorf("no Polish page says: %s", fact)
		}
	}
	// Quotes are marked as quotes.
	p := get(t, ts, "/deklaracje/2021-stanowisko-afganistan")
	if n := p.doc.Find("main blockquote").Length(); n != 2 {
		t.Errorf("the 2021 position shows %d quotations, want 2 in <blockquote>", n)
	}
	if !strings.Contains(text(p.doc.Find("figure.quote figcaption")), "deklarowały władze miast") {
		t.Error("the first quotation of the 2021 position is not attributed")
	}
}
