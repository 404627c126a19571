// Package procstat reads a process's memory figures from /proc, for the
// benchmarks that report how much memory a build or a server holds.
package procstat

import (
	"os"
	"strconv"
	"strings"
)

// RSS is the resident memory of the process pid ("self" for this one) in
// bytes, or 0 where /proc cannot tell (not Linux, or the process is gone).
func RSS(pid string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}
