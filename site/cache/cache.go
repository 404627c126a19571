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

// Put stores data at k, whole or not at all (written beside, then renamed).
func (c *Cache) Put(k Key, data []byte) error {
	if c == nil {
		return nil
	}
	c.used.Store(k, true)
	c.puts.Add(1)
	p := c.path(k)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	var sum [crcSize]byte
	binary.BigEndian.PutUint32(sum[:], crc32.Checksum(data, crcTable))
	_, err = f.Write(magic)
	if err == nil {
		_, err = f.Write(sum[:])
	}
	if err == nil {
		_, err = f.Write(data)
	}
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
