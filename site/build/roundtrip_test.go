package build

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/plan"
)

// TestCachedModelIsTheModel puts every document of the corpora through
// the cache's encoding and expects the model extraction made, field for
// field, those plan.json leaves out included: a field the cache loses would
// make a cached build differ from a build from nothing. The documents are
// read back one after the other through one reader, as a build's workers
// read them, and compared once all are read: a part of one document the
// reader kept and decoded the next into would show.
func TestCachedModelIsTheModel(t *testing.T) {
	type read struct {
		rel       string
		made, got *plan.Doc
	}
	var all []read
	var r docReader
	var buf []byte // where the cache reads each entry: used again for the next
	arena := &plan.Arena{}
	for _, root := range []string{testcorpus.MeatyMusic(t), testcorpus.Conventions(t), testcorpus.Testdata(t)} {
		for _, rel := range markdownFiles(t, root) {
			raw, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			res := ExtractDoc(rel, raw, extract.Options{})
			b, err := (&cachedDoc{Doc: res.Doc, Body: strings.Repeat("0", 2*len(cache.Key{}))}).MarshalMsg(nil)
			if err != nil {
				t.Fatal(err)
			}
			buf = append(buf[:0], b...)
			cd, err := r.take(arena, buf, func(*cachedDoc) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, read{rel, res.Doc, cd.Doc})
		}
	}
	if len(all) == 0 {
		t.Skip("no corpus")
	}
	for i := range buf {
		buf[i] = 0xff // a string left a view of the buffer would show
	}
	for _, d := range all {
		if path := differs(reflect.ValueOf(d.made), reflect.ValueOf(d.got), "doc"); path != "" {
			t.Errorf("%s: %s is not what extraction made once read from the cache", d.rel, path)
		}
	}
}

// differs names the first field where a and b differ ("" when none); an
// empty list or map differs from none, as plan.json writes [] and null.
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
		if a.Len() != b.Len() || a.IsNil() != b.IsNil() {
			return at
		}
		for i := range a.Len() {
			if p := differs(a.Index(i), b.Index(i), at); p != "" {
				return p
			}
		}
		return ""
	case reflect.Map:
		if a.Len() != b.Len() || a.IsNil() != b.IsNil() {
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
