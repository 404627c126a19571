// Package output writes a built site to its destination safely: every file
// is first written to a staging directory beside the destination, and only
// when the whole build succeeded does the staged site take the
// destination's place, in one step where the system allows (see Commit).
// A manifest records what plansite wrote, so stale files of its own are
// removed and files it did not write are never replaced or removed.
package output

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
)

// ManifestName is the file in the destination listing what plansite wrote.
const ManifestName = ".plansite-manifest.json"

// Manifest maps each written file (slash-separated, relative) to the hash
// of its content, of the kind Hash names.
type Manifest struct {
	Generator string            `json:"generator"`
	Hash      HashKind          `json:"hash,omitempty"`
	Files     map[string]string `json:"files"`
}

// stagingPrefix starts the name of every staging directory: a build removes
// those that builds killed before it left behind.
const stagingPrefix = ".plansite-staging-"

// Options of a build's output.
type Options struct {
	// Source is the source directory: a destination that is it or holds it
	// is refused.
	Source string
	// Force builds into a directory plansite did not build, and replaces
	// files it did not write where the site has a file of the same path.
	Force bool
}

// Writer stages a build. It is safe for concurrent use.
type Writer struct {
	dest    string
	staging string
	force   bool
	lock    *os.File // held on staging while the build runs
	mu      sync.Mutex
	files   map[string]string // rel → hash of what was staged (hashKind)
	kept    map[string]bool   // of files, those already in dest as written: not staged
	old     Manifest          // what the last build wrote
	dirs    sync.Map          // staging directories already made
	mkdirMu sync.Mutex        // held while a directory is made (see mkdir)
	probe   int64             // the time the staging directory was made, on its file system's clock
	twinMu  sync.Mutex
	twins   map[string]*twin // a small file's bytes → the first staged file holding them
	twinLen int              // the bytes twins holds

	spareLock *os.File     // held on the spare while the build runs
	spareFree bool         // no other build holds the spare: this one may make or change it
	rec       *spareRecord // the spare's record, when it has one
	first     bool         // the destination did not exist: Commit moves the staging directory there
	pre       *mirrored    // the spare BeginSpare or PrepareSpare began, or nil
	prepared  bool         // PrepareSpare was called
	dropping  atomic.Bool  // the spare begun is dropped: stop making it
}

