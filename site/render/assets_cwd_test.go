package render_test

import (
	"os"
	"path/filepath"
	"testing"
)

// TestUnminifiedAssetsDoNotDependOnTheWorkingDirectory builds the same
// tree with --no-minify from two working directories: esbuild names its
// sources in comments relative to one, and the assets and their
// fingerprinted names must come out the same.
func TestUnminifiedAssetsDoNotDependOnTheWorkingDirectory(t *testing.T) {
	src := filepath.Join(repoRoot(t), "content")
	assets := func(cwd string) map[string]string {
		t.Chdir(cwd)
		dest := filepath.Join(t.TempDir(), "public")
		buildSite(t, src, dest, true)
		entries, err := os.ReadDir(filepath.Join(dest, "assets"))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dest, "assets", e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			out[e.Name()] = string(b)
		}
		return out
	}
	shallow := t.TempDir()
	deep := filepath.Join(t.TempDir(), "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	one, two := assets(shallow), assets(deep)
	if len(one) == 0 {
		t.Fatal("no assets written")
	}
	for name, data := range one {
		if other, ok := two[name]; !ok {
			t.Errorf("asset %s built from %s is missing when built from %s (got %v)", name, shallow, deep, keys(two))
		} else if other != data {
			t.Errorf("asset %s differs between working directories", name)
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
