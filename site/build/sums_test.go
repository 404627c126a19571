package build

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/source"
)

// A document whose size, times and inode are as the last build saw them is
// not read again; one changed in any of them is, even when its size and
// modification time were put back as they were.
func TestSumsReadOnlyChangedDocuments(t *testing.T) {
	defer func(w time.Duration) { racyWindow = w }(racyWindow)
	racyWindow = 0
	src := t.TempDir()
	for _, name := range []string{"a.md", "b.md", "c.md"} {
		must(t, os.WriteFile(filepath.Join(src, name), []byte("# "+name+"\n"), 0o644))
	}
	time.Sleep(20 * time.Millisecond) // past the file system's clock tick
	tree, err := source.Walk(src, filepath.Join(t.TempDir(), "public"), nil)
	must(t, err)
	_, known := sums(tree, nil)
	if len(known) != 3 {
		t.Fatalf("knows %d files, want 3", len(known))
	}
	// What the record says is taken as it is: a wrong hash shows it was not
	// read.
	for rel, f := range known {
		f.Sum = "recorded " + rel
		known[rel] = f
	}
	// b.md rewritten at the same size, its time set back.
	b := filepath.Join(src, "b.md")
	fi, err := os.Stat(b)
	must(t, err)
	must(t, os.WriteFile(b, []byte("# B.md\n"), 0o644))
	must(t, os.Chtimes(b, fi.ModTime(), fi.ModTime()))
	got, _ := sums(tree, known)
	want := map[string]string{"a.md": "recorded a.md", "c.md": "recorded c.md"}
	sum := sha256.Sum256([]byte("# B.md\n"))
	want["b.md"] = hex.EncodeToString(sum[:])
	for i, rel := range tree.Docs {
		if got[i] != want[rel] {
			t.Errorf("%s: hash %q, want %q", rel, got[i], want[rel])
		}
	}
}

// A document changed just before the build is hashed again next time: its
// times cannot vouch for it.
func TestSumsDoNotTrustFreshFiles(t *testing.T) {
	src := t.TempDir()
	must(t, os.WriteFile(filepath.Join(src, "a.md"), []byte("# a\n"), 0o644))
	tree, err := source.Walk(src, filepath.Join(t.TempDir(), "public"), nil)
	must(t, err)
	if _, known := sums(tree, nil); len(known) != 0 {
		t.Errorf("a file written now is known: %v", known)
	}
}

// A first build, which hashes each document as it reads it rather than
// before, still leaves the record of every document's file, so the next
// build does not read them again.
func TestFirstBuildRecordsTheDocumentFiles(t *testing.T) {
	defer func(w time.Duration) { racyWindow = w }(racyWindow)
	racyWindow = 0
	src := t.TempDir()
	docs := map[string]string{"a.md": "# A\n", "plans/b.md": "# B\n\n- [x] done\n"}
	for rel, body := range docs {
		writeFile(t, src, rel, body)
	}
	time.Sleep(20 * time.Millisecond) // past the file system's clock tick
	cacheDir := filepath.Join(t.TempDir(), "cache")
	res := cachedBuild(t, src, filepath.Join(t.TempDir(), "public"), cacheDir)()
	if res.Work.Parsed != len(docs) {
		t.Fatalf("parsed %d documents, want %d", res.Work.Parsed, len(docs))
	}
	c, err := cache.Open(cacheDir)
	must(t, err)
	defer c.Close()
	e := &engine{opts: Options{Source: src}, cache: c}
	known := e.lastDocFiles()
	for rel, body := range docs {
		sum := sha256.Sum256([]byte(body))
		if got := known[rel].Sum; got != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: recorded hash %q, want its content's", rel, got)
		}
	}
}
