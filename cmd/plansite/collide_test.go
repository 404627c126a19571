package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Documents whose pages would land on the same path, or on a page of the
// site's own, are problems on the losing document; the site is built.
func TestCollidingPagesAreProblemsNotFailures(t *testing.T) {
	src := t.TempDir()
	files := map[string]string{
		"agents/README.md":        "# Our agents\n",
		"agents/api-engineer.md":  "# API engineer notes\n",
		"dir/README.md":           "# Dir readme wins\n",
		"dir/index.md":            "# Dir index loses\n",
		"a.md":                    "# A md wins\n",
		"a.markdown":              "# A markdown loses\n",
		"404.html.md":             "# Not found?\n",
		"plan/phase-2-build.md":   "# Phase 2: Build\n\n**Status**: In Progress\n\n### Task 2.1: API\n\n**Assigned**: api-engineer\n\n- [ ] endpoint\n",
		"problems/broken-link.md": "# A problem page?\n",
		"plan/phase-1-start.md":   smallSite["plan/phase-1-start.md"],
	}
	writeTree(t, src, files)
	dest := filepath.Join(t.TempDir(), "public")
	code, out, errOut := runBinary(t, src, "build", "--source", src, "--dest", dest, "--verbose")
	if code == 2 || !strings.Contains(out, "built ") {
		t.Fatalf("exit %d, no site:\n%s%s", code, out, errOut)
	}
	for _, loser := range []string{"agents/README.md", "agents/api-engineer.md", "dir/index.md", "a.markdown", "404.html.md", "problems/broken-link.md"} {
		want := filepath.Join(src, loser) + ":"
		found := false
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, want) && strings.HasSuffix(line, "[output-collision]") && strings.Contains(line, "not published") {
				found = true
			}
		}
		if !found {
			t.Errorf("no output-collision problem on %s:\n%s", loser, out)
		}
	}
	for _, winner := range []string{"dir/README.md", "a.md"} {
		if strings.Contains(out, filepath.Join(src, winner)+":0:") {
			t.Errorf("the winner %s has a problem", winner)
		}
	}
	for page, want := range map[string]string{
		"dir/index.html": "Dir readme wins", "a/index.html": "A md wins", "404.html": "<html",
		"agents/index.html": "<html", "agents/api-engineer/index.html": "<html", "plan/phase-1-start/index.html": "Phase 1",
	} {
		b, err := os.ReadFile(filepath.Join(dest, page))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s: %v, want it to show %q", page, err, want)
		}
	}
	for _, page := range []string{"dir/index.html", "a/index.html", "agents/index.html"} {
		b, _ := os.ReadFile(filepath.Join(dest, page))
		if strings.Contains(string(b), "loses") || strings.Contains(string(b), "Our agents") {
			t.Errorf("%s shows the losing document", page)
		}
	}
}
