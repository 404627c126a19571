package source

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func symlink(t *testing.T, target, p string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.Symlink(target, p); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}

func TestReadFileStaysInsideRoot(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644)
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "docs"), 0o755)
	os.WriteFile(filepath.Join(root, "docs", "a.md"), []byte("# A\n"), 0o644)
	symlink(t, filepath.Join(outside, "secret"), filepath.Join(root, "docs", "abs-out.md"))
	symlink(t, "../../"+filepath.Base(outside)+"/secret", filepath.Join(root, "docs", "rel-out.md"))
	symlink(t, outside, filepath.Join(root, "dir-out"))
	symlink(t, "a.md", filepath.Join(root, "docs", "rel-in.md"))
	symlink(t, filepath.Join(root, "docs", "a.md"), filepath.Join(root, "docs", "abs-in.md"))

	for _, rel := range []string{"docs/abs-out.md", "docs/rel-out.md", "dir-out/secret"} {
		if b, err := ReadFile(root, rel, 0); err == nil {
			t.Errorf("%s: read %q through a link outside the root", rel, b)
		}
	}
	if _, err := ReadFile(root, "docs/abs-out.md", 0); !errors.Is(err, ErrOutside) {
		t.Errorf("absolute link outside: %v, want ErrOutside", err)
	}
	for _, rel := range []string{"docs/a.md", "docs/rel-in.md", "docs/abs-in.md"} {
		if b, err := ReadFile(root, rel, 0); err != nil || string(b) != "# A\n" {
			t.Errorf("%s: %q, %v; want the file inside the root", rel, b, err)
		}
	}
	if _, err := ReadFile(root, "docs/a.md", 2); err == nil {
		t.Error("a file over the limit was read")
	}
	if _, err := ReadFile(root, "docs", 0); err == nil {
		t.Error("a directory was read as a file")
	}
}

func TestWalkReportsLinksOutside(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "x.md"), []byte("# X\n"), 0o644)
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "a.md"), []byte("# A\n"), 0o644)
	symlink(t, filepath.Join(outside, "x.md"), filepath.Join(root, "leak.md"))
	symlink(t, outside, filepath.Join(root, "ext"))
	symlink(t, "a.md", filepath.Join(root, "alias.md"))
	symlink(t, ".", filepath.Join(root, "sub", "loop"))
	symlink(t, outside, filepath.Join(root, "node_modules"))
	symlink(t, outside, filepath.Join(root, "drafts"))

	tree, err := Walk(root, "", []string{"drafts"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.md", "alias.md"}; !slices.Equal(tree.Docs, want) {
		t.Errorf("docs %v, want %v", tree.Docs, want)
	}
	var got []string
	for _, p := range tree.Problems {
		if p.Code == "symlink-outside" && p.Line == 0 {
			got = append(got, p.Source)
		}
	}
	if want := []string{"ext", "leak.md"}; !slices.Equal(got, want) {
		t.Errorf("symlink-outside on %v, want %v (skipped and excluded names are not reported)", got, want)
	}
	if !tree.Paths["sub/loop"] || tree.Paths["sub/loop/a.md"] {
		t.Error("a link to a directory inside is a path, not walked again")
	}
}
