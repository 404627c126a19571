// Package chart draws the site's charts as SVG at build time, so pages need
// no chart library in the browser. Colours come from CSS classes, which the
// theme styles for light and dark mode.
package chart

import (
	"fmt"
	"html"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Point is the work remaining at a dated moment, and the scope then: a
// commit of the document, or its state now.
type Point struct {
	Time      time.Time
	Remaining float64
	Scope     float64
	Label     string // "commit 1a2b3c4d", "now"
}

// Event is a dated work-log entry at its time, with what it says was done:
// Done in the chart's unit (drawn as a bar of that height), and Said, the
// same in words ("tasks 2.1, 2.2 (5 items)", "20 of 20 tasks"), which may
// count in another unit (then Done is 0 and the words are shown).
type Event struct {
	Time  time.Time
	Label string
	Done  float64
	Said  string
}

// Burndown is remaining work over time. Only what was dated is drawn: the
// remaining work at each commit that changed the documents (their real
// burn) and the work-log entries at their dates; nothing is spread or
// guessed between them.
type Burndown struct {
	Title   string
	Unit    string // "items"
	Scope   float64
	Done    float64
	Burn    []Point // by time
	Events  []Event // by time
	Undated int     // work-log entries written without a date, left out
	// Ideal runs from the first scope at IdealStart to 0 at IdealEnd when both are set.
	IdealStart, IdealEnd time.Time
}

// Empty reports whether there is nothing to say at all.
func (b *Burndown) Empty() bool {
	return b == nil || b.Scope <= 0 && len(b.Burn) == 0
}

// Drawable reports whether the dated points fall on two days or more; on
// fewer, a sentence says what there is.
func (b *Burndown) Drawable() bool {
	days := map[string]bool{}
	for _, p := range b.Burn {
		days[p.Time.Format("2006-01-02")] = true
	}
	for _, e := range b.Events {
		days[e.Time.Format("2006-01-02")] = true
	}
	return len(days) >= 2
}

func (b *Burndown) hasIdeal() bool {
	return !b.IdealStart.IsZero() && b.IdealEnd.After(b.IdealStart)
}

const (
	width, height          = 640.0, 300.0
	padL, padR, padT, padB = 48.0, 20.0, 44.0, 40.0
)

// span is the time the chart covers: every dated point, event and the
// ideal line, a day either side of a single day.
func (b *Burndown) span() (lo, hi time.Time) {
	see := func(t time.Time) {
		if lo.IsZero() || t.Before(lo) {
			lo = t
		}
		if hi.IsZero() || t.After(hi) {
			hi = t
		}
	}
	for _, p := range b.Burn {
		see(p.Time)
	}
	for _, e := range b.Events {
		see(e.Time)
	}
	if b.hasIdeal() {
		see(b.IdealStart)
		see(b.IdealEnd)
	}
	if !hi.After(lo.Add(24 * time.Hour)) {
		mid := lo.Add(hi.Sub(lo) / 2)
		lo, hi = mid.Add(-24*time.Hour), mid.Add(24*time.Hour)
	}
	// A margin, so the first and last marks stand clear of the edges.
	m := hi.Sub(lo) / 25
	return lo.Add(-m), hi.Add(m)
}

// SVG draws the chart: date ticks, a y scale, the scope (and its changes),
// the remaining work, the ideal line, the work-log entries and a legend. It
// is labelled by its title and described in a desc element; Table gives
// the same data as text.
func (b *Burndown) SVG(id string) string {
	lo, hi := b.span()
	top := b.Scope
	for _, p := range b.Burn {
		top = math.Max(top, math.Max(p.Scope, p.Remaining))
	}
	for _, h := range b.stacks() {
		top = math.Max(top, h)
	}
	yTicks := niceTicks(top)
	top = yTicks[len(yTicks)-1]
	if top <= 0 {
		top = 1
	}
	xOf := func(t time.Time) float64 {
		return padL + float64(t.Sub(lo))/float64(hi.Sub(lo))*(width-padL-padR)
	}
	// The legend takes a row for as many keys as fit across; the plot moves
	// down by the rows beyond the first, keeping its height.
	keys, rows := b.legendKeys()
	extra := legendRow * float64(rows-1)
	plotT, h := padT+extra, height+extra
	yOf := func(v float64) float64 { return plotT + (1-v/top)*(h-plotT-padB) }
	X := func(t time.Time) string { return num(xOf(t)) }
	Y := func(v float64) string { return num(yOf(v)) }

	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="burndown" viewBox="0 0 %s %s" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`,
		num(width), num(h), id, id)
	fmt.Fprintf(&s, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(b.Title), id, esc(b.Describe()))

	// Y scale with grid lines, in the unit.
	s.WriteString(`<g class="bd-axis">`)
	for _, v := range yTicks {
		fmt.Fprintf(&s, `<line class="bd-grid" x1="%s" y1="%s" x2="%s" y2="%s"/><text x="%s" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`,
			num(padL), Y(v), num(width-padR), Y(v), num(padL-6), Y(v), num2(v))
	}
	fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="start">%s left</text>`, num(4), num(plotT-10), esc(b.Unit))
	// Date ticks.
	fmt.Fprintf(&s, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`, num(padL), Y(0), num(width-padR), Y(0))
	for _, t := range dateTicks(lo, hi) {
		fmt.Fprintf(&s, `<line x1="%s" y1="%s" x2="%s" y2="%s"/><text x="%s" y="%s" text-anchor="middle">%s</text>`,
			X(t), Y(0), X(t), num(yOf(0)+5), X(t), num(h-padB+20), tickLabel(t, lo, hi))
	}
	s.WriteString(`</g>`)

	// Work-log entries at their dates: a bar as high as what the entry says
	// was done, stacked on the entries of the same moment; a marker on the
	// axis for an entry that says nothing done in the chart's unit.
	below := map[int64]float64{}
	labels := len(b.Events) <= 12
	for _, e := range b.Events {
		x := X(e.Time)
		tip := esc(when(e.Time) + ": " + e.Label + " — done: " + e.said(b.Unit))
		if e.Done <= 0 {
			fmt.Fprintf(&s, `<g class="bd-event"><path d="M%s %s l5 6 l-5 6 l-5 -6 z"><title>%s</title></path></g>`,
				x, num(yOf(0)-12), tip)
			continue
		}
		k := e.Time.Unix()
		base := below[k]
		below[k] = base + e.Done
		fmt.Fprintf(&s, `<g class="bd-done"><rect x="%s" y="%s" width="8" height="%s"><title>%s</title></rect>`,
			num(xOf(e.Time)-4), Y(base+e.Done), num(yOf(base)-yOf(base+e.Done)), tip)
		if labels {
			fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="middle">%s</text>`, x, num(yOf(base+e.Done)-4), num2(e.Done))
		}
		s.WriteString(`</g>`)
	}
	// Scope, stepping where it changed.
	if len(b.Burn) > 0 {
		s.WriteString(`<path class="bd-scope" d="` + steps(b.Burn, func(p Point) float64 { return p.Scope }, xOf, yOf) + `"/>`)
		for i := 1; i < len(b.Burn); i++ {
			if d := b.Burn[i].Scope - b.Burn[i-1].Scope; d != 0 {
				fmt.Fprintf(&s, `<text class="bd-scope-change" x="%s" y="%s" text-anchor="middle">scope %s%s</text>`,
					X(b.Burn[i].Time), num(yOf(b.Burn[i].Scope)-6), sign(d), num2(d))
			}
		}
	}
	if b.hasIdeal() {
		start := b.Scope
		if len(b.Burn) > 0 {
			start = b.Burn[0].Scope
		}
		fmt.Fprintf(&s, `<line class="bd-ideal" x1="%s" y1="%s" x2="%s" y2="%s"/>`, X(b.IdealStart), Y(start), X(b.IdealEnd), Y(0))
	}
	// Remaining work: a step at each commit, a dot where it was measured.
	if len(b.Burn) > 0 {
		s.WriteString(`<path class="bd-burn" d="` + steps(b.Burn, func(p Point) float64 { return p.Remaining }, xOf, yOf) + `"/>`)
		for _, p := range b.Burn {
			fmt.Fprintf(&s, `<circle class="bd-burn-point" cx="%s" cy="%s" r="3.5"><title>%s</title></circle>`,
				X(p.Time), Y(p.Remaining), esc(p.Time.Format("2006-01-02")+", "+p.Label+": "+num2(p.Remaining)+" of "+num2(p.Scope)+" "+b.Unit+" left"))
		}
	}
	legend(&s, keys)
	s.WriteString(`</svg>`)
	return s.String()
}

