// Package link is the whole-site pass: it resolves links between documents,
// orders phase documents into series with previous/next, indexes agents, and
// reports what only the whole site shows. It is cheap and sequential.
package link

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/plansite/plansite/site/plan"
)

// Input is one document as extraction left it, with the raw targets of its
// explicit previous/next fields.
type Input struct {
	Doc        *plan.Doc
	PrevTarget string
	NextTarget string
}

// Resolver answers whether a relative path exists in the source tree.
type Resolver struct {
	paths    map[string]bool
	docs     map[string]bool
	basename map[string][]string // lower-case base name → documents
	// Outside, when set, reports whether a path that leaves the source
	// ("../adr/0001.md", relative to the source root) names a file of the
	// repository holding the source: a link to it is not broken.
	Outside func(p string) bool
}

// NewResolver indexes the tree's paths (files and directories) and documents.
func NewResolver(paths map[string]bool, docs []string) *Resolver {
	r := &Resolver{paths: paths, docs: map[string]bool{}, basename: map[string][]string{}}
	for _, d := range docs {
		r.docs[d] = true
		b := strings.ToLower(path.Base(d))
		r.basename[b] = append(r.basename[b], d)
	}
	return r
}

// IsDoc reports whether p is a document of the site.
func (r *Resolver) IsDoc(p string) bool { return r.docs[p] }

var machinePrefixRe = regexp.MustCompile(`^/(?:Users|home|mnt|workspace|workspaces|var|opt|srv)/`)

// Resolve resolves a link target written in the document from. It returns
// the path it points at (a document, file or directory of the tree), or ""
// when it is broken, with the unique document it most likely meant.
func (r *Resolver) Resolve(from, target string) (resolved, suggested string) {
	t := target
	if i := strings.IndexAny(t, "#?"); i >= 0 {
		t = t[:i]
	}
	if u, err := url.PathUnescape(t); err == nil {
		t = u
	}
	if t == "" {
		return from, ""
	}
	var p string
	switch {
	case machinePrefixRe.MatchString(t):
		// A checkout path on someone's machine: keep the longest tail that exists.
		segs := strings.Split(strings.Trim(t, "/"), "/")
		for i := 1; i < len(segs); i++ {
			if c := strings.Join(segs[i:], "/"); r.paths[c] {
				return c, ""
			}
		}
		p = strings.TrimPrefix(t, "/")
	case strings.HasPrefix(t, "/"):
		p = path.Clean(strings.TrimPrefix(t, "/"))
	default:
		p = path.Join(path.Dir(from), t)
	}
	if p == "." || p == "" {
		return ".", ""
	}
	leaves := p == ".." || strings.HasPrefix(p, "../")
	if !leaves && r.paths[p] || leaves && r.Outside != nil && r.Outside(p) {
		return p, ""
	}
	if c := r.basename[strings.ToLower(path.Base(t))]; len(c) == 1 {
		return "", c[0]
	}
	return "", ""
}

// Site assembles the site from the documents read: links, series,
// previous/next, agents, and site-level problems. It returns the site as a
// value: each document in it is a copy of its input with what the pass
// found (resolved links, previous/next, series, problems of the whole
// site); the inputs are left as extraction made them, so the pass can run
// again over the same documents. Documents are sorted by source path.
func Site(inputs []*Input, r *Resolver, generator string) *plan.Site {
	return SiteUntil(inputs, r, generator, nil)
}

// SiteUntil is Site, stopped when stop (asked between its steps, and
// every few hundred documents within them) says so: then it returns nil
// and the inputs are as they were. plansite serve stops a pass a newer
// edit made pointless, so that edit waits for a step, not a pass.
func SiteUntil(inputs []*Input, r *Resolver, generator string, stop func() bool) *plan.Site {
	if stop == nil {
		stop = func() bool { return false }
	}
	inputs, collisions := dropCollisions(inputs)
	if stop() {
		return nil
	}
	ins := make([]*Input, len(inputs))
	for i, in := range inputs {
		ins[i] = &Input{Doc: linkedCopy(in.Doc), PrevTarget: in.PrevTarget, NextTarget: in.NextTarget}
	}
	sort.Slice(ins, func(i, j int) bool { return ins[i].Doc.Source < ins[j].Doc.Source })
	s := &plan.Site{Generator: generator, Series: []*plan.Series{}, Agents: []*plan.Agent{}, Decisions: []*plan.Decision{}, Problems: []*plan.Problem{}}
	s.Problems = append(s.Problems, collisions...)
	bySource := map[string]*plan.Doc{}
	for _, in := range ins {
		s.Docs = append(s.Docs, in.Doc)
		bySource[in.Doc.Source] = in.Doc
	}
	for i, in := range ins {
		if i%stopEvery == 0 && stop() {
			return nil
		}
		ResolveLinks(in.Doc, r)
	}
	traces(s.Docs, bySource)
	written := explicitPrevNext(ins, r, bySource)
	planDone(s.Docs, bySource)
	if stop() {
		return nil
	}
	s.Series = series(s.Docs)
	if stop() {
		return nil
	}
	s.Agents = agents(s.Docs)
	s.Decisions = decisions(s.Docs)
	reciprocity(s.Docs, bySource, written)
	for _, d := range s.Docs {
		sort.SliceStable(d.Problems, func(i, j int) bool { return d.Problems[i].Line < d.Problems[j].Line })
		EnsureSlices(d)
	}
	return s
}

