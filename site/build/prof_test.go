package build

import (
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
)

func BenchmarkModel1000(b *testing.B) {
	src := replicate(b, testcorpus.MeatyMusic(b), 1000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		loadModel(b, src)
	}
}

func BenchmarkSite1000(b *testing.B) {
	src := replicate(b, testcorpus.MeatyMusic(b), 1000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Build(Options{Source: src, Dest: b.TempDir() + "/public", Generator: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}
