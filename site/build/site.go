package build

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/output"
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
	rs, err := render.New(nil, cfg, resolver, render.Options{BaseURL: opts.BaseURL, Minify: !opts.NoMinify, SourceDir: opts.Source})
	if err != nil {
		return nil, err
	}
	// Bodies are rendered in the worker that parsed the document, while its
	// AST is at hand, and spooled to scratch files: holding ten thousand
	// rendered bodies in memory would cost more than the whole build may.
	scratch := w.Scratch()
	model, err := Read(tree, resolver, opts.Generator, cfg, opts.Progress, func(res *extract.Result) error {
		body, err := render.Body(res, rs.Links(res.Doc.Source))
		if err != nil {
			return err
		}
		return os.WriteFile(scratchPath(scratch, res.Doc.Source), body, 0o644)
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
		body, err := os.ReadFile(scratchPath(scratch, d.Source))
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
	pj, err := PlanJSON(model.Site, opts.NoMinify)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		rel  string
		data []byte
	}{{"plan.json", pj}, {"plan.schema.json", schema.JSON()}} {
		b, err := rs.Minify(f.rel, f.data)
		if err != nil {
			return nil, err
		}
		if err := w.Write(f.rel, b); err != nil {
			return nil, err
		}
	}
	stats, err := w.Commit(opts.Generator)
	if err != nil {
		return nil, err
	}
	ok = true
	return &Result{Model: model, Stats: stats, Pages: pages}, nil
}

func scratchPath(dir, source string) string {
	sum := sha256.Sum256([]byte(source))
	return filepath.Join(dir, hex.EncodeToString(sum[:12])+".html")
}
