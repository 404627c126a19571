package build

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/render"
)

const canonical = ".claude/progress/phase-2-infrastructure-preservation-progress.md"

func loadCorpus(t *testing.T) *plan.Site {
	t.Helper()
	cfg, err := config.Load(testcorpus.MeatyMusic(t))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load(testcorpus.MeatyMusic(t), "", "plansite test", cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m.Site
}

func docOf(t *testing.T, s *plan.Site, source string) *plan.Doc {
	t.Helper()
	for _, d := range s.Docs {
		if d.Source == source {
			return d
		}
	}
	t.Fatalf("no document %s in the model", source)
	return nil
}

// markdownFiles lists the Markdown documents under root (a MANIFEST.md
// describes a sample; it is not one of its documents).
func markdownFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(root, p)
			if rel != "MANIFEST.md" {
				out = append(out, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestEveryCorpusDocumentHasAPageAndAnEntry(t *testing.T) {
	everyDocumentHasAPageAndAnEntry(t, testcorpus.MeatyMusic(t), 43)
}

// everyDocumentHasAPageAndAnEntry builds src and finds each of its n
// Markdown documents in plan.json and as a page with an article body.
func everyDocumentHasAPageAndAnEntry(t *testing.T, src string, n int) {
	t.Helper()
	dest := t.TempDir()
	res, err := Build(Options{Source: src, Dest: dest, Generator: "plansite test"})
	if err != nil {
		t.Fatal(err)
	}
	want := markdownFiles(t, src)
	if len(want) != n {
		t.Fatalf("%s has %d documents, want %d", src, len(want), n)
	}
	var pj plan.Site
	b, err := os.ReadFile(filepath.Join(dest, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &pj); err != nil {
		t.Fatalf("plan.json: %v", err)
	}
	inJSON := map[string]*plan.Doc{}
	for _, d := range pj.Docs {
		inJSON[d.Source] = d
	}
	for _, src := range want {
		d := inJSON[src]
		if d == nil {
			t.Errorf("%s: no entry in plan.json", src)
			continue
		}
		page, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(render.OutputPath(d.URL))))
		if err != nil {
			t.Errorf("%s: no page: %v", src, err)
			continue
		}
		if !strings.Contains(string(page), "<article") {
			t.Errorf("%s: page %s has no article body", src, d.URL)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "plan.schema.json")); err != nil {
		t.Error("plan.schema.json not written")
	}
	if res.Pages < n {
		t.Errorf("built %d pages, want at least %d", res.Pages, n)
	}
}

func TestCanonicalTracker(t *testing.T) {
	d := docOf(t, loadCorpus(t), canonical)
	if d.Status != plan.InProgress {
		t.Errorf("status = %s, want in-progress", d.Status)
	}
	if d.Completion.Declared == nil || *d.Completion.Declared != 0 {
		t.Errorf("declared completion = %v, want 0", d.Completion.Declared)
	}
	if d.Completion.Done != 18 || d.Completion.Total != 87 {
		t.Errorf("done %d of %d, want 18 of 87", d.Completion.Done, d.Completion.Total)
	}
	wantGates := []struct {
		prefix      string
		done, total int
	}{{"Success Criteria", 0, 7}, {"Gate 1", 0, 4}, {"Gate 2", 0, 4}, {"Gate 3", 0, 5}, {"Gate 4", 0, 4}}
	if len(d.Gates) != len(wantGates) {
		t.Fatalf("%d gates, want %d: %+v", len(d.Gates), len(wantGates), d.Gates)
	}
	for i, w := range wantGates {
		g := d.Gates[i]
		if !strings.HasPrefix(g.Title, w.prefix) || g.Done != w.done || g.Total != w.total {
			t.Errorf("gate %d = %q %d/%d, want %s %d/%d", i, g.Title, g.Done, g.Total, w.prefix, w.done, w.total)
		}
	}
	var ids []string
	for _, task := range d.Tasks {
		ids = append(ids, task.ID)
		want := plan.NotStarted
		if strings.HasPrefix(task.ID, "4.") {
			want = plan.Complete
		}
		if task.Status != want {
			t.Errorf("task %s status = %s, want %s", task.ID, task.Status, want)
		}
		wantPrimary := "python-backend-engineer"
		if strings.HasPrefix(task.ID, "2.") || task.ID == "3.2" {
			wantPrimary = "ui-engineer"
		}
		var primaries []string
		for _, a := range task.Agents {
			if a.Role == plan.RolePrimary {
				primaries = append(primaries, a.Name)
			}
		}
		if len(primaries) != 1 || primaries[0] != wantPrimary {
			t.Errorf("task %s primary agents = %v, want [%s]", task.ID, primaries, wantPrimary)
		}
	}
	if got := strings.Join(ids, " "); got != "1.1 1.2 1.3 2.1 2.2 2.3 3.1 3.2 3.3 4.1 4.2 4.3" {
		t.Errorf("task ids = %s", got)
	}
	if len(d.Worklog) != 1 || d.Worklog[0].Time == nil || *d.Worklog[0].Time != "2025-11-12T14:30:00-05:00" {
		t.Errorf("work log = %+v, want one entry at 2025-11-12T14:30:00-05:00", d.Worklog)
	}
	if d.Updated == nil || *d.Updated != "2025-11-12T14:00:00-05:00" {
		t.Errorf("updated = %v, want 2025-11-12T14:00:00-05:00", d.Updated)
	}
	if d.Prev == nil || *d.Prev != "docs/project_plans/bootstrap-from-meatyprompts/phase-1-repository-setup.md" {
		t.Errorf("prev = %v", d.Prev)
	}
	if d.Next == nil || !strings.HasSuffix(*d.Next, "/phase-3-domain-model-migration.md") {
		t.Errorf("next = %v", d.Next)
	}
	var mismatch, bootstrap bool
	for _, p := range d.Problems {
		if p.Code == "completion-mismatch" && p.Line == 5 {
			mismatch = true
		}
		if p.Code == "broken-link" && p.Line == 661 && strings.Contains(p.Message, "bootstrap-from-meatyprompts.md") {
			bootstrap = true
		}
	}
	if !mismatch || !bootstrap {
		t.Errorf("problems = %+v; want the completion mismatch (line 5) and the broken Bootstrap Plan link (line 661)", d.Problems)
	}
}

func TestBootstrapSeriesChainedInOrder(t *testing.T) {
	s := loadCorpus(t)
	dir := "docs/project_plans/bootstrap-from-meatyprompts/"
	chain := []string{"phase-1-repository-setup.md", "phase-2-infrastructure-preservation.md", "phase-3-domain-model-migration.md",
		"phase-4-workflow-orchestration.md", "phase-5-ui-adaptation.md"}
	for i, name := range chain {
		d := docOf(t, s, dir+name)
		if d.Phase != string(rune('1'+i)) {
			t.Errorf("%s: phase %q, want %d", name, d.Phase, i+1)
		}
		var wantPrev, wantNext string
		if i > 0 {
			wantPrev = dir + chain[i-1]
		}
		if i < len(chain)-1 {
			wantNext = dir + chain[i+1]
		}
		if got := deref(d.Prev); got != wantPrev {
			t.Errorf("%s: prev = %q, want %q", name, got, wantPrev)
		}
		if got := deref(d.Next); got != wantNext {
			t.Errorf("%s: next = %q, want %q", name, got, wantNext)
		}
	}
}

func TestAllPhasesTrackerPhases(t *testing.T) {
	d := docOf(t, loadCorpus(t), ".claude/progress/gap-analysis-p2/all-phases-progress.md")
	if len(d.Phases) != 7 {
		t.Fatalf("%d phases, want 7: %+v", len(d.Phases), d.Phases)
	}
	for i, p := range d.Phases {
		if p.Number != string(rune('1'+i)) || p.Status != plan.NotStarted {
			t.Errorf("phase %d = %s %q %s, want %d not-started", i, p.Number, p.Title, p.Status, i+1)
		}
	}
	if d.Phases[0].Title != "Admin RBAC System" {
		t.Errorf("phase 1 title = %q", d.Phases[0].Title)
	}
}
