package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestNewThenCheck(t *testing.T) {
	src := t.TempDir()
	code, out, errOut := runCLI("new", "plan", "Billing", "Export", "--source", src)
	if code != 0 || !strings.Contains(out, filepath.Join(src, "billing-export", "phase-1-foundation.md")) {
		t.Fatalf("new plan: exit %d\n%s%s", code, out, errOut)
	}
	// No --dir: the plan with the highest phase under the source.
	code, out, errOut = runCLI("new", "phase", "--source", src, "Rollout")
	if code != 0 || !strings.Contains(out, "created "+filepath.Join(src, "billing-export", "phase-2-rollout.md")) ||
		!strings.Contains(out, "updated "+filepath.Join(src, "billing-export", "phase-1-foundation.md")) {
		t.Fatalf("new phase: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runCLI("check", "--source", src, "--strict"); code != 0 || out != "" {
		t.Errorf("check of scaffolded plan: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(src, "billing-export", "README.md")); err != nil {
		t.Error(err)
	}
	if code, _, errOut := runCLI("new", "plan", "Billing Export", "--source", src); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("second new plan: exit %d: %s", code, errOut)
	}
}

func TestNewUsage(t *testing.T) {
	for _, args := range [][]string{{"new"}, {"new", "chapter", "x"}, {"new", "phase"}, {"new", "phase", "--bogus", "x"}} {
		if code, _, _ := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI("version")
	if code != 0 || !strings.HasPrefix(out, "plansite ") || !strings.Contains(out, "commit ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("exit %d: %q", code, out)
	}
}
