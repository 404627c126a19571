package build

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/render"
)

// TestCachedRebuildEqualsColdBuild changes a copy of the real corpus step by
// step — prose, a title, a checkbox, a task's agent, a link, a rename, a
// delete, a new document, an image, the configuration — and after each
// step rebuilds with the cache and compares the site, byte for byte, with a
// build from nothing. A rebuild that changed nothing renders nothing.
func TestCachedRebuildEqualsColdBuild(t *testing.T) {
	src := t.TempDir()
	testcorpus.Replicate(t, testcorpus.MeatyMusic(t), src, 88)
	cacheDir := filepath.Join(t.TempDir(), "cache")
	dest := filepath.Join(t.TempDir(), "public")
	cached := cachedBuild(t, src, dest, cacheDir)
	first := cached()
	if first.Work.Parsed != len(first.Model.Site.Docs) {
		t.Fatalf("first build parsed %d of %d documents", first.Work.Parsed, len(first.Model.Site.Docs))
	}
	same := cached()
	if same.Work.Parsed != 0 || same.Work.Rendered != 0 || same.Stats.Written != 0 {
		t.Errorf("nothing changed, yet the rebuild parsed %d documents, rendered %d pages and wrote %d files",
			same.Work.Parsed, same.Work.Rendered, same.Stats.Written)
	}
	if !same.Fast || same.Model != nil || string(same.Report) != string(first.Report) || same.Docs != first.Docs || same.Pages != first.Pages {
		t.Errorf("nothing changed, yet the rebuild did not take the fast path: fast %v, report %q (was %q), %d documents, %d pages (were %d, %d)",
			same.Fast, same.Report, first.Report, same.Docs, same.Pages, first.Docs, first.Pages)
	}
	sameSite(t, "nothing changed", dest, coldBuild(t, src))

	base := "copy-0000/docs/project_plans/bootstrap-from-meatyprompts/"
	tracker := "copy-0000/.claude/progress/phase-2-infrastructure-preservation-progress.md"
	steps := []struct {
		name   string
		change func()
	}{
		{"prose", func() {
			replaceIn(t, src, base+"phase-2-infrastructure-preservation.md", "works in MeatyMusic context", "works in the MeatyMusic context")
		}},
		{"title", func() {
			replaceIn(t, src, base+"phase-3-domain-model-migration.md", "# Phase 3", "# Phase 3 (renamed)")
		}},
		{"checkbox", func() { replaceIn(t, src, "copy-0001/"+strings.TrimPrefix(tracker, "copy-0000/"), "- [ ]", "- [x]") }},
		{"agent", func() {
			replaceIn(t, src, tracker, "- **Assigned**: python-backend-engineer", "- **Assigned**: data-layer-expert")
		}},
		{"broken link", func() { replaceIn(t, src, base+"phase-5-ui-adaptation.md", "](", "](missing-") }},
		{"rename", func() {
			must(t, os.Rename(filepath.Join(src, filepath.FromSlash(base+"phase-4-workflow-orchestration.md")),
				filepath.Join(src, filepath.FromSlash(base+"phase-4-orchestration.md"))))
		}},
		{"delete", func() { must(t, os.Remove(filepath.Join(src, filepath.FromSlash(base+"phase-1-repository-setup.md")))) }},
		{"new document", func() {
			writeFile(t, src, "copy-0000/notes/phase-9-later.md", "# Phase 9: Later\n\n**Status**: Not Started\n\n![board](board.png)\n\n- [ ] Plan it\n\nSee [phase 2](../docs/project_plans/bootstrap-from-meatyprompts/phase-2-infrastructure-preservation.md).\n")
		}},
		{"image it shows", func() { writeFile(t, src, "copy-0000/notes/board.png", "\x89PNG\r\n\x1a\nnot really") }},
		{"image changed", func() { writeFile(t, src, "copy-0000/notes/board.png", "\x89PNG\r\n\x1a\nanother") }},
		{"configuration", func() { writeFile(t, src, "plansite.toml", "title = \"Replicated plans\"\n") }},
		{"status words", func() {
			writeFile(t, src, "plansite.toml", "title = \"Replicated plans\"\n\n[status]\n\"in progress\" = \"blocked\"\n")
		}},
	}
	for _, st := range steps {
		st.change()
		res := cached()
		if res.Fast {
			t.Fatalf("%s: the rebuild took the fast path", st.name)
		}
		sameSite(t, st.name, dest, coldBuild(t, src))
		// The document changed, and those whose links now render
		// otherwise (a rename breaks the links to the old name).
		if res.Work.Parsed > 10 && st.name != "status words" {
			t.Errorf("%s: the rebuild parsed %d documents", st.name, res.Work.Parsed)
		}
		// The search index is updated with the documents that changed
		// while none is added, removed or moved.
		switch st.name {
		case "prose", "title", "checkbox", "agent", "broken link":
			if res.Work.Indexed == 0 || res.Work.Indexed > 10 {
				t.Errorf("%s: the search index read %d documents", st.name, res.Work.Indexed)
			}
		}
		// Documents are read with the site's status words: new words, a
		// new reading.
		if st.name == "status words" && res.Work.Parsed != len(res.Model.Site.Docs) {
			t.Errorf("%s: the rebuild parsed %d of %d documents", st.name, res.Work.Parsed, len(res.Model.Site.Docs))
		}
	}

	// CI: the cache kept, the destination not: pages come from the cache.
	must(t, os.RemoveAll(dest))
	ci := cached()
	if ci.Fast {
		t.Errorf("empty destination: the rebuild took the fast path")
	}
	sameSite(t, "empty destination", dest, coldBuild(t, src))
	if ci.Work.Parsed != 0 || ci.Work.Rendered != 0 {
		t.Errorf("empty destination, warm cache: parsed %d documents, rendered %d pages", ci.Work.Parsed, ci.Work.Rendered)
	}

	// A damaged cache is a slower build, never a wrong one.
	n := 0
	_ = filepath.WalkDir(cacheDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != "README" {
			if n%3 == 0 {
				must(t, os.WriteFile(p, []byte("plansite-cache 2\ngarbage"), 0o644))
			} else if n%3 == 1 {
				b, _ := os.ReadFile(p)
				b[len(b)-1] ^= 0xff
				must(t, os.WriteFile(p, b, 0o644))
			}
			n++
		}
		return nil
	})
	must(t, os.RemoveAll(dest))
	cached()
	sameSite(t, "damaged cache", dest, coldBuild(t, src))
}

