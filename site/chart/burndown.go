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

// Point is remaining work at one moment. Points without a time keep their
// written order and are placed between their timed neighbours.
type Point struct {
	Time      time.Time
	HasTime   bool
	Remaining float64
	Label     string // the work-log entry's title, or the commit
}

// Burndown is remaining work over time: from the work log, from the source's
// git history, the scope, and an ideal line when start and duration are known.
type Burndown struct {
	Title string
	Unit  string // "items" or "points"
	Scope float64
	Log   []Point
	Git   []Point
	// Ideal runs from Scope at IdealStart to 0 at IdealEnd when both are set.
	IdealStart, IdealEnd time.Time
}

// Empty reports whether there is nothing worth drawing.
func (b *Burndown) Empty() bool {
	return b == nil || b.Scope <= 0 || (len(b.Log) == 0 && len(b.Git) == 0)
}

func (b *Burndown) hasIdeal() bool {
	return !b.IdealStart.IsZero() && b.IdealEnd.After(b.IdealStart)
}

const (
	width, height          = 640.0, 260.0
	padL, padR, padT, padB = 44.0, 16.0, 16.0, 34.0
)

// placed is a point with its x position in 0..1.
type placed struct {
	Point
	x float64
}

// layout gives every point an x in 0..1: on a time axis when any point has
// a time, else by written order.
func (b *Burndown) layout() (log, git []placed, ideal [2]float64, span [2]time.Time, timed bool) {
	var lo, hi time.Time
	see := func(t time.Time) {
		if lo.IsZero() || t.Before(lo) {
			lo = t
		}
		if hi.IsZero() || t.After(hi) {
			hi = t
		}
	}
	for _, p := range b.Log {
		if p.HasTime {
			see(p.Time)
		}
	}
	for _, p := range b.Git {
		see(p.Time)
	}
	if b.hasIdeal() {
		see(b.IdealStart)
		see(b.IdealEnd)
	}
	timed = !lo.IsZero()
	span = [2]time.Time{lo, hi}
	pos := func(t time.Time) float64 {
		if !hi.After(lo) {
			return 0.5
		}
		return float64(t.Sub(lo)) / float64(hi.Sub(lo))
	}
	// Work-log x: timed points by time; untimed between timed neighbours.
	xs := make([]float64, len(b.Log))
	known := make([]bool, len(b.Log))
	for i, p := range b.Log {
		if p.HasTime {
			xs[i], known[i] = pos(p.Time), true
		}
	}
	anyKnown := false
	for _, k := range known {
		anyKnown = anyKnown || k
	}
	n := len(b.Log)
	for i := 0; i < n; i++ {
		if known[i] {
			continue
		}
		if !anyKnown {
			if n == 1 {
				xs[i] = 0.5
			} else {
				xs[i] = float64(i) / float64(n-1)
			}
			continue
		}
		p, q := i-1, i+1
		for p >= 0 && !known[p] {
			p--
		}
		for q < n && !known[q] {
			q++
		}
		switch {
		case p >= 0 && q < n:
			xs[i] = xs[p] + (xs[q]-xs[p])*float64(i-p)/float64(q-p)
		case p >= 0:
			xs[i] = xs[p]
		default:
			xs[i] = xs[q]
		}
	}
	for i, p := range b.Log {
		log = append(log, placed{p, xs[i]})
	}
	for _, p := range b.Git {
		git = append(git, placed{p, pos(p.Time)})
	}
	if b.hasIdeal() {
		ideal = [2]float64{pos(b.IdealStart), pos(b.IdealEnd)}
	}
	return log, git, ideal, span, timed
}

