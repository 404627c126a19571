package render

import (
	"bytes"
	"encoding/xml"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/plansite/plansite/site/plan"
)

// sitemap is sitemap.xml: every page, each page of a paged list included
// (the dashboard's, an agent's, the problems' and each rule's).
func (s *Site) sitemap() ([]byte, error) {
	urls := []string{"/", "/agents/", "/search/"}
	if len(s.Model.Decisions) > 0 {
		urls = append(urls, plan.DecisionLogURL)
	}
	for n := 2; n <= len(s.dashLayout().pages); n++ {
		urls = append(urls, dashPageURL(n))
	}
	for rule, n := range s.problemPageCounts() {
		for i := 1; i <= n; i++ {
			urls = append(urls, problemsURL(rule, i))
		}
	}
	for _, a := range s.Model.Agents {
		_, rows := s.agentTally(a)
		for n := 2; n <= pageCount(rows, agentRowsPerPage); n++ {
			urls = append(urls, agentPageURL(a, n))
		}
	}
	for _, d := range s.Model.Docs {
		if d.URL != "/" {
			urls = append(urls, d.URL)
		}
	}
	for _, sr := range s.Model.Series {
		urls = append(urls, sr.URL)
	}
	for _, a := range s.Model.Agents {
		urls = append(urls, a.URL)
	}
	sort.Strings(urls)
	// A document's page can also be its plan's, or an agent's: one entry.
	urls = slices.Compact(urls)
	var buf bytes.Buffer
	buf.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		buf.WriteString("<url><loc>")
		_ = xml.EscapeText(&buf, []byte(s.absURL(u)))
		buf.WriteString("</loc></url>\n")
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes(), nil
}

// feedEntry is one entry of feed.xml.
type feedEntry struct {
	Title, ID, Updated, Href, Summary string
	sortKey                           time.Time
}

// feedTitle is feed.xml's title.
func (s *Site) feedTitle() string {
	if s.Config != nil && s.Config.Title != "" {
		return s.Config.Title + ": work log"
	}
	return "Work log"
}

// feedEntries are feed.xml's entries, in the documents' order: one per
// work-log entry. Entries without a time take their document's updated
// time; without that they are left out, since Atom needs a time.
func (s *Site) feedEntries() []feedEntry {
	var out []feedEntry
	for _, d := range s.Model.Docs {
		if d.Kind == plan.KindTemplate {
			continue
		}
		for _, e := range d.Worklog {
			t, ok := parseTime(deref(e.Time))
			if !ok {
				t, ok = parseTime(deref(d.Updated))
			}
			if !ok {
				continue
			}
			href := s.absURL(d.URL)
			if e.Anchor != "" {
				href += "#" + e.Anchor
			}
			out = append(out, feedEntry{Title: e.Title, Updated: t.UTC().Format(time.RFC3339),
				ID: s.absURL(d.URL) + "#L" + itoa(e.Line), Href: href,
				Summary: entrySummary(d, e), sortKey: t})
		}
	}
	return out
}

// FeedView sums what feed.xml shows: its title and entries. An edit that
// leaves them as they were leaves the feed, the site's largest page after
// plan.json, as it was: plansite build keeps it, plansite serve does not
// make it again.
func (s *Site) FeedView() string {
	var b viewSum
	b.put(s.feedTitle(), s.absURL("/feed.xml"), s.absURL("/"))
	for _, e := range s.feedEntries() {
		b.put(e.Title, e.ID, e.Updated, e.Href, e.Summary, strconv.FormatInt(e.sortKey.UnixNano(), 10))
	}
	return b.String()
}

// feed is feed.xml, Atom: one entry per work-log entry (feedEntries),
// newest first.
func (s *Site) feed() ([]byte, error) {
	type link struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr,omitempty"`
	}
	type entry struct {
		Title   string `xml:"title"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Link    link   `xml:"link"`
		Summary string `xml:"summary"`
	}
	type feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Title   string   `xml:"title"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Links   []link   `xml:"link"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Entries []entry `xml:"entry"`
	}
	f := feed{Title: s.feedTitle(), ID: s.absURL("/feed.xml"), Links: []link{{Href: s.absURL("/feed.xml"), Rel: "self"}, {Href: s.absURL("/")}}}
	f.Author.Name = "plansite"
	entries := s.feedEntries()
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		if !a.sortKey.Equal(b.sortKey) {
			return a.sortKey.After(b.sortKey)
		}
		return a.ID < b.ID
	})
	for _, e := range entries {
		f.Entries = append(f.Entries, entry{Title: e.Title, ID: e.ID, Updated: e.Updated, Link: link{Href: e.Href}, Summary: e.Summary})
	}
	f.Updated = "1970-01-01T00:00:00Z"
	if len(f.Entries) > 0 {
		f.Updated = f.Entries[0].Updated
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	buf.WriteString("\n")
	return buf.Bytes(), nil
}

func entrySummary(d *plan.Doc, e *plan.LogEntry) string {
	kind := "Work"
	if e.Kind == plan.LogDecision {
		kind = "Decision"
	}
	return kind + " in " + d.Title + " (" + statusLabel(d.Status) + ")"
}
