package render

import (
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/plan"
)

// The widgets that repeat a row per heading, gate, task or matrix cell are
// written here in Go, not by a range in the layouts: html/template spends
// a reflective call on every value it prints, and on a page with a long
// task list and its matrix those rows were most of the page's time. The
// layouts keep every other line; the markup here is what the theme's
// partials made, escaped as html/template escapes it (TestWidgetsMatchTemplates
// holds the two together).

// tocItems is the <li> of each heading in a table of contents.
func tocItems(toc []*plan.Heading) template.HTML {
	return widget(func(b htmlWriter) { writeTOCItems(b, toc) })
}

// writeTOCItems writes tocItems to b.
func writeTOCItems(b htmlWriter, toc []*plan.Heading) {
	for _, h := range toc {
		b.WriteString(`<li class="toc-`)
		b.WriteString(strconv.Itoa(h.Level))
		b.WriteString(`"><a href="#`)
		escURLPart(b, h.Anchor)
		b.WriteString(`">`)
		escHTML(b, h.Text)
		b.WriteString(`</a></li>`)
	}
}

// gateOpenShown is how many unchecked items a gate widget lists.
const gateOpenShown = 8

// gateItems is the progress widget of each gate: its phase (in a document
// of several phases), its progress, and the items still unchecked.
func gateItems(gates []*plan.Gate) template.HTML {
	return widget(func(b htmlWriter) { writeGateItems(b, gates) })
}

// writeGateItems writes gateItems to b.
func writeGateItems(b htmlWriter, gates []*plan.Gate) {
	for _, g := range gates {
		done, total := strconv.Itoa(g.Done), strconv.Itoa(g.Total)
		state, class := "not passed", "open"
		switch {
		case g.Passed():
			state, class = "passed", "passed"
		case g.Total == 0:
			state = "empty"
		}
		b.WriteString(`<li class="gate ` + class + `" data-done="` + done + `" data-total="` + total + `"><span class="gate-name">`)
		if g.Phase != "" {
			b.WriteString(`<span class="gate-phase">Phase `)
			escHTML(b, g.Phase)
			b.WriteString(`</span> `)
		}
		b.WriteString(`<a href="#`)
		escURLPart(b, g.Anchor)
		b.WriteString(`" class="gate-title">`)
		escHTML(b, g.Title)
		b.WriteString("</a></span>\n" + `<progress max="` + total + `" value="` + done + `" aria-label="`)
		if g.Phase != "" {
			b.WriteString(`Phase `)
			escHTML(b, g.Phase)
			b.WriteString(` `)
		}
		escHTML(b, g.Title)
		b.WriteString(`: ` + done + ` of ` + total + `">` + done + `/` + total + "</progress>\n" +
			`<span class="gate-count">` + done + `/` + total + "</span>\n" +
			`<span class="gate-state">` + state + `</span>`)
		shown, open := 0, g.Total-g.Done
		for _, it := range g.Items {
			if it.Checked || shown == gateOpenShown {
				continue
			}
			if shown == 0 {
				b.WriteString(`<ul class="gate-open-items" aria-label="Unchecked">`)
			}
			b.WriteString(`<li>`)
			escHTML(b, it.Text)
			b.WriteString(`</li>`)
			shown++
		}
		if shown > 0 {
			if open > shown {
				b.WriteString(`<li class="more">and ` + strconv.Itoa(open-shown) + ` more unchecked</li>`)
			}
			b.WriteString(`</ul>`)
		}
		b.WriteString(`</li>`)
	}
}

// taskRows is a row per task: id, title, status, checked items, agents.
func (s *Site) taskRows(tasks []*plan.Task) template.HTML {
	return widget(func(b htmlWriter) { s.writeTaskRows(b, tasks) })
}