// SVG draws the chart. It is labelled by its title and describes itself in
// a desc element; Table gives the same data as text.
func (b *Burndown) SVG(id string) string {
	log, git, ideal, span, timed := b.layout()
	var s strings.Builder
	max := b.Scope
	for _, p := range append(append([]placed{}, log...), git...) {
		max = math.Max(max, p.Remaining)
	}
	X := func(x float64) string { return num(padL + x*(width-padL-padR)) }
	Y := func(v float64) string { return num(padT + (1-v/max)*(height-padT-padB)) }
	fmt.Fprintf(&s, `<svg class="burndown" viewBox="0 0 %s %s" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`,
		num(width), num(height), id, id)
	fmt.Fprintf(&s, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(b.Title), id, esc(b.Describe()))
	// Axes and grid.
	fmt.Fprintf(&s, `<g class="bd-axis"><line x1="%s" y1="%s" x2="%s" y2="%s"/><line x1="%s" y1="%s" x2="%s" y2="%s"/>`,
		X(0), Y(0), X(1), Y(0), X(0), Y(0), X(0), Y(max))
	fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="end">0</text><text x="%s" y="%s" text-anchor="end">%s</text>`,
		num(padL-6), Y(0), num(padL-6), num(padT+10), num2(max))
	if timed {
		fmt.Fprintf(&s, `<text x="%s" y="%s">%s</text><text x="%s" y="%s" text-anchor="end">%s</text>`,
			X(0), num(height-10), span[0].Format("2006-01-02"), X(1), num(height-10), span[1].Format("2006-01-02"))
	} else {
		fmt.Fprintf(&s, `<text x="%s" y="%s">first entry</text><text x="%s" y="%s" text-anchor="end">last entry</text>`,
			X(0), num(height-10), X(1), num(height-10))
	}
	s.WriteString(`</g>`)
	fmt.Fprintf(&s, `<line class="bd-scope" x1="%s" y1="%s" x2="%s" y2="%s"/>`, X(0), Y(b.Scope), X(1), Y(b.Scope))
	if b.hasIdeal() {
		fmt.Fprintf(&s, `<line class="bd-ideal" x1="%s" y1="%s" x2="%s" y2="%s"/>`, X(ideal[0]), Y(b.Scope), X(ideal[1]), Y(0))
	}
	line := func(class string, ps []placed) {
		if len(ps) == 0 {
			return
		}
		var d strings.Builder
		for i, p := range ps {
			if i == 0 {
				d.WriteString("M")
			} else {
				d.WriteString(" L")
			}
			d.WriteString(X(p.x) + " " + Y(p.Remaining))
		}
		fmt.Fprintf(&s, `<path class="%s" d="%s"/>`, class, d.String())
	}
	line("bd-git", git)
	line("bd-log", log)
	for _, p := range git {
		fmt.Fprintf(&s, `<circle class="bd-git-point" cx="%s" cy="%s" r="2.5"><title>%s</title></circle>`,
			X(p.x), Y(p.Remaining), esc(p.Label+": "+num2(p.Remaining)+" "+b.Unit+" left"))
	}
	for _, p := range log {
		fmt.Fprintf(&s, `<g class="bd-marker"><line x1="%s" y1="%s" x2="%s" y2="%s"/><circle cx="%s" cy="%s" r="4"><title>%s</title></circle></g>`,
			X(p.x), Y(0), X(p.x), Y(max), X(p.x), Y(p.Remaining), esc(p.Label+": "+num2(p.Remaining)+" "+b.Unit+" left"))
	}
	s.WriteString(`</svg>`)
	return s.String()
}

// Describe is a one-sentence summary of the chart.
func (b *Burndown) Describe() string {
	var parts []string
	parts = append(parts, fmt.Sprintf("Scope %s %s.", num2(b.Scope), b.Unit))
	if n := len(b.Log); n > 0 {
		parts = append(parts, fmt.Sprintf("%d work-log entries; %s %s remaining after the last.", n, num2(b.Log[n-1].Remaining), b.Unit))
	}
	if n := len(b.Git); n > 0 {
		parts = append(parts, fmt.Sprintf("%d commits in git history; %s %s remaining at the latest.", n, num2(b.Git[n-1].Remaining), b.Unit))
	}
	if b.hasIdeal() {
		parts = append(parts, fmt.Sprintf("Ideal line from %s to %s.", b.IdealStart.Format("2006-01-02"), b.IdealEnd.Format("2006-01-02")))
	}
	return strings.Join(parts, " ")
}

// Row is one line of the text alternative.
type Row struct {
	Series    string // "work log" or "git"
	When      string // date and time, or "—" when not written
	Label     string
	Remaining string
}

// Table is the chart as rows of text, in series then written order.
func (b *Burndown) Table() []Row {
	var rows []Row
	for _, p := range b.Log {
		rows = append(rows, Row{"work log", when(p), p.Label, num2(p.Remaining)})
	}
	git := append([]Point(nil), b.Git...)
	sort.SliceStable(git, func(i, j int) bool { return git[i].Time.Before(git[j].Time) })
	for _, p := range git {
		rows = append(rows, Row{"git", when(p), p.Label, num2(p.Remaining)})
	}
	return rows
}

func when(p Point) string {
	if !p.HasTime {
		return "—"
	}
	if p.Time.Hour() == 0 && p.Time.Minute() == 0 && p.Time.Second() == 0 {
		return p.Time.Format("2006-01-02")
	}
	return p.Time.Format("2006-01-02 15:04 MST")
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
