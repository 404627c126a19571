package build

import (
	"os"
	"os/exec"
	"path/filepath"
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

// buildProgram builds a program printing msg with the go command and
// extra flags, into dir; the test is skipped where there is no go command.
func buildProgram(t *testing.T, dir, msg string, flags ...string) string {
	t.Helper()
	src := filepath.Join(dir, "src-"+msg)
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod":  "module hello\n\ngo 1.21\n",
		"main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"" + msg + "\") }\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	exe := filepath.Join(dir, msg)
	cmd := exec.Command("go", append(append([]string{"build", "-o", exe}, flags...), ".")...)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("go build: %v\n%s", err, out)
	}
	return exe
}

// Two different programs whose build IDs the go command did not make (a
// build system that sets its own, as Bazel's "-buildid=redacted", or
// none) are still two versions: they never read each other's cache.
func TestProgramsWithTheSameBuildIDAreTwoVersions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs")
	}
	dir := t.TempDir()
	for _, id := range []string{"redacted", ""} {
		a := buildProgram(t, dir, "one"+id, "-ldflags=-buildid="+id)
		b := buildProgram(t, dir, "two"+id, "-ldflags=-buildid="+id)
		if va, vb := programVersion(a), programVersion(b); va == vb {
			t.Errorf("two programs built with build ID %q are the same version %q", id, va)
		}
	}
	// The go command's own build IDs are read, not the file hashed.
	exe := buildProgram(t, dir, "three")
	if v := programVersion(exe); !strings.HasPrefix(v, "go build id ") {
		t.Errorf("a program the go command built is version %q, want its build ID", v)
	}
}

// A program that cannot be read is a version no other process is: what
// it would read differently from another's cache is never read.
func TestUnreadableProgramMatchesNoOther(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone")
	if a, b := programVersion(missing), programVersion(missing); a == b {
		t.Errorf("a program that cannot be read is version %q twice", a)
	}
}
