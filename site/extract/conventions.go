package extract

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/plansite/plansite/site/plan"
)

// The recognizers, one per convention (conventions/MANIFEST.md §1–6).

// --- GitHub spec-kit: specs/NNN-slug/{spec,plan,research,tasks}.md, checklists/.

var (
	specKitTaskRe     = regexp.MustCompile(`^(T\d{3,})\b\s*((?:\[[^\]]*\]\s*)*)(.*)$`) // T015 [P] [US1] Description
	specKitFlagRe     = regexp.MustCompile(`\[([^\]]*)\]`)
	gateMarkRe        = regexp.MustCompile(`^\s*[*_]+GATE[*_]*:`) // *GATE: Must pass before Phase 0 research.*
	checkpointRe      = regexp.MustCompile(`^\s*\*\*Checkpoint\*\*\s*:\s*(.*)$`)
	gateResultRe      = regexp.MustCompile(`^\s*\*\*GATE RESULT\*\*\s*:\s*(.*)$`)
	checklistStatusRe = regexp.MustCompile(`^\s*\*\*Status\*\*\s*:\s*(.*)$`)
)

var specKit = &recognizer{
	name:           plan.ConvSpecKit,
	paths:          []string{"specs/[0-9]*-*/*.md", "specs/[0-9]*-*/checklists/*.md"},
	boxStatus:      func(w *walker) bool { return isTasksFile(w) || strings.Contains(w.doc.Source, "/checklists/") },
	phaseBoxStatus: true,
	noHeadingTasks: true,
	ownGates:       true,
	glyphItems:     true,
	item: func(_ *walker, text string) (taskItem, bool) {
		m := specKitTaskRe.FindStringSubmatch(strings.TrimSpace(text))
		if m == nil {
			return taskItem{}, false
		}
		t := taskItem{id: m[1], title: m[3]}
		for _, f := range specKitFlagRe.FindAllStringSubmatch(m[2], -1) {
			switch flag := strings.TrimSpace(f[1]); {
			case flag == "P":
				t.parallel = true
			case strings.HasPrefix(flag, "US"):
				t.story = flag
			}
		}
		return t, true
	},
	// In tasks.md only the T-tasks are the work; a manual-testing list
	// beside them is not.
	countBox: func(w *walker) bool { return !isTasksFile(w) },
	line: func(w *walker, l srcLine, _ *plan.Task) bool {
		switch {
		case gateMarkRe.MatchString(l.text):
			// The section this line opens is a gate: its ✅ items are its checks.
			if top := w.top(); top != nil {
				top.gateLike = true
				g := w.sectionGate(top)
				g.Kind = plan.GateConstitution
			}
			return true
		case checkpointRe.MatchString(l.text):
			m := checkpointRe.FindStringSubmatch(l.text)
			g := &plan.Gate{Title: "Checkpoint: " + stripInline(m[1]), Kind: plan.GateCheckpoint, Line: l.line, Anchor: w.topAnchor()}
			if p := w.curPhase(); p != nil {
				g.Phase = p.Number
			}
			w.doc.Gates = append(w.doc.Gates, g)
			w.trace(l.line, "gate", "checkpoint %q", g.Title)
			return true
		case strings.Contains(w.doc.Source, "/checklists/") && checklistStatusRe.MatchString(l.text) && w.statusPara.line == 0:
			// A checklist's verdict: "**Status**: ✅ PASSED - Ready for planning".
			m := checklistStatusRe.FindStringSubmatch(l.text)
			w.statusPara = field{key: "status", label: "Status", value: m[1], line: l.line}
			w.trace(l.line, "status", "the checklist's verdict %q", stripInline(m[1]))
			return true
		case gateResultRe.MatchString(l.text):
			m := gateResultRe.FindStringSubmatch(l.text)
			if g := w.lastGate(); g != nil {
				g.Result = w.normStatus(m[1])
				w.trace(l.line, "gate", "result %q of %q", stripInline(m[1]), g.Title)
			}
			return true
		}
		return false
	},
	finish: func(w *walker) {
		// A checkpoint passes with its phase: its checks are the phase's tasks.
		for _, g := range w.doc.Gates {
			if g.Kind != plan.GateCheckpoint {
				continue
			}
			if p := w.phaseByNum[strings.ToLower(g.Phase)]; p != nil {
				g.Done, g.Total = p.Done, p.Total
			}
		}
		// Every box of a checklist is a check of the spec.
		if strings.Contains(w.doc.Source, "/checklists/") {
			g := &plan.Gate{Title: w.doc.Title, Kind: plan.GateChecklist, Line: 1, Done: w.doc.Completion.Done, Total: w.doc.Completion.Total, Result: w.checklistResult()}
			if len(w.doc.Headings) > 0 {
				g.Line, g.Anchor = w.doc.Headings[0].Line, w.doc.Headings[0].Anchor
			}
			if len(w.doc.Gates) == 0 {
				w.doc.Gates = append(w.doc.Gates, g)
			}
		}
	},
}