// legendKey is one series named in the legend, where it is drawn.
type legendKey struct {
	class, shape, label string
	x, y                float64
}

const legendRow = 18.0

// legendKeys names each series drawn, laid out across the top in as many
// rows as they need (a character of 12 px text is taken as 7.5 px wide).
func (b *Burndown) legendKeys() (keys []legendKey, rows int) {
	add := func(class, shape, label string) {
		keys = append(keys, legendKey{class: class, shape: shape, label: label})
	}
	if len(b.Burn) > 0 {
		add("bd-burn", "line", b.Unit+" left")
		add("bd-scope", "line", "scope")
	}
	if b.hasIdeal() {
		add("bd-ideal", "line", "ideal")
	}
	bars, marks := false, false
	for _, e := range b.Events {
		if e.Done > 0 {
			bars = true
		} else {
			marks = true
		}
	}
	if bars {
		add("bd-done", "bar", "done per work-log entry")
	}
	if marks {
		add("bd-event", "diamond", "work-log entry")
	}
	x, y := padL, 14.0
	rows = 1
	for i := range keys {
		w := 24 + 7.5*float64(len([]rune(keys[i].label)))
		if x > padL && x+w > width-padR {
			x, y = padL, y+legendRow
			rows++
		}
		keys[i].x, keys[i].y = x, y
		x += w + 18
	}
	return keys, rows
}

