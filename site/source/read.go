package source

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrOutside is the error of a read whose path, through a symbolic link,
// leads outside the source root.
var ErrOutside = errors.New("symbolic link leads outside the source directory")

// Open opens rel (slash-separated) under root for reading. It never opens a
// file outside root, whatever symbolic links on the way say: a link in a
// repository could otherwise publish /etc/passwd or a CI secret.
func Open(root, rel string) (*os.File, error) { return openFile(root, rel, os.O_RDONLY) }

func openFile(root, rel string, flag int) (*os.File, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return openIn(r, root, rel, flag)
}

// openIn is openFile given root opened as r.
func openIn(r *os.Root, root, rel string, flag int) (*os.File, error) {
	name := filepath.FromSlash(rel)
	f, err := r.OpenFile(name, flag, 0)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	// os.Root refuses every absolute link, even one that stays inside;
	// resolve it here and open the resolved path, again within root.
	target, rerr := filepath.EvalSymlinks(filepath.Join(root, name))
	if rerr != nil {
		return nil, err
	}
	inside, ok := within(realPath(root), target)
	if !ok {
		return nil, ErrOutside
	}
	real, err := os.OpenRoot(realPath(root))
	if err != nil {
		return nil, err
	}
	defer real.Close()
	return real.OpenFile(inside, flag, 0)
}

// ReadFile reads rel under root as Open does, refusing what is not a regular
// file (a FIFO would block the build) and files over limit bytes (no limit
// when limit <= 0).
func ReadFile(root, rel string, limit int64) ([]byte, error) {
	d, err := OpenDir(root)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.ReadFile(rel, limit)
}

// A Dir is a source root opened once to read many files under it: each
// read then starts from it, rather than opening the root again (a tenth
// of reading a plan document).
type Dir struct {
	path string
	root *os.Root
}

// OpenDir opens the root for reading the files under it.
func OpenDir(root string) (*Dir, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, err
	}
	return &Dir{path: root, root: r}, nil
}

// Close closes the root.
func (d *Dir) Close() error { return d.root.Close() }

// ReadFile is ReadFile of rel under d. It is safe for concurrent use.
func (d *Dir) ReadFile(rel string, limit int64) ([]byte, error) {
	// Non-blocking, so that opening a FIFO does not wait for a writer; it
	// changes nothing for a regular file.
	f, err := openIn(d.root, d.path, rel, os.O_RDONLY|nonBlock)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", fi.Mode().Type())
	}
	if limit > 0 && fi.Size() > limit {
		return nil, fmt.Errorf("file is %d MB, over the %d MB limit", fi.Size()>>20, limit>>20)
	}
	b := make([]byte, fi.Size())
	n, err := io.ReadFull(f, b)
	if err == io.ErrUnexpectedEOF { // shrank while read
		return b[:n], nil
	}
	return b, err
}

// FS is the tree under root as an fs.FS that, like Open, never leaves it.
func FS(root string) fs.FS { return rootFS(root) }

type rootFS string

func (r rootFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := Open(string(r), name)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// realPath is p with every symbolic link resolved, or p when that fails.
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// within returns target relative to root when it lies inside root.
func within(root, target string) (string, bool) {
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return rel, true
}
