//go:build !linux && !darwin

package build

import "io/fs"

// fileID is unknown here: every document is hashed on every build.
func fileID(fs.FileInfo) (uint64, int64) { return 0, 0 }
