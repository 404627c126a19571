package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A build that fails on every page (a full disk) prints its first errors a
// line each, escaped, and how many more there are: not thousands of errors
// on one line.
func TestFailedBuildPrintsItsFirstErrorsALineEach(t *testing.T) {
	var errs []error
	for i := range 50 {
		errs = append(errs, fmt.Errorf("docs/phase-%d.md: write public/phase-%d/index.html: no space left on device", i, i))
	}
	errs[1] = errors.New("evil\n::error file=README.md::injected.md: unreadable")
	var out strings.Builder
	printErrors(&out, "plansite build", errors.Join(errs[0], errors.Join(errs[1:]...)))
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != maxErrorLines+1 {
		t.Fatalf("%d lines printed, want %d errors and a count:\n%s", len(lines), maxErrorLines, out.String())
	}
	for i, l := range lines[:maxErrorLines] {
		if !strings.HasPrefix(l, "plansite build: ") {
			t.Errorf("line %d does not say which command failed: %q", i+1, l)
		}
	}
	if !strings.Contains(lines[0], "docs/phase-0.md") || !strings.Contains(lines[2], "docs/phase-2.md") {
		t.Errorf("the errors are not printed in order:\n%s", out.String())
	}
	if lines[1] != `plansite build: evil\n::error file=README.md::injected.md: unreadable` {
		t.Errorf("an error naming a file with a newline is printed %q, want it escaped on its line", lines[1])
	}
	if want := fmt.Sprintf("plansite build: … and %d more errors", 50-maxErrorLines); lines[maxErrorLines] != want {
		t.Errorf("last line %q, want %q", lines[maxErrorLines], want)
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{errors.New("one"), "plansite build: one\n"},
		// Wrapping two with words of its own is one error, not a list.
		{fmt.Errorf("reading %w: %w", errors.New("a.md"), errors.New("denied")), "plansite build: reading a.md: denied\n"},
	} {
		out.Reset()
		printErrors(&out, "plansite build", tc.err)
		if out.String() != tc.want {
			t.Errorf("printed %q, want %q", out.String(), tc.want)
		}
	}
}
