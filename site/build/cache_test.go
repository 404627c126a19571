package build

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
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
	cached := func() *Result {
		t.Helper()
		res, err := Build(Options{Source: src, Dest: dest, Generator: "plansite test", CacheDir: cacheDir})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := cached()
	if first.Work.Parsed != len(first.Model.Site.Docs) {
		t.Fatalf("first build parsed %d of %d documents", first.Work.Parsed, len(first.Model.Site.Docs))
	}
	same := cached()
	if same.Work.Parsed != 0 || same.Work.Rendered != 0 || same.Stats.Written != 0 {
		t.Errorf("nothing changed, yet the rebuild parsed %d documents, rendered %d pages and wrote %d files",
			same.Work.Parsed, same.Work.Rendered, same.Stats.Written)
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
		sameSite(t, st.name, dest, coldBuild(t, src))
		// The document changed, and those whose links now render
		// otherwise (a rename breaks the links to the old name).
		if res.Work.Parsed > 10 && st.name != "status words" {
			t.Errorf("%s: the rebuild parsed %d documents", st.name, res.Work.Parsed)
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
