// Package cache keeps what a build made, on disk, for the builds after it:
// content-addressed entries (the key is a hash of everything the value was
// made from), each written whole and checked when read, so a cache can be
// deleted at any time, copied between machines (CI) and survive a crash:
// an entry that does not check out is a miss.
package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// DirName is the default cache directory, beside the destination.
const DirName = ".plansite-cache"

// Key names an entry: the hash of what its value was made from.
type Key [sha256.Size]byte

func (k Key) String() string { return hex.EncodeToString(k[:]) }

// Hasher sums the parts of a key, each length-prefixed so that no two
// lists of parts sum alike. Parts are gathered in a buffer and hashed a few
// kilobytes at a time: keys of ten thousand pages are made of short parts,
// and hashing each alone would cost a copy and a call.
type Hasher struct {
	h   hash.Hash
	buf []byte
}

// hashAt is how many buffered bytes are hashed at once.
const hashAt = 8 << 10

// NewHasher starts a key of the given kind ("doc", "page", …).
func NewHasher(kind string) *Hasher {
	h := &Hasher{h: sha256.New(), buf: make([]byte, 0, 256)}
	h.String(kind)
	return h
}

// String adds a part.
func (h *Hasher) String(s string) *Hasher {
	h.buf = binary.AppendUvarint(h.buf, uint64(len(s)))
	h.buf = append(h.buf, s...)
	if len(h.buf) >= hashAt {
		h.flush()
	}
	return h
}

// Key adds another key.
func (h *Hasher) Key(k Key) *Hasher {
	h.buf = append(h.buf, k[:]...)
	if len(h.buf) >= hashAt {
		h.flush()
	}
	return h
}

func (h *Hasher) flush() {
	h.h.Write(h.buf)
	h.buf = h.buf[:0]
}

// Sum is the key.
func (h *Hasher) Sum() Key {
	h.flush()
	var k Key
	h.h.Sum(k[:0])
	return k
}

// magic starts every entry, with its format's version; a CRC-32C of the
// rest follows it (the key already names the content; the checksum only
// catches an entry damaged on disk, at memory speed).
var magic = []byte("plansite-cache 2\n")

var crcTable = crc32.MakeTable(crc32.Castagnoli)

const crcSize = 4

// Cache is a directory of entries. A nil *Cache is a cache that holds
// nothing (--no-cache). It is safe for concurrent use.
type Cache struct {
	dir  string
	used sync.Map // keys read or written by this run
	puts atomic.Int64
	dirs sync.Map // shard directories made by this run
}

// Open opens (making it when needed) the cache at dir.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	// A note for whoever finds the directory.
	readme := filepath.Join(dir, "README")
	if _, err := os.Stat(readme); errors.Is(err, fs.ErrNotExist) {
		_ = os.WriteFile(readme, []byte("plansite's build cache: safe to delete; plansite makes it again.\n"), 0o644)
	}
	return &Cache{dir: dir}, nil
}

// Dir is the cache's directory.
func (c *Cache) Dir() string { return c.dir }

func (c *Cache) path(k Key) string {
	s := k.String()
	return filepath.Join(c.dir, s[:2], s[2:])
}

// Get returns the entry at k. A missing, short or corrupt entry is a miss
// (and a corrupt one is removed).
func (c *Cache) Get(k Key) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	b, err := os.ReadFile(c.path(k))
	if err != nil {
		return nil, false
	}
	if len(b) < len(magic)+crcSize || !bytes.Equal(b[:len(magic)], magic) {
		_ = os.Remove(c.path(k))
		return nil, false
	}
	sum, data := b[len(magic):len(magic)+crcSize], b[len(magic)+crcSize:]
	if binary.BigEndian.Uint32(sum) != crc32.Checksum(data, crcTable) {
		_ = os.Remove(c.path(k))
		return nil, false
	}
	c.used.Store(k, true)
	return data, true
}

// Put stores at k the data made of parts, one after the other, whole or
// not at all (written beside, then renamed).
func (c *Cache) Put(k Key, parts ...[]byte) error {
	w := c.Create(k)
	for _, p := range parts {
		w.Write(p)
	}
	return w.Commit()
}

// Writer makes one entry from pieces: each is copied as it comes into a
// pooled buffer (a piece may be a buffer its maker reuses), and the entry
// is written whole at Commit. A large site's pages and models make no
// garbage on their way to the cache.
type Writer struct {
	c   *Cache
	k   Key
	buf *[]byte
}

// Create starts the entry at k. On a nil *Cache the writer does nothing.
func (c *Cache) Create(k Key) *Writer {
	w := &Writer{c: c, k: k}
	if c != nil {
		w.buf = putBufs.Get().(*[]byte)
		*w.buf = append((*w.buf)[:0], magic...)
		*w.buf = append(*w.buf, make([]byte, crcSize)...)
	}
	return w
}

// Write adds p to the entry; it never fails (Commit reports).
func (w *Writer) Write(p []byte) (int, error) {
	if w.buf != nil {
		*w.buf = append(*w.buf, p...)
	}
	return len(p), nil
}

// Commit writes the entry, whole or not at all, and releases the writer.
func (w *Writer) Commit() error {
	if w.buf == nil {
		return nil
	}
	b := *w.buf
	defer w.release()
	binary.BigEndian.PutUint32(b[len(magic):], crc32.Checksum(b[len(magic)+crcSize:], crcTable))
	return w.c.write(w.k, b)
}

// Abort drops the entry.
func (w *Writer) Abort() {
	if w.buf != nil {
		w.release()
	}
}

func (w *Writer) release() {
	if cap(*w.buf) <= maxPooled {
		putBufs.Put(w.buf)
	}
	w.buf = nil
}

// putBufs are the writers' buffers; one grown past maxPooled is left to
// the collector rather than held.
var putBufs = sync.Pool{New: func() any { return new([]byte) }}

const maxPooled = 1 << 20

// write stores the entry b (magic, checksum, data) at k.
func (c *Cache) write(k Key, b []byte) error {
	c.used.Store(k, true)
	c.puts.Add(1)
	p := c.path(k)
	if err := c.mkdir(filepath.Dir(p)); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}

// mkdir makes a shard directory once per run: a MkdirAll for every entry
// costs a stat each time.
func (c *Cache) mkdir(dir string) error {
	if _, ok := c.dirs.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	c.dirs.Store(dir, true)
	return nil
}

// Keep marks an entry as still wanted without reading it.
func (c *Cache) Keep(k Key) {
	if c != nil {
		c.used.Store(k, true)
	}
}

// Wrote reports whether this run put anything in the cache.
func (c *Cache) Wrote() bool { return c != nil && c.puts.Load() > 0 }

// Prune removes every entry this run neither read, wrote nor kept, so the
// cache holds one build's worth (what CI saves is what the next build
// reads), and leftovers of an interrupted write.
func (c *Cache) Prune() error {
	if c == nil {
		return nil
	}
	shards, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	for _, sh := range shards {
		if !sh.IsDir() || len(sh.Name()) != 2 {
			continue
		}
		ents, err := os.ReadDir(filepath.Join(c.dir, sh.Name()))
		if err != nil {
			continue
		}
		for _, e := range ents {
			var k Key
			raw, err := hex.DecodeString(sh.Name() + e.Name())
			if err == nil && len(raw) == len(k) {
				copy(k[:], raw)
				if _, ok := c.used.Load(k); ok {
					continue
				}
			}
			_ = os.Remove(filepath.Join(c.dir, sh.Name(), e.Name()))
		}
	}
	return nil
}
