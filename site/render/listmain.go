package render

import (
	"strings"

	"github.com/plansite/plansite/site/plan"
)

// The paged lists of the site, the dashboard and the problems, written in
// Go as sitemain.go writes a plan's page: each a row or a group by the
// hundred, each value through html/template's escapers when executed.

// optionAny writes a select's first option, of no value: the minifier
// writes an empty attribute without its quotes.
func (w layoutWriter) optionAny(label string) {
	if w.minify {
		w.WriteString(`<option value>`)
	} else {
		w.WriteString(`<option value="">`)
	}
	w.WriteString(label + `</option>`)
}

// writeProblemsMain writes problems.html's "main": the rules and their
// counts, the filters, and the problems of each file.
func (s *Site) writeProblemsMain(w layoutWriter, v *problemsView) {
	w.nl()
	w.WriteString(`<main id="main" class="wide">`)
	w.nl()
	if v.Rule != "" {
		w.WriteString(`<p class="crumbs"><a href="`)
		escURL(w, s.URL("/problems/"))
		w.WriteString(`">Problems</a></p>`)
	}
	w.nl()
	w.WriteString(`<h1>`)
	if v.Rule != "" {
		w.WriteString(`Problems: <code>`)
		escHTML(w, v.Rule)
		w.WriteString(`</code>`)
	} else {
		w.WriteString(`Problems`)
	}
	writePageOf(w, v.Pager)
	w.WriteString(`</h1>`)
	w.nl()
	w.WriteString(`<p>`)
	if v.Rule != "" {
		w.int(v.Shown)
		w.WriteString(` of `)
		w.int(v.Total)
		w.WriteString(` problems break this rule`)
	} else {
		w.int(v.Total)
		w.WriteString(` problems found in the plans`)
	}
	w.WriteString(`, grouped by file.</p>`)
	w.nl()
	if v.Total != 0 {
		w.nl()
		writeProblemRules(w, v.Rules)
		w.nl()
		writeProblemFilters(w, v.Severity)
		w.nl()
		w.WriteString(`<h2 class="visually-hidden">Files</h2>`)
		w.nl()
		for _, f := range v.Files {
			s.writeProblemFile(w, f)
		}
		w.WriteString("\n")
		writePager(w, v.Pager)
		w.WriteString("\n")
	}
	w.nl()
	w.WriteString(`</main>`)
	w.nl()
}

// writeProblemRules writes the rules problems break, each linked to its
// pages with its count.
func writeProblemRules(w layoutWriter, rules []countLink) {
	w.WriteString(`<nav aria-label="Rules"><h2 class="visually-hidden">Rules</h2><ul class="counts">`)
	for _, r := range rules {
		w.WriteString(`<li><a href="`)
		escURL(w, r.URL)
		w.WriteString(`"`)
		if r.Current {
			w.WriteString(` aria-current="page"`)
		}
		w.WriteString(`>`)
		escHTML(w, r.Name)
		w.WriteString(` <strong>`)
		w.int(r.N)
		w.WriteString(`</strong></a></li>`)
	}
	w.WriteString(`</ul></nav>`)
}

// writeProblemFilters writes the form that filters the problems by
// severity and file.
func writeProblemFilters(w layoutWriter, severities []countLink) {
	w.WriteString(`<form class="filters" id="problem-filters" hidden aria-label="Filter problems">`)
	w.nl()
	w.WriteString(`<label>Severity <select name="sev">`)
	w.optionAny("any")
	for _, c := range severities {
		w.WriteString(`<option value="`)
		escHTML(w, c.Name)
		w.WriteString(`">`)
		escHTML(w, c.Name)
		w.WriteString(` (`)
		w.int(c.N)
		w.WriteString(`)</option>`)
	}
	w.WriteString(`</select></label>` + "\n" +
		`<label>File <input type="search" name="file" placeholder="path contains" size="16"></label>` + "\n" +
		`<output name="count" aria-live="polite"></output>`)
	w.nl()
	w.WriteString(`</form>`)
}

// writeProblemFile writes the problems of one file.
func (s *Site) writeProblemFile(w layoutWriter, f problemFile) {
	w.WriteString(`<details class="problem-file" open data-source="`)
	escHTML(w, f.Source)
	w.WriteString(`">`)
	w.nl()
	w.WriteString(`<summary>`)
	escHTML(w, f.Source)
	w.WriteString(` <span class="meta">(`)
	w.int(len(f.Problems))
	if f.Continued {
		w.WriteString(`, continued`)
	}
	w.WriteString(`)</span>`)
	if f.Href != "" {
		w.WriteString(` · <a href="`)
		escURL(w, s.URL(f.Href))
		w.WriteString(`">page</a>`)
	}
	w.WriteString(`</summary>`)
	w.nl()
	w.WriteString(`<ul class="problems">`)
	writeProblemFileItems(w, f.Problems)
	w.WriteString(`</ul>`)
	w.nl()
	w.WriteString(`</details>`)
}

