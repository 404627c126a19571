package serve

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/plansite/plansite/site/plan"
)

// writeTree writes files (slash paths → content) under a new temp dir.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		write(t, dir, p, c)
	}
	return dir
}

func write(t testing.TB, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

var smallPlan = map[string]string{
	"README.md": "# Our plan\n\nSee [phase 1](plan/phase-1.md) and [phase 2](plan/phase-2.md).\n",
	"plan/phase-1.md": "# Phase 1: Setup\n\n**Status**: In Progress\n\n## Tasks\n\n- [x] Create repo\n- [ ] Add CI\n\n" +
		"Next: [Phase 2](phase-2.md)\n",
	"plan/phase-2.md": "# Phase 2: Build\n\n**Status**: Not Started\n\nPrevious: [Phase 1](phase-1.md)\n\nThe body of phase two.\n",
}

func loadSite(t *testing.T, dir string) (*Site, *Pages) {
	t.Helper()
	pages := NewPages()
	s, err := NewSite(dir, "plansite test", pages, func() string { return "<script>live</script>" })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); err != nil {
		t.Fatal(err)
	}
	return s, pages
}

func page(t *testing.T, pages *Pages, rel string) string {
	t.Helper()
	b, ok, err := pages.Get(rel)
	if err != nil || !ok {
		t.Fatalf("page %s: ok=%v err=%v (have %v)", rel, ok, err, pages.List())
	}
	return string(b)
}

func TestLoadServesEveryPage(t *testing.T) {
	s, pages := loadSite(t, writeTree(t, smallPlan))
	for _, rel := range []string{"index.html", "plan/phase-1/index.html", "plan/phase-2/index.html", "plan.json", "plan.schema.json"} {
		if !pages.Has(rel) {
			t.Errorf("no page %s; have %v", rel, pages.List())
		}
	}
	if got := s.Parsed(); got != 3 {
		t.Errorf("parsed %d documents, want 3", got)
	}
	if p := page(t, pages, "plan/phase-1/index.html"); !strings.Contains(p, "<script>live</script>\n</body>") && !strings.Contains(p, "<script>live</script></body>") {
		t.Errorf("live-reload script not injected before </body>:\n%s", p)
	}
	if pj := page(t, pages, "plan.json"); !strings.Contains(pj, `"source": "plan/phase-1.md"`) {
		t.Errorf("plan.json lacks the documents:\n%.300s", pj)
	}
}

