package render_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
)

// trackerPhase2 is the phase page of testdata/tracker with gates, tasks,
// an agent table, a work log, a code block and two problems.
const trackerPhase2 = "plans/ledger-sync/phase-2-import"

// tracker is the plan written for these tests, in every clone.
func tracker(tb testing.TB) string {
	tb.Helper()
	return testcorpus.Testdata(tb, "tracker")
}

var (
	trackerOnce sync.Once
	trackerDir  string
)

// builtTracker is the tracker site built once for every test that only reads it.
func builtTracker(t testing.TB) string {
	t.Helper()
	trackerOnce.Do(func() {
		dir, err := os.MkdirTemp("", "plansite-tracker-site-")
		if err != nil {
			t.Fatal(err)
		}
		trackerDir = filepath.Join(dir, "public")
		buildSite(t, tracker(t), trackerDir, false)
	})
	return trackerDir
}

func TestTrackerGateWidgets(t *testing.T) {
	gateWidgets(t, builtTracker(t), trackerPhase2, "0 of 3 passed",
		"Success Criteria 1/3 open", "Gate 1: Readers 1/2 open", "Gate 2: Release 0/1 open")
}

func TestTrackerPages(t *testing.T) {
	dir := builtTracker(t)
	for _, rel := range []string{
		"index.html", "404.html", "sitemap.xml", "feed.xml", "robots.txt", "plan.json", "plan.schema.json",
		"search/meta.json", "search/lengths.json", "search/f/0.json", "search/index.html", "agents/index.html", "agents/api-engineer/index.html",
		"agents/web-engineer/index.html", "problems/index.html", trackerPhase2 + "/badge.svg",
		"plans/ledger-sync/phase-1-schema/index.html", "plans/ledger-sync/phase-3-monthly-view/index.html",
		".claude/progress/ledger-sync/all-phases-progress/index.html",
	} {
		if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
			t.Error(err)
		}
	}
	searchChunksExist(t, dir)
	if feed := readFile(t, filepath.Join(dir, "feed.xml")); !strings.Contains(feed, "OFX envelope (2.2)") {
		t.Error("feed lacks a work-log entry")
	}
	page := readFile(t, filepath.Join(dir, trackerPhase2, "index.html"))
	for _, want := range []string{
		`rel="prev"`, `rel="next"`, `class="matrix"`, `class="burndown"`, `id="problems"`,
		"completion-mismatch", "broken-link", "Phase 1: Schema", "Phase 3: Monthly View", "api-enginer",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("phase page lacks %s", want)
		}
	}
	agent := readFile(t, filepath.Join(dir, "agents", "web-engineer", "index.html"))
	for _, want := range []string{"Import screen", "Monthly report"} {
		if !strings.Contains(agent, want) {
			t.Errorf("web-engineer's page lacks the task %q", want)
		}
	}
}

// The phase page's burndown plots each work-log entry at its time with what
// it says was done: a bar as high as the boxes of the task it reports done,
// a marker for the entry that reports nothing done, and the same in the
// table, in words.
func TestTrackerBurndownPlotsWhatEachEntrySays(t *testing.T) {
	page := readFile(t, filepath.Join(builtTracker(t), trackerPhase2, "index.html"))
	for _, want := range []string{
		`<g class="bd-done"><rect`, `2026-03-10 09:15 UTC: CSV reader complete (2.1) — done: 1 task 2.1 (2 items)`,
		`2026-03-20 16:00 UTC: OFX envelope (2.2) — done: nothing stated`,
		`>done per work-log entry</text>`, `<th scope="col">Done, as written</th>`,
		`<td>CSV reader complete (2.1)</td><td>1 task 2.1 (2 items)</td>`,
		"1 of them says what was done: 2 items in all.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("phase 2's burndown lacks %s", want)
		}
	}
}

var (
	planFigureRe   = regexp.MustCompile(`computed \((\d+)/(\d+)\)`)
	burndownDoneRe = regexp.MustCompile(`<figcaption>(\d+) of (\d+) items done`)
)

// A plan page's burndown counts the same checkboxes as the figures above
// it (its trackers, when it has them): one page never shows two totals.
func TestPlanBurndownAgreesWithFigures(t *testing.T) {
	site := builtCorpus(t)
	pages, _ := filepath.Glob(filepath.Join(site, "plans", "*", "index.html"))
	checked := 0
	for _, p := range pages {
		page := readFile(t, p)
		fig, bd := planFigureRe.FindStringSubmatch(page), burndownDoneRe.FindStringSubmatch(page)
		if fig == nil || bd == nil {
			continue
		}
		checked++
		if fig[1] != bd[1] || fig[2] != bd[2] {
			t.Errorf("%s: the plan is %s/%s, its burndown %s of %s", p, fig[1], fig[2], bd[1], bd[2])
		}
	}
	if checked < 3 {
		t.Errorf("only %d plan pages with a burndown", checked)
	}
}

var groupRe = regexp.MustCompile(`<summary><h2>([^<]*)</h2>.*?<span class="meta">(\d+) documents?`)

// Our own plan is one plan on the dashboard: the overview (content/README.md,
// whose phase table lists the phase documents, each linking back to it), its
// four phases and the tracker that links it.
func TestOverviewJoinsItsPhases(t *testing.T) {
	site := filepath.Join(t.TempDir(), "public")
	buildSite(t, testcorpus.Content(t), site, false)
	var got []string
	for _, m := range groupRe.FindAllStringSubmatch(readFile(t, filepath.Join(site, "index.html")), -1) {
		got = append(got, m[1]+" "+m[2])
	}
	if len(got) == 0 || got[0] != "plansite Project Plan 6" {
		t.Errorf("dashboard groups: %q, want the overview's plan of 6 documents first", got)
	}
}
