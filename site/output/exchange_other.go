//go:build !linux && !darwin

package output

import "errors"

// exchange is not available here: Commit moves files one by one instead.
func exchange(a, b string) error { return errors.ErrUnsupported }

// spareSupported: without a swap there is no spare to keep.
const spareSupported = false
