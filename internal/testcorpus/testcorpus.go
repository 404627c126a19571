// Package testcorpus finds the real plan documents tests read
// (../shared/corpus/meatymusic beside the repository) and the repository's
// own example content.
package testcorpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Root is the repository root: the nearest directory above the test's
// working directory that holds go.mod.
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// MeatyMusic is the directory of the real corpus. The corpus is part of the
// workplace every developer and CI has; a missing corpus fails the test
// rather than skipping it, so a green run always means the corpus was read.
func MeatyMusic(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(Root(tb), "..", "shared", "corpus", "meatymusic")
	if _, err := os.Stat(dir); err != nil {
		tb.Fatalf("corpus not found at %s: %v", dir, err)
	}
	return dir
}

// Content is the repository's own example plan.
func Content(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(Root(tb), "content")
}
