package extract

import (
	"fmt"
	"strings"
	"testing"

	"github.com/plansite/plansite/site/plan"
)

func extract(t *testing.T, src string) *plan.Doc {
	t.Helper()
	return Extract("plans/doc.md", []byte(src), Options{}).Doc
}

func hasProblem(d *plan.Doc, code plan.Code, line int) bool {
	for _, p := range d.Problems {
		if p.Code == code && (line == 0 || p.Line == line) {
			return true
		}
	}
	return false
}

func TestMetadataForms(t *testing.T) {
	cases := []struct {
		name, src  string
		status     string
		updated    string
		declared   float64
		meta, want string
	}{
		{"colon outside bold, folded into one paragraph", "# T\n\n**Status**: In Progress\n**Last Updated**: 2025-11-12 2:00 PM EST\n**Completion**: 40%\n", plan.InProgress, "2025-11-12T14:00:00-05:00", 40, "", ""},
		{"colon inside bold, bold value", "# T\n\n**Last Updated:** 2025-11-19 16:45\n**Status:** ✅ **COMPLETE - All 27 tasks**\n", plan.Complete, "2025-11-19T16:45:00Z", -1, "", ""},
		{"pipe-joined pairs", "# T\n\n**Status**: Draft | **Phase**: QA\n**Created**: 2025-11-14 | **Story Points**: 89\n", plan.NotStarted, "", -1, "phase", "QA"},
		{"YAML front matter", "---\ntitle: Front\nstatus: published\nupdated: 2025-11-02\n---\n# T\n", plan.Complete, "2025-11-02", -1, "title", "Front"},
		{"TOML front matter", "+++\nstatus = \"blocked\"\n+++\n# T\n", plan.Blocked, "", -1, "", ""},
		{"## Metadata list", "# T\n\n## Metadata\n\n- **Status**: In Progress\n- **Plan Path**: `docs/x.md`\n\n## Body\n", plan.InProgress, "", -1, "plan", "`docs/x.md`"},
		{"## Status plain list", "# T\n\n## Status\n- Status: Complete\n- Started: 2025-11-01\n", plan.Complete, "", -1, "start", "2025-11-01"},
		{"footer only", "# T\n\n## Body\n\ntext\n\n---\n\n**Status**: Blocked\n**Last Updated**: 2025-11-03\n", plan.Blocked, "2025-11-03", -1, "", ""},
		{"status in a heading", "# T\n\n## Status: ✅ COMPLETE\n\ntext\n", plan.Complete, "", -1, "", ""},
		{"status word in the title", "# Phase 5 UI Adaptation - COMPLETE\n\ntext\n", plan.Complete, "", -1, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := extract(t, c.src)
			if d.Status != c.status {
				t.Errorf("status = %s (%q), want %s", d.Status, d.StatusText, c.status)
			}
			if got := deref(d.Updated); got != c.updated {
				t.Errorf("updated = %q, want %q", got, c.updated)
			}
			if c.declared >= 0 && (d.Completion.Declared == nil || *d.Completion.Declared != c.declared) {
				t.Errorf("declared = %v, want %v", d.Completion.Declared, c.declared)
			}
			if c.meta != "" && d.Meta[c.meta] != c.want {
				t.Errorf("meta[%s] = %q, want %q (meta %v)", c.meta, d.Meta[c.meta], c.want, d.Meta)
			}
		})
	}
}

func TestHeaderWinsOverFooterAndDisagreementIsAProblem(t *testing.T) {
	d := extract(t, "# T\n\n**Status**: Draft\n\n## Body\n\ntext\n\n---\n\n**Status**: Ready for Implementation\n**Version**: 2\n")
	if d.StatusText != "Draft" {
		t.Errorf("status text = %q, want the header's", d.StatusText)
	}
	// Draft and Ready both mean not started: no disagreement.
	if hasProblem(d, "header-footer-mismatch", 0) {
		t.Errorf("unexpected mismatch: %+v", d.Problems)
	}
	d = extract(t, "# T\n\n**Status**: COMPLETED\n\n## Body\n\ntext\n\n---\n\n**Status**: In Progress\n")
	if d.Status != plan.Complete || !hasProblem(d, "header-footer-mismatch", 11) {
		t.Errorf("status %s, problems %+v; want complete and a mismatch on line 11", d.Status, d.Problems)
	}
	if d.Meta["version"] != "" {
		t.Errorf("unrelated meta")
	}
}

