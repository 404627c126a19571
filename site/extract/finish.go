package extract

import (
	"bytes"
	"fmt"
	"math"
	"path"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/plansite/plansite/site/plan"
)

// finish settles what needs the whole document: the document's own fields
// (header first, then footer), tables applied to tasks, default statuses,
// the one-phase document's phase, links, and the problems found.
func (w *walker) finish(frontMatter []field) {
	d := w.doc
	// Front matter is the document's own record: it wins over the body.
	for _, f := range frontMatter {
		f = w.mapKey(f)
		w.header[f.key] = f
		w.setMeta(f)
		w.trace(f.line, "field", "front matter %s → %s: %s", f.label, f.key, f.value)
		if f.key == "title" && strings.TrimSpace(f.value) != "" {
			d.Title = f.value // over the first heading
			w.trace(f.line, "title", "%q, from the front matter", f.value)
		}
	}
	if d.Title == "" {
		if t, ok := w.header["title"]; ok {
			d.Title = t.value
		} else {
			d.Title = titleFromPath(d.Source)
		}
	}
	d.Title = stripInline(d.Title)
	// The header wins; the footer and a "## Current State" fill what it lacks.
	get := func(key string) (field, bool) {
		if f, ok := w.header[key]; ok {
			return f, true
		}
		if f, ok := w.footer[key]; ok {
			return f, true
		}
		f, ok := w.current[key]
		return f, ok
	}
	for k, f := range w.footer {
		if _, ok := d.Meta[k]; !ok {
			w.setMeta(f)
		}
		if h, ok := w.header[k]; ok && (k == "status" || k == "updated") && w.disagree(k, h.value, f.value) {
			w.problem(f.line, plan.SevWarning, plan.CodeHeaderFooterMismatch, "%s at the end (%q) differs from the header's (%q, line %d); the header wins",
				h.label, stripInline(f.value), stripInline(h.value), h.line)
		}
	}
	for k, f := range w.current {
		if _, ok := d.Meta[k]; !ok {
			w.setMeta(f)
		}
	}
	if f, ok := get("status"); ok {
		d.Status, d.StatusText, d.StatusLine = w.status(f), stripInline(f.value), f.line
	} else if w.statusHead != "" {
		d.Status, d.StatusText = w.normStatus(w.statusHead), w.statusHead
	} else if f := w.statusPara; f.line > 0 {
		d.Status, d.StatusText, d.StatusLine = w.status(f), stripInline(f.value), f.line
	} else if st, suffix, _ := StatusFromSuffix(d.Title); st != plan.Unknown {
		d.Status, d.StatusText = st, suffix
	}
	if d.Status != plan.Unknown {
		w.trace(max(d.StatusLine, 1), "status", "%s, written %q", d.Status, d.StatusText)
	}
	for key, dst := range map[string]**string{"start": &d.Start, "done": &d.Done, "updated": &d.Updated} {
		f, ok := get(key)
		if !ok {
			continue
		}
		v := stripInline(f.value)
		if ts, ok := ParseTimestamp(v, w.zone); ok {
			s := ts.RFC3339()
			*dst = &s
		} else if dateAttemptRe.MatchString(v) && d.Kind != plan.KindTemplate {
			w.problem(f.line, plan.SevWarning, plan.CodeBadDate, "%s %q is not a date plansite can read (use YYYY-MM-DD, optionally with a time and zone)", f.label, v)
		}
	}
	if f, ok := get("completion"); ok {
		d.Completion.Declared = percentOf(f.value)
	}
	if d.Completion.Declared == nil && d.StatusText != "" {
		d.Completion.Declared = percentOf(d.StatusText)
	}
	if f, ok := get("duration"); ok {
		d.Duration = stripInline(f.value)
	}
	if f, ok := get("goal"); ok {
		d.Goal = stripInline(f.value)
	}
	w.applyOverview()
	w.applyTables()
	if w.rec.boxStatus != nil && w.rec.boxStatus(w) {
		// A tasks file with no status line says its status with its boxes.
		if d.Status == plan.Unknown && d.StatusText == "" {
			if st := plan.BoxesStatus(d.Completion.Done, d.Completion.Total); st != plan.Unknown {
				d.Status = st
				w.trace(1, "status", "%s, from %d of %d boxes ticked", st, d.Completion.Done, d.Completion.Total)
			}
		}
		for _, p := range d.Phases {
			if p.Status == plan.Unknown {
				p.Status = plan.BoxesStatus(p.Done, p.Total)
			}
		}
	}
	if w.rec.finish != nil {
		w.rec.finish(w)
	}
	if !w.rec.noDocPhase {
		w.onePhase()
	}
	// A phase that says no status of its own has the status its boxes give,
	// and passes it to its tasks that have none ("1B-2" in a phase 1B whose
	// boxes are all ticked is done).
	for _, p := range d.Phases {
		if p.Status == plan.Unknown && p.Total > 0 {
			p.Status = plan.BoxesStatus(p.Done, p.Total)
		}
	}
	for _, t := range d.Tasks {
		if t.Status == plan.Unknown {
			switch {
			case t.Total > 0 && t.Done == t.Total:
				t.Status = plan.Complete
			case t.Done > 0:
				t.Status = plan.InProgress
			case t.Total > 0:
				t.Status = plan.NotStarted
			default:
				t.Status = w.groupStatus(t)
			}
			if t.Status == plan.Unknown {
				t.Status = w.completePhaseOf(t)
			}
		}
	}
	w.collectLinks()
	w.readLogDone()
	if w.looksLikeTemplate() || placeholderTitleRe.MatchString(d.Title) {
		d.Kind = plan.KindTemplate
	}
	if d.Kind != plan.KindTemplate {
		w.consistency()
		for _, f := range w.unknown {
			w.problem(f.line, plan.SevInfo, plan.CodeUnknownStatus, "status %q is not a word plansite knows; kept as written (map it in plansite.toml: [status] %q = \"in-progress\")",
				stripInline(f.value), strings.ToLower(firstWords(stripInline(f.value))))
		}
	}
	if !w.rec.noDocPhase {
		d.Phase = w.docPhase()
	}

}

