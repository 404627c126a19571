package render

import (
	"bytes"
	"strconv"

	"github.com/plansite/plansite/site/plan"
)

// A document's page is most of a site's pages, and doc.html's "main", with
// the partials it calls, was sixty-odd actions a page, each value printed
// through html/template's escapers by reflective calls. When doc.html,
// partials.html and widgets.html are the theme's own, "main" is written
// here instead, section by section as doc.html has them, each value
// escaped as html/template escapes it in its place (escHTML in text and
// quoted attributes, escURL in an href, escURLPart after "#"). The layout
// stays the source of truth: TestLayoutsInGoMatchTemplates builds every
// corpus with it and with doc.html executed, minified and not, and wants
// the same bytes. A site's own layouts are executed as before.

// layoutWriter writes a layout's markup as the layout prints it.
type layoutWriter struct {
	*bytes.Buffer
	minify bool
}

// nl is a line break of the layout's source beside a block tag, which the
// minifier drops. A break it keeps (between two actions, or two inline
// elements) is written as "\n".
func (w layoutWriter) nl() {
	if !w.minify {
		w.WriteByte('\n')
	}
}

// int writes n as a template prints it.
func (w layoutWriter) int(n int) { w.WriteString(strconv.Itoa(n)) }

// writeDocMain writes doc.html's "main" for v, body in its place.
func (s *Site) writeDocMain(buf *bytes.Buffer, v *docView, body []byte) error {
	w := layoutWriter{Buffer: buf, minify: s.Opts.Minify}
	w.nl()
	w.WriteString(`<div class="doc-layout">`)
	w.nl()
	w.WriteString(`<main id="main">`)
	w.nl()
	if err := s.writeDocHeader(w, v); err != nil {
		return err
	}
	s.writePrevNext(w, v)
	w.WriteString("\n")
	if err := s.writeDocPhases(w, v.Phases); err != nil {
		return err
	}
	s.writeDocProgress(w, v)
	w.nl()
	w.WriteString(`<article class="markdown" aria-label="Document">`)
	w.Write(body)
	w.WriteString(`</article>`)
	w.nl()
	if len(v.Problems) > 0 {
		w.WriteString(`<section id="problems" aria-labelledby="problems-h"><h2 id="problems-h">Problems</h2>`)
		writeProblems(w, v.Problems)
		w.WriteString(`</section>`)
	}
	w.WriteString("\n")
	s.writePrevNext(w, v)
	w.nl()
	w.WriteString(`</main>`)
	w.nl()
	if err := s.writeDocSide(w, v); err != nil {
		return err
	}
	w.nl()
	w.WriteString(`</div>`)
	w.nl()
	return nil
}

// writeDocHeader writes the page's header card: where the document is,
// its title, its facts, its links to the repository and what supersedes it.
func (s *Site) writeDocHeader(w layoutWriter, v *docView) error {
	d := v.Doc
	w.WriteString(`<header class="card">`)
	w.nl()
	w.WriteString(`<p class="crumbs">`)
	if v.Series != nil {
		w.WriteString(`<a href="`)
		escURL(w, s.URL(v.Series.URL))
		w.WriteString(`">`)
		escHTML(w, v.Series.Title)
		w.WriteString(`</a> · `)
	}
	if d.Phase != "" {
		w.WriteString(`Phase `)
		escHTML(w, d.Phase)
		w.WriteString(` · `)
	}
	escHTML(w, string(d.Kind))
	w.WriteString(`</p>`)
	w.nl()
	w.WriteString(`<h1`)
	if v.TitleAnchor != "" {
		w.WriteString(` id="`)
		escHTML(w, v.TitleAnchor)
		w.WriteString(`"`)
	}
	w.WriteString(`>`)
	escHTML(w, d.Title)
	w.WriteString(`</h1>`)
	w.nl()
	if err := s.writeDocFacts(w, v); err != nil {
		return err
	}
	w.nl()
	if v.SourceURL != "" || v.EditURL != "" {
		w.WriteString(`<p class="repo-links">`)
		if v.SourceURL != "" {
			w.WriteString(`<a href="`)
			escURL(w, v.SourceURL)
			w.WriteString(`">View source</a>`)
		}
		if v.EditURL != "" {
			w.WriteString(` · <a href="`)
			escURL(w, v.EditURL)
			w.WriteString(`">Edit</a>`)
		}
		w.WriteString(`</p>`)
	}
	w.WriteString("\n")
	if len(v.SupersededBy) > 0 {
		w.WriteString(`<p class="notice" role="note">This decision is superseded by `)
		for i, o := range v.SupersededBy {
			if i > 0 {
				w.WriteString(`, `)
			}
			w.WriteString(`<a href="`)
			escURL(w, s.URL(o.URL))
			w.WriteString(`">`)
			if o.Order != "" {
				escHTML(w, o.Order)
				w.WriteString(` `)
			}
			escHTML(w, o.Title)
			w.WriteString(`</a>`)
		}
		w.WriteString(`.</p>`)
	}
	w.nl()
	w.WriteString(`</header>`)
	w.nl()
	return nil
}

