package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestEntriesReadBackAndDamageIsAMiss(t *testing.T) {
	var none *Cache
	if _, ok := none.Get(NewHasher("x").Sum()); ok || none.Put(NewHasher("x").Sum(), []byte("v")) != nil {
		t.Error("a nil cache should hold nothing and take anything")
	}
	c, err := Open(filepath.Join(t.TempDir(), DirName))
	if err != nil {
		t.Fatal(err)
	}
	a, b := NewHasher("doc").String("a.md").Sum(), NewHasher("doc").String("b.md").Sum()
	if a == b || NewHasher("doc").String("ab").String("").Sum() == NewHasher("doc").String("a").String("b").Sum() {
		t.Fatal("different parts must make different keys")
	}
	if err := c.Put(a, []byte("page a")); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(b, []byte("page b")); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Get(a); !ok || string(got) != "page a" {
		t.Fatalf("Get(a) = %q, %v", got, ok)
	}
	// A flipped byte, a cut entry, and garbage are misses, and go.
	for _, damage := range []func([]byte) []byte{
		func(e []byte) []byte { e[len(e)-1] ^= 1; return e },
		func(e []byte) []byte { return e[:len(e)-3] },
		func([]byte) []byte { return []byte("not an entry") },
	} {
		if err := c.Put(a, []byte("page a")); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(c.path(a))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(c.path(a), damage(raw), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, ok := c.Get(a); ok {
			t.Errorf("a damaged entry read back as %q", got)
		}
		if _, err := os.Stat(c.path(a)); err == nil {
			t.Error("a damaged entry was left in place")
		}
	}
	// A new run keeps what it used: b, not a leftover write.
	c2, err := Open(c.Dir())
	if err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(filepath.Dir(c.path(b)), ".tmp-123")
	if err := os.WriteFile(leftover, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	stale := NewHasher("doc").String("gone.md").Sum()
	if err := c.Put(stale, []byte("old")); err != nil {
		t.Fatal(err)
	}
	c2.Keep(b)
	if err := c2.Prune(); err != nil {
		t.Fatal(err)
	}
	if _, ok := c2.Get(b); !ok {
		t.Error("an entry the run kept was pruned")
	}
	if _, err := os.Stat(c.path(stale)); err == nil {
		t.Error("an entry the run did not use was kept")
	}
	if _, err := os.Stat(leftover); err == nil {
		t.Error("a leftover write was kept")
	}
}

// A key is the SHA-256 of its parts, each prefixed with its length, however
// the hasher buffers them: parts past its buffer, and many small ones.
func TestHasherSumsTheLengthPrefixedParts(t *testing.T) {
	long := strings.Repeat("x", 3*hashAt+5)
	parts := []string{"page", "", long, "é", long[:hashAt-3]}
	for i := range 2000 {
		parts = append(parts, strconv.Itoa(i))
	}
	h := NewHasher(parts[0])
	var want []byte
	for _, p := range parts {
		want = binary.AppendUvarint(want, uint64(len(p)))
		want = append(want, p...)
	}
	for _, p := range parts[1:] {
		h.String(p)
	}
	k := Key(sha256.Sum256([]byte("inner")))
	h.Key(k)
	want = append(want, k[:]...)
	if got := h.Sum(); got != Key(sha256.Sum256(want)) {
		t.Errorf("key %s, want the SHA-256 of the parts", got)
	}
}
