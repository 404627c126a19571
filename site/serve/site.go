// Package serve is `plansite serve`: the site built in memory, kept up to
// date as its sources change, served over HTTP with live reload.
//
// This file holds the incremental core. Every document read is cached with
// its content hash, its extracted model and its rendered body (the AST is
// dropped once the body is rendered); a change re-reads only the files named,
// re-parses only those whose hash changed, re-runs the cheap link pass, and
// re-renders pages, publishing only those whose bytes changed.
package serve

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plansite/plansite/internal/workers"
	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/link"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/render"
	"github.com/plansite/plansite/site/source"
)

// entry is one document as last read.
type entry struct {
	doc        *plan.Doc // the model as extraction made it
	linked     *plan.Doc // the model as the last link pass gave it: what its pages show
	prevTarget string
	nextTarget string
	body       packed
	bodyErr    error
	bodyKey    cache.Key // sha256 of body (or of why it failed)
	linkSig    uint64    // what the body's links rendered to, to notice when a new path changes them
}

// Site is the in-memory site. Its methods are called from one goroutine (the
// rebuild loop); the pages it publishes are safe to read concurrently.
type Site struct {
	root string // absolute
	// ConfigFile is the configuration file to read (--config); "" finds
	// plansite.toml at the source root, else at the repository root.
	ConfigFile string
	generator  string
	pages      *Pages
	script     func() string // live-reload script tag, injected into each HTML page

	// Notify, when set, is told of the pages just published, as soon as
	// they are: the edited documents' own pages before the rest.
	Notify func(pages []string)

	mu       sync.Mutex // guards the model against plan.json readers
	cfg      *config.Config
	paths    map[string]bool // every file and directory, for link resolution
	docPaths map[string]bool // the Markdown documents among them
	docs     map[string]*entry
	search   *searchIndex // the search index made last, or nil
	walkErrs []*plan.Problem
	unread   map[string]*plan.Problem // documents that could not be read, as build reports them
	resolver *link.Resolver
	rs       *render.Site
	model    *plan.Site

	docPage   map[string]string // source → output path of its page
	docBadge  map[string]string // source → output path of its status badge
	sitePages map[string]bool   // output paths SitePages emitted last time
	parsed    atomic.Int64

	// The pages as build's engine keys them: what each was made from.
	siteKey cache.Key
	keys    *build.Keys
	pageKey map[string]cache.Key // output path → key of what is served there
	restKey cache.Key            // key of the site's own pages served
	// newer is set when a change waits: the pass in flight stops at its
	// next page; unfinished marks a pass that stopped, so the next one
	// runs whatever changed.
	newer      atomic.Bool
	unfinished bool
}

// Change is what one rebuild did.
type Change struct {
	Sources  []string      // source files whose content changed, were added or removed
	Pages    []string      // output paths whose bytes changed (removed pages included)
	First    []string      // of Pages, those published before the rest (the edited documents' own)
	Full     bool          // configuration or layouts changed: everything was re-rendered
	Elapsed  time.Duration // until every page was published
	Errors   []string      // path:line: message of documents that failed to build
	Problems int           // problems in the site
	// Superseded: a newer change stopped this pass; the next publishes
	// what it left.
	Superseded bool
}

// NewSite prepares the site at root; Load reads it.
func NewSite(root, generator string, pages *Pages, script func() string) (*Site, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if script == nil {
		script = func() string { return "" }
	}
	return &Site{root: abs, generator: generator, pages: pages, script: script, docs: map[string]*entry{}, unread: map[string]*plan.Problem{},
		docPage: map[string]string{}, docBadge: map[string]string{}, sitePages: map[string]bool{}, pageKey: map[string]cache.Key{}}, nil
}

// Root is the absolute source directory.
func (s *Site) Root() string { return s.root }

// Parsed counts the documents parsed since the site was made; tests use it to
// see that unchanged files are not parsed again.
func (s *Site) Parsed() int64 { return s.parsed.Load() }

// Excludes is the configured exclude patterns.
func (s *Site) Excludes() []string {
	if s.cfg == nil {
		return nil
	}
	return s.cfg.Exclude
}

