package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDangerousDestinationsRefused(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	src := filepath.Join(home, "repo", "docs")
	os.MkdirAll(src, 0o755)
	link := filepath.Join(t.TempDir(), "to-src")
	if err := os.Symlink(src, link); err != nil {
		t.Fatal(err)
	}
	for dest, why := range map[string]string{
		src:                            "it is the source directory",
		src + "/.":                     "it is the source directory",
		link:                           "it is the source directory",
		filepath.Join(home, "repo"):    "it holds the source directory",
		home:                           "it is your home directory",
		"/":                            "it is the root of the filesystem",
		filepath.Join(src, "..", ".."): "it is your home directory",
	} {
		_, err := New(dest, Options{Source: src, Force: true})
		if err == nil || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), "refusing to build into") {
			t.Errorf("--dest %s: %v, want %q", dest, err, why)
		}
	}
	for _, dest := range []string{filepath.Join(src, "public"), filepath.Join(home, "repo", "public"), filepath.Join(home, "site")} {
		w, err := New(dest, Options{Source: src})
		if err != nil {
			t.Errorf("--dest %s refused: %v", dest, err)
			continue
		}
		w.Abort()
	}
	entries, _ := os.ReadDir(home)
	if len(entries) != 1 {
		t.Errorf("refused builds left %v in the home directory", entries)
	}
}

func TestFirstBuildIntoSomeonesDirectoryRefused(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "docs")
	mine := map[string]string{"index.html": "my own page", "notes.txt": "my notes", "img/logo.png": "png"}
	for rel, data := range mine {
		os.MkdirAll(filepath.Dir(filepath.Join(dest, rel)), 0o755)
		os.WriteFile(filepath.Join(dest, rel), []byte(data), 0o644)
	}
	_, err := New(dest, Options{})
	if !errors.Is(err, ErrNotOurs) || !strings.Contains(err.Error(), "img/, index.html, notes.txt") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("New into a directory plansite did not build: %v", err)
	}
	assertFiles(t, dest, mine)

	// --force: plansite's files replace files of the same path, the rest stay.
	w, err := New(dest, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	w.Write("index.html", []byte("site home"))
	w.Write("plan/index.html", []byte("plan"))
	if _, err := w.Commit("plansite test"); err != nil {
		t.Fatal(err)
	}
	assertFiles(t, dest, map[string]string{"index.html": "site home", "plan/index.html": "plan", "notes.txt": "my notes", "img/logo.png": "png"})
}

func TestNewPageNeverReplacesSomeonesFile(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, map[string]string{"index.html": "v1", "a/index.html": "a1"})
	theirs := map[string]string{"b/index.html": "their page", "c": "their file named c", "CNAME": "plans.example.com"}
	for rel, data := range theirs {
		os.MkdirAll(filepath.Dir(filepath.Join(dest, rel)), 0o755)
		os.WriteFile(filepath.Join(dest, rel), []byte(data), 0o644)
	}
	next := map[string]string{"index.html": "v2", "a/index.html": "a2", "b/index.html": "new b", "c/index.html": "new c"}
	w, err := New(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for rel, data := range next {
		w.Write(rel, []byte(data))
	}
	_, err = w.Commit("plansite test")
	if !errors.Is(err, ErrNotOurs) || !strings.Contains(err.Error(), "2 files") || !strings.Contains(err.Error(), "b/index.html, c;") {
		t.Fatalf("commit over someone's files: %v", err)
	}
	// Nothing changed: the old site, their files byte for byte.
	assertFiles(t, dest, map[string]string{"index.html": "v1", "a/index.html": "a1", "b/index.html": "their page", "c": "their file named c", "CNAME": "plans.example.com"})
	assertNoLeftovers(t, dest)

	w, _ = New(dest, Options{Force: true})
	for rel, data := range next {
		w.Write(rel, []byte(data))
	}
	if _, err := w.Commit("plansite test"); err != nil {
		t.Fatal(err)
	}
	assertFiles(t, dest, map[string]string{"index.html": "v2", "b/index.html": "new b", "c/index.html": "new c", "CNAME": "plans.example.com"})
}

// Where two directories cannot be swapped, files are moved one by one, with
// the same refusals and the same result.
func TestCommitWithoutSwap(t *testing.T) {
	exchangeDirs = func(a, b string) error { return errors.ErrUnsupported }
	defer func() { exchangeDirs = exchange }()
	TestRebuildRewritesOnlyChangesAndKeepsForeignFiles(t)
	TestEditedStaleFileIsKept(t)
	TestNewPageNeverReplacesSomeonesFile(t)
}

func TestInterruptedBuildsLeftoversRemoved(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	build(t, dest, map[string]string{"index.html": "v1"})
	// What a build killed before or after its swap leaves: a staging
	// directory, whole or holding the old site.
	for _, name := range []string{stagingPrefix + "public-123", stagingPrefix + "public-456"} {
		os.MkdirAll(filepath.Join(parent, name, "a"), 0o755)
		os.WriteFile(filepath.Join(parent, name, "a", "index.html"), []byte("x"), 0o644)
	}
	// A build running into another destination beside it keeps its own.
	running, err := New(filepath.Join(parent, "other"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer running.Abort()
	build(t, dest, map[string]string{"index.html": "v2"})
	entries, _ := os.ReadDir(parent)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 3 || names[0] != filepath.Base(spareOf(dest)) || names[1] != filepath.Base(running.staging) || names[2] != "public" {
		t.Errorf("beside the site after a build: %v, want its spare, the running build's staging and public", names)
	}
}

func assertFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, want := range files {
		if got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel))); err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want %q", rel, got, err, want)
		}
	}
}

// assertNoLeftovers fails when anything but the site and its spare is
// beside it.
func assertNoLeftovers(t *testing.T, dest string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Dir(dest))
	for _, e := range entries {
		if e.Name() != filepath.Base(dest) && e.Name() != filepath.Base(spareOf(dest)) {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

// A rebuild that changes nothing leaves the directory itself in place.
func TestUnchangedRebuildSwapsNothing(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	site := map[string]string{"index.html": "home", "a/index.html": "a"}
	build(t, dest, site)
	before, _ := os.Stat(dest)
	if st := build(t, dest, site); st.Written != 0 || st.Unchanged != 2 {
		t.Errorf("stats %+v", st)
	}
	after, _ := os.Stat(dest)
	if !os.SameFile(before, after) {
		t.Error("the destination was swapped for an identical one")
	}
	assertNoLeftovers(t, dest)
}
