package plan

import (
	"unsafe"

	"github.com/tinylib/msgp/msgp"
)

// readStringView is msgp.ReadStringBytes without the copy: the string is a
// view of b. A rebuild decodes ten thousand cached models, and their
// strings, copied one by one and then copied again into the arena, were
// most of what decoding allocated.
func readStringView(b []byte) (string, []byte, error) {
	v, o, err := msgp.ReadStringZC(b)
	return unsafe.String(unsafe.SliceData(v), len(v)), o, err
}
