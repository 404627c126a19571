package scaffold_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/check"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/scaffold"
	"github.com/plansite/plansite/site/source"
)

var day = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

func write(t *testing.T, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func extractFile(t *testing.T, p string) *extract.Result {
	t.Helper()
	return extract.Extract(filepath.Base(p), []byte(read(t, p)), extract.Options{})
}

// checkDir runs the checker on dir and returns its findings.
func checkDir(t *testing.T, dir string) (*plan.Site, []check.Finding) {
	t.Helper()
	cfg, _ := config.Load(dir)
	m, err := build.Load(dir, "", "test", cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Run(m.Site, check.Options{Now: day, StaleDays: 14})
	if err != nil {
		t.Fatal(err)
	}
	return m.Site, rep.Findings
}

func TestFirstPhaseReadsBack(t *testing.T) {
	dir := t.TempDir()
	res, err := scaffold.Phase(dir, "Billing export", day)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "phase-1-billing-export.md")
	if len(res.Created) != 1 || res.Created[0] != p || len(res.Edited) != 0 {
		t.Fatalf("result %+v", res)
	}
	r := extractFile(t, p)
	d := r.Doc
	if d.Title != "Phase 1: Billing export" || d.Phase != "1" || d.Status != plan.NotStarted || d.Kind != "plan" {
		t.Errorf("title %q phase %q status %q kind %q", d.Title, d.Phase, d.Status, d.Kind)
	}
	if d.Updated == nil || *d.Updated != "2026-05-04" || d.Completion.Declared == nil || *d.Completion.Declared != 0 {
		t.Errorf("updated %v declared %v", d.Updated, d.Completion.Declared)
	}
	if len(d.Gates) != 2 || d.Gates[0].Title != "Success Criteria" || d.Gates[0].Total != 2 || d.Gates[1].Total != 2 {
		for _, g := range d.Gates {
			t.Logf("gate %+v", g)
		}
		t.Errorf("%d gates, want Success Criteria and Gate 1", len(d.Gates))
	}
	if len(d.Tasks) != 1 || d.Tasks[0].ID != "1.1" || d.Tasks[0].Status != plan.NotStarted || len(d.Tasks[0].Agents) != 0 {
		t.Errorf("tasks %+v", d.Tasks)
	}
	if len(d.Worklog) != 1 || d.Worklog[0].Time == nil || *d.Worklog[0].Time != "2026-05-04" {
		t.Errorf("worklog %+v", d.Worklog)
	}
	if r.PrevTarget != "" || r.NextTarget != "" || d.Meta["next"] != scaffold.NotPlanned || len(d.Problems) != 0 {
		t.Errorf("prev %q next %q meta %q problems %+v", r.PrevTarget, r.NextTarget, d.Meta["next"], d.Problems)
	}
}

func TestNextPhaseLinksBothWays(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"Foundation", "The site", "Live preview"} {
		if _, err := scaffold.Phase(dir, name, day); err != nil {
			t.Fatal(err)
		}
	}
	site, findings := checkDir(t, dir)
	if len(findings) != 0 {
		t.Errorf("findings on scaffolded phases: %+v", findings)
	}
	want := []string{"phase-1-foundation.md", "phase-2-the-site.md", "phase-3-live-preview.md"}
	if len(site.Series) != 1 || strings.Join(site.Series[0].Phases, " ") != strings.Join(want, " ") {
		t.Fatalf("series %+v", site.Series)
	}
	for i, d := range site.Docs {
		var prev, next string
		if d.Prev != nil {
			prev = *d.Prev
		}
		if d.Next != nil {
			next = *d.Next
		}
		if i > 0 && prev != want[i-1] || i == 0 && prev != "" || i < 2 && next != want[i+1] || i == 2 && next != "" {
			t.Errorf("%s: prev %q next %q", d.Source, prev, next)
		}
	}
	// The links are written, not inferred from the numbers.
	r := extractFile(t, filepath.Join(dir, want[1]))
	if r.PrevTarget != "./"+want[0] || r.NextTarget != "./"+want[2] {
		t.Errorf("phase 2 links: prev %q next %q", r.PrevTarget, r.NextTarget)
	}
}

