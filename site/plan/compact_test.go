package plan_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

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
