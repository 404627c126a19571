package link

import (
	"sort"
	"strings"

	"github.com/plansite/plansite/site/plan"
)

// decisions lists the decision records, set by set (their series) in
// number order, each with its relations both ways: a decision that another
// supersedes points to its successor even when only the successor says so.
func decisions(docs []*plan.Doc) []*plan.Decision {
	out := []*plan.Decision{}
	by := map[string]*plan.Decision{}
	series := map[*plan.Decision]string{}
	for _, d := range docs {
		if !isDecision(d) {
			continue
		}
		dec := &plan.Decision{Source: d.Source, Number: d.Order, Title: d.Title, Date: d.Updated, State: decisionState(d.StatusText, d.Status),
			Status: d.Status, StatusText: d.StatusText, Relations: []*plan.Relation{}}
		by[d.Source] = dec
		series[dec] = d.Series
		out = append(out, dec)
	}
	has := func(dec *plan.Decision, kind, other string) bool {
		for _, r := range dec.Relations {
			if r.Kind == kind && r.Source == other {
				return true
			}
		}
		return false
	}
	// What each decision writes first, then what it implies for the other.
	var written []*plan.Relation
	for _, d := range docs {
		dec := by[d.Source]
		if dec == nil {
			continue
		}
		for _, l := range d.Links {
			if l.Kind == "" || l.Kind == plan.LinkContext || l.Resolved == nil || *l.Resolved == d.Source || by[*l.Resolved] == nil || has(dec, l.Kind, *l.Resolved) {
				continue
			}
			r := &plan.Relation{Kind: l.Kind, Source: *l.Resolved, From: d.Source, Line: l.Line}
			dec.Relations = append(dec.Relations, r)
			written = append(written, r)
		}
	}
	for _, r := range written {
		// 0009 revises 0006, so 0006 is revised by 0009.
		other, kind := by[r.Source], plan.RelationKinds[r.Kind].Inverse
		if kind == "" || has(other, kind, r.From) {
			continue
		}
		other.Relations = append(other.Relations, &plan.Relation{Kind: kind, Source: r.From, From: r.From, Line: r.Line})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if series[a] != series[b] {
			return series[a] < series[b]
		}
		if c := ComparePhase(a.Number, b.Number); c != 0 {
			return c < 0
		}
		return a.Source < b.Source
	})
	return out
}

// isDecision reports whether a document is a decision record of the log: a
// template of one is not (the site has a decision log only when it has one).
func isDecision(d *plan.Doc) bool {
	return d.Convention == plan.ConvADR && d.Kind != plan.KindTemplate
}

// decisionState is the state a decision's status writes, by its leading
// word: "superseded by [0007](…)" is superseded. Words in another language,
// or mapped in plansite.toml's [status], give the state of the status they
// read as: not started is proposed, complete accepted, failed rejected.
func decisionState(text, status string) string {
	t := strings.ToLower(strings.TrimSpace(text))
	for _, st := range plan.DecisionStates {
		if strings.HasPrefix(t, st) {
			return st
		}
	}
	if strings.HasPrefix(t, "draft") {
		return plan.StateProposed
	}
	switch status {
	case plan.NotStarted:
		return plan.StateProposed
	case plan.Complete:
		return plan.StateAccepted
	case plan.Failed:
		return plan.StateRejected
	}
	return ""
}