// writeDocFacts writes the header's list of facts: status, completion,
// dates, duration, goal, and the decision the document records.
func (s *Site) writeDocFacts(w layoutWriter, v *docView) error {
	d := v.Doc
	w.WriteString(`<dl class="facts">`)
	w.nl()
	w.WriteString(`<div><dt>Status</dt><dd>`)
	reading, err := s.showReading(readDoc(d))
	if err != nil {
		return err
	}
	w.WriteString(string(reading))
	if text := asWritten(d); text != "" {
		w.WriteString(` <span class="as-written">“`)
		escHTML(w, text)
		w.WriteString(`”</span>`)
	}
	w.WriteString(`</dd></div>`)
	w.nl()
	if v.Decision == nil {
		completion, err := s.showCompletion(d.Completion)
		if err != nil {
			return err
		}
		w.WriteString(`<div class="wide-fact"><dt>Completion</dt><dd>`)
		w.WriteString(string(completion))
		w.WriteString(`</dd></div>`)
	}
	w.WriteString("\n")
	writeDateFact(w, "Started", d.Start)
	writeDateFact(w, "Done", d.Done)
	writeDateFact(w, "Updated", d.Updated)
	if d.Duration != "" {
		w.WriteString(`<div><dt>Duration</dt><dd>`)
		escHTML(w, d.Duration)
		w.WriteString(`</dd></div>`)
	}
	w.WriteString("\n")
	if d.Goal != "" {
		w.WriteString(`<div class="wide-fact"><dt>Goal</dt><dd>`)
		escHTML(w, d.Goal)
		w.WriteString(`</dd></div>`)
	}
	w.WriteString("\n")
	if dec := v.Decision; dec != nil {
		w.WriteString(`<div class="wide-fact"><dt>Decision</dt><dd>`)
		if dec.Number != "" {
			escHTML(w, dec.Number)
			w.WriteString(` · `)
		}
		w.WriteString(string(decisionState(dec)))
		w.WriteString(` · <a href="`)
		escURL(w, s.URL("/decision-log/"))
		w.WriteString(`">decision log</a></dd></div>`)
		w.nl()
		if len(dec.Relations) > 0 {
			w.WriteString(`<div class="wide-fact"><dt>Relations</dt><dd>`)
			w.WriteString(string(s.relations(dec)))
			w.WriteString(`</dd></div>`)
		}
	}
	w.nl()
	w.WriteString(`</dl>`)
	return nil
}

// writeDateFact writes a fact that is a date, when the document gives it.
func writeDateFact(w layoutWriter, name string, at *string) {
	if at != nil {
		w.WriteString(`<div><dt>` + name + `</dt><dd><time datetime="`)
		escHTML(w, *at)
		w.WriteString(`">`)
		escHTML(w, date(at))
		w.WriteString(`</time></dd></div>`)
	}
	w.WriteString("\n")
}

// writePrevNext writes doc.html's "prevnext": the previous and next phase.
func (s *Site) writePrevNext(w layoutWriter, v *docView) {
	if v.Prev == nil && v.Next == nil {
		return
	}
	w.nl()
	w.WriteString(`<nav class="prevnext" aria-label="Previous and next phase">`)
	w.nl()
	if v.Prev != nil {
		w.WriteString(`<a rel="prev" class="prev" href="`)
		escURL(w, s.URL(v.Prev.URL))
		w.WriteString(`"><span>Previous</span> `)
		escHTML(w, v.Prev.Title)
		w.WriteString(`</a>`)
	}
	w.WriteString("\n")
	if v.Next != nil {
		w.WriteString(`<a rel="next" class="next" href="`)
		escURL(w, s.URL(v.Next.URL))
		w.WriteString(`"><span>Next</span> `)
		escHTML(w, v.Next.Title)
		w.WriteString(`</a>`)
	}
	w.nl()
	w.WriteString(`</nav>`)
}

