package render

import (
	"fmt"
	"html/template"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/plansite/plansite/site/plan"
)

// The dashboard opens on a summary strip, then lists the plans grouped by
// series (or directory), plans of one document folded into one table. It
// is paged by rows so no page grows with the site: a site of ten thousand
// documents gets more pages, not a larger one.

// dashRowsPerPage is how many document rows a dashboard page holds; a row
// is about 1 KB minified, so a page stays near 150 KB.
const dashRowsPerPage = 150

// recentCount is how many recently changed documents the strip lists.
const recentCount = 8

// dashView is what dashboard.html receives.
type dashView struct {
	Summary  summary
	Recent   []*plan.Doc
	Groups   []dashGroup
	Pager    pager
	Statuses []string
	Agents   []string
	Home     template.HTML
	Plans    int // groups on every page
	Docs     int
	Problems int
}

// summary is the strip at the top of the dashboard: documents by state,
// overall completion, changes this week. Templates are not counted.
type summary struct {
	Docs, Open, InProgress, Blocked, Stale, Changed, Problems int
	Done, Total                                               int // checkboxes
	StaleDays                                                 int
}

// dashGroup is one plan on a dashboard page: a series, a directory, or the
// table of single-document plans. A group longer than a page continues on
// the next, its header repeated.
type dashGroup struct {
	ID, Anchor, Title, URL, Dir, Status, Updated string
	Single                                       bool // the folded table of single-document plans
	Continued                                    bool // began on an earlier page
	Docs, Done, Total                            int  // of the whole group
	Blocked, InProgress                          int
	Rows                                         []phaseRow
}

// pager links the pages of a paged list.
type pager struct {
	Page, Pages int
	Prev, Next  string
	Links       []pageLink
}

type pageLink struct {
	N       int
	URL     string
	Current bool
}

// newPager is page n (1-based) of pages, whose URLs url gives.
func newPager(n, pages int, url func(int) string) pager {
	p := pager{Page: n, Pages: pages}
	if pages < 2 {
		return p
	}
	if n > 1 {
		p.Prev = url(n - 1)
	}
	if n < pages {
		p.Next = url(n + 1)
	}
	for i := 1; i <= pages; i++ {
		// First, last and the pages near this one; gaps are shown as "…".
		if i == 1 || i == pages || i >= n-2 && i <= n+2 {
			p.Links = append(p.Links, pageLink{N: i, URL: url(i), Current: i == n})
		} else if len(p.Links) > 0 && p.Links[len(p.Links)-1].N != 0 {
			p.Links = append(p.Links, pageLink{})
		}
	}
	return p
}

// dashPageURL is the URL of dashboard page n.
func dashPageURL(n int) string {
	if n <= 1 {
		return "/"
	}
	return "/page/" + strconv.Itoa(n) + "/"
}

// now is the build's "today", for staleness and this week's changes.
func (s *Site) now() time.Time {
	if !s.Opts.Now.IsZero() {
		return s.Opts.Now
	}
	return time.Now()
}

// dashGroups groups the documents shown on the dashboard: each series of
// two or more documents, each directory of two or more documents outside
// a series, and one table of the rest. Groups needing attention come first:
// blocked, in progress, not started, then the others; newest first within.
func (s *Site) dashGroups() []dashGroup {
	var groups []dashGroup
	inGroup := map[string]bool{}
	for _, sr := range s.Model.Series {
		docs := s.idx.seriesDocs[sr.ID]
		if _, joined := s.idx.joined[sr.ID]; joined || len(docs) < 2 {
			continue // shown with the plan it joined; a document alone
		}
		g := dashGroup{ID: sr.ID, Title: sr.Title, URL: sr.URL, Dir: sr.ID}
		for _, d := range docs {
			inGroup[d.Source] = true
		}
		groups = append(groups, s.fillGroup(g, docs))
	}
	byDir := map[string][]*plan.Doc{}
	var dirs []string
	for _, d := range s.Model.Docs {
		if inGroup[d.Source] || d.URL == "/" {
			continue
		}
		dir := path.Dir(d.Source)
		if byDir[dir] == nil {
			dirs = append(dirs, dir)
		}
		byDir[dir] = append(byDir[dir], d)
	}
	var single []*plan.Doc
	for _, dir := range dirs {
		docs := byDir[dir]
		if len(docs) < 2 {
			single = append(single, docs...)
			continue
		}
		groups = append(groups, s.fillGroup(dashGroup{ID: dir, Title: dirTitle(dir), Dir: dir}, docs))
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if ra, rb := attentionRank[a.Status], attentionRank[b.Status]; ra != rb {
			return ra < rb
		}
		if a.Updated != b.Updated {
			return a.Updated > b.Updated
		}
		return a.Dir < b.Dir
	})
	if len(single) > 0 {
		sort.SliceStable(single, func(i, j int) bool {
			a, b := single[i], single[j]
			if ra, rb := attentionRank[a.Status], attentionRank[b.Status]; ra != rb {
				return ra < rb
			}
			return deref(a.Updated) > deref(b.Updated)
		})
		groups = append(groups, s.fillGroup(dashGroup{ID: "single", Title: "Single-document plans", Single: true}, single))
	}
	seen := map[string]bool{}
	for i := range groups {
		a := "plan-" + slug(groups[i].ID)
		for n := 2; seen[a]; n++ {
			a = "plan-" + slug(groups[i].ID) + "-" + strconv.Itoa(n)
		}
		seen[a] = true
		groups[i].Anchor = a
	}
	return groups
}

