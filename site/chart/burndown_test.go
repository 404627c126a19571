package chart

import (
	"strings"
	"testing"
	"time"
)

func day(d int) time.Time { return time.Date(2025, 11, d, 0, 0, 0, 0, time.UTC) }

func TestBurndownPointsAndText(t *testing.T) {
	b := &Burndown{Title: "Burndown of Phase 2", Unit: "items", Scope: 10,
		Log: []Point{
			{Time: day(10), HasTime: true, Remaining: 8, Label: "Setup <day 1>"},
			{Remaining: 6, Label: "No time written"},
			{Time: day(14), HasTime: true, Remaining: 2, Label: "Wrap up"},
		},
		IdealStart: day(10), IdealEnd: day(20),
	}
	svg := b.SVG("bd")
	for _, want := range []string{
		`role="img"`, `aria-labelledby="bd-t bd-d"`, `<title id="bd-t">Burndown of Phase 2</title>`,
		`class="bd-scope"`, `class="bd-ideal"`, `class="bd-log"`,
		`Setup &lt;day 1&gt;: 8 items left`, // titles are escaped
		`2025-11-10`, `2025-11-20`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if n := strings.Count(svg, `<g class="bd-marker">`); n != 3 {
		t.Errorf("%d markers, want 3", n)
	}
	// The untimed entry sits halfway between its timed neighbours.
	log, _, _, _, _ := b.layout()
	if log[0].x != 0 || log[1].x != 0.2 || log[2].x != 0.4 {
		t.Errorf("x = %v %v %v, want 0 0.2 0.4", log[0].x, log[1].x, log[2].x)
	}
	rows := b.Table()
	if len(rows) != 3 || rows[1].When != "—" || rows[2].Remaining != "2" || rows[0].When != "2025-11-10" {
		t.Errorf("table = %+v", rows)
	}
	if d := b.Describe(); !strings.Contains(d, "Scope 10 items") || !strings.Contains(d, "3 work-log entries; 2 items remaining") {
		t.Errorf("describe = %q", d)
	}
}

func TestBurndownUntimedKeepsOrder(t *testing.T) {
	b := &Burndown{Title: "x", Unit: "items", Scope: 4, Log: []Point{{Remaining: 3}, {Remaining: 2}, {Remaining: 0}}}
	log, _, _, _, timed := b.layout()
	if timed || log[0].x != 0 || log[1].x != 0.5 || log[2].x != 1 {
		t.Errorf("timed=%v x=%v %v %v", timed, log[0].x, log[1].x, log[2].x)
	}
	if !strings.Contains(b.SVG("b"), "first entry") {
		t.Error("an untimed chart should label its axis by entry")
	}
}

func TestBurndownEmpty(t *testing.T) {
	if !(&Burndown{Scope: 5}).Empty() || !(&Burndown{Log: []Point{{}}}).Empty() {
		t.Error("a chart without scope or points is empty")
	}
}

func TestBadge(t *testing.T) {
	s := Badge("phase 2", "in progress 21%", "in-progress")
	if !strings.Contains(s, `aria-label="phase 2: in progress 21%"`) || !strings.Contains(s, "#0757c7") {
		t.Error(s)
	}
}