// writeDashboardMain writes dashboard.html's "main": the summary strip,
// the documents changed lately, the filters, and the plans of the page.
func (s *Site) writeDashboardMain(w layoutWriter, v *dashView) error {
	w.nl()
	w.WriteString(`<main id="main" class="wide">`)
	w.nl()
	w.WriteString(`<h1>`)
	escHTML(w, s.siteTitle())
	writePageOf(w, v.Pager)
	w.WriteString(`</h1>`)
	w.nl()
	s.writeDashboardStrip(w, v)
	w.nl()
	if len(v.Recent) > 0 {
		s.writeRecent(w, v.Recent)
	}
	w.nl()
	writeDashboardFilters(w, v)
	w.nl()
	for _, g := range v.Groups {
		if err := s.writeDashboardGroup(w, g); err != nil {
			return err
		}
	}
	w.WriteString("\n")
	writePager(w, v.Pager)
	w.WriteString("\n")
	if v.Home != "" {
		w.WriteString(`<section class="home-doc" aria-label="About"><article class="markdown">` + string(v.Home) + `</article></section>`)
	}
	w.nl()
	w.WriteString(`</main>`)
	w.nl()
	return nil
}

// writeDashboardStrip writes the summary strip: documents by state,
// completion, changes and problems.
func (s *Site) writeDashboardStrip(w layoutWriter, v *dashView) {
	sm := v.Summary
	tile := func(class, open string, n int, close string) {
		w.WriteString(`<li` + class + `>` + open + `<strong>`)
		w.int(n)
		w.WriteString(`</strong> ` + close + `</li>`)
		w.nl()
	}
	classIf := func(n int, class string) string {
		if n != 0 {
			return ` class="` + class + `"`
		}
		return ""
	}
	home := func(status string) string {
		var b strings.Builder
		escURL(&b, s.URL("/"))
		return `<a href="` + b.String() + `?status=` + status + `">`
	}
	w.WriteString(`<section class="strip" aria-labelledby="strip-h">`)
	w.nl()
	w.WriteString(`<h2 id="strip-h" class="visually-hidden">Summary</h2>`)
	w.nl()
	w.WriteString(`<ul class="tiles">`)
	w.nl()
	tile("", home("open"), sm.Open, "open</a>")
	tile("", home("in-progress"), sm.InProgress, "in progress</a>")
	tile(classIf(sm.Blocked, "tile-bad"), home("blocked"), sm.Blocked, "blocked</a>")
	tile(classIf(sm.Stale, "tile-warn"), `<span title="In progress, not updated for `+itoa(sm.StaleDays)+` days">`, sm.Stale, "stale</span>")
	done, total, p := itoa(sm.Done), itoa(sm.Total), itoa(pct(sm.Done, sm.Total))
	w.WriteString(`<li class="tile-wide"><span><strong>` + p + `%</strong> complete</span>` + "\n" +
		`<span class="bar" role="img" aria-label="` + done + ` of ` + total + ` checkboxes checked (` + p + `%)"><span style="width:` + p + `%"></span></span>` + "\n" +
		`<span class="figures">` + done + `/` + total + ` checked</span></li>`)
	w.nl()
	tile("", "<span>", sm.Changed, "changed this week</span>")
	var problems strings.Builder
	escURL(&problems, s.URL("/problems/"))
	tile(classIf(sm.Problems, "tile-warn"), `<a href="`+problems.String()+`">`, sm.Problems, "problems</a>")
	w.WriteString(`</ul>`)
	w.nl()
	w.WriteString(`<p class="meta">`)
	w.int(v.Plans)
	w.WriteString(` plans · `)
	w.int(v.Docs)
	w.WriteString(` documents`)
	if v.Pager.Pages > 1 {
		w.WriteString(` · page `)
		w.int(v.Pager.Page)
		w.WriteString(` of `)
		w.int(v.Pager.Pages)
	}
	w.WriteString(`</p>`)
	w.nl()
	w.WriteString(`</section>`)
}

// writeRecent writes the documents changed lately.
func (s *Site) writeRecent(w layoutWriter, docs []*plan.Doc) {
	w.WriteString(`<section class="recent" aria-labelledby="recent-h"><h2 id="recent-h">Changed lately</h2>`)
	w.nl()
	w.WriteString(`<ul>`)
	for _, d := range docs {
		w.WriteString(`<li><a href="`)
		escURL(w, s.URL(d.URL))
		w.WriteString(`">`)
		escHTML(w, d.Title)
		w.WriteString(`</a> `)
		statusBadge(w, d.Status)
		w.WriteString(` <span class="meta">`)
		if d.Updated != nil {
			writeTime(w, d.Updated)
		}
		w.WriteString(`</span></li>`)
	}
	w.WriteString(`</ul>`)
	w.nl()
	w.WriteString(`</section>`)
}

