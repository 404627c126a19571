package serve

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
)

// TestIncrementalMatchesFullBuild edits documents of the real corpus one
// by one, each edit applied incrementally, and checks after each that every
// page is what a fresh load of the tree gives: re-rendering only the pages
// that may show a change must miss none.
func TestIncrementalMatchesFullBuild(t *testing.T) {
	dir := t.TempDir()
	replicate(t, corpusDir(t), dir, 44)
	base := "copy-0000/docs/project_plans/bootstrap-from-meatyprompts/"
	edits := []edit{
		{base + "phase-2-infrastructure-preservation.md", "# Phase 2: Infrastructure Preservation", "# Phase 2: Infrastructure Kept"},
		{base + "phase-3-domain-model-migration.md", "\n\n", "\n\nA new line near the top.\n\n"},
		{"copy-0000/docs/project_plans/impl_tracking/bootstrap-hybrid/progress/phase-5-progress.md", "- [ ]", "- [x]"},
		{base + "phase-1-repository-setup.md", "# Phase 1", "# Phase 1b"},
		{base + "phase-4-workflow-orchestration.md", "Phase 4", "Phase 6"},
		{base + "phase-5-ui-adaptation.md", "](", "](missing-"},
		// A task changes hands: both agents' pages change, no other's.
		{"copy-0000/.claude/progress/phase-2-infrastructure-preservation-progress.md", "- **Assigned**: python-backend-engineer", "- **Assigned**: data-layer-expert"},
	}
	incrementalMatchesFullBuild(t, dir, edits)
}

// TestIncrementalMatchesFullBuildTracker does the same on the plan in
// testdata, which every clone has.
func TestIncrementalMatchesFullBuildTracker(t *testing.T) {
	dir := t.TempDir()
	replicate(t, testcorpus.Testdata(t, "tracker"), dir, 8)
	base := "copy-0000/plans/ledger-sync/"
	incrementalMatchesFullBuild(t, dir, []edit{
		{base + "phase-2-import.md", "# Phase 2: Import", "# Phase 2: Statement Import"},
		{base + "phase-3-monthly-view.md", "\n\n", "\n\nA new line near the top.\n\n"},
		{"copy-0000/.claude/progress/ledger-sync/all-phases-progress.md", "- [ ]", "- [x]"},
		{base + "phase-1-schema.md", "# Phase 1", "# Phase 1b"},
		{base + "phase-3-monthly-view.md", "](", "](missing-"},
		// A task changes hands: both agents' pages change, no other's.
		{base + "phase-2-import.md", "- **Assigned**: web-engineer", "- **Assigned**: test-engineer"},
	})
}

// edit replaces the first old in file by new.
type edit struct{ file, old, new string }

// incrementalMatchesFullBuild applies each edit to the tree in dir
// incrementally and checks after each that every page is what a fresh load
// of the tree gives.
func incrementalMatchesFullBuild(t *testing.T, dir string, edits []edit) {
	t.Helper()
	s, pages := loadSite(t, dir)
	told := map[string]int{}
	s.Notify = func(pages []string) {
		for _, p := range pages {
			told[p]++
		}
	}
	for _, e := range edits {
		p := filepath.Join(dir, filepath.FromSlash(e.file))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(e.old)) {
			t.Fatalf("%s lacks %q", e.file, e.old)
		}
		write(t, dir, e.file, strings.Replace(string(b), e.old, e.new, 1))
		clear(told)
		if _, err := s.Apply([]string{e.file}); err != nil {
			t.Fatal(err)
		}
		// The edited page is shown before the link pass, as that pass will
		// link it: the browser reloads it once, not twice.
		own := strings.TrimSuffix(e.file, ".md") + "/index.html"
		if told[own] != 1 {
			t.Errorf("after editing %s: its page was announced %d times", e.file, told[own])
		}
		_, fresh := loadSite(t, dir)
		got, want := pages.List(), fresh.List()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("after editing %s: pages differ from a fresh load", e.file)
		}
		for _, rel := range want {
			if rel == "plan.json" {
				continue
			}
			a, _, _ := pages.Get(rel)
			b, _, _ := fresh.Get(rel)
			if !bytes.Equal(a, b) {
				t.Errorf("after editing %s: %s differs from a fresh load", e.file, rel)
			}
		}
	}
}
