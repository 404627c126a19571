package chart

import (
	"strings"
	"testing"
	"time"
)

func day(d int) time.Time { return time.Date(2025, 11, d, 0, 0, 0, 0, time.UTC) }

func TestBurndownDrawsWhatWasDated(t *testing.T) {
	b := &Burndown{Title: "Burndown of Phase 2", Unit: "items", Scope: 12, Done: 9,
		Burn: []Point{
			{Time: day(3), Remaining: 10, Scope: 10, Label: "commit aaaa1111"},
			{Time: day(10), Remaining: 6, Scope: 12, Label: "commit bbbb2222"},
			{Time: day(17), Remaining: 3, Scope: 12, Label: "now"},
		},
		Events: []Event{{Time: day(5), Label: "Setup <day 1>"}, {Time: day(12), Label: "Wrap up", Done: 3, Said: "1 task 2.1 (3 items)"},
			{Time: day(12), Label: "Same moment", Done: 2}},
		Undated:    1,
		IdealStart: day(3), IdealEnd: day(20),
	}
	if !b.Drawable() {
		t.Fatal("five dated points over five days are drawable")
	}
	svg := b.SVG("bd")
	for _, want := range []string{
		`role="img"`, `aria-labelledby="bd-t bd-d"`, `<title id="bd-t">Burndown of Phase 2</title>`,
		`class="bd-scope"`, `class="bd-ideal"`, `class="bd-burn"`,
		`2025-11-05: Setup &lt;day 1&gt;`,                  // titles are escaped
		`>scope +2</text>`,                                 // the scope grew at the second commit
		`>Nov 3</text>`, `>Nov 7</text>`, `>Nov 19</text>`, // date ticks, every few days over three weeks
		`>items left</text>`, `>work-log entry</text>`, `>done per work-log entry</text>`, `>scope</text>`, `>ideal</text>`, // a legend
		`2025-11-12: Wrap up — done: 1 task 2.1 (3 items)`, // what the entry says, on its bar
		`2025-11-10, commit bbbb2222: 6 of 12 items left`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if n := strings.Count(svg, `<g class="bd-event">`); n != 1 {
		t.Errorf("%d work-log markers, want 1 (the entry that says nothing done)", n)
	}
	// Two bars at one moment stack: the second starts where the first ends
	// (y 3 of a 0–15 scale is 278-3*14.4, the legend taking two rows), and
	// is 2 items high.
	if n := strings.Count(svg, `<g class="bd-done">`); n != 2 {
		t.Errorf("%d work-log bars, want 2", n)
	}
	if !strings.Contains(svg, `y="206" width="8" height="28.8"`) {
		t.Errorf("the second bar of the same moment is not stacked on the first:\n%s", svg)
	}
	// The y scale: round steps from 0 past the scope.
	for _, v := range []string{">0</text>", ">5</text>", ">10</text>", ">15</text>"} {
		if !strings.Contains(svg, v) {
			t.Errorf("y scale lacks %s", v)
		}
	}
	rows := b.Table()
	if len(rows) != 6 || rows[1].What != "work-log entry" || rows[1].Remaining != "" || rows[1].Done != "nothing stated" ||
		rows[2].Remaining != "6" || rows[3].Done != "1 task 2.1 (3 items)" || rows[4].Done != "2 items" || rows[5].What != "now" {
		t.Errorf("table = %+v", rows)
	}
	d := b.Describe()
	for _, want := range []string{"9 of 12 items done.", "10 items left on 2025-11-03, 3 on 2025-11-17 (3 dated measurements).", "The scope went from 10 to 12 items.", "3 dated work-log entries", "2 of them say what was done: 5 items in all.", "1 work-log entry without a date left out."} {
		if !strings.Contains(d, want) {
			t.Errorf("describe lacks %q: %s", want, d)
		}
	}
}

func TestBurndownFewerThanTwoDatedPoints(t *testing.T) {
	for _, b := range []*Burndown{
		{Scope: 5, Burn: []Point{{Time: day(3), Remaining: 2, Scope: 5, Label: "now"}}},
		{Scope: 5, Burn: []Point{{Time: day(3), Remaining: 2, Scope: 5, Label: "now"}}, Events: []Event{{Time: day(3).Add(time.Hour)}}},
		{Scope: 5, Undated: 4},
	} {
		if b.Drawable() {
			t.Errorf("%+v is drawable", b)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	for top, want := range map[float64]string{208: "0 50 100 150 200 250", 12: "0 5 10 15", 3: "0 1 2 3", 0.5: "0 1"} {
		var got []string
		for _, v := range niceTicks(top) {
			got = append(got, num2(v))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("niceTicks(%v) = %v, want %s", top, got, want)
		}
	}
}

func TestBurndownEmpty(t *testing.T) {
	if !(&Burndown{}).Empty() || (&Burndown{Scope: 5}).Empty() {
		t.Error("a chart without scope or points is empty; with a scope it has something to say")
	}
}

func TestBadge(t *testing.T) {
	s := Badge("phase 2", "in progress 21%", "in-progress")
	if !strings.Contains(s, `aria-label="phase 2: in progress 21%"`) || !strings.Contains(s, "#0757c7") {
		t.Error(s)
	}
}

// Five keys do not fit across one row: the legend takes two, every key
// stays inside the chart, and the plot moves down with it.
func TestBurndownLegendWraps(t *testing.T) {
	b := &Burndown{Title: "t", Unit: "items", Scope: 10, Done: 2,
		Burn:       []Point{{Time: day(3), Remaining: 10, Scope: 10, Label: "commit a"}, {Time: day(9), Remaining: 8, Scope: 10, Label: "now"}},
		Events:     []Event{{Time: day(4), Label: "a", Done: 1}, {Time: day(5), Label: "b"}},
		IdealStart: day(3), IdealEnd: day(12),
	}
	keys, rows := b.legendKeys()
	if len(keys) != 5 || rows != 2 {
		t.Fatalf("%d keys in %d rows", len(keys), rows)
	}
	for _, k := range keys {
		if end := k.x + 24 + 7.5*float64(len(k.label)); end > width-padR {
			t.Errorf("key %q ends at %v, past the chart's %v", k.label, end, width-padR)
		}
	}
	if svg := b.SVG("bd"); !strings.Contains(svg, `viewBox="0 0 640 318"`) {
		t.Errorf("the chart did not grow by a legend row: %.200s", svg)
	}
}
