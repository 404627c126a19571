// Package build runs the pipeline: load the tree, parse and extract every
// document in parallel, link the site, render every page in parallel, and
// write the output safely.
package build

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/plansite/plansite/internal/workers"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/link"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/source"
)

// Progress receives the pipeline's progress: a stage name, done and total.
type Progress func(stage string, done, total int)

// Model is a loaded site: the model and what it was read from.
type Model struct {
	Site     *plan.Site
	Config   *config.Config
	Tree     *source.Tree
	Resolver *link.Resolver
}

// Load reads the source tree into the plan model. each, when not nil, is
// called from the worker that parsed a document, with the document's AST
// still in hand (rendering uses it so a document is parsed once); the AST is
// dropped after it returns.
func Load(src, dest, generator string, cfg *config.Config, progress Progress, each func(*extract.Result) error) (*Model, error) {
	tree, resolver, err := Scan(src, dest, cfg)
	if err != nil {
		return nil, err
	}
	return Read(tree, resolver, generator, cfg, progress, each)
}

// Scan walks the source tree: the documents to read and every path, for
// resolving links before any document is parsed.
func Scan(src, dest string, cfg *config.Config) (*source.Tree, *link.Resolver, error) {
	tree, err := source.Walk(src, dest, cfg.Exclude)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", src, err)
	}
	r := link.NewResolver(tree.Paths, tree.Docs)
	r.Outside = InRepository(src)
	return tree, r, nil
}

// InRepository is the link.Resolver's Outside for the source tree src: a
// path that leaves src names something when it stays inside the git
// repository holding src and exists there. Outside a repository nothing
// beyond src resolves.
func InRepository(src string) func(p string) bool {
	top := config.RepoRoot(src)
	abs, err := filepath.Abs(src)
	if top == "" || err != nil {
		return nil
	}
	return func(p string) bool {
		full := filepath.Join(abs, filepath.FromSlash(p))
		rel, err := filepath.Rel(top, full)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return false
		}
		_, err = os.Stat(full)
		return err == nil
	}
}

// Read parses and extracts every document of the tree in parallel, then
// links the site.
func Read(tree *source.Tree, resolver *link.Resolver, generator string, cfg *config.Config, progress Progress, each func(*extract.Result) error) (*Model, error) {
	inputs := make([]*link.Input, len(tree.Docs))
	unreadable := make([]*plan.Problem, len(tree.Docs))
	opts := ExtractOptions(cfg)
	var firstErr error
	var errOnce sync.Once
	var done atomic.Int64
	workers.Each(len(tree.Docs), func(i int) {
		rel := tree.Docs[i]
		raw, err := ReadDoc(tree.Root, rel)
		if err != nil {
			unreadable[i] = Unreadable(rel, err)
			return
		}
		res := ExtractDoc(rel, raw, opts)
		if each != nil {
			if err := each(res); err != nil {
				errOnce.Do(func() { firstErr = fmt.Errorf("%s: %w", rel, err) })
			}
		}
		inputs[i] = &link.Input{Doc: res.Doc, PrevTarget: res.PrevTarget, NextTarget: res.NextTarget}
		if progress != nil {
			progress("read", int(done.Add(1)), len(tree.Docs))
		}
	})
	if firstErr != nil {
		return nil, firstErr
	}
	var ins []*link.Input
	for _, in := range inputs {
		if in != nil {
			ins = append(ins, in)
		}
	}
	site := link.Site(ins, resolver, generator)
	site.Problems = append(site.Problems, tree.Problems...)
	for _, p := range unreadable {
		if p != nil {
			site.Problems = append(site.Problems, p)
		}
	}
	return &Model{Site: site, Config: cfg, Tree: tree, Resolver: resolver}, nil
}

// PlanJSON is plan.json: the whole model, compact, or indented when
// readable (for --no-minify).
func PlanJSON(site *plan.Site, readable bool) ([]byte, error) {
	var b bytes.Buffer
	err := WritePlanJSON(&b, site, readable)
	return b.Bytes(), err
}

// nonNil makes an empty list encode as [], as the schema requires, not null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// WritePlanJSON writes plan.json document by document: the model of a large
// site encoded in one piece would be the build's largest allocation.
func WritePlanJSON(w io.Writer, site *plan.Site, readable bool) error {
	return writePlanJSON(w, site, readable, nil, nil)
}

