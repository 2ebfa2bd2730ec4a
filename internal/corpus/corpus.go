// Package corpus makes a synthetic site of any size for tests and
// benchmarks: declarations and meetings in every language of the site, with text
// drawn from the real content's words and a long tail of made-up ones, so
// that common words are common and rare words rare. The same seed gives the
// same corpus.
//
// It only writes files, read like any content folder; it must not import
// the store or the web package.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/krakow/wspolpraca/internal/content"
	"github.com/krakow/wspolpraca/internal/date"
	"github.com/krakow/wspolpraca/internal/urls"
)

// Options size a corpus.
type Options struct {
	Declarations int
	Meetings     int
	Seed         uint64
	// Languages are the BCP 47 tags of the languages to write records
	// in: nil for every language of the registry. The authoritative one
	// is always written (the others translate it).
	Languages []string
	// Progress, if not nil, is told after each record how many of the
	// total have been written.
	Progress func(done, total int)
}

// Bodies are the ids of the bodies a synthetic record belongs to; they
// exist in the real content.
var Bodies = []string{"ump", "ump-zespol-migracji", "zmp", "zmp-komisja-praw-czlowieka"}

// Generator makes synthetic text.
type Generator struct {
	rnd   *rand.Rand
	words map[string][]string // by language
	zipf  map[string]*rand.Zipf
}

// NewGenerator returns a generator whose vocabulary is the words of base
// (the real content) and made-up words.
func NewGenerator(base *content.Site, seed uint64) *Generator {
	g := &Generator{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), words: map[string][]string{}, zipf: map[string]*rand.Zipf{}}
	for _, lang := range base.Languages.Tags() {
		seen := map[string]bool{}
		for _, d := range base.Docs() {
			if d.Lang != lang {
				continue
			}
			for _, w := range strings.FieldsFunc(d.Title+" "+d.Summary+" "+d.Text, func(r rune) bool { return !unicode.IsLetter(r) }) {
				w = strings.ToLower(w)
				if len([]rune(w)) > 2 && !seen[w] {
					seen[w] = true
					g.words[lang] = append(g.words[lang], w)
				}
			}
		}
		// A long tail of rarer, made-up words.
		syl := []string{"ka", "ro", "wi", "sz", "no", "la", "mi", "gr", "te", "po", "dy", "cz", "ne", "ra", "tu", "ko", "wa", "le"}
		for range 20000 {
			var b strings.Builder
			for range 2 + g.rnd.IntN(3) {
				b.WriteString(syl[g.rnd.IntN(len(syl))])
			}
			g.words[lang] = append(g.words[lang], b.String())
		}
		// Word frequencies follow Zipf's law over the whole vocabulary in a
		// random order, so a topical word of the real content ("migracji") is
		// as common as a random word of its rank, not among the commonest.
		g.rnd.Shuffle(len(g.words[lang]), func(i, j int) { g.words[lang][i], g.words[lang][j] = g.words[lang][j], g.words[lang][i] })
		g.zipf[lang] = rand.NewZipf(g.rnd, 1.1, 2, uint64(len(g.words[lang])-1))
	}
	return g
}

// Common returns the commonest word of lang's vocabulary.
func (g *Generator) Common(lang string) string { return g.words[lang][0] }

// Ranked returns the word of lang at frequency rank n (0 the commonest).
func (g *Generator) Ranked(lang string, n int) string { return g.words[lang][n%len(g.words[lang])] }

// Word returns a word of lang, common ones more often.
func (g *Generator) Word(lang string) string { return g.words[lang][g.zipf[lang].Uint64()] }

// Sentence returns n words of lang, capitalised, with a full stop.
func (g *Generator) Sentence(lang string, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.Word(lang)
	}
	s := strings.Join(ws, " ")
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:] + "."
}

// Paragraphs returns n paragraphs of about words words each, as Markdown.
func (g *Generator) Paragraphs(lang string, n, words int) string {
	ps := make([]string, n)
	for i := range ps {
		var b strings.Builder
		for left := words; left > 0; {
			k := min(left, 6+g.rnd.IntN(10))
			b.WriteString(g.Sentence(lang, k) + " ")
			left -= k
		}
		ps[i] = strings.TrimSpace(b.String())
	}
	return strings.Join(ps, "\n\n")
}

func (g *Generator) day(i int) date.Date {
	return date.Date{Year: 2000 + i%25, Month: 1 + g.rnd.IntN(12), Day: 1 + g.rnd.IntN(28)}
}

// Version is the content version of Site(base, opts), known without
// building it.
func Version(base *content.Site, opts Options) string {
	return fmt.Sprintf("%s-corpus-%d-%d-%d", base.Version, opts.Declarations, opts.Meetings, opts.Seed)
}

// sectionPath returns the path of base's list with layout in lang.
func sectionPath(base *content.Site, layout content.Layout, lang string) string {
	return base.Section(layout).Docs[lang].Path
}

