package render

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/plansite/plansite/site/plan"
)

// siteIndex is what pages look up, computed once per model so each page
// costs only its own document.
type siteIndex struct {
	series     map[string]*plan.Series
	seriesDocs map[string][]*plan.Doc // a plan's documents, those of the series joined into it after its own
	joined     map[string]string      // series id → the plan it is joined into (joinWork)
	related    map[string][]*plan.Doc
	docAgents  map[string][]string // source → agents holding its tasks, sorted
	home       *plan.Doc           // the document at "/", if any
	agents     map[string]*plan.Agent
	problems   []problemView
	dash       dashLayout // made once a model, when first asked for
}

// problemView is a problem with the document it is in and where to read it.
type problemView struct {
	*plan.Problem
	Source string
	Href   string
}

func (s *Site) buildIndex(m *plan.Site) *siteIndex {
	x := &siteIndex{series: map[string]*plan.Series{}, seriesDocs: map[string][]*plan.Doc{},
		related: map[string][]*plan.Doc{}, docAgents: map[string][]string{}, agents: map[string]*plan.Agent{}}
	for _, a := range m.Agents {
		x.agents[a.Name] = a
	}
	for _, sr := range m.Series {
		x.series[sr.ID] = sr
		for _, src := range sr.Phases {
			if d := s.bySource[src]; d != nil {
				x.seriesDocs[sr.ID] = append(x.seriesDocs[sr.ID], d)
			}
		}
	}
	x.joined = s.joinWork(m)
	for _, sr := range m.Series {
		if root, ok := x.joined[sr.ID]; ok {
			x.seriesDocs[root] = append(x.seriesDocs[root], x.seriesDocs[sr.ID]...)
		}
	}
	for _, d := range m.Docs {
		if d.URL == "/" {
			x.home = d
		}
		seen := map[string]bool{}
		for _, t := range d.Tasks {
			for _, a := range t.Agents {
				seen[a.Name] = true
			}
		}
		if len(seen) > 0 {
			x.docAgents[d.Source] = sortedKeys(seen)
		}
	}
	s.relate(m, x)
	for _, p := range m.Problems {
		x.problems = append(x.problems, problemView{Problem: p, Source: p.Source, Href: s.problemHref(s.bySource[p.Source], p)})
	}
	for _, d := range m.Docs {
		for _, p := range d.Problems {
			x.problems = append(x.problems, problemView{Problem: p, Source: d.Source, Href: s.problemHref(d, p)})
		}
	}
	sort.SliceStable(x.problems, func(i, j int) bool {
		a, b := x.problems[i], x.problems[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.Line < b.Line
	})
	return x
}

// relate finds the other documents of each phase: plans, trackers, contexts
// and summaries of the same phase number live in different directories, so
// series that link to each other are taken as one plan.
func (s *Site) relate(m *plan.Site, x *siteIndex) {
	parent := map[string]string{}
	var find func(string) string
	find = func(a string) string {
		for parent[a] != "" && parent[a] != a {
			a = parent[a]
		}
		return a
	}
	union := func(a, b string) {
		ra, rb := find(a), find(b)
		if ra != rb {
			if ra < rb {
				parent[rb] = ra
			} else {
				parent[ra] = rb
			}
		}
	}
	for _, d := range m.Docs {
		if d.Series == "" || d.Phase == "" {
			continue
		}
		targets := []*string{d.Prev, d.Next}
		for _, l := range d.Links {
			targets = append(targets, l.Resolved)
		}
		for _, t := range targets {
			if o := s.bySource[deref(t)]; o != nil && o.Series != "" && o.Phase != "" {
				union(d.Series, o.Series)
			}
		}
	}
	groups := map[string][]*plan.Doc{}
	for _, d := range m.Docs {
		if d.Series == "" || d.Phase == "" || d.Kind == plan.KindTemplate {
			continue
		}
		k := find(d.Series) + "\x00" + d.Phase
		groups[k] = append(groups[k], d)
	}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		sort.SliceStable(g, func(i, j int) bool {
			if g[i].Kind.Rank() != g[j].Kind.Rank() {
				return g[i].Kind.Rank() < g[j].Kind.Rank()
			}
			return g[i].Source < g[j].Source
		})
		for _, d := range g {
			var others []*plan.Doc
			for _, o := range g {
				if o != d && len(others) < 12 {
					others = append(others, o)
				}
			}
			x.related[d.Source] = others
		}
	}
}

