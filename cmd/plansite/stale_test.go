package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckIsDeterministic: staleness is measured against the latest
// commit's date, so a commit checks the same on any day; only a new commit
// (or --now) moves "today".
func TestCheckIsDeterministic(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	src := t.TempDir()
	doc := filepath.Join(src, "phase-1-start.md")
	commit := func(date, body string) {
		t.Helper()
		if err := os.WriteFile(doc, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"add", "."}, {"commit", "-q", "-m", "work"}} {
			cmd := exec.Command("git", append([]string{"-C", src, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
			cmd.Env = append(os.Environ(), "GIT_COMMITTER_DATE="+date+"T12:00:00Z", "GIT_AUTHOR_DATE="+date+"T12:00:00Z")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git %v: %v\n%s", args, err, out)
			}
		}
	}
	if out, err := exec.Command("git", "-C", src, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	plan := "# Phase 1: Start\n\n**Status**: In Progress\n**Last Updated**: 2025-01-02\n\n- [x] one\n- [ ] two\n"
	commit("2025-01-10", plan)
	// Long after the clock passed 2025-01-16, the commit is not stale.
	for range 2 {
		if code, out, errOut := runCLI("check", src, "--strict"); code != 0 || out != "" {
			t.Errorf("8 days after the update, as of the commit: exit %d\n%s%s", code, out, errOut)
		}
	}
	// A later commit that leaves the document alone makes it stale.
	commit("2025-03-01", plan+"\nA note that is not an update.\n")
	code, out, _ := runCLI("check", src, "--strict")
	if code != 1 || !strings.Contains(out, "phase-1-start.md:4: warning: in progress but not updated for 58 days (last update 2025-01-02; stale after 14 days) [stale]") {
		t.Errorf("58 days after the update, as of the commit: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI("check", src, "--strict", "--now", "2025-01-05"); code != 0 {
		t.Errorf("--now sets the day: exit %d", code)
	}
}
