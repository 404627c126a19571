package render_test

import (
	"github.com/plansite/plansite/internal/testcorpus"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/plansite/plansite/site/build"
)

// repoRoot walks up from the package directory to go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// corpus is the real plans the tests read; tests skip without it.
func corpus(t testing.TB) string {
	t.Helper()
	return testcorpus.MeatyMusic(t)
}

func buildSite(t testing.TB, src, dest string, noMinify bool) *build.Result {
	t.Helper()
	res, err := build.Build(build.Options{Source: src, Dest: dest, NoMinify: noMinify, Generator: "plansite test"})
	if err != nil {
		t.Fatalf("build %s: %v", src, err)
	}
	return res
}

var (
	corpusOnce sync.Once
	corpusDir  string
)

// builtCorpus is the corpus site built once for every test that only reads it.
func builtCorpus(t testing.TB) string {
	t.Helper()
	src := corpus(t)
	corpusOnce.Do(func() {
		dir, err := os.MkdirTemp("", "plansite-corpus-site-")
		if err != nil {
			t.Fatal(err)
		}
		corpusDir = filepath.Join(dir, "public")
		buildSite(t, src, corpusDir, false)
	})
	return corpusDir
}

func readFile(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{corpusDir, trackerDir} {
		if dir != "" {
			os.RemoveAll(filepath.Dir(dir))
		}
	}
	os.Exit(code)
}

func buildWithBase(src, dest, base string) (*build.Result, error) {
	return build.Build(build.Options{Source: src, Dest: dest, BaseURL: base, Generator: "plansite test"})
}