// Load reads the whole site: the configuration, every document, every page.
// It is also what a configuration change runs.
func (s *Site) Load() (*Change, error) {
	start := time.Now()
	cfg, err := config.LoadWith(s.root, s.ConfigFile)
	if err != nil {
		return nil, err
	}
	tree, err := source.Walk(s.root, "", cfg.Exclude)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	zoneChanged := s.cfg == nil || s.cfg.Location().String() != cfg.Location().String() || s.cfg.RepoURL != cfg.RepoURL || s.cfg.Branch != cfg.Branch
	s.cfg = cfg
	s.paths = tree.Paths
	s.docPaths = map[string]bool{}
	for _, d := range tree.Docs {
		s.docPaths[d] = true
	}
	s.walkErrs = tree.Problems
	if zoneChanged {
		s.docs = map[string]*entry{} // everything extracted depends on them
	}
	if err := s.newRenderer(); err != nil {
		return nil, err
	}
	ch := &Change{Full: true}
	var changed []string
	for rel := range s.docs {
		if !slices.Contains(tree.Docs, rel) {
			delete(s.docs, rel)
			changed = append(changed, rel)
		}
	}
	for rel := range s.unread {
		if !slices.Contains(tree.Docs, rel) {
			delete(s.unread, rel)
			changed = append(changed, rel)
		}
	}
	read := s.read(tree.Docs, false)
	changed = append(changed, read...)
	if !zoneChanged {
		changed = append(changed, s.relinkBodies(read)...)
	}
	sort.Strings(changed)
	ch.Sources = changed
	err = s.relink(ch, nil)
	return s.finish(ch, start, err)
}

// finish ends a pass: one a newer change stopped is reported as such, and
// leaves the next pass to run.
func (s *Site) finish(ch *Change, start time.Time, err error) (*Change, error) {
	ch.Elapsed = time.Since(start)
	s.unfinished = errors.Is(err, errSuperseded)
	if s.unfinished {
		ch.Superseded = true
		return ch, nil
	}
	return ch, err
}

// Supersede tells the pass in flight that a newer change waits: it stops
// at its next page, and the next pass publishes what it left.
func (s *Site) Supersede() { s.newer.Store(true) }

func (s *Site) superseded() bool { return s.newer.Load() }

func (s *Site) newRenderer() error {
	s.resolver = link.NewResolver(s.paths, s.docList())
	s.resolver.Outside = build.InRepository(s.root)
	// Served from the root, readable: the base URL and minifying are for
	// the published site. The site's layouts/, assets/ and static/ override
	// the theme's.
	rs, err := render.New(nil, s.cfg, s.resolver, render.Options{SourceDir: s.root, StableAssets: true})
	if err != nil {
		return err
	}
	s.rs = rs
	s.siteKey = build.SiteKey(s.generator, rs)
	return nil
}

func (s *Site) docList() []string {
	out := make([]string, 0, len(s.docPaths))
	for p := range s.docPaths {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// read reads the documents named and re-extracts those whose content changed.
// It returns the documents that changed. force re-reads even when the hash
// is the same (the renderer changed). A document that cannot be read (a
// FIFO, no permission) is reported as plansite build reports it, and has no
// page.
func (s *Site) read(rels []string, force bool) []string {
	type result struct {
		rel     string
		e       *entry
		removed bool
		unread  *plan.Problem
	}
	out := make([]result, len(rels))
	opts := build.ExtractOptions(s.cfg)
	workers.Each(len(rels), func(i int) {
		rel := rels[i]
		out[i].rel = rel
		raw, err := build.ReadDoc(s.root, rel)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out[i].removed = true
			return
		case err != nil:
			out[i].removed = true
			out[i].unread = build.Unreadable(rel, err)
			return
		}
		hash := extract.HashOf(raw)
		if old := s.docs[rel]; old != nil && !force && hash == old.doc.Hash {
			return
		}
		s.parsed.Add(1)
		res := build.ExtractDocHashed(rel, raw, hash, opts)
		e := &entry{doc: res.Doc, prevTarget: res.PrevTarget, nextTarget: res.NextTarget}
		links := s.rs.Links(rel)
		e.linkSig = linkSig(res.Doc, links)
		body, err := renderBody(res, links)
		e.body, e.bodyErr = pack(body), err
		e.bodyKey = cache.Key(sha256.Sum256(body))
		if e.bodyErr != nil {
			e.bodyKey = cache.NewHasher("failed").String(e.bodyErr.Error()).Sum()
		}
		out[i].e = e
	})
	var changed []string
	for _, r := range out {
		if prev := s.unread[r.rel]; (prev == nil) != (r.unread == nil) || prev != nil && prev.Message != r.unread.Message {
			changed = append(changed, r.rel)
		}
		if r.unread != nil {
			s.unread[r.rel] = r.unread
		} else {
			delete(s.unread, r.rel)
		}
		switch {
		case r.removed:
			if _, ok := s.docs[r.rel]; ok {
				delete(s.docs, r.rel)
				changed = append(changed, r.rel)
			}
		case r.e != nil:
			s.docs[r.rel] = r.e
			changed = append(changed, r.rel)
		}
	}
	slices.Sort(changed)
	return slices.Compact(changed)
}

// renderBody renders a body; a panic in a renderer is that document's
// failure, not the server's.
func renderBody(res *extract.Result, links render.LinkFunc) (body []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rendering failed: %v", r)
		}
	}()
	return render.Body(res, links)
}

