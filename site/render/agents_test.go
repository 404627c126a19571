package render

import (
	"slices"
	"testing"

	"github.com/plansite/plansite/site/plan"
)

// An agent's rows: open work, then the phases naming it, then done work;
// within a section a plan's rows together, plans in the order they first
// come, blocked rows first, otherwise as written.
func TestSortAgentItems(t *testing.T) {
	row := func(id, section, planKey, status string) agentItem {
		return agentItem{ID: id, section: section, planKey: planKey, Status: status}
	}
	items := []agentItem{
		row("d1", sectionDone, "b", plan.Complete),
		row("o1", sectionOpen, "b", plan.InProgress),
		row("o2", sectionOpen, "a", plan.NotStarted),
		row("o3", sectionOpen, "b", plan.Blocked),
		row("d2", sectionDone, "a", plan.Complete),
		row("o4", sectionOpen, "a", plan.Blocked),
		row("o5", sectionOpen, "b", plan.NotStarted),
		row("p1", sectionPhases, "c", plan.InProgress),
		row("d3", sectionDone, "b", plan.Complete),
	}
	sortAgentItems(items)
	var got []string
	for _, it := range items {
		got = append(got, it.ID)
	}
	want := []string{"o3", "o1", "o5", "o4", "o2", "p1", "d1", "d3", "d2"}
	if !slices.Equal(got, want) {
		t.Errorf("rows in order %v, want %v", got, want)
	}
	groups := groupAgentItems(items, nil)
	if len(groups) != 5 || len(groups[0].Rows) != 3 || groups[4].Rows[0].ID != "d2" {
		t.Errorf("groups %+v", groups)
	}
}

// What the agents' index counts of an agent, without making its rows, is
// what its page lists: the rows of documents in the site, tasks and phases.
func TestAgentTallyCountsTheRows(t *testing.T) {
	a := &plan.Doc{Source: "a.md", URL: "/a/", Tasks: []*plan.Task{{ID: "1", Title: "One", Anchor: "one"}}}
	b := &plan.Doc{Source: "b.md", URL: "/b/"}
	s := &Site{bySource: map[string]*plan.Doc{a.Source: a, b.Source: b}, idx: &siteIndex{}}
	agent := &plan.Agent{Name: "dev", Tasks: []*plan.AgentTask{
		{Source: "a.md", Task: "1", Title: "One", Status: plan.Complete, Role: plan.RolePrimary},
		{Source: "a.md", Task: "2", Status: plan.Blocked, Role: plan.RoleReview},
		{Source: "gone.md", Task: "3", Status: plan.InProgress, Role: plan.RolePrimary},
		{Source: "b.md", Task: "4", Status: plan.NotStarted, Role: plan.RoleBackup},
	}, Phases: []*plan.AgentPhase{{Source: "b.md", Phase: "2"}, {Source: "gone.md", Phase: "3"}}}
	r, rows := s.agentTally(agent)
	items := s.agentItems(agent)
	if rows != len(items) || rows != 4 {
		t.Errorf("tally %d rows, page %d; want 4", rows, len(items))
	}
	want := agentRow{Agent: agent, Open: 2, Blocked: 1, Done: 1, All: 3, Phases: 1, Primary: 2, Backup: 1, Review: 1}
	if r != want {
		t.Errorf("tally %+v, want %+v", r, want)
	}
	if items[len(items)-1].Href != "/a/#one" {
		t.Errorf("the done task's row links %q, want its anchor", items[len(items)-1].Href)
	}
}
