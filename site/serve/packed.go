package serve

import (
	"bytes"
	"compress/flate"
	"io"
	"sync"
)

// serve holds every page of the site and every document's body in memory;
// at ten thousand documents, as written, that is gigabytes. Held deflated
// (at the fastest level, a fifth of the size), a page costs a few hundred
// microseconds to read back when it is asked for.

// packMin is the size below which a page is held as it is.
const packMin = 2 << 10

// packed is bytes held deflated when that is worth it.
type packed struct {
	b        []byte
	deflated bool
}

var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

// pack deflates b when it is large enough to be worth it. The same bytes
// always pack the same, so packed pages compare as their bytes do.
func pack(b []byte) packed {
	if len(b) < packMin {
		return packed{b: b}
	}
	var out bytes.Buffer
	out.Grow(len(b) / 4)
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&out)
	_, _ = w.Write(b)
	_ = w.Close()
	deflaters.Put(w)
	return packed{b: bytes.Clone(out.Bytes()), deflated: true}
}

var inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// bytes is what was packed.
func (p packed) bytes() []byte {
	if !p.deflated {
		return p.b
	}
	r := inflaters.Get().(io.ReadCloser)
	_ = r.(flate.Resetter).Reset(bytes.NewReader(p.b), nil)
	out, _ := io.ReadAll(r)
	inflaters.Put(r)
	return out
}

func (p packed) equal(o packed) bool { return p.deflated == o.deflated && bytes.Equal(p.b, o.b) }
