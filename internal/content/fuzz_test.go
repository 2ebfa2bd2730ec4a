package content

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// fuzzFile is the content file the fuzzers replace: a Polish declaration,
// the richest content type (context, citable paragraphs, relations).
const fuzzFile = "declarations/2021-stanowisko.pl.md"

// fuzzSeeds returns content files that exercise the loader's paths: the
// valid fixture file itself and variants of it, each broken in one way.
func fuzzSeeds() []string {
	valid := string(fixture()[fuzzFile].Data)
	head, body, _ := strings.Cut(strings.TrimPrefix(valid, "---\n"), "\n---\n")
	withFM := func(fm, body string) string { return "---\n" + fm + "\n---\n" + body }
	return []string{
		valid,
		// Broken YAML: an unclosed flow sequence, a bad indent, a lone colon.
		strings.Replace(valid, "title: Stanowisko\n", "title: [Stanowisko\n", 1),
		strings.Replace(valid, "summary: ", "  summary:: ", 1),
		withFM(head+"\n: x\n\"unterminated", body),
		// Unclosed front matter, no front matter, an empty one, only "---".
		strings.Replace(valid, "---\nPierwszy", "Pierwszy", 1),
		"Tekst bez nagłówka.\n",
		"---\n---\nTekst.\n",
		"---",
		"---\n",
		"",
		// Unknown keys, with and without a close suggestion, and nested.
		strings.Replace(valid, "title:", "titel:", 1),
		withFM(head+"\nzzz: 1", body),
		withFM(head+"\nsource: {title: T, url: https://example.org, extra: 1}", body),
		// Wrong types: a list for text, a mapping for a date, text for a
		// number or a flag, a scalar for a list.
		strings.Replace(valid, "title: Stanowisko", "title: [a, b]", 1),
		strings.Replace(valid, "date: 2021-08", "date: {year: 2021}", 1),
		withFM(head+"\nsignatory_count: many\ndraft: maybe\nrefers_to: x", body),
		withFM(head+"\nsignatory_count: -3\naliases: [\"//evil.example\", \"/A B\"]", body),
		strings.Replace(valid, "date: 2021-08", "date: 2022-02-30", 1),
		strings.Replace(valid, "author: Prezydenci miast UMP", "author: {pl: A, de: B}", 1),
		// Raw HTML in the body, inline and as blocks.
		valid + "\n<script>alert(1)</script>\n\nTekst <b onclick=\"x()\">b</b> <img src=x onerror=alert(1)>\n\n<iframe src=\"javascript:alert(1)\"></iframe>\n",
		// Dangerous links, also in the context field.
		valid + "\n[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](java&#x09;script:alert(1)) <javascript:alert(1)>\n",
		withFM(head+"\ncontext: \"[x](javascript:alert(1)) <script>alert(1)</script>\"", body),
		valid + "\n[x](vbscript:msgbox(1)) [y](data:text/html,<script>alert(1)</script>) [t](/deklaracje \"a\\\" onclick=\\\"x\")\n",
		// An image without alt text, and one that does not exist.
		valid + "\n![](/static/img/x.png)\n\n![alt](/static/img/nie-ma.png)\n",
		// A byte order mark, invalid UTF-8, a NUL.
		"\uFEFF" + valid,
		valid + "\xff\xfe broken \xc3\x28\n",
		strings.Replace(valid, "Stanowisko\n", "Stano\x00wisko\n", 1),
		// Paragraph markers: good, repeated, malformed, in headings.
		valid + "\nWstawiony. {#p-2a}\n\nPowtórzony. {#p-2}\n\nZły. {#p-}\n\n# Nagłówek {#p-1}\n\n{#p-99999999999999999999}\n",
		// Deeply nested YAML, flow and block.
		withFM(head+"\ncontext: "+strings.Repeat("[", 200)+strings.Repeat("]", 200), body),
		withFM(head+"\nsource:\n"+nested(40), body),
		// A huge number, a huge date, an anchor and alias.
		withFM(head+"\nsignatory_count: 99999999999999999999999999999", body),
		withFM(head+"\nsignatory_count: 0x7fffffffffffffff", body),
		strings.Replace(valid, "date: 2021-08", "date: 99999-99", 1),
		withFM(head+"\nx: &a [*a]", body),
		// Tabs in YAML indentation and in Markdown.
		strings.Replace(valid, "\ntitle:", "\n\ttitle:", 1),
		withFM(head+"\nsource:\n\ttitle: T", body) + "\tkod\n\n-\tlista\n",
		// Windows line ends, trailing spaces on the fences.
		strings.ReplaceAll(valid, "\n", "\r\n"),
		strings.Replace(valid, "---\n", "---  \t\n", 2),
		// Markdown structures: tables, footnotes, lists, headings, quotes.
		valid + "\n| a | b |\n|---|---|\n| <x> | [l](javascript:x) |\n\nTekst[^1].\n\n[^1]: Przypis <script>.\n\n- a\n  - b\n\n## Pomoc\n\n> cytat\n\n— autor\n",
		// Links to pages, anchors and assets that do not exist.
		valid + "\n[a](/brak) [b](/deklaracje/2021-stanowisko#p-9) [c](https://example.org) [d](mailto:a@example.org) [e](#nic)\n",
	}
}

