package build

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/plan"
)

// The tracker in testdata/tracker is a small plan written for these tests:
// three phase documents, an all-phases tracker, an overview and agent
// definitions. What each assertion expects can be read off the documents.
const (
	trackerPhase1 = "plans/ledger-sync/phase-1-schema.md"
	trackerPhase2 = "plans/ledger-sync/phase-2-import.md"
	trackerPhase3 = "plans/ledger-sync/phase-3-monthly-view.md"
	trackerAll    = ".claude/progress/ledger-sync/all-phases-progress.md"
)

func loadTracker(t *testing.T) *plan.Site {
	t.Helper()
	src := testcorpus.Testdata(t, "tracker")
	cfg, err := config.Load(src)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load(src, "", "plansite test", cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m.Site
}

func TestTrackerEveryDocumentHasAPageAndAnEntry(t *testing.T) {
	everyDocumentHasAPageAndAnEntry(t, testcorpus.Testdata(t, "tracker"), 8)
}

func TestTrackerPhaseDocument(t *testing.T) {
	d := docOf(t, loadTracker(t), trackerPhase2)
	if d.Title != "Phase 2: Import" || d.Status != plan.InProgress || d.Phase != "2" {
		t.Errorf("title %q, status %s, phase %q", d.Title, d.Status, d.Phase)
	}
	if d.Completion.Declared == nil || *d.Completion.Declared != 75 || d.Completion.Done != 5 || d.Completion.Total != 13 {
		t.Errorf("completion = %+v, want declared 75, 5 of 13 boxes", d.Completion)
	}
	if d.Updated == nil || *d.Updated != "2026-03-20T16:00:00Z" {
		t.Errorf("updated = %v", d.Updated)
	}
	var gates []string
	for _, g := range d.Gates {
		gates = append(gates, g.Title+" "+itoa(g.Done)+"/"+itoa(g.Total))
	}
	if got := strings.Join(gates, ", "); got != "Success Criteria 1/3, Gate 1: Readers 1/2, Gate 2: Release 0/1" {
		t.Errorf("gates = %s", got)
	}
	// Backups come from the task lines and, for 2.2, from the agent table.
	want := []string{
		"2.1 complete 2/2 api-engineer:primary test-engineer:backup",
		"2.2 in-progress 1/3 api-enginer:primary test-engineer:backup",
		"2.3 not-started 0/2 web-engineer:primary api-engineer:backup",
	}
	var tasks []string
	for _, task := range d.Tasks {
		s := task.ID + " " + string(task.Status) + " " + itoa(task.Done) + "/" + itoa(task.Total)
		for _, a := range task.Agents {
			s += " " + a.Name + ":" + string(a.Role)
		}
		tasks = append(tasks, s)
	}
	if strings.Join(tasks, "\n") != strings.Join(want, "\n") {
		t.Errorf("tasks:\n%s\nwant:\n%s", strings.Join(tasks, "\n"), strings.Join(want, "\n"))
	}
	if len(d.Worklog) != 2 || d.Worklog[1].Title != "OFX envelope (2.2)" || d.Worklog[1].Line != 69 {
		t.Errorf("work log = %+v", d.Worklog)
	}
	if deref(d.Prev) != trackerPhase1 || deref(d.Next) != trackerPhase3 {
		t.Errorf("prev %q, next %q", deref(d.Prev), deref(d.Next))
	}
	var problems []string
	for _, p := range d.Problems {
		problems = append(problems, itoa(p.Line)+" "+string(p.Code))
	}
	if got := strings.Join(problems, ", "); got != "6 completion-mismatch, 71 broken-link" {
		t.Errorf("problems = %s", got)
	}
}

func TestTrackerSeriesAndTracker(t *testing.T) {
	s := loadTracker(t)
	for i, src := range []string{trackerPhase1, trackerPhase2, trackerPhase3} {
		d := docOf(t, s, src)
		if d.Phase != itoa(i+1) {
			t.Errorf("%s: phase %q", src, d.Phase)
		}
	}
	if d := docOf(t, s, trackerPhase1); d.Prev != nil || d.Status != plan.Complete || len(d.Problems) != 0 {
		t.Errorf("phase 1: prev %v, status %s, problems %+v", d.Prev, d.Status, d.Problems)
	}
	if d := docOf(t, s, trackerPhase3); d.Next != nil || d.Status != plan.NotStarted {
		t.Errorf("phase 3: next %v, status %s", d.Next, d.Status)
	}
	found := false
	for _, sr := range s.Series {
		if strings.Join(sr.Phases, " ") == trackerPhase1+" "+trackerPhase2+" "+trackerPhase3 {
			found = true
		}
	}
	if !found {
		t.Errorf("no series of the three phases in order: %+v", s.Series)
	}

	all := docOf(t, s, trackerAll)
	var phases []string
	for _, p := range all.Phases {
		phases = append(phases, p.Number+" "+string(p.Status)+" "+strings.Join(p.Agents, "+"))
	}
	if got := strings.Join(phases, ", "); got != "1 complete api-engineer, 2 in-progress api-engineer+web-engineer, 3 not-started web-engineer" {
		t.Errorf("tracker phases = %s", got)
	}
	if all.Completion.Declared == nil || *all.Completion.Declared != 40 || all.Completion.Done != 3 || all.Completion.Total != 6 {
		t.Errorf("tracker completion = %+v, want declared 40, 3 of 6", all.Completion)
	}
	var ids []string
	for _, task := range all.Tasks {
		ids = append(ids, task.ID+":"+string(task.Status))
	}
	if got := strings.Join(ids, " "); got != "SYNC-001:complete SYNC-002:complete SYNC-003:complete SYNC-004:not-started SYNC-005:not-started SYNC-006:not-started" {
		t.Errorf("tracker items = %s", got)
	}

	agents := map[string]int{}
	for _, a := range s.Agents {
		agents[a.Name] = len(a.Tasks)
	}
	if agents["api-engineer"] != 4 || agents["web-engineer"] != 2 || agents["test-engineer"] != 3 {
		t.Errorf("agents = %v", agents)
	}
}

func itoa(n int) string {
	return strconv.Itoa(n)
}

// Two repositories' plans side by side, each with a plan and its tracker
// of the same names, once made the plan-joining step dereference a series
// it looked up by the wrong key and crash the whole build. Every document
// of both copies must still get its page.
func TestTwoCopiesOfATrackerBuild(t *testing.T) {
	src := t.TempDir()
	for _, name := range []string{"team-a", "team-b"} {
		if err := os.CopyFS(filepath.Join(src, name), os.DirFS(testcorpus.Testdata(t, "tracker"))); err != nil {
			t.Fatal(err)
		}
	}
	everyDocumentHasAPageAndAnEntry(t, src, 16)
}