// --- Kiro: .kiro/specs/<feature>/{requirements,design,tasks}.md.

var (
	kiroTaskRe = regexp.MustCompile(`^(\d+(?:\.\d+)*)\.?\s+(\S.*)$`) // 1. Title, 1.1 Title
	kiroRefsRe = regexp.MustCompile(`^\s*[_*]*(?:Requirements|Validates:\s*Requirements)\s*:?\s*(.*?)[_*]*\s*$`)
	refSplitRe = regexp.MustCompile(`\s*,\s*|\s+and\s+`)
)

var kiro = &recognizer{
	name:           plan.ConvKiro,
	paths:          []string{".kiro/specs/*/*.md", ".kiro/specs/*.md"},
	boxStatus:      isTasksFile,
	nestedTasks:    true,
	phaseBoxStatus: true,
	noHeadingTasks: true,
	ownGates:       true,
	item:           idTitleItem(kiroTaskRe),
	line: func(w *walker, l srcLine, t *plan.Task) bool {
		m := kiroRefsRe.FindStringSubmatch(trimBullet(l.text))
		if t == nil || m == nil {
			return false
		}
		for _, r := range refSplitRe.Split(stripInline(m[1]), -1) {
			if r = strings.TrimSpace(r); r != "" && !contains(t.Refs, r) {
				t.Refs = append(t.Refs, r)
				if kiroRefRe.MatchString(r) {
					// "1.2": criterion 2 of requirement 1, in the spec's requirements.md.
					t.Traces = append(t.Traces, &plan.Trace{Ref: r, Doc: path.Join(path.Dir(w.doc.Source), kiroRequirements),
						Anchor: kiroAnchor(r), Line: l.line})
				}
			}
		}
		w.trace(l.line, "task", "%s traces to requirements %s", t.ID, strings.Join(t.Refs, ", "))
		return true
	},
	finish: func(w *walker) {
		if strings.EqualFold(path.Base(w.doc.Source), kiroRequirements) {
			w.criteriaAnchors()
		}
		// The title is the feature directory's; the H1 is fixed by the convention.
		if dir := path.Base(path.Dir(w.doc.Source)); dir != "specs" {
			w.doc.Title = titleFromPath(dir) + ": " + w.doc.Title
		}
		// A parent's figures are its sub-tasks' (its own box is ticked by hand).
		for _, p := range w.doc.Tasks {
			if strings.Contains(p.ID, ".") {
				continue
			}
			done, total := 0, 0
			for _, c := range w.doc.Tasks {
				if strings.HasPrefix(c.ID, p.ID+".") && !c.Optional {
					total++
					if c.Status == plan.Complete {
						done++
					}
				}
			}
			if total > 0 {
				p.Done, p.Total = done, total
			}
		}
	},
}

// Kiro's requirements.md holds "### Requirement R" sections whose numbered
// acceptance criteria tasks trace to as "R.C".
const kiroRequirements = "requirements.md"

var (
	kiroRefRe     = regexp.MustCompile(`^\d+(?:\.\d+)?$`)
	requirementRe = regexp.MustCompile(`(?i)^requirement\s+(\d+)\b`)
)

// kiroAnchor is the anchor of a requirement ("3": its heading's) or of an
// acceptance criterion ("3.2") on the page of requirements.md.
func kiroAnchor(ref string) string {
	return "requirement-" + strings.ReplaceAll(ref, ".", "-")
}

