package render

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/plansite/plansite/site/plan"
)

// The decision log lists every architecture decision record, set by set,
// with its number, title, date, state as written and as plansite reads it,
// and its relations both ways (log4brains is what its users expect). A
// decision's own page shows the same, and the decision that supersedes it.

// decisionSet is the decisions of one directory of records.
type decisionSet struct {
	Title, URL, Anchor string
	Decisions          []*plan.Decision
}

// decisionLog is what decisions.html receives.
type decisionLog struct {
	Sets   []decisionSet
	States []stateCount
}

type stateCount struct {
	State string
	N     int
}

// decisionSets groups the model's decisions by the series of their records.
func (s *Site) decisionSets() []decisionSet {
	var out []decisionSet
	for _, dec := range s.Model.Decisions {
		d := s.bySource[dec.Source]
		if d == nil {
			continue
		}
		if len(out) == 0 || out[len(out)-1].Anchor != "set-"+d.Series {
			set := decisionSet{Title: d.Series, Anchor: "set-" + d.Series}
			if sr := s.idx.series[d.Series]; sr != nil {
				set.Title, set.URL = sr.ID, sr.URL
			}
			out = append(out, set)
		}
		out[len(out)-1].Decisions = append(out[len(out)-1].Decisions, dec)
	}
	for i := range out {
		out[i].Anchor = "set-" + strconv.Itoa(i+1)
	}
	return out
}

func (s *Site) decisionPage(page func(rel string, b []byte, err error) error) error {
	if len(s.Model.Decisions) == 0 {
		return nil
	}
	v := decisionLog{Sets: s.decisionSets()}
	n := map[string]int{}
	for _, dec := range s.Model.Decisions {
		n[dec.State]++
	}
	for _, st := range append(plan.DecisionStates, "") {
		if n[st] > 0 {
			v.States = append(v.States, stateCount{State: st, N: n[st]})
		}
	}
	b, err := s.execute("decisions", pageData{Title: "Decision log", Section: "decisions", Data: v})
	return page(OutputPath(plan.DecisionLogURL), b, err)
}

// decisionOf is the decision record a document is, or nil.
func (s *Site) decisionOf(d *plan.Doc) *plan.Decision {
	if d.Convention != plan.ConvADR || s.Model == nil {
		return nil
	}
	for _, dec := range s.Model.Decisions {
		if dec.Source == d.Source {
			return dec
		}
	}
	return nil
}

// relationLabel says a relation from the decision's side.
func relationLabel(kind string) string {
	if l := plan.RelationKinds[kind].Label; l != "" {
		return l
	}
	l := strings.ReplaceAll(kind, "-", " ")
	if l == "" {
		return l
	}
	return strings.ToUpper(l[:1]) + l[1:]
}

// stateLabel names a decision state; "" is a record that writes none.
func stateLabel(state string) string {
	if state == "" {
		return "No state written"
	}
	return strings.ToUpper(state[:1]) + state[1:]
}

// decisionState is a decision's state as written beside the status
// plansite reads it as: "Superseded" and "Complete".
func decisionState(dec *plan.Decision) template.HTML {
	var b strings.Builder
	b.WriteString(`<span class="decision-state state-`)
	escHTML(&b, cmpOr(dec.State, "none"))
	b.WriteString(`"`)
	if dec.StatusText != "" {
		b.WriteString(` title="written: `)
		escHTML(&b, dec.StatusText)
		b.WriteString(`"`)
	}
	b.WriteString(`>`)
	escHTML(&b, stateLabel(dec.State))
	b.WriteString(`</span> `)
	statusBadge(&b, dec.Status)
	return template.HTML(b.String())
}

// relations lists a decision's relations, each linking the other decision
// by number and title; one read from the other decision says so.
func (s *Site) relations(dec *plan.Decision) template.HTML {
	if len(dec.Relations) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<ul class="relations">`)
	for _, r := range dec.Relations {
		b.WriteString(`<li class="rel-`)
		escHTML(&b, r.Kind)
		b.WriteString(`">`)
		escHTML(&b, relationLabel(r.Kind))
		b.WriteString(` `)
		other := s.bySource[r.Source]
		if other == nil {
			escHTML(&b, r.Source)
		} else {
			b.WriteString(`<a href="`)
			escURL(&b, s.URL(other.URL))
			b.WriteString(`">`)
			if other.Order != "" {
				escHTML(&b, other.Order+" ")
			}
			escHTML(&b, other.Title)
			b.WriteString(`</a>`)
		}
		if r.From != dec.Source {
			b.WriteString(` <span class="as-written">(written in that decision)</span>`)
		}
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

// successors are the decisions that supersede dec.
func successors(dec *plan.Decision) []*plan.Relation {
	var out []*plan.Relation
	for _, r := range dec.Relations {
		if r.Kind == plan.SupersededBy {
			out = append(out, r)
		}
	}
	return out
}

func cmpOr(s, or string) string {
	if s == "" {
		return or
	}
	return s
}