// writeTaskRows writes taskRows to b.
func (s *Site) writeTaskRows(b htmlWriter, tasks []*plan.Task) {
	for _, t := range tasks {
		b.WriteString(`<tr><td>`)
		escHTML(b, t.ID)
		b.WriteString(`</td><td><a href="#`)
		escURLPart(b, t.Anchor)
		b.WriteString(`">`)
		escHTML(b, t.Title)
		b.WriteString(`</a>`)
		s.taskTags(b, t)
		b.WriteString(`</td><td>`)
		statusBadge(b, t.Status)
		b.WriteString(`</td><td>`)
		if t.Total != 0 {
			b.WriteString(strconv.Itoa(t.Done) + "/" + strconv.Itoa(t.Total))
		}
		b.WriteString(`</td><td>`)
		for i, a := range t.Agents {
			if i > 0 {
				b.WriteString(", ")
			}
			s.agentName(b, a.Name)
			b.WriteString(` <span class="role">`)
			escHTML(b, a.Role)
			b.WriteString(`</span>`)
		}
		b.WriteString(`</td></tr>`)
	}
}

// taskTags says what a convention marks on a task: optional work (Kiro
// "[ ]*"), parallel (spec-kit "[P]"), its user story, what it traces to.
func (s *Site) taskTags(b htmlWriter, t *plan.Task) {
	tag := func(s string) {
		b.WriteString(` <span class="role">`)
		escHTML(b, s)
		b.WriteString(`</span>`)
	}
	if t.Optional {
		tag("optional")
	}
	if t.Parallel {
		tag("parallel")
	}
	if t.Story != "" {
		tag(t.Story)
	}
	if len(t.Refs) == 0 {
		return
	}
	// A ref whose requirement is placed links to it.
	b.WriteString(` <span class="role">→ `)
	for i, r := range t.Refs {
		if i > 0 {
			b.WriteString(", ")
		}
		if tr := traceOf(t, r); tr != nil && s.resolver.IsDoc(tr.Doc) {
			b.WriteString(`<a href="`)
			escURL(b, s.URL(extract.URLFor(tr.Doc))+"#"+tr.Anchor)
			b.WriteString(`" title="requirement `)
			escHTML(b, r)
			b.WriteString(`">`)
			escHTML(b, r)
			b.WriteString(`</a>`)
			continue
		}
		escHTML(b, r)
	}
	b.WriteString(`</span>`)
}

// traceOf is where a task's ref is defined, or nil.
func traceOf(t *plan.Task, ref string) *plan.Trace {
	for _, tr := range t.Traces {
		if tr.Ref == ref {
			return tr
		}
	}
	return nil
}

// agentName links an agent to its page, or names it in plain text when it
// has none (the placeholder agents of templates).
func (s *Site) agentName(b htmlWriter, name string) {
	u := s.agentURL(name)
	if u == "" {
		b.WriteString(`<span class="agent">`)
		escHTML(b, name)
		b.WriteString(`</span>`)
		return
	}
	b.WriteString(`<a href="`)
	escURL(b, s.URL(u))
	b.WriteString(`">`)
	escHTML(b, name)
	b.WriteString(`</a>`)
}

// planNavItems is the <li> of each document in a plan's navigation, the
// page's own marked current.
func (s *Site) planNavItems(docs []navDoc) template.HTML {
	return widget(func(b htmlWriter) { s.writePlanNavItems(b, docs) })
}

// writePlanNavItems writes planNavItems to b.
func (s *Site) writePlanNavItems(b htmlWriter, docs []navDoc) {
	for _, n := range docs {
		b.WriteString(`<li class="status-`)
		escHTML(b, n.Reading.Status)
		b.WriteString(`"><a href="`)
		escURL(b, s.URL(n.Doc.URL))
		if n.Current {
			b.WriteString(`" aria-current="page">`)
		} else {
			b.WriteString(`">`)
		}
		escHTML(b, n.Doc.Title)
		b.WriteString(`</a> <span class="nav-state">`)
		if n.Reading.Template {
			b.WriteString(`template`)
		} else {
			escHTML(b, statusLabel(n.Reading.Status))
		}
		b.WriteString(`</span></li>`)
	}
}

