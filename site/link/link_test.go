package link

import (
	"strings"
	"testing"

	"github.com/plansite/plansite/site/plan"
)

func TestComparePhaseIsNatural(t *testing.T) {
	order := []string{"0", "1", "1A", "1A-1", "1B", "2", "3", "3a", "3b", "4", "4.1", "4.2", "4.10", "10"}
	for i := 0; i+1 < len(order); i++ {
		if ComparePhase(order[i], order[i+1]) >= 0 {
			t.Errorf("%s should sort before %s", order[i], order[i+1])
		}
	}
	if ComparePhase("3A", "3a") != 0 {
		t.Error("letter case should not matter")
	}
}

func TestResolve(t *testing.T) {
	paths := map[string]bool{"docs": true, "docs/plans": true, "docs/plans/a.md": true, "docs/plans/b.md": true, "scripts/x.sh": true, "scripts": true, "docs/other/c.md": true}
	r := NewResolver(paths, []string{"docs/plans/a.md", "docs/plans/b.md", "docs/other/c.md"})
	cases := []struct{ from, target, resolved, suggested string }{
		{"docs/plans/a.md", "./b.md", "docs/plans/b.md", ""},
		{"docs/plans/a.md", "b.md#section", "docs/plans/b.md", ""},
		{"docs/plans/a.md", "../other/c.md", "docs/other/c.md", ""},
		{"docs/plans/a.md", "/scripts/x.sh", "scripts/x.sh", ""},
		{"docs/plans/a.md", "../../scripts", "scripts", ""},
		{"docs/plans/a.md", "/Users/someone/dev/Repo/docs/plans/b.md", "docs/plans/b.md", ""},
		{"docs/plans/a.md", "../c.md", "", "docs/other/c.md"},
		{"docs/plans/a.md", "../../../outside.md", "", ""},
		{"docs/plans/a.md", "missing.md", "", ""},
		{"docs/plans/a.md", "b%2Emd", "docs/plans/b.md", ""},
	}
	for _, c := range cases {
		res, sug := r.Resolve(c.from, c.target)
		if res != c.resolved || sug != c.suggested {
			t.Errorf("Resolve(%s, %s) = %q, %q; want %q, %q", c.from, c.target, res, sug, c.resolved, c.suggested)
		}
	}
}

func doc(source, phase string, kind plan.Kind) *plan.Doc {
	return &plan.Doc{Source: source, Phase: phase, Kind: kind, Status: plan.Unknown}
}

func TestSeriesPrevNextAndReciprocity(t *testing.T) {
	paths := map[string]bool{}
	var docs []string
	for _, p := range []string{"p/phase-1-a.md", "p/phase-2-b.md", "p/phase-3-c.md", "p/phase-3a-d.md", "t/phase-2-progress.md"} {
		paths[p], docs = true, append(docs, p)
	}
	r := NewResolver(paths, docs)
	in := []*Input{
		{Doc: doc("p/phase-3a-d.md", "3a", "plan")},
		{Doc: doc("p/phase-1-a.md", "1", "plan"), NextTarget: "./phase-3-c.md"}, // written, and wrong
		{Doc: doc("p/phase-2-b.md", "2", "plan")},
		{Doc: doc("p/phase-3-c.md", "3", "plan")},
		{Doc: doc("t/phase-2-progress.md", "2", "tracker"), NextTarget: "../p/phase-3-c.md"},
	}
	s := Site(in, r, "test")
	get := func(src string) *plan.Doc {
		for _, d := range s.Docs {
			if d.Source == src {
				return d
			}
		}
		t.Fatalf("no %s", src)
		return nil
	}
	b := get("p/phase-2-b.md")
	if b.Prev == nil || *b.Prev != "p/phase-1-a.md" || b.Next == nil || *b.Next != "p/phase-3-c.md" {
		t.Errorf("phase 2 prev/next = %v %v", b.Prev, b.Next)
	}
	if d := get("p/phase-3a-d.md"); d.Prev == nil || *d.Prev != "p/phase-3-c.md" {
		t.Errorf("3a should follow 3: prev %v", d.Prev)
	}
	var recip []string
	for _, d := range s.Docs {
		for _, p := range d.Problems {
			if p.Code == "prev-next-not-reciprocal" {
				recip = append(recip, d.Source)
			}
		}
	}
	// phase-1's written next (3) is not returned by 3 (whose previous is 2);
	// the tracker links across directories, which plans do not owe back.
	if strings.Join(recip, ",") != "p/phase-1-a.md" {
		t.Errorf("reciprocity problems on %v", recip)
	}
	if len(s.Series) != 2 || s.Series[0].ID != "p" || len(s.Series[0].Phases) != 4 {
		t.Errorf("series = %+v", s.Series)
	}
}

