package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file streamed (Create) and one written whole are hashed alike, and as
// the manifest says.
func TestStreamedAndWrittenFilesHashAlike(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	w, err := New(dest, Options{})
	must(t, err)
	data := strings.Repeat("plan ", 100000)
	f, err := w.Create("plan.json")
	must(t, err)
	for i := 0; i < len(data); i += 4096 {
		_, err := f.Write([]byte(data[i:min(i+4096, len(data))]))
		must(t, err)
	}
	must(t, f.Close())
	must(t, w.Write("copy.json", []byte(data)))
	if w.Made("plan.json") != HashOf([]byte(data)) || w.Made("copy.json") != HashOf([]byte(data)) {
		t.Errorf("streamed %s, written %s, want both %s", w.Made("plan.json"), w.Made("copy.json"), HashOf([]byte(data)))
	}
	_, err = w.Commit("plansite test")
	must(t, err)
	m, ok := readManifest(dest)
	if !ok || m.Hash != hashKind || m.Files["plan.json"] != HashOf([]byte(data)) {
		t.Errorf("manifest hash %q, plan.json %q; want %q, %q", m.Hash, m.Files["plan.json"], hashKind, HashOf([]byte(data)))
	}
}

// oldManifest rewrites dest's manifest as builds before its "hash" field
// wrote it: every file's sha256.
func oldManifest(t *testing.T, dest string) {
	t.Helper()
	m, ok := readManifest(dest)
	if !ok {
		t.Fatal("no manifest")
	}
	for rel := range m.Files {
		b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(rel)))
		must(t, err)
		sum := sha256.Sum256(b)
		m.Files[rel] = hex.EncodeToString(sum[:])
	}
	b, err := json.Marshal(struct {
		Generator string            `json:"generator"`
		Files     map[string]string `json:"files"`
	}{m.Generator, m.Files})
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dest, ManifestName), b, 0o644))
}

// A site whose manifest an older build wrote, hashing with sha256, is
// still known file by file: a stale page of its own is removed, an edited
// one kept, someone's file neither replaced nor removed, and the new
// manifest hashes the new way. Through the spare and without it.
func TestOldManifestIsUnderstood(t *testing.T) {
	for _, withSpare := range []bool{true, false} {
		dest := filepath.Join(t.TempDir(), "public")
		build(t, dest, map[string]string{"index.html": "home", "a/index.html": "a", "stale/index.html": "stale", "edited/index.html": "edited"})
		oldManifest(t, dest)
		if !withSpare {
			must(t, os.RemoveAll(spareOf(dest)))
		}
		must(t, os.WriteFile(filepath.Join(dest, "edited", "index.html"), []byte("mine now"), 0o644))
		must(t, os.WriteFile(filepath.Join(dest, "CNAME"), []byte("plans.example.com"), 0o644))

		w, err := New(dest, Options{})
		must(t, err)
		if w.Keep("a/index.html", w.Wrote("a/index.html")) {
			t.Error("a file was kept by a hash of the old kind")
		}
		must(t, w.Write("CNAME", []byte("mine")))
		if _, err := w.Commit("plansite test"); err == nil {
			t.Errorf("spare=%v: a build replaced someone's file listed in no manifest", withSpare)
		}
		site := map[string]string{"index.html": "home 2", "a/index.html": "a"}
		st := build(t, dest, site)
		if st.Removed != 1 {
			t.Errorf("spare=%v: %d files removed, want the stale page", withSpare, st.Removed)
		}
		assertFiles(t, dest, map[string]string{"index.html": "home 2", "a/index.html": "a", "edited/index.html": "mine now", "CNAME": "plans.example.com"})
		if _, err := os.Stat(filepath.Join(dest, "stale")); !os.IsNotExist(err) {
			t.Errorf("spare=%v: the stale page of plansite's own is there (%v)", withSpare, err)
		}
		m, _ := readManifest(dest)
		if m.Hash != hashKind || len(m.Files) != len(site) {
			t.Errorf("spare=%v: the new manifest hashes %q, lists %v", withSpare, m.Hash, m.Files)
		}
		for rel, data := range site {
			if m.Files[rel] != HashOf([]byte(data)) {
				t.Errorf("spare=%v: %s listed %s, want %s", withSpare, rel, m.Files[rel], HashOf([]byte(data)))
			}
		}
	}
}

// A manifest hashed a way this program does not know (a later version's)
// still says which files plansite wrote, but not whether they were edited
// since: a stale one is kept, as if edited, and nothing is replaced
// unseen.
func TestManifestOfUnknownHashKeepsStaleFiles(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, map[string]string{"a/index.html": "a", "stale/index.html": "stale"})
	m, _ := readManifest(dest)
	m.Hash = "xxh3-from-later"
	b, err := json.Marshal(m)
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dest, ManifestName), b, 0o644))
	st := build(t, dest, map[string]string{"a/index.html": "a"})
	if st.Removed != 0 || st.Written != 1 {
		t.Errorf("stats %+v, want the page written again and nothing removed", st)
	}
	assertFiles(t, dest, map[string]string{"a/index.html": "a", "stale/index.html": "stale"})
	if m, _ := readManifest(dest); m.Hash != hashKind {
		t.Errorf("the new manifest hashes %q", m.Hash)
	}
}
