//go:build unix

package output

import (
	"io/fs"
	"syscall"
)

// inode is the file's inode number: two names with the same one are the
// same file.
func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
