//go:build !unix

package output

import "io/fs"

// inode is unknown here: without it the spare cannot be kept (see spare.go).
func inode(fi fs.FileInfo) uint64 { return 0 }
