package output

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// badgeSite is a site of pages, each with a badge of one of a few
// contents, and two large files with the same bytes.
func badgeSite() map[string]string {
	site := map[string]string{}
	for i := range 12 {
		site[fmt.Sprintf("d%d/index.html", i)] = fmt.Sprintf("page %d", i)
		site[fmt.Sprintf("d%d/badge.svg", i)] = fmt.Sprintf("<svg>status %d</svg>", i%3)
	}
	big := strings.Repeat("x", twinMaxSize+1)
	site["big1.txt"], site["big2.txt"] = big, big
	return site
}

func sameFile(t *testing.T, a, b string) bool {
	t.Helper()
	fa, err1 := os.Lstat(a)
	fb, err2 := os.Lstat(b)
	if err1 != nil || err2 != nil {
		t.Fatalf("%v, %v", err1, err2)
	}
	return os.SameFile(fa, fb)
}

// Small files of the same bytes are one file under several names; files
// of other bytes, and large ones, are files of their own.
func TestIdenticalSmallFilesAreOneFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("files are written, not linked, where links may fail")
	}
	dest := filepath.Join(t.TempDir(), "public")
	site := badgeSite()
	build(t, dest, site)
	assertFiles(t, dest, site)
	at := func(rel string) string { return filepath.Join(dest, filepath.FromSlash(rel)) }
	if !sameFile(t, at("d0/badge.svg"), at("d3/badge.svg")) || !sameFile(t, at("d1/badge.svg"), at("d10/badge.svg")) {
		t.Error("two badges of the same bytes are two files")
	}
	if sameFile(t, at("d0/badge.svg"), at("d1/badge.svg")) {
		t.Error("two badges of different bytes are one file")
	}
	if sameFile(t, at("big1.txt"), at("big2.txt")) {
		t.Error("two large files are one file")
	}
}

// A build that changes one badge of several twins changes that badge only:
// the twins in the site, and the spare's, keep their bytes. So through the
// spare, and through a commit without it.
func TestChangedTwinLeavesItsTwins(t *testing.T) {
	for _, swap := range []bool{true, false} {
		t.Run(fmt.Sprintf("swap=%v", swap), func(t *testing.T) {
			if !swap {
				exchangeDirs = func(a, b string) error { return errors.ErrUnsupported }
				defer func() { exchangeDirs = exchange }()
			}
			dest := filepath.Join(t.TempDir(), "public")
			site := badgeSite()
			build(t, dest, site)
			for _, rel := range []string{"d0/badge.svg", "d3/badge.svg", "d1/badge.svg"} {
				last := maps.Clone(site)
				site[rel] = "<svg>changed</svg>"
				build(t, dest, site)
				assertFiles(t, dest, site)
				if swap {
					spare := tree(t, spareOf(dest))
					delete(spare, recordName)
					for rel, want := range last {
						if spare[rel] != want {
							t.Errorf("the spare's %s is %q, want %q as the last site had it", rel, spare[rel], want)
						}
					}
				}
			}
			slow := filepath.Join(t.TempDir(), "public")
			build(t, slow, site)
			sameTree(t, "after three changed badges", tree(t, dest), tree(t, slow))
		})
	}
}

// A file of the bytes of a hundred others is linked to at most
// twinMaxLinks times: past that, another file takes its twins.
func TestTwinsLinkedAtMostMaxLinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("files are written, not linked, where links may fail")
	}
	dest := filepath.Join(t.TempDir(), "public")
	w, err := New(dest, Options{})
	must(t, err)
	n := twinMaxLinks + 5
	for i := range n {
		must(t, w.Write(fmt.Sprintf("p%d/badge.svg", i), []byte("<svg/>")))
	}
	_, err = w.Commit("plansite test")
	must(t, err)
	inodes := map[uint64]int{}
	for i := range n {
		fi, err := os.Lstat(filepath.Join(dest, fmt.Sprintf("p%d", i), "badge.svg"))
		must(t, err)
		inodes[inode(fi)]++
	}
	if len(inodes) != 2 {
		t.Errorf("%d badges of the same bytes are %d files, want 2 (%d names at most each)", n, len(inodes), twinMaxLinks+1)
	}
}

// A file streamed where one was written already is refused before it is
// opened: the file there may be a twin, and opening it to write would
// change every name it has.
func TestStreamOverAWrittenTwinChangesNoTwin(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	w, err := New(dest, Options{})
	must(t, err)
	defer w.Abort()
	must(t, w.Write("a/badge.svg", []byte("<svg/>")))
	must(t, w.Write("b/badge.svg", []byte("<svg/>")))
	if f, err := w.Create("b/badge.svg"); err == nil {
		f.Close()
		t.Error("a file was streamed over one written already")
	}
	if got := read(t, filepath.Join(w.staging, "a", "badge.svg")); got != "<svg/>" {
		t.Errorf("the twin of a file streamed over holds %q", got)
	}
}
