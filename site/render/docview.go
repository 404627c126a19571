package render

import (
	"html/template"
	"sort"
	"strings"

	"github.com/plansite/plansite/site/chart"
	"github.com/plansite/plansite/site/plan"
)

// docView is what doc.html receives.
type docView struct {
	Doc         *plan.Doc
	Body        template.HTML
	Prev, Next  *plan.Doc
	Series      *plan.Series
	Related     []*plan.Doc
	TOC         []*plan.Heading
	GatesPassed int
	Matrix      *matrix
	Burndown    *burndownView
	Problems    []problemView
	SourceURL   string
	EditURL     string
	TitleAnchor string // the anchor of the heading the title came from, kept on the page's h1
	// Plan is the navigation through the documents of the document's plan.
	Plan *planNav
	// Phases is the timeline of a document of several phases, without the
	// phase its title names (the page's header shows that one).
	Phases []*plan.Phase
	// Decision is the decision record the document is, with the decisions
	// that supersede it; nil when it is none.
	Decision     *plan.Decision
	SupersededBy []*plan.Doc
}

func (s *Site) docView(d *plan.Doc, body []byte) *docView {
	v := &docView{Doc: d, Body: bodyHTML(body), Prev: s.bySource[deref(d.Prev)], Next: s.bySource[deref(d.Next)],
		Related: s.idx.related[d.Source], SourceURL: s.repoLink("blob", d.Source), EditURL: s.repoLink("edit", d.Source)}
	if d.Series != "" {
		v.Series = s.idx.series[d.Series]
	}
	if h := TitleHeading(d); h != nil {
		v.TitleAnchor = h.Anchor
	}
	v.Plan = s.planNav(d)
	if len(d.Phases) > 1 {
		for _, p := range d.Phases {
			if p.Anchor == "" || p.Anchor != v.TitleAnchor {
				v.Phases = append(v.Phases, p)
			}
		}
	}
	for _, h := range d.Headings {
		if h.Level >= 2 && h.Level <= 3 {
			v.TOC = append(v.TOC, h)
		}
	}
	for _, g := range d.Gates {
		if g.Passed() {
			v.GatesPassed++
		}
	}
	if v.Decision = s.decisionOf(d); v.Decision != nil {
		for _, r := range successors(v.Decision) {
			if o := s.bySource[r.Source]; o != nil {
				v.SupersededBy = append(v.SupersededBy, o)
			}
		}
	}
	v.Matrix = taskMatrix(d)
	v.Burndown = s.docBurndown(d)
	for _, p := range d.Problems {
		v.Problems = append(v.Problems, problemView{Problem: p, Source: d.Source, Href: s.problemHref(d, p)})
	}
	return v
}

// planNav is the sidebar of a plan's documents, the current one marked.
type planNav struct {
	Title, URL string
	Figures    planFigures
	Docs       []navDoc
}

type navDoc struct {
	Doc     *plan.Doc
	Reading Reading
	Current bool
}

// planNav is the navigation of the plan a document is in; nil when the
// plan is the document alone.
func (s *Site) planNav(d *plan.Doc) *planNav {
	if d.Series == "" {
		return nil
	}
	root := s.PlanOf(d.Series)
	docs := s.idx.seriesDocs[root]
	sr := s.idx.series[root]
	if len(docs) < 2 || sr == nil {
		return nil
	}
	// The document itself as given, not as the index holds it: plansite
	// serve renders an edited document before it indexes the site again.
	own := make([]*plan.Doc, len(docs))
	for i, o := range docs {
		if o.Source == d.Source {
			o = d
		}
		own[i] = o
	}
	n := &planNav{Title: sr.Title, URL: sr.URL, Figures: sumPlan(own)}
	for _, o := range own {
		n.Docs = append(n.Docs, navDoc{Doc: o, Reading: readDoc(o), Current: o == d})
	}
	return n
}

// matrix is agents × columns (tasks, or the phases of a plan), each cell
// naming the roles the agent holds.
type matrix struct {
	Caption string
	Cols    []matrixCol
	Rows    []matrixRow
}

type matrixCol struct{ Label, Title, Href string }

type matrixRow struct {
	Agent, URL string
	Cells      []matrixCell
}

type matrixCell struct{ Text, Title, Class string }

var roleLetter = map[string]string{plan.RolePrimary: "P", plan.RoleBackup: "B", plan.RoleReview: "R", plan.RoleAuthor: "A"}

// taskMatrix is a document's agents × tasks; nil when no task names an agent.
func taskMatrix(d *plan.Doc) *matrix {
	roles := map[string][]string{} // agent → role per task column
	var tasks []*plan.Task
	for _, t := range d.Tasks {
		if len(t.Agents) > 0 {
			tasks = append(tasks, t)
		}
	}
	if len(tasks) == 0 {
		return nil
	}
	for i, t := range tasks {
		for _, a := range t.Agents {
			if roles[a.Name] == nil {
				roles[a.Name] = make([]string, len(tasks))
			}
			if roles[a.Name][i] == "" {
				roles[a.Name][i] = a.Role
			}
		}
	}
	m := &matrix{Caption: "Agents and their roles on each task"}
	for _, t := range tasks {
		label := t.ID
		if label == "" {
			label = t.Title
		}
		m.Cols = append(m.Cols, matrixCol{Label: label, Title: t.Title, Href: "#" + t.Anchor})
	}
	names := make([]string, 0, len(roles))
	for n := range roles {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		row := matrixRow{Agent: n, URL: plan.AgentURL(n)}
		for _, r := range roles[n] {
			row.Cells = append(row.Cells, matrixCell{Text: roleLetter[r], Title: r, Class: r})
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

// seriesMatrix is a plan's agents × phase documents, each cell counting the
// tasks the agent holds by role ("P2 R1").
func seriesMatrix(docs []*plan.Doc) *matrix {
	type counts map[string]int
	cells := map[string][]counts{}
	for i, d := range docs {
		for _, t := range d.Tasks {
			for _, a := range t.Agents {
				if cells[a.Name] == nil {
					cells[a.Name] = make([]counts, len(docs))
				}
				if cells[a.Name][i] == nil {
					cells[a.Name][i] = counts{}
				}
				cells[a.Name][i][a.Role]++
			}
		}
	}
	if len(cells) == 0 {
		return nil
	}
	m := &matrix{Caption: "Agents and the tasks they hold in each phase"}
	for _, d := range docs {
		label := string(d.Kind)
		if d.Phase != "" {
			label = "Phase " + d.Phase + " " + label
		}
		m.Cols = append(m.Cols, matrixCol{Label: label, Title: d.Title, Href: d.URL})
	}
	names := make([]string, 0, len(cells))
	for n := range cells {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		row := matrixRow{Agent: n, URL: plan.AgentURL(n)}
		for _, c := range cells[n] {
			var text, title []string
			class := ""
			for _, r := range plan.Roles {
				if c[r] > 0 {
					text = append(text, roleLetter[r]+itoa(c[r]))
					title = append(title, itoa(c[r])+" "+r)
					if class == "" {
						class = r
					}
				}
			}
			row.Cells = append(row.Cells, matrixCell{Text: strings.Join(text, " "), Title: strings.Join(title, ", "), Class: class})
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

// burndownView is a chart with its text alternative.
type burndownView struct {
	SVG  template.HTML
	Desc string
	Note string
	Rows []chart.Row
}