// writeDocPhases writes the timeline of a document of several phases.
func (s *Site) writeDocPhases(w layoutWriter, phases []*plan.Phase) error {
	if len(phases) > 0 {
		w.nl()
		w.WriteString(`<section aria-labelledby="phases-h"><h2 id="phases-h">Phases</h2>`)
		w.nl()
		w.WriteString(`<ol class="timeline">`)
		for _, p := range phases {
			if err := s.writePhaseItem(w, p); err != nil {
				return err
			}
		}
		w.WriteString(`</ol>`)
		w.nl()
		w.WriteString(`</section>`)
		w.nl()
	}
	w.WriteString("\n")
	return nil
}

// writePhaseItem writes one phase of the timeline: its status, checkboxes
// and agents.
func (s *Site) writePhaseItem(w layoutWriter, p *plan.Phase) error {
	w.WriteString(`<li class="status-`)
	escHTML(w, p.Status)
	w.WriteString(`"><h3><a href="#`)
	escURLPart(w, p.Anchor)
	w.WriteString(`">Phase `)
	escHTML(w, p.Number)
	w.WriteString(`: `)
	escHTML(w, p.Title)
	w.WriteString(`</a></h3>`)
	w.nl()
	status := p.Status
	if status == plan.Unknown {
		status = ""
	}
	reading, err := s.showReading(readStatus(status, p.Done, p.Total))
	if err != nil {
		return err
	}
	w.WriteString(`<p>`)
	w.WriteString(string(reading))
	if p.Total != 0 {
		w.WriteString(` · `)
		w.int(p.Done)
		w.WriteString(`/`)
		w.int(p.Total)
		w.WriteString(` checked (`)
		w.int(pct(p.Done, p.Total))
		w.WriteString(`%)`)
	}
	if p.Declared != nil {
		w.WriteString(` · `)
		escHTML(w, trimFloat(*p.Declared))
		w.WriteString(`% declared`)
	}
	if len(p.Agents) > 0 {
		w.WriteString(` · `)
		for i, a := range p.Agents {
			if i > 0 {
				w.WriteString(`, `)
			}
			s.agentName(w, a)
		}
	}
	w.WriteString(`</p></li>`)
	return nil
}

// writeDocProgress writes the sections of the document's progress: its
// gates, its tasks, its agent matrix and its burndown.
func (s *Site) writeDocProgress(w layoutWriter, v *docView) {
	d := v.Doc
	if len(d.Gates) > 0 {
		w.nl()
		w.WriteString(`<section aria-labelledby="gates-h"><h2 id="gates-h">Gates</h2>`)
		w.nl()
		w.WriteString(`<p>`)
		w.int(v.GatesPassed)
		w.WriteString(` of `)
		w.int(len(d.Gates))
		w.WriteString(` passed</p>`)
		w.nl()
		w.WriteString(`<ul class="gates">`)
		writeGateItems(w, d.Gates)
		w.WriteString(`</ul>`)
		w.nl()
		w.WriteString(`</section>`)
		w.nl()
	}
	w.WriteString("\n")
	if len(d.Tasks) > 0 {
		w.nl()
		w.WriteString(`<section aria-labelledby="tasks-h"><h2 id="tasks-h">Tasks</h2>`)
		w.nl()
		w.WriteString(`<div class="scroll" role="region" aria-label="Tasks" tabindex="0">`)
		w.nl()
		w.WriteString(`<table class="tasks"><thead><tr><th scope="col">Task</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Checked</th><th scope="col">Agents</th></tr></thead>`)
		w.nl()
		w.WriteString(`<tbody>`)
		s.writeTaskRows(w, d.Tasks)
		w.WriteString(`</tbody></table>`)
		w.nl()
		w.WriteString(`</div>`)
		w.nl()
		w.WriteString(`</section>`)
		w.nl()
	}
	w.WriteString("\n")
	if v.Matrix != nil {
		w.WriteString(`<section aria-labelledby="matrix-h"><h2 id="matrix-h">Agent matrix</h2>`)
		s.writeMatrixTable(w, v.Matrix)
		w.WriteString(`</section>`)
	}
	w.WriteString("\n")
	if v.Burndown != nil {
		w.WriteString(`<section aria-labelledby="burndown-h"><h2 id="burndown-h">Burndown</h2>`)
		writeBurndown(w, v.Burndown)
		w.WriteString(`</section>`)
	}
}