func (w *walker) disagree(key, a, b string) bool {
	if key == "status" {
		return w.normStatus(a) != w.normStatus(b)
	}
	ta, oka := ParseTimestamp(stripInline(a), w.zone)
	tb, okb := ParseTimestamp(stripInline(b), w.zone)
	if oka && okb {
		return !ta.T.Equal(tb.T) && ta.RFC3339()[:10] != tb.RFC3339()[:10]
	}
	return stripInline(a) != stripInline(b)
}

// groupStatus is the status written on the heading that groups a task:
// "### Day 6-7: Database & Redis Setup (Complete)".
func (w *walker) groupStatus(t *plan.Task) string {
	var group *plan.Heading
	for _, h := range w.doc.Headings {
		if h.Line >= t.Line {
			break
		}
		group = h
	}
	if group != nil && group.Line != t.Line {
		if st, _, _ := StatusFromSuffix(group.Text); st != plan.Unknown {
			return st
		}
	}
	return plan.Unknown
}

func titleFromPath(source string) string {
	b := strings.TrimSuffix(path.Base(source), path.Ext(source))
	if strings.Trim(b, "-_ ") == "" {
		return source
	}
	return plan.NameTitle(b)
}

// applyOverview gives phases the status of their overview-table row when
// their own section did not say; a document with no phase sections takes
// its phases from the table.
func (w *walker) applyOverview() {
	if len(w.overview) == 0 {
		return
	}
	if !w.multiPhase && len(w.overviewOrder) >= 2 {
		for _, key := range w.overviewOrder {
			r := w.overview[key]
			if _, ok := w.phaseByNum[key]; ok {
				continue
			}
			p := &plan.Phase{Number: key, Title: r.title, Status: plan.Unknown, Line: r.line}
			w.phaseByNum[key] = p
			w.doc.Phases = append(w.doc.Phases, p)
		}
		w.multiPhase = true
	}
	for key, p := range w.phaseByNum {
		r, ok := w.overview[key]
		if !ok {
			continue
		}
		if p.Status == plan.Unknown && r.status != plan.Unknown {
			p.Status, p.StatusText = r.status, r.statusText
		}
		if p.Declared == nil {
			p.Declared = r.declared
		}
		if p.Title == "" {
			p.Title = r.title
		}
	}
}

