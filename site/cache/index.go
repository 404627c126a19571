package cache

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// indexMagic starts the index, with its format's version. Then the packs'
// names (a count, then each length-prefixed), the records (a count, then
// each recSize bytes: key, pack number, offset, length, checksum, sorted by
// key, so a lookup is a binary search in the file as read), and a CRC-32C
// of all that: an index cut short or damaged is no index, and every entry
// a miss.
var indexMagic = []byte("plansite-index 1\n")

const recSize = len(Key{}) + 4 + 8 + 4 + 4

// index is the index as read: records sorted by key.
type index struct {
	packs []string
	recs  []byte
}

func (x *index) len() int { return len(x.recs) / recSize }

func (x *index) key(i int) []byte { return x.recs[i*recSize : i*recSize+len(Key{})] }

// find is the record number of k.
func (x *index) find(k Key) (int, bool) {
	n := x.len()
	i := sort.Search(n, func(i int) bool { return bytes.Compare(x.key(i), k[:]) >= 0 })
	return i, i < n && bytes.Equal(x.key(i), k[:])
}

// entry is record i, in packs by number (nil pack: missing).
func (x *index) entry(i int, packs []*pack) entry {
	r := x.recs[i*recSize+len(Key{}):]
	e := entry{off: int64(binary.BigEndian.Uint64(r[4:])), n: binary.BigEndian.Uint32(r[12:]), crc: binary.BigEndian.Uint32(r[16:])}
	if p := binary.BigEndian.Uint32(r); int(p) < len(packs) {
		e.pack = packs[p]
	}
	return e
}

// packOf is the pack number of record i.
func (x *index) packOf(i int) int {
	return int(binary.BigEndian.Uint32(x.recs[i*recSize+len(Key{}):]))
}

// readIndex reads the index at p; a missing or damaged one is empty.
func readIndex(p string) *index {
	b, err := os.ReadFile(p)
	if err != nil || len(b) < len(indexMagic)+4 || !bytes.HasPrefix(b, indexMagic) {
		return &index{}
	}
	body := b[:len(b)-4]
	if binary.BigEndian.Uint32(b[len(body):]) != crc32.Checksum(body, crcTable) {
		return &index{}
	}
	r := body[len(indexMagic):]
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(r)
		if n <= 0 {
			return 0, false
		}
		r = r[n:]
		return v, true
	}
	np, ok := next()
	if !ok || np > uint64(len(r)) {
		return &index{}
	}
	x := &index{packs: make([]string, 0, np)}
	for range np {
		n, ok := next()
		if !ok || n > uint64(len(r)) || !isPackName(string(r[:n])) {
			return &index{}
		}
		x.packs = append(x.packs, string(r[:n]))
		r = r[n:]
	}
	nr, ok := next()
	if !ok || nr*uint64(recSize) != uint64(len(r)) {
		return &index{}
	}
	x.recs = r
	for i := range x.len() {
		if x.packOf(i) >= len(x.packs) {
			return &index{}
		}
	}
	return x
}

// indexEntry is a record of an index being written.
type indexEntry struct {
	key  Key
	pack string
	off  int64
	n    uint32
	crc  uint32
}

// encodeIndex is the index of es, sorted by key here.
func encodeIndex(es []indexEntry) []byte {
	slices.SortFunc(es, func(a, b indexEntry) int { return bytes.Compare(a.key[:], b.key[:]) })
	num := map[string]uint32{}
	var names []string
	for _, e := range es {
		if _, ok := num[e.pack]; !ok {
			num[e.pack] = uint32(len(names))
			names = append(names, e.pack)
		}
	}
	b := make([]byte, 0, len(indexMagic)+64*len(names)+recSize*len(es)+32)
	b = append(b, indexMagic...)
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, n := range names {
		b = binary.AppendUvarint(b, uint64(len(n)))
		b = append(b, n...)
	}
	b = binary.AppendUvarint(b, uint64(len(es)))
	for _, e := range es {
		b = append(b, e.key[:]...)
		b = binary.BigEndian.AppendUint32(b, num[e.pack])
		b = binary.BigEndian.AppendUint64(b, uint64(e.off))
		b = binary.BigEndian.AppendUint32(b, e.n)
		b = binary.BigEndian.AppendUint32(b, e.crc)
	}
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
}

// writeIndex replaces the index in dir, whole: written beside, then
// renamed, so a reader finds the old index or the new, never a mix.
func writeIndex(dir string, b []byte) error {
	f, err := os.CreateTemp(dir, indexName+tmpMark+"*")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, indexName))
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}

// tmpMark marks an index being written; one left behind is a leftover of a
// run that was killed.
const tmpMark = ".tmp-"

