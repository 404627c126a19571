package build

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/link"
	"github.com/plansite/plansite/site/output"
	"github.com/plansite/plansite/site/source"
)

// fastRecord is what the last build into a destination was made from, and
// what it reported: a build whose inputs are these, into a destination that
// still holds what that build wrote, has nothing to do but say it again.
type fastRecord struct {
	Inputs string `json:"inputs"` // inputsKey of the build
	Docs   int    `json:"docs"`
	Pages  int    `json:"pages"`
	Report []byte `json:"report"` // what Options.Report made of the model
	// Published are the source files the site copies (the images its
	// documents show), by content hash: not documents, so not in Inputs.
	Published map[string]string `json:"published"`
	// Outside are the paths beyond the source that links asked the
	// repository about, and whether each was there: not in Inputs either.
	Outside map[string]bool `json:"outside"`
}

// outsideLog records the answers of a resolver's Outside, so the next
// build can ask again and see whether the repository around the source
// changed in ways that change the site.
type outsideLog struct {
	ask  func(p string) bool
	mu   sync.Mutex
	seen map[string]bool
}

// recordOutside wraps r's Outside in a log; nil when r has none.
func recordOutside(r *link.Resolver) *outsideLog {
	if r.Outside == nil {
		return nil
	}
	l := &outsideLog{ask: r.Outside, seen: map[string]bool{}}
	r.Outside = func(p string) bool {
		found := l.ask(p)
		l.mu.Lock()
		l.seen[p] = found
		l.mu.Unlock()
		return found
	}
	return l
}

// answers is what the log recorded.
func (l *outsideLog) answers() map[string]bool {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.seen)
}

// same reports whether each path is found, or not, as recorded.
func (l *outsideLog) same(recorded map[string]bool) bool {
	for p, found := range recorded {
		if l == nil || l.ask(p) != found {
			return false
		}
	}
	return true
}

// inputs are what a build's output depends on besides the tree, taken
// before any document is read: the git history burndowns read and the day
// the site is built as of.
type inputs struct {
	e              *engine
	history, today string
}

func (e *engine) startInputs(docs int) inputs {
	return inputs{e: e, history: e.rs.HistoryInput(docs), today: e.rs.Today()}
}

// sum is the inputs key: it sums everything a build's output depends on,
// the site key (version, configuration, options, theme), how documents are
// read, the documents and their content, every path links resolve against,
// what the walk reported, and the inputs.
func (in inputs) sum(tree *source.Tree, docSums []string) cache.Key {
	h := cache.NewHasher("inputs").Key(in.e.siteKey).Key(in.e.readKey).String(in.e.opts.Generator).
		String(in.history).String(in.today)
	for i, rel := range tree.Docs {
		h.String(rel).String(docSums[i])
	}
	paths := make([]string, 0, len(tree.Paths))
	for p := range tree.Paths {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		h.String(p)
	}
	walked, _ := json.Marshal(tree.Problems)
	return h.String(string(walked)).Sum()
}

func (e *engine) fastKey() cache.Key {
	return cache.NewHasher("fast").String(e.w.Dest()).Sum()
}

// mayBeFast reports whether this build may find that nothing changed since
// the last one (lastFast).
func (e *engine) mayBeFast() bool { return e.opts.Report != nil && len(e.last) > 0 }

// lastFast is the record of the last build when this one has the same
// inputs and the destination holds every file as that build left it.
func (e *engine) lastFast(inputs cache.Key) (*fastRecord, bool) {
	if !e.mayBeFast() {
		return nil, false
	}
	b, ok := e.cache.Get(e.fastKey())
	var rec fastRecord
	if !ok || jsonv2.Unmarshal(b, &rec) != nil || rec.Inputs != inputs.String() {
		return nil, false
	}
	for rel, sum := range rec.Published {
		if fileSum(filepath.Join(e.opts.Source, filepath.FromSlash(rel))) != sum {
			return nil, false
		}
	}
	if !e.outside.same(rec.Outside) {
		return nil, false
	}
	for rel, r := range e.last {
		if !e.asLeft(rel, r) {
			return nil, false
		}
	}
	return &rec, true
}

// fastResult is the result of a build that had nothing to do.
func (e *engine) fastResult(rec *fastRecord) *Result {
	return &Result{Docs: rec.Docs, Pages: rec.Pages, Stats: output.Stats{Unchanged: len(e.last)}, Report: rec.Report, Fast: true}
}

// rememberFast records this build's inputs and report for the next build.
func (e *engine) rememberFast(inputs cache.Key, res *Result) {
	if e.cache == nil || e.opts.Report == nil {
		return
	}
	published := map[string]string{}
	for _, rel := range e.rs.Published() {
		published[rel] = fileSum(filepath.Join(e.opts.Source, filepath.FromSlash(rel)))
	}
	b, err := json.Marshal(fastRecord{Inputs: inputs.String(), Docs: res.Docs, Pages: res.Pages, Report: res.Report, Published: published, Outside: e.outside.answers()})
	if err == nil {
		_ = e.cache.Put(e.fastKey(), b)
	}
}