func TestUnchangedFileIsNotParsedAgain(t *testing.T) {
	dir := writeTree(t, smallPlan)
	s, pages := loadSite(t, dir)
	before := s.Parsed()
	// Same bytes written again (an editor's save with no edit).
	write(t, dir, "plan/phase-2.md", smallPlan["plan/phase-2.md"])
	ch, err := s.Apply([]string{"plan/phase-2.md"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Parsed() != before || len(ch.Pages) != 0 || len(ch.Sources) != 0 {
		t.Errorf("unchanged file: parsed %d→%d, pages %v, sources %v", before, s.Parsed(), ch.Pages, ch.Sources)
	}
	// A real edit: parsed once, its page changes, the others do not.
	write(t, dir, "plan/phase-2.md", strings.Replace(smallPlan["plan/phase-2.md"], "body of phase two", "body of phase TWO", 1))
	ch, err = s.Apply([]string{"plan/phase-2.md"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Parsed() != before+1 {
		t.Errorf("parsed %d documents for one edit", s.Parsed()-before)
	}
	if !slices.Equal(ch.Pages, []string{"plan/phase-2/index.html"}) || !slices.Equal(ch.First, ch.Pages) {
		t.Errorf("changed pages %v (first %v), want only phase 2's", ch.Pages, ch.First)
	}
	if !strings.Contains(page(t, pages, "plan/phase-2/index.html"), "body of phase TWO") {
		t.Error("page not updated")
	}
}

func TestModelEditRelinks(t *testing.T) {
	dir := writeTree(t, smallPlan)
	s, pages := loadSite(t, dir)
	write(t, dir, "plan/phase-1.md", strings.Replace(smallPlan["plan/phase-1.md"], "# Phase 1: Setup", "# Phase 1: Groundwork", 1))
	ch, err := s.Apply([]string{"plan/phase-1.md"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ch.First, "plan/phase-1/index.html") {
		t.Errorf("edited page not published first: %v", ch.First)
	}
	// The home page lists titles; phase 2 names its previous phase.
	for _, rel := range []string{"index.html", "plan/phase-2/index.html"} {
		if !slices.Contains(ch.Pages, rel) || !strings.Contains(page(t, pages, rel), "Groundwork") {
			t.Errorf("%s not updated with the new title (changed %v)", rel, ch.Pages)
		}
	}
}

// A phase's status badge is served beside its page, as build writes it,
// follows the status, and goes with the document.
func TestBadgeFollowsStatus(t *testing.T) {
	dir := writeTree(t, smallPlan)
	s, pages := loadSite(t, dir)
	const badge = "plan/phase-1/badge.svg"
	if !strings.Contains(page(t, pages, badge), "in progress") {
		t.Fatalf("badge: %s", page(t, pages, badge))
	}
	write(t, dir, "plan/phase-1.md", strings.Replace(smallPlan["plan/phase-1.md"], "In Progress", "Complete", 1))
	if _, err := s.Apply([]string{"plan/phase-1.md"}); err != nil {
		t.Fatal(err)
	}
	if b := page(t, pages, badge); !strings.Contains(b, "complete") || strings.Contains(b, "in progress") {
		t.Errorf("badge after the edit: %s", b)
	}
	if err := os.Remove(filepath.Join(dir, "plan", "phase-1.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply([]string{"plan/phase-1.md"}); err != nil {
		t.Fatal(err)
	}
	if pages.Has(badge) {
		t.Error("the badge of a deleted document is still served")
	}
}

func TestDeletedDocumentPageGoesAndLinksBreak(t *testing.T) {
	dir := writeTree(t, smallPlan)
	s, pages := loadSite(t, dir)
	if err := os.Remove(filepath.Join(dir, "plan", "phase-2.md")); err != nil {
		t.Fatal(err)
	}
	ch, err := s.Apply([]string{"plan/phase-2.md"})
	if err != nil {
		t.Fatal(err)
	}
	if pages.Has("plan/phase-2/index.html") || !slices.Contains(ch.First, "plan/phase-2/index.html") {
		t.Errorf("deleted document's page still served (first %v)", ch.First)
	}
	if !strings.Contains(page(t, pages, "plan/phase-1/index.html"), "broken-link") {
		t.Error("link to the deleted document not marked broken")
	}
	if !hasProblem(s, "plan/phase-1.md", "broken-link") {
		t.Error("no broken-link problem for the link to the deleted document")
	}
	// It comes back (renamed back into place): the link works again.
	write(t, dir, "plan/phase-2.md", smallPlan["plan/phase-2.md"])
	if _, err := s.Apply([]string{"plan/phase-2.md"}); err != nil {
		t.Fatal(err)
	}
	if !pages.Has("plan/phase-2/index.html") || strings.Contains(page(t, pages, "plan/phase-1/index.html"), "broken-link") || hasProblem(s, "plan/phase-1.md", "broken-link") {
		t.Error("restored document: page missing or link still broken")
	}
}

func TestRenamedDocument(t *testing.T) {
	dir := writeTree(t, smallPlan)
	s, pages := loadSite(t, dir)
	if err := os.Rename(filepath.Join(dir, "plan", "phase-2.md"), filepath.Join(dir, "plan", "phase-2-build.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply([]string{"plan/phase-2.md", "plan/phase-2-build.md"}); err != nil {
		t.Fatal(err)
	}
	if pages.Has("plan/phase-2/index.html") || !pages.Has("plan/phase-2-build/index.html") {
		t.Errorf("rename not followed: %v", pages.List())
	}
	if !hasProblem(s, "plan/phase-1.md", "broken-link") {
		t.Error("link to the old name not reported broken")
	}
}

func TestNewDirectoryIsRead(t *testing.T) {
	dir := writeTree(t, smallPlan)
	s, pages := loadSite(t, dir)
	write(t, dir, "more/deeper/notes.md", "# Notes\n\nHello.\n")
	if _, err := s.Apply([]string{"more"}); err != nil {
		t.Fatal(err)
	}
	if !pages.Has("more/deeper/notes/index.html") {
		t.Errorf("document in a new directory not served: %v", pages.List())
	}
	// Removing the directory removes its documents.
	if err := os.RemoveAll(filepath.Join(dir, "more")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply([]string{"more"}); err != nil {
		t.Fatal(err)
	}
	if pages.Has("more/deeper/notes/index.html") {
		t.Error("document of a removed directory still served")
	}
}

func TestBrokenDocumentShowsOverlayUntilFixed(t *testing.T) {
	dir := writeTree(t, smallPlan)
	s, pages := loadSite(t, dir)
	write(t, dir, "plan/phase-2.md", "---\ntitle: Phase 2\n\n# Phase 2: Build\n\nNo closing fence.\n")
	ch, err := s.Apply([]string{"plan/phase-2.md"})
	if err != nil {
		t.Fatal(err)
	}
	p := page(t, pages, "plan/phase-2/index.html")
	if !strings.Contains(p, `id="plansite-overlay"`) || !strings.Contains(p, "plan/phase-2.md:1:") {
		t.Errorf("no overlay with path and line:\n%s", p)
	}
	if len(ch.Errors) != 1 || !strings.HasPrefix(ch.Errors[0], "plan/phase-2.md:1:") {
		t.Errorf("errors %v", ch.Errors)
	}
	if strings.Contains(page(t, pages, "plan/phase-1/index.html"), "plansite-overlay") {
		t.Error("overlay on a page that built")
	}
	write(t, dir, "plan/phase-2.md", smallPlan["plan/phase-2.md"])
	if _, err := s.Apply([]string{"plan/phase-2.md"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(page(t, pages, "plan/phase-2/index.html"), "plansite-overlay") {
		t.Error("overlay still there after the fix")
	}
}

func TestIgnoredPathsAreNotRead(t *testing.T) {
	dir := writeTree(t, smallPlan)
	s, pages := loadSite(t, dir)
	write(t, dir, "node_modules/pkg/README.md", "# pkg\n")
	write(t, dir, ".git/x.md", "# x\n")
	before := s.Parsed()
	if _, err := s.Apply([]string{"node_modules/pkg/README.md", "node_modules", ".git/x.md"}); err != nil {
		t.Fatal(err)
	}
	if s.Parsed() != before || pages.Has("node_modules/pkg/index.html") {
		t.Error("skipped directories read")
	}
}

func TestConfigChangeReloads(t *testing.T) {
	dir := writeTree(t, smallPlan)
	s, pages := loadSite(t, dir)
	write(t, dir, "plansite.toml", "exclude = [\"plan/phase-2.md\"]\n")
	ch, err := s.Apply([]string{"plansite.toml"})
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Full || pages.Has("plan/phase-2/index.html") {
		t.Errorf("config change not applied: full=%v pages=%v", ch.Full, pages.List())
	}
}

func hasProblem(s *Site, src string, code plan.Code) bool {
	e := s.docs[src]
	if e == nil {
		return false
	}
	for _, p := range e.linked.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// The search index is made on the first request for one of its files, and
// made again after an edit: a word written in a body is found.
func TestSearchIndexFollowsEdits(t *testing.T) {
	dir := writeTree(t, smallPlan)
	s, pages := loadSite(t, dir)
	chunks := func() string {
		meta := page(t, pages, "search/meta.json")
		var m struct {
			Docs   int
			Chunks [][2]string
		}
		if err := json.Unmarshal([]byte(meta), &m); err != nil || m.Docs != 3 {
			t.Fatalf("search/meta.json = %s (%v), want 3 documents", meta, err)
		}
		var all strings.Builder
		for _, c := range m.Chunks {
			all.WriteString(page(t, pages, "search/c/"+c[1]+".json"))
		}
		return all.String()
	}
	if strings.Contains(chunks(), `"zeppelin"`) {
		t.Fatal("zeppelin indexed before it was written")
	}
	write(t, dir, "plan/phase-2.md", strings.Replace(smallPlan["plan/phase-2.md"], "The body", "A zeppelin in the body", 1))
	if _, err := s.Apply([]string{"plan/phase-2.md"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(chunks(), `"zeppelin"`) {
		t.Error("a word written in a body is not in the search index after the edit")
	}
	// The index was updated with the edited document alone, and is the
	// index a server started now makes from every document.
	if !s.search.updated || s.search.read != 1 {
		t.Errorf("after one edit the search index was updated=%v from %d documents read, want updated from 1", s.search.updated, s.search.read)
	}
	_, fresh := loadSite(t, dir)
	for rel := range s.search.files {
		if got, want := page(t, pages, rel), page(t, fresh, rel); got != want {
			t.Errorf("%s updated differs from one made whole:\n%s\nwant\n%s", rel, got, want)
		}
	}
	// The three documents' fragments share one file.
	if f := page(t, pages, "search/f/0.json"); !strings.Contains(f, "zeppelin") {
		t.Error("no fragment holds the edited text")
	}
}
