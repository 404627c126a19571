//go:build unix

// Package testfs makes the unusual files tests give plansite (a FIFO named
// like a document) on the systems that have them.
package testfs

import "syscall"

// MakeFIFO makes a named pipe at path.
func MakeFIFO(path string) error { return syscall.Mkfifo(path, 0o644) }
