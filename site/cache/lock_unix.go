//go:build unix

package cache

import (
	"errors"
	"os"
	"syscall"
)

// The directory's lock and the packs' locks are flock(2) locks: they go
// with the process (kill -9 included), and two opens of one file, in one
// process or two, lock each other out.

func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

func lockShared(f *os.File)    { _ = flock(f, syscall.LOCK_SH) }
func lockExclusive(f *os.File) { _ = flock(f, syscall.LOCK_EX) }
func unlock(f *os.File)        { _ = flock(f, syscall.LOCK_UN) }

// tryExclusive takes f's lock exclusively unless another holds it.
func tryExclusive(f *os.File) bool { return flock(f, syscall.LOCK_EX|syscall.LOCK_NB) == nil }

// tryShared takes f's lock shared unless another holds it exclusively.
func tryShared(f *os.File) { _ = flock(f, syscall.LOCK_SH|syscall.LOCK_NB) }