// Two builds at once with one cache (two jobs of one runner, a build
// beside another): both succeed, and a build after them into a new
// destination takes every document and page from the cache and equals a
// build from nothing.
func TestTwoBuildsShareACache(t *testing.T) {
	src := t.TempDir()
	testcorpus.Replicate(t, testcorpus.MeatyMusic(t), src, 60)
	cacheDir := filepath.Join(t.TempDir(), "cache")
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() {
			dest := filepath.Join(t.TempDir(), "public")
			_, errs[i] = Build(Options{Source: src, Dest: dest, Generator: "plansite test", CacheDir: cacheDir, Report: countReport})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	res := cachedBuild(t, src, dest, cacheDir)()
	sameSite(t, "after two builds at once", dest, coldBuild(t, src))
	if res.Work.Parsed != 0 || res.Work.Rendered != 0 {
		t.Errorf("after two builds at once: parsed %d documents, rendered %d pages", res.Work.Parsed, res.Work.Rendered)
	}
}

// cachedBuild is a build of src into dest with the cache at cacheDir.
func cachedBuild(t *testing.T, src, dest, cacheDir string) func() *Result {
	return func() *Result {
		t.Helper()
		res, err := Build(Options{Source: src, Dest: dest, Generator: "plansite test", CacheDir: cacheDir, Report: countReport})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
}

// countReport is a report of the model as a caller might make one: its
// documents and problems.
func countReport(m *Model) []byte {
	return fmt.Appendf(nil, "%d documents, %d problems", len(m.Site.Docs), len(m.Site.Problems))
}

func coldBuild(t *testing.T, src string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: src, Dest: dest, Generator: "plansite test"}); err != nil {
		t.Fatal(err)
	}
	return dest
}

// sameSite fails the test unless the two destinations hold the same files
// with the same bytes.
func sameSite(t *testing.T, step, got, want string) {
	t.Helper()
	g, w := siteFiles(t, got), siteFiles(t, want)
	for rel, wb := range w {
		gb, ok := g[rel]
		switch {
		case !ok:
			t.Errorf("%s: %s missing from the cached build", step, rel)
		case !bytes.Equal(gb, wb):
			t.Errorf("%s: %s differs from a build from nothing", step, rel)
		}
	}
	for rel := range g {
		if _, ok := w[rel]; !ok {
			t.Errorf("%s: %s is in the cached build only", step, rel)
		}
	}
}

func siteFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func replaceIn(t *testing.T, root, rel, old, new string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	must(t, err)
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s lacks %q", rel, old)
	}
	must(t, os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644))
}

func writeFile(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	must(t, os.MkdirAll(filepath.Dir(p), 0o755))
	must(t, os.WriteFile(p, []byte(content), 0o644))
}

// TestCachedConventionsEqualColdBuild rebuilds a copy of the other
// conventions' documents from the cache, after one of them changed, and
// expects the build from nothing, byte for byte.
func TestCachedConventionsEqualColdBuild(t *testing.T) {
	cachedEqualsCold(t, testcorpus.Conventions(t), 68)
}

// TestCachedTrackerEqualsColdBuild does the same on our own tracker, whose
// overview is joined with its plan.
func TestCachedTrackerEqualsColdBuild(t *testing.T) {
	cachedEqualsCold(t, testcorpus.Testdata(t, "tracker"), 8)
}

func cachedEqualsCold(t *testing.T, corpus string, n int) {
	t.Helper()
	src := t.TempDir()
	testcorpus.Replicate(t, corpus, src, n)
	cacheDir := filepath.Join(t.TempDir(), "cache")
	dest := filepath.Join(t.TempDir(), "public")
	for step := range 2 {
		if step == 1 {
			files := markdownFiles(t, src)
			p := filepath.Join(src, filepath.FromSlash(files[len(files)/2]))
			b, err := os.ReadFile(p)
			must(t, err)
			must(t, os.WriteFile(p, append(b, "\n\nEdited.\n"...), 0o644))
		}
		if _, err := Build(Options{Source: src, Dest: dest, Generator: "plansite test", CacheDir: cacheDir}); err != nil {
			t.Fatal(err)
		}
		sameSite(t, filepath.Base(corpus), dest, coldBuild(t, src))
	}
}

// The dashboard is paged; an edit re-renders the page its document's row
// is on (and its plan's pages), and the site is still the one a build from
// nothing makes: a title changed, a box ticked (every page shows the
// site's figures), a status changed (its plan moves up the dashboard), a
// document added to a plan (rows move pages), one removed.
func TestCachedDashboardPagesFollowTheirRows(t *testing.T) {
	src := t.TempDir()
	for p := range 60 {
		for n := 1; n <= 6; n++ {
			writeFile(t, src, fmt.Sprintf("plans/p%02d/phase-%d.md", p, n),
				fmt.Sprintf("# Phase %d: Step %d of plan %d\n\n**Status**: %s\n\n- [x] Begun\n- [ ] Finished\n", n, n, p, []string{"Not Started", "In Progress", "Complete"}[(p+n)%3]))
		}
	}
	cacheDir := filepath.Join(t.TempDir(), "cache")
	dest := filepath.Join(t.TempDir(), "public")
	build := cachedBuild(t, src, dest, cacheDir)
	build()
	if _, err := os.Stat(filepath.Join(dest, "page", "3", "index.html")); err != nil {
		t.Fatalf("the dashboard should run to three pages at least: %v", err)
	}
	steps := []struct {
		name   string
		change func()
	}{
		{"title changed", func() {
			writeFile(t, src, "plans/p31/phase-2.md", "# Phase 2: The second step of plan 31\n\n**Status**: In Progress\n\n- [x] Begun\n- [ ] Finished\n")
		}},
		{"box ticked", func() {
			writeFile(t, src, "plans/p31/phase-2.md", "# Phase 2: Step 2 of plan 31\n\n**Status**: In Progress\n\n- [x] Begun\n- [x] Finished\n")
		}},
		{"status changed", func() {
			writeFile(t, src, "plans/p31/phase-2.md", "# Phase 2: Step 2 of plan 31\n\n**Status**: Blocked\n\n- [x] Begun\n- [ ] Finished\n")
		}},
		{"document added", func() {
			writeFile(t, src, "plans/p07/phase-7.md", "# Phase 7: One more\n\n**Status**: In Progress\n\n- [ ] Do it\n")
		}},
		{"document removed", func() { must(t, os.Remove(filepath.Join(src, "plans", "p50", "phase-6.md"))) }},
	}
	for _, st := range steps {
		st.change()
		res := build()
		sameSite(t, st.name, dest, coldBuild(t, src))
		// The plan's six documents (each shows the others beside it), its
		// plan page and the dashboard page its rows are on.
		if st.name == "title changed" && res.Work.Rendered > 8 {
			t.Errorf("%s: %d pages rendered for one document's title", st.name, res.Work.Rendered)
		}
	}
}

