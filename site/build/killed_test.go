package build

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// A build stopped after it staged the site but before its commit leaves the
// last site in the destination and its own records in the cache. The next
// build must read the destination as it is: plan.json copied from the last
// one at the stopped build's offsets mixed revisions (and could cut JSON).
func TestBuildStoppedBeforeCommitLeavesNoMix(t *testing.T) {
	src := t.TempDir()
	cacheDir := filepath.Join(t.TempDir(), "cache")
	dest := filepath.Join(t.TempDir(), "public")
	const docs = 40
	revise := func(rev int) {
		for i := range docs {
			p := filepath.Join(src, fmt.Sprintf("plan-%d", i%4), fmt.Sprintf("phase-%d-step.md", i))
			must(t, os.MkdirAll(filepath.Dir(p), 0o755))
			// The revision changes the length of every document, so the
			// offsets of one plan.json are wrong in the other.
			body := fmt.Sprintf("# Phase %d: Step (rev %d)\n\n**Status**: In Progress\n\n## Tasks\n\n- [x] one\n- [ ] two%s\n", i, rev, fmt.Sprint(make([]int, rev)))
			must(t, os.WriteFile(p, []byte(body), 0o644))
		}
	}
	build := cachedBuild(t, src, dest, cacheDir)
	revise(0)
	build()
	revise(1)
	beforeCommit = func() error { return errors.New("stopped before the commit") }
	_, err := Build(Options{Source: src, Dest: dest, Generator: "plansite test", CacheDir: cacheDir, Report: countReport})
	beforeCommit = func() error { return nil }
	if err == nil {
		t.Fatal("the stopped build reported no error")
	}
	if revs := planRevisions(t, dest); len(revs) != 1 || !revs["0"] {
		t.Fatalf("after the stopped build plan.json shows revisions %v, want the last site's (0) alone", revs)
	}
	build()
	if revs := planRevisions(t, dest); len(revs) != 1 || !revs["1"] {
		t.Errorf("after a whole build plan.json shows revisions %v, want 1 alone", revs)
	}
	sameSite(t, "after a stopped build", dest, coldBuild(t, src))
}

var revRe = regexp.MustCompile(`\(rev (\d+)\)`)

// planRevisions are the revisions plan.json's documents show; it must
// parse as JSON.
func planRevisions(t *testing.T, dest string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, "plan.json"))
	must(t, err)
	if !json.Valid(b) {
		t.Fatalf("plan.json is not JSON")
	}
	revs := map[string]bool{}
	for _, m := range revRe.FindAllSubmatch(b, -1) {
		revs[string(m[1])] = true
	}
	return revs
}
