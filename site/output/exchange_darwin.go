package output

import "golang.org/x/sys/unix"

// exchange swaps two directories in one step: a reader sees the old site or
// the new one, never a mix.
func exchange(a, b string) error { return unix.RenamexNp(a, b, unix.RENAME_SWAP) }

// spareSupported: the destination can be kept with a spare (spare.go).
const spareSupported = true
