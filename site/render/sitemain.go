package render

import (
	"html/template"
	"strings"

	"github.com/plansite/plansite/site/plan"
)

// The site's own pages repeat a few rows by the hundred: the dashboard a
// row per document, a plan's page a row per phase, an agent's page a table
// per plan. As for a document's page (docmain.go), their "main" is written
// in Go when the layouts it reads are the theme's own, as the layout
// writes it (a plan's and an agent's here, the dashboard and the problems
// in listmain.go), and TestLayoutsInGoMatchTemplates holds the two
// together; a site's own layouts are executed.

// goMain is a layout whose "main" is written in Go, when the layouts it
// reads are the theme's own.
type goMain struct {
	reads []string
	write func(s *Site, w layoutWriter, data any) error
}

var goMains = map[string]goMain{
	"plan": {[]string{"plan.html", "partials.html", "widgets.html"}, func(s *Site, w layoutWriter, data any) error {
		return s.writePlanMain(w, data.(*planView))
	}},
	"agent": {[]string{"agent.html", "partials.html", "widgets.html"}, func(s *Site, w layoutWriter, data any) error {
		s.writeAgentMain(w, data.(*agentView))
		return nil
	}},
	"dashboard": {[]string{"dashboard.html", "partials.html"}, func(s *Site, w layoutWriter, data any) error {
		return s.writeDashboardMain(w, data.(*dashView))
	}},
	"problems": {[]string{"problems.html", "partials.html", "widgets.html"}, func(s *Site, w layoutWriter, data any) error {
		s.writeProblemsMain(w, data.(*problemsView))
		return nil
	}},
}

// useGoLayouts notes the layouts written in Go for this site: every
// goMain whose layouts are the theme's own.
func (s *Site) useGoLayouts() {
	if s.chromes.tmpl == nil {
		return // a site's own base.html executes each page's "main"
	}
	s.docMainInGo = s.ownLayouts("doc.html", "partials.html", "widgets.html")
	s.goMains = map[string]goMain{}
	for layout, m := range goMains {
		if s.ownLayouts(m.reads...) {
			s.goMains[layout] = m
		}
	}
}

// writePhaseTable writes dashboard.html's "phaseTable": a row per document.
func (s *Site) writePhaseTable(w layoutWriter, rows []phaseRow) error {
	w.nl()
	w.WriteString(`<div class="scroll" role="region" aria-label="Documents" tabindex="0">`)
	w.nl()
	w.WriteString(`<table class="phases">`)
	w.nl()
	w.WriteString(`<thead><tr><th scope="col">Document</th><th scope="col">Status</th><th scope="col">Completion</th><th scope="col">Gates passed</th><th scope="col">Blocked tasks</th><th scope="col">Problems</th><th scope="col">Updated</th></tr></thead>`)
	w.nl()
	w.WriteString(`<tbody>`)
	w.nl()
	for _, r := range rows {
		if err := s.writePhaseRow(w, r); err != nil {
			return err
		}
	}
	w.nl()
	w.WriteString(`</tbody>`)
	w.nl()
	w.WriteString(`</table>`)
	w.nl()
	w.WriteString(`</div>`)
	w.nl()
	return nil
}

// docFigures are the "reading" and "completion" partials of a document.
func (s *Site) docFigures(d *plan.Doc) (reading, completion template.HTML, err error) {
	if reading, err = s.showReading(readDoc(d)); err != nil {
		return "", "", err
	}
	completion, err = s.showCompletion(d.Completion)
	return reading, completion, err
}

