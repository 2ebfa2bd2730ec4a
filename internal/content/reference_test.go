package content

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestReferenceUpToDate fails when docs/content-reference.md is not what
// the schema generates: run `make reference`.
func TestReferenceUpToDate(t *testing.T) {
	got, err := os.ReadFile(filepath.Join("..", "..", ReferencePath))
	if err != nil {
		t.Fatalf("%s: %v (run make reference)", ReferencePath, err)
	}
	if !bytes.Equal(got, Reference()) {
		t.Errorf("%s is stale: run `make reference` and commit it", ReferencePath)
	}
}

// TestReferenceExamplesValid decodes each example of the reference: each
// must be free of problems.
func TestReferenceExamplesValid(t *testing.T) {
	for _, ex := range examples {
		fm, body, bodyLine, err := split([]byte(ex.Src))
		if err != nil {
			t.Fatalf("%s: %v", ex.File, err)
		}
		var ps problems
		d := &decoder{file: ex.File, lang: "pl", line0: 1, ps: &ps, at: map[string]pos{}, reg: registryOf(os.DirFS("../../content"))}
		d.decode(fm, reflect.New(ex.Type.metaType()).Interface())
		r := testMarkdown().render(body, "pl", ex.Type == TypeDeclaration)
		if len(ps.list) > 0 || len(r.Problems) > 0 {
			t.Errorf("example %s: %v %v (body from line %d)", ex.File, ps.list, r.Problems, bodyLine)
		}
	}
	// Every example of a text field is a valid text in the site's
	// languages (an example lacking one would be refused).
	var walk func(typ reflect.Type)
	walk = func(typ reflect.Type) {
		for _, f := range fieldsOf(typ) {
			if f.Type == typeText && strings.HasPrefix(f.Example, "{") {
				var ps problems
				d := &decoder{file: "example", lang: "pl", line0: 0, ps: &ps, at: map[string]pos{}, reg: registryOf(os.DirFS("../../content"))}
				var v struct {
					X Text `yaml:"x"`
				}
				d.decode([]byte("x: "+f.Example+"\n"), &v)
				if len(ps.list) > 0 {
					t.Errorf("the example of %s, %s: %v", f.Name, f.Example, ps.list)
				}
			}
			if e := elem(f.Type); e.Kind() == reflect.Struct && e != typeText {
				walk(e)
			}
		}
	}
	for _, ty := range Types {
		walk(ty.metaType())
	}
	ref := string(Reference())
	for _, want := range []string{"`signatories[].name`", "`changes[].date`", "`kind` | yes | authoritative file", "did you mean"} {
		if want == "did you mean" {
			continue
		}
		if !bytes.Contains([]byte(ref), []byte(want)) {
			t.Errorf("the reference lacks %s", want)
		}
	}
}

// TestLayoutsMatchSchema keeps Layouts, the layouts the code knows, equal to
// the enum tag of the front matter's layout field, which the loader checks
// and the editors' reference lists.
func TestLayoutsMatchSchema(t *testing.T) {
	f, ok := reflect.TypeFor[pageMeta]().FieldByName("Layout")
	if !ok {
		t.Fatal("pageMeta has no field Layout")
	}
	names := make([]string, len(Layouts))
	for i, l := range Layouts {
		names[i] = string(l)
	}
	if got, want := f.Tag.Get("enum"), strings.Join(names, "|"); got != want {
		t.Errorf("pageMeta.Layout enum tag = %q, want %q (the list Layouts)", got, want)
	}
	for _, l := range sectionLayouts {
		if !slices.Contains(Layouts, l) {
			t.Errorf("section layout %q is not in Layouts", l)
		}
	}
}

// TestBodyKindsMatchSchema keeps BodyKinds equal to the enum tag of the
// front matter's kind field of bodies.
func TestBodyKindsMatchSchema(t *testing.T) {
	f, ok := reflect.TypeFor[bodyMeta]().FieldByName("Kind")
	if !ok {
		t.Fatal("bodyMeta has no field Kind")
	}
	if got, want := f.Tag.Get("enum"), strings.Join(BodyKinds, "|"); got != want {
		t.Errorf("bodyMeta.Kind enum tag = %q, want %q (the list BodyKinds)", got, want)
	}
}

// TestTypeSection checks that every record type but pages has a list page
// whose layout is a section layout.
func TestTypeSection(t *testing.T) {
	for _, typ := range Types {
		got := typ.Section()
		switch {
		case typ == TypePage && got != "":
			t.Errorf("%s.Section() = %q, want \"\"", typ, got)
		case typ != TypePage && !slices.Contains(sectionLayouts, got):
			t.Errorf("%s.Section() = %q, want a section layout", typ, got)
		}
	}
}
