package render_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// burndownRepo is a git repository of two documents: a phase committed on
// three days, its scope growing by a box at the third, with a work log whose
// entries report tasks done on two days; and a phase with one dated entry.
func burndownRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	src := t.TempDir()
	git := gitAt(t, src)
	write := func(rel, body string) {
		p := filepath.Join(src, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("2026-02-02T10:00:00Z", "init", "-q")
	tasks := []string{
		"- [ ] BD-1: Reader\n- [ ] BD-2: Writer\n- [ ] BD-3: Report\n",
		"- [x] BD-1: Reader\n- [ ] BD-2: Writer\n- [ ] BD-3: Report\n",
		"- [x] BD-1: Reader\n- [x] BD-2: Writer\n- [ ] BD-3: Report\n- [ ] BD-4: Export\n",
	}
	logs := []string{
		"",
		"### 2026-02-03 - Session 1\n\n**Completed:**\n- BD-1: the reader\n",
		"### 2026-02-03 - Session 1\n\n**Completed:**\n- BD-1: the reader\n\n### 2026-02-05 - Session 2\n- BD-2 done; BD-3 started\n",
	}
	for i := range tasks {
		write("plan/phase-1-core.md", "# Phase 1: Core\n\n**Status**: In Progress\n\n## Tasks\n\n"+tasks[i]+"\n## Work Log\n\n"+logs[i])
		date := fmt.Sprintf("2026-02-0%dT10:00:00Z", 2+2*i)
		git(date, "add", ".")
		git(date, "commit", "-q", "-m", "step")
	}
	write("plan/phase-2-polish.md", "# Phase 2: Polish\n\n**Status**: In Progress\n\n- [x] PL-1: Colours\n- [ ] PL-2: Fonts\n\n## Work Log\n\n### 2026-02-06 - Session 1\n- PL-1 done\n")
	return src
}

// The burndown, in the browser: date ticks, a y scale, a legend, the scope
// change, a bar for each entry that says what it did, readable text on a
// phone, the same data as a table; and the sentence instead of a chart for
// a document with fewer than two dated points.
func TestBrowserBurndown(t *testing.T) {
	chromium(t)
	site := filepath.Join(t.TempDir(), "public")
	buildSite(t, burndownRepo(t), site, true)
	b := newBrowser(t, site)
	shots := filepath.Join(repoRoot(t), "testdata", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{1400, 390} {
		for _, mode := range []string{"light", "dark"} {
			t.Run(fmt.Sprintf("%d-%s", width, mode), func(t *testing.T) {
				b.t = t
				b.do(windowSize(width, 1200), emulate(mode))
				b.open("/plan/phase-1-core/")
				b.do(chromedp.WaitVisible(`svg.burndown`))
				texts := func(sel string) []string {
					return eval[[]string](b, `[...document.querySelectorAll("svg.burndown `+sel+`")].filter(e => e.getBoundingClientRect().height > 0).map(e => e.textContent)`)
				}
				if ticks := texts(`.bd-axis text[text-anchor=middle]`); len(ticks) < 3 || ticks[0] == ticks[len(ticks)-1] {
					t.Errorf("date ticks: %q", ticks)
				}
				if ys := texts(`.bd-axis text[text-anchor=end]`); len(ys) < 3 || ys[0] != "0" {
					t.Errorf("y scale: %q", ys)
				}
				legend := strings.Join(texts(`.bd-legend text`), " | ")
				for _, want := range []string{"items left", "scope", "done per work-log entry"} {
					if !strings.Contains(legend, want) {
						t.Errorf("legend %q lacks %q", legend, want)
					}
				}
				if got := texts(`.bd-scope-change`); len(got) != 1 || got[0] != "scope +1" {
					t.Errorf("scope change: %q", got)
				}
				// One bar an entry that says what it did, each a box high
				// (a 0–5 scale on 216 px of a 300-unit chart: over 10 px
				// at either width).
				bars := eval[[]float64](b, `[...document.querySelectorAll("svg.burndown .bd-done:not(.bd-key) rect")].map(r => r.getBoundingClientRect().height)`)
				if len(bars) != 2 || bars[0] < 10 || bars[1] < 10 {
					t.Errorf("work-log bars, px high: %v", bars)
				}
				if points := eval[int](b, `document.querySelectorAll("svg.burndown .bd-burn-point").length`); points != 3 {
					t.Errorf("%d commits drawn, want 3", points)
				}
				if small := eval[[]string](b, smallChartText); len(small) > 0 {
					t.Errorf("chart text too small to read: %v", small)
				}
				if over := eval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
					t.Errorf("the page scrolls sideways by %d px; widest: %s", over, eval[string](b, widest))
				}
				for _, problem := range eval[[]string](b, contrastCheck) {
					t.Error(problem)
				}
				// The table: every commit and entry, with what each entry says.
				eval[any](b, `(() => { document.querySelector("figure.chart details").open = true; return 0 })()`)
				rows := eval[[]string](b, `[...document.querySelectorAll("table.burndown-table tbody tr")].filter(r => r.getBoundingClientRect().height > 0).map(r => [...r.cells].map(c => c.textContent).join(" / "))`)
				want := []string{
					"2026-02-02 10:00 UTC / commit / commit", "2026-02-03 / work-log entry / Session 1 / 1 task BD-1 (1 item) /  / ",
					"2026-02-04 10:00 UTC / commit", "2026-02-05 / work-log entry / Session 2 / 1 task BD-2 (1 item)", "2026-02-06 10:00 UTC / commit",
				}
				if len(rows) != len(want) {
					t.Fatalf("table rows:\n%s", strings.Join(rows, "\n"))
				}
				for i, w := range want {
					if !strings.HasPrefix(rows[i], w) {
						t.Errorf("table row %d: %q, want %q…", i+1, rows[i], w)
					}
				}
				ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
				png, err := chromedp.Run(ctx, chromedp.ScreenshotScale(`figure.chart`, 1))
				cancel()
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(shots, fmt.Sprintf("burndown-%d-%s.png", width, mode)), png, 0o644); err != nil {
					t.Fatal(err)
				}

				// One dated entry and no history: a sentence, no chart.
				b.open("/plan/phase-2-polish/")
				b.do(chromedp.WaitVisible(`figure.chart figcaption`))
				if n := eval[int](b, `document.querySelectorAll("svg.burndown").length`); n != 0 {
					t.Errorf("a chart of one dated point")
				}
				if got := eval[string](b, `document.querySelector("figure.chart figcaption").textContent`); !strings.Contains(got, "Fewer than two dated") {
					t.Errorf("no sentence in place of the chart: %q", got)
				}
			})
		}
	}
	b.do(emulate(""))
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}
