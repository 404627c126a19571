package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"runtime"
	"runtime/trace"
	"sync"
	"sync/atomic"

	"github.com/plansite/plansite/internal/workers"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/output"
	"github.com/plansite/plansite/site/render"
)

// Options of a build.
type Options struct {
	Source   string
	Dest     string
	BaseURL  string
	NoMinify bool
	// Force builds into a directory plansite did not build, replacing
	// files it did not write where the site has one of the same path.
	Force     bool
	Generator string // "plansite <version>"
	Progress  Progress
	// LimitMemory runs the build under a soft memory limit sized to the
	// site (see LimitMemory); the CLI sets it, library callers may not want
	// a process-wide setting changed.
	LimitMemory bool
	// CacheDir keeps what the build made for the next one (see package
	// cache); "" builds without a cache.
	CacheDir string
	// Config is the configuration file to read (--config); "" finds
	// plansite.toml at the source root, else at the repository root.
	Config string
	// Report, when set, is what the caller makes of the model (the CLI's
	// problem report). It is kept with the build's inputs, so that a build
	// whose inputs and destination are as the last one left them writes
	// nothing, reads no model and returns the last report (Result.Fast).
	Report func(*Model) []byte
}

// Result of a build.
type Result struct {
	Model *Model // nil when Fast
	Docs  int    // documents in the model
	// Report is what Options.Report made of the model, by this build or,
	// when Fast, by the last.
	Report []byte
	// Fast: nothing changed since the last build, which is all this one
	// says; it wrote nothing and read no document's model.
	Fast  bool
	Stats output.Stats
	Pages int
	Work  Work
	// CacheErr is why the cache asked for could not be used (the build
	// went on without it), or nil.
	CacheErr error
}

// Work says how much of the build was done, and how much taken from the
// last one.
type Work struct {
	Parsed, Cached   int // documents parsed, and read from the cache
	Rendered, Copied int // pages rendered, and copied from the cache
	Kept             int // pages left in the destination as the last build wrote them
	Indexed          int // documents the search index read: all, unless the last build's index was kept or updated
}

// Build builds the site from opts.Source into opts.Dest. A build that fails
// leaves the destination as it was.
func Build(opts Options) (*Result, error) {
	cfg, err := config.LoadWith(opts.Source, opts.Config)
	if err != nil {
		return nil, err
	}
	if opts.BaseURL == "" {
		opts.BaseURL = cfg.BaseURL
	}
	w, err := output.New(opts.Dest, output.Options{Source: opts.Source, Force: opts.Force})
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			w.Abort()
		}
	}()
	region := trace.StartRegion(context.Background(), "scan")
	tree, resolver, err := Scan(opts.Source, opts.Dest, cfg)
	region.End()
	if err != nil {
		return nil, err
	}
	w.BeginSpare(pageDirs(tree.Docs))
	outside := recordOutside(resolver)
	if opts.LimitMemory {
		defer LimitMemory(len(tree.Docs))()
	}
	rs, err := render.New(nil, cfg, resolver, render.Options{BaseURL: opts.BaseURL, Minify: !opts.NoMinify, SourceDir: opts.Source})
	if err != nil {
		return nil, err
	}
	e := &engine{opts: opts, w: w, rs: rs}
	if err := e.openCache(cfg); err != nil {
		return nil, err
	}
	// A build that fails still adds what it made to the cache; one that
	// succeeds has pruned it by then.
	defer e.cache.Close()
	// Bodies are rendered in the worker that parsed the document, while its
	// AST is at hand, and kept until the link pass is done.
	e.last = e.lastOutputs()
	lastFiles := e.lastDocFiles()
	// Only a build that may find nothing changed needs every document's
	// hash before reading any: the others hash each as they read it.
	mayBeFast := e.mayBeFast()
	docSums, docStats := statSums(tree, lastFiles, mayBeFast)
	inputs := e.startInputs(len(tree.Docs))
	e.outside = outside
	if mayBeFast {
		if rec, fast := e.lastFast(inputs.sum(tree, docSums)); fast {
			e.rememberDocFiles(lastFiles, fileRecord(tree, docStats, docSums))
			return e.fastResult(rec), nil // the deferred Abort drops the empty staging
		}
	}
	e.bodies = newBodyStore(w.Scratch(), bodyMemoryBudget)
	defer e.bodies.close()
	region = trace.StartRegion(context.Background(), "read")
	model, err := e.read(tree, resolver, cfg, docSums)
	region.End()
	if err != nil {
		return nil, err
	}
	checkpoint(StageRead)
	region = trace.StartRegion(context.Background(), "index")
	rs.Index(model.Site)
	rs.ReadHistory() // git history, read once, before any page is rendered
	e.keys = NewKeys(e.siteKey, model.Site, rs)
	region.End()
	// The site's own pages and plan.json are written while the workers
	// render the documents' pages: on their own they would leave a core idle.
	siteDone := make(chan error, 1)
	go func() { siteDone <- e.siteFiles(model.Site) }()
	docs := model.Site.Docs
	region = trace.StartRegion(context.Background(), "pages")
	e.startSearch(docs)
	errs := make([]error, len(docs))
	var rendered atomic.Int64
	// Two workers a core: a page's worker waits on its file writes, and
	// with one a core that core idled meanwhile (a cold build at 10,000
	// documents was 3-5% faster in wall time back to back).
	workers.EachOn(2*runtime.GOMAXPROCS(0), len(docs), func(i int) {
		errs[i] = e.docFiles(i, docs[i])
		if rendered.Add(1) == int64(len(docs)/2) {
			checkpoint(StageRender)
		}
		if opts.Progress != nil {
			opts.Progress("render", i+1, len(docs))
		}
	})
	// Wait for the site's pages even when a document failed: the output is
	// abandoned only once nothing writes to it.
	siteErr := <-siteDone
	region.End()
	if err := errors.Join(append(errs, siteErr)...); err != nil {
		return nil, err
	}
	// The search index is finished on one core: the spare of a first
	// build is begun on the other meanwhile.
	w.PrepareSpare()
	region = trace.StartRegion(context.Background(), "search")
	err = e.finishSearch(docs)
	region.End()
	if err != nil {
		return nil, err
	}
	if err := beforeCommit(); err != nil {
		return nil, err
	}
	region = trace.StartRegion(context.Background(), "commit")
	stats, err := w.Commit(opts.Generator)
	region.End()
	if err != nil {
		return nil, err
	}
	ok = true
	res := &Result{Model: model, Docs: len(model.Site.Docs), Stats: stats, Pages: int(e.pages.Load()), Work: e.work(), CacheErr: e.cacheErr}
	if opts.Report != nil {
		res.Report = opts.Report(model)
		e.rememberFast(inputs.sum(tree, docSums), res)
	}
	region = trace.StartRegion(context.Background(), "remember")
	e.rememberDocFiles(lastFiles, fileRecord(tree, docStats, docSums))
	e.remember()
	region.End()
	return res, nil
}