// linkSig sums what the document's links render to. When the tree's paths
// change, a body whose sum changed must be rendered again.
func linkSig(d *plan.Doc, links render.LinkFunc) uint64 {
	h := fnv.New64a()
	for _, l := range d.Links {
		href, state := links(l.Target)
		h.Write([]byte(href))
		h.Write([]byte{byte(state), 0})
	}
	return h.Sum64()
}

// relinkBodies re-renders the bodies whose links now render differently,
// skipping the documents in skip (just read).
func (s *Site) relinkBodies(skip []string) []string {
	var stale []string
	for rel, e := range s.docs {
		if !slices.Contains(skip, rel) && linkSig(e.doc, s.rs.Links(rel)) != e.linkSig {
			stale = append(stale, rel)
		}
	}
	sort.Strings(stale)
	return s.read(stale, true)
}

// Apply brings the site up to date with the paths named (files or
// directories, slash-separated, relative to the root; created, written,
// removed or renamed).
func (s *Site) Apply(rels []string) (*Change, error) {
	for _, rel := range rels {
		if rel == config.FileName || rel == "." {
			return s.Load()
		}
	}
	start := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	theme := false
	pathsChanged := false
	var candidates []string
	var removed []string
	for _, rel := range rels {
		if themeDir(rel) {
			theme = true
		}
		c, r, pc := s.applyPath(rel)
		candidates = append(candidates, c...)
		removed = append(removed, r...)
		pathsChanged = pathsChanged || pc
	}
	ch := &Change{}
	if pathsChanged || theme {
		if err := s.newRenderer(); err != nil {
			return nil, err
		}
		ch.Full = theme
	}
	for _, rel := range removed {
		_, read := s.docs[rel]
		_, unread := s.unread[rel]
		if read || unread {
			delete(s.docs, rel)
			delete(s.unread, rel)
			ch.Sources = append(ch.Sources, rel)
		}
	}
	slices.Sort(candidates)
	candidates = slices.Compact(candidates)
	olds := map[string]*entry{}
	for _, rel := range candidates {
		olds[rel] = s.docs[rel]
	}
	read := s.read(candidates, false)
	ch.Sources = append(ch.Sources, read...)
	if pathsChanged {
		ch.Sources = append(ch.Sources, s.relinkBodies(read)...)
	}
	sort.Strings(ch.Sources)
	ch.Sources = slices.Compact(ch.Sources)
	if len(ch.Sources) == 0 && !theme && !s.unfinished {
		ch.Elapsed = time.Since(start)
		return ch, nil
	}
	// Fast path: the documents' bodies changed but not their models (the
	// author is writing prose), so the link pass would give what it gave.
	if !pathsChanged && !theme && !s.unfinished && s.sameModels(read, olds) {
		for _, rel := range read {
			// The pass would give what it gave: keep its result, now
			// with the document's new hash.
			old, e := olds[rel], s.docs[rel]
			old.linked.Hash = e.doc.Hash
			e.linked = old.linked
		}
		ch.First = s.publishDocs(read)
		ch.Pages = ch.First
		s.notify(ch.First)
		ch.Errors = s.errorsOf(ch.Sources)
		ch.Elapsed = time.Since(start)
		return ch, nil
	}
	if !pathsChanged && !theme {
		// The link pass over every document takes a while on a large site;
		// show the edited pages first as the last pass would link them.
		ch.First = s.publishProvisional(read, olds)
		s.notify(ch.First)
	}
	return s.finish(ch, start, s.relink(ch, read))
}

