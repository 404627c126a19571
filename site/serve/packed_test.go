package serve

import (
	"bytes"
	"strings"
	"testing"
)

// TestPackedReadsBackWhatWasPacked packs small and large pages and expects
// each back byte for byte, and equal pages to pack equal (put relies on it
// to tell a changed page).
func TestPackedReadsBackWhatWasPacked(t *testing.T) {
	for _, page := range []string{"", "<p>short</p>", strings.Repeat("<li>a row of a long page é</li>\n", 2000)} {
		p := pack([]byte(page))
		if got := p.bytes(); !bytes.Equal(got, []byte(page)) {
			t.Errorf("a page of %d bytes reads back as %d bytes", len(page), len(got))
		}
		if !p.equal(pack([]byte(page))) {
			t.Errorf("a page of %d bytes packs differently twice", len(page))
		}
		if len(page) >= packMin && len(p.b) >= len(page) {
			t.Errorf("a page of %d bytes is held in %d", len(page), len(p.b))
		}
	}
	if pack([]byte("<p>one</p>" + strings.Repeat("x", 4000))).equal(pack([]byte("<p>two</p>" + strings.Repeat("x", 4000)))) {
		t.Error("two different pages pack equal")
	}
}
