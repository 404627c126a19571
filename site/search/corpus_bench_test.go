package search_test

import (
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/search"
)

// corpusBodies are the rendered bodies of the real plans and of the
// repository's own documents, the text a build's index reads.
func corpusBodies(b *testing.B) [][]byte {
	var out [][]byte
	for _, dir := range []string{testcorpus.MeatyMusic(b), testcorpus.Content(b), testcorpus.Testdata(b)} {
		out = append(out, bodies(b, dir)...)
	}
	return out
}

// BenchmarkAddDocBodies indexes the corpora's rendered bodies, ten times
// over as a large site repeats its vocabulary: what a cold build spends
// per document on the index, the body's scan and its terms counted.
func BenchmarkAddDocBodies(b *testing.B) {
	docs := corpusBodies(b)
	n := 0
	for _, d := range docs {
		n += len(d)
	}
	b.SetBytes(int64(10 * n))
	b.ReportAllocs()
	for b.Loop() {
		x := search.New()
		for r := range 10 {
			for i, body := range docs {
				if _, _, _, err := x.AddDoc(r*len(docs)+i, search.Doc{Title: "Plan", URL: "/p/", Body: body}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

// BenchmarkSections reads the sections of the corpora's rendered bodies.
func BenchmarkSections(b *testing.B) {
	docs := corpusBodies(b)
	n := 0
	for _, d := range docs {
		n += len(d)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range docs {
			search.Sections(body)
		}
	}
}
