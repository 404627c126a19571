package schema_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/schema"
)

// compiled is plan.schema.json, compiled by a full JSON Schema validator.
func compiled(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.JSON()))
	if err != nil {
		t.Fatalf("plan.schema.json: %v", err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://plansite.dev/plan.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("plan.schema.json does not compile: %v", err)
	}
	return sch
}

// TestPlanJSONMatchesItsSchema builds plan.json from our own plans, the
// real corpus and an empty tree, and validates each against
// plan.schema.json, so the published schema and the published model cannot
// drift apart.
func TestPlanJSONMatchesItsSchema(t *testing.T) {
	sch := compiled(t)
	for _, src := range []struct {
		name string
		dir  func(testing.TB) string
	}{
		{"testdata", func(tb testing.TB) string { return testcorpus.Testdata(tb, "tracker") }},
		{"content", testcorpus.Content},
		{"empty", func(tb testing.TB) string { return tb.TempDir() }},
		{"corpus", testcorpus.MeatyMusic},
		{"conventions", testcorpus.Conventions},
		{"own conventions", func(tb testing.TB) string { return testcorpus.Testdata(tb, "conventions") }},
	} {
		t.Run(src.name, func(t *testing.T) {
			m, err := build.Load(src.dir(t), "", "plansite test", &config.Config{}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			b, err := build.PlanJSON(m.Site, false)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(doc); err != nil {
				t.Errorf("plan.json does not match its schema:\n%v", err)
			}
		})
	}
}

// The schema is strict enough to catch a wrong type, a status outside the
// enumeration, a missing field and a field it does not describe.
func TestSchemaRejects(t *testing.T) {
	sch := compiled(t)
	m, err := build.Load(testcorpus.Testdata(t, "tracker"), "", "plansite test", &config.Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	good, err := build.PlanJSON(m.Site, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, old, new string }{
		{"source not a string", `"source":"README.md"`, `"source":1`},
		{"unknown status", `"status":"in-progress"`, `"status":"half-done"`},
		{"problem without a line", `"line":6,"severity"`, `"severity"`},
		{"extra field", `"generator":`, `"extra":true,"generator":`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(string(good), c.old) {
				t.Fatalf("plan.json has no %s", c.old)
			}
			bad := strings.Replace(string(good), c.old, c.new, 1)
			doc, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(doc); err == nil {
				t.Errorf("accepted plan.json with %s", c.new)
			}
		})
	}
}

// The schema build writes beside plan.json is this one.
func TestBuildWritesTheSchema(t *testing.T) {
	dest := t.TempDir()
	if _, err := build.Build(build.Options{Source: testcorpus.Testdata(t, "tracker"), Dest: dest, Generator: "plansite test", NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dest, "plan.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(b), bytes.TrimSpace(schema.JSON())) {
		t.Error("plan.schema.json in the site differs from the package's")
	}
}
