package serve

import (
	"io/fs"
	"path/filepath"
	"sort"
	"time"
)

// PollInterval is how often --poll looks at the tree.
const PollInterval = 500 * time.Millisecond

// Poller finds changes by walking the tree and comparing each file's size
// and modification time, for filesystems that send no events (network
// mounts, some containers).
type Poller struct {
	root string
	out  chan []string
	done chan struct{}
	last map[string]stamp
}

type stamp struct {
	size  int64
	mtime time.Time
	dir   bool
}

// Poll starts polling root every interval.
func Poll(root string, interval time.Duration) (*Poller, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	p := &Poller{root: abs, out: make(chan []string, 1), done: make(chan struct{})}
	p.last = p.scan()
	go p.loop(interval)
	return p, nil
}

// Batches is the stream of changed paths.
func (p *Poller) Batches() <-chan []string { return p.out }

// Close stops polling.
func (p *Poller) Close() error {
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	return nil
}

func (p *Poller) loop(interval time.Duration) {
	defer close(p.out)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
		}
		now := p.scan()
		var batch []string
		for r, s := range now {
			if o, ok := p.last[r]; !ok || o.size != s.size || !o.mtime.Equal(s.mtime) || o.dir != s.dir {
				if !s.dir || !ok {
					batch = append(batch, r)
				}
			}
		}
		for r := range p.last {
			if _, ok := now[r]; !ok {
				batch = append(batch, r)
			}
		}
		p.last = now
		if len(batch) == 0 {
			continue
		}
		sort.Strings(batch)
		select {
		case p.out <- batch:
		case <-p.done:
			return
		}
	}
}

func (p *Poller) scan() map[string]stamp {
	m := map[string]stamp{}
	_ = filepath.WalkDir(p.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && path != p.root && ignoredDir(d.Name()) {
			return fs.SkipDir
		}
		if !d.IsDir() && ignoredFile(d.Name()) || path == p.root {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		r, _ := filepath.Rel(p.root, path)
		m[filepath.ToSlash(r)] = stamp{size: fi.Size(), mtime: fi.ModTime(), dir: d.IsDir()}
		return nil
	})
	return m
}
