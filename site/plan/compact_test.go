package plan_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/link"
	"github.com/plansite/plansite/site/plan"
)

// readDocs extracts every Markdown document under the corpora and our own
// testdata, as a build does before it compacts them.
func readDocs(t *testing.T) []*plan.Doc {
	t.Helper()
	var docs []*plan.Doc
	for _, root := range []string{testcorpus.Testdata(t), testcorpus.Content(t), testcorpus.MeatyMusic(t), testcorpus.Conventions(t)} {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
				return nil
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(root, p)
			doc := extract.Extract(filepath.ToSlash(rel), raw, extract.Options{}).Doc
			link.EnsureSlices(doc)
			docs = append(docs, doc)
			return nil
		})
	}
	if len(docs) < 100 {
		t.Fatalf("read %d documents, want the corpora's", len(docs))
	}
	return docs
}

func TestCompactKeepsTheModel(t *testing.T) {
	var arena plan.Arena
	for name, compact := range map[string]func(*plan.Doc){"alone": plan.Compact, "in an arena": arena.Compact} {
		for _, d := range readDocs(t) {
			before, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			compact(d)
			after, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			if string(before) != string(after) {
				t.Errorf("%s: plan.json's document changed by compacting it %s:\nbefore %s\nafter  %s", d.Source, name, before, after)
			}
		}
	}
}

// TestCompactAppendCopies: a list carved from a shared array is capped, so
// appending to one gate's items leaves the next gate's alone.
func TestCompactAppendCopies(t *testing.T) {
	var arena plan.Arena
	doc := func() *plan.Doc {
		return &plan.Doc{Gates: []*plan.Gate{
			{Title: "one", Items: []*plan.Item{{Text: "a"}}},
			{Title: "two", Items: []*plan.Item{{Text: "b"}}},
		}, Phases: []*plan.Phase{{Agents: []string{"x"}}, {Agents: []string{"y"}}}}
	}
	d, first, second := doc(), doc(), doc()
	plan.Compact(d)
	arena.Compact(first)
	arena.Compact(second) // cut from the same blocks, after the first
	for _, d := range []*plan.Doc{d, first} {
		d.Gates[0].Items = append(d.Gates[0].Items, &plan.Item{Text: "added"})
		d.Phases[0].Agents = append(d.Phases[0].Agents, "added")
		d.Gates[1].Items = append(d.Gates[1].Items, &plan.Item{Text: "added"})
		d.Phases[1].Agents = append(d.Phases[1].Agents, "added")
	}
	for _, d := range []*plan.Doc{d, first, second} {
		if got := d.Gates[1].Items[0].Text; got != "b" {
			t.Errorf("the second gate's item is %q after appending to the first's, want b", got)
		}
		if got := d.Phases[1].Agents[0]; got != "y" {
			t.Errorf("the second phase's agent is %q after appending to the first's, want y", got)
		}
	}
	if got := second.Gates[0].Items[0].Text; got != "a" || len(second.Gates[0].Items) != 1 {
		t.Errorf("the next document's first gate holds %d items, the first %q, after appending to the last document's: want a alone", len(second.Gates[0].Items), got)
	}
	if got := second.Phases[0].Agents; len(got) != 1 || got[0] != "x" {
		t.Errorf("the next document's first phase names %q after appending to the last document's: want x alone", got)
	}
}

// TestCompactFewerObjects: what a build holds of each document is a few
// objects, not thousands, which is what the collector pays for.
func TestCompactFewerObjects(t *testing.T) {
	live := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapObjects
	}
	base := live()
	docs := readDocs(t)
	loose := live() - base
	for _, d := range docs {
		plan.Compact(d)
	}
	packed := live() - base
	runtime.KeepAlive(docs)
	t.Logf("%d documents: %d objects extracted, %d compacted", len(docs), loose, packed)
	if packed*4 > loose {
		t.Errorf("%d documents hold %d objects compacted, %d as extracted: want a quarter at most", len(docs), packed, loose)
	}
}