// applyTables hands table assignments to tasks. A task's own fields win for
// the roles they name; a table fills the others. Table rows for ids with no
// task of their own become tasks.
func (w *walker) applyTables() {
	byID := map[string][]*plan.Task{}
	for _, t := range w.doc.Tasks {
		byID[t.ID] = append(byID[t.ID], t)
	}
	for _, pt := range w.tables {
		for _, r := range pt.rows {
			for _, id := range r.ids {
				tasks := byID[id]
				if len(tasks) > 1 {
					var same []*plan.Task
					for _, t := range tasks {
						if t.Phase == pt.phase {
							same = append(same, t)
						}
					}
					if len(same) > 0 {
						tasks = same
					}
				}
				if len(tasks) == 0 && len(r.ids) == 1 && r.title != "" {
					t := &plan.Task{ID: id, Title: cleanTitle(r.title), Status: w.normStatus(r.status), StatusText: stripInline(r.status), Phase: pt.phase, Line: r.line}
					if r.status == "" {
						t.Status = plan.Unknown
					}
					t.Points = pointsOf(r.effort + " pts")
					w.doc.Tasks = append(w.doc.Tasks, t)
					byID[id] = []*plan.Task{t}
					w.fromTable[t] = true
					tasks = byID[id]
				}
				for _, t := range tasks {
					if t.Status == plan.Unknown && r.status != "" && !w.fromTable[t] {
						t.Status, t.StatusText = w.normStatus(r.status), stripInline(r.status)
					}
					for _, role := range plan.Roles {
						if w.ownRoles[t][role] {
							continue
						}
						for _, a := range r.agents[role] {
							if len(a.only) > 0 && !contains(a.only, id) {
								continue
							}
							addAgent(t, a.name, role, r.line)
						}
					}
				}
			}
		}
	}
}

// docPhase is the phase a document is about, from its title or file name
// ("Phase 2 Progress: Infrastructure Preservation", phase-2-….md), or "".
// A tracker of phase 1 may still hold sub-phases 1A–1D as sections.
func (w *walker) docPhase() string {
	d := w.doc
	if m := phaseTitleRe.FindStringSubmatch(cleanHeading(d.Title)); m != nil && !bannerRe.MatchString(d.Title) {
		return m[1]
	}
	if m := phaseFileRe.FindStringSubmatch(strings.ToLower(path.Base(d.Source))); m != nil {
		return m[1]
	}
	return ""
}

// onePhase makes the phase of a one-phase document.
func (w *walker) onePhase() {
	d := w.doc
	if w.multiPhase || len(d.Phases) > 0 {
		return
	}
	num := w.docPhase()
	if num == "" {
		return
	}
	title := d.Title
	if m := phaseTitleRe.FindStringSubmatch(cleanHeading(d.Title)); m != nil {
		title = m[2]
	}
	_, _, rest := StatusFromSuffix(title)
	p := &plan.Phase{Number: num, Title: cleanTitle(rest), Status: d.Status, StatusText: d.StatusText, Declared: d.Completion.Declared,
		Done: d.Completion.Done, Total: d.Completion.Total, Line: 1}
	if len(d.Headings) > 0 {
		p.Anchor, p.Line = d.Headings[0].Anchor, d.Headings[0].Line
	}
	d.Phases = []*plan.Phase{p}
}

var schemeRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// collectLinks lists the document's links to other files (external and
// in-page links are not checked here).
func (w *walker) collectLinks() { w.collectLinksIn(w.root) }

// collectLinksIn is collectLinks under n, in document order (ast.Walk's,
// by hand: a document's nodes are mostly text, which holds no link and
// need not be entered and left through a callback). A paragraph without a
// "[" in its lines holds no link or image, and is not entered, unless
// context references were made links (they have none).
func (w *walker) collectLinksIn(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.Kind() {
		case ast.KindText:
			continue // a leaf
		case ast.KindParagraph, ast.KindTextBlock:
			if w.contextLinks == nil && !w.linesHold(c, '[') {
				continue // inline content only
			}
		case ast.KindHeading, ast.KindImage:
			w.marks = append(w.marks, c)
		case ast.KindLink:
			w.marks = append(w.marks, c)
			w.link(c.(*ast.Link))
		}
		if c.HasChildren() {
			w.collectLinksIn(c)
		}
	}
}

