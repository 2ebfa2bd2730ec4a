package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/krakow/wspolpraca/internal/content/contenttest"
	"github.com/krakow/wspolpraca/internal/store/storetest"
	"github.com/krakow/wspolpraca/internal/web"
)

const (
	nsDCAT  = "http://www.w3.org/ns/dcat#"
	nsDCT   = "http://purl.org/dc/terms/"
	nsFOAF  = "http://xmlns.com/foaf/0.1/"
	nsVCard = "http://www.w3.org/2006/vcard/ns#"
)

// shaclResult is one result of a SHACL validation report.
type shaclResult struct {
	Severity, Focus, Path, Message, Shape, Constraint string
}

type shaclReport struct {
	Conforms bool
	Results  []shaclResult
}

// dcatRead is what tools/clients/dcat.mjs read of one catalogue.
type dcatRead struct {
	Name   string
	JSONLD struct {
		Triples int
		Error   string
	}
	Turtle struct {
		Triples int
		Error   string
	}
	OnlyInJSONLD []string
	OnlyInTurtle []string
	Report       shaclReport
}

type dcatCatalogue struct {
	Name   string `json:"name"`
	JSONLD string `json:"jsonld"`
	Turtle string `json:"turtle"`
	Base   string `json:"base"`
}

type dcatRemoval struct {
	Class string `json:"class"`
	Path  string `json:"path"`
}

// readCatalogues runs the RDF clients (jsonld.js, n3, rdf-validate-shacl)
// over the catalogues, in one node process, against the shapes in
// testdata; the properties of remove are each taken off the first
// catalogue and validated again. Like the other client tests, a missing
// node or npm package skips the test locally and fails it in CI.
func readCatalogues(t *testing.T, cats []dcatCatalogue, remove []dcatRemoval) ([]dcatRead, []struct {
	Class, Path       string
	Subjects, Dropped int
	Report            shaclReport
}) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs node")
	}
	root := storetest.Root(t)
	nodePath, err := exec.LookPath("node")
	if err != nil {
		nodePath = "/usr/bin/node"
	}
	node := need(t, "node", nodePath, "apt-get install -y nodejs")
	need(t, "the RDF clients", filepath.Join(root, "node_modules", "rdf-validate-shacl", "package.json"), "npm ci")
	in, err := json.Marshal(map[string]any{"catalogues": cats, "remove": remove,
		"shapes": filepath.Join(root, "internal", "web", "testdata", "dcat-ap-shapes.ttl")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(root, "tools", "clients", "dcat.mjs"))
	cmd.Dir = root
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tools/clients/dcat.mjs: %v\n%s", err, stderr.String())
	}
	var res struct {
		Catalogues []dcatRead
		Removed    []struct {
			Class, Path       string
			Subjects, Dropped int
			Report            shaclReport
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("tools/clients/dcat.mjs wrote %.300q: %v", out, err)
	}
	if len(res.Catalogues) != len(cats) {
		t.Fatalf("tools/clients/dcat.mjs read %d catalogues of %d", len(res.Catalogues), len(cats))
	}
	return res.Catalogues, res.Removed
}

// catalogueOf fetches a server's catalogue in both serialisations.
func catalogueOf(t *testing.T, name string, ts *httptest.Server) dcatCatalogue {
	t.Helper()
	jl, ttl := get(t, ts, "/api/v1/catalog.jsonld"), get(t, ts, "/api/v1/catalog.ttl")
	if jl.status != 200 || jl.header.Get("Content-Type") != "application/ld+json" {
		t.Errorf("%s: GET /api/v1/catalog.jsonld = %d %q", name, jl.status, jl.header.Get("Content-Type"))
	}
	if ttl.status != 200 || ttl.header.Get("Content-Type") != "text/turtle; charset=utf-8" {
		t.Errorf("%s: GET /api/v1/catalog.ttl = %d %q", name, ttl.status, ttl.header.Get("Content-Type"))
	}
	return dcatCatalogue{Name: name, JSONLD: jl.body, Turtle: ttl.body, Base: ts.URL + "/api/v1/catalog.ttl"}
}

