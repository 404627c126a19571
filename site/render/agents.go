package render

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/plansite/plansite/site/plan"
)

// The agents index shows each agent's open, blocked and done work; an
// agent's page lists its open work first, grouped by plan, then the phases
// that name it, then its finished work, in pages of agentRowsPerPage rows.

const agentRowsPerPage = 150

// agentRow is one agent on the index.
type agentRow struct {
	Agent                    *plan.Agent
	Open, Blocked, Done, All int
	Phases                   int
	Primary, Backup, Review  int
	Author                   int
}

// agentItem is one row of an agent's page: a task, or a phase that names
// the agent.
type agentItem struct {
	Doc                   *plan.Doc
	ID, Title, Href, Role string
	Status                string
	section, planKey      string
	planTitle, planURL    string
	order                 int // its section's rank, then where its plan first came (sortAgentItems)
}

// agentGroup is the rows of one plan in one section of an agent's page.
type agentGroup struct {
	Section, Plan, PlanURL string
	Continued              bool
	Rows                   []agentItem
}

// agentView is what agent.html receives.
type agentView struct {
	Agent  *plan.Agent
	Row    agentRow
	Groups []agentGroup
	Pager  pager
}

// Sections of an agent's page, in order.
const (
	sectionOpen   = "Open work"
	sectionPhases = "Phases that name this agent"
	sectionDone   = "Done"
)

// finished reports whether a status needs no more work.
func finished(status string) bool {
	return status == plan.Complete || status == plan.Deferred || status == plan.Failed
}

// planOf names the plan a document belongs to: its series, or itself.
func (s *Site) planOf(d *plan.Doc) (key, title, url string) {
	if sr := s.idx.series[d.Series]; sr != nil && len(s.idx.seriesDocs[sr.ID]) > 1 && s.bySource[sr.ID] == nil {
		return sr.ID, sr.Title, sr.URL
	}
	return d.Source, d.Title, d.URL
}

// AgentPlan is the plan an agent's page groups the rows of document
// source under: its key, title and URL ("" when the document is not in
// the model).
func (s *Site) AgentPlan(source string) (key, title, url string) {
	d := s.bySource[source]
	if d == nil {
		return "", "", ""
	}
	return s.planOf(d)
}

// agentTally is what the agents' index shows of an agent, and how many
// rows its page lists, counted without making the rows: a rebuild makes
// those of the agents whose pages changed only.
func (s *Site) agentTally(a *plan.Agent) (r agentRow, rows int) {
	r = agentRow{Agent: a}
	for _, t := range a.Tasks {
		switch t.Role {
		case plan.RolePrimary:
			r.Primary++
		case plan.RoleBackup:
			r.Backup++
		case plan.RoleReview:
			r.Review++
		case plan.RoleAuthor:
			r.Author++
		}
		if s.bySource[t.Source] == nil {
			continue
		}
		r.All++
		if finished(t.Status) {
			r.Done++
			continue
		}
		if t.Status == plan.Blocked {
			r.Blocked++
		}
		r.Open++
	}
	for _, p := range a.Phases {
		if s.bySource[p.Source] != nil {
			r.Phases++
		}
	}
	return r, r.All + r.Phases
}

// agentItems is every row of an agent's page in page order.
func (s *Site) agentItems(a *plan.Agent) []agentItem {
	items := make([]agentItem, 0, len(a.Tasks)+len(a.Phases))
	for _, t := range a.Tasks {
		d := s.bySource[t.Source]
		if d == nil {
			continue
		}
		it := agentItem{Doc: d, ID: t.Task, Title: t.Title, Href: d.URL, Role: t.Role, Status: t.Status, section: sectionOpen}
		for _, dt := range d.Tasks {
			if dt.ID == t.Task && dt.Title == t.Title {
				it.Href += "#" + dt.Anchor
				break
			}
		}
		it.planKey, it.planTitle, it.planURL = s.planOf(d)
		if finished(t.Status) {
			it.section = sectionDone
		}
		items = append(items, it)
	}
	for _, p := range a.Phases {
		d := s.bySource[p.Source]
		if d == nil {
			continue
		}
		it := agentItem{Doc: d, ID: "Phase " + p.Phase, Title: p.Title, Href: d.URL + "#" + p.Anchor, Role: "named", Status: p.Status, section: sectionPhases}
		it.planKey, it.planTitle, it.planURL = s.planOf(d)
		items = append(items, it)
	}
	sortAgentItems(items)
	return items
}

