package output

import (
	"os"
	"path/filepath"
	"testing"
)

func build(t *testing.T, dest string, files map[string]string) Stats {
	t.Helper()
	w, err := New(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for rel, data := range files {
		if err := w.Write(rel, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit("plansite test")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRebuildRewritesOnlyChangesAndKeepsForeignFiles(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if st := build(t, dest, map[string]string{"index.html": "home", "a/index.html": "a", "old/index.html": "old"}); st.Written != 3 {
		t.Fatalf("first build wrote %d files", st.Written)
	}
	// Someone else's file, and an edit to a file plansite wrote.
	if err := os.WriteFile(filepath.Join(dest, "CNAME"), []byte("plans.example.com"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(filepath.Join(dest, "a", "index.html"))
	st := build(t, dest, map[string]string{"index.html": "home 2", "a/index.html": "a"})
	if st.Written != 1 || st.Unchanged != 1 || st.Removed != 1 {
		t.Errorf("rebuild stats %+v, want 1 written, 1 unchanged, 1 removed", st)
	}
	after, _ := os.Stat(filepath.Join(dest, "a", "index.html"))
	if !after.ModTime().Equal(before.ModTime()) {
		t.Error("unchanged file was rewritten")
	}
	if read(t, filepath.Join(dest, "CNAME")) != "plans.example.com" {
		t.Error("file plansite did not write was touched")
	}
	if _, err := os.Stat(filepath.Join(dest, "old")); !os.IsNotExist(err) {
		t.Error("stale page of plansite's own not removed")
	}
}

// A page plansite still makes, edited by hand in the output, is made again
// (same size or not): a rebuild is not fooled by the manifest.
func TestEditedOutputIsWrittenAgain(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, map[string]string{"a/index.html": "plan", "b/index.html": "page"})
	for rel, edit := range map[string]string{"a/index.html": "PLAN", "b/index.html": "a longer page"} {
		if err := os.WriteFile(filepath.Join(dest, filepath.FromSlash(rel)), []byte(edit), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st := build(t, dest, map[string]string{"a/index.html": "plan", "b/index.html": "page"})
	if st.Written != 2 || st.Unchanged != 0 {
		t.Errorf("stats %+v, want both written again", st)
	}
	if read(t, filepath.Join(dest, "a", "index.html")) != "plan" || read(t, filepath.Join(dest, "b", "index.html")) != "page" {
		t.Error("an edited output file was not restored")
	}
}

func TestEditedStaleFileIsKept(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, map[string]string{"notes.html": "generated"})
	if err := os.WriteFile(filepath.Join(dest, "notes.html"), []byte("hand edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	build(t, dest, map[string]string{"index.html": "home"})
	if read(t, filepath.Join(dest, "notes.html")) != "hand edited" {
		t.Error("a file edited by hand since plansite wrote it was deleted")
	}
}

func TestAbortLeavesPreviousSite(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, map[string]string{"index.html": "v1"})
	w, err := New(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write("index.html", []byte("half of v2")); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	if read(t, filepath.Join(dest, "index.html")) != "v1" {
		t.Error("aborted build changed the site")
	}
	assertNoLeftovers(t, dest)
}

func TestWriteRejectsPathsOutsideTheSite(t *testing.T) {
	w, err := New(filepath.Join(t.TempDir(), "public"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, p := range []string{"../escape.html", "/../../etc/x", ManifestName} {
		if err := w.Write(p, []byte("x")); err == nil {
			t.Errorf("Write(%q) accepted", p)
		}
	}
}

func TestFirstBuildMovesIntoPlace(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	w, err := New(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write("a/index.html", []byte("a")); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(w.Scratch(), "spool"), []byte("x"), 0o644)
	if _, err := w.Commit("plansite test"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dest)
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("dest mode %v, %v", fi.Mode(), err)
	}
	if read(t, filepath.Join(dest, "a", "index.html")) != "a" {
		t.Error("page missing")
	}
	if _, err := os.Stat(filepath.Join(dest, ".scratch")); !os.IsNotExist(err) {
		t.Error("scratch files reached the site")
	}
	if _, err := os.Stat(filepath.Join(dest, ManifestName)); err != nil {
		t.Error("no manifest")
	}
	// And the next build sees its own files.
	if st := build(t, dest, map[string]string{"a/index.html": "a"}); st.Unchanged != 1 || st.Written != 0 {
		t.Errorf("second build %+v", st)
	}
}
