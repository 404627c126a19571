//go:build !unix

package procstat

import "os"

// MaxRSS is 0 where the system keeps no peak resident memory of a process
// in a form this package reads.
func MaxRSS(*os.ProcessState) int64 { return 0 }
