package serve

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Batching: a save is several events (write a temp file, rename it over the
// document, chmod); they are gathered until the tree is quiet for Quiet, or
// for at most MaxWait after the first.
const (
	Quiet   = 8 * time.Millisecond
	MaxWait = 100 * time.Millisecond
)

// Watcher reports changed paths under a root, in batches: slash-separated,
// relative to the root. A batch holding "." means "anything may have
// changed" (the event queue overflowed): rescan.
type Watcher interface {
	Batches() <-chan []string
	Close() error
}

// ignoredDir reports directories never watched.
func ignoredDir(name string) bool {
	return skippedDirs[name] || strings.HasPrefix(name, ".plansite-")
}

// ignoredFile reports editors' temporary, swap and backup files.
func ignoredFile(name string) bool {
	switch {
	case name == "4913", name == ".DS_Store": // vim's probe file; Finder
		return true
	case strings.HasPrefix(name, ".#"), strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"): // emacs
		return true
	case strings.HasPrefix(name, ".goutputstream-"), strings.HasPrefix(name, ".~lock."):
		return true
	}
	for _, suf := range []string{".swp", ".swo", ".swx", ".swpx", "~", ".tmp", ".temp", ".bak", ".orig",
		"___jb_tmp___", "___jb_old___", ".kate-swp", ".crswap", ".part"} {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

// FSWatcher watches a tree with fsnotify, every directory of it, adding
// new directories as they appear.
type FSWatcher struct {
	root    string
	w       *fsnotify.Watcher
	out     chan []string
	done    chan struct{}
	Errorf  func(format string, args ...any)
	quiet   time.Duration
	maxWait time.Duration
}

// WatchFS starts watching root.
func WatchFS(root string) (*FSWatcher, error) { return watchFS(root, Quiet, MaxWait) }

// watchFS is WatchFS with a batch's quiet time and longest wait given:
// set before the loop that reads them starts.
func watchFS(root string, quiet, maxWait time.Duration) (*FSWatcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	w, err := fsnotify.NewBufferedWatcher(4096)
	if err != nil {
		return nil, err
	}
	fw := &FSWatcher{root: abs, w: w, out: make(chan []string, 16), done: make(chan struct{}),
		Errorf: func(string, ...any) {}, quiet: quiet, maxWait: maxWait}
	if _, err := fw.addTree(abs); err != nil {
		w.Close()
		return nil, err
	}
	go fw.loop()
	return fw, nil
}

// Batches is the stream of changed paths.
func (fw *FSWatcher) Batches() <-chan []string { return fw.out }

// Close stops watching.
func (fw *FSWatcher) Close() error {
	select {
	case <-fw.done:
		return nil
	default:
	}
	close(fw.done)
	return fw.w.Close()
}

// addTree watches dir and every directory under it, returning the files
// found: created before their directory's watch was in place, they would
// otherwise be missed.
func (fw *FSWatcher) addTree(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil
		}
		if d.IsDir() {
			if p != fw.root && ignoredDir(d.Name()) {
				return fs.SkipDir
			}
			if err := fw.w.Add(p); err != nil && p == dir {
				return err
			}
			return nil
		}
		files = append(files, p)
		return nil
	})
	return files, err
}

func (fw *FSWatcher) rel(p string) (string, bool) {
	r, err := filepath.Rel(fw.root, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	r = filepath.ToSlash(r)
	for seg := range strings.SplitSeq(r, "/") {
		if ignoredDir(seg) {
			return "", false
		}
	}
	if ignoredFile(path.Base(r)) {
		return "", false
	}
	return r, true
}

func (fw *FSWatcher) loop() {
	defer close(fw.out)
	pending := map[string]bool{}
	var quiet, deadline <-chan time.Time
	var qt *time.Timer
	flush := func() {
		quiet, deadline = nil, nil
		if len(pending) == 0 {
			return
		}
		batch := make([]string, 0, len(pending))
		for p := range pending {
			batch = append(batch, p)
		}
		sort.Strings(batch)
		clear(pending)
		select {
		case fw.out <- batch:
		case <-fw.done:
		}
	}
	for {
		select {
		case <-fw.done:
			return
		case ev, ok := <-fw.w.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod { // touch, permission bits: no content changed
				continue
			}
			r, ok := fw.rel(ev.Name)
			if !ok {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
					if ignoredDir(fi.Name()) {
						continue
					}
					files, _ := fw.addTree(ev.Name)
					for _, f := range files {
						if fr, ok := fw.rel(f); ok {
							pending[fr] = true
						}
					}
				}
			}
			if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
				// A watched directory moved away: its watch would go on
				// reporting under the old name.
				_ = fw.w.Remove(ev.Name)
			}
			pending[r] = true
			if qt == nil {
				qt = time.NewTimer(fw.quiet)
			} else {
				qt.Reset(fw.quiet)
			}
			quiet = qt.C
			if deadline == nil {
				deadline = time.After(fw.maxWait)
			}
		case <-quiet:
			flush()
		case <-deadline:
			flush()
		case err, ok := <-fw.w.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				pending["."] = true
				if quiet == nil {
					quiet = time.After(fw.quiet)
				}
				continue
			}
			fw.Errorf("watch: %v", err)
		}
	}
}
