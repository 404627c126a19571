package build

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/extract"
)

// TestCachedModelIsTheModel puts every document of the corpora through
// the cache's encoding and expects the model extraction made, field for
// field, those plan.json leaves out included: a field the cache loses would
// make a cached build differ from a build from nothing.
func TestCachedModelIsTheModel(t *testing.T) {
	for _, root := range []string{testcorpus.MeatyMusic(t), testcorpus.Conventions(t), testcorpus.Testdata(t)} {
		for _, rel := range markdownFiles(t, root) {
			raw, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			res := ExtractDoc(rel, raw, extract.Options{})
			b, err := json.Marshal(&cachedDoc{Doc: res.Doc, Hidden: hiddenOf(res.Doc), Body: "x"})
			if err != nil {
				t.Fatal(err)
			}
			cd, err := decodeDoc(b)
			if err != nil {
				t.Fatal(err)
			}
			cd.Hidden.restore(cd.Doc)
			if path := differs(reflect.ValueOf(res.Doc), reflect.ValueOf(cd.Doc), "doc"); path != "" {
				t.Errorf("%s: %s is not what extraction made once read from the cache", rel, path)
			}
		}
	}
}

// differs names the first field where a and b differ ("" when none); an
// empty list or map equals none.
func differs(a, b reflect.Value, at string) string {
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return at
			}
			return ""
		}
		return differs(a.Elem(), b.Elem(), at)
	case reflect.Struct:
		for i := range a.NumField() {
			if p := differs(a.Field(i), b.Field(i), at+"."+a.Type().Field(i).Name); p != "" {
				return p
			}
		}
		return ""
	case reflect.Slice:
		if a.Len() != b.Len() {
			return at
		}
		for i := range a.Len() {
			if p := differs(a.Index(i), b.Index(i), at); p != "" {
				return p
			}
		}
		return ""
	case reflect.Map:
		if a.Len() != b.Len() {
			return at
		}
		for _, k := range a.MapKeys() {
			if !b.MapIndex(k).IsValid() || differs(a.MapIndex(k), b.MapIndex(k), at+"["+k.String()+"]") != "" {
				return at + "[" + k.String() + "]"
			}
		}
		return ""
	}
	if !a.CanInterface() || a.Interface() != b.Interface() {
		return at
	}
	return ""
}
