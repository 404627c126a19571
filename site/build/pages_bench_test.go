package build

import (
	"sync"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/render"
)

// BenchmarkDocPages renders what a build makes of each document's rendered
// body, for the corpus replicated to 1,000 documents (bodies rendered
// beforehand, as a build has them then): "page", every document's page and
// badge; "search", every document's search record, then the index. Time,
// allocations and bytes of one pass over all the documents.
func BenchmarkDocPages(b *testing.B) {
	src := replicate(b, testcorpus.MeatyMusic(b), 1000)
	cfg, err := config.LoadWith(src, "")
	if err != nil {
		b.Fatal(err)
	}
	tree, resolver, err := Scan(src, "", cfg)
	if err != nil {
		b.Fatal(err)
	}
	rs, err := render.New(nil, cfg, resolver, render.Options{Minify: true, SourceDir: src, NoGit: true})
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	bodies := map[string][]byte{}
	m, err := Read(tree, resolver, "bench", cfg, nil, func(res *extract.Result) error {
		body, err := render.Body(res, rs.Links(res.Doc.Source))
		mu.Lock()
		bodies[res.Doc.Source] = body
		mu.Unlock()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	rs.Index(m.Site)
	docs := m.Site.Docs
	var out int
	emit := func(rel string, data []byte) error { out += len(data); return nil }
	b.Run("page", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			out = 0
			for _, d := range docs {
				if err := rs.DocFiles(d, bodies[d.Source], emit); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(out)/(1<<20), "out-MB")
	})
	b.Run("search", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			out = 0
			rs.Index(m.Site) // a new search index
			for i, d := range docs {
				rel, frag, _, err := rs.SearchRecord(i, d, bodies[d.Source])
				if err != nil {
					b.Fatal(err)
				}
				if rel != "" {
					_ = emit(rel, frag)
				}
			}
			if err := rs.SearchFiles(emit); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(out)/(1<<20), "out-MB")
	})
}