func TestFenceHidesHeadingsAndCheckboxes(t *testing.T) {
	src := "# T\n\n## Success Criteria\n- [x] real\n\n````markdown\n## Phase 9: Not A Phase\n- [ ] not a box\n```json\n{}\n```\n````\n\n```yaml\nkey: |\n  ```json\n  {}\n  ```\nb: 1\n```\n### Swallowed Heading\n- [ ] swallowed\n```\n"
	d := extract(t, src)
	for _, h := range d.Headings {
		if strings.Contains(h.Text, "Not A Phase") || strings.Contains(h.Text, "Swallowed") {
			t.Errorf("heading inside a fence read as a heading: %q", h.Text)
		}
	}
	if d.Completion.Total != 1 || d.Completion.Done != 1 {
		t.Errorf("checkboxes %d/%d, want 1/1 (fenced boxes are quoted)", d.Completion.Done, d.Completion.Total)
	}
}

func TestCorpusFenceBreakageFollowsCommonMark(t *testing.T) {
	// phase-4-workflow-orchestration.md: a ```yaml block holding ```json closes
	// early, and the stray closer swallows "### Week 2: Orchestrator Implementation".
	d := corpusDoc(t, "docs/project_plans/bootstrap-from-meatyprompts/phase-4-workflow-orchestration.md")
	for _, h := range d.Headings {
		if strings.Contains(h.Text, "Week 2: Orchestrator Implementation") {
			t.Errorf("heading at line %d should be inside a code block, as CommonMark reads it", h.Line)
		}
	}
	if d.Title != "Phase 4: Workflow Orchestration (15-20 days)" || d.Phase != "4" {
		t.Errorf("title %q phase %q", d.Title, d.Phase)
	}
}

func TestLazyContinuationFieldIsStillRead(t *testing.T) {
	// "**Return to**:" directly under a list item is folded into the item.
	d := extract(t, "# T\n\n**Supporting Docs**:\n- [A](./a.md)\n**Next Phase**: [Phase 2](./phase-2-x.md)\n")
	if d.Meta["next"] == "" {
		t.Errorf("folded **Next Phase** line not read: meta %v", d.Meta)
	}
	r := Extract("plans/doc.md", []byte("# T\n\n- [A](./a.md)\n**Next Phase**: [Phase 2](./phase-2-x.md)\n"), Options{})
	if r.NextTarget != "./phase-2-x.md" {
		t.Errorf("next target = %q", r.NextTarget)
	}
}

func TestDuplicateTaskIDs(t *testing.T) {
	d := extract(t, "# T\n\n### Task 0.4: First\n\n- **Status**: Complete\n\n### Task 0.4: Again\n\n- **Status**: Pending\n")
	if len(d.Tasks) != 2 || !hasProblem(d, "duplicate-task-id", 7) {
		t.Errorf("tasks %d, problems %+v; want 2 tasks and a duplicate on line 7", len(d.Tasks), d.Problems)
	}
	// The same id in two phases is not a duplicate.
	d = extract(t, "# T\n\n## Phase 1: A\n\n#### 1.1 X\n\n## Phase 2: B\n\n#### 1.1 X\n")
	if hasProblem(d, "duplicate-task-id", 0) {
		t.Errorf("ids in different phases reported: %+v", d.Problems)
	}
}

func TestH1PhasesAndBanners(t *testing.T) {
	src := "# Tracker\n\n# PHASE 0: Infrastructure & Setup\n\n**Status**: ✅ COMPLETE\n\n- [x] a\n\n## ✅ Phase 0 Complete! (All done)\n\n# PHASE 1: Skills\n\n**Status**: In Progress\n\n- [ ] b\n\n## Phase Overview\n\n# Phase 3a: Lettered ⚠️\n"
	d := extract(t, src)
	var got []string
	for _, p := range d.Phases {
		got = append(got, p.Number+"="+p.Status)
	}
	if strings.Join(got, " ") != "0=complete 1=in-progress 3a=in-progress" {
		t.Errorf("phases = %v", got)
	}
	if d.Phases[0].Done != 1 || d.Phases[0].Total != 1 || d.Phases[1].Total != 1 {
		t.Errorf("phase checkboxes: %+v %+v", d.Phases[0], d.Phases[1])
	}
}

