package render

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/plan"
)

// TestPagerMatchesPartial writes the pager of every page of lists of one
// to a dozen pages, with URLs that need escaping, and wants what the
// theme's "pager" partial prints, minified and not.
func TestPagerMatchesPartial(t *testing.T) {
	for _, minify := range []bool{false, true} {
		s, err := New(nil, nil, nil, Options{Minify: minify})
		if err != nil {
			t.Fatal(err)
		}
		compared := 0
		for pages := 1; pages <= 12; pages++ {
			for n := 1; n <= pages; n++ {
				p := newPager(n, pages, func(i int) string { return "/a b/<page>&\"" + strconv.Itoa(i) + "\"/" })
				var want, got bytes.Buffer
				if err := s.tmpl["agent"].ExecuteTemplate(&want, "pager", p); err != nil {
					t.Fatal(err)
				}
				writePager(layoutWriter{Buffer: &got, minify: minify}, p)
				if got.String() != want.String() {
					t.Errorf("minify %v, page %d of %d:\n got: %s\nwant: %s", minify, n, pages, got.String(), want.String())
				}
				compared += want.Len()
			}
		}
		if compared == 0 {
			t.Error("no pager printed")
		}
	}
}

// TestSiteMainsMatchLayouts writes the "main" of pages the corpora have
// none of (an agent's later pages, a plan with templates, a later page of
// the dashboard and of a rule's problems, files continued from a page
// before) in Go and by their layouts, and wants the same bytes, minified
// and not.
func TestSiteMainsMatchLayouts(t *testing.T) {
	const hostile = `a <b> & "c" 'd' + é`
	doc := func(src, text string) *plan.Doc {
		return extract.Extract(src, []byte(text), extract.Options{}).Doc
	}
	docs := []*plan.Doc{
		doc("p/phase-1-x.md", "# Phase 1: "+hostile+"\n\n**Status**: In progress\n**Started**: 2024-01-02\n**Duration**: 2 <weeks>\n\n- [x] a\n- [ ] b\n"),
		doc("p/phase-2-y.md", "# Second "+hostile+"\n\n**Status**: Complete\n**Done**: 2024-02-03T10:00:00Z\n\n- [x] a\n"),
		doc("p/notes.md", "# Notes\n\nNo boxes.\n"),
	}
	var rows []phaseRow
	var problems []problemView
	for _, d := range docs {
		rows = append(rows, phaseRow{Doc: d, Agents: hostile, GatesPassed: 1, Blocked: 2, Problems: len(d.Problems)})
		problems = append(problems, problemView{Problem: &plan.Problem{Line: 3, Severity: plan.Severity("warning"), Code: plan.Code("x-y"), Message: hostile}, Source: d.Source, Href: "/p/#L3"})
	}
	item := func(d *plan.Doc, id string) agentItem {
		return agentItem{Doc: d, ID: id, Title: hostile, Href: d.URL + "#" + id, Role: "primary", Status: plan.InProgress}
	}
	views := []struct {
		layout string
		data   any
	}{
		{"plan", &planView{Series: &plan.Series{ID: "p/<x>", Title: hostile, URL: "/p/"}, Phases: rows,
			Figures: planFigures{Reading: readDoc(docs[0]), Done: 2, Total: 3, From: "trackers", Templates: 2}}},
		{"plan", &planView{Series: &plan.Series{ID: "q", Title: "Q", URL: "/q/"}, Phases: rows[2:], Figures: planFigures{From: "documents"}}},
		{"agent", &agentView{Agent: &plan.Agent{Name: hostile}, Pager: newPager(1, 1, nil)}},
		{"agent", &agentView{Agent: &plan.Agent{Name: "agent-one"}, Row: agentRow{Open: 3, Blocked: 1, Done: 2, All: 6, Phases: 2},
			Groups: []agentGroup{
				{Section: sectionOpen, Plan: hostile, PlanURL: "/p/", Continued: true, Rows: []agentItem{item(docs[0], "1.1"), item(docs[1], "2.1")}},
				{Section: sectionOpen, Plan: "Other", PlanURL: "/o/", Rows: []agentItem{item(docs[2], "3")}},
				{Section: sectionDone, Plan: hostile, PlanURL: "/p/", Rows: []agentItem{item(docs[1], "2.2")}},
			},
			Pager: newPager(2, 3, func(i int) string { return "/agents/agent-one/" + strconv.Itoa(i) + "/" })}},
		{"agent", &agentView{Agent: &plan.Agent{Name: "agent-two"}, Row: agentRow{Open: 1}, Pager: newPager(1, 2, func(i int) string { return "/" + strconv.Itoa(i) })}},
		{"problems", &problemsView{Rule: hostile, Total: 9, Shown: 4, Pager: newPager(3, 5, func(i int) string { return "/problems/x/page/" + strconv.Itoa(i) + "/" }),
			Rules:    []countLink{{Name: hostile, URL: "/problems/a/", N: 4, Current: true}, {Name: "other", URL: "/problems/o/", N: 5}},
			Severity: []countLink{{Name: "error", N: 2}, {Name: "warning", N: 7}},
			Files: []problemFile{{Source: "p/<a>.md", Href: "/p/a/", Continued: true, Problems: problems},
				{Source: "p/b.md", Problems: problems[:1]}}}},
		{"problems", &problemsView{Pager: newPager(1, 1, nil)}},
		{"dashboard", &dashView{Summary: summary{Open: 3, InProgress: 2, Blocked: 1, Stale: 1, Changed: 4, Problems: 2, Done: 5, Total: 9, StaleDays: 30},
			Recent: docs, Statuses: []string{plan.InProgress, plan.Complete}, Agents: []string{hostile, "b"}, Home: "<p>Home <b>page</b></p>",
			Plans: 2, Docs: 3, Pager: newPager(2, 4, func(i int) string { return "/page/" + strconv.Itoa(i) + "/" }),
			Groups: []dashGroup{
				{Anchor: "p", Title: hostile, URL: "/p/", Dir: "p/<x>", Status: plan.InProgress, Updated: "2024-02-03T10:00:00Z",
					Continued: true, Docs: 3, Done: 3, Total: 4, Blocked: 1, InProgress: 1, Rows: rows},
				{Anchor: "q", Title: "Q", Status: plan.Complete, Docs: 1, Rows: rows[2:]},
			}}},
		{"dashboard", &dashView{Pager: newPager(1, 1, nil)}},
	}
	for _, minify := range []bool{false, true} {
		s, err := New(&plan.Site{Docs: docs}, nil, nil, Options{Minify: minify, BaseURL: "/sub/"})
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range views {
			var want, got bytes.Buffer
			if err := s.tmpl[v.layout].ExecuteTemplate(&want, "main", pageData{Data: v.data}); err != nil {
				t.Fatal(err)
			}
			if err := goMains[v.layout].write(s, layoutWriter{Buffer: &got, minify: minify}, v.data); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("minify %v, %s view %d:\n got: %s\nwant: %s", minify, v.layout, i, got.String(), want.String())
			}
		}
	}
}