// linesHold reports whether the source lines of the block n hold c.
func (w *walker) linesHold(n ast.Node, c byte) bool {
	lines := n.Lines()
	for i := range lines.Len() {
		s := lines.At(i)
		if bytes.IndexByte(w.src[s.Start:s.Stop], c) >= 0 {
			return true
		}
	}
	return false
}

// link records a link to a document or file of the site.
func (w *walker) link(l *ast.Link) {
	target := string(l.Destination)
	if target == "" || strings.HasPrefix(target, "#") || schemeRe.MatchString(target) || strings.HasPrefix(target, "//") {
		return
	}
	link := &plan.Link{Target: target, Text: w.plain(l), Line: w.nodeLine(l)}
	if w.contextLinks[l] {
		link.Kind = plan.LinkContext
	} else {
		link.Kind = w.relationOf(l)
	}
	w.doc.Links = append(w.doc.Links, link)
	if link.Kind != "" {
		w.trace(link.Line, "link", "%s %s", link.Kind, target)
	}
}

// relationOf is the relation written just before a link ("superseded by",
// "revises"); a link after "and" or a comma shares the one before it.
func (w *walker) relationOf(l *ast.Link) string {
	var lead []string
	for c := l.PreviousSibling(); c != nil; c = c.PreviousSibling() {
		if prev, ok := c.(*ast.Link); ok {
			if t := strings.Trim(strings.ToLower(strings.Join(lead, "")), " ,&"); t == "" || t == "and" || t == "or" {
				return w.relationOf(prev)
			}
			break
		}
		if t, ok := c.(*ast.Text); ok {
			lead = append([]string{string(t.Segment.Value(w.src))}, lead...)
		}
	}
	text := strings.ToLower(strings.Join(lead, ""))
	if len(text) > 40 {
		text = text[len(text)-40:]
	}
	best, bestAt := "", -1
	for i := range relations {
		r := &relations[i]
		if loc := r.index(text); loc != nil && loc[0] > bestAt && strings.Trim(text[loc[1]:], " :(") == "" {
			best, bestAt = r.class, loc[0]
		}
	}
	return best
}

// placeholderTitleRe is a title with a blank to fill: "Phase [N]: [Phase
// Name]", "<Title>", "[feature-name]", "{{EPIC_ID}}". A bracketed word in
// capitals ("[WIP]", "[DRAFT]") is a tag, not a blank.
var placeholderTitleRe = regexp.MustCompile(`\[(?:[A-Z]|[A-Z][a-z]+(?: [A-Z]?[a-z]+)*|[a-z]+(?:[-_][a-z]+)+)\](?:[^(]|$)|<[A-Za-z][\w -]*>|\{\{\s*\w+\s*\}\}`)

// placeholders are the tokens templates leave for the writer to fill.
var placeholders = []string{"[Task Name]", "[Date]", "[X]", "[Current status]", "[ID-", "[total]", "[Feature Name]", "[Name]", "YYYY-MM-DD"}

// looksLikeTemplate tells a template from a plan by its placeholders, counted
// outside code, where examples of templates are quoted rather than used.
// Plain searches find the candidates: a regexp over every document costs
// more than parsing it.
func (w *walker) looksLikeTemplate() bool {
	n := 0
	count := func(tok []byte, ok func(at int) bool) bool {
		for off := 0; off < len(w.src); {
			i := bytes.Index(w.src[off:], tok)
			if i < 0 {
				return false
			}
			at := off + i
			off = at + len(tok)
			line := w.lineOf(at)
			if w.inCode(line) || inCodeSpan(w.src, int(w.lineStarts[line-1]), at) || !ok(at) {
				continue
			}
			if n++; n >= 5 {
				return true
			}
		}
		return false
	}
	mustache := func(at int) bool {
		end := bytes.IndexByte(w.src[at:], '\n')
		if end < 0 {
			end = len(w.src) - at
		}
		c := bytes.Index(w.src[at:at+end], []byte("}}"))
		return c > 2 && c < 60
	}
	if count([]byte("{{"), mustache) {
		return true
	}
	// The placeholders in brackets are found in one pass over the
	// brackets: none holds a bracket after its first, so each bracket
	// opens at most one of them, and the count is a plain search's for each.
	anywhere := func(int) bool { return true }
	bracketed := func(at int) bool {
		for _, p := range placeholders {
			if p[0] == '[' && bytes.HasPrefix(w.src[at:], []byte(p)) {
				// spec-kit ticks its boxes with an upper-case X: a [X]
				// that is a list item's checkbox is work done, not a blank.
				return p != "[X]" || !w.isCheckbox(at)
			}
		}
		return false
	}
	if count([]byte("["), bracketed) {
		return true
	}
	for _, p := range placeholders {
		if p[0] != '[' && count([]byte(p), anywhere) {
			return true
		}
	}
	return false
}

