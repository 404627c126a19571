// Package cache keeps what a build made, on disk, for the builds after it:
// content-addressed entries (the key is a hash of everything the value was
// made from), checked when read, so a cache can be deleted at any time,
// copied between machines (CI) and survive a crash: an entry that does not
// check out is a miss.
//
// A run appends the entries it makes to one pack file of its own, in large
// buffered writes, and at its end writes the index (key → pack, offset,
// length, checksum) beside it, whole, by rename: a run killed at any moment
// leaves the last index, whose packs it never changed. Ten thousand pages
// cost one file, not forty thousand creates and renames. Reading opens each
// pack once. Prune drops from the index what the run did not use, rewrites
// a pack into the run's own only when most of it is dead (or it is small),
// and removes the packs no index names and no process has open.
package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash"
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
	h := hashers.Get().(*Hasher)
	h.String(kind)
	return h
}

// hashers are Hashers Sum has finished with: a rebuild makes tens of
// thousands of keys, each a hash's state and a buffer grown to hashAt.
var hashers = sync.Pool{New: func() any { return &Hasher{h: sha256.New(), buf: make([]byte, 0, hashAt+256)} }}

// String adds a part.
func (h *Hasher) String(s string) *Hasher {
	h.buf = binary.AppendUvarint(h.buf, uint64(len(s)))
	h.buf = append(h.buf, s...)
	if len(h.buf) >= hashAt {
		h.flush()
	}
	return h
}

// Join adds one part made of parts, one after the other: what
// String(strings.Join(parts, "")) adds, without making the string.
func (h *Hasher) Join(parts ...string) *Hasher {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	h.buf = binary.AppendUvarint(h.buf, uint64(n))
	for _, p := range parts {
		h.buf = append(h.buf, p...)
	}
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

// Sum is the key. It ends the Hasher, which must not be used after.
func (h *Hasher) Sum() Key {
	h.flush()
	var k Key
	h.h.Sum(k[:0])
	h.h.Reset()
	hashers.Put(h)
	return k
}

// Cache is a directory of packs and their index, opened for one run. A nil
// *Cache is a cache that holds nothing (--no-cache). It is safe for
// concurrent use; Prune or Close ends the run.
type Cache struct {
	dir  string
	lock *os.File // the directory's lock: shared to open packs, exclusive to change the index

	// The index as the run found it: records sorted by key, their packs,
	// and what the run did with each record.
	found *index
	packs []*pack         // by the index's pack number; nil when missing or damaged
	state []atomic.Uint32 // by record: unused, used, bad

	mu    sync.Mutex
	out   *packWriter   // this run's pack, made at its first entry
	fresh map[Key]entry // entries this run wrote (or moved), which win over found
	done  bool          // the index is written: the run is over
	werr  error         // the first write error: the run's pack is not indexed
	puts  atomic.Int64  // entries put
}

// Record states in Cache.state.
const (
	unused uint32 = iota
	used
	bad
)

// Open opens (making it when needed) the cache at dir, reading its index
// and opening every pack the index names.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	// A note for whoever finds the directory.
	readme := filepath.Join(dir, "README")
	if _, err := os.Stat(readme); errors.Is(err, fs.ErrNotExist) {
		_ = os.WriteFile(readme, []byte("plansite's build cache: safe to delete; plansite makes it again.\n"), 0o644)
	}
	lock, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if fi, err := lock.Stat(); err == nil && fi.Size() == 0 {
		_, _ = lock.WriteString("plansite's runs lock this file to change the index\n")
	}
	c := &Cache{dir: dir, lock: lock, fresh: map[Key]entry{}}
	// Shared while the packs are opened: a prune in another process waits,
	// so no pack goes between reading the index and holding it open.
	lockShared(lock)
	defer unlock(lock)
	c.found = readIndex(filepath.Join(dir, indexName))
	c.packs = make([]*pack, len(c.found.packs))
	for i, name := range c.found.packs {
		c.packs[i] = openPack(filepath.Join(dir, name))
	}
	c.state = make([]atomic.Uint32, c.found.len())
	return c, nil
}

// Dir is the cache's directory.
func (c *Cache) Dir() string { return c.dir }

// Get returns the entry at k. A missing, short or corrupt entry is a miss
// (and a corrupt one is left out of the next index).
func (c *Cache) Get(k Key) ([]byte, bool) {
	return c.GetInto(k, nil)
}

