package build

import (
	"runtime/debug"
	"testing"
)

func TestLimitMemory(t *testing.T) {
	t.Setenv(memoryLimitEnvName, "")
	t.Setenv("GOGC", "")
	before := debug.SetMemoryLimit(-1)
	gcBefore := debug.SetGCPercent(100)
	defer debug.SetGCPercent(gcBefore)
	restore := LimitMemory(100)
	if got := debug.SetMemoryLimit(-1); got != 256<<20 {
		t.Errorf("small site: limit %d MB, want 256", got>>20)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("restore: limit %d, want %d", got, before)
	}
	restore = LimitMemory(100)
	if got := debug.SetGCPercent(buildGCPercent); got != buildGCPercent {
		t.Errorf("GC percent %d under the limit, want %d", got, buildGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("restore: GC percent %d, want 100", got)
	}
	// A site whose model alone nears 256 MB gets room to breathe.
	defer LimitMemory(100_000)()
	if got := debug.SetMemoryLimit(-1); got <= 2<<30 {
		t.Errorf("100,000 documents: limit %d MB", got>>20)
	}
}

func TestLimitMemoryLeavesGOMEMLIMIT(t *testing.T) {
	t.Setenv(memoryLimitEnvName, "1GiB")
	before := debug.SetMemoryLimit(-1)
	defer LimitMemory(10)()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("GOMEMLIMIT set, yet the limit changed to %d", got)
	}
}
