package build

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
)

// siteSizes is what a reader downloads from a built site.
type siteSizes struct {
	Dashboard     int64  // index.html
	LargestHTML   int64  // the largest HTML page
	LargestPage   string // and which it is
	HTMLPages     int
	SearchMeta    int64 // search/meta.json: the first search download
	SearchLengths int64 // search/lengths.json: loaded with the first query
	LargestChunk  int64 // the largest chunk of the index a query term loads
	Chunks        int
	SearchAll     int64 // every search file, fragments included
}

func (z siteSizes) String() string {
	kb := func(n int64) string { return fmt.Sprintf("%.0f KB", float64(n)/1024) }
	return fmt.Sprintf("dashboard %s; largest HTML page %s (%s) of %d; search: manifest %s, field lengths %s, largest of %d chunks %s, all search files %s",
		kb(z.Dashboard), kb(z.LargestHTML), z.LargestPage, z.HTMLPages, kb(z.SearchMeta), kb(z.SearchLengths), z.Chunks, kb(z.LargestChunk), kb(z.SearchAll))
}

func measureSite(tb testing.TB, site string) siteSizes {
	tb.Helper()
	var z siteSizes
	err := filepath.WalkDir(site, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(site, p)
		rel = filepath.ToSlash(rel)
		n := fi.Size()
		switch {
		case strings.HasSuffix(rel, ".html"):
			z.HTMLPages++
			if n > z.LargestHTML {
				z.LargestHTML, z.LargestPage = n, rel
			}
		case strings.HasPrefix(rel, "search/c/"):
			z.Chunks++
			z.LargestChunk = max(z.LargestChunk, n)
		}
		if strings.HasPrefix(rel, "search/") && rel != "search/index.html" {
			z.SearchAll += n
		}
		switch rel {
		case "index.html":
			z.Dashboard = n
		case "search/meta.json":
			z.SearchMeta = n
		case "search/lengths.json":
			z.SearchLengths = n
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return z
}

// At 1,000 documents (the corpus replicated) the dashboard stays under
// 300 KB, no HTML page reaches 1 MB, and a first search — the manifest,
// the field lengths and the largest chunk a term can load — stays under
// 400 KB.
func TestPageSizesAt1000Documents(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1,000 documents")
	}
	src := t.TempDir()
	testcorpus.Replicate(t, testcorpus.MeatyMusic(t), src, 1000)
	site := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: src, Dest: site, Generator: "test"}); err != nil {
		t.Fatal(err)
	}
	z := measureSite(t, site)
	t.Log(z)
	if z.Dashboard >= 300<<10 {
		t.Errorf("the dashboard is %d KB", z.Dashboard>>10)
	}
	if z.LargestHTML >= 1<<20 {
		t.Errorf("%s is %d KB", z.LargestPage, z.LargestHTML>>10)
	}
	if first := z.SearchMeta + z.SearchLengths + z.LargestChunk; first >= 400<<10 {
		t.Errorf("a first search downloads up to %d KB", first>>10)
	}
	// Every document has its fragment, and the manifest counts them all.
	var meta struct{ Docs, Fpf int }
	raw, err := os.ReadFile(filepath.Join(site, "search", "meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &meta); err != nil || meta.Docs != 1000 {
		t.Errorf("search/meta.json counts %d documents (%v)", meta.Docs, err)
	}
	frags, _ := filepath.Glob(filepath.Join(site, "search", "f", "*.json"))
	n := 0
	for _, f := range frags {
		var pack []*struct{ T string }
		raw, err := os.ReadFile(f)
		if err == nil {
			err = json.Unmarshal(raw, &pack)
		}
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, x := range pack {
			if x != nil && x.T != "" {
				n++
			}
		}
	}
	if n != 1000 || meta.Fpf < 2 || len(frags) != (1000+meta.Fpf-1)/meta.Fpf {
		t.Errorf("%d search fragments in %d files of %d, want 1000", n, len(frags), meta.Fpf)
	}
}

// BenchmarkPageSizes reports what readers download from the corpus
// replicated to 1,000 and 10,000 documents (the figures in the README):
//
//	go test ./site/build -run '^$' -bench PageSizes -benchtime 1x -v
func BenchmarkPageSizes(b *testing.B) {
	corpus := testcorpus.MeatyMusic(b)
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			src := b.TempDir()
			testcorpus.Replicate(b, corpus, src, n)
			var z siteSizes
			for i := 0; i < b.N; i++ {
				site := filepath.Join(b.TempDir(), "public")
				if _, err := Build(Options{Source: src, Dest: site, Generator: "bench", LimitMemory: true}); err != nil {
					b.Fatal(err)
				}
				z = measureSite(b, site)
			}
			b.Log(z)
			b.ReportMetric(float64(z.Dashboard)/1024, "dashboard-KB")
			b.ReportMetric(float64(z.LargestHTML)/1024, "largest-html-KB")
			b.ReportMetric(float64(z.SearchMeta)/1024, "search-meta-KB")
			b.ReportMetric(float64(z.SearchMeta+z.SearchLengths+z.LargestChunk)/1024, "first-search-KB")
		})
	}
}
