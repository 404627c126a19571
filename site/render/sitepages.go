package render

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/plansite/plansite/site/chart"
	"github.com/plansite/plansite/site/plan"
)

// SitePages renders every page that is not a document's: the dashboard,
// plan pages, agents, problems, the search page, 404, sitemap, feed,
// robots.txt, the bundled assets and the theme's static files. emit receives
// the output path and content, minified when the site minifies.
func (s *Site) SitePages(emit func(rel string, data []byte) error) error {
	return s.SitePagesExcept(emit, nil)
}

// SitePagesExcept is SitePages without the plan and agent pages for which
// unchanged returns true: plansite serve knows which of them an edit can
// change, and on a large site they are most of the work.
func (s *Site) SitePagesExcept(emit func(rel string, data []byte) error, unchanged func(rel string) bool) error {
	if unchanged == nil {
		unchanged = func(string) bool { return false }
	}
	out := func(rel string, data []byte) error {
		b, err := s.Minify(rel, data)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		return emit(rel, b)
	}
	page := func(rel string, b []byte, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		return emit(rel, b) // execute minified it
	}
	// The sitemap and the feed, made and minified beside the pages: each
	// reads every document, and in a rebuild where the pages are kept they
	// were most of the work, on one core.
	type madeFile struct {
		rel string
		b   []byte
		err error
	}
	var made []chan madeFile
	// Waited for on every return, a failed page's too: plansite serve
	// links its model again once this returns, and they read it.
	var making sync.WaitGroup
	defer making.Wait()
	for _, f := range []struct {
		rel  string
		make func() ([]byte, error)
	}{{"sitemap.xml", s.sitemap}, {"feed.xml", s.feed}} {
		if unchanged(f.rel) {
			continue
		}
		ch := make(chan madeFile, 1) // not read when a page fails first
		made = append(made, ch)
		making.Go(func() {
			b, err := f.make()
			if err == nil {
				b, err = s.Minify(f.rel, b)
			}
			ch <- madeFile{f.rel, b, err}
		})
	}
	first := 0
	if s.idx.home != nil {
		first = 1 // the home document's page is the dashboard's first
	}
	if err := s.dashboardPages(first, page, unchanged); err != nil {
		return err
	}
	for _, sr := range s.Model.Series {
		if s.bySource[sr.ID] != nil {
			continue // a multi-phase document: its own page shows its phases
		}
		if unchanged(OutputPath(sr.URL)) {
			continue
		}
		b, err := s.planPage(sr)
		if err := page(OutputPath(sr.URL), b, err); err != nil {
			return err
		}
	}
	if err := s.agentPages(page, unchanged); err != nil {
		return err
	}
	if err := s.decisionPage(page); err != nil {
		return err
	}
	if err := s.problemPages(page, unchanged); err != nil {
		return err
	}
	b, err := s.execute("search", pageData{Title: "Search", Section: "search", Data: len(s.Model.Docs)})
	if err := page("search/index.html", b, err); err != nil {
		return err
	}
	b, err = s.execute("404", pageData{Title: "Not found"})
	if err := page("404.html", b, err); err != nil {
		return err
	}
	for _, ch := range made {
		f := <-ch
		if f.err != nil {
			return fmt.Errorf("%s: %w", f.rel, f.err)
		}
		if err := emit(f.rel, f.b); err != nil {
			return err
		}
	}
	if err := emit("robots.txt", []byte("User-agent: *\nAllow: /\nSitemap: "+s.absURL("/sitemap.xml")+"\n")); err != nil {
		return err
	}
	names := make([]string, 0, len(s.assets))
	for n := range s.assets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := s.assets[n]
		if err := emit(strings.TrimPrefix(a.URL, "/"), a.Data); err != nil {
			return err
		}
	}
	for _, rel := range s.Published() {
		b, err := os.ReadFile(filepath.Join(s.Opts.SourceDir, filepath.FromSlash(rel)))
		if err != nil {
			return fmt.Errorf("publishing %s: %w", rel, err)
		}
		if err := emit(rel, b); err != nil {
			return err
		}
	}
	for _, n := range s.files.list("static") {
		b, err := s.files.read("static/" + n)
		if err != nil {
			return err
		}
		if err := out(n, b); err != nil {
			return err
		}
	}
	return nil
}

type phaseRow struct {
	Doc                            *plan.Doc
	Agents                         string
	GatesPassed, Blocked, Problems int
}

func (s *Site) phaseRow(d *plan.Doc) phaseRow {
	r := phaseRow{Doc: d, Agents: strings.Join(s.idx.docAgents[d.Source], " "), Problems: len(d.Problems)}
	for _, g := range d.Gates {
		if g.Passed() {
			r.GatesPassed++
		}
	}
	for _, t := range d.Tasks {
		if t.Status == plan.Blocked {
			r.Blocked++
		}
	}
	return r
}

// planView is what plan.html receives.
type planView struct {
	Series   *plan.Series
	Figures  planFigures
	Phases   []phaseRow
	Burndown *burndownView
	Matrix   *matrix
}

func (s *Site) planPage(sr *plan.Series) ([]byte, error) {
	docs := s.idx.seriesDocs[sr.ID]
	v := &planView{Series: sr, Figures: sumPlan(docs), Matrix: seriesMatrix(docs), Burndown: s.seriesBurndown(sr, docs)}
	if v.Matrix != nil {
		for i := range v.Matrix.Cols {
			v.Matrix.Cols[i].Href = s.URL(v.Matrix.Cols[i].Href) // the columns link the phases' pages
		}
	}
	for _, d := range docs {
		v.Phases = append(v.Phases, s.phaseRow(d))
	}
	return s.execute("plan", pageData{Title: sr.Title, Section: "plan", Data: v})
}

// absURL is an absolute URL when the base URL is one, else a site path.
func (s *Site) absURL(p string) string {
	if strings.Contains(s.Opts.BaseURL, "://") {
		return strings.TrimSuffix(s.Opts.BaseURL, "/") + p
	}
	return s.URL(p)
}

// Badge is a document's status badge and its output path, beside its page
// as badge.svg; "" for a document that is not a phase or plan.
func (s *Site) Badge(d *plan.Doc) (string, []byte) { return s.badge(d) }

// badge is a document's status badge, beside its page as badge.svg.
func (s *Site) badge(d *plan.Doc) (string, []byte) {
	if d.Phase == "" && len(d.Phases) == 0 {
		return "", nil
	}
	label := "plan"
	if d.Phase != "" {
		label = "phase " + d.Phase
	}
	msg := statusLabel(d.Status)
	if d.Completion.Total > 0 {
		msg += fmt.Sprintf(" %d%%", pct(d.Completion.Done, d.Completion.Total))
	}
	rel := path.Join(path.Dir(OutputPath(d.URL)), "badge.svg")
	return rel, []byte(chart.Badge(label, strings.ToLower(msg), d.Status))
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
