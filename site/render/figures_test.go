package render

import (
	"testing"

	"github.com/plansite/plansite/site/plan"
)

func TestReadStatus(t *testing.T) {
	for _, c := range []struct {
		declared    string
		done, total int
		want        string
		mismatch    bool
	}{
		{"", 0, 0, plan.Unknown, false},
		{plan.Complete, 0, 0, plan.Complete, false},     // nothing to count: as declared
		{"", 8, 8, plan.Complete, false},                // 100% is complete, not unknown
		{plan.Complete, 3, 8, plan.InProgress, true},    // declared complete, 3 of 8 checked
		{plan.NotStarted, 2, 8, plan.InProgress, true},  // work has started
		{plan.InProgress, 0, 8, plan.InProgress, false}, // started before the first box
		{plan.InProgress, 8, 8, plan.Complete, true},    // every box checked
		{plan.Blocked, 2, 8, plan.Blocked, false},       // the boxes cannot say blocked
		{plan.Deferred, 0, 8, plan.Deferred, false},     //
		{plan.Blocked, 8, 8, plan.Complete, true},       // but they can say done
		{"", 0, 5, plan.NotStarted, false},              //
		{plan.NotStarted, 0, 5, plan.NotStarted, false}, //
		{plan.Failed, 1, 5, plan.Failed, false},         //
		{plan.Complete, 5, 5, plan.Complete, false},     //
		{plan.InProgress, 2, 5, plan.InProgress, false}, //
		{plan.Complete, 4, 5, plan.InProgress, true},    //
		{plan.NotStarted, 5, 5, plan.Complete, true},    //
		{plan.Deferred, 5, 5, plan.Complete, true},      //
		{plan.InProgress, 0, 0, plan.InProgress, false}, //
		{plan.Blocked, 0, 0, plan.Blocked, false},       //
		{plan.NotStarted, 0, 0, plan.NotStarted, false}, //
	} {
		r := readStatus(c.declared, c.done, c.total)
		if r.Status != c.want || r.Mismatch != c.mismatch {
			t.Errorf("declared %q, %d/%d: got %s (mismatch %v), want %s (mismatch %v)", c.declared, c.done, c.total, r.Status, r.Mismatch, c.want, c.mismatch)
		}
	}
}

func doc(source string, kind plan.Kind, status string, done, total int) *plan.Doc {
	return &plan.Doc{Source: source, Kind: kind, Status: status, Completion: plan.Completion{Done: done, Total: total}}
}

func TestSumPlan(t *testing.T) {
	// The case: declared complete, 38% checked.
	f := sumPlan([]*plan.Doc{doc("a.md", "plan", plan.Complete, 3, 8)})
	if f.Status != plan.InProgress || f.Declared != plan.Complete || !f.Mismatch || f.Done != 3 || f.Total != 8 {
		t.Errorf("one document 3/8 declared complete: %+v", f)
	}
	// Templates count for nothing.
	f = sumPlan([]*plan.Doc{doc("p1.md", "plan", plan.Unknown, 4, 4), doc("t.md", plan.KindTemplate, plan.Unknown, 0, 30)})
	if f.Status != plan.Complete || f.Total != 4 || f.Templates != 1 || f.Mismatch {
		t.Errorf("a plan and a template: %+v", f)
	}
	// A plan document never ticked and its tracker: the tracker counts.
	f = sumPlan([]*plan.Doc{doc("plan.md", "doc", plan.Unknown, 0, 208), doc("progress.md", "tracker", plan.Complete, 175, 175)})
	if f.From != "trackers" || f.Done != 175 || f.Total != 175 || f.Status != plan.Complete {
		t.Errorf("plan and tracker: %+v", f)
	}
	// Only templates: a template set, not a plan.
	f = sumPlan([]*plan.Doc{doc("t.md", plan.KindTemplate, plan.Unknown, 0, 3)})
	if !f.Template || f.Total != 0 {
		t.Errorf("templates alone: %+v", f)
	}
}

// The status as written is shown beside the one the page reads only when it
// says more: not "In Progress" beside in progress, nor "✅ COMPLETE" beside
// complete, whatever its case or marks.
func TestAsWrittenOnlyWhenItSaysMore(t *testing.T) {
	for _, c := range []struct {
		text, status string
		done, total  int
		want         string
	}{
		{"In Progress", plan.InProgress, 1, 4, ""},
		{"in-progress", plan.InProgress, 1, 4, ""},
		{"✅ COMPLETE", plan.Complete, 4, 4, ""},
		{"Complete", plan.Complete, 1, 4, ""}, // shown as "declared Complete", a mismatch, not quoted again
		{"COMPLETE - Ready for Phase 4", plan.Complete, 4, 4, "COMPLETE - Ready for Phase 4"},
		{"Executing", plan.InProgress, 1, 4, ""}, // a synonym of the status shown
		{"Review by QA", plan.InProgress, 1, 4, "Review by QA"},
		{"COMPLETED", plan.Complete, 4, 4, ""},
		{"Not Yet Started", plan.NotStarted, 0, 4, ""},
		{"In Progress (0%)", plan.InProgress, 0, 4, "In Progress (0%)"},
		{"", plan.Unknown, 0, 0, ""},
	} {
		d := &plan.Doc{Status: c.status, StatusText: c.text, Completion: plan.Completion{Done: c.done, Total: c.total}}
		if got := asWritten(d); got != c.want {
			t.Errorf("%q (%s, %d/%d): as written %q, want %q", c.text, c.status, c.done, c.total, got, c.want)
		}
	}
}
