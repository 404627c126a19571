//go:build unix

package procstat

import (
	"os"
	"runtime"
	"syscall"
)

// MaxRSS is the peak resident memory of an exited process in bytes, or 0
// where the system does not tell.
func MaxRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) // bytes there
	}
	return int64(ru.Maxrss) << 10 // kilobytes on Linux and the BSDs
}