// writePhaseRow writes the dashboard's row of one document.
func (s *Site) writePhaseRow(w layoutWriter, r phaseRow) error {
	d := r.Doc
	reading, completion, err := s.docFigures(d)
	if err != nil {
		return err
	}
	w.WriteString(`<tr data-status="`)
	escHTML(w, readDoc(d).Status)
	w.WriteString(`" data-agents="`)
	escHTML(w, r.Agents)
	w.WriteString(`" data-updated="`)
	if d.Updated != nil {
		escHTML(w, *d.Updated)
	}
	w.WriteString(`" data-completion="`)
	w.int(pct(d.Completion.Done, d.Completion.Total))
	w.WriteString(`" data-path="`)
	escHTML(w, d.Source)
	w.WriteString(`">`)
	w.nl()
	w.WriteString(`<td>`)
	if showsPhase(d) {
		w.WriteString(`<span class="phase-no">Phase `)
		escHTML(w, d.Phase)
		w.WriteString(`</span> `)
	}
	s.writeDocLink(w, d)
	w.WriteString(`</td>`)
	w.nl()
	w.WriteString(`<td>` + string(reading) + `</td>`)
	w.nl()
	w.WriteString(`<td>` + string(completion) + `</td>`)
	w.nl()
	w.WriteString(`<td data-label="Gates passed">`)
	w.int(r.GatesPassed)
	w.WriteString(`/`)
	w.int(len(d.Gates))
	w.WriteString(`</td>`)
	w.nl()
	w.WriteString(`<td data-label="Blocked tasks">`)
	w.int(r.Blocked)
	w.WriteString(`</td>`)
	w.nl()
	w.WriteString(`<td data-label="Problems">`)
	if r.Problems != 0 {
		w.WriteString(`<a href="`)
		escURL(w, s.URL(d.URL))
		w.WriteString(`#problems">`)
		w.int(r.Problems)
		w.WriteString(`</a>`)
	} else {
		w.WriteString(`0`)
	}
	w.WriteString(`</td>`)
	w.nl()
	w.WriteString(`<td>`)
	if d.Updated != nil {
		writeTime(w, d.Updated)
	}
	w.WriteString(`</td>`)
	w.nl()
	w.WriteString(`</tr>`)
	return nil
}

// writeTime writes a time element for an RFC 3339 time or date.
func writeTime(w layoutWriter, at *string) {
	w.WriteString(`<time datetime="`)
	escHTML(w, *at)
	w.WriteString(`">`)
	escHTML(w, date(at))
	w.WriteString(`</time>`)
}

// showsPhase reports whether a list of documents says which phase d is:
// it is one, and its title does not say so.
func showsPhase(d *plan.Doc) bool { return d.Phase != "" && !namesPhase(d.Title) }

// namesPhase reports whether a title says which phase it is, so that a
// list of phases does not say it again.
func namesPhase(title string) bool { return strings.Contains(strings.ToLower(title), "phase") }

// writePlanMain writes plan.html's "main": the plan's figures, the
// timeline of its documents, its burndown and its agent matrix.
func (s *Site) writePlanMain(w layoutWriter, v *planView) error {
	w.nl()
	w.WriteString(`<main id="main" class="wide">`)
	w.nl()
	w.WriteString(`<h1>`)
	escHTML(w, v.Series.Title)
	w.WriteString(`</h1>`)
	w.nl()
	w.WriteString(`<p class="meta">`)
	escHTML(w, v.Series.ID)
	w.WriteString(`</p>`)
	w.nl()
	if err := s.writePlanFacts(w, v.Figures); err != nil {
		return err
	}
	w.nl()
	w.WriteString(`<section aria-labelledby="timeline-h"><h2 id="timeline-h">Timeline</h2>`)
	w.nl()
	w.WriteString(`<ol class="timeline">`)
	w.nl()
	for _, r := range v.Phases {
		if err := s.writeTimelineItem(w, r.Doc); err != nil {
			return err
		}
	}
	w.nl()
	w.WriteString(`</ol>`)
	w.nl()
	w.WriteString(`</section>`)
	w.nl()
	if v.Burndown != nil {
		w.WriteString(`<section aria-labelledby="burndown-h"><h2 id="burndown-h">Burndown</h2>`)
		writeBurndown(w, v.Burndown)
		w.WriteString(`</section>`)
	}
	w.WriteString("\n")
	if v.Matrix != nil {
		w.WriteString(`<section aria-labelledby="matrix-h"><h2 id="matrix-h">Agent matrix</h2>`)
		s.writeMatrixTable(w, v.Matrix)
		w.WriteString(`</section>`)
	}
	w.nl()
	w.WriteString(`</main>`)
	w.nl()
	return nil
}