// legend draws the keys.
func legend(s *strings.Builder, keys []legendKey) {
	s.WriteString(`<g class="bd-legend">`)
	for _, k := range keys {
		x, y := k.x, k.y
		switch k.shape {
		case "line":
			fmt.Fprintf(s, `<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s"/>`, k.class, num(x), num(y), num(x+18), num(y))
		case "bar":
			fmt.Fprintf(s, `<g class="%s bd-key"><rect x="%s" y="%s" width="8" height="14"/></g>`, k.class, num(x+5), num(y-7))
		default:
			fmt.Fprintf(s, `<g class="%s bd-key"><path d="M%s %s l5 6 l-5 6 l-5 -6 z"/></g>`, k.class, num(x+9), num(y-6))
		}
		fmt.Fprintf(s, `<text x="%s" y="%s" dominant-baseline="middle">%s</text>`, num(x+24), num(y), esc(k.label))
	}
	s.WriteString(`</g>`)
}

// stacks are the heights of the work-log bars, entries of one moment stacked.
func (b *Burndown) stacks() map[int64]float64 {
	h := map[int64]float64{}
	for _, e := range b.Events {
		if e.Done > 0 {
			h[e.Time.Unix()] += e.Done
		}
	}
	return h
}

// said is what the entry says was done, in words; "nothing stated" when it
// names nothing done.
func (e Event) said(unit string) string {
	switch {
	case e.Said != "":
		return e.Said
	case e.Done > 0:
		return num2(e.Done) + " " + unit
	}
	return "nothing stated"
}

// steps is a step line through the points: a value holds until the next.
func steps(ps []Point, v func(Point) float64, xOf func(time.Time) float64, yOf func(float64) float64) string {
	var d strings.Builder
	for i, p := range ps {
		if i == 0 {
			fmt.Fprintf(&d, "M%s %s", num(xOf(p.Time)), num(yOf(v(p))))
			continue
		}
		fmt.Fprintf(&d, " H%s V%s", num(xOf(p.Time)), num(yOf(v(p))))
	}
	return d.String()
}

