package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/output"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/render"
	"github.com/plansite/plansite/site/schema"
)

// Options of a build.
type Options struct {
	Source    string
	Dest      string
	BaseURL   string
	NoMinify  bool
	Generator string // "plansite <version>"
	Progress  Progress
	// LimitMemory runs the build under a soft memory limit sized to the
	// site (see LimitMemory); the CLI sets it, library callers may not want
	// a process-wide setting changed.
	LimitMemory bool
}

// Result of a build.
type Result struct {
	Model *Model
	Stats output.Stats
	Pages int
}

// Build builds the site from opts.Source into opts.Dest. A build that fails
// leaves the destination as it was.
func Build(opts Options) (*Result, error) {
	cfg, err := config.Load(opts.Source)
	if err != nil {
		return nil, err
	}
	if opts.BaseURL == "" {
		opts.BaseURL = cfg.BaseURL
	}
	w, err := output.New(opts.Dest)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			w.Abort()
		}
	}()
	tree, resolver, err := Scan(opts.Source, opts.Dest, cfg)
	if err != nil {
		return nil, err
	}
	if opts.LimitMemory {
		defer LimitMemory(len(tree.Docs))()
	}
	rs, err := render.New(nil, cfg, resolver, render.Options{BaseURL: opts.BaseURL, Minify: !opts.NoMinify, SourceDir: opts.Source})
	if err != nil {
		return nil, err
	}
	// Bodies are rendered in the worker that parsed the document, while its
	// AST is at hand, and kept until the link pass is done.
	bodies := newBodyStore(w.Scratch(), bodyMemoryBudget)
	model, err := Read(tree, resolver, opts.Generator, cfg, opts.Progress, func(res *extract.Result) error {
		body, err := render.Body(res, rs.Links(res.Doc.Source))
		if err != nil {
			return err
		}
		return bodies.put(res.Doc.Source, body)
	})
	if err != nil {
		return nil, err
	}
	rs.Index(model.Site)
	docs := model.Site.Docs
	errs := make([]error, len(docs))
	var extra atomic.Int64
	parallel(len(docs), func(i int) {
		d := docs[i]
		body, err := bodies.take(d.Source)
		if err != nil {
			errs[i] = err
			return
		}
		// The page (and its badge) is rendered and minified in this worker.
		n := 0
		err = rs.DocFiles(d, body, func(rel string, data []byte) error { n++; return w.Write(rel, data) })
		if err != nil {
			errs[i] = fmt.Errorf("%s: %w", d.Source, err)
			return
		}
		extra.Add(int64(n - 1))
		if opts.Progress != nil {
			opts.Progress("render", i+1, len(docs))
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	pages := len(docs) + int(extra.Load())
	emit := func(rel string, data []byte) error { pages++; return w.Write(rel, data) }
	if err := rs.SitePages(emit); err != nil {
		return nil, err
	}
	if err := writePlanJSON(w, model.Site, opts.NoMinify); err != nil {
		return nil, err
	}
	schemaJSON, err := rs.Minify("plan.schema.json", schema.JSON())
	if err != nil {
		return nil, err
	}
	if err := w.Write("plan.schema.json", schemaJSON); err != nil {
		return nil, err
	}
	stats, err := w.Commit(opts.Generator)
	if err != nil {
		return nil, err
	}
	ok = true
	return &Result{Model: model, Stats: stats, Pages: pages}, nil
}

// bodyMemoryBudget is how many bytes of rendered bodies a build holds in
// memory; past it, bodies are spooled to scratch files, so ten thousand
// documents cost disk, not the build's memory.
const bodyMemoryBudget = 32 << 20

// bodyStore keeps rendered bodies between the parse and the page render.
type bodyStore struct {
	dir    string
	budget int64
	mu     sync.Mutex
	held   int64
	mem    map[string][]byte
}

func newBodyStore(dir string, budget int64) *bodyStore {
	return &bodyStore{dir: dir, budget: budget, mem: map[string][]byte{}}
}

func (s *bodyStore) put(source string, body []byte) error {
	s.mu.Lock()
	if s.held+int64(len(body)) <= s.budget {
		s.held += int64(len(body))
		if cap(body) > len(body)+len(body)/8 {
			body = bytes.Clone(body) // a rendering buffer's spare room is not kept
		}
		s.mem[source] = body
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	return os.WriteFile(scratchPath(s.dir, source), body, 0o644)
}

// take returns a body once, releasing its memory.
func (s *bodyStore) take(source string) ([]byte, error) {
	s.mu.Lock()
	b, ok := s.mem[source]
	if ok {
		delete(s.mem, source)
	}
	s.mu.Unlock()
	if ok {
		return b, nil
	}
	return os.ReadFile(scratchPath(s.dir, source))
}

func scratchPath(dir, source string) string {
	sum := sha256.Sum256([]byte(source))
	return filepath.Join(dir, hex.EncodeToString(sum[:12])+".html")
}

func writePlanJSON(w *output.Writer, site *plan.Site, readable bool) error {
	f, err := w.Create("plan.json")
	if err != nil {
		return err
	}
	if err := WritePlanJSON(f, site, readable); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