// New starts a build into dest. Nothing in dest changes until Commit. It
// refuses a destination CheckDest refuses and, unless opts.Force, a
// directory that holds files but no manifest.
func New(dest string, opts Options) (*Writer, error) {
	if err := CheckDest(dest, opts.Source); err != nil {
		return nil, err
	}
	abs := resolved(dest) // a link to the site's directory: build beside what it points at
	fi, err := os.Stat(abs)
	switch {
	case err == nil && !fi.IsDir():
		return nil, fmt.Errorf("%s is not a directory", dest)
	case err != nil && !isNotExist(err):
		return nil, err
	}
	first := isNotExist(err)
	old, built := readManifest(abs)
	if err == nil && !built && !opts.Force {
		if err := checkForeign(abs); err != nil {
			return nil, err
		}
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	cleanLeftovers(parent)
	staging, err := os.MkdirTemp(parent, stagingPrefix+filepath.Base(abs)+"-")
	if err != nil {
		return nil, fmt.Errorf("staging directory: %w", err)
	}
	w := &Writer{dest: abs, staging: staging, force: opts.Force, lock: lockDir(staging),
		files: map[string]string{}, kept: map[string]bool{}, old: old, first: first}
	if fi, err := os.Lstat(staging); err == nil {
		w.probe = fi.ModTime().UnixNano()
	}
	w.openSpare()
	return w, nil
}

// Dest is the destination directory.
func (w *Writer) Dest() string { return w.dest }

// Write stages one file at rel (slash-separated).
func (w *Writer) Write(rel string, data []byte) error {
	rel = path.Clean(strings.TrimPrefix(rel, "/"))
	if rel == "." || strings.HasPrefix(rel, "../") || rel == ManifestName {
		return fmt.Errorf("output path %q is outside the site", rel)
	}
	hash := hashKind.sum(data)
	// A file the last build wrote and nobody changed since is left where it
	// is, not staged again: on a rebuild that changes nothing, staging every
	// page only to throw it away was most of the work.
	kept := w.lastWrote(rel, hash) && sameContent(filepath.Join(w.dest, filepath.FromSlash(rel)), data)
	w.mu.Lock()
	if _, dup := w.files[rel]; dup {
		w.mu.Unlock()
		return fmt.Errorf("output %s written twice", rel)
	}
	w.files[rel] = hash
	w.kept[rel] = kept
	w.mu.Unlock()
	if kept {
		return nil
	}
	p := filepath.Join(w.staging, filepath.FromSlash(rel))
	if err := w.mkdir(filepath.Dir(p)); err != nil {
		return err
	}
	if w.linkTwin(p, data) {
		return nil
	}
	if err := writeNew(p, data); err != nil {
		return err
	}
	w.addTwin(p, data)
	return nil
}

// Small files with the same bytes are staged as one file under several
// names (hard links): a site's status badges are thousands of files of a
// few dozen contents, and a link costs the file system less than a new
// file — no inode, no block, nothing written. A twin is found by its
// bytes, never by a hash, so a link always holds what it would have been
// written with. Sharing is safe because no file is ever written into once
// made: staged files are new (writeNew), and every later step links or
// renames whole files, as the spare already shares each file with the
// site (see spare.go). Where a link fails (a system without them, too
// many links) the file is written.
const (
	twinMaxSize  = 4 << 10   // a file of at most one block
	twinMaxBytes = 256 << 10 // the bytes held to find twins: a few hundred small files
	twinMaxLinks = 1000      // names of one staged file: ext4 allows 65,000, and the spare doubles them
)

// twin is a staged file its twins are linked to.
type twin struct {
	path  string
	links int
}

// linkTwin links p to a staged file holding data, and reports whether it
// could.
func (w *Writer) linkTwin(p string, data []byte) bool {
	if len(data) > twinMaxSize {
		return false
	}
	w.twinMu.Lock()
	t := w.twins[string(data)]
	if t == nil || t.links >= twinMaxLinks {
		w.twinMu.Unlock()
		return false
	}
	t.links++
	first := t.path
	w.twinMu.Unlock()
	return os.Link(first, p) == nil
}

// addTwin notes the file just written at p with data as the one its twins
// are linked to, in place of one that could not be linked to any more.
func (w *Writer) addTwin(p string, data []byte) {
	if len(data) > twinMaxSize {
		return
	}
	w.twinMu.Lock()
	defer w.twinMu.Unlock()
	if t := w.twins[string(data)]; t != nil {
		*t = twin{path: p}
		return
	}
	if w.twinLen+len(data) > twinMaxBytes {
		return
	}
	if w.twins == nil {
		w.twins = map[string]*twin{}
	}
	w.twins[string(data)] = &twin{path: p}
	w.twinLen += len(data)
}

// Keep leaves the file at rel in the destination as the last build wrote
// it, without its content: the caller knows this build would write the same
// bytes (hash, as the manifest lists it) and has seen that nobody
// changed the file since. It reports false, and keeps nothing, when the
// last build's manifest does not list rel with that hash (or hashes
// another way than this build): then the caller writes the file.
func (w *Writer) Keep(rel, hash string) bool {
	rel = path.Clean(strings.TrimPrefix(rel, "/"))
	if !w.lastWrote(rel, hash) {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, dup := w.files[rel]; dup {
		return false
	}
	w.files[rel] = hash
	w.kept[rel] = true
	return true
}

// Kept reports whether the file at rel is left in the destination as the
// last build wrote it (by Keep, or by Write given the same bytes).
func (w *Writer) Kept(rel string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.kept[path.Clean(rel)]
}

// Wrote is the hash of the file at rel as the last build wrote it, from
// its manifest; "" when it did not write rel.
func (w *Writer) Wrote(rel string) string { return w.old.Files[path.Clean(rel)] }

// Made is the hash of the file this build wrote or kept at rel; "" when
// it made none there (yet).
func (w *Writer) Made(rel string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.files[path.Clean(rel)]
}

// Files lists what this build wrote or kept: path → hash.
func (w *Writer) Files() map[string]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return maps.Clone(w.files)
}

// Abort drops the staged build; the destination is left as it was.
func (w *Writer) Abort() {
	w.dropPrepared()
	_ = os.RemoveAll(w.staging)
	w.unlock()
}

func (w *Writer) unlock() {
	for _, l := range []**os.File{&w.lock, &w.spareLock} {
		if *l != nil {
			(*l).Close()
			*l = nil
		}
	}
}

// writeManifest writes the manifest of this build into dir.
func (w *Writer) writeManifest(dir, generator string) error {
	m := Manifest{Generator: generator, Hash: hashKind, Files: w.files}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	mp := filepath.Join(dir, ManifestName)
	if cur, err := os.ReadFile(mp); err == nil && bytes.Equal(cur, b) {
		return nil
	}
	tmp := mp + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, mp)
}