// Site returns base with opts.Declarations and opts.Meetings synthetic
// records added, in every language of base, built in memory (for search
// benchmarks, which need no files).
func Site(base *content.Site, opts Options) *content.Site {
	g := NewGenerator(base, opts.Seed)
	site := *base
	site.Version = Version(base, opts)
	site.Declarations = append([]*content.Declaration{}, base.Declarations...)
	site.Meetings = append([]*content.Meeting{}, base.Meetings...)
	published := date.MustParse("2026-11-25")
	auth := base.Languages.Authoritative().Tag
	docs := func(layout content.Layout, id string, words, paras int) map[string]*content.Doc {
		out := map[string]*content.Doc{}
		for _, lang := range base.Languages.Tags() {
			text := g.Paragraphs(lang, paras, 40)
			status := content.Unverified
			if lang == auth {
				status = content.Original
			}
			out[lang] = &content.Doc{Lang: lang, Path: urls.Record(sectionPath(base, layout, lang), id), Title: g.Sentence(lang, words),
				Summary: g.Sentence(lang, 18), HTML: "<p>" + text + "</p>", Text: text, Published: published, Updated: published, Status: status}
		}
		return out
	}
	texts := func(words int) content.Text {
		t := content.Text{}
		for _, lang := range base.Languages.Tags() {
			t[lang] = g.Sentence(lang, words)
		}
		return t
	}
	for i := range opts.Declarations {
		id := fmt.Sprintf("syn-d-%06d", i)
		d := &content.Declaration{
			Record: content.Record{ID: id, Type: content.TypeDeclaration, Docs: docs(content.LayoutDeclarations, id, 7, 3)},
			Kind:   []string{"declaration", "position", "appeal"}[i%3], Body: Bodies[i%len(Bodies)],
			Date: date.Range{From: g.day(i)}, Author: content.Text{auth: "Prezydenci miast"},
			Language: auth, TextScope: "full",
		}
		site.Declarations = append(site.Declarations, d)
	}
	for i := range opts.Meetings {
		id := fmt.Sprintf("syn-m-%06d", i)
		m := &content.Meeting{
			Record: content.Record{ID: id, Type: content.TypeMeeting, Docs: docs(content.LayoutMeetings, id, 6, 2)},
			Body:   Bodies[i%len(Bodies)], Date: date.Range{From: g.day(i)}, Place: content.Text{auth: "Kraków"},
			Mode: "in_person", Topics: []content.Text{texts(4)},
		}
		site.Meetings = append(site.Meetings, m)
	}
	return &site
}

// Write copies the content folder base to dir and adds opts.Declarations
// and opts.Meetings synthetic records as real content files in every
// language, with their addresses recorded in urls.txt: a content folder
// that `site import` and `site serve` read like the real one.
func Write(baseDir, dir string, base *content.Site, opts Options) error {
	if err := os.CopyFS(dir, os.DirFS(baseDir)); err != nil {
		return err
	}
	g := NewGenerator(base, opts.Seed)
	urlsFile, err := os.OpenFile(filepath.Join(dir, "urls.txt"), os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer urlsFile.Close()
	reg := base.Languages
	auth := reg.Authoritative().Tag
	tags := reg.Tags()
	if opts.Languages != nil {
		for _, t := range opts.Languages {
			if _, ok := reg.Get(t); !ok {
				return fmt.Errorf("corpus: %q is not a language of the site (%s)", t, strings.Join(tags, ", "))
			}
		}
		tags = slices.DeleteFunc(slices.Clone(tags), func(t string) bool { return t != auth && !slices.Contains(opts.Languages, t) })
	}
	// The languages left out are named as deliberately untranslated.
	var untranslated string
	if left := slices.DeleteFunc(reg.Tags(), func(t string) bool { return slices.Contains(tags, t) }); len(left) > 0 {
		untranslated = "untranslated: [" + strings.Join(left, ", ") + "]\n"
	}
	done, total := 0, opts.Declarations+opts.Meetings
	write := func(folder string, layout content.Layout, id string, facts func() string, words, paras int) error {
		if done++; opts.Progress != nil {
			opts.Progress(done, total)
		}
		for _, lang := range tags {
			src := fmt.Sprintf("---\nid: %s\ntitle: %s\nsummary: %s\n", id, g.Sentence(lang, words), g.Sentence(lang, 18))
			if lang == auth {
				src += facts() + untranslated
			}
			src += fmt.Sprintf("published: 2026-11-25\n---\n%s\n", g.Paragraphs(lang, paras, 40))
			if err := os.WriteFile(filepath.Join(dir, folder, id+"."+lang+".md"), []byte(src), 0o644); err != nil {
				return err
			}
		}
		// Every language has the address (an untranslated one shows the
		// page in a fallback language).
		for _, lang := range reg.Tags() {
			fmt.Fprintln(urlsFile, urls.Record(sectionPath(base, layout, lang), id))
		}
		return nil
	}
	for i := range opts.Declarations {
		id := fmt.Sprintf("syn-d-%06d", i)
		facts := func() string {
			return fmt.Sprintf("kind: %s\nbody: %s\ndate: %s\nauthor: Prezydenci miast\nlanguage: %s\ntext: full\n",
				[]string{"declaration", "position", "appeal"}[i%3], Bodies[i%len(Bodies)], g.day(i), auth)
		}
		if err := write("declarations", content.LayoutDeclarations, id, facts, 7, 3); err != nil {
			return err
		}
	}
	for i := range opts.Meetings {
		id := fmt.Sprintf("syn-m-%06d", i)
		facts := func() string {
			var topic []string
			// In every language of the site, as a record's texts must be.
			for _, lang := range reg.Tags() {
				topic = append(topic, lang+": "+g.Sentence(lang, 4))
			}
			return fmt.Sprintf("body: %s\ndate: %s\nplace: Kraków\nmode: in_person\ntopics:\n  - {%s}\n",
				Bodies[i%len(Bodies)], g.day(i), strings.Join(topic, ", "))
		}
		if err := write("meetings", content.LayoutMeetings, id, facts, 6, 2); err != nil {
			return err
		}
	}
	return nil
}
