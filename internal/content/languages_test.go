package content

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/krakow/wspolpraca/internal/catalog"
	"github.com/krakow/wspolpraca/internal/content/contenttest"
	"github.com/krakow/wspolpraca/internal/date"
)

// at is the file:line:col of the first occurrence of sub in src (columns
// count characters), so that a test names what a problem must point at
// rather than a number.
func at(file, src, sub string) string {
	i := strings.Index(src, sub)
	if i < 0 {
		panic(fmt.Sprintf("%q not in %s", sub, file))
	}
	line := strings.Count(src[:i], "\n") + 1
	col := utf8.RuneCountInString(src[strings.LastIndex(src[:i], "\n")+1:i]) + 1
	return fmt.Sprintf("%s:%d:%d", file, line, col)
}

// TestLanguageProblems: every mistake in the language registry, the
// catalogues or a language tag anywhere is a problem at its place.
func TestLanguageProblems(t *testing.T) {
	pl := string(catalogue("pl"))
	en := string(catalogue("en"))
	replace := func(src, old, new string) string {
		if !strings.Contains(src, old) {
			panic(old)
		}
		return strings.Replace(src, old, new, 1)
	}
	const decl = "declarations/2021-stanowisko.pl.md"
	declSrc := string(fixture()[decl].Data)
	for _, tc := range []struct {
		name string
		file string
		src  string
		want string // file:line:col of the problem's place, then the message
	}{
		{
			name: "a tag that is not BCP 47",
			file: "languages.yaml",
			src:  replace(contenttest.Languages, "tag: en", "tag: english1"),
			want: at("languages.yaml", replace(contenttest.Languages, "tag: en", "tag: english1"), "english1") + `: tag "english1" is not a BCP 47 language tag`,
		},
		{
			name: "a tag not in canonical form",
			file: "languages.yaml",
			src:  replace(contenttest.Languages, "tag: en", "tag: EN"),
			want: at("languages.yaml", replace(contenttest.Languages, "tag: en", "tag: EN"), "EN") + `: tag "EN": write it in its canonical form`,
		},
		{
			name: "two authoritative languages",
			file: "languages.yaml",
			src:  replace(replace(contenttest.Languages, "prefix: /en", `prefix: ""`), "fallback: [pl]", "authoritative: true"),
			want: `exactly one language must be authoritative (authoritative: true); found 2`,
		},
		{
			name: "a fallback that is not a language",
			file: "languages.yaml",
			src:  replace(contenttest.Languages, "fallback: [pl]", "fallback: [de]"),
			want: at("languages.yaml", replace(contenttest.Languages, "fallback: [pl]", "fallback: [de]"), "de]") + `: fallback "de" is not a language of the registry`,
		},
		{
			name: "a prefix that is not a path",
			file: "languages.yaml",
			src:  replace(contenttest.Languages, "prefix: /en", "prefix: en/"),
			want: at("languages.yaml", replace(contenttest.Languages, "prefix: /en", "prefix: en/"), "en/") + `: prefix "en/": write / and 2 to 8 lowercase ASCII letters`,
		},
		{
			name: "a search type missing",
			file: "languages.yaml",
			src:  replace(contenttest.Languages, "      - {param: declaration, value: declaration}\n", ""),
			want: `search_types: give one value for each of page, body, meeting, declaration`,
		},
		{
			name: "a file in a language the registry does not have",
			file: "pages/about.de.md",
			src:  "---\nid: about\ntitle: Über\nsummary: Ü.\nslug: ueber\npublished: 2026-11-25\n---\n",
			want: `pages/about.de.md:1:1: language "de" is not in languages.yaml: the languages are pl, en`,
		},
		{
			name: "a label in a language the registry does not have",
			file: decl,
			src:  replace(declSrc, "author: Prezydenci miast UMP", "author: {pl: Prezydenci, en: Mayors, de: Bürgermeister}"),
			want: at(decl, replace(declSrc, "author: Prezydenci miast UMP", "author: {pl: Prezydenci, en: Mayors, de: Bürgermeister}"), "de:") + `: author: unknown language "de": the languages are pl, en`,
		},
		{
			name: "untranslated into a language the registry does not have",
			file: decl,
			src:  replace(declSrc, "text: full", "text: full\nuntranslated: [de]"),
			want: at(decl, replace(declSrc, "text: full", "text: full\nuntranslated: [de]"), "de]") + `: untranslated: unknown language "de"`,
		},
		{
			name: "the original's language not a tag",
			file: decl,
			src:  replace(declSrc, "language: pl", "language: polski1"),
			want: at(decl, replace(declSrc, "language: pl", "language: polski1"), "polski1") + `: language "polski1" is not a language tag`,
		},
		{
			name: "a catalogue missing",
			file: "messages/en.yaml",
			src:  "",
			want: `messages/en.yaml:1:1: the message catalogue of "en" is missing`,
		},
		{
			name: "a message missing",
			file: "messages/en.yaml",
			src:  replace(en, "Breadcrumbs: ", "# Breadcrumbs: "),
			want: `messages/en.yaml:1:1: message "Breadcrumbs" is missing: every catalogue gives every message`,
		},
		{
			name: "a message empty",
			file: "messages/en.yaml",
			src:  replace(en, `Breadcrumbs: "Breadcrumbs"`, `Breadcrumbs: " "`),
			want: at("messages/en.yaml", replace(en, `Breadcrumbs: "Breadcrumbs"`, `Breadcrumbs: " "`), `" "`) + `: Breadcrumbs is empty: every message needs its text`,
		},
		{
			name: "a message cut by a comment",
			file: "messages/en.yaml",
			src:  replace(en, `Breadcrumbs: "Breadcrumbs"`, `Breadcrumbs: Bread #crumbs`),
			want: at("messages/en.yaml", replace(en, `Breadcrumbs: "Breadcrumbs"`, `Breadcrumbs: Bread #crumbs`), "Bread #") + `: Breadcrumbs: YAML reads the text after " #" as a comment, so the value would be cut to "Bread"`,
		},
		{
			name: "a message misspelt",
			file: "messages/en.yaml",
			src:  replace(en, "Breadcrumbs: ", "Breadcrumb: "),
			want: at("messages/en.yaml", replace(en, "Breadcrumbs: ", "Breadcrumb: "), "Breadcrumb:") + `: unknown message "Breadcrumb": did you mean "Breadcrumbs"?`,
		},
		{
			name: "a plural form missing",
			file: "messages/pl.yaml",
			src:  replace(pl, "  few: \"Znaleziono {count} strony\"\n", ""),
			want: at("messages/pl.yaml", pl, "SearchFound:") + `: SearchFound has no text for the plural form "few" (pl needs one, few, many, other)`,
		},
		{
			name: "a plural form the language does not have",
			file: "messages/en.yaml",
			src:  replace(en, "SearchFound:\n", "SearchFound:\n  few: \"{count}\"\n"),
			want: at("messages/en.yaml", replace(en, "SearchFound:\n", "SearchFound:\n  few: \"{count}\"\n"), "few:") + `: SearchFound: en has no plural form "few"; its forms are one, other`,
		},
		{
			name: "a placeholder lost in translation",
			file: "messages/en.yaml",
			src:  replace(en, "{fallback}", "Polish"),
			want: at("messages/en.yaml", en, "FallbackNote:") + `: FallbackNote: placeholders [{language}], but the pl catalogue's text has [{fallback} {language}]`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(with(fixture(), tc.file, tc.src), Options{})
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load = %v, want Problems", err)
			}
			if got := ps.Error(); !strings.Contains(got, tc.want) {
				t.Errorf("Load problems:\n%s\nwant one containing %q", got, tc.want)
			}
		})
	}
}