// criteriaAnchors gives each acceptance criterion of requirements.md (the
// first numbered list of a "Requirement R" section) the anchor traces link
// to, "requirement-R-C".
func (w *walker) criteriaAnchors() {
	taken := map[string]bool{}
	for _, h := range w.doc.Headings {
		taken[h.Anchor] = true
	}
	req, level := "", 0
	for c := w.root.FirstChild(); c != nil; c = c.NextSibling() {
		switch n := c.(type) {
		case *ast.Heading:
			if m := requirementRe.FindStringSubmatch(cleanHeading(w.plain(n))); m != nil {
				req, level = m[1], n.Level
			} else if n.Level <= level {
				req = ""
			}
		case *ast.List:
			if req == "" || !n.IsOrdered() {
				continue
			}
			c := n.Start
			for li := n.FirstChild(); li != nil; li = li.NextSibling() {
				if id := kiroAnchor(req + "." + strconv.Itoa(c)); !taken[id] {
					li.SetAttributeString("id", []byte(id))
					w.trace(w.nodeLine(li), "requirement", "%s.%d, anchor %s", req, c, id)
				}
				c++
			}
			req = "" // later lists of the section are not its criteria
		}
	}
}

// --- GSD (get-shit-done): .planning/ STATE, ROADMAP, phases/NN-slug/NN-MM-PLAN.md.

var (
	gsdPlanFileRe = regexp.MustCompile(`^(\d+)-(\d+)-(plan|summary)\.md$`)
	gsdPlanItemRe = regexp.MustCompile(`^(\d{2,}-\d{2,})(?:-PLAN\.md)?\s*(?::|--|[–—])?\s*(.*)$`)
	gsdTaskOpenRe = regexp.MustCompile(`^\s*<task\b([^>]*)>`)
	gsdNameRe     = regexp.MustCompile(`<name>\s*(.*?)\s*</name>`)
	gsdTaskIDRe   = regexp.MustCompile(`^(?i:task)\s+(\d+[a-z]?)\s*[:.–—-]\s*(.*)$`)
	gsdAttrRe     = regexp.MustCompile(`(\w+)="([^"]*)"`)
	scoreRe       = regexp.MustCompile(`^\s*(\d+)\s*/\s*(\d+)`)
)

