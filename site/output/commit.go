package output

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/plansite/plansite/internal/workers"
)

// Stats says what a commit changed.
type Stats struct{ Written, Unchanged, Removed int }

// exchangeDirs swaps the staged site and the destination; tests replace it
// to take the path of systems that cannot.
var exchangeDirs = exchange

// Commit puts the staged site in the destination's place. Where the
// destination has a spare (spare.go) it is brought up to the new site —
// what changed is linked in, what went is removed — and trades places with
// the destination in one rename; the old site is the next spare. Without
// one, the staging directory is completed instead: files of the last build
// that did not change and every file plansite did not write are linked
// into it (so they keep their inode and time), and it trades places with
// the destination; the old site becomes the spare. Either way a reader, a
// web server, or a build killed at any moment sees the whole old site or
// the whole new one. Where the system cannot swap two directories (or the
// destination is a mount point), the changed files are moved into place one
// by one instead.
//
// A file the new site would replace that plansite did not write (it is not
// in the last manifest) stops the commit, naming it, unless Options.Force.
// Files of the last build that this one no longer makes are removed, unless
// they were edited since: those are someone's now, and kept.
func (w *Writer) Commit(generator string) (Stats, error) {
	defer w.unlock()
	defer os.RemoveAll(w.staging) // after a swap without a spare, the old site
	if w.pre != nil {
		<-w.pre.done // the spare begun is done with, and its lock taken, before anything can return
	}
	var st Stats
	for rel := range w.files {
		if w.kept[rel] {
			st.Unchanged++
		} else {
			st.Written++
		}
	}
	if err := os.RemoveAll(filepath.Join(w.staging, ".scratch")); err != nil {
		return Stats{}, err
	}
	if w.unchanged(generator) {
		// The destination is already the new site, file for file: swapping
		// in a copy of it would only cost a walk and a link per file.
		return st, nil
	}
	fi, err := os.Stat(w.dest)
	if isNotExist(err) {
		// A first build: the staging directory becomes the destination.
		if err := w.writeManifest(w.staging, generator); err != nil {
			return Stats{}, err
		}
		if err := os.Chmod(w.staging, 0o755); err != nil { // MkdirTemp made it private
			return Stats{}, err
		}
		if err = os.Rename(w.staging, w.dest); err == nil {
			w.mirror()
			return st, nil
		}
		w.dropPrepared()
		fi, err = os.Stat(w.dest) // made meanwhile: commit into it
	}
	if err != nil {
		return Stats{}, err
	}
	if st.Written == 0 && len(w.files) == len(w.old.Files) {
		// Every file is kept and none removed: the site does not change, so
		// there is nothing to swap (the manifest is rewritten only if its
		// generator changed).
		return st, w.writeManifest(w.dest, generator)
	}
	if w.spareFree && w.rec != nil {
		removed, done, err := w.commitSpare(generator)
		if done {
			st.Removed = removed
			return st, err
		}
	}
	if w.spareFree && w.rec == nil {
		w.dropSpare() // one without its record: its state is unknown
	}
	c, err := w.carry()
	if err != nil {
		return Stats{}, err
	}
	st.Removed = len(c.removed)
	if err := w.writeManifest(w.staging, generator); err != nil {
		return Stats{}, err
	}
	if err := os.Chmod(w.staging, fi.Mode().Perm()); err != nil {
		return Stats{}, err
	}
	if err := exchangeDirs(w.staging, w.dest); err == nil {
		w.keepSpare(c)
		return st, nil
	}
	return st, w.moveEach(c, generator)
}

// unchanged reports whether this build kept every file of the last one as
// it was and made no other, under the same generator: then committing
// changes nothing.
func (w *Writer) unchanged(generator string) bool {
	if w.old.Generator != generator || w.old.Hash != hashKind || len(w.files) != len(w.old.Files) {
		return false
	}
	for rel, sum := range w.files {
		if !w.kept[rel] || w.old.Files[rel] != sum {
			return false
		}
	}
	_, err := os.Stat(filepath.Join(w.dest, ManifestName))
	return err == nil
}

// carried is what carry decided about the destination's files.
type carried struct {
	removed []string           // plansite's own, no longer made, unedited
	foreign []string           // someone else's, in the way of the new site (replaced only with Force)
	copied  []string           // kept as copies, not links
	dirs    map[string]dirStat // the destination's directories
}