// pageDirs are the directories the documents' pages will be written to,
// as far as the scan knows: a document that cannot be read, or loses its
// page to another, has none in the end.
func pageDirs(docs []string) []string {
	dirs := make([]string, len(docs))
	for i, rel := range docs {
		dirs[i] = path.Dir(render.OutputPath(extract.URLFor(rel)))
	}
	return dirs
}

// beforeCommit runs when the site is staged, before it takes the
// destination's place; tests make it fail to stand for a build killed then.
var beforeCommit = func() error { return nil }

// bodyMemoryBudget is how many bytes of rendered bodies a build holds in
// memory; past it, bodies are spooled to one scratch file, so ten thousand
// documents cost disk, not the build's memory. It is small: a body held
// from the read to its page is room the collector lacks under the build's
// memory limit (LimitMemory) for the whole read, and a body spooled costs
// a write and a read of the page cache. At 10,000 documents 32 MB held
// cost three collections of the 52 a cold build made.
const bodyMemoryBudget = 4 << 20

// bodyStore keeps rendered bodies between the parse and the page render:
// in memory up to its budget, the rest appended to one spool file (one file,
// not one per body: ten thousand creates and opens cost more than the bytes).
type bodyStore struct {
	dir    string
	budget int64
	mu     sync.Mutex
	held   int64
	mem    map[string][]byte
	spool  *os.File
	end    int64
	spans  map[string][2]int64 // offset, length in spool
}

func newBodyStore(dir string, budget int64) *bodyStore {
	return &bodyStore{dir: dir, budget: budget, mem: map[string][]byte{}, spans: map[string][2]int64{}}
}

// put stores a body; body is the caller's again once put returns.
func (s *bodyStore) put(source string, body []byte) error {
	s.mu.Lock()
	if s.held+int64(len(body)) <= s.budget {
		s.held += int64(len(body))
		s.mem[source] = bytes.Clone(body)
		s.mu.Unlock()
		return nil
	}
	if s.spool == nil {
		f, err := os.CreateTemp(s.dir, "bodies-*")
		if err != nil {
			s.mu.Unlock()
			return err
		}
		s.spool = f
	}
	off := s.end
	s.end += int64(len(body))
	s.spans[source] = [2]int64{off, int64(len(body))}
	f := s.spool
	s.mu.Unlock()
	_, err := f.WriteAt(body, off) // regions do not overlap: no lock needed
	return err
}

// take returns a body once, releasing its memory.
func (s *bodyStore) take(source string) ([]byte, error) { return s.takeInto(source, nil) }

// takeInto is take reading a spooled body into buf (grown as needed) rather
// than a slice of its own.
func (s *bodyStore) takeInto(source string, buf *bytes.Buffer) ([]byte, error) {
	s.mu.Lock()
	b, inMem := s.mem[source]
	delete(s.mem, source)
	span, spooled := s.spans[source]
	delete(s.spans, source)
	f := s.spool
	s.mu.Unlock()
	if inMem {
		return b, nil
	}
	if !spooled {
		return nil, fmt.Errorf("%s: no rendered body", source)
	}
	if buf != nil {
		buf.Reset()
		buf.Grow(int(span[1]))
		b = buf.AvailableBuffer()[:span[1]]
	} else {
		b = make([]byte, span[1])
	}
	if _, err := f.ReadAt(b, span[0]); err != nil {
		return nil, fmt.Errorf("%s: reading its rendered body back: %w", source, err)
	}
	return b, nil
}

// close releases the spool file (it goes with the staging directory).
func (s *bodyStore) close() {
	if s.spool != nil {
		s.spool.Close()
	}
}