// relatedItems is the <li> of each document of the same phase.
func (s *Site) relatedItems(docs []*plan.Doc) template.HTML {
	return widget(func(b htmlWriter) { s.writeRelatedItems(b, docs) })
}

// writeRelatedItems writes relatedItems to b.
func (s *Site) writeRelatedItems(b htmlWriter, docs []*plan.Doc) {
	for _, d := range docs {
		b.WriteString(`<li>`)
		s.writeDocLink(b, d)
		b.WriteString(`</li>`)
	}
}

// writeDocLink writes a link to document d's page, its title, then its
// kind: how the partials name a document in a list.
func (s *Site) writeDocLink(b htmlWriter, d *plan.Doc) {
	b.WriteString(`<a href="`)
	escURL(b, s.URL(d.URL))
	b.WriteString(`">`)
	escHTML(b, d.Title)
	b.WriteString(`</a> <span class="kind">`)
	escHTML(b, string(d.Kind))
	b.WriteString(`</span>`)
}

// agentTaskRows is a row per task or phase on an agent's page.
func (s *Site) agentTaskRows(items []agentItem) template.HTML {
	return widget(func(b htmlWriter) { s.writeAgentTaskRows(b, items) })
}

// writeAgentTaskRows writes agentTaskRows to b.
func (s *Site) writeAgentTaskRows(b htmlWriter, items []agentItem) {
	for _, it := range items {
		b.WriteString(`<tr data-status="`)
		escHTML(b, it.Status)
		b.WriteString(`"><td>`)
		escHTML(b, it.ID)
		b.WriteString(`</td><td><a href="`)
		escURL(b, s.URL(it.Href))
		b.WriteString(`">`)
		escHTML(b, it.Title)
		b.WriteString(`</a></td><td data-label="In"><a href="`)
		escURL(b, s.URL(it.Doc.URL))
		b.WriteString(`">`)
		escHTML(b, it.Doc.Title)
		b.WriteString(`</a></td><td data-label="Role">`)
		escHTML(b, it.Role)
		b.WriteString(`</td><td>`)
		statusBadge(b, it.Status)
		b.WriteString(`</td></tr>`)
	}
}

// problemFileItems is the <li> of each problem of one file on the
// problems pages.
func problemFileItems(problems []problemView) template.HTML {
	return widget(func(b htmlWriter) { writeProblemFileItems(b, problems) })
}

// writeProblemFileItems writes problemFileItems to b.
func writeProblemFileItems(b htmlWriter, problems []problemView) {
	for _, p := range problems {
		b.WriteString(`<li class="sev-`)
		escHTML(b, string(p.Severity))
		b.WriteString(`" data-sev="`)
		escHTML(b, string(p.Severity))
		b.WriteString(`"><span class="sev">`)
		escHTML(b, string(p.Severity))
		b.WriteString(`</span> <a href="`)
		escURL(b, p.Href)
		b.WriteString(`">line ` + strconv.Itoa(p.Line) + `</a> `)
		escHTML(b, p.Message)
		b.WriteString(` <code>`)
		escHTML(b, string(p.Code))
		b.WriteString(`</code></li>`)
	}
}

// statusBadge is the theme's "status" partial.
func statusBadge(b htmlWriter, status string) {
	b.WriteString(`<span class="status status-`)
	escHTML(b, status)
	b.WriteString(`">`)
	escHTML(b, statusLabel(status))
	b.WriteString(`</span>`)
}

// matrixTable is an agent matrix with its legend.
func (s *Site) matrixTable(m *matrix) template.HTML {
	return widget(func(b htmlWriter) { s.writeMatrixTable(b, m) })
}