// GetInto is Get reading the entry into *buf, grown when too small (buf
// nil: a new slice): a caller reading thousands of entries one after the
// other makes no garbage of them. The data is valid until *buf is used
// again.
func (c *Cache) GetInto(k Key, buf *[]byte) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	e, ok := c.fresh[k]
	if ok && c.out != nil && e.pack == c.out.pack && c.werr == nil {
		// Written by this run, perhaps still in the buffer.
		c.werr = c.out.flushTo(e.off + int64(recHead) + int64(e.n))
	}
	c.mu.Unlock()
	if ok {
		// Never the last run's value under the same key: a record of the
		// last build is not a hash of its content.
		data, good := e.pack.read(k, e, buf)
		if !good {
			c.mu.Lock()
			if cur, still := c.fresh[k]; still && cur == e {
				delete(c.fresh, k)
			}
			c.mu.Unlock()
		}
		return data, good
	}
	i, ok := c.found.find(k)
	if !ok {
		return nil, false
	}
	e = c.found.entry(i, c.packs)
	if e.pack == nil {
		return nil, false
	}
	data, good := e.pack.read(k, e, buf)
	if !good {
		c.state[i].Store(bad)
		return nil, false
	}
	c.state[i].CompareAndSwap(unused, used)
	return data, true
}

// Keep marks an entry as still wanted without reading it.
func (c *Cache) Keep(k Key) {
	if c == nil {
		return
	}
	if i, ok := c.found.find(k); ok {
		c.state[i].CompareAndSwap(unused, used)
	}
}

// Wrote reports whether this run put anything in the cache.
func (c *Cache) Wrote() bool { return c != nil && c.puts.Load() > 0 }

// Put stores at k the data made of parts, one after the other.
func (c *Cache) Put(k Key, parts ...[]byte) error {
	w := c.Create(k)
	for _, p := range parts {
		w.Write(p)
	}
	return w.Commit()
}

// Writer makes one entry from pieces: each is copied as it comes into a
// pooled buffer (a piece may be a buffer its maker reuses), and the entry
// is appended to the run's pack whole at Commit. A large site's pages and
// models make no garbage on their way to the cache.
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
		*w.buf = append((*w.buf)[:0], make([]byte, recHead)...)
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

// Commit adds the entry to the run's pack and releases the writer.
func (w *Writer) Commit() error {
	if w.buf == nil {
		return nil
	}
	defer w.release()
	return w.c.append(w.k, *w.buf)
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

// errDone is a Put after the run's index was written.
var errDone = errors.New("cache: the run is over")

// append adds the record rec (header space, then the data) at k to the
// run's pack.
func (c *Cache) append(k Key, rec []byte) error {
	putHead(rec, k)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return errDone
	}
	if c.werr != nil {
		return c.werr
	}
	// A key names what its value is made from: put again in one run (ten
	// thousand pages share a few hundred bodies), it is written once.
	if e, ok := c.fresh[k]; ok && c.out != nil && e.pack == c.out.pack && e == headOf(rec, e.pack, e.off) {
		c.puts.Add(1)
		return nil
	}
	e, err := c.appendLocked(k, rec)
	if err != nil {
		c.werr = err
		return err
	}
	c.puts.Add(1)
	c.fresh[k] = e
	return nil
}

func (c *Cache) appendLocked(k Key, rec []byte) (entry, error) {
	if c.out == nil {
		// Made under the directory's lock, and held open at once: a prune
		// in another process takes a pack nobody holds for a leftover.
		lockShared(c.lock)
		out, err := createPack(c.dir)
		unlock(c.lock)
		if err != nil {
			return entry{}, err
		}
		c.out = out
	}
	return c.out.append(rec)
}

// Close ends the run without pruning: what it wrote joins the index on disk
// (a build that failed keeps what it made for the next), and its files are
// closed. A nil *Cache, or one already pruned, only closes.
func (c *Cache) Close() error {
	if c == nil {
		return nil
	}
	err := c.commit(false)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.packs {
		p.close()
	}
	c.packs = nil
	if c.out != nil {
		c.out.close()
	}
	c.lock.Close()
	return err
}

// Prune ends the run: the index keeps only what the run read, wrote or
// kept, so the cache holds one build's worth (what CI saves is what the
// next build reads); packs mostly dead are rewritten, and packs no index
// names are removed, with leftovers of runs that were killed. Close must
// still be called.
func (c *Cache) Prune() error {
	if c == nil {
		return nil
	}
	return c.commit(true)
}
