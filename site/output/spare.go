package output

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/plansite/plansite/internal/workers"
)

// The spare is the site before the current one, kept in a hidden directory
// beside the destination (.plansite-spare-NAME). The two trees share every
// file that is the same in both (hard links: the spare costs the disk its
// directories and the files that differ, not a second site). A build brings
// the spare up to the new site by touching only what differs from it —
// files written to the staging directory are linked in and renamed over
// the spare's (a file shared with the destination is never written into),
// files that went are removed — and then the two directories trade places
// in one rename, as before: readers and a build killed at any moment see
// the whole old site or the whole new one. The old destination is the next
// build's spare. So a commit costs what changed, not the size of the site.
//
// What the spare holds is known from a record in its root, written after
// each commit: every directory of both trees with its inode and
// modification time, and the paths where the two trees differ. A directory
// whose time is unchanged holds the entries it held (adding, removing or
// renaming an entry changes it), so only directories changed since — by
// someone editing the site, or the spare — are read again. The record is
// removed before the spare is changed, so a spare whose bringing-up was
// killed has none, and is discarded: the next build commits the slow way.

const (
	sparePrefix = ".plansite-spare-"
	// recordName is the spare's record, in its root; never part of a site.
	recordName = ".plansite-spare"
	// tmpName is the name a file is linked at before it is renamed over
	// the spare's.
	tmpName = ".plansite-link.tmp"
)

// spareOf is the spare directory of the destination dest.
func spareOf(dest string) string {
	return filepath.Join(filepath.Dir(dest), sparePrefix+filepath.Base(dest))
}

// racy is the time recorded for a directory changed so close to the
// record that a later change could leave the same time: it is read again.
const racy = -1

// dirStat is a directory as the record knows it; the zero value is no
// directory.
type dirStat struct {
	ino   uint64
	mtime int64
}

// statAt is fi as recorded, racy when it changed at or after probe (the
// time, on the directories' own clock, before it was looked at).
func statAt(fi fs.FileInfo, probe int64) dirStat {
	s := dirStat{ino: inode(fi), mtime: fi.ModTime().UnixNano()}
	if s.mtime >= probe {
		s.mtime = racy
	}
	return s
}

// dirPair is a directory in the destination and in the spare.
type dirPair struct{ dest, spare dirStat }

// spareRecord is how the destination and its spare stood after a commit.
type spareRecord struct {
	destRoot, spareRoot uint64             // inode of each tree's root
	dirs                map[string]dirPair // every directory of either tree, but the roots
	differ              []string           // paths where the trees hold different entries
}

