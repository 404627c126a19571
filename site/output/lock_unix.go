//go:build unix

package output

import (
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on a directory for as long as the build
// runs (the lock goes with the process, kill -9 included); nil when it is
// held by another process.
func lockDir(p string) *os.File {
	f, err := os.Open(p)
	if err != nil {
		return nil
	}
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		f.Close()
		return nil
	}
	return f
}