// writeDocSide writes the sidebar: the plan's documents, the documents of
// the same phase, the contents.
func (s *Site) writeDocSide(w layoutWriter, v *docView) error {
	w.WriteString(`<aside class="side" aria-label="Plan and contents">`)
	w.nl()
	if n := v.Plan; n != nil {
		w.WriteString(`<nav class="plan-nav" aria-labelledby="plan-nav-h"><h2 id="plan-nav-h">This plan</h2>`)
		w.nl()
		w.WriteString(`<p class="plan-title"><a href="`)
		escURL(w, s.URL(n.URL))
		w.WriteString(`">`)
		escHTML(w, n.Title)
		w.WriteString(`</a></p>`)
		w.nl()
		reading, err := s.showReading(n.Figures.Reading)
		if err != nil {
			return err
		}
		w.WriteString(`<p class="plan-figures">`)
		w.WriteString(string(reading))
		w.WriteString(` · `)
		if n.Figures.Total != 0 {
			w.int(pct(n.Figures.Done, n.Figures.Total))
			w.WriteString(`% (`)
			w.int(n.Figures.Done)
			w.WriteString(`/`)
			w.int(n.Figures.Total)
			w.WriteString(`)`)
		} else {
			w.WriteString(`no checkboxes`)
		}
		w.WriteString(`</p>`)
		w.nl()
		w.WriteString(`<ol>`)
		s.writePlanNavItems(w, n.Docs)
		w.WriteString(`</ol>`)
		w.nl()
		w.WriteString(`</nav>`)
	}
	w.WriteString("\n")
	if len(v.Related) > 0 {
		w.WriteString(`<nav aria-labelledby="related-h"><h2 id="related-h">Same phase</h2><ul>`)
		s.writeRelatedItems(w, v.Related)
		w.WriteString(`</ul></nav>`)
	}
	w.WriteString("\n")
	if len(v.TOC) > 0 {
		w.WriteString(`<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Contents</h2><ul>`)
		writeTOCItems(w, v.TOC)
		w.WriteString(`</ul></nav>`)
	}
	w.nl()
	w.WriteString(`</aside>`)
	return nil
}

// writeBurndown writes partials.html's "burndown": the chart, what it
// says, and its table.
func writeBurndown(w layoutWriter, b *burndownView) {
	w.nl()
	w.WriteString(`<figure class="chart">`)
	w.nl()
	if b.SVG != "" {
		w.WriteString(`<div class="chart-scroll">`)
		w.WriteString(string(b.SVG))
		w.WriteString(`</div>`)
	}
	w.nl()
	w.WriteString(`<figcaption>`)
	escHTML(w, b.Desc)
	if b.Note != "" {
		w.WriteString(` `)
		escHTML(w, b.Note)
	}
	w.WriteString(`</figcaption>`)
	w.nl()
	if len(b.Rows) > 0 {
		w.WriteString(`<details><summary>Burndown as a table</summary>`)
		w.nl()
		w.WriteString(`<div class="scroll" role="region" aria-label="Burndown as a table" tabindex="0">`)
		w.nl()
		w.WriteString(`<table class="burndown-table"><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Entry</th><th scope="col">Done, as written</th><th scope="col">Left</th><th scope="col">Scope</th></tr></thead>`)
		w.nl()
		w.WriteString(`<tbody>`)
		for _, r := range b.Rows {
			w.WriteString(`<tr>`)
			for _, cell := range [...]string{r.When, r.What, r.Label, r.Done, r.Remaining, r.Scope} {
				w.WriteString(`<td>`)
				escHTML(w, cell)
				w.WriteString(`</td>`)
			}
			w.WriteString(`</tr>`)
		}
		w.WriteString(`</tbody></table>`)
		w.nl()
		w.WriteString(`</div>`)
		w.nl()
		w.WriteString(`</details>`)
	}
	w.nl()
	w.WriteString(`</figure>`)
	w.nl()
}

// writeProblems writes partials.html's "problems": a document's problems,
// each linked to its line.
func writeProblems(w layoutWriter, problems []problemView) {
	w.nl()
	w.WriteString(`<ul class="problems">`)
	for _, p := range problems {
		w.WriteString(`<li class="sev-`)
		escHTML(w, string(p.Severity))
		w.WriteString(`"><span class="sev">`)
		escHTML(w, string(p.Severity))
		w.WriteString(`</span> <a href="`)
		escURL(w, p.Href)
		w.WriteString(`">`)
		escHTML(w, p.Source)
		w.WriteString(`:`)
		w.int(p.Line)
		w.WriteString(`</a> `)
		escHTML(w, p.Message)
		w.WriteString(` <code>`)
		escHTML(w, string(p.Code))
		w.WriteString(`</code></li>`)
	}
	w.WriteString(`</ul>`)
	w.nl()
}
