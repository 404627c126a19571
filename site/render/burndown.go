package render

import (
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/plansite/plansite/site/chart"
	"github.com/plansite/plansite/site/plan"
)

// workLogNote says how work-log points are placed: the model records what is
// checked now, not what each entry checked.
const workLogNote = "Work-log points spread the work checked so far evenly over the entries, in order."

// scope is the work a document plans and has done, in story points when
// its tasks give them, else in checkboxes, else in tasks.
func scope(d *plan.Doc) (total, done float64, unit string) {
	for _, t := range d.Tasks {
		total += t.Points
		if t.Status == plan.Complete {
			done += t.Points
		}
	}
	if total > 0 {
		return total, done, "points"
	}
	if d.Completion.Total > 0 {
		return float64(d.Completion.Total), float64(d.Completion.Done), "items"
	}
	for _, t := range d.Tasks {
		total++
		if t.Status == plan.Complete {
			done++
		}
	}
	return total, done, "tasks"
}

// docBurndown is the burndown of one document; nil when it has no scope or
// no history to draw.
func (s *Site) docBurndown(d *plan.Doc) *burndownView {
	total, done, unit := scope(d)
	b := &chart.Burndown{Title: "Burndown of " + d.Title, Unit: unit, Scope: total}
	b.Log = logPoints(d.Worklog, total, done)
	if unit == "items" && s.git != nil && s.git.enabled(len(s.Model.Docs)) {
		b.Git = s.git.history(d.Source)
	}
	b.IdealStart, b.IdealEnd = ideal(d)
	return view(b, "bd-doc")
}

// seriesBurndown sums the work logs of a plan's documents, in time order.
func (s *Site) seriesBurndown(sr *plan.Series, docs []*plan.Doc) *burndownView {
	var total, done float64
	var entries []*plan.LogEntry
	unit := "items"
	for _, d := range docs {
		if d.Kind == "template" {
			continue
		}
		t, dn, _ := scope(d)
		total += t
		done += dn
		entries = append(entries, d.Worklog...)
	}
	b := &chart.Burndown{Title: "Burndown of " + sr.Title, Unit: unit, Scope: total}
	b.Log = logPoints(sortEntries(entries), total, done)
	if len(docs) > 0 {
		b.IdealStart, b.IdealEnd = ideal(docs[0])
		if !b.IdealEnd.IsZero() {
			if _, end := ideal(docs[len(docs)-1]); end.After(b.IdealEnd) {
				b.IdealEnd = end
			}
		}
	}
	return view(b, "bd-plan")
}

func view(b *chart.Burndown, id string) *burndownView {
	if b.Empty() {
		return nil
	}
	v := &burndownView{Desc: b.Describe(), Rows: b.Table()}
	// The chart escapes every text it writes.
	v.SVG = template.HTML(b.SVG(id))
	if len(b.Log) > 1 {
		v.Note = workLogNote
	}
	return v
}

// logPoints is a point per work-log entry: the done work spread evenly over
// the entries, so the last entry shows what is left now.
func logPoints(entries []*plan.LogEntry, total, done float64) []chart.Point {
	var ps []chart.Point
	n := float64(len(entries))
	for i, e := range entries {
		p := chart.Point{Label: e.Title, Remaining: total - done*float64(i+1)/n}
		if t, ok := parseTime(deref(e.Time)); ok {
			p.Time, p.HasTime = t, true
		}
		ps = append(ps, p)
	}
	return ps
}

// sortEntries orders entries of several documents by time; entries without
// a time keep their place after the entry written before them.
func sortEntries(es []*plan.LogEntry) []*plan.LogEntry {
	type keyed struct {
		e *plan.LogEntry
		t time.Time
	}
	var ks []keyed
	var last time.Time
	for _, e := range es {
		if t, ok := parseTime(deref(e.Time)); ok {
			last = t
		}
		ks = append(ks, keyed{e, last})
	}
	// Stable insertion sort keeps written order among equal times.
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j].t.Before(ks[j-1].t); j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	out := make([]*plan.LogEntry, len(ks))
	for i, k := range ks {
		out[i] = k.e
	}
	return out
}

func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

var durationRe = regexp.MustCompile(`(?i)(\d+)(?:\s*[-–]\s*(\d+))?\s*(working\s+)?(day|week|month)`)

// ideal is the planned span: from the start date over the written duration
// (the upper figure of a range).
func ideal(d *plan.Doc) (start, end time.Time) {
	st, ok := parseTime(deref(d.Start))
	if !ok {
		return
	}
	m := durationRe.FindStringSubmatch(d.Duration)
	if m == nil {
		return
	}
	n, _ := strconv.Atoi(m[1])
	if m[2] != "" {
		n, _ = strconv.Atoi(m[2])
	}
	switch strings.ToLower(m[4]) {
	case "week":
		n *= 7
	case "month":
		n *= 30
	}
	if n <= 0 {
		return
	}
	return st, st.AddDate(0, 0, n)
}

func itoa(n int) string { return strconv.Itoa(n) }
