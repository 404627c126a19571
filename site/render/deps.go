package render

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path"

	"github.com/plansite/plansite/site/plan"
)

// This file says what pages are made from, beyond a document's own model
// and body, so that a build can tell which pages an edit reaches and a
// cache can tell a page it already made.

// Fingerprint sums everything every page is rendered with: the layouts,
// assets and static files (the site's over the theme's), the options and the
// configuration. Two renderers with one fingerprint render the same model
// into the same pages.
func (s *Site) Fingerprint() string {
	h := sha256.New()
	put := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
	}
	o := s.Opts
	o.Theme = nil // its files are summed below, as the site sees them
	// The source's path shows on no page (its files are summed below, its
	// repository by URL): a checkout in another directory, or the same one
	// named relatively, renders the same pages from the same cache.
	o.SourceDir = ""
	opts, err := json.Marshal(o)
	if err != nil {
		panic("render: options that JSON cannot write: " + err.Error())
	}
	cfg, _ := json.Marshal(s.Config)
	put("options", string(opts), "config", string(cfg), "repo", s.repo.web, s.repo.prefix)
	for _, dir := range []string{"layouts", "static"} {
		for _, n := range s.files.list(dir) {
			b, err := s.files.read(path.Join(dir, n))
			if err != nil {
				put(dir, n, "unreadable", err.Error())
				continue
			}
			sum := sha256.Sum256(b)
			put(dir, n, string(sum[:]))
		}
	}
	for _, n := range sortedKeys(assetNames(s.assets)) {
		a := s.assets[n]
		sum := sha256.Sum256(a.Data)
		put("asset", n, a.URL, string(sum[:]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func assetNames(m map[string]*asset) map[string]bool {
	out := make(map[string]bool, len(m))
	for n := range m {
		out[n] = true
	}
	return out
}

// Related is the documents a document's page lists as related (the other
// documents of its phase); the model must be indexed.
func (s *Site) Related(source string) []*plan.Doc { return s.idx.related[source] }

// HasAgentPage reports whether an agent named on a page gets a page of its
// own, which the name then links to.
func (s *Site) HasAgentPage(name string) bool { return s.agentURL(name) != "" }

// HistoryKey names the git history burndowns are read from: the commit the
// work tree is at, or "" when pages read no history (no repository, or a
// site too large for it). The model must be indexed.
func (s *Site) HistoryKey() string {
	if !s.git.Enabled(len(s.Model.Docs)) {
		return ""
	}
	if h := s.git.Head(); h != "" {
		return h
	}
	return "no-head"
}

// HistoryInput is HistoryKey for a site of docs documents, before the
// model is read: what a build with nothing else changed depends on.
func (s *Site) HistoryInput(docs int) string {
	if !s.git.Enabled(docs) {
		return ""
	}
	return s.git.Head()
}

// ReadHistory reads the git history of every document of the indexed model,
// once, before pages are rendered (nothing when the site reads none).
func (s *Site) ReadHistory() {
	if !s.git.Enabled(len(s.Model.Docs)) {
		return
	}
	sources := make([]string, len(s.Model.Docs))
	for i, d := range s.Model.Docs {
		sources[i] = d.Source
	}
	s.git.Read(sources)
}

// Today is the day the site is built as of: the dashboard reads staleness
// and this week's changes from it.
func (s *Site) Today() string { return s.now().Format("2006-01-02") }

// PlanDocs is the documents a document's page lists as its plan (the
// sidebar): those of the plan its series is shown in, joined plans
// included; none when it is in no series.
func (s *Site) PlanDocs(d *plan.Doc) []*plan.Doc {
	if d.Series == "" {
		return nil
	}
	return s.idx.seriesDocs[s.PlanOf(d.Series)]
}

// SeriesDocs is the documents a plan's page shows, joined plans included.
func (s *Site) SeriesDocs(id string) []*plan.Doc { return s.idx.seriesDocs[id] }