// writeMatrixTable writes matrixTable to b.
func (s *Site) writeMatrixTable(b htmlWriter, m *matrix) {
	b.WriteString(`<div class="scroll" role="region" aria-label="`)
	escHTML(b, m.Caption)
	b.WriteString(`" tabindex="0"><table class="matrix"><caption>`)
	escHTML(b, m.Caption)
	b.WriteString(`</caption><thead><tr><th scope="col">Agent</th>`)
	for _, c := range m.Cols {
		b.WriteString(`<th scope="col">`)
		if c.Href != "" {
			b.WriteString(`<a href="`)
			escURL(b, c.Href)
			b.WriteString(`" title="`)
		} else {
			b.WriteString(`<span title="`)
		}
		escHTML(b, c.Title)
		b.WriteString(`">`)
		escHTML(b, c.Label)
		if c.Href != "" {
			b.WriteString(`</a></th>`)
		} else {
			b.WriteString(`</span></th>`)
		}
	}
	b.WriteString(`</tr></thead><tbody>`)
	for _, r := range m.Rows {
		b.WriteString(`<tr><th scope="row">`)
		s.agentName(b, r.Agent)
		b.WriteString(`</th>`)
		for _, c := range r.Cells {
			b.WriteString(`<td class="role-`)
			escHTML(b, c.Class)
			b.WriteString(`">`)
			if c.Text != "" {
				b.WriteString(`<abbr title="`)
				escHTML(b, c.Title)
				b.WriteString(`">`)
				escHTML(b, c.Text)
				b.WriteString(`</abbr>`)
			}
			b.WriteString(`</td>`)
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table></div><p class="legend">P primary · B backup · R review</p>`)
}

// widget is what write writes, as HTML for a template to print.
func widget(write func(b htmlWriter)) template.HTML {
	b := getBuffer()
	defer putBuffer(b)
	write(b)
	return template.HTML(b.String())
}

// htmlWriter is what the widgets write to: a pooled buffer, or a
// strings.Builder.
type htmlWriter interface {
	io.Writer
	io.ByteWriter
	io.StringWriter
}

// escHTML writes s escaped as html/template escapes text and quoted
// attribute values.
func escHTML(b io.StringWriter, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// escURL writes a URL for an href as html/template does with a whole URL:
// an unsafe scheme is refused, bytes outside URLs are percent-encoded, and
// the result is escaped for the attribute.
func escURL(b htmlWriter, u string) {
	if !safeScheme(u) {
		b.WriteString("#ZgotmplZ")
		return
	}
	escHTML(b, percentEncoded(u, true))
}

// escURLPart writes text placed after "#" in an href: every byte but
// letters, digits and -._~ percent-encoded.
func escURLPart(b htmlWriter, s string) {
	escHTML(b, percentEncoded(s, false))
}

// percentEncoded is s as percentEncode writes it: s itself when no byte
// of it needs encoding, as in most URLs and anchors.
func percentEncoded(s string, keep bool) string {
	for i := 0; i < len(s); i++ {
		if !urlKept(s, i, keep) {
			var n strings.Builder
			percentEncode(&n, s, keep)
			return n.String()
		}
	}
	return s
}

// urlSafe reports whether percentEncode keeps byte c as it is.
func urlSafe(c byte, keep bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
		return true
	case keep && strings.IndexByte("!#$&*+,/:;=?@[]", c) >= 0:
		return true
	}
	return false
}

// urlKept reports whether percentEncode keeps s[i] as it is: a "%" only
// when normalising and it opens an escape ("100%" is "100%25").
func urlKept(s string, i int, keep bool) bool {
	if s[i] == '%' {
		return keep && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2])
	}
	return urlSafe(s[i], keep)
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// percentEncode is html/template's URL normaliser (keep, true: reserved
// characters and existing escapes kept) or escaper (keep, false).
func percentEncode(b htmlWriter, s string, keep bool) {
	const hex = "0123456789abcdef"
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlKept(s, i, keep) {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
		last = i + 1
	}
	b.WriteString(s[last:])
}

// safeScheme is html/template's test of a URL's scheme: none, or http,
// https or mailto.
func safeScheme(u string) bool {
	i := strings.IndexByte(u, ':')
	if i < 0 || strings.IndexByte(u[:i], '/') >= 0 {
		return true
	}
	// EqualFold, as html/template: "httpſ" is "https" to it.
	scheme := u[:i]
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}
