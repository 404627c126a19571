package extract

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/plan"
)

// readIn extracts one document of a directory, its path relative to it.
func readIn(t *testing.T, dir, rel string) *plan.Doc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return Extract(rel, b, Options{}).Doc
}

func taskByID(d *plan.Doc, id string) *plan.Task {
	for _, t := range d.Tasks {
		if t.ID == id {
			return t
		}
	}
	return nil
}

func gateOfKind(d *plan.Doc, kind plan.GateKind) *plan.Gate {
	for _, g := range d.Gates {
		if g.Kind == kind {
			return g
		}
	}
	return nil
}

func phaseByNumber(d *plan.Doc, n string) *plan.Phase {
	for _, p := range d.Phases {
		if p.Number == n {
			return p
		}
	}
	return nil
}

func linkKinds(d *plan.Doc) map[string]string {
	out := map[string]string{}
	for _, l := range d.Links {
		if l.Kind != "" {
			out[l.Target] = l.Kind
		}
	}
	return out
}

// TestConventionsCorpus reads real documents of every convention; each value
// was checked by hand against conventions/MANIFEST.md.
func TestConventionsCorpus(t *testing.T) {
	dir := testcorpus.Conventions(t)
	doc := func(rel string) *plan.Doc { return readIn(t, dir, rel) }

	t.Run("spec-kit", func(t *testing.T) {
		spec := doc("github__spec-kit/specs/001-git-worktree-support/spec.md")
		if spec.Convention != plan.ConvSpecKit || spec.Status != plan.NotStarted || spec.StatusText != "Draft" || spec.StatusLine != 5 {
			t.Errorf("spec.md: %s %s %q line %d", spec.Convention, spec.Status, spec.StatusText, spec.StatusLine)
		}
		tasks := doc("github__spec-kit/specs/001-git-worktree-support/tasks.md")
		// MANIFEST §1: the T-tasks give 58/66; the 11 manual checks are not tasks.
		if len(tasks.Tasks) != 66 || tasks.Completion.Done != 58 || tasks.Completion.Total != 66 || tasks.Status != plan.InProgress {
			t.Errorf("tasks.md: %d tasks, %d/%d, %s", len(tasks.Tasks), tasks.Completion.Done, tasks.Completion.Total, tasks.Status)
		}
		if t1 := taskByID(tasks, "T001"); t1 == nil || t1.Status != plan.Complete || t1.Line != 21 {
			t.Errorf("T001 = %+v", t1)
		}
		if t14 := taskByID(tasks, "T014"); t14 == nil || !t14.Parallel || t14.Story != "US1" || strings.HasPrefix(t14.Title, "[") {
			t.Errorf("T014 = %+v", t14)
		}
		if p2 := phaseByNumber(tasks, "2"); p2 == nil || p2.Status == plan.Blocked || !strings.Contains(p2.Title, "Blocking Prerequisites") {
			t.Errorf("phase 2 = %+v, want its title kept and not blocked", p2)
		}
		for _, g := range tasks.Gates {
			if strings.Contains(g.Title, "Manual Testing") {
				t.Errorf("the manual-testing list is not a gate: %+v", g)
			}
		}
		if g := gateOfKind(tasks, "checkpoint"); g == nil {
			t.Error("no checkpoint gates read")
		}
		lsPlan := doc("11me__light-session/specs/001-lightsession-chatgpt/plan.md")
		g := gateOfKind(lsPlan, "constitution")
		if g == nil || g.Total == 0 || g.Done != g.Total || g.Result != plan.Complete || g.Line != 41 {
			t.Errorf("Constitution Check gate = %+v", g)
		}
		cl := doc("11me__light-session/specs/001-lightsession-chatgpt/checklists/requirements.md")
		if g := gateOfKind(cl, "checklist"); cl.Status != plan.Complete || cl.StatusLine != 40 || g == nil || g.Done != 16 || g.Total != 16 || g.Result != plan.Complete {
			t.Errorf("checklist: %s line %d gate %+v", cl.Status, cl.StatusLine, g)
		}
		ls := doc("11me__light-session/specs/001-lightsession-chatgpt/tasks.md")
		if ls.Status != plan.NotStarted || ls.Completion.Done != 0 || len(ls.Tasks) == 0 {
			t.Errorf("light-session tasks: %s %d/%d %d tasks", ls.Status, ls.Completion.Done, ls.Completion.Total, len(ls.Tasks))
		}
	})

	t.Run("kiro", func(t *testing.T) {
		osml := doc("awslabs__osml-model-runner/.kiro/specs/capacity-based-throttling/tasks.md")
		if osml.Convention != plan.ConvKiro || osml.Status != plan.InProgress {
			t.Errorf("osml: %s %s", osml.Convention, osml.Status)
		}
		// MANIFEST §2: 54/83 with optional tasks counted; optional work is apart.
		c := osml.Completion
		if c.Done+c.OptionalDone != 54 || c.Total+c.OptionalTotal != 83 || c.OptionalTotal == 0 {
			t.Errorf("osml completion %+v", c)
		}
		if t22 := taskByID(osml, "2.2"); t22 == nil || !t22.Optional || t22.Status != plan.NotStarted {
			t.Errorf("2.2 = %+v, want optional and open", t22)
		}
		if t11 := taskByID(osml, "1.1"); t11 == nil || t11.Status != plan.Complete || strings.Join(t11.Refs, ",") != "5.1,5.2,5.3,5.4,5.5,8.5" {
			t.Errorf("1.1 = %+v", t11)
		}
		// The parent box is open while most children are done: both figures.
		if p2 := taskByID(osml, "2"); p2 == nil || p2.Status != plan.NotStarted || p2.Done == 0 {
			t.Errorf("2 = %+v", p2)
		}
		audio := doc("chrisns__AudioCap/.kiro/specs/audiocap-testing/tasks.md")
		if t5 := taskByID(audio, "5"); t5 == nil || t5.Status != plan.InProgress {
			t.Errorf("AudioCap [-] 5. = %+v", t5)
		}
		if t21 := taskByID(audio, "2.1"); t21 == nil || t21.Status != plan.Complete {
			t.Errorf("AudioCap nested 2.1 = %+v", t21)
		}
		if !strings.HasPrefix(audio.Title, "Audiocap testing") {
			t.Errorf("title %q, want the feature directory's", audio.Title)
		}
	})

	t.Run("gsd", func(t *testing.T) {
		st := doc("0xc0re__godot-mcp/.planning/STATE.md")
		if st.Convention != plan.ConvGSD || st.Status != plan.InProgress || st.Completion.Declared == nil || *st.Completion.Declared != 90 ||
			st.Updated == nil || *st.Updated != "2026-03-04T05:46:33Z" {
			t.Errorf("godot STATE: %s %v %v", st.Status, st.Completion.Declared, st.Updated)
		}
		old := doc("21st-dev__ancode/.planning/STATE.md")
		if old.Status != plan.Complete || old.StatusLine != 14 {
			t.Errorf("ancode prose STATE: %s %q line %d", old.Status, old.StatusText, old.StatusLine)
		}
		p := doc("0xc0re__godot-mcp/.planning/phases/08-runtime-inspection-reload/08-02-PLAN.md")
		if p.Order != "08-02" || len(p.Tasks) == 0 || p.Tasks[0].ID != "1" || !strings.HasPrefix(p.Tasks[0].Title, "Add restart_project tool") {
			t.Errorf("08-02-PLAN: order %q tasks %+v", p.Order, p.Tasks)
		}
		if p.Meta["depends-on"] != "08-01" {
			t.Errorf("depends_on block list = %q", p.Meta["depends-on"])
		}
		flow := doc("21st-dev__ancode/.planning/phases/05-aws-bedrock-authentication/05-05-PLAN.md")
		if flow.Meta["depends-on"] != "05-02, 05-03, 05-04" || gateOfKind(flow, "checkpoint") == nil {
			t.Errorf("05-05-PLAN: depends-on %q gates %+v", flow.Meta["depends-on"], flow.Gates)
		}
		// ROADMAP: the plans are the work (4 of 16 in ancode's is wrong: it
		// mixed phase and plan boxes); requirement ids are tasks too.
		road := doc("21st-dev__ancode/.planning/ROADMAP.md")
		if p := taskByID(road, "05-05"); p == nil || p.Status != plan.NotStarted || !strings.HasPrefix(p.Title, "Claude Integration") || road.Completion.Total != len(road.Tasks) {
			t.Errorf("ancode ROADMAP: %+v, %d/%d, %d tasks", p, road.Completion.Done, road.Completion.Total, len(road.Tasks))
		}
		if r := taskByID(doc("0xc0re__godot-mcp/.planning/REQUIREMENTS.md"), "COMP-01"); r == nil || r.Status != plan.Complete {
			t.Errorf("requirement COMP-01 = %+v", r)
		}
		v := doc("0xc0re__godot-mcp/.planning/phases/07-animation-tilemap/07-VERIFICATION.md")
		if g := gateOfKind(v, "verification"); v.Status != plan.Complete || g == nil || g.Result != plan.Complete || g.Done != 11 || g.Total != 11 {
			t.Errorf("VERIFICATION: %s %+v", v.Status, g)
		}
		bad := doc("0xc0re__godot-mcp/.planning/phases/07-animation-tilemap/07-03-SUMMARY.md")
		if !hasProblem(bad, "front-matter-invalid", 0) || bad.Convention != plan.ConvGSD || bad.Status != plan.Complete {
			t.Errorf("invalid YAML SUMMARY: %+v", bad.Problems)
		}
	})

	t.Run("kiro traces", func(t *testing.T) {
		// "_Requirements: 5.1, 5.2_" places each criterion in the spec's
		// requirements.md, and that document gives each criterion its anchor.
		const spec = "awslabs__osml-model-runner/.kiro/specs/capacity-based-throttling/"
		d := doc(spec + "tasks.md")
		n := 0
		for _, tk := range d.Tasks {
			for _, tr := range tk.Traces {
				n++
				if tr.Doc != spec+"requirements.md" || tr.Anchor != "requirement-"+strings.ReplaceAll(tr.Ref, ".", "-") || tr.Line <= tk.Line {
					t.Errorf("task %s trace %+v", tk.ID, tr)
				}
			}
		}
		if t11 := taskByID(d, "1.1"); t11 == nil || len(t11.Traces) == 0 || t11.Traces[0].Ref != "5.1" || t11.Traces[0].Line != 12 {
			t.Errorf("task 1.1 traces %+v", t11)
		}
		if n < 50 {
			t.Errorf("%d traces read, want every numbered ref of the tasks file", n)
		}
		raw, err := os.ReadFile(filepath.Join(testcorpus.Conventions(t), spec+"requirements.md"))
		if err != nil {
			t.Fatal(err)
		}
		res := Extract(spec+"requirements.md", raw, Options{})
		ids := map[string]bool{}
		_ = ast.Walk(res.AST, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if id, ok := n.AttributeString("id"); entering && ok && n.Kind() == ast.KindListItem {
				ids[string(id.([]byte))] = true
			}
			return ast.WalkContinue, nil
		})
		for _, tk := range d.Tasks {
			for _, tr := range tk.Traces {
				if !ids[tr.Anchor] {
					t.Errorf("task %s traces to %s: no criterion has the anchor %s", tk.ID, tr.Ref, tr.Anchor)
				}
			}
		}
	})

	t.Run("bmad", func(t *testing.T) {
		cases := []struct {
			rel, status string
			done, total int
		}{
			{"ALLiDoizCode__Permaweb-MCP/docs/stories/10.3.story.md", plan.Complete, 0, 30}, // Done, none of its 30 task boxes ticked
			{"ALLiDoizCode__Permaweb-MCP/docs/stories/10.4.story.md", plan.NotStarted, 0, -1},
			{"ALLiDoizCode__Permaweb-MCP/docs/stories/4.1.story.md", plan.Deferred, 0, 56},
			{"ALLiDoizCode__Permaweb-MCP/docs/stories/7.4.story.md", plan.InProgress, -1, -1},
			{"ALLiDoizCode__Permaweb-MCP/docs/stories/12.1.send-ao-message-tool.story.md", plan.Complete, -1, -1},
			{"7-central__security-design-assistant/docs/stories/4.3.2.story.md", plan.Complete, -1, -1},
			{"7-central__security-design-assistant/docs/stories/4.3.3.story.md", plan.Complete, -1, -1},
			{"7-central__security-design-assistant/docs/stories/4.4.story.md", plan.Complete, -1, -1},
		}
		for _, c := range cases {
			d := doc(c.rel)
			if d.Convention != plan.ConvBMAD || d.Status != c.status || c.done >= 0 && d.Completion.Done != c.done || c.total >= 0 && d.Completion.Total != c.total {
				t.Errorf("%s: %s %s %q %d/%d, want %s", c.rel, d.Convention, d.Status, d.StatusText, d.Completion.Done, d.Completion.Total, c.status)
			}
		}
		s101 := doc("ALLiDoizCode__Permaweb-MCP/docs/stories/10.1.story.md")
		t1 := taskByID(s101, "1")
		if t1 == nil || t1.Title != "Create ArNS Tool Directory Structure" || strings.Join(t1.Refs, ",") != "AC 1" {
			t.Errorf("10.1 task 1 = %+v", t1)
		}
		// The Dev Agent Record's model, the Change Log's authors and the QA
		// reviewer are the story's agents, each at the line naming it.
		if got, want := agentsOf(t1), "claude-code author 341, claude-code primary 348, quinn review 388"; got != want {
			t.Errorf("10.1 task 1 agents = %s, want %s", got, want)
		}
		s431 := doc("7-central__security-design-assistant/docs/stories/4.3.1.story.md")
		if got, want := agentsOf(s431.Tasks[0]), "claude-opus-4-1 primary 240, quinn review 369, claude author 435, bob author 436, james author 439, quinn author 441"; got != want {
			t.Errorf("4.3.1 agents = %s, want %s", got, want)
		}
		// "claude-opus-4-1-20250805 (James - Full Stack Developer)": the model, without its date.
		if got := agentsOf(doc("7-central__security-design-assistant/docs/stories/4.3.2.story.md").Tasks[0]); !strings.HasPrefix(got, "claude-opus-4-1 primary 385") {
			t.Errorf("4.3.2 agents = %s", got)
		}
		// "_To be completed by development agent_" is the template's hint.
		for _, tk := range doc("ALLiDoizCode__Permaweb-MCP/docs/stories/4.1.story.md").Tasks {
			for _, a := range tk.Agents {
				if a.Role == plan.RolePrimary {
					t.Errorf("4.1 task %s has a dev agent %q", tk.ID, a.Name)
				}
			}
		}
		if g := gateOfKind(s101, "qa"); g == nil || g.Result != plan.Complete || g.Line != 441 {
			t.Errorf("10.1 QA gate = %+v", g)
		}
		if g := gateOfKind(doc("ALLiDoizCode__Permaweb-MCP/docs/stories/10.4.story.md"), "qa"); g == nil || g.Result != plan.Failed {
			t.Errorf("10.4 QA gate = %+v", g)
		}
	})

	t.Run("adr", func(t *testing.T) {
		old := doc("thomvaill__log4brains/docs/adr/20200926-use-the-adr-number-as-its-unique-id.md")
		if old.Convention != plan.ConvADR || old.Status != plan.Complete || !strings.HasPrefix(old.StatusText, "superseded by") ||
			old.Updated == nil || *old.Updated != "2020-09-26" || old.Order != "20200926" {
			t.Errorf("MADR superseded: %s %q %v %q", old.Status, old.StatusText, old.Updated, old.Order)
		}
		if k := linkKinds(old)["20201016-use-the-adr-slug-as-its-unique-id.md"]; k != "superseded-by" {
			t.Errorf("superseded-by link kind %q", k)
		}
		if k := linkKinds(doc("thomvaill__log4brains/docs/adr/20201016-use-the-adr-slug-as-its-unique-id.md"))["20200926-use-the-adr-number-as-its-unique-id.md"]; k != "supersedes" {
			t.Errorf("supersedes link kind %q", k)
		}
		ny := doc("goaikit__aikit/docs/adr/0009-aikit-is-the-in-process-backend.md")
		kinds := linkKinds(ny)
		if ny.Status != plan.Complete || ny.StatusLine != 5 || kinds["0006-runner-backend-key-cursor-rename.md"] != "revises" || kinds["0007-backend-transport-seam.md"] != "revises" {
			t.Errorf("Nygard 0009: %s line %d kinds %v", ny.Status, ny.StatusLine, kinds)
		}
		if k := linkKinds(doc("goaikit__aikit/docs/adr/0016-serve-emits-canonical-events-no-streamframe-no-back-compat.md")); len(k) != 1 {
			t.Errorf("0016 kinds %v, want one realizes", k)
		}
		if none := doc("goaikit__aikit/docs/adr/0001-magictool-standalone-crate-over-aikit-sdk.md"); none.Status != plan.Unknown || hasProblem(none, "unknown-status", 0) {
			t.Errorf("0001 has no Status section: %s %+v", none.Status, none.Problems)
		}
	})

	t.Run("roadmap and memory bank", func(t *testing.T) {
		r := doc("nicholasjconn__agent-layer/docs/agent-layer/ROADMAP.md")
		if r.Convention != plan.ConvRoadmap || len(r.Phases) != 9 {
			t.Fatalf("ROADMAP: %s, %d phases", r.Convention, len(r.Phases))
		}
		if p1 := phaseByNumber(r, "1"); p1 == nil || p1.Status != plan.Complete || p1.Title != "Define the vNext contract (docs-first)" {
			t.Errorf("phase 1 = %+v", p1)
		}
		// All 8 tasks ticked, no ✅ yet: completion is derived.
		if p8 := phaseByNumber(r, "8"); p8 == nil || p8.Status != plan.Complete || p8.Done != 8 || p8.Total != 8 {
			t.Errorf("phase 8 = %+v", p8)
		}
		iss := doc("nicholasjconn__agent-layer/docs/agent-layer/ISSUES.md")
		if len(iss.Worklog) == 0 || iss.Worklog[0].Kind != "work" || !strings.HasPrefix(iss.Worklog[0].Title, "Issue ") {
			t.Errorf("ISSUES entries: %+v", iss.Worklog)
		}
		if dec := doc("nicholasjconn__agent-layer/docs/agent-layer/DECISIONS.md"); len(dec.Worklog) == 0 || dec.Worklog[0].Kind != "decision" {
			t.Errorf("DECISIONS entries: %+v", dec.Worklog)
		}
		mb := doc("0xsyncroot__moonx-farm/memory-bank/activeContext.md")
		// "90% Complete" is a figure, not a finished project.
		if mb.Convention != plan.ConvMemoryBank || mb.Status != plan.InProgress || mb.Updated == nil || *mb.Updated != "2025-01-16" {
			t.Errorf("activeContext: %s %s %v", mb.Convention, mb.Status, mb.Updated)
		}
		if p := doc("0xsyncroot__moonx-farm/memory-bank/progress.md"); p.Meta["version"] != "v2.2" || p.Updated == nil || *p.Updated != "2025-01-17" {
			t.Errorf("progress.md Vietnamese keys: %v %v", p.Meta, p.Updated)
		}
	})
}

