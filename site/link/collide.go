package link

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/plansite/plansite/site/plan"
)

// siteOwned are the URLs of the site's own pages and files at its root, and
// the sections it owns whole; a document whose page would land on one of
// them is not published.
var (
	siteFiles    = map[string]bool{"index.html": true, "404.html": true, "plan.json": true, "plan.schema.json": true, "sitemap.xml": true, "feed.xml": true, "robots.txt": true, "search.json": true}
	siteSections = map[string]bool{"problems": true, "search": true, "assets": true}
)

// dropCollisions takes out the documents whose page would be written where
// another page is, and returns the problems that say so, on each losing
// document. The site's own pages (the dashboard, agents, problems, search,
// plan.json, feeds) always win. Between documents, a .md file wins over the
// other Markdown extensions, then the source path first in byte order:
// dir/README.md over dir/index.md, a.md over a.markdown.
func dropCollisions(ins []*Input) ([]*Input, []*plan.Problem) {
	names := map[string]bool{}
	for _, in := range ins {
		eachAgent(in.Doc, func(name string) { names[name] = true })
	}
	ownPages := map[string]string{"/agents/": "is an agent page of the site"}
	for name := range names {
		ownPages[plan.AgentURL(name)] = "is an agent page of the site"
	}
	for _, in := range ins {
		if isDecision(in.Doc) {
			ownPages[plan.DecisionLogURL] = "is the site's decision log"
			break
		}
	}
	if !collides(ins, ownPages) {
		return ins, nil // the common case, without sorting the site
	}
	sorted := append([]*Input(nil), ins...)
	sort.SliceStable(sorted, func(i, j int) bool { return wins(sorted[i].Doc.Source, sorted[j].Doc.Source) })
	owner := map[string]string{} // URL → source of the document that has it
	var kept []*Input
	var problems []*plan.Problem
	lose := func(d *plan.Doc, why string) {
		problems = append(problems, &plan.Problem{Source: d.Source, Line: 0, Severity: plan.SevError, Code: plan.CodeOutputCollision,
			Message: fmt.Sprintf("its page %s %s; not published (rename the file to publish it)", d.URL, why)})
	}
	for _, in := range sorted {
		d := in.Doc
		first, _, _ := strings.Cut(strings.Trim(d.URL, "/"), "/")
		switch {
		case d.URL == "": // no page (a model made by hand)
			kept = append(kept, in)
		case ownPages[d.URL] != "":
			lose(d, ownPages[d.URL])
		case siteFiles[first] || siteSections[first]:
			lose(d, "would be written where the site's own "+first+" is")
		case owner[d.URL] != "":
			lose(d, "is also the page of "+owner[d.URL]+", which wins (a .md file first, then the path first in byte order)")
		default:
			owner[d.URL] = d.Source
			kept = append(kept, in)
		}
	}
	if len(problems) == 0 {
		return ins, nil
	}
	return kept, problems
}

// collides reports whether any document's page is another's or one of the
// site's own.
func collides(ins []*Input, ownPages map[string]string) bool {
	urls := make(map[string]bool, len(ins))
	for _, in := range ins {
		u := in.Doc.URL
		if u == "" {
			continue
		}
		first, _, _ := strings.Cut(strings.Trim(u, "/"), "/")
		if urls[u] || ownPages[u] != "" || siteFiles[first] || siteSections[first] {
			return true
		}
		urls[u] = true
	}
	return false
}

// wins orders two source paths for the same page: a .md file first, then
// byte order.
func wins(a, b string) bool {
	am, bm := strings.EqualFold(path.Ext(a), ".md"), strings.EqualFold(path.Ext(b), ".md")
	if am != bm {
		return am
	}
	return a < b
}
