package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/render"
)

// BenchmarkExtract reads every document of each corpus as a cold build's
// worker does (ExtractDoc, then render.Body from the same AST), one
// document after another; model is ExtractDoc alone (the parse and the
// model, without the body), floor goldmark alone parsing and rendering the
// same documents. An op is the whole corpus: compare extract's ns/op and
// allocs/op with floor's, and model's with both to see what the body's
// render costs. The CLI benchmark's large sites are MeatyMusic replicated.
//
// Run: go test ./site/build -run '^$' -bench Extract -benchmem
func BenchmarkExtract(b *testing.B) {
	for _, corpus := range []struct {
		name string
		root func(testing.TB) string
	}{{"meatymusic", testcorpus.MeatyMusic}, {"conventions", testcorpus.Conventions}} {
		docs := benchDocs(b, corpus.root(b))
		var size int64
		for _, d := range docs {
			size += int64(len(d.raw))
		}
		b.Run(corpus.name+"/extract", func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range docs {
					// Extract may keep raw's bytes: give it a copy, as a
					// build gives it a file just read.
					res := ExtractDoc(d.rel, bytes.Clone(d.raw), extract.Options{})
					if _, err := render.Body(res, nil); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(corpus.name+"/model", func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range docs {
					ExtractDoc(d.rel, bytes.Clone(d.raw), extract.Options{})
				}
			}
		})
		b.Run(corpus.name+"/floor", func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			md := goldmark.New(goldmark.WithExtensions(extension.GFM))
			var out bytes.Buffer
			for b.Loop() {
				for _, d := range docs {
					out.Reset()
					if err := md.Convert(bytes.Clone(d.raw), &out); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

type benchDoc struct {
	rel string
	raw []byte
}

// benchDocs are the Markdown documents under root.
func benchDocs(b *testing.B, root string) []benchDoc {
	var docs []benchDoc
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		docs = append(docs, benchDoc{rel: filepath.ToSlash(rel), raw: raw})
		return nil
	})
	return docs
}