// TestConventionsOwnTestdata reads our own documents of every convention
// (testdata/conventions), so that a clone with no corpus beside it tests
// every recognizer too.
func TestConventionsOwnTestdata(t *testing.T) {
	dir := testcorpus.Testdata(t, "conventions")
	doc := func(rel string) *plan.Doc { return readIn(t, dir, rel) }

	tasks := doc("specs/004-export-csv/tasks.md")
	if tasks.Convention != plan.ConvSpecKit || len(tasks.Tasks) != 5 || tasks.Completion.Done != 3 || tasks.Completion.Total != 5 || tasks.Status != plan.InProgress {
		t.Errorf("spec-kit tasks: %s %d tasks %d/%d %s", tasks.Convention, len(tasks.Tasks), tasks.Completion.Done, tasks.Completion.Total, tasks.Status)
	}
	if t4 := taskByID(tasks, "T004"); t4 == nil || !t4.Parallel || t4.Story != "US1" || t4.Title != "Stream rows to the response in internal/export/stream.go" {
		t.Errorf("T004 = %+v", t4)
	}
	if g := gateOfKind(tasks, "checkpoint"); g == nil || g.Phase != "2" || g.Done != 1 || g.Total != 2 {
		t.Errorf("checkpoint = %+v", g)
	}
	if spec := doc("specs/004-export-csv/spec.md"); len(spec.Tasks) != 0 || spec.Status != plan.NotStarted {
		t.Errorf("spec.md: numbered sections read as tasks %+v, status %s", spec.Tasks, spec.Status)
	}
	if g := gateOfKind(doc("specs/004-export-csv/plan.md"), "constitution"); g == nil || g.Done != 2 || g.Total != 3 || g.Result != plan.Complete {
		t.Errorf("constitution gate = %+v", g)
	}

	kiro := doc(".kiro/specs/offline-sync/tasks.md")
	c := kiro.Completion
	if c.Done != 3 || c.Total != 6 || c.OptionalDone != 0 || c.OptionalTotal != 1 || kiro.Status != plan.InProgress {
		t.Errorf("kiro: %+v %s", c, kiro.Status)
	}
	if t2 := taskByID(kiro, "2"); t2 == nil || t2.Status != plan.InProgress || t2.Done != 1 || t2.Total != 2 {
		t.Errorf("kiro 2 = %+v", t2)
	}
	if t22 := taskByID(kiro, "2.2"); t22 == nil || strings.Join(t22.Refs, ",") != "2.1" {
		t.Errorf("kiro 2.2 = %+v", t22)
	}

	st := doc(".planning/STATE.md")
	if st.Status != plan.InProgress || st.Completion.Declared == nil || *st.Completion.Declared != 25 || st.MetaLines["status"] != 4 {
		t.Errorf("GSD STATE: %s %v %v", st.Status, st.Completion.Declared, st.MetaLines)
	}
	p2 := doc(".planning/phases/02-import/02-02-PLAN.md")
	if len(p2.Tasks) != 2 || p2.Tasks[1].Title != "A person checks ten merged contacts" || gateOfKind(p2, "checkpoint") == nil || p2.Meta["depends-on"] != "02-01" {
		t.Errorf("GSD plan: tasks %+v gates %+v meta %v", p2.Tasks, p2.Gates, p2.Meta)
	}
	// Its title is its number and its objective; its <success_criteria>
	// boxes are a gate, not work done.
	// What a task says ("Merge rule: …") is not a field of the plan.
	if p2.Meta["merge-rule"] != "" {
		t.Errorf("a task's line read as the plan's field: %v", p2.Meta)
	}
	if p2.Title != "Plan 02-02: Merge contacts that the import found twice" || p2.Completion.Total != 0 {
		t.Errorf("GSD plan title %q, completion %+v", p2.Title, p2.Completion)
	}
	if g := gateOfKind(p2, "checklist"); g == nil || g.Title != "Success criteria" || g.Done != 1 || g.Total != 2 || g.Line != 38 {
		t.Errorf("GSD success criteria gate %+v", g)
	}
	// Context references are links from the repository root, in the
	// <context> block and in the paragraph after it; a path on the author's
	// machine stays text.
	var refs []string
	for _, l := range p2.Links {
		if l.Kind == plan.LinkContext {
			refs = append(refs, fmt.Sprintf("%d %s %s", l.Line, l.Text, l.Target))
		}
	}
	if got, want := strings.Join(refs, "; "), "18 @.planning/STATE.md ../../../.planning/STATE.md; "+
		"19 @.planning/phases/02-import/02-01-SUMMARY.md ../../../.planning/phases/02-import/02-01-SUMMARY.md; "+
		"21 @.planning/phases/02-import/02-01-PLAN.md ../../../.planning/phases/02-import/02-01-PLAN.md; "+
		"22 @src/import/merge_rules.go ../../../src/import/merge_rules.go"; got != want {
		t.Errorf("GSD context references:\n got %s\nwant %s", got, want)
	}

	story := doc("docs/stories/3.1.story.md")
	if story.Status != plan.InProgress || story.Completion.Done != 3 || story.Completion.Total != 5 {
		t.Errorf("BMAD story: %s %d/%d", story.Status, story.Completion.Done, story.Completion.Total)
	}
	if t2 := taskByID(story, "2"); t2 == nil || strings.Join(t2.Refs, ",") != "AC 2,AC 3" ||
		agentsOf(t2) != "bob author 19, james author 20, claude-sonnet-4 primary 26, quinn review 30" {
		t.Errorf("BMAD task 2 = %+v, agents %s", t2, agentsOf(t2))
	}
	if g := gateOfKind(story, "qa"); g == nil || g.Result != plan.InProgress || len(story.Gates) != 1 {
		t.Errorf("BMAD gates = %+v (the improvements checklist is not a gate)", story.Gates)
	}
	if s := doc("docs/stories/3.2.story.md"); s.Status != plan.NotStarted {
		t.Errorf("Approved story: %s", s.Status)
	}

	if a := doc("docs/adr/0003-move-the-ledger-to-a-document-store.md"); a.Status != plan.Failed {
		t.Errorf("rejected ADR: %s", a.Status)
	}
	a2 := doc("docs/adr/0002-store-dates-with-zone.md")
	if k := linkKinds(a2); a2.Status != plan.Complete || len(k) != 1 || k["0001-store-dates-in-utc.md"] == "" {
		t.Errorf("ADR 0002: %s kinds %v", a2.Status, k)
	}

	road := doc("ROADMAP.md")
	if p1, p3 := phaseByNumber(road, "1"), phaseByNumber(road, "3"); p1 == nil || p1.Status != plan.Complete || p3 == nil || p3.Done != 1 || p3.Total != 2 {
		t.Errorf("roadmap phases %+v %+v (ordered-list boxes count)", p1, p3)
	}

	if dec := doc("DECISIONS.md"); len(dec.Worklog) != 2 || dec.Worklog[1].Kind != "decision" || *dec.Worklog[1].Time != "2026-09-28" || dec.Worklog[1].Line != 9 {
		t.Errorf("decision entries: %+v", dec.Worklog)
	}
	mb := doc("memory-bank/progress.md")
	if mb.Status != plan.InProgress || mb.Completion.Declared == nil || *mb.Completion.Declared != 70 || mb.Updated == nil || *mb.Updated != "2026-10-21" || mb.Meta["version"] != "v0.4" {
		t.Errorf("memory bank: %s %v %v %v", mb.Status, mb.Completion.Declared, mb.Updated, mb.Meta)
	}

	zh := doc("i18n/phase-2-zh.md")
	if zh.Status != plan.InProgress || zh.Completion.Declared == nil || *zh.Completion.Declared != 60 || zh.Updated == nil || *zh.Updated != "2026-10-06" || zh.Meta["assigned"] != "import-engineer" {
		t.Errorf("Chinese keys: %s %v %v %v", zh.Status, zh.Completion.Declared, zh.Updated, zh.Meta)
	}
	if !strings.Contains(zh.Meta["next"], "phase-3-es.md") || zh.Meta["prev"] != "phase-1-fr.md" {
		t.Errorf("blockquote Next and arrow previous: %v", zh.Meta)
	}
	if fr := doc("i18n/phase-1-fr.md"); fr.Status != plan.Complete || fr.Updated == nil {
		t.Errorf("French keys: %s %v", fr.Status, fr.Updated)
	}
	if es := doc("i18n/phase-3-es.md"); es.Status != plan.InProgress || es.Title != "Fase 3 - Exportación" || es.StatusLine != 3 {
		t.Errorf("front matter wins: %s %q line %d", es.Status, es.Title, es.StatusLine)
	}
	unk := doc("i18n/unknown-status.md")
	if unk.Status != plan.Unknown || unk.StatusText != "Smouldering" || !hasProblem(unk, "unknown-status", 3) || unk.Meta["test-status"] != "xanh" {
		t.Errorf("unknown word: %s %q %+v %v", unk.Status, unk.StatusText, unk.Problems, unk.Meta)
	}
	// A site maps its own words.
	b, _ := os.ReadFile(filepath.Join(dir, "i18n", "unknown-status.md"))
	var opts Options
	opts.SiteWords(map[string]string{"Smouldering": plan.Blocked}, map[string]string{"Trạng thái kiểm thử": "QA"})
	mapped := Extract("i18n/unknown-status.md", b, opts).Doc
	if mapped.Status != plan.Blocked || hasProblem(mapped, "unknown-status", 0) || mapped.Meta["qa"] != "xanh" {
		t.Errorf("mapped: %s %+v %v", mapped.Status, mapped.Problems, mapped.Meta)
	}
}

func TestGitHubSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Phase 1: Setup (Project Init)": "phase-1-setup-project-init",
		"Phase 1 ✅ — Setup":             "phase-1---setup",
		"Release v1.2":                  "release-v12",
		"snake_case and kebab-case":     "snake_case-and-kebab-case",
		"Đang thực hiện":                "đang-thực-hiện",
		"第二阶段：数据导入":                     "第二阶段数据导入",
	} {
		if got := GitHubSlug(in); got != want {
			t.Errorf("GitHubSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

// agentsOf lists a task's agents as "name role line, …".
func agentsOf(t *plan.Task) string {
	var out []string
	for _, a := range t.Agents {
		out = append(out, fmt.Sprintf("%s %s %d", a.Name, a.Role, a.Line))
	}
	return strings.Join(out, ", ")
}

// TestRelationKindsHaveInverses: every relation a decision can write is one
// the decision log can read the other way and say.
func TestRelationKindsHaveInverses(t *testing.T) {
	for _, r := range relationVocab {
		k, ok := plan.RelationKinds[r.kind]
		if !ok || k.Label == "" || plan.RelationKinds[k.Inverse].Inverse != r.kind {
			t.Errorf("relation %q: %+v, its inverse %+v", r.kind, k, plan.RelationKinds[k.Inverse])
		}
	}
}
