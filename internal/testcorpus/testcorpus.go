// Package testcorpus finds the real plan documents tests read
// (../shared/corpus beside the repository), the repository's own example
// content, and its own testdata.
//
// The shared corpora exist on the team's machines and in CI, not in a
// clone with nothing beside it. Tests that need them skip with one line
// saying so, unless PLANSITE_CORPUS=required (set by .ci/run), which turns
// a missing corpus into a failure so a green CI run always read it.
package testcorpus

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// RequiredEnv names the variable that makes the shared corpora mandatory.
const RequiredEnv = "PLANSITE_CORPUS"

// Root is the repository root: the nearest directory above the test's
// working directory that holds go.mod.
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// shared returns ../shared/corpus/<name>, skipping the test when it is
// absent (failing it when RequiredEnv is "required").
func shared(tb testing.TB, name string) string {
	tb.Helper()
	dir := filepath.Join(Root(tb), "..", "shared", "corpus", name)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv(RequiredEnv) == "required" {
			tb.Fatalf("corpus %s not found at %s (%s=required): %v", name, dir, RequiredEnv, err)
		}
		tb.Skipf("needs ../shared/corpus/%s beside the repository (set %s=required to fail instead)", name, RequiredEnv)
	}
	return dir
}

// MeatyMusic is the directory of the real MeatyMusic-style trackers.
func MeatyMusic(tb testing.TB) string {
	tb.Helper()
	return shared(tb, "meatymusic")
}

// Conventions is the directory of real documents in the other conventions
// (spec-kit, Kiro, GSD, BMAD, ADRs, roadmaps); its MANIFEST.md describes
// how a person reads each.
func Conventions(tb testing.TB) string {
	tb.Helper()
	return shared(tb, "conventions")
}

// Content is the repository's own example plan.
func Content(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(Root(tb), "content")
}

// Testdata is the repository's own documents (testdata/ at the root),
// written by us, so that a clone with nothing beside it has plans to read.
func Testdata(tb testing.TB, elem ...string) string {
	tb.Helper()
	return filepath.Join(append([]string{Root(tb), "testdata"}, elem...)...)
}

// Replicate copies the Markdown documents under corpus into dst, whole
// copies in directories of their own (copy-0000, copy-0001, …, so their
// links resolve), until dst holds n documents: the large sites speed is
// measured on.
func Replicate(tb testing.TB, corpus, dst string, n int) {
	tb.Helper()
	var files []string
	_ = filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".md" {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		tb.Fatalf("no Markdown documents under %s", corpus)
	}
	data := make(map[string][]byte, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		data[f] = b
	}
	for i := range n {
		f := files[i%len(files)]
		rel, _ := filepath.Rel(corpus, f)
		p := filepath.Join(dst, fmt.Sprintf("copy-%04d", i/len(files)), rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, data[f], 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