// sectionRank orders the sections of an agent's page.
var sectionRank = map[string]int{sectionOpen: 0, sectionPhases: 1, sectionDone: 2}

// sortAgentItems puts an agent's rows in page order, in place: by section;
// within one, the rows of a plan together, the plans in the order they first
// come, blocked rows first; else as they came.
func sortAgentItems(items []agentItem) {
	first := map[[2]string]int{} // section and plan → its first row
	for i := range items {
		k := [2]string{items[i].section, items[i].planKey}
		if _, ok := first[k]; !ok {
			first[k] = i
		}
		items[i].order = sectionRank[items[i].section]<<32 | first[k]
	}
	slices.SortStableFunc(items, func(a, b agentItem) int {
		return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(blockedFirst(a.Status), blockedFirst(b.Status)))
	})
}

func blockedFirst(status string) int {
	if status == plan.Blocked {
		return 0
	}
	return 1
}

// agentPageURL is the URL of page n of an agent's page.
func agentPageURL(a *plan.Agent, n int) string {
	if n <= 1 {
		return a.URL
	}
	return a.URL + "page/" + strconv.Itoa(n) + "/"
}

// groupAgentItems cuts one page's rows into groups by section and plan;
// each group's rows are a part of items.
func groupAgentItems(items []agentItem, prev *agentItem) []agentGroup {
	var out []agentGroup
	start := 0
	for i, it := range items {
		if i == 0 || it.section != items[i-1].section || it.planKey != items[i-1].planKey {
			if i > 0 {
				out[len(out)-1].Rows = items[start:i:i]
			}
			g := agentGroup{Section: it.section, Plan: it.planTitle, PlanURL: it.planURL}
			if i == 0 && prev != nil && prev.section == it.section && prev.planKey == it.planKey {
				g.Continued = true
			}
			out = append(out, g)
			start = i
		}
	}
	if len(out) > 0 {
		out[len(out)-1].Rows = items[start:]
	}
	return out
}

func (s *Site) agentPages(page func(rel string, b []byte, err error) error, unchanged func(rel string) bool) error {
	var rows []agentRow
	for _, a := range s.Model.Agents {
		r, count := s.agentTally(a)
		rows = append(rows, r)
		pages := pageCount(count, agentRowsPerPage)
		var items []agentItem
		for n := 1; n <= pages; n++ {
			rel := OutputPath(agentPageURL(a, n))
			if unchanged(rel) {
				continue
			}
			if items == nil {
				items = s.agentItems(a)
			}
			lo, hi := (n-1)*agentRowsPerPage, min(n*agentRowsPerPage, len(items))
			var prev *agentItem
			if lo > 0 {
				prev = &items[lo-1]
			}
			v := &agentView{Agent: a, Row: r, Groups: groupAgentItems(items[lo:hi], prev),
				Pager: newPager(n, pages, func(i int) string { return s.URL(agentPageURL(a, i)) })}
			title := a.Name
			if n > 1 {
				title += ", page " + strconv.Itoa(n)
			}
			b, err := s.execute("agent", pageData{Title: title, Section: "agents", Data: v})
			if err := page(rel, b, err); err != nil {
				return err
			}
		}
	}
	b, err := s.execute("agents", pageData{Title: "Agents", Section: "agents", Data: rows})
	return page("agents/index.html", b, err)
}
