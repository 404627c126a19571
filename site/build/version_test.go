package build

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestGoBuildIDIsTheGoCommands reads the build ID of the test's own
// executable as go tool buildid does: it names this program in the
// cache's keys.
func TestGoBuildIDIsTheGoCommands(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	got := goBuildID(exe)
	if got == "" {
		t.Fatal("no build ID read from the test executable")
	}
	out, err := exec.Command("go", "tool", "buildid", exe).Output()
	if err != nil {
		t.Skipf("go tool buildid: %v", err)
	}
	if want := strings.TrimSpace(string(out)); got != want {
		t.Errorf("build ID %q, go tool buildid says %q", got, want)
	}
	if v := version(); v != "go build id "+got {
		t.Errorf("version() = %q, want the build ID", v)
	}
}

// TestGoBuildIDOfAFileWithoutOne: a file that is not an executable of
// Go's has no build ID (version then hashes the file).
func TestGoBuildIDOfAFileWithoutOne(t *testing.T) {
	p := t.TempDir() + "/not-go"
	if err := os.WriteFile(p, []byte("#!/bin/sh\necho hello\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if id := goBuildID(p); id != "" {
		t.Errorf("build ID %q read from a shell script", id)
	}
}
