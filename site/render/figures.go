package render

import (
	"path"
	"sort"
	"strings"
	"unicode"

	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/plan"
)

// The figures a page shows follow from the documents: a status is what the
// checkboxes say, with the status as written beside it and a mismatch
// flagged; a plan sums its documents; templates count for nothing.

// Reading is a status as the site shows it.
type Reading struct {
	Status   string // what the checkboxes (or, without any, the document) say
	Declared string // the status as written, normalised; "" when none was
	Mismatch bool   // the two disagree
	Template bool   // a template, not a plan: no status of its own
}

// readDoc is the reading of one document's status.
func readDoc(d *plan.Doc) Reading {
	if d.Kind == plan.KindTemplate {
		return Reading{Status: plan.Unknown, Template: true}
	}
	declared := d.Status
	if declared == plan.Unknown {
		declared = ""
	}
	return readStatus(declared, d.Completion.Done, d.Completion.Total)
}

// asWritten is the status as the document writes it, when it says more
// than the statuses the page shows beside it: "COMPLETE - ready for phase 4"
// is shown, "In Progress" or "✅ Complete" beside in progress or complete is
// not, nor "COMPLETED" beside complete. Statuses are compared on their mapped values, folded to letters and
// digits, so case, spacing and marks do not make a second status.
func asWritten(d *plan.Doc) string {
	if d.StatusText == "" || d.Kind == plan.KindTemplate {
		return ""
	}
	text := foldStatus(d.StatusText)
	if text == "" {
		return ""
	}
	r := readDoc(d)
	for _, st := range []string{d.Status, r.Status, r.Declared} {
		if st != "" && (text == foldStatus(st) || text == foldStatus(statusLabel(st))) {
			return ""
		}
	}
	// Words that map to the status shown and say nothing else.
	if extract.NormalizeStatus(d.StatusText) == d.Status && (d.Status == r.Status || r.Mismatch) && extract.StatusWordsOnly(d.StatusText) {
		return ""
	}
	return d.StatusText
}

