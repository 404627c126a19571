package serve

import (
	"bytes"
	"sort"
	"strings"
	"sync"

	"github.com/plansite/plansite/internal/workers"
)

// Pages is the site as served: output path → bytes. Nothing is written to
// disk.
type Pages struct {
	mu   sync.RWMutex
	m    map[string]packed
	lazy map[string]func() ([]byte, error) // made on request: plan.json is costly and rarely read

	// Files under lazyDir are made together on the first request for one
	// of them after setLazyDir: the search index.
	lazyMu  sync.Mutex
	lazyDir string
	lazyGen *lazyFiles
}

// lazyFiles is one making of the lazy directory's files.
type lazyFiles struct {
	once  sync.Once
	make  func() (map[string]packed, error)
	files map[string]packed
	err   error
}

// setLazyDir makes the files under dir (such as "search/") on request, all
// at once, by make, dropping what an earlier make made. Files put in the
// site under dir are served first.
func (p *Pages) setLazyDir(dir string, make func() (map[string]packed, error)) {
	p.lazyMu.Lock()
	defer p.lazyMu.Unlock()
	p.lazyDir, p.lazyGen = dir, &lazyFiles{make: make}
}

// getLazyDir is the file at rel under the lazy directory, made if need be.
// It is made outside lazyMu: make takes the site's lock, which a rebuild
// holds while it calls setLazyDir.
func (p *Pages) getLazyDir(rel string) ([]byte, bool, error) {
	p.lazyMu.Lock()
	g, dir := p.lazyGen, p.lazyDir
	p.lazyMu.Unlock()
	if g == nil || !strings.HasPrefix(rel, dir) {
		return nil, false, nil
	}
	g.once.Do(func() { g.files, g.err = g.make() })
	if g.err != nil {
		return nil, false, g.err
	}
	b, ok := g.files[rel]
	return b.bytes(), ok, nil
}

// NewPages makes an empty site.
func NewPages() *Pages {
	return &Pages{m: map[string]packed{}, lazy: map[string]func() ([]byte, error){}}
}

// Get returns the page at rel ("a/b/index.html").
func (p *Pages) Get(rel string) ([]byte, bool, error) {
	p.mu.RLock()
	b, ok := p.m[rel]
	f := p.lazy[rel]
	p.mu.RUnlock()
	if ok {
		return b.bytes(), ok, nil
	}
	if f == nil {
		return p.getLazyDir(rel)
	}
	made, err := f()
	return made, err == nil, err
}

// Has reports whether there is a page at rel.
func (p *Pages) Has(rel string) bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	_, ok := p.m[rel]
	return ok || p.lazy[rel] != nil
}

// Len is the number of pages.
func (p *Pages) Len() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.m) + len(p.lazy)
}

// List is every output path, sorted.
func (p *Pages) List() []string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]string, 0, len(p.m)+len(p.lazy))
	for k := range p.m {
		out = append(out, k)
	}
	for k := range p.lazy {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// put stores pages (packed, on every core), reporting the paths whose bytes
// changed.
func (p *Pages) put(pages map[string][]byte) []string {
	rels := make([]string, 0, len(pages))
	for rel := range pages {
		rels = append(rels, rel)
	}
	packs := make([]packed, len(rels))
	workers.Each(len(rels), func(i int) { packs[i] = pack(pages[rels[i]]) })
	p.mu.Lock()
	defer p.mu.Unlock()
	var changed []string
	for i, rel := range rels {
		if old, ok := p.m[rel]; ok && old.equal(packs[i]) {
			continue
		}
		p.m[rel] = packs[i]
		changed = append(changed, rel)
	}
	sort.Strings(changed)
	return changed
}

// remove drops pages, reporting those that were there.
func (p *Pages) remove(rels []string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var gone []string
	for _, rel := range rels {
		if _, ok := p.m[rel]; ok {
			delete(p.m, rel)
			gone = append(gone, rel)
		}
	}
	return gone
}

func (p *Pages) setLazy(rel string, f func() ([]byte, error)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lazy[rel] = f
}

// inject puts extra into an HTML page just before its last </body> (at the
// end when there is none); the renderer knows nothing of serving.
func inject(page []byte, extra string) []byte {
	if extra == "" {
		return page
	}
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = bytes.LastIndex(page, []byte("</BODY>"))
	}
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(extra))
	out = append(out, page[:i]...)
	out = append(out, extra...)
	return append(out, page[i:]...)
}