// The feed has a key of its own: an edit that leaves every work-log entry
// as it was (prose elsewhere in a document) leaves the key as it was, so
// the feed is kept, not made again; one that changes an entry changes it.
// The site is the one a build from nothing makes either way.
func TestFeedKeptUntilItsEntriesChange(t *testing.T) {
	src := t.TempDir()
	doc := func(n int, entry, prose string) string {
		return fmt.Sprintf("# Phase %d: Step %d\n\n**Status**: In Progress\n\n%s\n\n- [ ] Do it\n\n## Work Log\n\n**2026-03-0%d 10:00 UTC** - %s\n- Done what was said\n", n, n, prose, n, entry)
	}
	for n := 1; n <= 3; n++ {
		writeFile(t, src, fmt.Sprintf("plans/p/phase-%d.md", n), doc(n, fmt.Sprintf("Entry %d", n), "Begun."))
	}
	cacheDir := filepath.Join(t.TempDir(), "cache")
	dest := filepath.Join(t.TempDir(), "public")
	build := cachedBuild(t, src, dest, cacheDir)
	build()
	first := feedKey(t, src)
	if !strings.Contains(readFileString(t, filepath.Join(dest, "feed.xml")), "Entry 2") {
		t.Fatal("the feed lacks a work-log entry")
	}

	writeFile(t, src, "plans/p/phase-2.md", doc(2, "Entry 2", "Begun, and carried on."))
	build()
	sameSite(t, "prose", dest, coldBuild(t, src))
	if feedKey(t, src) != first {
		t.Error("prose changed, and with it the feed's key: the feed is made again")
	}

	writeFile(t, src, "plans/p/phase-2.md", doc(2, "Entry 2, renamed", "Begun, and carried on."))
	build()
	sameSite(t, "work-log entry", dest, coldBuild(t, src))
	if feedKey(t, src) == first {
		t.Error("a work-log entry changed, yet the feed's key did not")
	}
	if !strings.Contains(readFileString(t, filepath.Join(dest, "feed.xml")), "Entry 2, renamed") {
		t.Error("a work-log entry changed, yet feed.xml shows the old one")
	}
}

// feedKey is the key of the feed of the site at src.
func feedKey(t *testing.T, src string) cache.Key {
	t.Helper()
	cfg, err := config.Load(src)
	must(t, err)
	m, err := Load(src, "", "plansite test", cfg, nil, nil)
	must(t, err)
	rs, err := render.New(m.Site, cfg, m.Resolver, render.Options{})
	must(t, err)
	k, ok := NewKeys(cache.Key{}, m.Site, rs).OwnKeys(m.Site, rs).Of("feed.xml")
	if !ok {
		t.Fatal("the feed has no key of its own")
	}
	return k
}

func readFileString(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	must(t, err)
	return string(b)
}

// The same sources at another path (a CI runner's other workspace, or the
// same directory named relatively) take every document and page from the
// cache, and the site equals a build from nothing.
func TestMovedSourceSharesTheCache(t *testing.T) {
	first, moved := t.TempDir(), t.TempDir()
	testcorpus.Replicate(t, testcorpus.Testdata(t, "tracker"), first, 1)
	testcorpus.Replicate(t, testcorpus.Testdata(t, "tracker"), moved, 1)
	cacheDir := filepath.Join(t.TempDir(), "cache")
	cachedBuild(t, first, filepath.Join(t.TempDir(), "public"), cacheDir)()
	dest := filepath.Join(t.TempDir(), "public")
	res := cachedBuild(t, moved, dest, cacheDir)()
	sameSite(t, "moved source", dest, coldBuild(t, moved))
	if res.Work.Parsed != 0 || res.Work.Rendered != 0 {
		t.Errorf("moved source: parsed %d documents, rendered %d pages", res.Work.Parsed, res.Work.Rendered)
	}
}