// Describe says in sentences what the chart shows.
func (b *Burndown) Describe() string {
	var parts []string
	parts = append(parts, fmt.Sprintf("%s of %s %s done.", num2(b.Done), num2(b.Scope), b.Unit))
	if n := len(b.Burn); n == 1 {
		p := b.Burn[0]
		parts = append(parts, fmt.Sprintf("%s %s left on %s (%s).", num2(p.Remaining), b.Unit, p.Time.Format("2006-01-02"), p.Label))
	} else if n > 1 {
		first, last := b.Burn[0], b.Burn[n-1]
		parts = append(parts, fmt.Sprintf("%s %s left on %s, %s on %s (%s).", num2(first.Remaining), b.Unit, first.Time.Format("2006-01-02"),
			num2(last.Remaining), last.Time.Format("2006-01-02"), plural(n, "dated measurement")))
		if first.Scope != last.Scope {
			parts = append(parts, fmt.Sprintf("The scope went from %s to %s %s.", num2(first.Scope), num2(last.Scope), b.Unit))
		}
	} else {
		parts = append(parts, "No dated measurement of the checkboxes (no git history of the document).")
	}
	if n := len(b.Events); n > 0 {
		parts = append(parts, fmt.Sprintf("%s, from %s to %s.", plural(n, "dated work-log entry"), b.Events[0].Time.Format("2006-01-02"), b.Events[n-1].Time.Format("2006-01-02")))
		said, done := 0, 0.0
		for _, e := range b.Events {
			if e.Done > 0 || e.Said != "" {
				said++
			}
			done += e.Done
		}
		if said > 0 {
			verb := "say"
			if said == 1 {
				verb = "says"
			}
			parts = append(parts, fmt.Sprintf("%d of them %s what was done: %s %s in all.", said, verb, num2(done), b.Unit))
		}
	}
	if b.Undated > 0 {
		parts = append(parts, fmt.Sprintf("%s without a date left out.", plural(b.Undated, "work-log entry")))
	}
	if b.hasIdeal() {
		parts = append(parts, fmt.Sprintf("Ideal line from %s to %s.", b.IdealStart.Format("2006-01-02"), b.IdealEnd.Format("2006-01-02")))
	}
	return strings.Join(parts, " ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "y") {
		return strconv.Itoa(n) + " " + strings.TrimSuffix(what, "y") + "ies"
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// Row is one line of the text alternative.
type Row struct {
	When      string
	What      string // "work-log entry", "commit", "now"
	Label     string
	Done      string // what a work-log entry says was done; "" for a commit
	Remaining string // "" for a work-log entry
	Scope     string
}

// Table is the chart as rows of text, in time order.
func (b *Burndown) Table() []Row {
	type dated struct {
		t time.Time
		r Row
	}
	var ds []dated
	for _, p := range b.Burn {
		what := "commit"
		if p.Label == "now" {
			what = "now"
		}
		ds = append(ds, dated{p.Time, Row{When: when(p.Time), What: what, Label: p.Label, Remaining: num2(p.Remaining), Scope: num2(p.Scope)}})
	}
	for _, e := range b.Events {
		ds = append(ds, dated{e.Time, Row{When: when(e.Time), What: "work-log entry", Label: e.Label, Done: e.said(b.Unit)}})
	}
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].t.Before(ds[j].t) })
	rows := make([]Row, len(ds))
	for i, d := range ds {
		rows[i] = d.r
	}
	return rows
}

func when(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04 MST")
}

// niceTicks are about six round values from 0 to at least top.
func niceTicks(top float64) []float64 {
	if top <= 0 {
		return []float64{0, 1}
	}
	raw := top / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if step < 1 {
		step = 1
	}
	var out []float64
	for v := 0.0; ; v += step {
		out = append(out, v)
		if v >= top {
			return out
		}
	}
}

// dateTicks are round dates between lo and hi: days (up to three weeks),
// Mondays (up to ten), or months; three to seven of them.
func dateTicks(lo, hi time.Time) []time.Time {
	days := hi.Sub(lo).Hours() / 24
	var out []time.Time
	switch {
	case days <= 21:
		step := int(math.Max(1, math.Ceil(days/6)))
		t := truncDay(lo)
		if t.Before(lo) {
			t = t.AddDate(0, 0, 1)
		}
		for ; !t.After(hi); t = t.AddDate(0, 0, step) {
			out = append(out, t)
		}
	case days <= 70:
		step := 7 * int(math.Max(1, math.Ceil(days/7/6)))
		t := truncDay(lo)
		for t.Weekday() != time.Monday || t.Before(lo) {
			t = t.AddDate(0, 0, 1)
		}
		for ; !t.After(hi); t = t.AddDate(0, 0, step) {
			out = append(out, t)
		}
	default:
		step := int(math.Max(1, math.Ceil(days/30/6)))
		t := time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, lo.Location()).AddDate(0, 1, 0)
		for ; !t.After(hi); t = t.AddDate(0, step, 0) {
			out = append(out, t)
		}
	}
	return out
}

func truncDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// tickLabel is "Nov 12", or "Nov 2025" for monthly ticks, with the year
// when the chart spans more than one.
func tickLabel(t, lo, hi time.Time) string {
	if hi.Sub(lo) > 70*24*time.Hour {
		return t.Format("Jan 2006")
	}
	if lo.Year() != hi.Year() {
		return t.Format("Jan 2 2006")
	}
	return t.Format("Jan 2")
}

func sign(f float64) string {
	if f > 0 {
		return "+"
	}
	return ""
}

func esc(s string) string { return html.EscapeString(s) }

// num writes a coordinate with one decimal, without a trailing ".0".
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

// num2 writes a quantity with at most two decimals.
func num2(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}
