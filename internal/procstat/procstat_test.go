package procstat

import (
	"os"
	"os/exec"
	"runtime"
	"testing"
)

func TestRSS(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc, which only Linux has")
	}
	if got := RSS("self"); got < 1<<20 {
		t.Errorf("RSS(self) = %d bytes, want at least a MB for a running Go test", got)
	}
	if got := RSS("0"); got != 0 {
		t.Errorf("RSS of no process = %d, want 0", got)
	}
}

func TestMaxRSS(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("peak memory of a child is read on Linux and macOS")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	// A Go test binary that ran nothing still maps its runtime: over a MB,
	// and far under a GB (a unit slip of 1024 would show).
	if got := MaxRSS(cmd.ProcessState); got < 1<<20 || got > 1<<30 {
		t.Errorf("MaxRSS of a Go test binary = %d bytes, want between 1 MB and 1 GB", got)
	}
}