var gsd = &recognizer{
	name:      plan.ConvGSD,
	paths:     []string{".planning/**/*.md"},
	frontKeys: []string{"gsd_state_version"},
	statuses: map[string]string{
		"executing": plan.InProgress, "in_progress": plan.InProgress, "in-progress": plan.InProgress, "in progress": plan.InProgress, "active": plan.InProgress,
		"complete": plan.Complete, "completed": plan.Complete, "passed": plan.Complete,
		"gaps_found": plan.Failed, "human_needed": plan.Blocked, "planned": plan.NotStarted, "planning": plan.NotStarted,
	},
	plainFields:      true,
	headerEndsAtTask: true,
	noHeadingTasks:   true,
	ownGates:         true,
	genericItems:     true,
	noDocPhase:       true,
	// ROADMAP.md lists each phase's plans: "- [x] 01-01: Title",
	// "- [ ] 08-01-PLAN.md -- Title". They are the work; the phase list
	// beside them repeats it.
	item:      idTitleItem(gsdPlanItemRe),
	countBox:  func(w *walker) bool { return !isRoadmap(w) },
	boxStatus: isRoadmap,
	boxGate:   gsdBoxGate,
	html: func(w *walker, ls []srcLine) {
		// <objective> opens a plan and says what it is for.
		if len(ls) > 1 && strings.TrimSpace(ls[0].text) == "<objective>" && w.gsdObjective == "" {
			w.gsdObjective = strings.TrimSpace(ls[1].text)
		}
		for _, l := range ls {
			if m := gsdTaskOpenRe.FindStringSubmatch(l.text); m != nil {
				attrs := map[string]string{}
				for _, a := range gsdAttrRe.FindAllStringSubmatch(m[1], -1) {
					attrs[a[1]] = a[2]
				}
				// A task until its <name> says more: "checkpoint:human-verify".
				t := &plan.Task{ID: strconv.Itoa(len(w.doc.Tasks) + 1), Title: attrs["type"], Status: plan.NotStarted, Line: l.line, Anchor: w.topAnchor()}
				w.doc.Tasks = append(w.doc.Tasks, t)
				w.gsdTask = t
				w.trace(t.Line, "task", "<task type=%q> %s", attrs["type"], t.ID)
				if typ := attrs["type"]; strings.HasPrefix(typ, "checkpoint") {
					g := &plan.Gate{Title: typ, Kind: plan.GateCheckpoint, Line: t.Line, Anchor: t.Anchor}
					w.doc.Gates = append(w.doc.Gates, g)
					w.gsdGate = g
					w.trace(t.Line, "gate", "%s, gate %q", typ, attrs["gate"])
				} else {
					w.gsdGate = nil
				}
			}
			m := gsdNameRe.FindStringSubmatch(l.text)
			if m == nil || w.gsdTask == nil {
				continue
			}
			t := w.gsdTask
			w.gsdTask = nil
			name := stripInline(m[1])
			if id := gsdTaskIDRe.FindStringSubmatch(name); id != nil {
				t.ID, t.Title = id[1], id[2]
			} else {
				t.Title = name
			}
			if w.gsdGate != nil {
				w.gsdGate.Title = t.Title
			}
			w.trace(l.line, "task", "<name> %s %q", t.ID, t.Title)
		}
	},
	order: func(source string, _ map[string]string) (string, string) {
		m := gsdPlanFileRe.FindStringSubmatch(strings.ToLower(path.Base(source)))
		if m == nil {
			return "", ""
		}
		// Plans of every phase form one series: 07-03 → 08-01 → 08-02.
		return path.Dir(path.Dir(source)), m[1] + "-" + m[2]
	},
	finish: func(w *walker) {
		w.contextRefs()
		base := strings.ToLower(path.Base(w.doc.Source))
		switch {
		case strings.HasSuffix(base, "-plan.md"):
			w.doc.Kind = plan.KindPlan
			// A plan has no title heading ("# …" lines in its <context> are
			// comments): it is its number and what its objective says.
			if w.doc.Order != "" {
				title := "Plan " + w.doc.Order
				if obj := firstSentence(stripInline(w.gsdObjective)); obj != "" {
					title += ": " + obj
				}
				w.doc.Title = title
				w.trace(1, "title", "%q, from the plan's number and its <objective>", title)
			}
		case base == "state.md":
			w.doc.Kind = plan.KindTracker
		case strings.HasSuffix(base, "-summary.md") && w.doc.Status == plan.Unknown:
			// A SUMMARY is written when its plan is done.
			w.doc.Status = plan.Complete
			w.trace(1, "status", "complete: a plan's SUMMARY is written when the plan is done")
		case strings.HasSuffix(base, "-verification.md"):
			// The phase check: its status is the verdict, its score the count.
			g := &plan.Gate{Title: w.doc.Title, Kind: plan.GateVerification, Line: w.doc.StatusLine, Result: w.doc.Status}
			if f, ok := w.header["score"]; ok {
				if m := scoreRe.FindStringSubmatch(f.value); m != nil {
					g.Done, _ = strconv.Atoi(m[1])
					g.Total, _ = strconv.Atoi(m[2])
				}
			}
			w.doc.Gates = append(w.doc.Gates, g)
		}
	},
}

// A GSD plan's boxes are not its work (its <task> blocks are): those in
// <success_criteria> are the criteria the plan must meet, those in a
// checkpoint task the checks a person makes. Each is a gate.
var gsdTagRe = regexp.MustCompile(`^\s*<(/?)(success_criteria|task)\b([^>]*)>\s*$`)

// gsdBlock is an XML-like block of a GSD plan, by lines.
type gsdBlock struct {
	tag, attrs string
	from, to   int
	gate       *plan.Gate
}