// nested returns n levels of nested YAML mappings.
func nested(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat("  ", i+1), i)
	}
	return b.String()
}

// FuzzLoad loads the fixture with one content file replaced by the input:
// Load never panics, refuses bad content only with well-formed Problems,
// and never renders script into a page.
func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s))
	}
	base := fixture()
	if _, err := Load(base, Options{}); err != nil {
		f.Fatalf("Load(fixture) = %v: the fuzzer needs a valid folder to change", err)
	}
	md := testMarkdown()
	f.Fuzz(func(t *testing.T, src []byte) {
		defer watchdog(src)()
		// Whatever the loader then says about it, a body never renders
		// script: raw HTML and javascript: links are dropped, not only
		// reported.
		if _, body, _, err := split(src); err == nil {
			r := md.render(body, "pl", true)
			checkSafeHTML(t, "rendered body", r.HTML)
		}
		site, err := Load(with(base, fuzzFile, string(src)), Options{})
		if err != nil {
			if site != nil {
				t.Errorf("Load returned both a site and an error: %v", err)
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load error is %T, want Problems: %v", err, err)
			}
			if len(ps) == 0 {
				t.Fatal("Load returned an empty Problems")
			}
			for _, p := range ps {
				checkProblem(t, p)
			}
			return
		}
		if site == nil {
			t.Fatal("Load returned neither a site nor an error")
		}
		for _, d := range site.Docs() {
			checkSafeHTML(t, d.File+" HTML", d.HTML)
			checkSafeHTML(t, d.File+" ContextHTML", d.ContextHTML)
		}
	})
}

// watchdog crashes the test binary when one input runs longer than
// hangAfter, so that `go test -fuzz` reports a hang (in YAML or Markdown
// parsing) as a crash and keeps the input in testdata/fuzz, instead of
// stalling: the fuzzing engine sets no time limit per input. Call the
// function it returns when the input is done.
func watchdog(src []byte) (stop func()) {
	timer := time.AfterFunc(hangAfter, func() {
		panic(fmt.Sprintf("hang: one input (%d bytes) ran longer than %v: %.300q", len(src), hangAfter, src))
	})
	return func() { timer.Stop() }
}

// hangAfter is how long one fuzz input may take.
const hangAfter = 10 * time.Second

// checkProblem checks that p points at a place an editor's tool can jump to.
func checkProblem(t *testing.T, p Problem) {
	t.Helper()
	if p.File == "" || p.Line < 1 || p.Col < 1 || strings.TrimSpace(p.Msg) == "" {
		t.Errorf("malformed problem %#v", p)
	}
	want := fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
	if got := p.String(); got != want {
		t.Errorf("Problem.String() = %q, want %q", got, want)
	}
}