// writePlanFacts writes a plan's status and completion.
func (s *Site) writePlanFacts(w layoutWriter, f planFigures) error {
	reading, err := s.showReading(f.Reading)
	if err != nil {
		return err
	}
	completion, err := s.showCompletion(f.Completion())
	if err != nil {
		return err
	}
	w.WriteString(`<dl class="facts card">`)
	w.nl()
	w.WriteString(`<div><dt>Status</dt><dd>` + string(reading) + `</dd></div>`)
	w.nl()
	w.WriteString(`<div class="wide-fact"><dt>Completion</dt><dd>` + string(completion))
	if f.From == "trackers" {
		w.WriteString(`<span class="from"> · counted from the trackers</span>`)
	}
	w.WriteString(`</dd></div>`)
	w.nl()
	if f.Templates != 0 {
		w.WriteString(`<div><dt>Templates</dt><dd>`)
		w.int(f.Templates)
		w.WriteString(` left out of the figures</dd></div>`)
	}
	w.nl()
	w.WriteString(`</dl>`)
	return nil
}

// writeTimelineItem writes one document of a plan's timeline.
func (s *Site) writeTimelineItem(w layoutWriter, d *plan.Doc) error {
	reading, completion, err := s.docFigures(d)
	if err != nil {
		return err
	}
	w.WriteString(`<li class="status-`)
	escHTML(w, d.Status)
	w.WriteString(`">`)
	w.nl()
	w.WriteString(`<h3><a href="`)
	escURL(w, s.URL(d.URL))
	w.WriteString(`">`)
	if showsPhase(d) {
		w.WriteString(`Phase `)
		escHTML(w, d.Phase)
		w.WriteString(`: `)
	}
	escHTML(w, d.Title)
	w.WriteString(`</a> <span class="kind">`)
	escHTML(w, string(d.Kind))
	w.WriteString(`</span></h3>`)
	w.nl()
	w.WriteString(`<p>` + string(reading))
	if d.Start != nil {
		w.WriteString(` · started `)
		writeTime(w, d.Start)
	}
	if d.Duration != "" {
		w.WriteString(` · `)
		escHTML(w, d.Duration)
	}
	if d.Done != nil {
		w.WriteString(` · done `)
		writeTime(w, d.Done)
	}
	w.WriteString(`</p>`)
	w.nl()
	w.WriteString(string(completion))
	w.nl()
	w.WriteString(`</li>`)
	return nil
}

// writeAgentMain writes agent.html's "main": the agent's tallies, then its
// rows grouped by section and plan, and the pager.
func (s *Site) writeAgentMain(w layoutWriter, v *agentView) {
	w.nl()
	w.WriteString(`<main id="main" class="wide">`)
	w.nl()
	w.WriteString(`<p class="crumbs"><a href="`)
	escURL(w, s.URL("/agents/"))
	w.WriteString(`">Agents</a></p>`)
	w.nl()
	w.WriteString(`<h1>`)
	escHTML(w, v.Agent.Name)
	writePageOf(w, v.Pager)
	w.WriteString(`</h1>`)
	w.nl()
	writeAgentTiles(w, v.Row)
	w.nl()
	w.WriteString("\n")
	section := ""
	for _, g := range v.Groups {
		if g.Section != section {
			section = g.Section
			w.WriteString(`<h2>`)
			escHTML(w, g.Section)
			w.WriteString(`</h2>`)
		}
		s.writeAgentGroup(w, g)
	}
	if len(v.Groups) == 0 {
		w.WriteString(`<p>No task or phase names this agent.</p>`)
	}
	w.WriteString("\n")
	writePager(w, v.Pager)
	w.nl()
	w.WriteString(`</main>`)
	w.nl()
}

// writePageOf writes which page of several this is, after a page's title.
func writePageOf(w layoutWriter, p pager) {
	if p.Page > 1 {
		w.WriteString(` <span class="page-of">page `)
		w.int(p.Page)
		w.WriteString(` of `)
		w.int(p.Pages)
		w.WriteString(`</span>`)
	}
}

