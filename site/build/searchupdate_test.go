package build

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/plansite/plansite/internal/testcorpus"
)

// A rebuild after an edit updates the last build's search index from the
// destination; when a file of it there is not what the last build wrote
// (same size and time, other bytes) or is gone, the index is made whole
// again. Either way the site is a cold build's, byte for byte.
func TestSearchIndexUpdateFallsBack(t *testing.T) {
	src := t.TempDir()
	testcorpus.Replicate(t, testcorpus.MeatyMusic(t), src, 60)
	dest := filepath.Join(t.TempDir(), "public")
	cached := cachedBuild(t, src, dest, filepath.Join(t.TempDir(), "cache"))
	first := cached()
	docs := len(first.Model.Site.Docs)
	doc := "copy-0000/docs/project_plans/bootstrap-from-meatyprompts/phase-2-infrastructure-preservation.md"

	replaceIn(t, src, doc, "works in MeatyMusic context", "works in the zeppelin context")
	if res := cached(); res.Work.Indexed != 1 {
		t.Errorf("one document edited: the search index read %d documents, want 1", res.Work.Indexed)
	}
	sameSite(t, "edited", dest, coldBuild(t, src))

	// The update reads the fragment file of the edited document.
	packs, _ := filepath.Glob(filepath.Join(dest, "search", "f", "*.json"))
	if len(packs) < 2 {
		t.Fatalf("%d search fragment files", len(packs))
	}
	for _, p := range packs { // other bytes, the same size and time
		fi, err := os.Stat(p)
		must(t, err)
		b, err := os.ReadFile(p)
		must(t, err)
		b[len(b)/2] ^= 0x01
		must(t, os.WriteFile(p, b, 0o644))
		must(t, os.Chtimes(p, time.Time{}, fi.ModTime()))
	}
	replaceIn(t, src, doc, "works in the zeppelin context", "works in the airship context")
	if res := cached(); res.Work.Indexed < docs {
		t.Errorf("fragment files changed in the destination: the search index read %d documents of %d", res.Work.Indexed, docs)
	}
	sameSite(t, "fragment files changed in the destination", dest, coldBuild(t, src))

	chunks, _ := filepath.Glob(filepath.Join(dest, "search", "c", "*.json"))
	if len(chunks) < 2 {
		t.Fatalf("%d search chunks", len(chunks))
	}
	must(t, os.Remove(chunks[0]))
	replaceIn(t, src, doc, "works in the airship context", "works in the balloon context")
	if res := cached(); res.Work.Indexed != docs {
		t.Errorf("a chunk removed from the destination: the search index read %d documents of %d", res.Work.Indexed, docs)
	}
	sameSite(t, "a chunk removed from the destination", dest, coldBuild(t, src))

	replaceIn(t, src, doc, "works in the balloon context", "works in MeatyMusic context")
	if res := cached(); res.Work.Indexed != 1 {
		t.Errorf("edited back: the search index read %d documents, want 1", res.Work.Indexed)
	}
	sameSite(t, "edited back", dest, coldBuild(t, src))
}
