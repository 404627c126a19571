package procstat

import (
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
