package serve

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/output"
)

// TestServeEqualsBuild keeps a copy of the real corpus in serve while it
// is edited, renamed and deleted from, and after each change builds the
// same tree with plansite build: every page serve holds is the page build
// writes (readable, as serve shows it), and there are no others. What only
// serving adds — the live-reload script, assets at plain names — is taken
// out before comparing.
func TestServeEqualsBuild(t *testing.T) {
	dir := t.TempDir()
	testcorpus.Replicate(t, testcorpus.MeatyMusic(t), dir, 88)
	s, pages := loadSite(t, dir)
	base := "copy-0000/docs/project_plans/bootstrap-from-meatyprompts/"
	tracker := "copy-0001/.claude/progress/phase-2-infrastructure-preservation-progress.md"
	steps := []struct {
		name    string
		changed []string
		change  func()
	}{
		{"prose", []string{base + "phase-2-infrastructure-preservation.md"}, func() {
			replaceIn(t, dir, base+"phase-2-infrastructure-preservation.md", "works in MeatyMusic context", "works in the MeatyMusic context")
		}},
		{"title", []string{base + "phase-3-domain-model-migration.md"}, func() {
			replaceIn(t, dir, base+"phase-3-domain-model-migration.md", "# Phase 3", "# Phase 3 (renamed)")
		}},
		{"checkbox and agent", []string{tracker}, func() {
			replaceIn(t, dir, tracker, "- [ ]", "- [x]")
			replaceIn(t, dir, tracker, "- **Assigned**: python-backend-engineer", "- **Assigned**: data-layer-expert")
		}},
		{"rename", []string{base + "phase-4-workflow-orchestration.md", base + "phase-4-orchestration.md"}, func() {
			if err := os.Rename(filepath.Join(dir, filepath.FromSlash(base+"phase-4-workflow-orchestration.md")),
				filepath.Join(dir, filepath.FromSlash(base+"phase-4-orchestration.md"))); err != nil {
				t.Fatal(err)
			}
		}},
		{"delete", []string{base + "phase-1-repository-setup.md"}, func() {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(base+"phase-1-repository-setup.md"))); err != nil {
				t.Fatal(err)
			}
		}},
		{"new directory", []string{"copy-0000/notes"}, func() {
			write(t, dir, "copy-0000/notes/phase-9-later.md", "# Phase 9: Later\n\n**Status**: Not Started\n\n![board](board.png)\n\n- [ ] Plan it\n\n"+
				"See [phase 2](../docs/project_plans/bootstrap-from-meatyprompts/phase-2-infrastructure-preservation.md) and [the old phase 4](../docs/project_plans/bootstrap-from-meatyprompts/phase-4-workflow-orchestration.md).\n")
			write(t, dir, "copy-0000/notes/board.png", "\x89PNG\r\n\x1a\nnot really")
		}},
	}
	for _, st := range steps {
		st.change()
		if _, err := s.Apply(st.changed); err != nil {
			t.Fatal(err)
		}
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := build.Build(build.Options{Source: dir, Dest: dest, NoMinify: true, Generator: "plansite test"}); err != nil {
			t.Fatal(err)
		}
		sameAsBuilt(t, st.name, pages, dest)
	}
}

func replaceIn(t *testing.T, dir, rel, old, new string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s lacks %q", rel, old)
	}
	write(t, dir, rel, strings.Replace(string(b), old, new, 1))
}

// fingerprintRe is a built asset's fingerprint: /assets/main.0123456789.css.
var fingerprintRe = regexp.MustCompile(`(assets/[^"'/\s]+?)\.[0-9a-f]{10}(\.[a-z]+)`)

// sameAsBuilt compares the pages served with the site built into dest.
func sameAsBuilt(t *testing.T, step string, pages *Pages, dest string) {
	t.Helper()
	built := map[string][]byte{}
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		if rel == output.ManifestName {
			return nil
		}
		b, err := os.ReadFile(p)
		built[fingerprintRe.ReplaceAllString(rel, "$1$2")] = fingerprintRe.ReplaceAll(b, []byte("$1$2"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for rel := range built {
		want = append(want, rel)
	}
	slices.Sort(want)
	// Every page serve lists is built; every built page serve answers
	// (the search index it makes when asked for, so it is not listed).
	if extra := minus(pages.List(), want); len(extra) > 0 {
		t.Fatalf("%s: served but not built: %v", step, extra)
	}
	for _, rel := range want {
		served, ok, err := pages.Get(rel)
		if err != nil || !ok {
			t.Fatalf("%s: %s: served %v, %v", step, rel, ok, err)
		}
		if rel == "plan.json" { // indented differently: the same model
			var a, b any
			if json.Unmarshal(served, &a) != nil || json.Unmarshal(built[rel], &b) != nil || !reflect.DeepEqual(a, b) {
				t.Errorf("%s: plan.json differs", step)
			}
			continue
		}
		served = bytes.ReplaceAll(served, []byte("<script>live</script>"), nil)
		if !bytes.Equal(served, built[rel]) {
			t.Errorf("%s: %s served differs from %s built", step, rel, rel)
		}
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