// checkSafeHTML checks that rendered Markdown has no script: no <script>
// element, no event handler attribute (onerror=, onclick=), and no
// javascript: (or vbscript:) URL. It looks at the markup, not the text:
// "javascript:" written as prose is harmless, escaped text.
func checkSafeHTML(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(strings.ToLower(s), "<script") {
		t.Errorf("%s contains <script:\n%s", what, s)
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "iframe", "object", "embed", "style", "base", "form", "meta", "link":
			t.Errorf("%s has a <%s> element:\n%s", what, tok.Data, s)
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") {
				t.Errorf("%s has an event handler attribute %s=%q:\n%s", what, a.Key, a.Val, s)
			}
			if scheme := urlScheme(a.Val); scheme == "javascript" || scheme == "vbscript" {
				t.Errorf("%s has a %s: URL in %s=%q:\n%s", what, scheme, a.Key, a.Val, s)
			}
		}
	}
}

// urlScheme returns the lowercased scheme of u the way a browser reads it:
// leading spaces and control characters dropped, tabs and line breaks
// ignored anywhere.
func urlScheme(u string) string {
	u = strings.TrimLeft(u, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	u = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(u)
	scheme, _, ok := strings.Cut(u, ":")
	if !ok {
		return ""
	}
	return strings.ToLower(scheme)
}

// FuzzSplit cuts arbitrary bytes into front matter and body: split never
// panics, and what it returns is taken from the input where it says.
func FuzzSplit(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		"---\n---\n", "---\n---", "---\r\n---\r\n", "--- \t\n---\t \n", "\uFEFF---\n---\n",
		"\uFEFF\uFEFF---\n---\n", "----\n---\n", "---\n----\n---\n", "\n---\n---\n", "---\n--- x\n",
		"---\nid: x\n---\n---\nbody\n", "---\n\n\n---\n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		orig := bytes.Clone(src)
		fm, body, bodyLine, err := split(src)
		if !bytes.Equal(src, orig) {
			t.Fatalf("split modified its input")
		}
		if err != nil {
			if fm != nil || body != nil || bodyLine != 0 {
				t.Errorf("split failed (%v) but returned fm %q, body %q, bodyLine %d", err, fm, body, bodyLine)
			}
			if err.Error() == "" {
				t.Error("split failed with an empty message")
			}
			return
		}
		in := bytes.TrimPrefix(src, []byte("\uFEFF"))
		if !bytes.HasSuffix(in, body) {
			t.Errorf("body %q is not a suffix of the input %q", body, in)
		}
		if bodyLine < 3 {
			t.Errorf("bodyLine = %d, want >= 3", bodyLine)
		}
		// The front matter comes after the first line and before the body.
		first, rest, _ := bytes.Cut(in, []byte("\n"))
		if string(bytes.TrimRight(first, " \t\r")) != "---" {
			t.Errorf("split accepted a file whose first line is %q", first)
		}
		if !bytes.HasPrefix(rest, fm) {
			t.Errorf("front matter %q is not what follows the first line of %q", fm, in)
		}
		// bodyLine is the line of the file the body starts on.
		head := in[:len(in)-len(body)]
		if want := bytes.Count(head, []byte("\n")) + 1; bodyLine != want && !(len(body) == 0 && !bytes.HasSuffix(head, []byte("\n"))) {
			t.Errorf("bodyLine = %d, but the body starts on line %d of %q", bodyLine, want, in)
		}
		// The front matter never holds the closing fence.
		for line := range strings.Lines(string(fm)) {
			if strings.TrimRight(line, " \t\r\n") == "---" {
				t.Errorf("front matter %q contains a fence line", fm)
			}
		}
	})
}