// writeDashboardFilters writes the form that filters and sorts the plans.
func writeDashboardFilters(w layoutWriter, v *dashView) {
	w.WriteString(`<form class="filters" id="filters" hidden aria-label="Filter and sort plans">`)
	w.nl()
	w.WriteString(`<label>Status <select name="status">`)
	w.optionAny("any")
	w.WriteString(`<option value="open">open</option>`)
	for _, st := range v.Statuses {
		w.WriteString(`<option value="`)
		escHTML(w, st)
		w.WriteString(`">`)
		escHTML(w, statusLabel(st))
		w.WriteString(`</option>`)
	}
	w.WriteString(`</select></label>` + "\n" + `<label>Agent <select name="agent">`)
	w.optionAny("any")
	for _, a := range v.Agents {
		w.WriteString(`<option value="`)
		escHTML(w, a)
		w.WriteString(`">`)
		escHTML(w, a)
		w.WriteString(`</option>`)
	}
	w.WriteString(`</select></label>` + "\n" +
		`<label>Find <input type="search" name="q" placeholder="title or path" size="14"></label>` + "\n" +
		`<label>Sort <select name="sort">`)
	w.optionAny("needs attention")
	w.WriteString(`<option value="updated">last updated</option><option value="completion">completion</option><option value="title">title</option></select></label>` + "\n" +
		`<button type="button" data-fold="close">Collapse all</button> <button type="button" data-fold="open">Expand all</button>` + "\n" +
		`<output name="count" aria-live="polite"></output>`)
	w.nl()
	w.WriteString(`</form>`)
}

// writeDashboardGroup writes one plan of the dashboard: its facts and
// the table of its documents.
func (s *Site) writeDashboardGroup(w layoutWriter, g dashGroup) error {
	w.nl()
	w.WriteString(`<details class="group" open id="`)
	escHTML(w, g.Anchor)
	w.WriteString(`" data-status="`)
	escHTML(w, g.Status)
	w.WriteString(`" data-updated="`)
	escHTML(w, g.Updated)
	w.WriteString(`" data-completion="`)
	w.int(pct(g.Done, g.Total))
	w.WriteString(`" data-title="`)
	escHTML(w, g.Title)
	w.WriteString(`">`)
	w.nl()
	w.WriteString(`<summary><h2>`)
	escHTML(w, g.Title)
	if g.Continued {
		w.WriteString(` <span class="meta">(continued)</span>`)
	}
	w.WriteString(`</h2>`)
	w.nl()
	writeGroupFacts(w, g)
	w.WriteString(`</summary>`)
	w.nl()
	if g.URL != "" || g.Dir != "" {
		w.WriteString(`<p class="meta group-links">`)
		if g.Dir != "" {
			w.WriteString(`<span class="path">`)
			escHTML(w, g.Dir)
			w.WriteString(`</span>`)
		}
		if g.URL != "" {
			w.WriteString(` · <a href="`)
			escURL(w, s.URL(g.URL))
			w.WriteString(`">plan page</a>`)
		}
		w.WriteString(`</p>`)
	}
	w.WriteString("\n")
	if err := s.writePhaseTable(w, g.Rows); err != nil {
		return err
	}
	w.nl()
	w.WriteString(`</details>`)
	w.nl()
	return nil
}

// writeGroupFacts writes a plan's status, documents, work in progress,
// blocked work, completion and last update.
func writeGroupFacts(w layoutWriter, g dashGroup) {
	w.WriteString(`<span class="group-facts">`)
	statusBadge(w, g.Status)
	w.WriteString(` <span class="meta">`)
	w.int(g.Docs)
	if g.Docs == 1 {
		w.WriteString(` document`)
	} else {
		w.WriteString(` documents`)
	}
	if g.InProgress != 0 {
		w.WriteString(` · `)
		w.int(g.InProgress)
		w.WriteString(` in progress`)
	}
	if g.Blocked != 0 {
		w.WriteString(` · `)
		w.int(g.Blocked)
		w.WriteString(` blocked`)
	}
	if g.Total != 0 {
		w.WriteString(` · `)
		w.int(pct(g.Done, g.Total))
		w.WriteString(`% (`)
		w.int(g.Done)
		w.WriteString(`/`)
		w.int(g.Total)
		w.WriteString(`)`)
	}
	if g.Updated != "" {
		w.WriteString(` · updated `)
		writeTime(w, &g.Updated)
	}
	w.WriteString(`</span></span>`)
}
