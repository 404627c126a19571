package serve

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/plansite/plansite/internal/testfs"
	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/plan"
)

// TestUnreadableDocumentAsBuildReportsIt gives serve what build reports as
// unreadable — a FIFO named like a document, and a document nobody may
// read — and expects the same problems, no page for either, the rest of
// the site served, and neither load nor an edit blocked.
func TestUnreadableDocumentAsBuildReportsIt(t *testing.T) {
	dir := writeTree(t, smallPlan)
	if err := testfs.MakeFIFO(filepath.Join(dir, "plan", "pipe.md")); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	secret := filepath.Join(dir, "plan", "secret.md")
	write(t, dir, "plan/secret.md", "# Secret\n")
	if err := os.Chmod(secret, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := os.ReadFile(secret); err == nil {
		t.Log("running as a user who reads any file: only the FIFO is unreadable")
	}
	dest := filepath.Join(t.TempDir(), "public")
	built, err := build.Build(build.Options{Source: dir, Dest: dest, Generator: "plansite test"})
	if err != nil {
		t.Fatal(err)
	}
	want := unreadable(built.Model.Site)
	if !slices.Contains(want, "plan/pipe.md") {
		t.Fatalf("build does not report the FIFO unreadable: %v", want)
	}

	var s *Site
	var pages *Pages
	within(t, "loading a tree with a FIFO", func() { s, pages = loadSite(t, dir) })
	if got := unreadable(s.model); !slices.Equal(got, want) {
		t.Errorf("serve reports %v unreadable, build %v", got, want)
	}
	if pages.Has("plan/pipe/index.html") {
		t.Error("the FIFO has a page")
	}
	// The document nobody may read has a page only where build made one.
	if p := "plan/secret/index.html"; pages.Has(p) != fileExists(filepath.Join(dest, p)) {
		t.Errorf("%s: served %v, built %v", p, pages.Has(p), fileExists(filepath.Join(dest, p)))
	}
	if !pages.Has("plan/phase-1/index.html") {
		t.Error("the readable documents' pages are missing")
	}
	// An event on the FIFO (touched, replaced) reads it again: it must not
	// block either, and it stays reported.
	within(t, "applying a change to the FIFO", func() {
		if _, err := s.Apply([]string{"plan/pipe.md"}); err != nil {
			t.Fatal(err)
		}
	})
	if got := unreadable(s.model); !slices.Equal(got, want) {
		t.Errorf("after an event on the FIFO serve reports %v unreadable, build %v", got, want)
	}
	// Made readable, it becomes a document with a page, as in a new build.
	if err := os.Remove(filepath.Join(dir, "plan", "pipe.md")); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "plan/pipe.md", "# Pipe\n\nNow a document.\n")
	if _, err := s.Apply([]string{"plan/pipe.md"}); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(unreadable(s.model), "plan/pipe.md") || !pages.Has("plan/pipe/index.html") {
		t.Error("the FIFO replaced by a document: still unreadable, or no page")
	}
}

// unreadable lists the sources a site reports unreadable.
func unreadable(site *plan.Site) []string {
	var out []string
	for _, p := range site.Problems {
		if p.Code == "unreadable" {
			out = append(out, p.Source)
		}
	}
	slices.Sort(out)
	return out
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// within fails the test when f has not returned after ten seconds (a read
// blocked on a FIFO never would).
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still blocked after ten seconds", what)
	}
}
