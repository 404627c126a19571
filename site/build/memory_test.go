package build

import (
	"runtime/debug"
	"testing"
)

func TestLimitMemory(t *testing.T) {
	t.Setenv(memoryLimitEnvName, "")
	before := debug.SetMemoryLimit(-1)
	restore := LimitMemory(100)
	if got := debug.SetMemoryLimit(-1); got != 256<<20 {
		t.Errorf("small site: limit %d MB, want 256", got>>20)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("restore: limit %d, want %d", got, before)
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
