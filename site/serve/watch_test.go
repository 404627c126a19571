package serve

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// nextBatch waits (generously: a loaded machine is slow) for a batch.
func nextBatch(t *testing.T, w Watcher) []string {
	t.Helper()
	select {
	case b := <-w.Batches():
		return b
	case <-time.After(10 * time.Second):
		t.Fatal("no batch")
		return nil
	}
}

// noBatch checks nothing more arrives for a while.
func noBatch(t *testing.T, w Watcher) {
	t.Helper()
	select {
	case b := <-w.Batches():
		t.Fatalf("unexpected batch %v", b)
	case <-time.After(300 * time.Millisecond):
	}
}

func startWatch(t *testing.T, dir string) *FSWatcher {
	t.Helper()
	// A batch window wide enough that one save's events stay together even
	// on a loaded machine (given before the watcher's loop reads it).
	w, err := watchFS(dir, 100*time.Millisecond, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func TestWatchAtomicSaveIsOneBatch(t *testing.T) {
	dir := writeTree(t, smallPlan)
	w := startWatch(t, dir)
	// An editor's atomic save: write a temp file, rename it over the document.
	tmp := filepath.Join(dir, "plan", ".phase-1.md.swp")
	if err := os.WriteFile(tmp, []byte("# Phase 1: Changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "plan", "phase-1.md")); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(filepath.Join(dir, "plan", "phase-1.md"), 0o600)
	if got := nextBatch(t, w); !slices.Equal(got, []string{"plan/phase-1.md"}) {
		t.Errorf("batch %v, want just the document", got)
	}
	noBatch(t, w)
}

func TestWatchIgnoresSwapFilesAndChmod(t *testing.T) {
	dir := writeTree(t, smallPlan)
	w := startWatch(t, dir)
	for _, name := range []string{".phase-1.md.swp", "phase-1.md~", ".#phase-1.md", "4913", "x.tmp", "phase-1.md___jb_tmp___"} {
		write(t, dir, "plan/"+name, "junk")
	}
	write(t, dir, "node_modules/x/README.md", "# x\n")
	if err := os.Chmod(filepath.Join(dir, "README.md"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A real change afterwards, to know the junk was seen and dropped.
	write(t, dir, "plan/phase-2.md", "# changed\n")
	got := nextBatch(t, w)
	if !slices.Equal(got, []string{"plan/phase-2.md"}) {
		t.Errorf("batch %v, want only the real change", got)
	}
}

func TestWatchPicksUpNewDirectories(t *testing.T) {
	dir := writeTree(t, smallPlan)
	w := startWatch(t, dir)
	if err := os.MkdirAll(filepath.Join(dir, "new", "deep"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "new/deep/a.md", "# A\n")
	got := nextBatch(t, w)
	if !slices.Contains(got, "new") {
		t.Errorf("first batch %v lacks the new directory", got)
	}
	// Once the directory is watched, changes inside it are seen.
	write(t, dir, "new/deep/b.md", "# B\n")
	for !slices.Contains(got, "new/deep/b.md") {
		got = nextBatch(t, w)
	}
}

func TestPollerSeesChanges(t *testing.T) {
	dir := writeTree(t, smallPlan)
	p, err := Poll(dir, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	write(t, dir, "plan/phase-3.md", "# Phase 3\n")
	write(t, dir, "plan/.phase-3.md.swp", "junk")
	if err := os.Remove(filepath.Join(dir, "plan", "phase-2.md")); err != nil {
		t.Fatal(err)
	}
	var seen []string
	for !slices.Contains(seen, "plan/phase-3.md") || !slices.Contains(seen, "plan/phase-2.md") {
		seen = append(seen, nextBatch(t, p)...)
	}
	if slices.Contains(seen, "plan/.phase-3.md.swp") {
		t.Errorf("swap file reported: %v", seen)
	}
}