// carry links into the staging directory every file of the destination the
// new site keeps: those of the last build that did not change, and every
// file plansite did not write or that was edited since, except those in the
// way of the new site. It refuses, unless Force, to replace someone's file.
func (w *Writer) carry() (carried, error) {
	c := carried{dirs: map[string]dirStat{}}
	ownDirs, newDirs := map[string]bool{}, map[string]bool{} // directories of plansite's files; those the new site needs
	for rel := range w.files {
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			ownDirs[d], newDirs[d] = true, true
		}
	}
	for rel := range w.old.Files {
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			ownDirs[d] = true
		}
	}
	err := filepath.WalkDir(w.dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(w.dest, p)
		rel = filepath.ToSlash(rel)
		if rel == "." || rel == ManifestName {
			return nil
		}
		_, made := w.files[rel]
		if d.IsDir() {
			if fi, err := d.Info(); err == nil {
				c.dirs[rel] = statAt(fi, w.probe)
			}
			switch {
			case made: // a directory where the site has a file
				c.foreign = append(c.foreign, rel+"/")
				return fs.SkipDir
			case !ownDirs[rel]: // someone's, perhaps empty: kept
				return w.mkdir(filepath.Join(w.staging, filepath.FromSlash(rel)))
			}
			return nil
		}
		sum, wrote := w.old.Files[rel]
		switch {
		case made && w.kept[rel]:
			return w.link(rel, &c)
		case made:
			if !wrote {
				c.foreign = append(c.foreign, rel)
			}
			return nil
		case newDirs[rel]: // a file where the site needs a directory
			c.foreign = append(c.foreign, rel)
			return nil
		case wrote && w.old.Hash.holds(p, sum): // unedited since
			c.removed = append(c.removed, rel)
			return nil
		}
		return w.link(rel, &c)
	})
	if err != nil {
		return c, err
	}
	if len(c.foreign) > 0 && !w.force {
		return c, foreignError(w.dest, c.foreign)
	}
	return c, nil
}

// link puts the destination's file at rel into the staging directory: a
// hard link, or a copy with its mode and time where links are not allowed
// (noted in c).
func (w *Writer) link(rel string, c *carried) error {
	src := filepath.Join(w.dest, filepath.FromSlash(rel))
	dst := filepath.Join(w.staging, filepath.FromSlash(rel))
	if err := w.mkdir(filepath.Dir(dst)); err != nil {
		return err
	}
	if os.Link(src, dst) == nil {
		return nil
	}
	c.copied = append(c.copied, rel)
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("cannot keep %s (%s) in the new site", src, fi.Mode().Type())
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(dst, fi.ModTime(), fi.ModTime())
}

// moveEach commits where the directories cannot be swapped: each changed
// file is renamed into place, then the stale ones are removed and the
// manifest written last. A build killed meanwhile leaves a mix that the next
// build completes.
func (w *Writer) moveEach(c carried, generator string) error {
	for _, rel := range c.foreign { // only with Force: carry refused them otherwise
		if err := os.RemoveAll(filepath.Join(w.dest, filepath.FromSlash(rel))); err != nil {
			return err
		}
	}
	rels := make([]string, 0, len(w.files))
	for rel := range w.files {
		if !w.kept[rel] {
			rels = append(rels, rel)
		}
	}
	sort.Strings(rels)
	for _, rel := range rels {
		dst := filepath.Join(w.dest, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(w.staging, filepath.FromSlash(rel)), dst); err != nil {
			return err
		}
	}
	for _, rel := range c.removed {
		dst := filepath.Join(w.dest, filepath.FromSlash(rel))
		if err := os.Remove(dst); err == nil {
			removeEmptyDirs(w.dest, filepath.Dir(dst))
		}
	}
	return w.writeManifest(w.dest, generator)
}

// keepSpare keeps the old site, swapped out to the staging directory, as
// the destination's spare, with its record: what differs between the two
// trees is what this build wrote, removed or could not link.
func (w *Writer) keepSpare(c carried) {
	sp := spareOf(w.dest)
	if !w.spareFree || os.Rename(w.staging, sp) != nil {
		return
	}
	_ = writeRecord(sp, func(probe int64) *spareRecord {
		rec := &spareRecord{dirs: make(map[string]dirPair, len(c.dirs))}
		differ := map[string]bool{}
		for rel, st := range c.dirs {
			rec.dirs[rel] = dirPair{spare: st}
		}
		var made []string
		w.dirs.Range(func(k, _ any) bool {
			if rel := filepath.ToSlash(mustRel(w.staging, k.(string))); rel != "." {
				made = append(made, rel)
			}
			return true
		})
		stats := make([]dirStat, len(made))
		workers.Each(len(made), func(i int) {
			if fi, err := os.Lstat(filepath.Join(w.dest, filepath.FromSlash(made[i]))); err == nil && fi.IsDir() {
				stats[i] = statAt(fi, probe)
			}
		})
		for i, rel := range made {
			p := rec.dirs[rel]
			p.dest = stats[i]
			rec.dirs[rel] = p
		}
		for rel, p := range rec.dirs {
			if p.dest.ino == 0 || p.spare.ino == 0 {
				differ[rel] = true
			}
		}
		for rel := range w.files {
			if !w.kept[rel] {
				differ[rel] = true
			}
		}
		for _, list := range [][]string{c.removed, c.foreign, c.copied} {
			for _, rel := range list {
				differ[strings.TrimSuffix(rel, "/")] = true
			}
		}
		for rel := range differ {
			rec.differ = append(rec.differ, rel)
		}
		sort.Strings(rec.differ)
		if fi, err := os.Lstat(w.dest); err == nil {
			rec.destRoot = inode(fi)
		}
		if fi, err := os.Lstat(sp); err == nil {
			rec.spareRoot = inode(fi)
		}
		return rec
	})
}