func TestPhaseNumbersAndOverviewTable(t *testing.T) {
	src := "# Plan\n\n| Phase | Title | Status | Completion |\n|---|---|---|---|\n| 1 | A | ✅ COMPLETE | 100% |\n| 1D-2 | B | Blocked | 0% |\n| 4.1 | C | Not Started | 0% |\n\n## Phase 1: A\n\ntext\n\n## Phase 1D-2: B\n\n## Phase 4.1: C\n"
	d := extract(t, src)
	var got []string
	for _, p := range d.Phases {
		got = append(got, p.Number+"="+p.Status)
	}
	if strings.Join(got, " ") != "1=complete 1D-2=blocked 4.1=not-started" {
		t.Errorf("phases = %v", got)
	}
	if d.Phases[0].Declared == nil || *d.Phases[0].Declared != 100 {
		t.Errorf("phase 1 declared = %v", d.Phases[0].Declared)
	}
}

func TestGatesFromTablesOrderedListsAndNesting(t *testing.T) {
	src := "# T\n\n## Exit Criteria\n1. [x] one\n2. [ ] two\n   - [x] nested\n\n## Acceptance Gates\n\n| Criterion | Status | Evidence |\n|---|---|---|\n| All skills run | [ ] | tests |\n| Docs | [x] | readme |\n\n## Notes\n- [ ] loose item\n\n**Acceptance Criteria**:\n- [x] labelled\n"
	d := extract(t, src)
	want := map[string][2]int{"Exit Criteria": {2, 3}, "Acceptance Gates": {1, 2}, "Acceptance Criteria": {1, 1}}
	if len(d.Gates) != len(want) {
		for _, g := range d.Gates {
			t.Logf("gate %+v", *g)
		}
		t.Fatalf("%d gates", len(d.Gates))
	}
	for _, g := range d.Gates {
		w, ok := want[g.Title]
		if !ok || g.Done != w[0] || g.Total != w[1] {
			t.Errorf("gate %q %d/%d, want %v", g.Title, g.Done, g.Total, w)
		}
	}
	if d.Completion.Total != 7 || d.Completion.Done != 4 {
		t.Errorf("completion %d/%d, want 4/7 (loose items count)", d.Completion.Done, d.Completion.Total)
	}
}

func TestTaskForms(t *testing.T) {
	src := "# T\n\n## Phase 1: Core (8 pts)\n\n**Assigned Subagent(s)**: a-one, b-two\n\n### Completion Checklist\n- [ ] RBAC-001: Add role field (1 pt)\n      Assigned Subagent(s): data-layer-expert\n- [x] **TASK-002**: Named (3 pts) [@frontend-architect]\n  - [x] sub one\n  - [ ] sub two\n\n## Phase 2: More\n\n#### N6-1: Base Service Class (2 SP) ✅\n- **Status:** ✅ Complete\n- **Subagent:** python-backend-engineer (primary), backend-architect (review)\n- **Acceptance Criteria**:\n  - [x] done\n\n### Task 2.3: Wire it up ⏭️\n\n**Delegate to:** `ui-engineer` + `qa-engineer`\n\n**Gate 1: Store Functionality**\n- [ ] gate item\n"
	d := extract(t, src)
	byID := map[string]*plan.Task{}
	for _, task := range d.Tasks {
		byID[task.ID] = task
	}
	check := func(id, status string, points float64, phase string, agents string, done, total int) {
		t.Helper()
		task := byID[id]
		if task == nil {
			t.Errorf("no task %s in %+v", id, d.Tasks)
			return
		}
		var as []string
		for _, a := range task.Agents {
			as = append(as, a.Name+":"+a.Role)
		}
		if task.Status != status || task.Points != points || task.Phase != phase || strings.Join(as, ",") != agents || task.Done != done || task.Total != total {
			t.Errorf("task %s = %s %.0fpts phase %s agents %v %d/%d", id, task.Status, task.Points, task.Phase, as, task.Done, task.Total)
		}
	}
	check("RBAC-001", plan.NotStarted, 1, "1", "data-layer-expert:primary", 0, 0)
	check("TASK-002", plan.Complete, 3, "1", "frontend-architect:primary", 1, 2)
	check("N6-1", plan.Complete, 2, "2", "python-backend-engineer:primary,backend-architect:review", 1, 1)
	check("2.3", plan.Deferred, 0, "2", "ui-engineer:primary,qa-engineer:primary", 0, 0)
	if byID["N6-1"].Title != "Base Service Class" || byID["RBAC-001"].Title != "Add role field" {
		t.Errorf("titles %q %q", byID["N6-1"].Title, byID["RBAC-001"].Title)
	}
	if len(d.Gates) != 1 || d.Gates[0].Title != "Gate 1: Store Functionality" || d.Gates[0].Total != 1 {
		t.Errorf("gates = %+v (a task's checklist is not a gate)", d.Gates)
	}
	if got := strings.Join(d.Phases[0].Agents, ","); got != "a-one,b-two" {
		t.Errorf("phase agents = %s", got)
	}
}