// TestCompactSharesNoParts fills every field of a document, reached by
// reflection so that a field added to plan.Doc later is filled too, and
// compacts a copy of it as a build compacts a cached document (a copy of
// the one a decoder fills again next): the copy must hold the same values,
// in parts of its own — no pointer, list or map of the original — and the
// original must keep its values. A field Compact forgets fails here.
func TestCompactSharesNoParts(t *testing.T) {
	var arena plan.Arena
	for name, compact := range map[string]func(*plan.Doc){"alone": plan.Compact, "in an arena": arena.Compact} {
		orig, want := filledDoc(), filledDoc()
		d := *orig
		compact(&d)
		if !reflect.DeepEqual(&d, want) {
			t.Errorf("compacting %s changed the document's values", name)
		}
		if !reflect.DeepEqual(orig, want) {
			t.Errorf("compacting %s a copy of a document changed the original's values", name)
		}
		var held parts
		held.walk(reflect.ValueOf(orig).Elem(), "Doc", nil)
		held.walk(reflect.ValueOf(&d).Elem(), "Doc", func(path string) {
			t.Errorf("compacted %s, %s is still the original's", name, path)
		})
	}
}

// filledDoc is a document with every field set: strings and numbers to
// values of their own, each pointer, list (of two) and map (of two) made.
func filledDoc() *plan.Doc {
	n := 0
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		n++
		switch v.Kind() {
		case reflect.String:
			v.SetString(fmt.Sprintf("s%d", n))
		case reflect.Int:
			v.SetInt(int64(n))
		case reflect.Float64:
			v.SetFloat(float64(n) + 0.5)
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Pointer:
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem())
		case reflect.Slice:
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			fill(v.Index(0))
			fill(v.Index(1))
		case reflect.Map:
			v.Set(reflect.MakeMap(v.Type()))
			for range 2 {
				k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				fill(k)
				fill(e)
				v.SetMapIndex(k, e)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					fill(v.Field(i))
				}
			}
		default:
			panic("filledDoc: fill a " + v.Type().String())
		}
	}
	d := new(plan.Doc)
	fill(reflect.ValueOf(d).Elem())
	return d
}

// parts are the memory a document's pointers, lists and maps point at.
type parts struct{ spans [][2]uintptr }

// walk notes what v points at, reached by path; with shared set, it calls
// shared for each pointer, list or map that points into what was noted.
func (p *parts) walk(v reflect.Value, path string, shared func(string)) {
	note := func(start, size uintptr) {
		if shared == nil {
			p.spans = append(p.spans, [2]uintptr{start, start + max(size, 1)})
			return
		}
		for _, s := range p.spans {
			if start < s[1] && s[0] < start+max(size, 1) {
				shared(path)
				return
			}
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			note(v.Pointer(), v.Type().Elem().Size())
			p.walk(v.Elem(), path, shared)
		}
	case reflect.Slice:
		if v.Cap() > 0 {
			note(v.Pointer(), uintptr(v.Cap())*v.Type().Elem().Size())
		}
		for i := range v.Len() {
			p.walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i), shared)
		}
	case reflect.Map:
		if !v.IsNil() {
			note(v.Pointer(), 1)
			for it := v.MapRange(); it.Next(); {
				p.walk(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key()), shared)
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				p.walk(v.Field(i), path+"."+v.Type().Field(i).Name, shared)
			}
		}
	}
}

// An arena that has decoded a cached model still compacts an extracted
// one as Compact does: its strings are moved into the arena, so a source
// buffer they were cut from may change or go.
func TestArenaCompactsAfterDecode(t *testing.T) {
	var arena plan.Arena
	cached, err := (&plan.Doc{Source: "cached.md", Title: "Cached"}).MarshalMsg(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := arena.Decode(cached, func(b []byte) (*plan.Doc, error) {
		d := new(plan.Doc)
		_, err := d.UnmarshalMsg(b)
		return d, err
	}); err != nil {
		t.Fatal(err)
	}
	src := []byte("fresh.md Fresh title")
	d := &plan.Doc{Source: unsafe.String(&src[0], 8), Title: unsafe.String(&src[9], 11)}
	arena.Compact(d)
	for i := range src {
		src[i] = '#'
	}
	if d.Source != "fresh.md" || d.Title != "Fresh title" {
		t.Errorf("compacted after a decode, the document reads %q, %q: its strings were left in the buffer they were cut from", d.Source, d.Title)
	}
}