func gsdBoxGate(w *walker, line int) *plan.Gate {
	if w.gsdBlocks == nil {
		w.gsdBlocks = gsdBlocks(w.src)
	}
	for _, b := range w.gsdBlocks {
		if line <= b.from || line >= b.to {
			continue
		}
		switch {
		case b.tag == "success_criteria":
			if b.gate == nil {
				b.gate = &plan.Gate{Title: "Success criteria", Kind: plan.GateChecklist, Line: b.from}
				w.doc.Gates = append(w.doc.Gates, b.gate)
				w.trace(b.from, "gate", "<success_criteria>: the plan's criteria, not its work")
			}
			return b.gate
		case b.tag == "task" && strings.Contains(b.attrs, `"checkpoint`):
			for _, g := range w.doc.Gates {
				if g.Kind == plan.GateCheckpoint && g.Line == b.from {
					return g
				}
			}
		}
	}
	return nil
}

// gsdBlocks finds the <success_criteria> and <task> blocks of a plan: a
// line holding only the opening tag to the line holding only the closing one.
func gsdBlocks(src []byte) []*gsdBlock {
	out := []*gsdBlock{}
	var open *gsdBlock
	for i, l := range strings.Split(string(src), "\n") {
		if !strings.Contains(l, "<") {
			continue
		}
		m := gsdTagRe.FindStringSubmatch(l)
		switch {
		case m == nil:
		case m[1] == "" && open == nil:
			open = &gsdBlock{tag: m[2], attrs: m[3], from: i + 1}
		case m[1] == "/" && open != nil && m[2] == open.tag:
			open.to = i + 1
			out = append(out, open)
			open = nil
		}
	}
	return out
}

// --- BMAD: docs/stories/N.M.story.md; epics in docs/epics/ or docs/prd/.

var (
	bmadTaskRe   = regexp.MustCompile(`^(?:\*\*)?(?i:task)\s+(\d+[a-z]?)\s*[:.–—-]?\s*(.*)$`)
	bmadACRe     = regexp.MustCompile(`\(AC:?\s*([^)]*)\)`)
	bmadGateRe   = regexp.MustCompile(`^\s*(?:\*\*)?Gate(?:\*\*)?\s*:\s*(?:\*\*)?([A-Z]+)\b(.*)$`)
	storyFileRe  = regexp.MustCompile(`^(\d+(?:\.\d+)+)(?:\.[^.]+)?\.story\.md$|^(\d+(?:\.\d+)+)\.md$`)
	storyTitleRe = regexp.MustCompile(`^Story\s+\d+(?:\.\d+)+\s*:`)
)