// stopEvery is how many documents a step of the pass goes through between
// two questions to its stop function.
const stopEvery = 512

// linkedCopy is the document the pass fills in: a copy of the extracted
// one with its own links and problems, and no previous, next or series yet.
// What the pass does not change (phases, tasks, headings…) is shared.
func linkedCopy(d *plan.Doc) *plan.Doc {
	c := *d
	c.Prev, c.Next, c.Series = nil, nil, ""
	c.Links = make([]*plan.Link, len(d.Links))
	for i, l := range d.Links {
		lc := *l
		lc.Resolved, lc.Suggested = nil, nil
		c.Links[i] = &lc
	}
	c.Problems = append(make([]*plan.Problem, 0, len(d.Problems)+len(d.Links)), d.Problems...)
	return &c
}

// SameLinks reports whether the pass gave two versions of a document the
// same results: previous, next, series, status, resolved links and problems.
func SameLinks(a, b *plan.Doc) bool {
	// Status too: a GSD plan is done when the pass finds its SUMMARY.
	if deref(a.Prev) != deref(b.Prev) || deref(a.Next) != deref(b.Next) || a.Series != b.Series || a.Status != b.Status || a.Completion.Done != b.Completion.Done ||
		len(a.Links) != len(b.Links) || len(a.Problems) != len(b.Problems) {
		return false
	}
	for i, l := range a.Links {
		o := b.Links[i]
		if deref(l.Resolved) != deref(o.Resolved) || deref(l.Suggested) != deref(o.Suggested) {
			return false
		}
	}
	for i, p := range a.Problems {
		if *p != *b.Problems[i] {
			return false
		}
	}
	return true
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// EnsureSlices gives a document empty slices where it has none, as plan.json
// writes them ([] rather than null).
func EnsureSlices(d *plan.Doc) {
	if d.Phases == nil {
		d.Phases = []*plan.Phase{}
	}
	if d.Gates == nil {
		d.Gates = []*plan.Gate{}
	}
	if d.Tasks == nil {
		d.Tasks = []*plan.Task{}
	}
	if d.Worklog == nil {
		d.Worklog = []*plan.LogEntry{}
	}
	if d.Links == nil {
		d.Links = []*plan.Link{}
	}
	if d.Headings == nil {
		d.Headings = []*plan.Heading{}
	}
	if d.Problems == nil {
		d.Problems = []*plan.Problem{}
	}
	for _, p := range d.Phases {
		if p.Agents == nil {
			p.Agents = []string{}
		}
	}
	for _, g := range d.Gates {
		if g.Items == nil {
			g.Items = []*plan.Item{}
		}
	}
	for _, t := range d.Tasks {
		if t.Agents == nil {
			t.Agents = []*plan.AgentRef{}
		}
	}
}

// ResolveLinks resolves one document's links, adding a problem for each
// broken one; the link pass does it for every document.
func ResolveLinks(d *plan.Doc, r *Resolver) {
	for _, l := range d.Links {
		res, sug := r.Resolve(d.Source, l.Target)
		if res != "" {
			l.Resolved = &res
			continue
		}
		msg := fmt.Sprintf("broken link to %s", l.Target)
		if l.Kind == plan.LinkContext {
			msg = fmt.Sprintf("broken context reference %s (no file %s from here)", l.Text, l.Target)
		}
		if sug != "" {
			l.Suggested = &sug
			msg += fmt.Sprintf(" (did you mean %s?)", sug)
		}
		d.Problems = append(d.Problems, &plan.Problem{Line: l.Line, Severity: plan.SevWarning, Code: plan.CodeBrokenLink, Message: msg})
	}
}

// explicitPrevNext takes previous/next from the document's own fields. It
// returns the documents whose next was written as a link.
func explicitPrevNext(inputs []*Input, r *Resolver, bySource map[string]*plan.Doc) map[*plan.Doc]bool {
	written := map[*plan.Doc]bool{}
	for _, in := range inputs {
		d := in.Doc
		for _, x := range []struct {
			target string
			dst    **string
		}{{in.PrevTarget, &d.Prev}, {in.NextTarget, &d.Next}} {
			if x.target == "" {
				continue
			}
			if res, _ := r.Resolve(d.Source, x.target); res != "" && bySource[res] != nil && res != d.Source {
				v := res
				*x.dst = &v
				if x.dst == &d.Next {
					written[d] = true
				}
			}
		}
	}
	return written
}

// series groups the one-phase documents of each directory, in phase order,
// fills previous/next where no explicit link gave them, and gives each
// multi-phase document a series of its own.
func series(docs []*plan.Doc) []*plan.Series {
	byDir := map[string][]*plan.Doc{}
	var dirs []string
	for _, d := range docs {
		if d.Order == "" && d.Phase == "" || d.Kind == plan.KindTemplate {
			continue
		}
		dir := path.Dir(d.Source)
		if d.Order != "" && d.OrderSeries != "" {
			// The convention placed it: BMAD stories, ADRs, GSD plans.
			dir = d.OrderSeries
		}
		if byDir[dir] == nil {
			dirs = append(dirs, dir)
		}
		byDir[dir] = append(byDir[dir], d)
	}
	sort.Strings(dirs)
	var out []*plan.Series
	for _, dir := range dirs {
		ds := byDir[dir]
		sort.SliceStable(ds, func(i, j int) bool {
			if c := ComparePhase(placeOf(ds[i]), placeOf(ds[j])); c != 0 {
				return c < 0
			}
			if ds[i].Kind.Rank() != ds[j].Kind.Rank() {
				return ds[i].Kind.Rank() < ds[j].Kind.Rank()
			}
			return ds[i].Source < ds[j].Source
		})
		sr := &plan.Series{ID: dir, Title: dirTitle(dir, ds), URL: seriesURL(dir)}
		for _, d := range ds {
			d.Series = sr.ID
			sr.Phases = append(sr.Phases, d.Source)
		}
		for i, d := range ds {
			if d.Prev == nil {
				if p := neighbour(ds, i, -1); p != nil {
					d.Prev = &p.Source
				}
			}
			if d.Next == nil {
				if n := neighbour(ds, i, +1); n != nil {
					d.Next = &n.Source
				}
			}
		}
		out = append(out, sr)
	}
	for _, d := range docs {
		if d.Phase == "" && len(d.Phases) >= 2 && d.Kind != plan.KindTemplate {
			d.Series = d.Source
			out = append(out, &plan.Series{ID: d.Source, Title: d.Title, URL: d.URL, Phases: []string{d.Source}})
		}
	}
	return out
}

// placeOf is a document's place in its series: the order its convention
// gave it, else its phase number.
func placeOf(d *plan.Doc) string {
	if d.Order != "" {
		return d.Order
	}
	return d.Phase
}

// neighbour is the closest document of another phase number in direction
// dir, preferring one of the same kind.
func neighbour(ds []*plan.Doc, i, dir int) *plan.Doc {
	me := ds[i]
	var best *plan.Doc
	for j := i + dir; j >= 0 && j < len(ds); j += dir {
		o := ds[j]
		if ComparePhase(placeOf(o), placeOf(me)) == 0 {
			continue
		}
		if best != nil && ComparePhase(placeOf(o), placeOf(best)) != 0 {
			break
		}
		if best == nil {
			best = o
		}
		if o.Kind == me.Kind {
			return o
		}
	}
	return best
}

// dirTitle names a series by its folder, spelling its acronyms as the
// series' own document titles do.
func dirTitle(dir string, ds []*plan.Doc) string {
	if dir == "." {
		return "Plan"
	}
	b := strings.TrimPrefix(path.Base(dir), ".")
	if strings.Trim(b, "-_ ") == "" {
		return dir
	}
	titles := make([]string, len(ds))
	for i, d := range ds {
		titles[i] = d.Title
	}
	return plan.NameTitle(b, titles...)
}

func seriesURL(dir string) string {
	if dir == "." {
		return "/plans/root/"
	}
	return "/plans/" + plan.EscapePath(strings.TrimPrefix(strings.ReplaceAll(dir, "/", "--"), ".")) + "/"
}

var phaseTokRe = regexp.MustCompile(`\d+|[^\d.\-_]+`)

// ComparePhase orders phase numbers naturally: 3 < 3a < 3b < 4 < 4.1 < 4.10.
func ComparePhase(a, b string) int {
	ta, tb := phaseTokRe.FindAllString(strings.ToLower(a), -1), phaseTokRe.FindAllString(strings.ToLower(b), -1)
	for i := 0; i < len(ta) && i < len(tb); i++ {
		na, ea := strconv.Atoi(ta[i])
		nb, eb := strconv.Atoi(tb[i])
		switch {
		case ea == nil && eb == nil:
			if na != nb {
				return cmp(na, nb)
			}
		case ea == nil:
			return -1
		case eb == nil:
			return 1
		default:
			if c := strings.Compare(ta[i], tb[i]); c != 0 {
				return c
			}
		}
	}
	return cmp(len(ta), len(tb))
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// agents indexes every task each agent holds, and the phases that name an
// agent without a task of theirs naming it: every agent a page links to has
// a page. Templates name placeholder agents and are left out.
func agents(docs []*plan.Doc) []*plan.Agent {
	by := map[string]*plan.Agent{}
	get := func(name string) *plan.Agent {
		ag := by[name]
		if ag == nil {
			ag = &plan.Agent{Name: name, URL: plan.AgentURL(name), Tasks: []*plan.AgentTask{}, Phases: []*plan.AgentPhase{}}
			by[name] = ag
		}
		return ag
	}
	type agentPhase struct{ agent, phase string }
	var inTask map[agentPhase]bool
	for _, d := range docs {
		if d.Kind == plan.KindTemplate {
			continue
		}
		clear(inTask)
		for _, t := range d.Tasks {
			for _, a := range t.Agents {
				ag := get(a.Name)
				ag.Tasks = append(ag.Tasks, &plan.AgentTask{Source: d.Source, Task: t.ID, Title: t.Title, Status: t.Status, Role: a.Role})
				if inTask == nil {
					inTask = map[agentPhase]bool{}
				}
				inTask[agentPhase{a.Name, t.Phase}] = true
			}
		}
		for _, p := range d.Phases {
			for _, name := range p.Agents {
				if inTask[agentPhase{name, p.Number}] {
					continue
				}
				ag := get(name)
				ag.Phases = append(ag.Phases, &plan.AgentPhase{Source: d.Source, Phase: p.Number, Title: p.Title, Anchor: p.Anchor, Status: p.Status})
			}
		}
	}
	out := make([]*plan.Agent, 0, len(by))
	for _, a := range by {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// eachAgent calls f with the name of every agent document d gives a
// page to (agents lists them with their tasks and phases), once or more.
func eachAgent(d *plan.Doc, f func(name string)) {
	if d.Kind == plan.KindTemplate {
		return
	}
	for _, t := range d.Tasks {
		for _, a := range t.Agents {
			f(a.Name)
		}
	}
	for _, p := range d.Phases {
		for _, name := range p.Agents {
			f(name)
		}
	}
}

// reciprocity reports previous/next links that are not returned: A's
// written next is B but B's previous is another document. A next plansite
// inferred from phase order is not the author's claim, so it is not checked.
func reciprocity(docs []*plan.Doc, bySource map[string]*plan.Doc, written map[*plan.Doc]bool) {
	for _, a := range docs {
		if a.Next == nil || !written[a] {
			continue
		}
		b := bySource[*a.Next]
		// Trackers point into their plan's series; only a series' own
		// documents owe each other a returned link.
		if b == nil || b.Prev == nil || *b.Prev == a.Source || path.Dir(a.Source) != path.Dir(b.Source) {
			continue
		}
		line := 1
		a.Problems = append(a.Problems, &plan.Problem{Line: line, Severity: plan.SevWarning, Code: plan.CodeNotReciprocal,
			Message: fmt.Sprintf("next is %s, but its previous is %s", b.Source, *b.Prev)})
	}
}

// planDone settles GSD plans: a plan is done when its SUMMARY exists
// (NN-MM-PLAN.md beside NN-MM-SUMMARY.md); its tasks are then done too,
// and so is its box in the ROADMAP, which is often left unticked.
func planDone(docs []*plan.Doc, bySource map[string]*plan.Doc) {
	roadmapDone(docs)
	for _, d := range docs {
		if d.Convention != plan.ConvGSD || !strings.HasSuffix(d.Source, "-PLAN.md") || d.Status != plan.Unknown {
			continue
		}
		d.Status = plan.NotStarted
		if bySource[strings.TrimSuffix(d.Source, "-PLAN.md")+"-SUMMARY.md"] != nil {
			d.Status, d.StatusText = plan.Complete, plan.SummaryWritten
			// The tasks are the extracted document's: done copies replace them.
			tasks := make([]*plan.Task, len(d.Tasks))
			for i, t := range d.Tasks {
				c := *t
				if c.Status == plan.NotStarted {
					c.Status = plan.Complete
				}
				tasks[i] = &c
			}
			d.Tasks = tasks
		}
	}
}

// traces reports a task that traces to a requirement its spec's
// requirements document does not define ("_Requirements: 9.1_" with no
// "Requirement 9"). A spec without the document has nothing to check.
func traces(docs []*plan.Doc, bySource map[string]*plan.Doc) {
	for _, d := range docs {
		for _, t := range d.Tasks {
			for _, tr := range t.Traces {
				req := bySource[tr.Doc]
				if req == nil {
					continue
				}
				num, _, _ := strings.Cut(tr.Ref, ".")
				if !definesRequirement(req, num) {
					d.Problems = append(d.Problems, &plan.Problem{Line: tr.Line, Severity: plan.SevWarning, Code: plan.CodeBrokenLink,
						Message: fmt.Sprintf("task %s traces to requirement %s, which %s does not define", t.ID, tr.Ref, tr.Doc)})
				}
			}
		}
	}
}

// definesRequirement reports whether a document has a "Requirement N" heading.
func definesRequirement(d *plan.Doc, num string) bool {
	for _, h := range d.Headings {
		rest, ok := strings.CutPrefix(strings.ToLower(strings.TrimLeft(h.Text, "# *")), "requirement "+num)
		if ok && (rest == "" || rest[0] < '0' || rest[0] > '9') {
			return true
		}
	}
	return false
}

// gsdSummaryRe is a GSD plan's SUMMARY file: NN-MM-SUMMARY.md.
var gsdSummaryRe = regexp.MustCompile(`(?i)^(\d+-\d+)-summary\.md$`)

// planningRoot is the directory holding a GSD document's .planning/.
func planningRoot(source string) (string, bool) {
	i := strings.Index("/"+source, "/.planning/")
	if i < 0 {
		return "", false
	}
	return source[:max(i-1, 0)], true
}

// roadmapDone ticks, in each GSD ROADMAP, the plans whose SUMMARY exists
// under the same .planning/ (MANIFEST: believe the SUMMARY files, not the
// ROADMAP), with its figures and a status its boxes gave.
func roadmapDone(docs []*plan.Doc) {
	summaries := map[string]bool{} // root + "\x00" + "08-01"
	for _, d := range docs {
		if m := gsdSummaryRe.FindStringSubmatch(path.Base(d.Source)); m != nil && d.Convention == plan.ConvGSD {
			if root, ok := planningRoot(d.Source); ok {
				summaries[root+"\x00"+m[1]] = true
			}
		}
	}
	if len(summaries) == 0 {
		return
	}
	for _, d := range docs {
		root, ok := planningRoot(d.Source)
		if !ok || d.Convention != plan.ConvGSD || !strings.EqualFold(path.Base(d.Source), "ROADMAP.md") {
			continue
		}
		var tasks []*plan.Task
		var phases []*plan.Phase
		for i, t := range d.Tasks {
			if t.Status == plan.Complete || t.Optional || !summaries[root+"\x00"+t.ID] {
				continue
			}
			if tasks == nil {
				// The extracted document's tasks and phases: done copies replace them.
				tasks = append([]*plan.Task(nil), d.Tasks...)
				phases = make([]*plan.Phase, len(d.Phases))
				for j, p := range d.Phases {
					c := *p
					phases[j] = &c
				}
			}
			c := *t
			c.Status, c.StatusText = plan.Complete, plan.SummaryWritten
			tasks[i] = &c
			d.Completion.Done++
			for _, p := range phases {
				if p.Number == t.Phase && p.Done < p.Total {
					p.Done++
					if p.StatusText == "" {
						p.Status = plan.BoxesStatus(p.Done, p.Total)
					}
				}
			}
		}
		if tasks == nil {
			continue
		}
		d.Tasks, d.Phases = tasks, phases
		if d.StatusText == "" {
			d.Status = plan.BoxesStatus(d.Completion.Done, d.Completion.Total)
		}
	}
}