// An agent named only by a phase of a multi-phase document has a page (its
// name is a link on that document's page); a template's placeholder agents
// have none.
func TestAgentsOfPhasesAndTemplates(t *testing.T) {
	tracker := &plan.Doc{Source: "p/all-phases.md", Kind: "tracker",
		Phases: []*plan.Phase{{Number: "1", Title: "Setup", Anchor: "phase-1", Status: plan.InProgress, Agents: []string{"ui-engineer", "api-engineer"}}},
		Tasks:  []*plan.Task{{ID: "1.1", Title: "API", Phase: "1", Agents: []*plan.AgentRef{{Name: "api-engineer", Role: plan.RolePrimary}}}}}
	tmpl := &plan.Doc{Source: "t/template.md", Kind: "template",
		Tasks: []*plan.Task{{ID: "1.1", Title: "[Task]", Agents: []*plan.AgentRef{{Name: "subagent-1", Role: plan.RolePrimary}}}}}
	got := map[string]*plan.Agent{}
	for _, a := range agents([]*plan.Doc{tracker, tmpl}) {
		got[a.Name] = a
	}
	if len(got) != 2 || got["subagent-1"] != nil {
		t.Fatalf("agents = %v, want ui-engineer and api-engineer", got)
	}
	ui := got["ui-engineer"]
	if len(ui.Tasks) != 0 || len(ui.Phases) != 1 || ui.Phases[0].Source != "p/all-phases.md" || ui.Phases[0].Phase != "1" || ui.Phases[0].Anchor != "phase-1" {
		t.Errorf("ui-engineer = %+v, want phase 1 of p/all-phases.md", ui)
	}
	if api := got["api-engineer"]; len(api.Tasks) != 1 || len(api.Phases) != 0 {
		t.Errorf("api-engineer holds %d tasks and %d phases; the phase its task is in is not listed again", len(api.Tasks), len(api.Phases))
	}
}

// A series made from a folder is titled by it, its acronyms in capitals: the
// table's (docs/adr) and those its documents' titles write so.
func TestSeriesTitleKeepsAcronyms(t *testing.T) {
	paths := map[string]bool{}
	var docs []string
	in := []*Input{}
	for _, d := range []struct{ source, phase, title string }{
		{"docs/adr/0001-use-go.md", "1", "Use Go"},
		{"docs/adr/0002-use-sqlite.md", "2", "Use SQLite"},
		{"plans/grpc-gateway/phase-1.md", "1", "Phase 1: the GRPC gateway"},
		{"plans/grpc-gateway/phase-2.md", "2", "Phase 2: streaming"},
		{"plans/rate-limits/phase-1.md", "1", "Phase 1: RATE-LIMITED calls"},
		{"plans/rate-limits/phase-2.md", "2", "Phase 2"},
	} {
		paths[d.source], docs = true, append(docs, d.source)
		dc := doc(d.source, d.phase, plan.KindPlan)
		dc.Title = d.title
		in = append(in, &Input{Doc: dc})
	}
	s := Site(in, NewResolver(paths, docs), "test")
	got := map[string]string{}
	for _, sr := range s.Series {
		got[sr.ID] = sr.Title
	}
	want := map[string]string{"docs/adr": "ADR", "plans/grpc-gateway": "GRPC gateway", "plans/rate-limits": "Rate limits"}
	for id, title := range want {
		if got[id] != title {
			t.Errorf("series %s titled %q, want %q (all: %v)", id, got[id], title, got)
		}
	}
}

// A document at the decision log's path loses its page to the log only when
// the site has one: a template of a decision record makes no log.
func TestDecisionLogPathTakenOnlyByALog(t *testing.T) {
	for _, c := range []struct {
		kind      plan.Kind
		published bool
	}{{plan.KindTemplate, true}, {plan.KindDoc, false}} {
		adr := &plan.Doc{Source: "docs/adr/0000-template.md", URL: "/docs/adr/0000-template/", Kind: c.kind, Convention: plan.ConvADR, Status: plan.Unknown}
		page := &plan.Doc{Source: "decision-log.md", URL: plan.DecisionLogURL, Kind: plan.KindDoc, Status: plan.Unknown}
		paths := map[string]bool{adr.Source: true, page.Source: true}
		s := Site([]*Input{{Doc: adr}, {Doc: page}}, NewResolver(paths, []string{adr.Source, page.Source}), "test")
		published := false
		for _, d := range s.Docs {
			published = published || d.Source == page.Source
		}
		if published != c.published || (len(s.Decisions) > 0) == c.published {
			t.Errorf("with a %s record: decision-log.md published %v, %d decisions", c.kind, published, len(s.Decisions))
		}
	}
}

// A decision's state follows the status its words read as when they are not
// the English state words: "Akzeptiert" mapped to complete is accepted.
func TestDecisionStateFromStatusRead(t *testing.T) {
	for _, c := range []struct{ text, status, want string }{
		{"Akzeptiert", plan.Complete, plan.StateAccepted},
		{"Vorgeschlagen", plan.NotStarted, plan.StateProposed},
		{"Abgelehnt", plan.Failed, plan.StateRejected},
		{"Superseded by [0007](0007-x.md)", plan.Complete, plan.StateSuperseded},
		{"Irgendwas", plan.Unknown, ""},
	} {
		adr := &plan.Doc{Source: "docs/adr/0001-x.md", URL: "/docs/adr/0001-x/", Kind: plan.KindDoc, Convention: plan.ConvADR, Status: c.status, StatusText: c.text}
		s := Site([]*Input{{Doc: adr}}, NewResolver(map[string]bool{adr.Source: true}, []string{adr.Source}), "test")
		if len(s.Decisions) != 1 || s.Decisions[0].State != c.want {
			t.Errorf("status %q read as %s: decisions %v, want state %q", c.text, c.status, s.Decisions, c.want)
		}
	}
}
