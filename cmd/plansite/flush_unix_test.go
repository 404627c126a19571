//go:build unix

package main

import "syscall"

// flushWrites writes what earlier processes left in the page cache to
// disk before a measured process starts, so that one process's writing
// back is not counted in the next one's time (the floor's 10,000 pages
// would otherwise be flushed while the cold build runs, and the cold
// build's while the next build runs).
func flushWrites() { syscall.Sync() }