// attentionRank orders statuses by how much they need a lead's eye.
var attentionRank = map[string]int{plan.Blocked: 0, plan.Failed: 1, plan.InProgress: 2, plan.NotStarted: 3,
	plan.Unknown: 4, plan.Deferred: 5, plan.Complete: 6}

func (s *Site) fillGroup(g dashGroup, docs []*plan.Doc) dashGroup {
	f := sumPlan(docs)
	g.Status, g.Done, g.Total = f.Status, f.Done, f.Total
	g.Docs = len(docs)
	for _, d := range docs {
		g.Rows = append(g.Rows, s.phaseRow(d))
		switch readDoc(d).Status {
		case plan.Blocked:
			g.Blocked++
		case plan.InProgress:
			g.InProgress++
		}
		if u := deref(d.Updated); u > g.Updated {
			g.Updated = u
		}
	}
	return g
}

// dirTitle names a directory group by its last path elements.
func dirTitle(dir string) string {
	if dir == "." {
		return "Top level"
	}
	parts := strings.Split(dir, "/")
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	return strings.Join(parts, "/")
}

// pageGroups cuts the groups into pages of about dashRowsPerPage rows. A
// group that does not fit on the page it starts on continues on the next.
func pageGroups(groups []dashGroup) [][]dashGroup {
	var pages [][]dashGroup
	var cur []dashGroup
	rows := 0
	for _, g := range groups {
		all := g.Rows
		continued := false
		for len(all) > 0 {
			room := dashRowsPerPage - rows
			if room <= 0 || room < 5 && len(all) > room {
				pages = append(pages, cur)
				cur, rows = nil, 0
				room = dashRowsPerPage
			}
			n := min(room, len(all))
			part := g
			part.Rows, part.Continued = all[:n], continued
			cur = append(cur, part)
			rows += n
			all, continued = all[n:], true
		}
	}
	if len(cur) > 0 || len(pages) == 0 {
		pages = append(pages, cur)
	}
	return pages
}

// siteSummary counts the documents for the strip.
func (s *Site) siteSummary() summary {
	sm := summary{Problems: len(s.idx.problems), StaleDays: 14}
	if s.Config != nil && s.Config.Check.StaleDays > 0 {
		sm.StaleDays = s.Config.Check.StaleDays
	}
	now := s.now()
	week := now.Add(-7 * 24 * time.Hour)
	staleBefore := now.Add(-time.Duration(sm.StaleDays) * 24 * time.Hour)
	for _, d := range s.Model.Docs {
		if d.Kind == plan.KindTemplate {
			continue
		}
		sm.Docs++
		sm.Done += d.Completion.Done
		sm.Total += d.Completion.Total
		status := readDoc(d).Status
		switch status {
		case plan.InProgress:
			sm.InProgress++
			sm.Open++
		case plan.Blocked:
			sm.Blocked++
			sm.Open++
		case plan.NotStarted:
			sm.Open++
		}
		last, ok := lastUpdate(d)
		if ok && last.After(week) {
			sm.Changed++
		}
		if status == plan.InProgress && ok && last.Before(staleBefore) {
			sm.Stale++
		}
	}
	return sm
}

// lastUpdate is the later of a document's updated date and its newest
// work-log entry.
func lastUpdate(d *plan.Doc) (time.Time, bool) {
	var last time.Time
	if t, ok := parseTime(deref(d.Updated)); ok {
		last = t
	}
	for _, e := range d.Worklog {
		if t, ok := parseTime(deref(e.Time)); ok && t.After(last) {
			last = t
		}
	}
	return last, !last.IsZero()
}