// readManifest reads what the last build wrote, and whether there was a
// last build at all.
func readManifest(dest string) (Manifest, bool) {
	m := Manifest{Files: map[string]string{}}
	b, err := os.ReadFile(filepath.Join(dest, ManifestName))
	if err != nil {
		return m, false
	}
	if json.Unmarshal(b, &m) != nil || m.Files == nil {
		m.Files = map[string]string{}
	}
	return m, true
}

var compareBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// sameContent reports whether the file at p holds exactly data, reading it
// in pieces rather than whole.
func sameContent(p string, data []byte) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	bp := compareBufs.Get().(*[]byte)
	defer compareBufs.Put(bp)
	buf := *bp
	for off := 0; off < len(data); {
		n, err := io.ReadFull(f, buf[:min(len(buf), len(data)-off)])
		if !bytes.Equal(buf[:n], data[off:off+n]) {
			return false
		}
		off += n
		if err != nil {
			return off == len(data)
		}
	}
	return true
}

// lastWrote reports whether the last build's manifest lists rel with
// hash, made as this build hashes.
func (w *Writer) lastWrote(rel, hash string) bool {
	return hash != "" && w.old.Hash == hashKind && w.old.Files[rel] == hash
}

func removeEmptyDirs(root, dir string) {
	for dir != root && strings.HasPrefix(dir, root) {
		if err := os.Remove(dir); err != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// Scratch is a directory for intermediate files of this build, removed with
// the staging directory; nothing in it reaches the destination.
func (w *Writer) Scratch() string {
	p := filepath.Join(w.staging, ".scratch")
	_ = os.MkdirAll(p, 0o755)
	return p
}

// mkdir makes a directory once per build, its parents first, one mkdir
// each: a MkdirAll for every page directory stats its way up the tree, and
// on ten thousand pages those calls cost more than writing the pages.
// Directories are made one at a time (mkdirMu): page workers making
// sibling directories at once contend in the kernel for their parent, and
// twenty thousand directories made by four workers cost several times the
// CPU of the same made by one.
func (w *Writer) mkdir(dir string) error {
	if _, done := w.dirs.Load(dir); done {
		return nil
	}
	if len(dir) > len(w.staging) {
		if err := w.mkdir(filepath.Dir(dir)); err != nil {
			return err
		}
	}
	w.mkdirMu.Lock()
	defer w.mkdirMu.Unlock()
	if _, done := w.dirs.Load(dir); done {
		return nil
	}
	if len(dir) <= len(w.staging) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	} else if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	w.dirs.Store(dir, true)
	return nil
}

// Create stages one file written as a stream, for outputs too large to hold
// in memory whole (plan.json of a large site). Close finishes it.
func (w *Writer) Create(rel string) (io.WriteCloser, error) {
	rel = path.Clean(strings.TrimPrefix(rel, "/"))
	if rel == "." || strings.HasPrefix(rel, "../") || rel == ManifestName {
		return nil, fmt.Errorf("output path %q is outside the site", rel)
	}
	w.mu.Lock()
	_, dup := w.files[rel]
	w.mu.Unlock()
	if dup {
		return nil, fmt.Errorf("output %s written twice", rel)
	}
	p := filepath.Join(w.staging, filepath.FromSlash(rel))
	if err := w.mkdir(filepath.Dir(p)); err != nil {
		return nil, err
	}
	// Made new, as writeNew makes a file: never opened where one is.
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	return &streamFile{w: w, rel: rel, f: f, buf: bufio.NewWriterSize(f, 256<<10), h: hashKind.new()}, nil
}

type streamFile struct {
	w   *Writer
	rel string
	f   *os.File
	buf *bufio.Writer
	h   hash.Hash
}

func (s *streamFile) Write(p []byte) (int, error) {
	s.h.Write(p)
	return s.buf.Write(p)
}

func (s *streamFile) Close() error {
	err := s.buf.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	hash := hex.EncodeToString(s.h.Sum(nil))
	// As Write decides for a file written whole; the staged copy gives way
	// to the destination's file, linked in at Commit.
	kept := s.w.lastWrote(s.rel, hash) && hashKind.holds(filepath.Join(s.w.dest, filepath.FromSlash(s.rel)), hash)
	if kept {
		if err := os.Remove(s.f.Name()); err != nil {
			return err
		}
	}
	s.w.mu.Lock()
	defer s.w.mu.Unlock()
	if _, dup := s.w.files[s.rel]; dup {
		return fmt.Errorf("output %s written twice", s.rel)
	}
	s.w.files[s.rel] = hash
	s.w.kept[s.rel] = kept
	return nil
}