var recordMagic = []byte("plansite spare 1\n")

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func (r *spareRecord) encode() []byte {
	b := append([]byte(nil), recordMagic...)
	b = binary.AppendUvarint(b, r.destRoot)
	b = binary.AppendUvarint(b, r.spareRoot)
	b = binary.AppendUvarint(b, uint64(len(r.dirs)))
	for rel, p := range r.dirs {
		b = appendString(b, rel)
		b = binary.AppendUvarint(b, p.dest.ino)
		b = binary.AppendVarint(b, p.dest.mtime)
		b = binary.AppendUvarint(b, p.spare.ino)
		b = binary.AppendVarint(b, p.spare.mtime)
	}
	b = binary.AppendUvarint(b, uint64(len(r.differ)))
	for _, rel := range r.differ {
		b = appendString(b, rel)
	}
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// decoder reads what encode wrote; a short or damaged input sets bad.
type decoder struct {
	b   []byte
	bad bool
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.bad || n > uint64(len(d.b)) {
		d.bad = true
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// readRecord reads the record of the spare sp; nil when it has none or
// it is damaged.
func readRecord(sp string) *spareRecord {
	b, err := os.ReadFile(filepath.Join(sp, recordName))
	if err != nil || len(b) < len(recordMagic)+4 || !bytes.HasPrefix(b, recordMagic) {
		return nil
	}
	body, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil
	}
	d := &decoder{b: body[len(recordMagic):]}
	r := &spareRecord{destRoot: d.uvarint(), spareRoot: d.uvarint()}
	n := d.uvarint()
	if d.bad || n > uint64(len(d.b)) {
		return nil
	}
	r.dirs = make(map[string]dirPair, n)
	for range n {
		rel := d.string()
		p := dirPair{dest: dirStat{d.uvarint(), d.varint()}, spare: dirStat{d.uvarint(), d.varint()}}
		r.dirs[rel] = p
	}
	n = d.uvarint()
	if d.bad || n > uint64(len(d.b)) {
		return nil
	}
	r.differ = make([]string, 0, n)
	for range n {
		r.differ = append(r.differ, d.string())
	}
	if d.bad || len(d.b) != 0 {
		return nil
	}
	return r
}

// writeRecord writes rec into the spare sp. probe receives the time, on
// the file system's clock, before which a directory looked at after it
// returns changed: the caller stats its directories in stat.
func writeRecord(sp string, stat func(probe int64) *spareRecord) error {
	f, err := os.CreateTemp(sp, recordName+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	rec := stat(fi.ModTime().UnixNano())
	if _, err := f.Write(rec.encode()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(sp, recordName))
}

// special are the names in a tree's root that no site holds.
func special(rel string) bool {
	return rel == ManifestName || rel == recordName || strings.HasPrefix(rel, recordName+"-") || path.Base(rel) == tmpName
}

// openSpare takes the spare of w's destination, when there is one and no
// other build holds it.
func (w *Writer) openSpare() {
	if !spareSupported {
		return
	}
	sp := spareOf(w.dest)
	fi, err := os.Lstat(sp)
	switch {
	case isNotExist(err):
		w.spareFree = true
	case err == nil && fi.IsDir():
		if l := lockDir(sp); l != nil {
			w.spareLock, w.spareFree = l, true
			w.rec = readRecord(sp)
		}
	}
}

// dropSpare removes a spare that cannot be used.
func (w *Writer) dropSpare() {
	w.rec = nil
	_ = os.RemoveAll(spareOf(w.dest))
}

// spareSync is one commit through the spare.
type spareSync struct {
	w         *Writer
	sp        string
	rec       *spareRecord
	cur       map[string]dirPair // the record's directories as they are now
	destStats map[string]fs.FileInfo
	newDirs   map[string]bool // directories the staged files need
	removed   map[string]bool // plansite's files that went, unedited
	c         carried
	done      map[string]bool
	touched   map[string]bool // spare directories this commit changed
	gone      []string        // spare directories it removed
	differ    map[string]bool // where the new site differs from the destination now
	found     map[string]dirStat
}

// destStat is the destination's entry at rel, looked at once; nil when
// there is none.
func (s *spareSync) destStat(rel string) fs.FileInfo {
	if fi, ok := s.destStats[rel]; ok {
		return fi
	}
	fi, err := os.Lstat(filepath.Join(s.w.dest, filepath.FromSlash(rel)))
	if err != nil {
		fi = nil
	}
	s.destStats[rel] = fi
	return fi
}

// commitSpare commits through the spare. ok is false when the spare could
// not be used (it is gone then, and the destination as it was): the caller
// commits the slow way.
func (w *Writer) commitSpare(generator string) (removed int, ok bool, err error) {
	sp := spareOf(w.dest)
	s := &spareSync{w: w, sp: sp, rec: w.rec, destStats: map[string]fs.FileInfo{}, newDirs: map[string]bool{},
		removed: map[string]bool{}, done: map[string]bool{}, touched: map[string]bool{}, differ: map[string]bool{}, found: map[string]dirStat{}}
	dirty, asRecorded := s.refresh()
	if !asRecorded {
		w.dropSpare()
		return 0, false, nil
	}
	if err := s.plan(); err != nil {
		return 0, true, err
	}
	// From here the spare changes: without its record it is not trusted.
	if err := os.Remove(filepath.Join(sp, recordName)); err != nil {
		w.dropSpare()
		return 0, false, nil
	}
	if err := s.bringUp(dirty); err != nil {
		w.dropSpare()
		return 0, false, nil
	}
	if err := w.writeManifest(sp, generator); err != nil {
		w.dropSpare()
		return 0, false, nil
	}
	// The site's directory keeps the mode it has.
	if fi, err := os.Stat(w.dest); err != nil || os.Chmod(sp, fi.Mode().Perm()) != nil {
		w.dropSpare()
		return 0, false, nil
	}
	if err := exchangeDirs(sp, w.dest); err != nil {
		// The staged files are still staged: move them in one by one.
		w.dropSpare()
		return len(s.c.removed), true, w.moveEach(s.c, generator)
	}
	_ = writeRecord(sp, s.record)
	return len(s.c.removed), true, nil
}

// refresh looks at every directory of the record in both trees: those
// changed since, and those the record could not vouch for, are dirty. It
// reports false when the trees are not the ones recorded.
func (s *spareSync) refresh() (dirty []string, ok bool) {
	dfi, err1 := os.Lstat(s.w.dest)
	sfi, err2 := os.Lstat(s.sp)
	if s.rec == nil || err1 != nil || err2 != nil || inode(dfi) != s.rec.destRoot || inode(sfi) != s.rec.spareRoot {
		return nil, false
	}
	rels := make([]string, 0, len(s.rec.dirs))
	for rel := range s.rec.dirs {
		rels = append(rels, rel)
	}
	now := make([]dirPair, len(rels))
	look := func(root, rel string, was dirStat) dirStat {
		if was.ino == 0 {
			return dirStat{} // the parent's entries say whether it came
		}
		fi, err := os.Lstat(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil || !fi.IsDir() {
			return dirStat{}
		}
		return statAt(fi, s.w.probe)
	}
	workers.Each(len(rels), func(i int) {
		was := s.rec.dirs[rels[i]]
		now[i] = dirPair{dest: look(s.w.dest, rels[i], was.dest), spare: look(s.sp, rels[i], was.spare)}
	})
	s.cur = make(map[string]dirPair, len(rels))
	dirty = []string{"."} // the roots: the record and the manifest change them
	for i, rel := range rels {
		was := s.rec.dirs[rel]
		s.cur[rel] = now[i]
		if now[i] != was || was.dest.mtime == racy || was.spare.mtime == racy {
			dirty = append(dirty, rel)
		}
	}
	return dirty, true
}

// plan decides what the new site holds where it differs from the
// destination, as carry does for every file, without changing anything;
// it refuses, unless Force, to replace someone's file.
func (s *spareSync) plan() error {
	w := s.w
	for rel := range w.files {
		if w.kept[rel] {
			continue
		}
		for d := path.Dir(rel); d != "." && !s.newDirs[d]; d = path.Dir(d) {
			s.newDirs[d] = true
		}
		if fi := s.destStat(rel); fi != nil {
			switch _, wrote := w.old.Files[rel]; {
			case fi.IsDir():
				s.c.foreign = append(s.c.foreign, rel+"/")
			case !wrote:
				s.c.foreign = append(s.c.foreign, rel)
			}
		}
	}
	for d := range s.newDirs {
		if fi := s.destStat(d); fi != nil && !fi.IsDir() {
			s.c.foreign = append(s.c.foreign, d)
		}
	}
	for rel, sum := range w.old.Files {
		if _, made := w.files[rel]; made || s.newDirs[rel] {
			continue
		}
		fi := s.destStat(rel)
		if fi != nil && fi.Mode().IsRegular() && w.old.Hash.holds(filepath.Join(w.dest, filepath.FromSlash(rel)), sum) {
			s.removed[rel] = true
			s.c.removed = append(s.c.removed, rel)
		}
	}
	if len(s.c.foreign) > 0 && !w.force {
		return foreignError(w.dest, s.c.foreign)
	}
	return nil
}

// want is what the new site holds at a path.
type want int

const (
	wantNothing want = iota
	wantDir
	wantDest   // the destination's entry, linked
	wantStaged // this build's file
)

func (s *spareSync) want(rel string) want {
	if _, made := s.w.files[rel]; made {
		if s.w.kept[rel] {
			return wantDest
		}
		return wantStaged
	}
	if s.newDirs[rel] {
		return wantDir
	}
	if s.removed[rel] {
		return wantNothing
	}
	switch fi := s.destStat(rel); {
	case fi == nil:
		return wantNothing
	case fi.IsDir():
		return wantDir
	}
	return wantDest
}

// bringUp makes the spare the new site: every path that may differ — where
// the trees differed, what this build wrote or removed, every entry of a
// dirty directory — is made what the new site holds.
func (s *spareSync) bringUp(dirty []string) error {
	paths := map[string]bool{}
	for _, rel := range s.rec.differ {
		paths[rel] = true
	}
	for rel := range s.w.files {
		if !s.w.kept[rel] {
			paths[rel] = true
		}
	}
	for rel := range s.newDirs {
		paths[rel] = true
	}
	for rel := range s.removed {
		paths[rel] = true
	}
	for _, d := range dirty {
		for _, root := range []string{s.w.dest, s.sp} {
			ents, _ := os.ReadDir(filepath.Join(root, filepath.FromSlash(d)))
			for _, e := range ents {
				paths[path.Join(d, e.Name())] = true
			}
		}
	}
	sorted := make([]string, 0, len(paths))
	for rel := range paths {
		if !special(rel) {
			sorted = append(sorted, rel)
		}
	}
	sort.Strings(sorted) // a directory before what it holds
	for _, rel := range sorted {
		if err := s.sync(rel); err != nil {
			return err
		}
		if err := spareStep(); err != nil {
			return err
		}
	}
	// A directory of plansite's own that the removed files leave empty goes.
	for rel := range s.removed {
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			if os.Remove(filepath.Join(s.sp, filepath.FromSlash(d))) != nil {
				break
			}
			s.gone = append(s.gone, d)
			s.touched[path.Dir(d)] = true
			if fi := s.destStat(d); fi != nil {
				s.differ[d] = true
			}
		}
	}
	return nil
}

// sync makes the spare's entry at rel what the new site holds there; a
// directory new to the spare is filled from the destination.
func (s *spareSync) sync(rel string) error {
	if s.done[rel] {
		return nil
	}
	s.done[rel] = true
	p := filepath.Join(s.sp, filepath.FromSlash(rel))
	have, err := os.Lstat(p)
	if err != nil {
		have = nil
	}
	dest := s.destStat(rel)
	parent := path.Dir(rel)
	clear := func() error {
		if have == nil {
			return nil
		}
		if have.IsDir() {
			s.gone = append(s.gone, rel)
		}
		s.touched[parent] = true
		have = nil
		return os.RemoveAll(p)
	}
	switch s.want(rel) {
	case wantNothing:
		if dest != nil {
			s.differ[rel] = true
		}
		return clear()
	case wantDir:
		if dest == nil || !dest.IsDir() {
			s.differ[rel] = true
		} else {
			s.found[rel] = statAt(dest, s.w.probe)
		}
		if have != nil && have.IsDir() {
			if was := s.cur[rel]; was.spare.ino == inode(have) && was.dest.ino != 0 && dest != nil && was.dest.ino == inode(dest) {
				return nil // a directory the record knows in both: its entries are synced if dirty
			}
		} else {
			if err := clear(); err != nil {
				return err
			}
			if err := os.Mkdir(p, 0o755); err != nil {
				return err
			}
			s.touched[parent] = true
		}
		// New to either tree: every entry of both.
		s.touched[rel] = true
		var names []string
		for _, root := range []string{s.w.dest, s.sp} {
			ents, _ := os.ReadDir(filepath.Join(root, filepath.FromSlash(rel)))
			for _, e := range ents {
				names = append(names, e.Name())
			}
		}
		for _, name := range names {
			if err := s.sync(path.Join(rel, name)); err != nil {
				return err
			}
		}
		return nil
	case wantDest:
		if dest == nil {
			return fmt.Errorf("%s vanished from %s", rel, s.w.dest)
		}
		if have != nil && !have.IsDir() && inode(have) == inode(dest) {
			return nil
		}
		return s.link(filepath.Join(s.w.dest, filepath.FromSlash(rel)), p, clear)
	default: // wantStaged
		s.differ[rel] = true
		return s.link(filepath.Join(s.w.staging, filepath.FromSlash(rel)), p, clear)
	}
}

// link puts the file src at p in the spare: linked beside it, then renamed
// over what p held, so no file the destination shares is written into.
func (s *spareSync) link(src, p string, clear func() error) error {
	if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
		if err := clear(); err != nil {
			return err
		}
	}
	tmp := filepath.Join(filepath.Dir(p), tmpName)
	_ = os.Remove(tmp)
	if err := os.Link(src, tmp); err != nil {
		return err
	}
	s.touched[filepath.ToSlash(mustRel(s.sp, filepath.Dir(p)))] = true
	return os.Rename(tmp, p)
}

func mustRel(root, p string) string {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return "."
	}
	return rel
}

// record is the record of the trees once they traded places: the spare
// brought up is the destination now, the destination the spare. Its
// directories are looked at again where this commit changed them.
func (s *spareSync) record(probe int64) *spareRecord {
	dirs := make(map[string]dirPair, len(s.cur)+len(s.found))
	for rel, p := range s.cur {
		dirs[rel] = dirPair{dest: p.spare, spare: p.dest}
	}
	for rel, st := range s.found {
		p := dirs[rel]
		p.spare = st
		dirs[rel] = p
	}
	if len(s.gone) > 0 {
		gone := map[string]bool{}
		for _, g := range s.gone {
			gone[g] = true
		}
		for rel, p := range dirs {
			for d := rel; d != "."; d = path.Dir(d) {
				if gone[d] {
					p.dest = dirStat{}
					dirs[rel] = p
					break
				}
			}
		}
	}
	for rel := range s.touched {
		if rel == "." {
			continue
		}
		p := dirs[rel]
		p.dest = dirStat{}
		if fi, err := os.Lstat(filepath.Join(s.w.dest, filepath.FromSlash(rel))); err == nil && fi.IsDir() {
			p.dest = statAt(fi, probe)
		}
		dirs[rel] = p
	}
	for rel, p := range dirs {
		if p == (dirPair{}) {
			delete(dirs, rel)
		}
	}
	rec := &spareRecord{dirs: dirs}
	if fi, err := os.Lstat(s.w.dest); err == nil {
		rec.destRoot = inode(fi)
	}
	if fi, err := os.Lstat(s.sp); err == nil {
		rec.spareRoot = inode(fi)
	}
	for rel := range s.differ {
		rec.differ = append(rec.differ, rel)
	}
	slices.Sort(rec.differ)
	return rec
}

// probe is the time now on the clock of the file system holding dir: a
// file made there and looked at.
func probe(dir string) (int64, error) {
	f, err := os.CreateTemp(dir, recordName+"-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.ModTime().UnixNano(), nil
}

// spareStep runs after each path the spare is brought up at; tests stop a
// build there as a kill would.
var spareStep = func() error { return nil }

// mirrored is a spare begun before its site was committed (BeginSpare,
// PrepareSpare): the directories made and the files linked so far,
// slash-separated.
type mirrored struct {
	done        chan struct{}
	dirs, files map[string]bool
	ok          bool // the spare holds dirs and files; otherwise none
}

// start makes w's spare sp afresh, empty, for m to fill.
func (m *mirrored) start(w *Writer, sp string) bool {
	if !w.freshSpare(sp) {
		return false
	}
	m.dirs, m.files, m.ok = map[string]bool{}, map[string]bool{}, true
	return true
}

// freshSpare makes the spare sp afresh, empty, and holds its lock. A
// spare there already that this build does not hold is removed only when
// no other build holds it: one made since this build began is another
// first build's.
func (w *Writer) freshSpare(sp string) bool {
	if w.spareLock == nil {
		if l := lockDir(sp); l != nil {
			l.Close() // a killed build's: removed
		} else if _, err := os.Lstat(sp); !isNotExist(err) {
			return false
		}
	}
	_ = os.RemoveAll(sp)
	if os.Mkdir(sp, 0o755) != nil {
		return false
	}
	l := lockDir(sp)
	if l == nil {
		return false
	}
	if w.spareLock != nil {
		w.spareLock.Close()
	}
	w.spareLock = l
	return true
}

// BeginSpare begins, before a first build writes its pages, the spare
// Commit would make after it: dirs (slash-separated) are the directories
// the caller expects the site to have, made in the spare on a goroutine of
// their own while the caller reads its sources (a phase that leaves a core
// partly idle) rather than after the pages. Those the site does not have
// in the end are removed again at Commit. Only a build into a destination
// that did not exist has a spare to begin.
func (w *Writer) BeginSpare(dirs []string) {
	if !w.first || !w.spareFree || w.pre != nil {
		return
	}
	all := map[string]bool{}
	for _, d := range dirs {
		for d = path.Clean(d); d != "." && d != "/" && !all[d] && !strings.HasPrefix(d, "../"); d = path.Dir(d) {
			all[d] = true
		}
	}
	sorted := slices.Sorted(maps.Keys(all))
	m := &mirrored{done: make(chan struct{})}
	w.pre = m
	go func() {
		defer close(m.done)
		sp := spareOf(w.dest)
		if !m.start(w, sp) {
			return
		}
		if !mkdirs(sp, sorted, m.dirs, &w.dropping) {
			m.ok = false
			_ = os.RemoveAll(sp)
		}
	}()
}

// PrepareSpare goes on, while a first build finishes, with the spare
// Commit would make after it: the directories and files staged so far
// are mirrored now, linked from the staging directory (the files the
// destination will hold), and Commit mirrors only what is staged after.
// A build's last steps (the search index) leave a core idle, and the
// spare's ten thousand files would otherwise be linked after them.
// Call it once most of the site is staged; only a build into a
// destination that did not exist has anything to prepare.
func (w *Writer) PrepareSpare() {
	if !w.first || !w.spareFree || w.prepared {
		return
	}
	w.prepared = true
	w.mu.Lock()
	files := make([]string, 0, len(w.files))
	for rel := range w.files {
		files = append(files, rel)
	}
	w.mu.Unlock()
	dirs := w.stagedDirs()
	begun := w.pre
	m := &mirrored{done: make(chan struct{})}
	w.pre = m
	go func() {
		defer close(m.done)
		sp := spareOf(w.dest)
		if begun != nil {
			<-begun.done
			m.dirs, m.files, m.ok = begun.dirs, begun.files, begun.ok
		}
		if !m.ok && !m.start(w, sp) {
			return
		}
		if !mkdirs(sp, dirs, m.dirs, &w.dropping) {
			m.ok = false
			_ = os.RemoveAll(sp)
			return
		}
		linked := make([]bool, len(files))
		workers.Each(len(files), func(i int) {
			rel := filepath.FromSlash(files[i])
			// A file staged but not yet written is linked at Commit.
			linked[i] = os.Link(filepath.Join(w.staging, rel), filepath.Join(sp, rel)) == nil
		})
		for i, rel := range files {
			if linked[i] {
				m.files[rel] = true
			}
		}
	}()
}

// dropPrepared waits for a spare PrepareSpare began and removes it: the
// site it was made for is not the destination's.
func (w *Writer) dropPrepared() {
	if w.pre == nil {
		return
	}
	w.dropping.Store(true)
	<-w.pre.done
	w.pre = nil
	_ = os.RemoveAll(spareOf(w.dest))
}

// stagedDirs are the directories made in the staging directory, slash-
// separated and sorted, so parents come first.
func (w *Writer) stagedDirs() []string {
	var dirs []string
	w.dirs.Range(func(k, _ any) bool {
		if rel := mustRel(w.staging, k.(string)); rel != "." {
			dirs = append(dirs, filepath.ToSlash(rel))
		}
		return true
	})
	sort.Strings(dirs)
	return dirs
}

// mkdirs makes under root each of dirs (sorted) not in made, adding it to
// made; false when one cannot be made, or stop is set. They are made one
// at a time, in order, so parents first: made on every core at once,
// siblings contend in the kernel for their parent and cost several times
// the CPU.
func mkdirs(root string, dirs []string, made map[string]bool, stop *atomic.Bool) bool {
	for _, d := range dirs {
		if made[d] {
			continue
		}
		if stop != nil && stop.Load() {
			return false
		}
		if os.Mkdir(filepath.Join(root, filepath.FromSlash(d)), 0o755) != nil {
			return false
		}
		made[d] = true
	}
	return true
}

// pruneSpare removes from the spare sp the directories of made (BeginSpare
// expected them) that the site, whose directories are dirs, does not have,
// the deepest first; false when one cannot be removed.
func pruneSpare(sp string, dirs []string, made map[string]bool) bool {
	want := make(map[string]bool, len(dirs))
	for _, d := range dirs {
		want[d] = true
	}
	var extra []string
	for d := range made {
		if !want[d] {
			extra = append(extra, d)
		}
	}
	slices.SortFunc(extra, func(a, b string) int { return strings.Compare(b, a) }) // a directory after what it holds
	for _, d := range extra {
		if os.Remove(filepath.Join(sp, filepath.FromSlash(d))) != nil {
			return false
		}
		delete(made, d)
	}
	return true
}

// mirror makes the spare of a site just built: a tree of links to its
// files, so that the next build has a spare to bring up; what PrepareSpare
// mirrored already is not made again. Nothing depends on it: a mirror that
// cannot be made is no spare.
func (w *Writer) mirror() {
	if !w.spareFree {
		return
	}
	sp := spareOf(w.dest)
	made, linked := map[string]bool{}, map[string]bool{}
	if w.pre != nil {
		<-w.pre.done
		if w.pre.ok {
			made, linked = w.pre.dirs, w.pre.files
		}
	}
	if (w.pre == nil || !w.pre.ok) && !w.freshSpare(sp) {
		return
	}
	t0, err := probe(sp)
	if err != nil {
		_ = os.RemoveAll(sp)
		return
	}
	dirs := w.stagedDirs()
	if !pruneSpare(sp, dirs, made) {
		// A directory begun for a page the site did not make is in the
		// way: the spare is made again, whole.
		made, linked = map[string]bool{}, map[string]bool{}
		if !w.freshSpare(sp) {
			return
		}
	}
	// The destination's directories are looked at before the rest is
	// copied: a change made to them meanwhile shows next time.
	destStats := make([]dirStat, len(dirs))
	workers.Each(len(dirs), func(i int) {
		if fi, err := os.Lstat(filepath.Join(w.dest, filepath.FromSlash(dirs[i]))); err == nil && fi.IsDir() {
			destStats[i] = statAt(fi, t0)
		}
	})
	failed := !mkdirs(sp, dirs, made, nil)
	files := make([]string, 0, len(w.files)+1-len(linked))
	for rel := range w.files {
		if !linked[rel] {
			files = append(files, rel)
		}
	}
	files = append(files, ManifestName)
	var linkErr error
	if !failed {
		errs := make([]error, len(files))
		workers.Each(len(files), func(i int) {
			rel := filepath.FromSlash(files[i])
			errs[i] = os.Link(filepath.Join(w.dest, rel), filepath.Join(sp, rel))
		})
		linkErr = errors.Join(errs...)
	}
	if failed || linkErr != nil {
		_ = os.RemoveAll(sp)
		return
	}
	_ = writeRecord(sp, func(probe2 int64) *spareRecord {
		rec := &spareRecord{dirs: make(map[string]dirPair, len(dirs))}
		spareStats := make([]dirStat, len(dirs))
		workers.Each(len(dirs), func(i int) {
			if fi, err := os.Lstat(filepath.Join(sp, filepath.FromSlash(dirs[i]))); err == nil {
				spareStats[i] = statAt(fi, probe2)
			}
		})
		for i, d := range dirs {
			rec.dirs[d] = dirPair{dest: destStats[i], spare: spareStats[i]}
		}
		if fi, err := os.Lstat(w.dest); err == nil {
			rec.destRoot = inode(fi)
		}
		if fi, err := os.Lstat(sp); err == nil {
			rec.spareRoot = inode(fi)
		}
		return rec
	})
}
