// Package explain says what plansite read from one document, line by line:
// which convention's recognizer read it, each field, status, phase, task,
// gate, link and previous/next with the line it came from, and what looked
// like plan structure but was skipped. It is what `plansite explain` prints.
package explain

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/textout"
)

// Report is what was read from one document.
type Report struct {
	Source     string  `json:"source"`
	Convention string  `json:"convention"`
	Title      string  `json:"title"`
	Status     string  `json:"status"`
	Completion string  `json:"completion"`
	Read       []Entry `json:"read"`    // in line order
	Skipped    []Entry `json:"skipped"` // what looked plan-like and was not read
}

// Entry is one thing read (or skipped), at a line (0: not from a line).
type Entry struct {
	Line       int    `json:"line"`
	Recognizer string `json:"recognizer"`
	What       string `json:"what"`
	Text       string `json:"text"`
}

// Explain builds the report of a document: d is the document as the whole
// site read it (links resolved, previous and next set), trail the steps its
// extraction recorded with extract.Options.Explain.
func Explain(d *plan.Doc, trail []extract.Step) *Report {
	r := &Report{Source: d.Source, Convention: d.Convention, Title: d.Title, Status: d.Status, Read: []Entry{}, Skipped: []Entry{}}
	c := d.Completion
	r.Completion = fmt.Sprintf("%d of %d boxes ticked", c.Done, c.Total)
	if c.Declared != nil {
		r.Completion += fmt.Sprintf(", %s%% declared", trimFloat(*c.Declared))
	}
	if c.OptionalTotal > 0 {
		r.Completion += fmt.Sprintf("; optional %d of %d", c.OptionalDone, c.OptionalTotal)
	}
	add := func(line int, what, format string, args ...any) {
		r.Read = append(r.Read, Entry{Line: line, Recognizer: d.Convention, What: what, Text: fmt.Sprintf(format, args...)})
	}
	// How the document was read: the recognizer's own notes.
	var titled *Entry // where the title came from, when not the first heading
	for _, s := range trail {
		switch s.What {
		case "title":
			e := Entry(s)
			titled = &e
		case "skipped":
			r.Skipped = append(r.Skipped, Entry(s))
		case "convention", "series", "requirement":
			r.Read = append(r.Read, Entry(s))
		case "status":
			// How the status was found; the status itself comes from the model.
			if !strings.Contains(s.Text, ", written ") {
				r.Read = append(r.Read, Entry(s))
			}
		}
	}
	switch {
	case titled != nil:
		r.Read = append(r.Read, *titled)
	case len(d.Headings) > 0:
		add(d.Headings[0].Line, "title", "%q", d.Title)
	}
	if d.StatusLine > 0 {
		add(d.StatusLine, "status", "%s, written %q", d.Status, d.StatusText)
	}
	keys := make([]string, 0, len(d.Meta))
	for k := range d.Meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		add(d.MetaLines[k], "field", "%s: %s", k, d.Meta[k])
	}
	for _, p := range d.Phases {
		add(p.Line, "phase", "%s %q %s, %d of %d boxes", p.Number, p.Title, p.Status, p.Done, p.Total)
	}
	for _, t := range d.Tasks {
		add(t.Line, "task", "%s", taskText(t))
	}
	for _, g := range d.Gates {
		text := fmt.Sprintf("%q", g.Title)
		if g.Kind != "" {
			text += " (" + string(g.Kind) + ")"
		}
		text += fmt.Sprintf(", %d of %d", g.Done, g.Total)
		if g.Result != "" {
			text += ", result " + g.Result
		}
		if g.Phase != "" {
			text += ", phase " + g.Phase
		}
		add(g.Line, "gate", "%s", text)
		for _, it := range g.Items {
			mark := "[ ]"
			if it.Checked {
				mark = "[x]"
			}
			add(it.Line, "gate item", "%s %s", mark, it.Text)
		}
	}
	for _, e := range d.Worklog {
		t := ""
		if e.Time != nil {
			t = *e.Time
		}
		add(e.Line, "log", "%s %s: %s", e.Kind, t, e.Title)
	}
	for _, l := range d.Links {
		to := "broken"
		if l.Resolved != nil {
			to = *l.Resolved
		}
		text := l.Target + " → " + to
		if l.Kind == plan.LinkContext {
			text = l.Text + " (" + l.Target + ") → " + to
		}
		if l.Kind != "" {
			text = l.Kind + " " + text
		}
		add(l.Line, "link", "%s", text)
	}
	for _, pn := range []struct {
		key string
		to  *string
	}{{"prev", d.Prev}, {"next", d.Next}} {
		if pn.to == nil {
			continue
		}
		if line, ok := d.MetaLines[pn.key]; ok {
			add(line, pn.key, "%s (written)", *pn.to)
		} else {
			add(0, pn.key, "%s (from the order of series %s)", *pn.to, d.Series)
		}
	}
	for _, p := range d.Problems {
		add(p.Line, "problem", "%s %s: %s", p.Severity, p.Code, p.Message)
	}
	// In line order; what no line says (an order-derived next) comes last.
	sort.SliceStable(r.Read, func(i, j int) bool {
		a, b := r.Read[i].Line, r.Read[j].Line
		if a == 0 || b == 0 {
			return b == 0 && a != 0
		}
		return a < b
	})
	return r
}

