//go:build !unix

// Package testfs makes the unusual files tests give plansite (a FIFO named
// like a document) on the systems that have them.
package testfs

import "errors"

// MakeFIFO reports that this system has no named pipes in its file tree.
func MakeFIFO(string) error { return errors.ErrUnsupported }