func TestWorkLogForms(t *testing.T) {
	src := "# T\n\n**Last Updated**: 2025-11-12 3:30 PM EST\n\n## Work Log\n\n**2025-11-12 14:30 EST** - Infrastructure Setup (Day 6-7)\n\n### 2025-11-12 (17:30) - API Router Endpoints\n\n### 2025-11-12 (Evening Session)\n\n### 2025-11-19 - Session 2\n\n### Session 3 (2025-11-20)\n\n### [Date] - Decision Title\n\n## Decisions Log\n\n- **[2025-11-20]** Use a simple role enum\n- **2025-11-13**: Wave 1A complete\n\n```\n**2025-11-30 10:00 EST** - quoted, not an entry\n```\n"
	d := extract(t, src)
	var got []string
	for _, e := range d.Worklog {
		got = append(got, deref(e.Time)+" "+string(e.Kind)+" "+e.Title)
	}
	want := []string{
		"2025-11-12T14:30:00-05:00 work Infrastructure Setup (Day 6-7)",
		"2025-11-12T17:30:00-05:00 work API Router Endpoints",
		"2025-11-12 work Evening Session",
		"2025-11-19 work Session 2",
		"2025-11-20 work Session 3",
		"2025-11-20 decision Use a simple role enum",
		"2025-11-13 decision Wave 1A complete",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("work log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBadDatesAreProblems(t *testing.T) {
	d := extract(t, "# T\n\n**Started**: 2025-13-45\n**Last Updated**: sometime soon\n")
	if !hasProblem(d, "bad-date", 3) {
		t.Errorf("problems = %+v; want bad-date on line 3", d.Problems)
	}
	if hasProblem(d, "bad-date", 4) {
		t.Errorf("prose value reported as a bad date")
	}
}

func TestAgentTablesFillRolesTaskFieldsLeaveOpen(t *testing.T) {
	src := "# T\n\n| Task Group | Tasks | Primary Agent | Backup Agent | Review |\n|---|---|---|---|---|\n| Day 1 | 1.1, 1.2 | a-eng | b-eng (1.2 only) | c-rev |\n| Day 2 | 2.1 | a-eng + d-eng | — | c-rev |\n\n#### 1.1 One\n- **Assigned**: z-eng\n\n#### 1.2 Two\n\n#### 2.1 Three\n- **Backup**: None needed\n"
	d := extract(t, src)
	got := map[string]string{}
	for _, task := range d.Tasks {
		var as []string
		for _, a := range task.Agents {
			as = append(as, a.Name+":"+a.Role)
		}
		got[task.ID] = strings.Join(as, ",")
	}
	want := map[string]string{
		"1.1": "z-eng:primary,c-rev:review",
		"1.2": "a-eng:primary,b-eng:backup,c-rev:review",
		"2.1": "a-eng:primary,d-eng:primary,c-rev:review",
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("task %s agents = %s, want %s", id, got[id], w)
		}
	}
}

func TestCompletionAndStatusContradictions(t *testing.T) {
	d := extract(t, "# T\n\n**Status**: ✅ COMPLETE\n**Completion**: 100%\n\n## Success Criteria\n- [x] a\n- [ ] b\n")
	if !hasProblem(d, "completion-mismatch", 4) || !hasProblem(d, "status-mismatch", 3) {
		t.Errorf("problems = %+v", d.Problems)
	}
	d = extract(t, "# T\n\n**Status**: In Progress\n**Completion**: 50%\n\n## Success Criteria\n- [x] a\n- [ ] b\n")
	if len(d.Problems) != 0 {
		t.Errorf("consistent document has problems: %+v", *d.Problems[0])
	}
}

func TestTemplatesAreRecognised(t *testing.T) {
	d := extract(t, "# {{PROJECT}} Plan\n\n**Status**: NOT STARTED | IN PROGRESS | BLOCKED | COMPLETE\n**Last Updated**: YYYY-MM-DD\n\n- [ ] **TASK-001**: [Task Name] ([X] pts)\n- {{YYYY-MM-DD}}: {{Decision}}\n")
	if d.Kind != "template" || d.Status != plan.Unknown {
		t.Errorf("kind %s status %s", d.Kind, d.Status)
	}
	if hasProblem(d, "bad-date", 0) {
		t.Errorf("template placeholders reported as bad dates")
	}
}

func TestHeadingAnchorsStableAndUnique(t *testing.T) {
	d := extract(t, "# T\n\n## ✅ Phase 1 Complete!\n\n## Phase 1 Complete!\n\n## Notes\n\n## Notes\n")
	var got []string
	for _, h := range d.Headings {
		got = append(got, h.Anchor)
	}
	if strings.Join(got, " ") != "t phase-1-complete phase-1-complete-1 notes notes-1" {
		t.Errorf("anchors = %v", got)
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func TestPlaceholderTitles(t *testing.T) {
	for title, want := range map[string]bool{
		"Phase [N]: [Phase Name]":             true,
		"<Title>":                             true,
		"[feature-name] implementation":       true,
		"Progress: {{EPIC_ID}}":               true,
		"All-Phases Progress: [Feature Name]": true,
		"[WIP] Phase 2: Billing":              false,
		"Phase 2: Billing [DRAFT]":            false,
		"Phase 2: [Billing](billing.md)":      false,
		"Phase 2: Billing":                    false,
		"Use <T> for generics":                true, // a blank by its shape; a real title seldom carries one
	} {
		if got := placeholderTitleRe.MatchString(title); got != want {
			t.Errorf("%q: template %v, want %v", title, got, want)
		}
	}
	res := Extract("plans/new-feature.md", []byte("# Phase [N]: [Phase Name]\n\n**Status**: Not Started\n\n- [ ] one\n"), Options{})
	if res.Doc.Kind != "template" {
		t.Errorf("kind %q, want template", res.Doc.Kind)
	}
}

// spec-kit ticks its task boxes with an upper-case X, the same three
// characters templates leave as a blank ("[X] pts"): ticked boxes are work
// done, never placeholders.
func TestUpperCaseTicksAreNotTemplatePlaceholders(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Tasks: Export\n\n## Phase 1: Setup\n\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "- [X] T00%d Write part %d\n", i, i)
	}
	b.WriteString("1. [X] numbered and ticked\n> - [X] quoted and ticked\n")
	d := extract(t, b.String())
	if d.Kind == "template" {
		t.Fatalf("a tasks file with ten ticked boxes is read as a template")
	}
	if d.Completion.Done != d.Completion.Total || d.Completion.Done < 8 {
		t.Errorf("completion = %+v, want every box done", d.Completion)
	}
	d = extract(t, "# Phase [X]\n\nEstimate: [X] pts, [X] days, [X] people, owner [X], due [X].\n")
	if d.Kind != "template" {
		t.Errorf("[X] blanks in prose not read as a template: kind %s", d.Kind)
	}
}
