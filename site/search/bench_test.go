package search

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkIndex indexes 1,000 documents made from the README's
// paragraphs and writes the index: time, allocations and bytes per
// document set.
func BenchmarkIndex(b *testing.B) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		b.Fatal(err)
	}
	paras := strings.Split(string(raw), "\n\n")
	docs := make([]Doc, 1000)
	for i := range docs {
		var body strings.Builder
		for j := 0; j < 40; j++ {
			p := paras[(i*7+j)%len(paras)]
			if j%8 == 0 {
				fmt.Fprintf(&body, `<h2 id="s%d">Section %d</h2>`, j, j)
			}
			body.WriteString("<p>" + strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(p) + "</p>")
		}
		docs[i] = Doc{Title: fmt.Sprintf("Document %d", i), URL: fmt.Sprintf("/d/%d/", i), Status: "in-progress",
			Headings: []string{"Section 0", "Section 8"}, Tasks: []string{"1.1 Write the index"}, Body: []byte(body.String())}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		x := New()
		var out int
		for i, d := range docs {
			_, frag, err := x.Add(i, d)
			if err != nil {
				b.Fatal(err)
			}
			out += len(frag)
		}
		if err := x.Files(func(rel string, data []byte) error { out += len(data); return nil }); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(out)/(1<<20), "out-MB")
	}
}
