package render_test

import (
	"sync"
	"testing"

	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/render"
)

func BenchmarkZZDocPages(b *testing.B) {
	src := corpus(b)
	cfg := &config.Config{}
	tree, resolver, err := build.Scan(src, "", cfg)
	if err != nil {
		b.Fatal(err)
	}
	rs, err := render.New(nil, cfg, resolver, render.Options{Minify: true, SourceDir: src})
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	bodies := map[string][]byte{}
	m, err := build.Read(tree, resolver, "x", cfg, nil, func(res *extract.Result) error {
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
	b.ResetTimer()
	for b.Loop() {
		for _, d := range m.Site.Docs {
			if _, err := rs.DocPage(d, bodies[d.Source]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