// foldStatus keeps a status's letters and digits, lower case.
func foldStatus(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// readStatus reads a status from checked and total boxes beside the one
// declared. The boxes cannot say a document is blocked, deferred or failed,
// nor that work has started before the first box is checked: those
// declarations stand while boxes are open.
func readStatus(declared string, done, total int) Reading {
	r := Reading{Status: declared, Declared: declared}
	if total == 0 {
		if r.Status == "" {
			r.Status = plan.Unknown
		}
		return r
	}
	switch {
	case done == total:
		r.Status = plan.Complete
	case declared == plan.Blocked || declared == plan.Deferred || declared == plan.Failed:
		return r
	case done == 0 && declared == plan.InProgress:
		return r
	case done == 0:
		r.Status = plan.NotStarted
	default:
		r.Status = plan.InProgress
	}
	r.Mismatch = declared != "" && declared != r.Status
	return r
}

// planFigures are a plan's status and completion, summed from its documents.
type planFigures struct {
	Reading
	Done, Total int
	// From says which documents the completion counts: "trackers" when the
	// plan has trackers with checkboxes (they record the progress; the plan
	// document's own boxes are often never ticked), else "documents".
	From      string
	Templates int // documents left out as templates
}

// Completion is the plan's checkboxes, for the completion partial.
func (f planFigures) Completion() plan.Completion {
	return plan.Completion{Done: f.Done, Total: f.Total}
}

// sumPlan reads a plan from its documents.
func sumPlan(docs []*plan.Doc) planFigures {
	var f planFigures
	var counted []*plan.Doc
	for _, d := range docs {
		if d.Kind == plan.KindTemplate {
			f.Templates++
			continue
		}
		counted = append(counted, d)
	}
	var boxes []*plan.Doc
	boxes, f.From = boxDocs(counted)
	for _, d := range boxes {
		f.Done += d.Completion.Done
		f.Total += d.Completion.Total
	}
	// The status follows the same documents as the completion, and those
	// without checkboxes, which declare theirs.
	read, declared := make([]string, 0, len(counted)), make([]string, 0, len(counted))
	for _, d := range counted {
		if f.From == "trackers" && d.Kind != plan.KindTracker && d.Completion.Total > 0 {
			continue
		}
		r := readDoc(d)
		read = append(read, r.Status)
		if r.Declared != "" {
			declared = append(declared, r.Declared)
		}
	}
	f.Status = combine(read)
	if len(declared) > 0 {
		f.Declared = combine(declared)
		f.Mismatch = f.Declared != f.Status
	}
	if len(counted) == 0 {
		f.Template = len(docs) > 0
	}
	return f
}

// boxDocs are the documents (templates left out) whose checkboxes a plan
// counts: its trackers when it has some beside other documents, since they
// record the progress; else all of them. from says which.
func boxDocs(counted []*plan.Doc) (boxes []*plan.Doc, from string) {
	var trackers []*plan.Doc
	for _, d := range counted {
		if d.Kind == plan.KindTracker && d.Completion.Total > 0 {
			trackers = append(trackers, d)
		}
	}
	if len(trackers) > 0 && len(trackers) < len(counted) {
		return trackers, "trackers"
	}
	return counted, "documents"
}

// combine sums up the statuses of a plan's documents: blocked when any is,
// complete when every one is, in progress when any has started.
func combine(statuses []string) string {
	if len(statuses) == 0 {
		return plan.Unknown
	}
	n := map[string]int{}
	for _, s := range statuses {
		n[s]++
	}
	switch {
	case n[plan.Blocked] > 0:
		return plan.Blocked
	case n[plan.Complete] == len(statuses):
		return plan.Complete
	case n[plan.Failed] > 0:
		return plan.Failed
	case n[plan.InProgress] > 0 || n[plan.Complete] > 0:
		return plan.InProgress
	case n[plan.NotStarted] > 0:
		return plan.NotStarted
	case n[plan.Deferred] > 0:
		return plan.Deferred
	}
	return plan.Unknown
}

// seriesStatus is a plan's status as read from its documents.
func seriesStatus(docs []*plan.Doc) string { return sumPlan(docs).Status }

// joinWork finds the series that are one piece of work: a plan and the
// tracker of its progress kept in another folder. A tracker's series joins
// another when their documents link each other, or when they share a name:
// a series' name is its folder's, or for a one-document series the
// document's, unless several documents use that file name (all-phases-
// progress.md names no work), when the folder names it. It returns, for each
// series joined into another, the series it joined.
func (s *Site) joinWork(m *plan.Site) map[string]string {
	baseUses := map[string]int{}
	for _, d := range m.Docs {
		baseUses[strings.ToLower(path.Base(d.Source))]++
	}
	name := func(sr *plan.Series) string {
		if d := s.bySource[sr.ID]; d != nil {
			b := strings.ToLower(path.Base(d.Source))
			if baseUses[b] == 1 {
				return strings.TrimSuffix(b, path.Ext(b))
			}
			return strings.ToLower(path.Base(path.Dir(d.Source)))
		}
		return strings.ToLower(path.Base(sr.ID))
	}
	kinds := func(sr *plan.Series) map[plan.Kind]bool {
		k := map[plan.Kind]bool{}
		if sr == nil {
			return k
		}
		for _, src := range sr.Phases {
			if d := s.bySource[src]; d != nil {
				k[d.Kind] = true
			}
		}
		return k
	}
	seriesOf := map[string]*plan.Series{} // by document source
	seriesByID := map[string]*plan.Series{}
	for _, sr := range m.Series {
		seriesByID[sr.ID] = sr
		for _, src := range sr.Phases {
			seriesOf[src] = sr
		}
	}
	parent := map[string]string{}
	var find func(string) string
	find = func(a string) string {
		for parent[a] != "" && parent[a] != a {
			a = parent[a]
		}
		return a
	}
	// The plan the others join: a plan, then any other document, before
	// a tracker; then the shorter id.
	rank := func(id string) (int, int) {
		k := kinds(seriesByID[id])
		switch {
		case seriesByID[id] != nil && isOverview(seriesByID[id], s.bySource[id]) && !k[plan.KindTracker]:
			return -1, len(id) // the overview names the plan
		case k[plan.KindPlan]:
			return 0, len(id)
		case k[plan.KindTracker]:
			return 2, len(id)
		}
		return 1, len(id)
	}
	union := func(a, b string) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		ka, la := rank(ra)
		kb, lb := rank(rb)
		if kb < ka || kb == ka && (lb < la || lb == la && rb < ra) {
			ra, rb = rb, ra
		}
		parent[rb] = ra
	}
	// A plan and a tracker of the same name.
	byName := map[string][]*plan.Series{}
	for _, sr := range m.Series {
		byName[name(sr)] = append(byName[name(sr)], sr)
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		group := byName[n]
		trackers := 0
		for _, sr := range group {
			if kinds(sr)[plan.KindTracker] {
				trackers++
			}
		}
		if trackers > 0 && trackers < len(group) {
			for _, sr := range group[1:] {
				union(group[0].ID, sr.ID)
			}
		}
	}
	// A tracker and the document it tracks, linking each other; and a plan's
	// overview (a document of several phases, a plan of its own) and the
	// phase documents it lists that link back to it ("Return to: Plan
	// overview").
	for _, d := range m.Docs {
		sr := seriesOf[d.Source]
		if sr == nil || d.Kind != plan.KindTracker && !isOverview(sr, d) {
			continue
		}
		for _, l := range d.Links {
			o := s.bySource[deref(l.Resolved)]
			if o == nil || seriesOf[o.Source] == nil || seriesOf[o.Source] == sr || o.Kind == plan.KindTracker || o.Kind == plan.KindTemplate || !linksTo(o, d.Source) {
				continue
			}
			if d.Kind != plan.KindTracker && isOverview(seriesOf[o.Source], o) {
				continue // two overviews that link each other are two plans
			}
			union(sr.ID, seriesOf[o.Source].ID)
		}
	}
	joined := map[string]string{}
	for _, sr := range m.Series {
		if r := find(sr.ID); r != sr.ID {
			joined[sr.ID] = r
		}
	}
	return joined
}

// isOverview reports whether d is a plan's overview: a document of several
// phases that is a plan of its own.
func isOverview(sr *plan.Series, d *plan.Doc) bool {
	return d != nil && sr.ID == d.Source && len(sr.Phases) == 1 && len(d.Phases) >= 2
}

func linksTo(d *plan.Doc, source string) bool {
	for _, l := range d.Links {
		if deref(l.Resolved) == source {
			return true
		}
	}
	return false
}
