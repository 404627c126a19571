package build

import (
	"bytes"
	"fmt"
	"github.com/plansite/plansite/internal/procstat"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/internal/workers"
	"github.com/plansite/plansite/site/config"
)

// BenchmarkBuild builds the corpus replicated to 1,000 and 10,000 documents
// beside the floor: goldmark alone parsing and rendering the same files on
// all cores and writing them. Each iteration runs both, so the ratios come
// from one run on one machine state. Metrics:
//
//	floor-ms, model-ms, site-ms   wall time of the floor, of reading the model
//	                              (parse, extract, link, plan.json), of the
//	                              whole site build (minified, written)
//	model/floor, site/floor       the ratios the targets are stated in
//	model-peak-MB, site-peak-MB   peak resident memory during each, under
//	                              the soft memory limit the CLI sets
//	                              (LimitMemory; GOMEMLIMIT overrides it)
//
// Run: go test ./site/build -run '^$' -bench Build -benchtime 3x
func BenchmarkBuild(b *testing.B) {
	corpus := testcorpus.MeatyMusic(b)
	for _, n := range []int{1000, 10000} {
		src := replicate(b, corpus, n)
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			var floor, model, site time.Duration
			var modelPeak, sitePeak int64
			for i := 0; i < b.N; i++ {
				floor += timed(func() { goldmarkFloor(b, src, b.TempDir()) }, nil)
				model += timed(func() { loadModel(b, src) }, &modelPeak)
				site += timed(func() {
					if _, err := Build(Options{Source: src, Dest: filepath.Join(b.TempDir(), "public"), Generator: "bench", LimitMemory: true}); err != nil {
						b.Fatal(err)
					}
				}, &sitePeak)
			}
			n := float64(b.N)
			b.ReportMetric(float64(floor.Milliseconds())/n, "floor-ms")
			b.ReportMetric(float64(model.Milliseconds())/n, "model-ms")
			b.ReportMetric(float64(site.Milliseconds())/n, "site-ms")
			b.ReportMetric(float64(model)/float64(floor), "model/floor")
			b.ReportMetric(float64(site)/float64(floor), "site/floor")
			b.ReportMetric(float64(modelPeak)/(1<<20), "model-peak-MB")
			b.ReportMetric(float64(sitePeak)/(1<<20), "site-peak-MB")
		})
	}
}

// loadModel is the issue-2 build without pages: read, parse, extract, link,
// and encode plan.json.
func loadModel(b *testing.B, src string) {
	cfg := &config.Config{}
	tree, resolver, err := Scan(src, "", cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer LimitMemory(len(tree.Docs))() // as plansite build and check run
	m, err := Read(tree, resolver, "bench", cfg, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	// Streamed to a file, as plansite build writes it.
	f, err := os.Create(filepath.Join(b.TempDir(), "plan.json"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := WritePlanJSON(f, m.Site, false); err != nil {
		b.Fatal(err)
	}
}

// goldmarkFloor is the floor: goldmark with GFM parsing and rendering every
// file on all cores and writing the HTML.
func goldmarkFloor(b *testing.B, src, dest string) {
	var files []string
	_ = filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	var failed atomic.Bool
	workers.Each(len(files), func(i int) {
		raw, err := os.ReadFile(files[i])
		if err != nil {
			failed.Store(true)
			return
		}
		var out bytes.Buffer
		if err := md.Convert(raw, &out); err != nil {
			failed.Store(true)
			return
		}
		if err := os.WriteFile(filepath.Join(dest, strconv.Itoa(i)+".html"), out.Bytes(), 0o644); err != nil {
			failed.Store(true)
		}
	})
	if failed.Load() {
		b.Fatal("floor failed")
	}
}

// timed runs f after a collection, and raises *peak to the highest resident
// memory seen while it ran (sampled from /proc every 5 ms).
func timed(f func(), peak *int64) time.Duration {
	runtime.GC()
	debug.FreeOSMemory()
	stop := make(chan struct{})
	done := make(chan struct{})
	if peak != nil {
		go func() {
			defer close(done)
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				if rss := residentBytes(); rss > *peak {
					*peak = rss
				}
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}()
	} else {
		close(done)
	}
	start := time.Now()
	f()
	d := time.Since(start)
	close(stop)
	<-done
	return d
}

func residentBytes() int64 { return procstat.RSS("self") }

// replicate copies the corpus into copies until it holds n documents.
func replicate(b *testing.B, corpus string, n int) string {
	b.Helper()
	dst := b.TempDir()
	testcorpus.Replicate(b, corpus, dst, n)
	return dst
}
