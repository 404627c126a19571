package search

import (
	"crypto/sha256"
	"encoding/hex"
)

// chunkBytes is the size past which a chunk of the index ends: one fetch
// per query term, small enough on a phone. The entry that takes a chunk
// past it is the chunk's last, so no chunk is larger than chunkBytes and
// one entry.
const chunkBytes = 48 << 10

// chunkTarget sets where chunks are cut below the cap: a term ends its
// chunk with a chance of its entry's size over chunkTarget.
const chunkTarget = 48 << 10

// nameBytes is how much of a chunk's hash names it: names are most of the
// manifest, a reader's first download. Should two chunks of an index
// share a name, the later one is named by its whole hash. (A variable:
// tests shorten it to make names collide.)
var nameBytes = 6

// Chunk is one file of the index's terms: its first term, and its name,
// a hash of its content (search/c/NAME.json).
type Chunk struct {
	First, Name string
}

func chunkPath(name string) string { return "search/c/" + name + ".json" }

// chunker cuts the index's terms, fed in order with their entries, into
// chunks. Where it cuts depends on the terms and their entries alone, and
// it starts afresh after every cut: a term ends its chunk when a hash of
// it says so (with a chance growing with its entry's size), or when its
// entry took the chunk past chunkBytes. A cut is decided by what comes
// before it, never by the entry after it, so a chunk whose terms did not
// change ends where it ended (Update keeps it). So a build that changes a
// few terms' entries cuts the chunks around them again, and from the
// first of its cuts that falls where the last build's fell, the chunks
// are the last build's (content-defined chunking, as backup tools cut
// files into blocks); a chunk's content names it, so an unchanged chunk
// is an unchanged file.
type chunker struct {
	buf    []byte
	first  string
	n      int // entries in buf
	chunks []Chunk
	files  []File
	names  map[string]bool
}

// File is one output file of the index.
type File struct {
	Rel  string
	Data []byte
}

const chunkHead, chunkTail = `{"index":[`, `]}`

// add appends a term's entry, cutting the chunk after it when the term
// ends a chunk or the chunk is full.
func (c *chunker) add(term string, entry []byte) {
	if c.n == 0 {
		c.first = term
		c.buf = append(c.buf[:0], chunkHead...)
	} else {
		c.buf = append(c.buf, ',')
	}
	c.buf = append(c.buf, entry...)
	c.n++
	if endsChunk(term, len(entry)) || len(c.buf)+len(chunkTail) > chunkBytes {
		c.cut()
	}
}

// cut ends the chunk being filled, if any.
func (c *chunker) cut() {
	if c.n == 0 {
		return
	}
	data := append(c.buf, chunkTail...)
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:nameBytes])
	if c.names[name] {
		name = hex.EncodeToString(sum[:])
	}
	if c.names == nil {
		c.names = map[string]bool{}
	}
	c.names[name] = true
	c.chunks = append(c.chunks, Chunk{First: c.first, Name: name})
	c.files = append(c.files, File{Rel: chunkPath(name), Data: data})
	c.buf, c.n = nil, 0
}

// endsChunk reports whether a term whose entry is size bytes ends its
// chunk: a hash of the term below size/chunkTarget of its range.
func endsChunk(term string, size int) bool {
	h := uint64(14695981039346656037) // FNV-1a, then mixed: FNV's high bits are poor for short strings
	for i := 0; i < len(term); i++ {
		h = (h ^ uint64(term[i])) * 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return uint64(uint32(h))*chunkTarget < uint64(size)<<32
}