// writePlanJSON is WritePlanJSON taking each document's JSON from known
// when it gives it (nil: encoded), and telling at where in the output each
// document's JSON was written.
func writePlanJSON(out io.Writer, site *plan.Site, readable bool, known func(d *plan.Doc) []byte, at func(d *plan.Doc, off int64, n int)) error {
	w := &countingWriter{w: out}
	// A document at a time into one buffer, as json.Marshal would encode it
	// (the encoder's newline cut off): a copy of every document's JSON was
	// garbage.
	var one bytes.Buffer
	enc := json.NewEncoder(&one)
	marshal := func(v any) ([]byte, error) {
		one.Reset()
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		return bytes.TrimSuffix(one.Bytes(), []byte("\n")), nil
	}
	sep, open, close := []byte(","), "[", "]"
	if readable {
		marshal = func(v any) ([]byte, error) { return json.MarshalIndent(v, "  ", " ") }
		sep, open, close = []byte(",\n  "), "[\n  ", "\n ]"
	}
	field := func(name string, v any, first bool) error {
		b, err := marshal(v)
		if err != nil {
			return err
		}
		lead := ","
		if first {
			lead = ""
		}
		if readable {
			lead += "\n "
		}
		// Written as they are: through fmt, the agents of a large site
		// were copied once more.
		for _, part := range [][]byte{[]byte(lead + strconv.Quote(name) + ":"), b} {
			if _, err := w.Write(part); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := io.WriteString(w, "{"); err != nil {
		return err
	}
	if err := field("generator", site.Generator, true); err != nil {
		return err
	}
	lead := ","
	if readable {
		lead += "\n "
	}
	if _, err := io.WriteString(w, lead+`"docs":`+open); err != nil {
		return err
	}
	for i, d := range site.Docs {
		if i > 0 {
			if _, err := w.Write(sep); err != nil {
				return err
			}
		}
		var b []byte
		if known != nil {
			b = known(d)
		}
		if b == nil {
			var err error
			if b, err = marshal(d); err != nil {
				return err
			}
		}
		if at != nil {
			at(d, w.n, len(b))
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, close); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    any
	}{{"series", nonNil(site.Series)}, {"agents", nonNil(site.Agents)}, {"decisions", nonNil(site.Decisions)}, {"problems", nonNil(site.Problems)}} {
		if err := field(f.name, f.v, false); err != nil {
			return err
		}
	}
	end := "}"
	if readable {
		end = "\n}"
	}
	_, err := io.WriteString(w, end+"\n")
	return err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// ExtractDoc reads the model off one document, with empty lists where it
// has none, as plan.json writes them: the link pass copies the document
// rather than changing it, so it is finished here, once, and compacted
// (plan.Compact): a build or serve holds it to the end.
func ExtractDoc(rel string, raw []byte, opts extract.Options) *extract.Result {
	return ExtractDocHashed(rel, raw, extract.HashOf(raw), opts)
}

// ExtractDocHashed is ExtractDoc given raw's hash (extract.HashOf), for a
// caller that hashed it already.
func ExtractDocHashed(rel string, raw []byte, hash string, opts extract.Options) *extract.Result {
	return extractDoc(rel, raw, hash, opts, plan.Compact)
}

// extractDoc is ExtractDoc given raw's hash (extract.HashOf), compacting
// with compact (a build's arena).
func extractDoc(rel string, raw []byte, hash string, opts extract.Options, compact func(*plan.Doc)) *extract.Result {
	res := extract.ExtractHashed(rel, raw, hash, opts)
	link.EnsureSlices(res.Doc)
	compact(res.Doc)
	return res
}

// ExtractOptions is how the configuration has documents read: its time
// zone, its own status words and metadata keys.
func ExtractOptions(cfg *config.Config) extract.Options {
	opts := extract.Options{Zone: cfg.Location()}
	opts.SiteWords(cfg.Status, cfg.Keys)
	return opts
}

// Unreadable is the problem of a document that could not be read: the site
// lists it, and the document has no page.
func Unreadable(rel string, err error) *plan.Problem {
	return &plan.Problem{Source: rel, Severity: plan.SevError, Code: plan.CodeUnreadable, Message: err.Error()}
}

// ReadDoc reads the document rel under root: never through a symbolic
// link that leads outside root, never what is not a regular file (a FIFO
// would block the build), never a file over extract.MaxSize.
func ReadDoc(root, rel string) ([]byte, error) {
	return source.ReadFile(root, rel, extract.MaxSize)
}

// openDocs is ReadDoc for many documents under root, which it opens once
// (source.Dir); close closes it. Where root cannot be opened, each read
// fails as ReadDoc's would.
func openDocs(root string) (read func(rel string) ([]byte, error), close func()) {
	d, err := source.OpenDir(root)
	if err != nil {
		return func(rel string) ([]byte, error) { return ReadDoc(root, rel) }, func() {}
	}
	return func(rel string) ([]byte, error) { return d.ReadFile(rel, extract.MaxSize) }, func() { d.Close() }
}
