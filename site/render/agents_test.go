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
