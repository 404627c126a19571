package scaffold_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/site/scaffold"
)

// A new phase joins the overview's list of phases, after the last one;
// nothing else in the overview changes.
func TestNewPhaseJoinsTheOverview(t *testing.T) {
	parent := t.TempDir()
	if _, err := scaffold.Plan(parent, "Billing Export", "Foundation", day); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "billing-export")
	readme := filepath.Join(dir, "README.md")
	before := read(t, readme)
	for _, name := range []string{"Rollout", "Cleanup"} {
		res, err := scaffold.Phase(dir, name, day)
		if err != nil {
			t.Fatal(err)
		}
		if res.Overview != readme {
			t.Errorf("new phase %s: overview %q, want %q", name, res.Overview, readme)
		}
	}
	want := strings.Replace(before, "- [Phase 1: Foundation](./phase-1-foundation.md)\n",
		"- [Phase 1: Foundation](./phase-1-foundation.md)\n- [Phase 2: Rollout](./phase-2-rollout.md)\n- [Phase 3: Cleanup](./phase-3-cleanup.md)\n", 1)
	if got := read(t, readme); got != want || got == before {
		t.Errorf("overview:\n%s\nwant:\n%s", got, want)
	}
	site, findings := checkDir(t, parent)
	if len(findings) != 0 {
		t.Errorf("findings: %+v", findings)
	}
	for _, d := range site.Docs {
		if d.Source == "billing-export/README.md" && len(d.Links) != 3 {
			t.Errorf("overview links %d documents, want 3", len(d.Links))
		}
	}

	// An overview without a list of phases, or that already links the
	// file, is left alone.
	other := t.TempDir()
	write(t, filepath.Join(other, "README.md"), "# Plan\n\nSee the phases below.\n")
	write(t, filepath.Join(other, "phase-1-start.md"), "# Phase 1: Start\n")
	res, err := scaffold.Phase(other, "Next", day)
	if err != nil {
		t.Fatal(err)
	}
	if res.Overview != "" || read(t, filepath.Join(other, "README.md")) != "# Plan\n\nSee the phases below.\n" {
		t.Errorf("an overview without a phase list was changed (%q)", res.Overview)
	}
}