func taskText(t *plan.Task) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q %s", t.ID, t.Title, t.Status)
	if t.StatusText == plan.SummaryWritten {
		b.WriteString(" (" + plan.SummaryWritten + ")")
	}
	if t.Total > 0 {
		fmt.Fprintf(&b, ", %d of %d", t.Done, t.Total)
	}
	if t.Optional {
		b.WriteString(", optional")
	}
	if t.Parallel {
		b.WriteString(", parallel")
	}
	if t.Story != "" {
		b.WriteString(", story " + t.Story)
	}
	if len(t.Refs) > 0 {
		refs := make([]string, len(t.Refs))
		for i, r := range t.Refs {
			refs[i] = r
			for _, tr := range t.Traces {
				if tr.Ref == r {
					refs[i] += " (" + tr.Doc + "#" + tr.Anchor + ")"
					break
				}
			}
		}
		b.WriteString(", traces to " + strings.Join(refs, ", "))
	}
	for _, a := range t.Agents {
		if a.Line > 0 && a.Line != t.Line {
			fmt.Fprintf(&b, ", %s (%s, line %d)", a.Name, a.Role, a.Line)
		} else {
			fmt.Fprintf(&b, ", %s (%s)", a.Name, a.Role)
		}
	}
	return b.String()
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0")
}

// Formats lists the output formats of Write.
var Formats = []string{"text", "json"}

// Write prints the report as text (one line per entry, "line  what  text")
// or JSON. User text is printed as written but with control characters
// escaped, so a document cannot drive the terminal.
func (r *Report) Write(w io.Writer, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", textout.Escape(r.Source))
	fmt.Fprintf(&b, "  read as %s: %q, %s, %s\n", r.Convention, r.Title, r.Status, r.Completion)
	for _, e := range r.Read {
		fmt.Fprintf(&b, "%6s  %-12s %-10s %s\n", lineOf(e.Line), e.Recognizer, e.What, textout.Escape(e.Text))
	}
	if len(r.Skipped) > 0 {
		b.WriteString("  skipped (looked like plan structure):\n")
		for _, e := range r.Skipped {
			fmt.Fprintf(&b, "%6s  %-12s %-10s %s\n", lineOf(e.Line), e.Recognizer, e.What, textout.Escape(e.Text))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func lineOf(n int) string {
	if n <= 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

// Document explains the document rel (slash-separated, relative to src) of
// the source tree src: the whole tree is read, as build reads it, so links,
// previous and next are the site's.
func Document(src, rel string, cfg *config.Config, generator string) (*Report, error) {
	m, err := build.Load(src, "", generator, cfg, nil, nil)
	if err != nil {
		return nil, err
	}
	var doc *plan.Doc
	for _, d := range m.Site.Docs {
		if d.Source == rel {
			doc = d
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("%s is not a plan document of %s", rel, src)
	}
	raw, err := build.ReadDoc(src, rel)
	if err != nil {
		return nil, err
	}
	opts := extract.Options{Zone: cfg.Location(), Explain: true}
	opts.SiteWords(cfg.Status, cfg.Keys)
	return Explain(doc, extract.Extract(rel, raw, opts).Trail), nil
}
