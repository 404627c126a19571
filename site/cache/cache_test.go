package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func key(s string) Key { return NewHasher("test").String(s).Sum() }

func open(t testing.TB, dir string) *Cache {
	t.Helper()
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func put(t *testing.T, c *Cache, name, value string) {
	t.Helper()
	if err := c.Put(key(name), []byte(value)); err != nil {
		t.Fatal(err)
	}
}

// want fails unless c holds exactly the entries given (name → value, ""
// for a miss).
func want(t *testing.T, c *Cache, step string, entries map[string]string) {
	t.Helper()
	for name, v := range entries {
		got, ok := c.Get(key(name))
		switch {
		case v == "" && ok:
			t.Errorf("%s: %s read back as %q, want a miss", step, name, got)
		case v != "" && (!ok || string(got) != v):
			t.Errorf("%s: %s read back as %q, %v; want %q", step, name, got, ok, v)
		}
	}
}

// endRun prunes and closes c, as a build that succeeded does.
func endRun(t *testing.T, c *Cache) {
	t.Helper()
	if err := c.Prune(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

// files are the names in dir, with their sizes.
func files(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, e := range ents {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = fi.Size()
	}
	return out
}

func packs(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for name := range files(t, dir) {
		if isPackName(name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func TestEntriesReadBack(t *testing.T) {
	var none *Cache
	if _, ok := none.Get(key("x")); ok || none.Put(key("x"), []byte("v")) != nil || none.Prune() != nil || none.Close() != nil {
		t.Error("a nil cache should hold nothing and take anything")
	}
	dir := filepath.Join(t.TempDir(), DirName)
	c := open(t, dir)
	a, b := NewHasher("doc").String("a.md").Sum(), NewHasher("doc").String("b.md").Sum()
	if a == b || NewHasher("doc").String("ab").String("").Sum() == NewHasher("doc").String("a").String("b").Sum() {
		t.Fatal("different parts must make different keys")
	}
	put(t, c, "a", "page a")
	w := c.Create(key("b"))
	w.Write([]byte("page "))
	w.Write([]byte("b"))
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	c.Create(key("aborted")).Abort()
	// Put again with its value, a key is written once; with another value
	// (a record, not a hash of content), the last value wins.
	put(t, c, "a", "page a")
	put(t, c, "record", "first")
	put(t, c, "record", "second")
	if n := len(c.fresh); n != 3 || c.out.end != int64(len(packMagic)+4*recHead+len("page apage bfirstsecond")) {
		t.Errorf("%d entries, %d bytes written", n, c.out.end)
	}
	// The run reads back what it wrote, before its pack is written out.
	want(t, c, "the run that wrote them", map[string]string{"a": "page a", "b": "page b", "record": "second", "aborted": "", "never": ""})
	if !c.Wrote() {
		t.Error("Wrote is false after a put")
	}
	endRun(t, c)
	if err := c.Put(key("late"), []byte("x")); err == nil {
		t.Error("a put after the run's end reported no error")
	}

	c = open(t, dir)
	if c.Wrote() {
		t.Error("Wrote is true before a put")
	}
	want(t, c, "the next run", map[string]string{"a": "page a", "b": "page b", "record": "second", "aborted": "", "late": ""})
	// A key whose value changed (a record of the last build, not a hash of
	// content) reads as its last value.
	put(t, c, "a", "page a, again")
	want(t, c, "after a put over it", map[string]string{"a": "page a, again"})
	endRun(t, c)
	// Copied elsewhere (CI restores it on another machine, at another
	// path), it reads the same.
	copied := filepath.Join(t.TempDir(), "restored")
	if err := os.CopyFS(copied, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	c = open(t, copied)
	want(t, c, "a copy", map[string]string{"a": "page a, again", "b": "page b"})
	endRun(t, c)
	if got := packs(t, dir); len(got) != 1 {
		t.Errorf("packs %v, want one: what the run used", got)
	}
}

// Many writers and readers at once, as a build's workers are.
func TestConcurrentUse(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				name := fmt.Sprintf("%d/%d", g, i)
				v := strings.Repeat(name, i)
				if err := c.Put(key(name), []byte(v)); err != nil {
					t.Error(err)
					return
				}
				if got, ok := c.Get(key(name)); !ok || string(got) != v {
					t.Errorf("%s read back as %d bytes, %v", name, len(got), ok)
				}
			}
		})
	}
	wg.Wait()
	endRun(t, c)
	c = open(t, dir)
	defer c.Close()
	for g := range 8 {
		for i := range 200 {
			name := fmt.Sprintf("%d/%d", g, i)
			if got, ok := c.Get(key(name)); !ok || string(got) != strings.Repeat(name, i) {
				t.Fatalf("next run: %s read back as %d bytes, %v", name, len(got), ok)
			}
		}
	}
}

// onePack writes a, b and c in one run and returns the pack's path.
func onePack(t *testing.T, dir string) string {
	t.Helper()
	c := open(t, dir)
	put(t, c, "a", "page a")
	put(t, c, "b", "page b")
	put(t, c, "c", "page c")
	endRun(t, c)
	p := packs(t, dir)
	if len(p) != 1 {
		t.Fatalf("packs %v after one run", p)
	}
	return filepath.Join(dir, p[0])
}

func rewrite(t *testing.T, p string, change func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, change(b), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A damaged entry, a pack cut short (a torn tail) and a missing pack are
// misses; the entries around them still read.
func TestDamagedPacksAreMisses(t *testing.T) {
	all := map[string]string{"a": "page a", "b": "page b", "c": "page c"}
	for _, tc := range []struct {
		name   string
		damage func(pack string)
		want   map[string]string
	}{
		{"flipped byte", func(p string) {
			rewrite(t, p, func(b []byte) []byte { b[bytes.Index(b, []byte("page b"))+5] ^= 1; return b })
		}, map[string]string{"a": "page a", "b": "", "c": "page c"}},
		{"flipped header", func(p string) {
			rewrite(t, p, func(b []byte) []byte { b[bytes.Index(b, []byte("page c"))-5] ^= 1; return b })
		}, map[string]string{"a": "page a", "b": "page b", "c": ""}},
		{"torn tail", func(p string) {
			rewrite(t, p, func(b []byte) []byte { return b[:len(b)-3] })
		}, map[string]string{"a": "page a", "b": "page b", "c": ""}},
		{"cut to its header", func(p string) {
			rewrite(t, p, func(b []byte) []byte { return b[:len(packMagic)] })
		}, map[string]string{"a": "", "b": "", "c": ""}},
		{"not a pack", func(p string) {
			rewrite(t, p, func(b []byte) []byte { return append([]byte("plansite-pack 0\n"), b[len(packMagic):]...) })
		}, map[string]string{"a": "", "b": "", "c": ""}},
		{"missing", func(p string) { os.Remove(p) }, map[string]string{"a": "", "b": "", "c": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.damage(onePack(t, dir))
			c := open(t, dir)
			want(t, c, tc.name, tc.want)
			// The run makes again what it missed; the next reads it all.
			for name, v := range tc.want {
				if v == "" {
					put(t, c, name, all[name])
				}
			}
			endRun(t, c)
			c = open(t, dir)
			want(t, c, tc.name+", the run after", all)
			c.Close()
		})
	}
}

// A damaged index is no index: every entry is a miss, and the run after it
// leaves a good index and drops the packs nothing names.
func TestDamagedIndexIsEmpty(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"flipped byte", func(b []byte) []byte { b[len(b)/2] ^= 1; return b }},
		{"flipped checksum", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }},
		{"cut short", func(b []byte) []byte { return b[:len(b)-recSize] }},
		{"empty", func([]byte) []byte { return nil }},
		{"garbage", func([]byte) []byte { return []byte("plansite-index 1\ngarbage") }},
		{"a pack outside the directory", func(b []byte) []byte {
			b = bytes.Replace(b, []byte(packPrefix), []byte("../k-"), 1)
			return binary.BigEndian.AppendUint32(b[:len(b)-4], crc32c(b[:len(b)-4]))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			old := onePack(t, dir)
			rewrite(t, filepath.Join(dir, indexName), tc.damage)
			c := open(t, dir)
			want(t, c, tc.name, map[string]string{"a": "", "b": "", "c": ""})
			put(t, c, "d", "page d")
			endRun(t, c)
			if _, err := os.Stat(old); err == nil {
				t.Error("the pack the damaged index named was kept")
			}
			c = open(t, dir)
			want(t, c, tc.name+", the run after", map[string]string{"a": "", "d": "page d"})
			c.Close()
		})
	}
}

func crc32c(b []byte) uint32 { return crc32.Checksum(b, crcTable) }

// A run keeps what it read, wrote or kept, and nothing else: leftovers of
// killed runs and the earlier one-file-per-entry format go too.
func TestPruneKeepsOneRunsWorth(t *testing.T) {
	dir := t.TempDir()
	onePack(t, dir)
	leftovers := []string{indexName + tmpMark + "123", "ab/cdef", "packed-by-hand"}
	for _, l := range leftovers {
		p := filepath.Join(dir, l)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := open(t, dir)
	if _, ok := c.Get(key("a")); !ok {
		t.Fatal("a missed")
	}
	c.Keep(key("b"))
	c.Keep(key("never written"))
	put(t, c, "d", "page d")
	endRun(t, c)
	c = open(t, dir)
	want(t, c, "after the prune", map[string]string{"a": "page a", "b": "page b", "c": "", "d": "page d"})
	c.Close()
	got := files(t, dir)
	for _, gone := range []string{leftovers[0], "ab"} {
		if _, ok := got[gone]; ok {
			t.Errorf("%s was kept", gone)
		}
	}
	if _, ok := got["packed-by-hand"]; !ok {
		t.Error("a file the cache did not make was removed")
	}
}

// Each run's pack is rewritten into the next run's while it is small, and a
// large one when most of it is dead: the cache stays near one build's worth
// however many runs change a little.
func TestPacksAreCompacted(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("x", 1<<20)
	c := open(t, dir)
	for i := range 12 {
		put(t, c, strconv.Itoa(i), big+strconv.Itoa(i))
	}
	endRun(t, c)
	first := packs(t, dir)
	// Runs that change one small entry and keep the rest.
	for run := range 5 {
		c = open(t, dir)
		for i := range 12 {
			c.Keep(key(strconv.Itoa(i)))
		}
		put(t, c, "small", "run "+strconv.Itoa(run))
		endRun(t, c)
	}
	if got := packs(t, dir); len(got) != 2 || !slices.Contains(got, first[0]) {
		t.Errorf("after five small runs, packs %v: want the first and one small", got)
	}
	// A run that keeps a third of the large pack: it is rewritten.
	c = open(t, dir)
	for i := range 4 {
		c.Keep(key(strconv.Itoa(i)))
	}
	put(t, c, "small", "last")
	endRun(t, c)
	got := packs(t, dir)
	if len(got) != 1 || got[0] == first[0] {
		t.Fatalf("after most of the large pack died, packs %v: want one new", got)
	}
	if size := files(t, dir)[got[0]]; size > 5<<20 {
		t.Errorf("the pack is %d bytes for 4 MB of entries", size)
	}
	c = open(t, dir)
	defer c.Close()
	want(t, c, "after compaction", map[string]string{"0": big + "0", "3": big + "3", "4": "", "small": "last"})
}

// A run killed before it wrote its index leaves the last index: the next
// run reads what the last one left and removes the killed run's pack.
func TestKilledRunLeavesTheLastIndex(t *testing.T) {
	dir := t.TempDir()
	onePack(t, dir)
	c := open(t, dir)
	c.Keep(key("a"))
	put(t, c, "b", "page b, changed")
	put(t, c, "e", strings.Repeat("e", 3<<20)) // past the buffer: in the file
	c.kill()
	if err := os.WriteFile(filepath.Join(dir, indexName+tmpMark+"7"), []byte("plansite-index 1\nhalf"), 0o644); err != nil {
		t.Fatal(err)
	}
	if len(packs(t, dir)) != 2 {
		t.Fatal("the killed run left no pack")
	}
	c = open(t, dir)
	want(t, c, "after the killed run", map[string]string{"a": "page a", "b": "page b", "c": "page c", "e": ""})
	put(t, c, "f", "page f")
	endRun(t, c)
	if got := packs(t, dir); len(got) != 1 {
		t.Errorf("packs %v: the killed run's was kept", got)
	}
}

// kill stands for the process dying: its files close (and their locks go)
// without an index.
func (c *Cache) kill() {
	c.mu.Lock()
	c.done = true
	c.mu.Unlock()
	c.Close()
}

// Two runs at once on one directory (two Caches: their locks exclude each
// other as two processes' do): the one that ends first leaves the other's
// pack, which the other still reads; the last index is whole.
func TestTwoRunsAtOnce(t *testing.T) {
	dir := t.TempDir()
	onePack(t, dir)
	a, b := open(t, dir), open(t, dir)
	put(t, a, "from a", "A")
	a.Keep(key("a"))
	put(t, b, "from b", strings.Repeat("B", 3<<20))
	b.Keep(key("b"))
	endRun(t, a)
	want(t, b, "b, after a ended", map[string]string{"b": "page b", "from b": strings.Repeat("B", 3<<20)})
	put(t, b, "b2", "B2")
	want(t, b, "b, after a ended", map[string]string{"b2": "B2"})
	endRun(t, b)
	c := open(t, dir)
	want(t, c, "after both", map[string]string{"b": "page b", "b2": "B2", "from b": strings.Repeat("B", 3<<20), "from a": "", "a": ""})
	c.Close()
	if got := packs(t, dir); len(got) != 1 {
		t.Errorf("packs %v after both runs: want the last run's", got)
	}

	// A run that fails (Close without Prune) adds what it wrote to the
	// index another run wrote meanwhile.
	a, b = open(t, dir), open(t, dir)
	put(t, a, "failed", "F")
	put(t, b, "ok", "OK")
	b.Keep(key("b"))
	endRun(t, b)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	c = open(t, dir)
	defer c.Close()
	want(t, c, "after a failed run", map[string]string{"failed": "F", "ok": "OK", "b": "page b", "b2": ""})
}

// A process writing to the cache, killed at some moment: another process
// running meanwhile leaves its pack alone, the next run after it reads the
// cache as the last index has it and removes the killed one's pack.
func TestAnotherProcessKilledWhileWriting(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("flock locks only")
	}
	dir := t.TempDir()
	orig := filepath.Base(onePack(t, dir))
	cmd := exec.Command(os.Args[0], "-test.run", "^TestWriterProcess$")
	cmd.Env = append(os.Environ(), "PLANSITE_CACHE_WRITER="+dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var writer string
	for deadline := time.Now().Add(time.Minute); writer == "" || files(t, dir)[writer] < 4<<20; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the writer made no pack")
		}
		for _, p := range packs(t, dir) {
			if p != orig {
				writer = p
			}
		}
	}
	c := open(t, dir)
	c.Keep(key("a"))
	put(t, c, "meanwhile", "M")
	endRun(t, c)
	// The writer holds its pack, and the one it opened: both stay.
	if got := packs(t, dir); len(got) != 3 || !slices.Contains(got, writer) || !slices.Contains(got, orig) {
		t.Fatalf("packs %v while the writer runs: want its (%s), the one it read and this run's", got, writer)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	c = open(t, dir)
	want(t, c, "after the kill", map[string]string{"a": "page a", "meanwhile": "M", "b": "", "w0": ""})
	put(t, c, "after", "X")
	c.Keep(key("meanwhile"))
	endRun(t, c)
	if got := packs(t, dir); len(got) != 1 {
		t.Errorf("packs %v: the killed writer's was kept", got)
	}
}

// TestWriterProcess is the process TestAnotherProcessKilledWhileWriting
// kills: it writes entries until then.
func TestWriterProcess(t *testing.T) {
	dir := os.Getenv("PLANSITE_CACHE_WRITER")
	if dir == "" {
		t.Skip("run by TestAnotherProcessKilledWhileWriting")
	}
	c := open(t, dir)
	v := bytes.Repeat([]byte("w"), 64<<10)
	for i := 0; ; i++ {
		if err := c.Put(key("w"+strconv.Itoa(i)), v); err != nil {
			t.Fatal(err)
		}
		if i > 100 {
			time.Sleep(time.Millisecond)
		}
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
	// A Hasher Sum finished with is used again, from nothing.
	if got := NewHasher(parts[0]).String(parts[1]).Sum(); got != Key(sha256.Sum256([]byte("\x04page\x00"))) {
		t.Errorf("key of a reused hasher %s, want the SHA-256 of its own parts", got)
	}
}

// Many workers putting at once, as a build's read and page workers do:
// shared keys are written once, every entry reads back in the run and in
// the next, and the pack is the records end to end, no hole and no
// overlap.
func TestManyWritersAtOnce(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	const workers, each, shared = 16, 300, 40
	value := func(name string, i int) []byte { return bytes.Repeat([]byte(name+";"), 1+i*37%500) }
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			for i := range each {
				name := fmt.Sprintf("w%d/%d", g, i)
				if i%5 == 0 {
					// What many workers put: a body many pages share.
					name = fmt.Sprintf("shared/%d", i%shared)
				}
				v := value(name, i%shared)
				if i%5 != 0 {
					v = value(name, i)
				}
				if err := c.Put(key(name), v); err != nil {
					t.Error(err)
					return
				}
				if got, ok := c.Get(key(name)); !ok || !bytes.Equal(got, v) {
					t.Errorf("%s read back as %d bytes, %v; want %d", name, len(got), ok, len(v))
				}
			}
		})
	}
	wg.Wait()
	endRun(t, c)

	c = open(t, dir)
	defer c.Close()
	size := int64(len(packMagic))
	seen := map[string]bool{}
	for g := range workers {
		for i := range each {
			name, v := fmt.Sprintf("w%d/%d", g, i), value(fmt.Sprintf("w%d/%d", g, i), i)
			if i%5 == 0 {
				name = fmt.Sprintf("shared/%d", i%shared)
				v = value(name, i%shared)
			}
			if got, ok := c.Get(key(name)); !ok || !bytes.Equal(got, v) {
				t.Fatalf("next run: %s read back as %d bytes, %v; want %d", name, len(got), ok, len(v))
			}
			if !seen[name] {
				seen[name] = true
				size += int64(recHead + len(v))
			}
		}
	}
	p := packs(t, dir)
	if len(p) != 1 {
		t.Fatalf("packs %v, want the run's one", p)
	}
	if got := files(t, dir)[p[0]]; got != size {
		t.Errorf("the pack is %d bytes; its %d distinct records end to end are %d", got, len(seen), size)
	}
}

// BenchmarkParallelPut is a build's workers putting pages of a few to a
// hundred kilobytes into one run's pack at once.
func BenchmarkParallelPut(b *testing.B) {
	c := open(b, b.TempDir())
	defer c.Close()
	var n atomic.Int64
	page := bytes.Repeat([]byte("<p>a page of the site</p>\n"), 3000) // ~78 KB
	b.SetBytes(int64(len(page)) / 2)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			v := page[:len(page)/8+int(i*7919)%(len(page)*7/8)]
			if err := c.Put(NewHasher("page").String(strconv.FormatInt(i, 10)).Sum(), v); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