// warnings lists a report's warnings as "focus's fragment: path", sorted
// and without repeats.
func warnings(r shaclReport) []string {
	var out []string
	for _, res := range r.Results {
		if res.Severity == "sh:Warning" {
			_, frag, _ := strings.Cut(res.Focus, "#")
			// Distributions are many: one line for all of them.
			if strings.Contains(frag, "-json") || strings.Contains(frag, "-csv") || strings.Contains(frag, "-atom") || strings.Contains(frag, "-ics") {
				frag = "distribution"
			}
			out = append(out, frag+": "+short(res.Path))
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func violations(r shaclReport) []string {
	var out []string
	for _, res := range r.Results {
		if res.Severity != "sh:Warning" {
			out = append(out, fmt.Sprintf("%s %s: %s (%s)", res.Focus, short(res.Path), res.Message, res.Constraint))
		}
	}
	return out
}

func short(iri string) string {
	for p, ns := range map[string]string{"dcat:": nsDCAT, "dct:": nsDCT, "foaf:": nsFOAF, "vcard:": nsVCard, "dcatap:": "http://data.europa.eu/r5r/"} {
		if rest, ok := strings.CutPrefix(iri, ns); ok {
			return p + rest
		}
	}
	return iri
}

// TestCatalogueSHACL: the catalogue, as JSON-LD and as Turtle, parses with
// real RDF libraries into the same graph, and passes SHACL validation
// against shapes written from DCAT-AP's mandatory and recommended
// properties: no violation, and as warnings only the recommended facts
// the City has not confirmed (contact point, licence), the availability it
// has not promised and the bodies' period, which the records do not give.
// Taking any mandatory property away makes it fail. With a licence and a
// contact point confirmed in the content, both appear, and their warnings
// go.
func TestCatalogueSHACL(t *testing.T) {
	_, live := newServer(t)

	dir := contentCopy(t)
	contenttest.Edit(t, dir, "pages/reuse.pl.md", "  confirmed: []\n", "  license: https://creativecommons.org/licenses/by/4.0/\n  confirmed: [license]\n")
	contenttest.Edit(t, dir, "pages/data.pl.md", "  spatial: http://sws.geonames.org/3094802/\n",
		"  spatial: http://sws.geonames.org/3094802/\n  contact: {pl: Wydział testowy, en: Test department, uk: Тестовий відділ}\n  email: dane@example.org\n  confirmed: [contact, email]\n")
	st, err := loader(dir, filepath.Join(t.TempDir(), "site.db"), func() time.Time { return testNow })(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, confirmed := startServer(t, st, web.Config{})

	mandatory := []dcatRemoval{
		{nsDCAT + "Catalog", nsDCT + "title"}, {nsDCAT + "Catalog", nsDCT + "description"},
		{nsDCAT + "Catalog", nsDCT + "publisher"}, {nsDCAT + "Catalog", nsDCAT + "dataset"},
		{nsDCAT + "Dataset", nsDCT + "title"}, {nsDCAT + "Dataset", nsDCT + "description"},
		{nsDCAT + "Distribution", nsDCAT + "accessURL"}, {nsFOAF + "Agent", nsFOAF + "name"},
	}
	reads, removed := readCatalogues(t, []dcatCatalogue{catalogueOf(t, "live", live), catalogueOf(t, "confirmed", confirmed)}, mandatory)

	for _, r := range reads {
		if r.JSONLD.Error != "" || r.Turtle.Error != "" {
			t.Fatalf("%s: JSON-LD: %s; Turtle: %s", r.Name, r.JSONLD.Error, r.Turtle.Error)
		}
		if r.Turtle.Triples < 200 || r.JSONLD.Triples != r.Turtle.Triples || len(r.OnlyInJSONLD)+len(r.OnlyInTurtle) > 0 {
			t.Errorf("%s: %d triples in JSON-LD, %d in Turtle; only in JSON-LD: %q; only in Turtle: %q", r.Name, r.JSONLD.Triples, r.Turtle.Triples, r.OnlyInJSONLD, r.OnlyInTurtle)
		}
		if v := violations(r.Report); len(v) > 0 {
			t.Errorf("%s: SHACL violations:\n%s", r.Name, strings.Join(v, "\n"))
		}
	}
	want := map[string][]string{
		"live": {"bodies: dct:temporal", "bodies: dcat:contactPoint", "catalog: dct:license", "declarations: dcat:contactPoint",
			"distribution: dcatap:availability", "distribution: dct:license", "meetings: dcat:contactPoint"},
		"confirmed": {"bodies: dct:temporal", "distribution: dcatap:availability"},
	}
	for _, r := range reads {
		got, w := warnings(r.Report), want[r.Name]
		sort.Strings(w)
		if !slices.Equal(got, w) {
			t.Errorf("%s: SHACL warnings\n%s\nwant\n%s", r.Name, strings.Join(got, "\n"), strings.Join(w, "\n"))
		}
	}
	if len(removed) != len(mandatory) {
		t.Fatalf("%d removals validated, want %d", len(removed), len(mandatory))
	}
	for _, r := range removed {
		failed := false
		for _, res := range r.Report.Results {
			failed = failed || (res.Severity == "sh:Violation" && res.Path == r.Path)
		}
		if r.Dropped == 0 || r.Report.Conforms || !failed {
			t.Errorf("without %s on every %s (%d triples dropped): conforms %v, no violation of the property: %v", short(r.Path), short(r.Class), r.Dropped, r.Report.Conforms, violations(r.Report))
		}
	}

	// The confirmed catalogue says what was confirmed, and the live one
	// does not.
	for name, ts := range map[string]*httptest.Server{"live": live, "confirmed": confirmed} {
		ttl := get(t, ts, "/api/v1/catalog.ttl").body
		has := strings.Contains(ttl, "dct:license <https://creativecommons.org/licenses/by/4.0/>") && strings.Contains(ttl, "vcard:hasEmail <mailto:dane@example.org>")
		if has != (name == "confirmed") || (name == "live" && (strings.Contains(ttl, "dct:license") || strings.Contains(ttl, "contactPoint"))) {
			t.Errorf("%s catalogue: licence and contact point present = %v", name, has)
		}
	}
}

// TestCatalogueFacts: the catalogue's languages are the registry's, its
// periods the records' dates, and every file it lists answers with the
// media type it gives.
func TestCatalogueFacts(t *testing.T) {
	_, ts := newServer(t)
	var doc struct {
		Graph []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(get(t, ts, "/api/v1/catalog.jsonld").body), &doc); err != nil {
		t.Fatal(err)
	}
	nodes := map[string]map[string]any{}
	for _, n := range doc.Graph {
		id, _ := n["@id"].(string)
		_, frag, _ := strings.Cut(id, "#")
		nodes[frag] = n
	}
	values := func(n map[string]any, key string) []string {
		var out []string
		vs, _ := n[key].([]any)
		for _, v := range vs {
			m, _ := v.(map[string]any)
			for _, k := range []string{"@id", "@value"} {
				if s, ok := m[k].(string); ok {
					out = append(out, s)
				}
			}
		}
		return out
	}
	reg := languages(t)
	if got := values(nodes["catalog"], "dct:language"); len(got) != len(reg.Tags()) {
		t.Errorf("catalogue languages %v, want one per language of the registry %v", got, reg.Tags())
	}
	if got := values(nodes["catalog"], "dct:title"); len(got) != len(reg.Tags()) {
		t.Errorf("catalogue titles %v, want one per language", got)
	}
	for period, want := range map[string][2]string{"declarations-period": {"2015", "2021"}, "meetings-period": {"2022-12-16", "2022-12-16"}} {
		n := nodes[period]
		if got := [2]string{strings.Join(values(n, "dcat:startDate"), ""), strings.Join(values(n, "dcat:endDate"), "")}; got != want {
			t.Errorf("%s = %v, want %v (the records' dates)", period, got, want)
		}
	}
	if _, ok := nodes["bodies-period"]; ok {
		t.Error("the bodies have a period, but founding dates are not one")
	}
	if got := values(nodes["declarations"], "dct:spatial"); !slices.Equal(got, []string{"http://sws.geonames.org/3094802/"}) {
		t.Errorf("spatial = %v", got)
	}
	dists := 0
	for frag, n := range nodes {
		types, _ := n["@type"].([]any)
		if len(types) == 0 || types[0] != "dcat:Distribution" {
			continue
		}
		dists++
		u := strings.Join(values(n, "dcat:downloadURL"), "")
		media := strings.TrimPrefix(strings.Join(values(n, "dcat:mediaType"), ""), "http://www.iana.org/assignments/media-types/")
		p := get(t, ts, strings.TrimPrefix(u, ts.URL))
		if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), media) {
			t.Errorf("%s: GET %s = %d %q, want %s", frag, u, p.status, p.header.Get("Content-Type"), media)
		}
	}
	// JSON and CSV (and its Excel variant) of declarations and meetings,
	// JSON of bodies, an Atom feed per dataset and language, a calendar
	// of meetings per language.
	if n := len(reg.Tags()); dists != 3+3+1+3*n+n {
		t.Errorf("%d distributions, want %d", dists, 3+3+1+3*n+n)
	}
}
