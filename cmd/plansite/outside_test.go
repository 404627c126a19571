package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinksOutOfTheSource: plans in docs/plans link files of the repository
// outside the source (an ADR, the top README). They are not broken; on the
// site they go to the repository's web URL (from the git remote). A file
// that does not exist, or lies outside the repository, is still broken.
func TestLinksOutOfTheSource(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	top := filepath.Join(t.TempDir(), "repo")
	for p, s := range map[string]string{
		"docs/plans/phase-1-start.md": "# Phase 1: Start\n\n**Status**: In Progress\n\n" +
			"See [ADR 1](../adr/0001-store.md), [the README](../../README.md), [ADR 2](../adr/0002-gone.md)\n" +
			"and [a neighbour](../../../neighbour.md).\n",
		"docs/adr/0001-store.md": "# ADR 1: Store\n",
		"README.md":              "# Repository\n",
		"../neighbour.md":        "# Not in the repository\n",
	} {
		p = filepath.Join(top, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"init", "-q"}, {"remote", "add", "origin", "git@github.com:acme/widgets.git"}} {
		if out, err := exec.Command("git", append([]string{"-C", top}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	src := filepath.Join(top, "docs", "plans")
	code, out, _ := runCLI("check", src, "--now", "2026-01-01")
	want := filepath.ToSlash(src) + "/phase-1-start.md:5: warning: broken link to ../adr/0002-gone.md [broken-link]\n" +
		filepath.ToSlash(src) + "/phase-1-start.md:6: warning: broken link to ../../../neighbour.md [broken-link]\n"
	if code != 0 || out != want {
		t.Errorf("check: exit %d\n%s\nwant:\n%s", code, out, want)
	}

	dest := filepath.Join(t.TempDir(), "public")
	if code, out, errOut := runCLI("build", src, "-d", dest, "--no-minify"); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, out, errOut)
	}
	page, err := os.ReadFile(filepath.Join(dest, "phase-1-start", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, href := range []string{"https://github.com/acme/widgets/blob/main/docs/adr/0001-store.md", "https://github.com/acme/widgets/blob/main/README.md"} {
		if !strings.Contains(string(page), `href="`+href+`"`) {
			t.Errorf("the page does not link %s", href)
		}
	}
	var pj struct {
		Docs []struct {
			Links []struct {
				Target   string
				Resolved *string
			}
		}
	}
	resolved := func() map[string]string {
		t.Helper()
		b, _ := os.ReadFile(filepath.Join(dest, "plan.json"))
		if err := json.Unmarshal(b, &pj); err != nil || len(pj.Docs) != 1 {
			t.Fatalf("plan.json: %v", err)
		}
		got := map[string]string{}
		for _, l := range pj.Docs[0].Links {
			got[l.Target] = "null"
			if l.Resolved != nil {
				got[l.Target] = *l.Resolved
			}
		}
		return got
	}
	got := resolved()
	for target, want := range map[string]string{"../adr/0001-store.md": "../adr/0001-store.md", "../../README.md": "../../README.md", "../adr/0002-gone.md": "null"} {
		if got[target] != want {
			t.Errorf("plan.json: %s resolved to %s, want %s", target, got[target], want)
		}
	}

	// The missing ADR is written, outside the source: the next build, with
	// no document changed, must see it (not repeat the last build).
	if err := os.WriteFile(filepath.Join(top, "docs", "adr", "0002-gone.md"), []byte("# ADR 2: Back\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI("build", src, "-d", dest, "--no-minify"); code != 0 {
		t.Fatalf("build after the ADR was written: exit %d\n%s%s", code, out, errOut)
	}
	if got := resolved()["../adr/0002-gone.md"]; got != "../adr/0002-gone.md" {
		t.Errorf("after the ADR was written outside the source, plan.json still resolves its link to %s", got)
	}
	if _, err := os.Stat(filepath.Join(dest, "adr")); err == nil {
		t.Error("a file outside the source was copied into the site")
	}
}
