package build

import (
	"io/fs"
	"syscall"
)

// fileID is a file's inode and change time; zero where unknown.
func fileID(fi fs.FileInfo) (uint64, int64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	return uint64(st.Ino), st.Ctimespec.Nano()
}