// problemHref links a problem to the section of its document that holds
// its line, or to the source line in the repository when one is configured.
func (s *Site) problemHref(d *plan.Doc, p *plan.Problem) string {
	if d == nil {
		if u := s.repoLink("blob", p.Source); u != "" {
			return u + "#L" + strconv.Itoa(p.Line)
		}
		return s.URL("/problems/")
	}
	anchor := "problems"
	for _, h := range d.Headings {
		if h.Line > p.Line {
			break
		}
		anchor = h.Anchor
	}
	return s.URL(d.URL) + "#" + anchor
}

// PlanOf is the id of the plan a series is shown in: its own, or the plan
// it is joined into.
func (s *Site) PlanOf(series string) string {
	if root, ok := s.idx.joined[series]; ok {
		return root
	}
	return series
}

// agentURL is the URL of an agent's page, or "" when the agent has none.
// Before a model is indexed every agent is taken to have one.
func (s *Site) agentURL(name string) string {
	if s.idx != nil && s.idx.agents[name] == nil {
		return ""
	}
	return plan.AgentURL(name)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// siteTitle is the site's title, as its configuration gives it.
func (s *Site) siteTitle() string {
	if s.Config != nil && s.Config.Title != "" {
		return s.Config.Title
	}
	return "Plans"
}

// funcs are the template functions every layout may use.
func (s *Site) funcs() template.FuncMap {
	return template.FuncMap{
		"url":       s.URL,
		"asset":     s.AssetURL,
		"siteTitle": s.siteTitle,
		"generator": func() string {
			if s.Model != nil && s.Model.Generator != "" {
				return s.Model.Generator
			}
			return "plansite"
		},
		"inject":      func() template.HTML { return s.Opts.Inject },
		"statusLabel": statusLabel,
		"reading":     readDoc,
		// The partials printed for every document (partials.go).
		"showReading":    s.showReading,
		"showCompletion": s.showCompletion,
		"asWritten":      asWritten,
		"readCounts": func(status string, done, total int) Reading {
			if status == plan.Unknown {
				status = ""
			}
			return readStatus(status, done, total)
		},
		"pct":        pct,
		"mismatch":   mismatch,
		"deref":      func(f *float64) string { return trimFloat(*f) },
		"barWidth":   func(f *float64) int { return int(min(max(*f, 0), 100)) },
		"date":       date,
		"agentURL":   s.agentURL,
		"namesPhase": namesPhase,
		// Widgets written in Go (widgets.go).
		"tocItems":         tocItems,
		"gateItems":        gateItems,
		"taskRows":         s.taskRows,
		"matrixTable":      s.matrixTable,
		"planNavItems":     s.planNavItems,
		"relatedItems":     s.relatedItems,
		"agentTaskRows":    s.agentTaskRows,
		"problemFileItems": problemFileItems,
		// The decision log (decisions.go).
		"decisions":     func() []*plan.Decision { return s.Model.Decisions },
		"decisionState": decisionState,
		"relations":     s.relations,
		"stateLabel":    stateLabel,
		"lower":         strings.ToLower,
		"docOf":         func(source string) *plan.Doc { return s.bySource[source] },
	}
}

var statusLabels = map[string]string{
	plan.NotStarted: "Not started", plan.InProgress: "In progress", plan.Blocked: "Blocked", plan.Deferred: "Deferred",
	plan.Complete: "Complete", plan.Failed: "Failed", plan.Unknown: "Unknown",
}

func statusLabel(s string) string {
	if l := statusLabels[s]; l != "" {
		return l
	}
	return s
}

// pct is done/total as a whole percent.
func pct(done, total int) int {
	if total == 0 {
		return 0
	}
	return int(math.Round(float64(done) * 100 / float64(total)))
}

// mismatch reports a declared completion the checkboxes disagree with by
// more than rounding.
func mismatch(c plan.Completion) bool {
	return c.Declared != nil && c.Total > 0 && math.Abs(*c.Declared-c.Percent()) >= 1
}

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// date shows an RFC 3339 time or date as "2006-01-02" or "2006-01-02 15:04".
func date(v any) string {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case *string:
		s = deref(t)
	default:
		s = fmt.Sprint(v)
	}
	if len(s) >= 16 && s[10] == 'T' {
		if s[11:16] == "00:00" {
			return s[:10]
		}
		return s[:10] + " " + s[11:16]
	}
	return s
}