// Compaction: a pack is rewritten into the run's own when less than half
// of it is still used, or when it is small (each edit's run makes one; left
// alone they would pile up).
const smallPack = 8 << 20

// commit writes the run's index: with prune, what the run used; without,
// the index on disk (another run's, perhaps, since this one began) and what
// this run wrote. It runs once; the directory is locked meanwhile.
func (c *Cache) commit(prune bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return nil
	}
	c.done = true
	if c.out != nil && c.werr == nil {
		c.werr = c.out.flush()
	}
	if !prune && (len(c.fresh) == 0 || c.werr != nil) {
		return c.werr
	}
	lockExclusive(c.lock)
	defer unlock(c.lock)
	var es []indexEntry
	if prune {
		es = c.keptEntries()
	} else {
		disk := readIndex(filepath.Join(c.dir, indexName))
		for i := range disk.len() {
			k := Key(disk.key(i))
			if _, ok := c.fresh[k]; !ok {
				e := disk.entry(i, nil)
				es = append(es, indexEntry{key: k, pack: disk.packs[disk.packOf(i)], off: e.off, n: e.n, crc: e.crc})
			}
		}
	}
	if c.werr == nil {
		for k, e := range c.fresh {
			es = append(es, indexEntry{key: k, pack: e.pack.name, off: e.off, n: e.n, crc: e.crc})
		}
	}
	if err := writeIndex(c.dir, encodeIndex(es)); err != nil {
		return err
	}
	if prune {
		named := map[string]bool{}
		for _, e := range es {
			named[e.pack] = true
		}
		c.removeUnnamed(named)
	}
	return c.werr
}

// keptEntries are the records the run used (and did not put again), those
// of packs worth rewriting moved into the run's pack first.
func (c *Cache) keptEntries() []indexEntry {
	var kept []int
	live := make([]int64, len(c.packs))
	for i := range c.found.len() {
		if c.state[i].Load() != used || c.packs[c.found.packOf(i)] == nil {
			continue
		}
		if _, put := c.fresh[Key(c.found.key(i))]; put {
			continue
		}
		kept = append(kept, i)
		live[c.found.packOf(i)] += int64(recHead) + int64(c.found.entry(i, c.packs).n)
	}
	moving := make([]bool, len(c.packs))
	for p, pk := range c.packs {
		moving[p] = c.werr == nil && pk != nil && live[p] > 0 && (2*live[p] < pk.size || pk.size < smallPack)
	}
	es := make([]indexEntry, 0, len(kept))
	for _, i := range kept {
		k, e := Key(c.found.key(i)), c.found.entry(i, c.packs)
		if moving[c.found.packOf(i)] && c.werr == nil {
			rec, ok := e.pack.record(k, e, nil)
			if !ok {
				continue // damaged: a miss for the next run too
			}
			moved, err := c.appendLocked(k, rec)
			if err == nil {
				c.fresh[k] = moved
				continue
			}
			c.werr = err
		}
		es = append(es, indexEntry{key: k, pack: e.pack.name, off: e.off, n: e.n, crc: e.crc})
	}
	if c.out != nil && c.werr == nil {
		c.werr = c.out.flush()
	}
	if c.werr != nil {
		// The run's pack is not to be trusted (and is left out): the
		// records stay where they were.
		es = es[:0]
		for _, i := range kept {
			k, e := Key(c.found.key(i)), c.found.entry(i, c.packs)
			es = append(es, indexEntry{key: k, pack: e.pack.name, off: e.off, n: e.n, crc: e.crc})
		}
	}
	return es
}

// removeUnnamed removes the packs the new index does not name and no other
// run holds open (a run still writing or reading holds its packs with a
// shared lock; a killed one holds nothing), indexes left half written, and
// the directories of the cache's earlier one-file-per-entry format.
func (c *Cache) removeUnnamed(named map[string]bool) {
	ents, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	mine := map[string]*os.File{}
	for _, p := range c.packs {
		if p != nil {
			mine[p.name] = p.f
		}
	}
	if c.out != nil {
		mine[c.out.name] = c.out.f
	}
	for _, d := range ents {
		name, p := d.Name(), filepath.Join(c.dir, d.Name())
		switch {
		case isPackName(name) && !named[name]:
			f, ok := mine[name]
			if !ok {
				if f, err = os.Open(p); err != nil {
					continue
				}
				defer f.Close()
			}
			if tryExclusive(f) {
				_ = os.Remove(p)
			} else if ok {
				tryShared(f) // a failed upgrade may have dropped the run's own lock
			}
		case strings.HasPrefix(name, indexName+tmpMark):
			_ = os.Remove(p)
		case d.IsDir() && len(name) == 2 && isHex(name):
			_ = os.RemoveAll(p)
		}
	}
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}