// edits lists how the previous phase is edited: only its Next Phase changes.
func TestPreviousPhaseEdits(t *testing.T) {
	const link = "**Next Phase**: [Phase 2: Next one](./phase-2-next-one.md)"
	tests := []struct{ name, before, after string }{
		{"replaces a Next Phase written as text",
			"# Phase 1: A\n\nBody.\n\n---\n\n**Previous Phase**: none\n**Next Phase**: To be decided\n**Return to**: [Plan](../README.md)\n",
			"# Phase 1: A\n\nBody.\n\n---\n\n**Previous Phase**: none\n" + link + "\n**Return to**: [Plan](../README.md)\n"},
		{"keeps the key as written",
			"# Phase 1: A\n\n- **Next Phase:** later\n",
			"# Phase 1: A\n\n- **Next Phase:** [Phase 2: Next one](./phase-2-next-one.md)\n"},
		{"adds the field under Previous Phase in the footer",
			"# Phase 1: A\n\n---\n\n**Previous Phase**: none\n**Return to**: [Plan](../README.md)\n",
			"# Phase 1: A\n\n---\n\n**Previous Phase**: none\n" + link + "\n**Return to**: [Plan](../README.md)\n"},
		{"adds the field to a bulleted footer",
			"# Phase 1: A\n\n---\n\n- **Owner**: me\n",
			"# Phase 1: A\n\n---\n\n- **Owner**: me\n- " + link + "\n"},
		{"adds the field after a footer of prose",
			"# Phase 1: A\n\n---\n\n*Written by hand.*\n",
			"# Phase 1: A\n\n---\n\n*Written by hand.*\n\n" + link + "\n"},
		{"adds a footer when there is none (a heading after --- is no footer)",
			"# Phase 1: A\n\n---\n\n## More\n\nText",
			"# Phase 1: A\n\n---\n\n## More\n\nText\n\n---\n\n" + link + "\n"},
		{"ignores a Next Phase in a code fence",
			"# Phase 1: A\n\n```md\n**Next Phase**: x\n```\n",
			"# Phase 1: A\n\n```md\n**Next Phase**: x\n```\n\n---\n\n" + link + "\n"},
		{"keeps CRLF line ends",
			"# Phase 1: A\r\n\r\n---\r\n\r\n**Previous Phase**: none\r\n",
			"# Phase 1: A\r\n\r\n---\r\n\r\n**Previous Phase**: none\r\n" + link + "\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			prev := filepath.Join(dir, "phase-1-a.md")
			write(t, prev, tt.before)
			if _, err := scaffold.Phase(dir, "Next one", day); err != nil {
				t.Fatal(err)
			}
			if got := read(t, prev); got != tt.after {
				t.Errorf("got\n%q\nwant\n%q", got, tt.after)
			}
			if r := extractFile(t, prev); r.NextTarget != "./phase-2-next-one.md" {
				t.Errorf("plansite reads next %q", r.NextTarget)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	dir := t.TempDir()
	prev := filepath.Join(dir, "phase-1-a.md")
	other := filepath.Join(dir, "other.md")
	write(t, other, "# Other\n")
	before := "# Phase 1: A\n\n**Next Phase**: [Other](./other.md)\n"
	write(t, prev, before)
	if _, err := scaffold.Phase(dir, "B", day); err == nil || !strings.Contains(err.Error(), "already links") {
		t.Errorf("got %v, want a refusal to replace a working Next Phase link", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "phase-2-b.md")); err == nil {
		t.Error("phase 2 written after the refusal")
	}

	// An existing file of the new name is never overwritten, and the
	// previous phase is then left alone.
	write(t, prev, "# Phase 1: A\n")
	taken := filepath.Join(dir, "phase-2-b-progress.md")
	write(t, taken, "mine\n")
	if _, err := scaffold.Phase(dir, "B progress", day); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("got %v, want a refusal to overwrite", err)
	}
	if read(t, taken) != "mine\n" || read(t, prev) != "# Phase 1: A\n" {
		t.Error("a file was changed")
	}
	if _, err := scaffold.Phase(dir, "!!!", day); err == nil {
		t.Error("a name without letters was accepted")
	}
}

func TestPlan(t *testing.T) {
	parent := t.TempDir()
	res, err := scaffold.Plan(parent, "Billing Export", "Foundation", day)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "billing-export")
	if len(res.Created) != 2 || res.Created[1] != filepath.Join(dir, "phase-1-foundation.md") {
		t.Fatalf("created %v", res.Created)
	}
	if _, err := scaffold.Phase(dir, "Rollout", day); err != nil {
		t.Fatal(err)
	}
	site, findings := checkDir(t, parent)
	if len(findings) != 0 {
		t.Errorf("findings: %+v", findings)
	}
	for _, d := range site.Docs {
		switch d.Source {
		case "billing-export/README.md":
			if d.Title != "Billing Export" || d.Phase != "" || d.Status != plan.NotStarted {
				t.Errorf("overview: %q phase %q status %q", d.Title, d.Phase, d.Status)
			}
		case "billing-export/phase-1-foundation.md":
			if d.Phase != "1" || d.Next == nil || *d.Next != "billing-export/phase-2-rollout.md" {
				t.Errorf("phase 1: %q next %v", d.Phase, d.Next)
			}
		case "billing-export/phase-2-rollout.md":
			if d.Phase != "2" || d.Prev == nil || *d.Prev != "billing-export/phase-1-foundation.md" {
				t.Errorf("phase 2: %q prev %v", d.Phase, d.Prev)
			}
		default:
			t.Errorf("unexpected %s", d.Source)
		}
	}
	if _, err := scaffold.Plan(parent, "billing-export", "Foundation", day); err == nil {
		t.Error("an existing plan directory was accepted")
	}
}

func TestCorpus(t *testing.T) {
	corpus := testcorpus.MeatyMusic(t)
	tree, err := source.Walk(corpus, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	const series = "docs/project_plans/bootstrap-from-meatyprompts"
	if got := scaffold.DefaultDir(tree.Docs); got != series {
		t.Fatalf("default dir %q, want %q", got, series)
	}
	// Work on a copy of the series: the corpus is read-only.
	dir := t.TempDir()
	entries, err := os.ReadDir(filepath.Join(corpus, series))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		write(t, filepath.Join(dir, e.Name()), read(t, filepath.Join(corpus, series, e.Name())))
	}
	res, err := scaffold.Phase(dir, "Testing and deployment", day)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], ":380: Next Phase was") {
		t.Errorf("notes %q", res.Notes)
	}
	before := strings.Split(read(t, filepath.Join(corpus, series, "phase-5-ui-adaptation.md")), "\n")
	after := strings.Split(read(t, filepath.Join(dir, "phase-5-ui-adaptation.md")), "\n")
	if len(before) != len(after) {
		t.Fatalf("%d lines became %d", len(before), len(after))
	}
	for i := range before {
		if before[i] != after[i] && i != 379 {
			t.Errorf("line %d changed: %q", i+1, after[i])
		}
	}
	if after[379] != "**Next Phase**: [Phase 6: Testing and deployment](./phase-6-testing-and-deployment.md)" {
		t.Errorf("line 380: %q", after[379])
	}
	r := extractFile(t, filepath.Join(dir, "phase-6-testing-and-deployment.md"))
	if r.Doc.Phase != "6" || r.PrevTarget != "./phase-5-ui-adaptation.md" {
		t.Errorf("phase %q prev %q", r.Doc.Phase, r.PrevTarget)
	}
}

func TestDefaultDir(t *testing.T) {
	tests := []struct {
		docs []string
		want string
	}{
		{[]string{"a/phase-1-x.md", "a/phase-2-y.md", "b/phase-3-z.md"}, "b"},
		{[]string{"a/phase-4-x.md", ".claude/progress/phase-9-progress.md", "notes/phase-9-summary.md"}, "a"},
		{[]string{"a/phase-3-x.md", "docs/context-engine/phase-4.1-a.md"}, "docs/context-engine"},
		{[]string{"a/phase-2-x.md", "a/phase-1-x.md", "b/phase-2-y.md"}, "a"}, // a tie: the longer plan
		{[]string{"README.md", "notes.md"}, ""},
	}
	for _, tt := range tests {
		if got := scaffold.DefaultDir(tt.docs); got != tt.want {
			t.Errorf("DefaultDir(%v) = %q, want %q", tt.docs, got, tt.want)
		}
	}
}