// isCheckbox tells whether the bracket at src[at] opens a list item's task
// box: only a list marker and blanks stand before it on its line.
func (w *walker) isCheckbox(at int) bool {
	start := int(w.lineStarts[w.lineOf(at)-1])
	lead := bytes.TrimLeft(w.src[start:at], " \t>")
	if len(lead) < 2 || lead[len(lead)-1] != ' ' {
		return false
	}
	marker := bytes.TrimRight(lead, " ")
	switch {
	case len(marker) == 1 && (marker[0] == '-' || marker[0] == '*' || marker[0] == '+'):
		return true
	case len(marker) > 1 && (marker[len(marker)-1] == '.' || marker[len(marker)-1] == ')'):
		for _, c := range marker[:len(marker)-1] {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	return false
}

// inCodeSpan reports whether offset at sits inside a `code span` of the
// line starting at start (an odd number of backticks before it).
func inCodeSpan(src []byte, start, at int) bool {
	return bytes.Count(src[start:at], []byte("`"))%2 == 1
}

// consistency reports where the document contradicts itself.
func (w *walker) consistency() {
	d := w.doc
	c := d.Completion
	if c.Declared != nil && c.Total > 0 {
		decl, comp := *c.Declared, c.Percent()
		if decl == 0 && c.Done > 0 || decl == 100 && c.Done < c.Total || math.Abs(decl-comp) > 30 {
			line := 1
			if f, ok := w.header["completion"]; ok {
				line = f.line
			} else if f, ok := w.header["status"]; ok {
				line = f.line
			}
			w.problem(line, plan.SevWarning, plan.CodeCompletionMismatch, "completion is declared %s%% but %d of %d checkboxes are checked (%.0f%%)",
				trimFloat(decl), c.Done, c.Total, comp)
		}
	}
	if d.Status == plan.Complete {
		open, items := 0, 0
		for _, g := range d.Gates {
			if g.Done < g.Total {
				open++
				items += g.Total - g.Done
			}
		}
		if open > 0 {
			line := 1
			if f, ok := w.header["status"]; ok {
				line = f.line
			}
			w.problem(line, plan.SevWarning, plan.CodeStatusMismatch, "status is complete but %d gate(s) have %d unchecked item(s)", open, items)
		}
	}
	seen := map[string]*plan.Task{}
	for _, t := range d.Tasks {
		if w.fromTable[t] {
			continue
		}
		key := t.Phase + "\x00" + t.ID
		if first, ok := seen[key]; ok {
			w.problem(t.Line, plan.SevWarning, plan.CodeDuplicateTaskID, "task id %s is used again (first on line %d)", t.ID, first.Line)
			continue
		}
		seen[key] = t
	}
}

func trimFloat(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}

// completePhaseOf is complete when the task's id names a phase that is
// complete ("1A-1" of "Phase 1A: … ✅ COMPLETE"): a finished phase's tasks are
// done even when only the phase says so.
func (w *walker) completePhaseOf(t *plan.Task) string {
	for _, p := range w.doc.Phases {
		if p.Status == plan.Complete && (strings.HasPrefix(t.ID, p.Number+"-") || strings.HasPrefix(t.ID, p.Number+".")) {
			return plan.Complete
		}
	}
	return plan.Unknown
}

// firstWords is the first word or two of a value, for a suggested mapping.
func firstWords(v string) string {
	f := strings.Fields(v)
	if len(f) > 2 {
		f = f[:2]
	}
	return strings.Join(f, " ")
}