// TestCatalogues: every catalogue of the real content gives every message,
// none empty, each counted one in every CLDR plural form of its language;
// dates and quotation marks are each language's own.
func TestCatalogues(t *testing.T) {
	site, err := Load(os.DirFS("../../content"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	required := catalog.Required(families())
	for _, lg := range site.Languages.All() {
		c := site.Catalogues[lg.Tag]
		if c == nil {
			t.Fatalf("no catalogue for %s", lg.Tag)
		}
		for key, counted := range required {
			m, ok := c.Messages[key]
			switch {
			case !ok:
				t.Errorf("%s: no %s", lg.Tag, key)
			case counted:
				for _, form := range catalog.Forms(lg.Tag) {
					if strings.TrimSpace(m.Plural[form]) == "" {
						t.Errorf("%s: %s has no %s form", lg.Tag, key, form)
					}
				}
			case strings.TrimSpace(m.Text) == "":
				t.Errorf("%s: %s is empty", lg.Tag, key)
			}
		}
	}
	want := map[string]struct{ date, month, quote, found5, found22 string }{
		"pl": {"16 grudnia 2022 r.", "sierpień 2021 r.", "„x”", "Znaleziono 5 stron", "Znaleziono 22 strony"},
		"en": {"16 December 2022", "August 2021", "“x”", "5 pages found", "22 pages found"},
		"uk": {"16 грудня 2022 р.", "серпень 2021 р.", "«x»", "", ""},
	}
	for tag, w := range want {
		c := site.Catalogues[tag]
		if c == nil {
			t.Errorf("no catalogue %s", tag)
			continue
		}
		l := catalog.NewLabels(c)
		if got := l.FormatDate(date.MustParse("2022-12-16")); got != w.date {
			t.Errorf("%s: 2022-12-16 = %q, want %q", tag, got, w.date)
		}
		if got := l.FormatDate(date.MustParse("2021-08")); got != w.month {
			t.Errorf("%s: 2021-08 = %q, want %q", tag, got, w.month)
		}
		if got := l.Quote("x"); got != w.quote {
			t.Errorf("%s: Quote = %q, want %q", tag, got, w.quote)
		}
		if w.found5 != "" && !strings.HasPrefix(l.SearchFound.N(5), w.found5) {
			t.Errorf("%s: SearchFound(5) = %q, want %q…", tag, l.SearchFound.N(5), w.found5)
		}
		if w.found22 != "" && !strings.HasPrefix(l.SearchFound.N(22), w.found22) {
			t.Errorf("%s: SearchFound(22) = %q, want %q…", tag, l.SearchFound.N(22), w.found22)
		}
	}
	// Ukrainian plurals: 1, 2–4, 5–20, 21, 22 take one, few, many, one, few.
	uk := catalog.NewLabels(site.Catalogues["uk"])
	forms := map[int]string{}
	for _, n := range []int{1, 2, 5, 11, 21, 22, 25} {
		forms[n] = uk.SearchFound.N(n)
	}
	if forms[1] == forms[2] || forms[2] == forms[5] || forms[5] == forms[11] && forms[1] == forms[5] {
		t.Errorf("Ukrainian plural forms not told apart: %v", forms)
	}
	if strings.Replace(forms[21], "21", "1", 1) != forms[1] || strings.Replace(forms[22], "22", "2", 1) != forms[2] || strings.Replace(forms[25], "25", "5", 1) != forms[5] {
		t.Errorf("Ukrainian 21/22/25 do not take the forms of 1/2/5: %v", forms)
	}
}

// TestTranslationStatus: a translation says which version of the Polish
// text it translates; when the Polish changes afterwards the check warns
// (it does not refuse), and make translated brings it up to date.
func TestTranslationStatus(t *testing.T) {
	const enFile = "declarations/2021-stanowisko.en.md"
	const plFile = "declarations/2021-stanowisko.pl.md"
	fsys := fixture()
	site, err := Load(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := func(site *Site, tag string) *Doc { return site.Declarations[0].Docs[tag] }
	if got := doc(site, "en").Status; got != Unverified {
		t.Errorf("a translation without translation_of is %q, want %q", got, Unverified)
	}
	if got := doc(site, "pl").Status; got != Original {
		t.Errorf("the Polish text is %q, want %q", got, Original)
	}

	out, hash, err := MarkTranslated(site, enFile, fsys[enFile].Data)
	if err != nil {
		t.Fatal(err)
	}
	if hash != doc(site, "pl").SourceHash || !strings.Contains(string(out), "\ntranslation_of: "+hash+"\n---\n") {
		t.Fatalf("MarkTranslated wrote:\n%s\nwant translation_of: %s", out, doc(site, "pl").SourceHash)
	}
	if !strings.HasSuffix(string(out), "Fourth paragraph.\n") {
		t.Errorf("MarkTranslated changed the text:\n%s", out)
	}
	fsys = with(fsys, enFile, string(out))
	if site, err = Load(fsys, Options{}); err != nil || doc(site, "en").Status != Current || len(site.Warnings) != 0 {
		t.Fatalf("after make translated: %v, status %q, warnings %v", err, doc(site, "en").Status, site.Warnings)
	}

	// The Polish text changes: a warning at the translation's
	// translation_of, and the content still loads.
	changed := with(fsys, plFile, strings.Replace(string(fsys[plFile].Data), "Czwarty akapit.", "Czwarty akapit, poprawiony.", 1))
	site, err = Load(changed, Options{})
	if err != nil {
		t.Fatalf("an outdated translation refused the content: %v", err)
	}
	if doc(site, "en").Status != Outdated || len(site.Warnings) != 1 {
		t.Fatalf("status %q, warnings %v; want outdated and one warning", doc(site, "en").Status, site.Warnings)
	}
	if w := site.Warnings[0].String(); !strings.HasPrefix(w, at(enFile, string(out), hash)+": this translation is of an earlier version of "+plFile) {
		t.Errorf("warning %q", w)
	}
	// Marking it again replaces the field, and only the field.
	again, hash2, err := MarkTranslated(site, enFile, out)
	if err != nil || hash2 == hash || strings.Count(string(again), "translation_of:") != 1 || !strings.Contains(string(again), "translation_of: "+hash2+"\n") {
		t.Errorf("MarkTranslated again = %s, %v:\n%s", hash2, err, again)
	}
	if _, _, err := MarkTranslated(site, plFile, changed[plFile].Data); err == nil {
		t.Error("MarkTranslated marked the authoritative text")
	}
	if _, _, err := MarkTranslated(site, "declarations/brak.en.md", out); err == nil {
		t.Error("MarkTranslated marked a file the content does not hold")
	}
	// translation_of in the Polish file is a problem.
	_, err = Load(with(fsys, plFile, strings.Replace(string(fsys[plFile].Data), "text: full", "text: full\ntranslation_of: abc", 1)), Options{})
	if err == nil || !strings.Contains(err.Error(), "translation_of belongs in translations") {
		t.Errorf("translation_of in the original: %v", err)
	}
}

// TestFallback: a record not translated into a language still has a page
// in it, showing its fallback's text and saying so.
func TestFallback(t *testing.T) {
	const plFile = "declarations/2021-stanowisko.pl.md"
	fsys := fixture()
	fsys = with(fsys, "declarations/2021-stanowisko.en.md", "")
	fsys = with(fsys, plFile, strings.Replace(string(fsys[plFile].Data), "text: full", "text: full\nuntranslated: [en]", 1))
	site, err := Load(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	en := site.Declarations[0].Docs["en"]
	if en == nil || en.Fallback != "pl" || en.Status != Fallback || en.Lang != "en" || en.Title != "Stanowisko" || en.Path != "/en/declarations/2021-stanowisko" {
		t.Fatalf("the English page = %+v", en)
	}
	// Listing a language that has a file is a problem.
	fsys = with(fixture(), plFile, strings.Replace(string(fixture()[plFile].Data), "text: full", "text: full\nuntranslated: [en]", 1))
	if _, err := Load(fsys, Options{}); err == nil || !strings.Contains(err.Error(), "untranslated names en, but declarations/2021-stanowisko.en.md exists") {
		t.Errorf("untranslated with a translation: %v", err)
	}
}

// TestTransliteratedIDs: Ukrainian headings and slugs are written in Latin
// letters by the national transliteration (KMU 2010), as the real
// registry gives it.
func TestTransliteratedIDs(t *testing.T) {
	md := newMarkdown(registryOf(os.DirFS("../../content")))
	r := md.render([]byte("## Позиція щодо біженців з Афганістану\n\n## Єдність і Згода\n\n## 🇺🇦\n\n## Main\n"), "uk", false)
	for _, id := range []string{`id="pozytsiia-shchodo-bizhentsiv-z-afhanistanu"`, `id="yednist-i-zghoda"`, `id="h3"`, `id="main-1"`} {
		if !strings.Contains(r.HTML, id) {
			t.Errorf("no %s in\n%s", id, r.HTML)
		}
	}
	if strings.Contains(r.HTML, "sekcja") {
		t.Errorf("a heading got a numbered id:\n%s", r.HTML)
	}
	fsys := with(fixture(), "pages/about.pl.md", "---\nid: about\ntitle: O nas\nsummary: O.\nslug: о-нас\nuntranslated: true\npublished: 2026-11-25\n---\n")
	_, err := Load(fsys, Options{})
	if err == nil || !strings.Contains(err.Error(), `slug "о-нас": use lowercase ASCII letters`) {
		t.Errorf("a Cyrillic slug: %v", err)
	}
}