var bmad = &recognizer{
	name:  plan.ConvBMAD,
	paths: []string{"docs/stories/*.md", "*.story.md", "docs/epics/*.md", "docs/prd/epic*.md"},
	title: storyTitleRe,
	statuses: map[string]string{
		"draft": plan.NotStarted, "approved": plan.NotStarted,
		"inprogress": plan.InProgress, "in progress": plan.InProgress, "review": plan.InProgress, "ready for review": plan.InProgress,
		"done": plan.Complete, "completed": plan.Complete, "complete": plan.Complete,
		"deprecated": plan.Deferred, "superseded": plan.Deferred,
	},
	noPhases:       true,
	noHeadingTasks: true,
	ownGates:       true,
	item: func(w *walker, text string) (taskItem, bool) {
		t := strings.TrimSpace(text)
		if !w.inSection("task") {
			return taskItem{}, false
		}
		var it taskItem
		if m := bmadACRe.FindStringSubmatch(t); m != nil {
			for _, r := range refSplitRe.Split(m[1], -1) {
				if r = strings.TrimSpace(r); r != "" {
					it.refs = append(it.refs, "AC "+r)
				}
			}
			t = strings.TrimSpace(strings.Replace(t, m[0], "", 1))
		}
		if m := bmadTaskRe.FindStringSubmatch(t); m != nil {
			it.id, it.title = m[1], m[2]
		} else {
			// "**Implement the service** (AC: 1, 2)": a task without an id
			// takes its place in the list.
			it.id, it.title = strconv.Itoa(w.countTasks()+1), t
		}
		it.title = strings.TrimSpace(strings.Trim(strings.TrimSpace(it.title), "*"))
		return it, true
	},
	// Only the Tasks / Subtasks list is the story's work; QA checklists are not.
	countBox: func(w *walker) bool { return w.inSection("task") },
	line: func(w *walker, l srcLine, _ *plan.Task) bool {
		switch {
		case w.inSection("agent model used"):
			if name := agentOfModel(trimBullet(l.text)); name != "" && !w.hasDocAgent(plan.RolePrimary) {
				w.docAgents = append(w.docAgents, docAgent{name, plan.RolePrimary, l.line})
				w.trace(l.line, "agent", "%s, the dev agent (agent model used)", name)
			}
			return true
		case bmadGateRe.MatchString(l.text):
			m := bmadGateRe.FindStringSubmatch(l.text)
			verdict := strings.ToLower(m[1])
			result := map[string]string{"pass": plan.Complete, "fail": plan.Failed, "concerns": plan.InProgress, "waived": plan.Deferred}[verdict]
			g := &plan.Gate{Title: "QA gate: " + m[1], Kind: plan.GateQA, Result: result, Line: l.line, Anchor: w.topAnchor()}
			w.doc.Gates = append(w.doc.Gates, g)
			w.trace(l.line, "gate", "QA gate %s", m[1])
			return true
		}
		return false
	},
	order: func(source string, _ map[string]string) (string, string) {
		if !strings.Contains(source, "stories/") {
			return "", ""
		}
		m := storyFileRe.FindStringSubmatch(strings.ToLower(path.Base(source)))
		if m == nil {
			return "", ""
		}
		// Stories follow each other within their epic: 4.3 → 4.3.1 → 4.4.
		id := m[1] + m[2]
		return path.Dir(source) + "/epic-" + strings.SplitN(id, ".", 2)[0], id
	},
	// The Change Log names who wrote and revised the story, row by row.
	table: func(w *walker, header []string, rows [][]string, lines []int) bool {
		col := slices.Index(header, "author")
		if col < 0 || !w.inSection("change log") {
			return false
		}
		for i, r := range rows {
			if col < len(r) {
				if name := agentOfModel(r[col]); name != "" {
					w.docAgents = append(w.docAgents, docAgent{name, plan.RoleAuthor, lines[i]})
					w.trace(lines[i], "agent", "%s, a change-log author", name)
				}
			}
		}
		return true
	},
	finish: func(w *walker) {
		// "### Reviewed By: Quinn (Test Architect)" under QA Results.
		for _, h := range w.doc.Headings {
			if m := reviewedByRe.FindStringSubmatch(stripInline(h.Text)); m != nil {
				if name := agentOfModel(m[1]); name != "" {
					w.docAgents = append(w.docAgents, docAgent{name, plan.RoleReview, h.Line})
					w.trace(h.Line, "agent", "%s, the QA reviewer", name)
				}
			}
		}
		// The story's agents hold each of its tasks, in the order named.
		slices.SortStableFunc(w.docAgents, func(a, b docAgent) int { return a.line - b.line })
		for _, a := range w.docAgents {
			for _, t := range w.doc.Tasks {
				addAgent(t, a.name, a.role, a.line)
			}
		}
	},
}

var (
	reviewedByRe = regexp.MustCompile(`(?i)^reviewed by\s*:\s*(.+)$`)
	modelDateRe  = regexp.MustCompile(`-\d{8}$`)                 // claude-opus-4-1-20250805
	emphasisOnly = regexp.MustCompile(`^(?:_[^_]+_|\*[^*]+\*)$`) // _To be completed by the agent_
)

// hasDocAgent reports whether the document named an agent in role already.
func (w *walker) hasDocAgent(role string) bool {
	for _, a := range w.docAgents {
		if a.role == role {
			return true
		}
	}
	return false
}

// agentOfModel names the agent of a "Agent Model Used" line: "Claude Code
// (Sonnet 4) - Primary development agent" → claude-code.
// A model id's release date is not part of the agent's name
// ("claude-opus-4-1-20250805 (James - Full Stack Developer)" → claude-opus-4-1),
// and a template's italic hint ("_To be completed by the agent_") names no one.
func agentOfModel(s string) string {
	s = strings.TrimSpace(s)
	if emphasisOnly.MatchString(s) || isPlaceholder(s) {
		return ""
	}
	s = strings.TrimSpace(qualifierRe.ReplaceAllString(stripInline(s), ""))
	if i := strings.Index(s, " - "); i > 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 60 {
		return ""
	}
	return modelDateRe.ReplaceAllString(Slug(s), "")
}

// --- ADRs (MADR, Nygard): docs/adr/NNNN-title.md, docs/decisions/.

