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

// TestSiteMainsMatchLayouts writes the "main" of agent and plan pages the
// corpora have none of (an agent's later pages, a plan with templates)
// in Go and by their layouts, and wants the same bytes, minified and not.
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
	for _, d := range docs {
		rows = append(rows, phaseRow{Doc: d})
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