// applyPath records what is now at rel: the documents to read, the
// documents removed, and whether the set of paths changed.
func (s *Site) applyPath(rel string) (candidates, removed []string, pathsChanged bool) {
	if rel == "" || rel == "." || strings.HasPrefix(rel, "../") {
		return nil, nil, false
	}
	fi, err := os.Lstat(filepath.Join(s.root, filepath.FromSlash(rel)))
	isDir, outside := err == nil && fi.IsDir(), false
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// As source.Walk: a link outside the tree is not there at all, a
		// link to a directory inside it is a path whose files are read
		// where they are.
		isDir, outside = source.FollowLink(s.root, rel)
	}
	if err != nil || outside || !s.included(rel, isDir) {
		// Gone (or now excluded): the path and everything under it.
		prefix := rel + "/"
		for p := range s.paths {
			if p == rel || strings.HasPrefix(p, prefix) {
				delete(s.paths, p)
				pathsChanged = true
			}
		}
		for p := range s.docPaths {
			if p == rel || strings.HasPrefix(p, prefix) {
				delete(s.docPaths, p)
				removed = append(removed, p)
			}
		}
		return nil, removed, pathsChanged
	}
	add := func(p string, isDir bool) {
		if !s.paths[p] {
			s.paths[p] = true
			pathsChanged = true
		}
		if !isDir && isMarkdown(p) {
			if !s.docPaths[p] {
				s.docPaths[p] = true
				pathsChanged = true
			}
			candidates = append(candidates, p)
		}
	}
	for _, dir := range parents(rel) {
		add(dir, true)
	}
	if !isDir {
		add(rel, false)
		return candidates, nil, pathsChanged
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		add(rel, true)
		return candidates, nil, pathsChanged
	}
	// A directory: new, or moved in; read all of it.
	_ = filepath.WalkDir(filepath.Join(s.root, filepath.FromSlash(rel)), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		r, _ := filepath.Rel(s.root, p)
		r = filepath.ToSlash(r)
		if d.Type()&fs.ModeSymlink != 0 {
			if isDir, outside := source.FollowLink(s.root, r); outside || isDir {
				if isDir && s.included(r, true) {
					add(r, true)
				}
				return nil
			}
		}
		if !s.included(r, d.IsDir()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		add(r, d.IsDir())
		return nil
	})
	return candidates, nil, pathsChanged
}

// themeDirs hold the site's own theme files, which override the theme's.
var themeDirs = []string{"layouts", "assets", "static"}

func themeDir(rel string) bool {
	for _, d := range themeDirs {
		if rel == d || strings.HasPrefix(rel, d+"/") {
			return true
		}
	}
	return false
}

// parents lists the directories above rel, outermost first.
func parents(rel string) []string {
	var out []string
	for d := path.Dir(rel); d != "." && d != "/"; d = path.Dir(d) {
		out = append(out, d)
	}
	slices.Reverse(out)
	return out
}

// skippedDirs are the directories source.Walk never enters.
var skippedDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".hg": true, ".svn": true}

// skipDir reports whether source.Walk skips the directory dir (by name or
// exclude pattern).
func skipDir(dir string, exclude []string) bool {
	name := path.Base(dir)
	return skippedDirs[name] || strings.HasPrefix(name, ".plansite-") || source.Excluded(dir+"/", exclude)
}

// included reports whether source.Walk would list rel: no directory on its
// way is skipped, and rel itself is not.
func (s *Site) included(rel string, isDir bool) bool {
	for _, d := range parents(rel) {
		if skipDir(d, s.Excludes()) {
			return false
		}
	}
	if isDir {
		return !skipDir(rel, s.Excludes())
	}
	return !source.Excluded(rel, s.Excludes())
}

func isMarkdown(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".mdown":
		return true
	}
	return false
}