// writeAgentTiles writes an agent's open, blocked and done work.
func writeAgentTiles(w layoutWriter, r agentRow) {
	w.WriteString(`<ul class="tiles">`)
	w.nl()
	w.WriteString(`<li><span><strong>`)
	w.int(r.Open)
	w.WriteString(`</strong> open</span></li>`)
	w.nl()
	w.WriteString(`<li`)
	if r.Blocked != 0 {
		w.WriteString(` class="tile-bad"`)
	}
	w.WriteString(`><span><strong>`)
	w.int(r.Blocked)
	w.WriteString(`</strong> blocked</span></li>`)
	w.nl()
	w.WriteString(`<li><span><strong>`)
	w.int(r.Done)
	w.WriteString(`</strong> done</span></li>`)
	w.nl()
	if r.All != 0 {
		done, all, p := itoa(r.Done), itoa(r.All), itoa(pct(r.Done, r.All))
		w.WriteString(`<li class="tile-wide"><span><strong>` + p + `%</strong> of ` + all + ` tasks done</span>` +
			`<span class="bar" role="img" aria-label="` + done + ` of ` + all + ` tasks done"><span style="width:` + p + `%"></span></span></li>`)
	}
	w.WriteString("\n")
	if r.Phases != 0 {
		w.WriteString(`<li><span><strong>`)
		w.int(r.Phases)
		w.WriteString(`</strong> phases name it</span></li>`)
	}
	w.nl()
	w.WriteString(`</ul>`)
}

// writeAgentGroup writes the table of an agent's rows in one plan.
func (s *Site) writeAgentGroup(w layoutWriter, g agentGroup) {
	w.nl()
	w.WriteString(`<section class="plan-tasks" aria-label="`)
	escHTML(w, g.Section)
	w.WriteString(`: `)
	escHTML(w, g.Plan)
	w.WriteString(`">`)
	w.nl()
	w.WriteString(`<h3><a href="`)
	escURL(w, s.URL(g.PlanURL))
	w.WriteString(`">`)
	escHTML(w, g.Plan)
	w.WriteString(`</a>`)
	if g.Continued {
		w.WriteString(` <span class="meta">(continued)</span>`)
	}
	w.WriteString(`</h3>`)
	w.nl()
	w.WriteString(`<div class="scroll" role="region" aria-label="`)
	escHTML(w, g.Plan)
	w.WriteString(`" tabindex="0">`)
	w.nl()
	w.WriteString(`<table class="tasks"><thead><tr><th scope="col">Task</th><th scope="col">Title</th><th scope="col">Document</th><th scope="col">Role</th><th scope="col">Status</th></tr></thead>`)
	w.nl()
	w.WriteString(`<tbody>`)
	s.writeAgentTaskRows(w, g.Rows)
	w.WriteString(`</tbody></table>`)
	w.nl()
	w.WriteString(`</div>`)
	w.nl()
	w.WriteString(`</section>`)
	w.nl()
}

// writePager writes partials.html's "pager": the pages of a paged list.
func writePager(w layoutWriter, p pager) {
	if p.Pages <= 1 {
		return
	}
	w.nl()
	w.WriteString(`<nav class="pager" aria-label="Pages">`)
	w.nl()
	if p.Prev != "" {
		w.WriteString(`<a rel="prev" href="`)
		escURL(w, p.Prev)
		w.WriteString(`">Previous</a>`)
	}
	w.nl()
	w.WriteString(`<ol>`)
	for _, l := range p.Links {
		w.WriteString(`<li>`)
		switch {
		case l.N == 0:
			w.WriteString(`<span aria-hidden="true">…</span>`)
		case l.Current:
			w.WriteString(`<a href="`)
			escURL(w, l.URL)
			w.WriteString(`" aria-current="page">`)
			w.int(l.N)
			w.WriteString(`</a>`)
		default:
			w.WriteString(`<a href="`)
			escURL(w, l.URL)
			w.WriteString(`">`)
			w.int(l.N)
			w.WriteString(`</a>`)
		}
		w.WriteString(`</li>`)
	}
	w.WriteString(`</ol>`)
	w.nl()
	if p.Next != "" {
		w.WriteString(`<a rel="next" href="`)
		escURL(w, p.Next)
		w.WriteString(`">Next</a>`)
	}
	w.nl()
	w.WriteString(`</nav>`)
}
