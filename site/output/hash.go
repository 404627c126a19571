package output

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"os"

	"github.com/cespare/xxhash/v2"
)

// HashKind names how the manifest hashes the files it lists. A manifest
// says which in its "hash" field; one without it is of the builds before
// the field, which hashed with sha256, and is read as such: its hashes are
// compared only with hashes of the same kind, so a file plansite wrote is
// never taken for one edited since (nor the reverse) because the next
// build hashes another way.
type HashKind string

const (
	// HashSHA256 is sha256, hex: manifests that name no kind.
	HashSHA256 HashKind = ""
	// HashXXH64 is xxhash64, hex: what a build writes. It tells whether a
	// file changed, as the manifest needs, at a tenth of sha256's CPU (a
	// large site is most of a gigabyte); nothing relies on it against
	// someone who forges collisions: a file kept because its hash is the
	// same is also compared byte for byte where the bytes are at hand.
	HashXXH64 HashKind = "xxh64"
)

// hashKind is how this build hashes what it writes.
const hashKind = HashXXH64

// new is a hash of kind k; nil for a kind this program does not know (a
// later one's): no file then matches its manifest's hashes, so none is
// taken as unedited, and none kept by them.
func (k HashKind) new() hash.Hash {
	switch k {
	case HashSHA256:
		return sha256.New()
	case HashXXH64:
		return xxhash.New()
	}
	return nil
}

// sum is the hash of data, hex; "" for a kind not known.
func (k HashKind) sum(data []byte) string {
	switch k {
	case HashSHA256:
		s := sha256.Sum256(data)
		return hex.EncodeToString(s[:])
	case HashXXH64:
	default:
		return ""
	}
	var b [8]byte
	h := xxhash.Sum64(data)
	for i := range b {
		b[i] = byte(h >> (56 - 8*i))
	}
	return hex.EncodeToString(b[:])
}

// fileSum is the hash of the file at p, hex; "" when it cannot be read.
func (k HashKind) fileSum(p string) string {
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := k.new()
	if h == nil {
		return ""
	}
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// holds reports whether the file at p hashes to sum.
func (k HashKind) holds(p, sum string) bool { return sum != "" && k.fileSum(p) == sum }

// HashOf is the hash a build gives a file of these bytes (Made, Wrote and
// Files report them).
func HashOf(data []byte) string { return hashKind.sum(data) }
