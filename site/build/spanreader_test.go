package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The spans plan.json copies from the last one are what the file holds
// there, read in order, out of order, across the window's end, and a span
// past the file's end is no span.
func TestSpanReaderReadsTheSpans(t *testing.T) {
	var text strings.Builder
	for text.Len() < 3*spanWindow {
		text.WriteString("0123456789abcdefghijklmnopqrstuvwxyz")
	}
	p := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(p, []byte(text.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := spanReader{f: f}
	all := text.String()
	for _, s := range []struct{ off, n int }{{0, 10}, {10, 100}, {spanWindow - 5, 10}, {3, 7}, {2 * spanWindow, spanWindow + 9}, {len(all) - 4, 4}} {
		b, ok := r.read(int64(s.off), s.n)
		if !ok || string(b) != all[s.off:s.off+s.n] {
			t.Errorf("span %d+%d: %q, %v; want %q", s.off, s.n, b, ok, all[s.off:s.off+s.n])
		}
	}
	if b, ok := r.read(int64(len(all)-4), 5); ok {
		t.Errorf("a span past the end read as %q", b)
	}
}