var adr = &recognizer{
	name:  plan.ConvADR,
	paths: []string{"adr/*.md", "adrs/*.md", "decisions/*.md", "architecture/decisions/*.md"},
	statuses: map[string]string{
		"proposed": plan.NotStarted, "draft": plan.NotStarted, "accepted": plan.Complete,
		"superseded": plan.Complete, "deprecated": plan.Complete, "rejected": plan.Failed,
	},
	plainFields:    true,
	noPhases:       true,
	noHeadingTasks: true,
	ownGates:       true,
	order: func(source string, _ map[string]string) (string, string) {
		b := path.Base(source)
		i := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == 0 {
			return "", ""
		}
		return path.Dir(source), b[:i]
	},
}

// --- Cline memory bank: memory-bank/progress.md, activeContext.md.

var memoryBank = &recognizer{
	name:  plan.ConvMemoryBank,
	paths: []string{"memory-bank/*.md"},
	finish: func(w *walker) {
		// The status line names the last milestone ("Service Complete"); the
		// figure says where the project is.
		if f, ok := w.footer["status"]; ok && w.doc.Completion.Declared == nil {
			w.doc.Completion.Declared = percentOf(f.value) // **Overall Status**: **90% Complete**
		}
		if c := w.doc.Completion.Declared; c != nil && *c < 100 && w.doc.Status == plan.Complete {
			w.doc.Status = plan.InProgress
		}
		if c := w.doc.Completion.Declared; c != nil && w.doc.Status == plan.Unknown {
			w.doc.Status = percentStatus(*c)
		}
	},
}

// --- Plain roadmaps and agent memory files: ROADMAP.md, BACKLOG.md, ….

var roadmap = &recognizer{
	name:      plan.ConvRoadmap,
	paths:     []string{"roadmap.md", "roadmap/*.md", "backlog.md", "decisions.md", "issues.md"},
	boxStatus: func(w *walker) bool { return true },
	// Agent memory files log entries as "- Issue 2026-01-24 a1b2c3: Title".
	line: func(w *walker, l srcLine, _ *plan.Task) bool {
		m := memoryEntryRe.FindStringSubmatch(trimBullet(l.text))
		if m == nil {
			return false
		}
		ts, ok := ParseTimestamp(m[2], w.zone)
		if !ok {
			return false
		}
		w.addEntry(ts, m[1]+" "+m[3]+": "+m[4], l.line)
		if strings.EqualFold(m[1], "decision") {
			w.doc.Worklog[len(w.doc.Worklog)-1].Kind = plan.LogDecision
		}
		w.trace(l.line, "log", "%s %s %s", m[1], m[2], m[3])
		return true
	},
}

var memoryEntryRe = regexp.MustCompile(`^([A-Z][a-z]+) (\d{4}-\d{2}-\d{2}) ([0-9a-f]{6,8}): (.+)$`)

// isTasksFile: tasks.md is where spec-kit and Kiro keep the work.
func isTasksFile(w *walker) bool { return strings.ToLower(path.Base(w.doc.Source)) == "tasks.md" }

func percentStatus(p float64) string {
	switch {
	case p <= 0:
		return plan.NotStarted
	case p >= 100:
		return plan.Complete
	}
	return plan.InProgress
}

// checklistResult is the verdict a spec-kit checklist writes, if any.
func (w *walker) checklistResult() string {
	if w.statusPara.line == 0 {
		return ""
	}
	return w.normStatus(w.statusPara.value)
}

// isRoadmap: GSD's ROADMAP.md says its state with its plans' boxes.
func isRoadmap(w *walker) bool { return strings.ToLower(path.Base(w.doc.Source)) == "roadmap.md" }

// firstSentence is the first sentence of s, cut to a title's length.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(cutText(s, 72), ".")
}

// idTitleItem reads a task item by re, whose first group is the task's id
// and second its title.
func idTitleItem(re *regexp.Regexp) func(*walker, string) (taskItem, bool) {
	return func(_ *walker, text string) (taskItem, bool) {
		m := re.FindStringSubmatch(strings.TrimSpace(text))
		if m == nil {
			return taskItem{}, false
		}
		return taskItem{id: m[1], title: m[2]}, true
	}
}
