package serve

import (
	"context"
	"fmt"
	"github.com/plansite/plansite/internal/testcorpus"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/render"
)

// corpusDir is ../shared/corpus/meatymusic beside the repository root.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	return testcorpus.MeatyMusic(tb)
}

// replicate copies the corpus's documents into dst until there are n.
func replicate(tb testing.TB, corpus, dst string, n int) {
	tb.Helper()
	testcorpus.Replicate(tb, corpus, dst, n)
}

// BenchmarkEditToReload measures, with PLANSITE_BENCH_DOCS documents loaded
// (default 10,000), the time from writing one document to the reload event
// for its page, through the real watcher. "prose" changes words in a
// paragraph; "lines" adds a line, which moves the lines of everything after
// it and so changes the document's model.
func BenchmarkEditToReload(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("PLANSITE_BENCH_DOCS")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	replicate(b, corpusDir(b), dir, n)
	start := time.Now()
	s, err := New(Options{Source: dir})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d documents, %d pages in %s", len(s.Site.docs), s.Pages.Len(), time.Since(start).Round(time.Millisecond))
	applied := make(chan *Change, 16)
	s.Applied = func(ch *Change) { applied <- ch }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := s.Watch(ctx); err != nil {
		b.Fatal(err)
	}
	events, unsub := s.Broker.Subscribe()
	defer unsub()

	rel := "copy-0000/docs/project_plans/bootstrap-from-meatyprompts/phase-2-infrastructure-preservation.md"
	file := filepath.Join(dir, filepath.FromSlash(rel))
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	want := `"` + URLPath(render.OutputPath(extract.URLFor(rel))) + `"`
	const word = "works in MeatyMusic context"
	if !strings.Contains(string(orig), word) {
		b.Fatalf("%s lacks %q", rel, word)
	}
	for _, kind := range []string{"prose", "lines"} {
		b.Run(kind, func(b *testing.B) {
			var took []time.Duration
			for i := 0; b.Loop(); i++ {
				edited := strings.Replace(string(orig), word, fmt.Sprintf("works in MeatyMusic context, rev %d", i), 1)
				if kind == "lines" {
					// A different number of lines each time, so every edit
					// changes the model.
					edited = strings.Replace(string(orig), "\n\n", "\n\n"+strings.Repeat("Added line.\n\n", i%3+1), 1)
				}
				drain(events)
				t0 := time.Now()
				if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
					b.Fatal(err)
				}
				took = append(took, waitReload(b, events, want).Sub(t0))
				// Let the rest of the rebuild finish before the next edit.
				for ch := range applied {
					if ch != nil && slices.Contains(ch.Sources, rel) {
						if i == 0 {
							b.Logf("%s edit: %s", kind, Describe(ch, nil))
						}
						break
					}
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms/edit-median")
			b.ReportMetric(float64(took[len(took)*9/10].Microseconds())/1000, "ms/edit-p90")
		})
	}
}

// drain drops the events of earlier rebuilds.
func drain(events <-chan Event) {
	for {
		select {
		case <-events:
		default:
			return
		}
	}
}

// waitReload waits for a reload event naming the page (or all pages).
func waitReload(b *testing.B, events <-chan Event, want string) time.Time {
	timeout := time.After(60 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Name == "reload" && (strings.Contains(ev.Data, want) || strings.Contains(ev.Data, `"all"`)) {
				return time.Now()
			}
		case <-timeout:
			b.Fatal("no reload event")
		}
	}
}
