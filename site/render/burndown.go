package render

import (
	"html/template"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/plansite/plansite/site/chart"
	"github.com/plansite/plansite/site/plan"
)

// A burndown draws only what was dated: the checkboxes of each commit that
// changed a document (its real burn, from git), its state now at the date
// it was last updated, and each work-log entry at its time. Nothing is
// spread between entries or guessed.

// docBurndown is the burndown of one document; nil when it has no
// checkboxes.
func (s *Site) docBurndown(d *plan.Doc) *burndownView {
	if d.Completion.Total == 0 || d.Kind == plan.KindTemplate {
		return nil
	}
	b := &chart.Burndown{Title: "Burndown of " + d.Title, Unit: "items",
		Scope: float64(d.Completion.Total), Done: float64(d.Completion.Done)}
	b.Events, b.Undated = events(d.Worklog)
	b.Burn = s.burn(d, b.Events)
	b.IdealStart, b.IdealEnd = ideal(d)
	return view(b, "bd-doc")
}

// burn is a document's remaining checkboxes at each commit that touched it,
// and now, dated by its updated date or its last work-log entry, when that
// differs from the last commit.
func (s *Site) burn(d *plan.Doc, evs []chart.Event) []chart.Point {
	var ps []chart.Point
	if s.git.Enabled(len(s.Model.Docs)) {
		ps = s.git.Points(d.Source)
	}
	now := chart.Point{Remaining: float64(d.Completion.Total - d.Completion.Done), Scope: float64(d.Completion.Total), Label: "now"}
	t, ok := parseTime(deref(d.Updated))
	if n := len(evs); n > 0 && (!ok || evs[n-1].Time.After(t)) {
		t, ok = evs[n-1].Time, true
	}
	if !ok {
		return ps
	}
	now.Time = t
	if n := len(ps); n > 0 {
		last := ps[n-1]
		if last.Remaining == now.Remaining && last.Scope == now.Scope || !now.Time.After(last.Time) {
			return ps
		}
	}
	return append(ps, now)
}

// events are the dated work-log entries, by time, and how many had no date.
// Decisions are dated too, but say nothing of work done: they are left out.
func events(log []*plan.LogEntry) (evs []chart.Event, undated int) {
	for _, e := range log {
		if e.Kind == plan.LogDecision {
			continue
		}
		t, ok := parseTime(deref(e.Time))
		if !ok {
			undated++
			continue
		}
		ev := chart.Event{Time: t, Label: e.Title}
		if d := e.Done; d != nil {
			ev.Done, ev.Said = float64(d.Items), saidDone(d)
		}
		evs = append(evs, ev)
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time.Before(evs[j].Time) })
	return evs, undated
}

// saidDone is what an entry says was done, in words: the tasks and phases
// it names done with their checkboxes, the boxes it ticks, and a count it
// states.
func saidDone(d *plan.LogDone) string {
	var parts []string
	if len(d.Phases) > 0 {
		parts = append(parts, plural(len(d.Phases), "phase", "phases")+" "+strings.Join(d.Phases, ", "))
	}
	if len(d.Tasks) > 0 {
		parts = append(parts, plural(len(d.Tasks), "task", "tasks")+" "+strings.Join(d.Tasks, ", "))
	}
	if d.Checked > 0 {
		parts = append(parts, plural(d.Checked, "box ticked", "boxes ticked"))
	}
	s := strings.Join(parts, "; ")
	if d.Items > 0 {
		s += " (" + plural(d.Items, "item", "items") + ")"
	}
	if d.Count > 0 {
		stated := itoa(d.Count)
		if d.Of > 0 {
			stated += " of " + itoa(d.Of)
		}
		if d.Unit != "" {
			stated += " " + d.Unit
		}
		if s != "" {
			s += "; "
		}
		s += stated + " (stated)"
	}
	return strings.TrimSpace(s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// seriesBurndown adds up the burn of a plan's documents from git history:
// at each commit of any of them, the latest of each, a document counting
// from its first commit on (which shows as a change of scope); then the
// whole plan now, at its latest update. A document known only as it is now
// adds no earlier point: its past is not known.
func (s *Site) seriesBurndown(sr *plan.Series, docs []*plan.Doc) *burndownView {
	b := &chart.Burndown{Title: "Burndown of " + sr.Title, Unit: "items"}
	var burns [][]chart.Point
	var latest time.Time
	// The same documents as the plan's completion: its trackers when it
	// has them, so the chart and the figures above it agree.
	var counted []*plan.Doc
	for _, d := range docs {
		if d.Kind != plan.KindTemplate {
			counted = append(counted, d)
		}
	}
	boxes, _ := boxDocs(counted)
	for _, d := range boxes {
		if d.Completion.Total == 0 {
			continue
		}
		b.Scope += float64(d.Completion.Total)
		b.Done += float64(d.Completion.Done)
		evs, undated := events(d.Worklog)
		b.Events = append(b.Events, evs...)
		b.Undated += undated
		ps := s.burn(d, evs)
		if n := len(ps); n > 0 {
			if ps[n-1].Time.After(latest) {
				latest = ps[n-1].Time
			}
			if ps[n-1].Label == "now" {
				ps = ps[:n-1]
			}
		}
		if len(ps) > 0 {
			burns = append(burns, ps)
		}
	}
	sort.SliceStable(b.Events, func(i, j int) bool { return b.Events[i].Time.Before(b.Events[j].Time) })
	b.Burn = sumBurns(burns)
	if !latest.IsZero() {
		now := chart.Point{Time: latest, Remaining: b.Scope - b.Done, Scope: b.Scope, Label: "now"}
		if n := len(b.Burn); n == 0 || latest.After(b.Burn[n-1].Time) && (b.Burn[n-1].Remaining != now.Remaining || b.Burn[n-1].Scope != now.Scope) {
			b.Burn = append(b.Burn, now)
		}
	}
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

// sumBurns adds several documents' burns, each holding its last value.
func sumBurns(burns [][]chart.Point) []chart.Point {
	if len(burns) <= 1 {
		if len(burns) == 0 {
			return nil
		}
		return burns[0]
	}
	var times []time.Time
	for _, ps := range burns {
		for _, p := range ps {
			times = append(times, p.Time)
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	var out []chart.Point
	for i, t := range times {
		if i > 0 && t.Equal(times[i-1]) {
			continue
		}
		p := chart.Point{Time: t, Label: "all documents"}
		for _, ps := range burns {
			j := sort.Search(len(ps), func(k int) bool { return ps[k].Time.After(t) }) - 1
			if j >= 0 {
				p.Remaining += ps[j].Remaining
				p.Scope += ps[j].Scope
			}
		}
		out = append(out, p)
	}
	return out
}

// view is the chart and its text; without two dated points, the text alone.
func view(b *chart.Burndown, id string) *burndownView {
	if b.Empty() {
		return nil
	}
	v := &burndownView{Desc: b.Describe(), Rows: b.Table()}
	if !b.Drawable() {
		v.Note = "Fewer than two dated points, so no chart: a chart needs the document's git history, or dated work-log entries."
		return v
	}
	// The chart escapes every text it writes.
	v.SVG = template.HTML(b.SVG(id))
	return v
}

func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	// A date alone is ten characters, a time longer: each layout is tried
	// only where it can match, since a failed time.Parse allocates its error
	// (a dashboard of ten thousand documents parses every date it shows).
	layout := time.RFC3339
	if len(s) == len(time.DateOnly) {
		layout = time.DateOnly
	}
	t, err := time.Parse(layout, s)
	return t, err == nil
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
