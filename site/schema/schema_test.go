package schema_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/schema"
)

// TestPlanJSONMatchesItsSchema builds plan.json from the real corpus and
// validates it against plan.schema.json, so the published schema and the
// published model cannot drift apart.
func TestPlanJSONMatchesItsSchema(t *testing.T) {
	var sch map[string]any
	if err := json.Unmarshal(schema.JSON(), &sch); err != nil {
		t.Fatalf("plan.schema.json: %v", err)
	}
	for _, src := range []string{testcorpus.MeatyMusic(t), testcorpus.Content(t)} {
		m, err := build.Load(src, "", "plansite test", &config.Config{}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := build.PlanJSON(m.Site, false)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		v := validator{root: sch}
		v.check("$", doc, sch)
		for i, e := range v.errs {
			if i == 20 {
				t.Errorf("… and %d more", len(v.errs)-20)
				break
			}
			t.Error(e)
		}
	}
}

func TestValidatorRejects(t *testing.T) {
	var sch map[string]any
	_ = json.Unmarshal(schema.JSON(), &sch)
	bad := `{"generator":"x","docs":[{"source":1}],"series":[],"agents":[],"problems":[],"extra":true}`
	var doc any
	_ = json.Unmarshal([]byte(bad), &doc)
	v := validator{root: sch}
	v.check("$", doc, sch)
	if len(v.errs) < 2 {
		t.Errorf("validator accepted a bad document: %v", v.errs)
	}
}

// validator checks the JSON Schema keywords plan.schema.json uses: type,
// properties, required, additionalProperties, items, enum and $ref.
type validator struct {
	root map[string]any
	errs []string
}

func (v *validator) fail(path, format string, args ...any) {
	v.errs = append(v.errs, path+": "+fmt.Sprintf(format, args...))
}

func (v *validator) check(path string, val any, s map[string]any) {
	if ref, ok := s["$ref"].(string); ok {
		node := any(v.root)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			node = node.(map[string]any)[part]
		}
		s = node.(map[string]any)
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if e == val {
				found = true
			}
		}
		if !found {
			v.fail(path, "%v is not one of %v", val, enum)
		}
	}
	if typ, ok := s["type"]; ok && !typeOK(typ, val) {
		v.fail(path, "%T is not %v", val, typ)
		return
	}
	switch x := val.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range asList(s["required"]) {
			if _, ok := x[r.(string)]; !ok {
				v.fail(path, "missing %s", r)
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				v.check(path+"."+k, x[k], ps)
			} else if ap, ok := s["additionalProperties"].(map[string]any); ok {
				v.check(path+"."+k, x[k], ap)
			} else if s["additionalProperties"] == false {
				v.fail(path, "unexpected property %s", k)
			}
		}
	case []any:
		if is, ok := s["items"].(map[string]any); ok {
			for i, e := range x {
				v.check(fmt.Sprintf("%s[%d]", path, i), e, is)
			}
		}
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func typeOK(typ any, val any) bool {
	var types []string
	switch t := typ.(type) {
	case string:
		types = []string{t}
	case []any:
		for _, e := range t {
			types = append(types, e.(string))
		}
	}
	for _, t := range types {
		switch t {
		case "null":
			if val == nil {
				return true
			}
		case "string":
			if _, ok := val.(string); ok {
				return true
			}
		case "number":
			if _, ok := val.(float64); ok {
				return true
			}
		case "integer":
			if f, ok := val.(float64); ok && f == float64(int64(f)) {
				return true
			}
		case "boolean":
			if _, ok := val.(bool); ok {
				return true
			}
		case "object":
			if _, ok := val.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := val.([]any); ok {
				return true
			}
		}
	}
	return false
}
