package cache

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Files of the cache directory.
const (
	indexName  = "index"
	lockName   = "lock"
	packPrefix = "pack-"
	packSuffix = ".pack"
)

// packMagic starts every pack, with its format's version. A record in a
// pack is its key, the length and CRC-32C of its data, then the data: the
// index says where, the record says what, and a record cut short or
// damaged on disk does not check out (the key already names the content;
// the checksum only catches damage, at memory speed).
var packMagic = []byte("plansite-pack 1\n")

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// recHead is a record's header: key, length, checksum.
const recHead = len(Key{}) + 4 + 4

// packBuffer is how much of a pack is gathered before it is written.
const packBuffer = 1 << 20

// entry is where a record is.
type entry struct {
	pack *pack
	off  int64 // of the record's header
	n    uint32
	crc  uint32
}

// pack is a pack file open for reading, held with a shared lock while the
// run may read it: a prune in another process leaves it in place.
type pack struct {
	f    *os.File
	name string
	size int64
}

// isPackName reports whether name is a pack's, as this package names them:
// an index copied from elsewhere names nothing outside the directory.
func isPackName(name string) bool {
	id, ok := strings.CutPrefix(name, packPrefix)
	id, ok2 := strings.CutSuffix(id, packSuffix)
	if !ok || !ok2 || len(id) == 0 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

// openPack opens the pack at p, nil when it is missing or not a pack.
func openPack(p string) *pack {
	f, err := os.Open(p)
	if err != nil {
		return nil
	}
	lockShared(f)
	head := make([]byte, len(packMagic))
	fi, err := f.Stat()
	if err != nil || fi.Size() < int64(len(head)) {
		f.Close()
		return nil
	}
	if _, err := f.ReadAt(head, 0); err != nil || !bytes.Equal(head, packMagic) {
		f.Close()
		return nil
	}
	return &pack{f: f, name: filepath.Base(p), size: fi.Size()}
}

// record reads the whole record at e (header and data) into *buf (nil: a
// new slice) and checks it is the entry k; ok false when it is short,
// another key's or damaged.
func (p *pack) record(k Key, e entry, buf *[]byte) ([]byte, bool) {
	n := recHead + int(e.n)
	var b []byte
	if buf == nil {
		b = make([]byte, n)
	} else {
		b = slices.Grow((*buf)[:0], n)[:n]
		*buf = b
	}
	if _, err := p.f.ReadAt(b, e.off); err != nil {
		return nil, false
	}
	if !bytes.Equal(b[:len(k)], k[:]) || binary.BigEndian.Uint32(b[len(k):]) != e.n ||
		binary.BigEndian.Uint32(b[len(k)+4:]) != e.crc || crc32.Checksum(b[recHead:], crcTable) != e.crc {
		return nil, false
	}
	return b, true
}

// read is the data of the entry k at e.
func (p *pack) read(k Key, e entry, buf *[]byte) ([]byte, bool) {
	b, ok := p.record(k, e, buf)
	if !ok {
		return nil, false
	}
	return b[recHead:], true
}

func (p *pack) close() {
	if p != nil {
		p.f.Close()
	}
}

// putHead fills in the header of rec, a record whose data follows it.
func putHead(rec []byte, k Key) {
	copy(rec, k[:])
	binary.BigEndian.PutUint32(rec[len(k):], uint32(len(rec)-recHead))
	binary.BigEndian.PutUint32(rec[len(k)+4:], crc32.Checksum(rec[recHead:], crcTable))
}

// headOf is the entry a record's header describes, at off in p.
func headOf(rec []byte, p *pack, off int64) entry {
	return entry{pack: p, off: off, n: binary.BigEndian.Uint32(rec[len(Key{}):]), crc: binary.BigEndian.Uint32(rec[len(Key{})+4:])}
}

// packWriter is the run's own pack: records appended through a buffer,
// read back (rarely, in the run that wrote them) once flushed.
type packWriter struct {
	*pack
	w       *bufio.Writer
	end     int64 // where the next record goes
	flushed int64 // how much is in the file
}

// createPack makes a new pack in dir under a name no other run (or
// machine, the cache being copied) picks.
func createPack(dir string) (*packWriter, error) {
	var id [12]byte
	if _, err := io.ReadFull(rand.Reader, id[:]); err != nil {
		return nil, err
	}
	name := packPrefix + hex.EncodeToString(id[:]) + packSuffix
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	lockShared(f)
	w := &packWriter{pack: &pack{f: f, name: name}, w: bufio.NewWriterSize(f, packBuffer)}
	w.w.Write(packMagic)
	w.end = int64(len(packMagic))
	return w, nil
}

// append writes the record rec, its header filled in.
func (w *packWriter) append(rec []byte) (entry, error) {
	e := headOf(rec, w.pack, w.end)
	if _, err := w.w.Write(rec); err != nil {
		return entry{}, err
	}
	w.end += int64(len(rec))
	return e, nil
}

// flushTo makes sure the file holds the pack up to end.
func (w *packWriter) flushTo(end int64) error {
	if w.flushed >= end {
		return nil
	}
	if err := w.w.Flush(); err != nil {
		return err
	}
	w.flushed = w.end
	w.size = w.end
	return nil
}

func (w *packWriter) flush() error { return w.flushTo(w.end) }