// recentDocs is the documents changed last, newest first.
func (s *Site) recentDocs(n int) []*plan.Doc {
	type dated struct {
		d *plan.Doc
		t time.Time
	}
	var all []dated
	for _, d := range s.Model.Docs {
		if t, ok := lastUpdate(d); ok && d.Kind != plan.KindTemplate {
			all = append(all, dated{d, t})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].t.After(all[j].t) })
	var out []*plan.Doc
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].d)
	}
	return out
}

// dashboard renders the first page of the dashboard; home is the body of
// the document at "/", shown above the plans.
func (s *Site) dashboard(home template.HTML) ([]byte, error) {
	l := s.dashLayout()
	return s.dashboardPage(l.common, l.pages, 0, home)
}

// dashLayout is the dashboard of a model, laid out: its groups cut into
// pages, and what every page shows. Each of them reads the whole model, and
// the dashboard's pages, their keys and the sitemap all ask: it is made
// once a model.
type dashLayout struct {
	once   sync.Once
	pages  [][]dashGroup
	common dashView
}

func (s *Site) dashLayout() *dashLayout {
	l := &s.idx.dash
	l.once.Do(func() {
		groups := s.dashGroups()
		l.pages, l.common = pageGroups(groups), s.dashCommon(groups)
	})
	return l
}

// dashboardPages renders every page of the dashboard from the first (from
// the second when a document is the home page, which renders the first),
// but those unchanged says are as they were.
func (s *Site) dashboardPages(first int, page func(rel string, b []byte, err error) error, unchanged func(rel string) bool) error {
	l := s.dashLayout()
	pages, common := l.pages, l.common
	for i := first; i < len(pages); i++ {
		rel := OutputPath(dashPageURL(i + 1))
		if unchanged(rel) {
			continue
		}
		b, err := s.dashboardPage(common, pages, i, "")
		if err := page(rel, b, err); err != nil {
			return err
		}
	}
	return nil
}

// DashboardViews sums what each page of the dashboard shows (all of them
// but a home document's, whose page is the first), by output path: the
// figures every page shows, and the rows of its own, each document by
// docKey (which must change when anything of the document does). A page
// whose sum is what it was shows what it showed: an edit re-renders the
// page its document is on, not every page.
func (s *Site) DashboardViews(docKey func(source string) string) map[string]string {
	l := s.dashLayout()
	pages, common := l.pages, l.common
	var b viewSum
	put := b.put
	put(s.Today(), fmt.Sprint(common.Summary, common.Plans, common.Docs, common.Problems, len(pages)))
	put(common.Statuses...)
	put(common.Agents...)
	for _, d := range common.Recent {
		put(d.Source, docKey(d.Source))
	}
	shared := b.String()
	first := 0
	if s.idx.home != nil {
		first = 1
	}
	out := make(map[string]string, len(pages))
	for i := first; i < len(pages); i++ {
		b.Reset()
		put(shared, strconv.Itoa(i))
		for _, g := range pages[i] {
			put(g.ID, g.Anchor, g.Title, g.URL, g.Dir, g.Status, g.Updated,
				fmt.Sprint(g.Single, g.Continued, g.Docs, g.Done, g.Total, g.Blocked, g.InProgress, len(g.Rows)))
			for _, r := range g.Rows {
				put(r.Doc.Source, docKey(r.Doc.Source), r.Agents, fmt.Sprint(r.GatesPassed, r.Blocked, r.Problems))
			}
		}
		out[OutputPath(dashPageURL(i+1))] = b.String()
	}
	return out
}

// dashCommon is what every page of the dashboard shows: the summary, the
// documents changed last, the filters' statuses and agents. It is read off
// the whole model once, not once a page.
func (s *Site) dashCommon(groups []dashGroup) dashView {
	v := dashView{Summary: s.siteSummary(), Recent: s.recentDocs(recentCount), Plans: len(groups),
		Docs: len(s.Model.Docs), Problems: len(s.idx.problems)}
	statuses := map[string]bool{}
	for _, d := range s.Model.Docs {
		statuses[readDoc(d).Status] = true
	}
	for _, st := range plan.Statuses {
		if statuses[st] {
			v.Statuses = append(v.Statuses, st)
		}
	}
	for _, a := range s.Model.Agents {
		v.Agents = append(v.Agents, a.Name)
	}
	return v
}

func (s *Site) dashboardPage(common dashView, pages [][]dashGroup, i int, home template.HTML) ([]byte, error) {
	v := common
	v.Groups, v.Home = pages[i], home
	v.Pager = newPager(i+1, len(pages), func(n int) string { return s.URL(dashPageURL(n)) })
	title := ""
	if i > 0 {
		title = "Dashboard, page " + strconv.Itoa(i+1)
	}
	return s.execute("dashboard", pageData{Title: title, Section: "dashboard", Data: &v})
}
