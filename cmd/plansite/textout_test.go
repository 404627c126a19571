package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file name can hold a newline: printed as is, the line after it would be
// a GitHub Actions workflow command, run by the CI that runs plansite.
func TestFileNamesCannotInjectWorkflowCommands(t *testing.T) {
	src := t.TempDir()
	evil := "x\n::error file=README.md,line=1::injected\n\x1b[2J.md"
	writeTree(t, src, map[string]string{
		"README.md":                              "# Plans\n",
		evil:                                     "# Evil\n\n[gone](missing.md)\n",
		"dir\r\n::warning ::injected/phase-1.md": "# Phase 1\n\n[gone](nowhere.md)\n",
	})
	if _, err := os.Stat(filepath.Join(src, evil)); err != nil {
		t.Skipf("this filesystem refuses such names: %v", err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	runs := [][]string{
		{"build", "--source", src, "--dest", dest},
		{"check", "--source", src},
		{"check", "--source", src, "--format", "github"},
	}
	for _, args := range runs {
		code, out, errOut := runBinary(t, src, args...)
		if code == 2 || args[0] == "build" && code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
		if !strings.Contains(out, "missing.md") {
			t.Errorf("%v: the broken link of the evil file is not reported:\n%s", args, out)
		}
		for _, line := range strings.Split(out+errOut, "\n") {
			if strings.Contains(line, "::injected") && (strings.HasPrefix(line, "::error file=README.md") || strings.HasPrefix(line, "::warning ::")) {
				t.Errorf("%v: a file name started a workflow command: %q", args, line)
			}
			if strings.ContainsAny(line, "\r\x1b") {
				t.Errorf("%v: a control character reached the output: %q", args, line)
			}
		}
		if args[0] != "check" || len(args) == 3 {
			if want := `x\n::error file=README.md,line=1::injected\n\x1b[2J.md:3: warning: broken link to missing.md`; !strings.Contains(out, want) {
				t.Errorf("%v: the path is not shown escaped (%q):\n%s", args, want, out)
			}
		}
	}
}
