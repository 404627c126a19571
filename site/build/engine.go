package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/plansite/plansite/internal/workers"
	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/link"
	"github.com/plansite/plansite/site/output"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/render"
	"github.com/plansite/plansite/site/schema"
	"github.com/plansite/plansite/site/search"
	"github.com/plansite/plansite/site/source"
)

// engine is one build: the stages, with the pages keyed by their inputs so
// that what the last build made is kept, or copied from the cache, rather
// than made again.
type engine struct {
	opts     Options
	w        *output.Writer
	rs       *render.Site
	cache    *cache.Cache // nil: no cache
	cacheErr error        // why there is none, when one was asked for
	bodies   *bodyStore
	// arena holds the documents' models: they live to the end of the
	// build together (plan.Arena).
	arena plan.Arena

	readKey cache.Key // what reading a document depends on besides it: version, time zone
	siteKey cache.Key // what every page depends on: version, configuration, options, theme
	docs    map[string]*docState
	keys    *Keys

	last      map[string]outputRecord // what the last build into this destination made
	lastByKey map[cache.Key][]string
	mu        sync.Mutex
	made      map[string]cache.Key // output path → key of the page it belongs to

	search  searchState
	outside *outsideLog // what links leaving the source found in the repository

	pages                                  atomic.Int64
	parsed, cached, rendered, copied, kept atomic.Int64
	indexed                                atomic.Int64
}

// docState is where a document's body is.
type docState struct {
	rel   string
	entry cache.Key // its entry in the cache
	body  cache.Key // sha256 of the rendered body
	fresh bool      // parsed by this build: the body is in the body store
}

func (e *engine) openCache(cfg *config.Config) error {
	// Reading depends on the configuration through its zone, status words
	// and keys (JSON writes maps in key order).
	words, _ := json.Marshal([]map[string]string{cfg.Status, cfg.Keys})
	e.readKey = cache.NewHasher("read").String(version()).String(cfg.Location().String()).String(string(words)).Sum()
	e.siteKey = SiteKey(e.opts.Generator, e.rs)
	if e.opts.CacheDir == "" {
		return nil
	}
	c, err := cache.Open(e.opts.CacheDir)
	if err != nil {
		// Without its cache a build is slower, not wrong.
		e.cacheErr = err
		return nil
	}
	e.cache = c
	return nil
}

// read parses and extracts every document of the tree in parallel, or
// takes it from the cache, then links the site.
// docSums are the documents' content hashes: a cached document is not read
// again. Where one is "" (not known, or the document could not be read)
// the document is read, and its hash put in docSums.
func (e *engine) read(tree *source.Tree, resolver *link.Resolver, cfg *config.Config, docSums []string) (*Model, error) {
	n := len(tree.Docs)
	inputs := make([]*link.Input, n)
	unreadable := make([]*plan.Problem, n)
	states := make([]*docState, n)
	errs := make([]error, n)
	opts := ExtractOptions(cfg)
	readDoc, closeDocs := openDocs(tree.Root)
	defer closeDocs()
	var done atomic.Int64
	workers.Each(n, func(i int) {
		rel := tree.Docs[i]
		links := e.rs.Links(rel)
		var raw []byte
		if docSums[i] == "" {
			var err error
			if raw, err = readDoc(rel); err != nil {
				unreadable[i] = Unreadable(rel, err)
				return
			}
			docSums[i] = extract.HashOf(raw)
		}
		hash := docSums[i]
		entry := docEntryKey(e.readKey, rel, docSums[i])
		if cd := e.cachedDoc(entry, links); cd != nil {
			inputs[i] = &link.Input{Doc: cd.Doc, PrevTarget: cd.PrevTarget, NextTarget: cd.NextTarget}
			var bk cache.Key
			hex.Decode(bk[:], []byte(cd.Body))
			states[i] = &docState{rel: rel, entry: entry, body: bk}
			e.cache.Keep(bodyEntry(bk)) // a later build may render its page
			e.cached.Add(1)
		} else {
			if raw == nil {
				var err error
				if raw, err = readDoc(rel); err != nil {
					unreadable[i] = Unreadable(rel, err)
					return
				}
				// Hashed again: the file may have changed since it was summed.
				hash = extract.HashOf(raw)
				entry = docEntryKey(e.readKey, rel, hash)
			}
			res := extractDoc(rel, raw, hash, opts, e.arena.Compact)
			var uses []linkUse
			buf := bodyBuffers.Get().(*bytes.Buffer)
			defer putBodyBuffer(buf)
			err := render.BodyTo(buf, res, recordLinks(links, &uses))
			body := buf.Bytes()
			if err == nil {
				err = e.bodies.put(rel, body)
			}
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", rel, err)
				return
			}
			bk := cache.Key(sha256.Sum256(body))
			e.putDoc(entry, bk, body, &cachedDoc{Doc: res.Doc, PrevTarget: res.PrevTarget, NextTarget: res.NextTarget, Body: bk.String(), Links: uses})
			inputs[i] = &link.Input{Doc: res.Doc, PrevTarget: res.PrevTarget, NextTarget: res.NextTarget}
			states[i] = &docState{rel: rel, entry: entry, body: bk, fresh: true}
			e.parsed.Add(1)
		}
		if e.opts.Progress != nil {
			e.opts.Progress("read", int(done.Add(1)), n)
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	e.docs = make(map[string]*docState, n)
	var ins []*link.Input
	for i, in := range inputs {
		if in != nil {
			ins = append(ins, in)
			e.docs[states[i].rel] = states[i]
		}
	}
	site := link.Site(ins, resolver, e.opts.Generator)
	site.Problems = append(site.Problems, tree.Problems...)
	for _, p := range unreadable {
		if p != nil {
			site.Problems = append(site.Problems, p)
		}
	}
	return &Model{Site: site, Config: cfg, Tree: tree, Resolver: resolver}, nil
}

// bodyBuffers hold a body from its render until it is stored (bodyStore
// copies what it keeps): most bodies of a large site go to the spool file,
// and a copy of each was garbage.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putBodyBuffer(b *bytes.Buffer) {
	if b.Cap() > 4<<20 {
		return // a rare huge body is not kept
	}
	b.Reset()
	bodyBuffers.Put(b)
}

// recordLinks is links, noting every target it is asked for.
func recordLinks(links render.LinkFunc, uses *[]linkUse) render.LinkFunc {
	seen := map[string]bool{}
	return func(target string) (string, render.LinkState) {
		href, state := links(target)
		if !seen[target] {
			seen[target] = true
			*uses = append(*uses, linkUse{Target: target, Href: href, State: state})
		}
		return href, state
	}
}

// cachedDoc is the document the cache holds at key, when its body's links
// still render as they did; nil otherwise. Its model is decoded into the
// build's arena (plan.Arena.Decode); the links it was checked by are left
// out.
func (e *engine) cachedDoc(key cache.Key, links render.LinkFunc) *cachedDoc {
	r := docReaders.Get().(*docReader)
	defer docReaders.Put(r)
	b, ok := e.cache.GetInto(key, &r.buf)
	if !ok {
		return nil
	}
	cd, err := r.take(&e.arena, b, func(cd *cachedDoc) error {
		// Asked again, the links also publish the files they point at.
		for _, u := range cd.Links {
			if href, state := links(u.Target); href != u.Href || state != u.State {
				return errors.New("links changed")
			}
		}
		return nil
	})
	if err != nil {
		return nil
	}
	return cd
}

// docReader reads cached documents one after the other: the entry into the
// same buffer, the model into the same parts (msgp decodes into what is
// there), so that reading ten thousand documents makes little garbage.
type docReader struct {
	buf []byte
	cd  cachedDoc
}

var docReaders = sync.Pool{New: func() any { return new(docReader) }}

// decode reads the entry b into the reader's document, which is valid
// until the next decode.
func (r *docReader) decode(b []byte) (*cachedDoc, error) {
	if _, err := r.cd.UnmarshalMsg(b); err != nil {
		return nil, err
	}
	if r.cd.Doc == nil {
		return nil, errors.New("no model")
	}
	return &r.cd, nil
}

// take decodes the entry b into the arena (plan.Arena.Decode): the
// document, when check accepts what was decoded, without the links its
// body was checked by.
func (r *docReader) take(arena *plan.Arena, b []byte, check func(*cachedDoc) error) (*cachedDoc, error) {
	var cd *cachedDoc
	d, err := arena.Decode(b, func(stable []byte) (*plan.Doc, error) {
		var err error
		if cd, err = r.decode(stable); err != nil {
			return nil, err
		}
		if len(cd.Body) != 2*len(cache.Key{}) {
			return nil, errors.New("no body")
		}
		if err := check(cd); err != nil {
			return nil, err
		}
		d := *cd.Doc // the reader's parts are decoded into again
		return &d, nil
	})
	if err != nil {
		return nil, err
	}
	link.EnsureSlices(d)
	return &cachedDoc{Doc: d, PrevTarget: cd.PrevTarget, NextTarget: cd.NextTarget, Body: cd.Body}, nil
}

// bodyEntry names the cached rendered body whose sha256 is sum.
func bodyEntry(sum cache.Key) cache.Key { return cache.NewHasher("body").Key(sum).Sum() }

// putDoc keeps a document's model under entry and its rendered body, whose
// sha256 is bk, under bodyEntry(bk).
func (e *engine) putDoc(entry, bk cache.Key, body []byte, cd *cachedDoc) {
	if e.cache == nil {
		return
	}
	buf := encodeBufs.Get().(*[]byte)
	defer encodeBufs.Put(buf)
	b, err := cd.MarshalMsg((*buf)[:0])
	if err != nil {
		return
	}
	*buf = b
	// A cache that cannot be written costs the next build time, not this
	// one its result.
	_ = e.cache.Put(bodyEntry(bk), body)
	_ = e.cache.Put(entry, b) // copied: the buffer goes back to the pool
}

// encodeBufs are the buffers documents are encoded into for the cache.
var encodeBufs = sync.Pool{New: func() any { return new([]byte) }}

// body is a document's rendered body: from this build, or from the cache,
// or (when the cache lost it) rendered again.
func (e *engine) body(d *plan.Doc) ([]byte, error) { return e.bodyInto(d, nil) }

// bodyInto is body, read into buf when it was spooled: a page's body is
// done with once its page and search record are made, and the bodies of a
// large site read back each into a slice of its own were most of what
// rendering the pages allocated.
func (e *engine) bodyInto(d *plan.Doc, buf *bytes.Buffer) ([]byte, error) {
	if e.docs[d.Source].fresh {
		return e.bodies.takeInto(d.Source, buf)
	}
	return e.bodyAgain(d)
}

// bodyAgain is a document's rendered body from the cache, or rendered again.
func (e *engine) bodyAgain(d *plan.Doc) ([]byte, error) {
	st := e.docs[d.Source]
	if body, ok := e.cache.Get(bodyEntry(st.body)); ok && cache.Key(sha256.Sum256(body)) == st.body {
		return body, nil
	}
	raw, err := ReadDoc(e.opts.Source, d.Source)
	if err != nil {
		return nil, err
	}
	res := ExtractDoc(d.Source, raw, ExtractOptions(e.rs.Config))
	return render.Body(res, e.rs.Links(d.Source))
}

// docFiles writes a document's page and badge: kept, copied from the cache,
// or rendered.
func (e *engine) docFiles(i int, d *plan.Doc) error {
	k := e.keys.DocPage(d, e.docs[d.Source].body, e.rs)
	if _, ok := e.reuse(k); ok {
		return e.searchDoc(i, d, func() ([]byte, error) { return e.body(d) })
	}
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer putBodyBuffer(buf)
	body, err := e.bodyInto(d, buf) // neither the search index nor the page keeps it
	if err != nil {
		return fmt.Errorf("%s: %w", d.Source, err)
	}
	if err := e.searchDoc(i, d, func() ([]byte, error) { return body, nil }); err != nil {
		return err
	}
	entry := e.cache.Create(k) // the page's files, copied as they are emitted
	err = e.rs.DocFiles(d, body, func(rel string, data []byte) error {
		appendFileTo(entry, rel, data)
		return e.write(rel, data, k)
	})
	if err != nil {
		entry.Abort()
		return fmt.Errorf("%s: %w", d.Source, err)
	}
	e.rendered.Add(1)
	_ = entry.Commit()
	return nil
}

// searchState is the search index of one build: kept whole from the last
// build when no document's model or body changed; else, when a few
// documents' records changed and the last build's index is in the
// destination as it left it, that index updated (search.Update: the
// chunks holding the changed terms rewritten, the others kept); else made
// whole from each document's search record (from the cache, or made from
// its body).
type searchState struct {
	key    cache.Key
	reused bool
	recs   []cache.Key // each document's search record, by its index
	last   *lastSearch // the index to update; nil: made whole
	mu     sync.Mutex
	made   map[int]search.Record // the new records of the documents that changed
}

// lastSearch is the last build's search index, to be updated.
type lastSearch struct {
	state   *search.State
	recs    []cache.Key // its documents' records
	changed []int       // the documents whose record changed since
	files   map[string]outputRecord
}

// MaxSearchChanges is how many of n documents may change for the search
// index to be updated rather than made whole: past it, the chunks to
// rewrite are most of them.
func MaxSearchChanges(n int) int { return 16 + n/128 }

// startSearch keys the search index and keeps or copies it when it can,
// else finds the last build's index when it can be updated.
func (e *engine) startSearch(docs []*plan.Doc) {
	e.search.recs = make([]cache.Key, len(docs))
	workers.Each(len(docs), func(i int) { e.search.recs[i] = e.searchRecordKey(docs[i]) })
	h := cache.NewHasher("search").Key(e.keys.model)
	for _, rk := range e.search.recs {
		h.Key(rk)
	}
	e.search.key = h.Sum()
	if _, e.search.reused = e.reuse(e.search.key); e.search.reused {
		e.cache.Keep(e.searchStateKey(e.search.key)) // the next change updates it
		return
	}
	e.search.last = e.lastSearch()
	e.search.made = map[int]search.Record{}
}

// searchStateKey names the state of the search index whose files are keyed
// k, as this program makes it: found through the last build's manifest,
// whichever program made that, so the site key keeps another build of
// plansite from updating an index in a format it does not write.
func (e *engine) searchStateKey(k cache.Key) cache.Key {
	return cache.NewHasher("search-state").Key(e.siteKey).Key(k).Sum()
}

// lastSearch is the last build's search index when this build can update
// it: the cache holds its state, it has as many documents, few of them
// changed, and its files are in the destination as that build left them.
func (e *engine) lastSearch() *lastSearch {
	r, ok := e.last["search/meta.json"]
	var k cache.Key
	if n, err := hex.Decode(k[:], []byte(r.Key)); !ok || err != nil || n != len(k) {
		return nil
	}
	b, ok := e.cache.Get(e.searchStateKey(k))
	if !ok {
		return nil
	}
	n := len(e.search.recs)
	count, w := binary.Uvarint(b)
	if w <= 0 || count != uint64(n) || len(b)-w < n*len(k) {
		return nil // damaged, or the last build had other documents
	}
	b = b[w:]
	st, err := search.DecodeState(b[n*len(k):])
	if err != nil || st.Docs() != n {
		return nil
	}
	last := &lastSearch{state: st, recs: make([]cache.Key, n), files: e.lastFiles(k)}
	for i := range last.recs {
		copy(last.recs[i][:], b[i*len(k):])
		if last.recs[i] != e.search.recs[i] {
			if last.changed = append(last.changed, i); len(last.changed) > MaxSearchChanges(n) {
				return nil
			}
		}
	}
	for rel, r := range last.files {
		if !e.asLeft(rel, r) {
			return nil
		}
	}
	return last
}

// searchRecordKey names document d's search record: what the index reads
// of its model, and its body. It is SearchRecordKey of the document's
// render.SearchMeta, summed without making SearchMeta's lists: a rebuild
// keys every document's record, and the lists were a tenth of what a
// one-edit rebuild allocated.
func (e *engine) searchRecordKey(d *plan.Doc) cache.Key {
	h := searchHasher(e.siteKey, d.Title, e.rs.URL(d.URL), d.Status)
	n := 0
	for _, hd := range d.Headings {
		if render.SearchReads(hd) {
			n++
		}
	}
	h.String(strconv.Itoa(n))
	for _, hd := range d.Headings {
		if render.SearchReads(hd) {
			h.String(hd.Text)
		}
	}
	h.String(strconv.Itoa(len(d.Tasks)))
	for _, t := range d.Tasks {
		h.Join(render.SearchTask(t))
	}
	return h.Key(e.docs[d.Source].body).Sum()
}

func searchHasher(site cache.Key, title, url, status string) *cache.Hasher {
	return cache.NewHasher("search-doc").Key(site).String(title).String(url).String(status)
}

// SearchRecordKey names the search record of a document whose search
// fields (all but its body) are sd and whose rendered body is keyed body,
// for the site keyed site.
func SearchRecordKey(site cache.Key, sd search.Doc, body cache.Key) cache.Key {
	h := searchHasher(site, sd.Title, sd.URL, sd.Status)
	h.String(strconv.Itoa(len(sd.Headings)))
	for _, s := range sd.Headings {
		h.String(s)
	}
	h.String(strconv.Itoa(len(sd.Tasks)))
	for _, s := range sd.Tasks {
		h.String(s)
	}
	return h.Key(body).Sum()
}

// searchDoc adds document i to the search index, from the record the cache
// holds of it or else from its body, and writes the fragment file it
// completed, if any. When the last build's index is updated, only the
// records of the documents that changed are wanted.
func (e *engine) searchDoc(i int, d *plan.Doc, body func() ([]byte, error)) error {
	rk := e.search.recs[i]
	last := e.search.last
	if e.search.reused || last != nil && last.recs[i] == rk {
		e.cache.Keep(rk) // the next build's index may need it
		return nil
	}
	e.indexed.Add(1)
	if last != nil {
		rec, ok := e.cache.Get(rk) // checked by the update, which falls back on a damaged one
		if !ok {
			b, err := body()
			if err == nil {
				rec, err = e.rs.SearchRecordOf(d, b)
			}
			if err != nil {
				return fmt.Errorf("%s: search index: %w", d.Source, err)
			}
			e.putBlob(rk, rec)
		}
		e.search.mu.Lock()
		e.search.made[i] = rec
		e.search.mu.Unlock()
		return nil
	}
	rel, frag, err := "", []byte(nil), error(nil)
	rec, ok := e.cache.Get(rk)
	if ok {
		rel, frag, err = e.rs.SearchAdd(i, rec)
	}
	if !ok || err != nil { // a damaged record is a miss
		b, berr := body()
		if berr != nil {
			return fmt.Errorf("%s: %w", d.Source, berr)
		}
		var made search.Record
		rel, frag, made, err = e.rs.SearchRecord(i, d, b)
		if err == nil {
			e.putBlob(rk, made)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: search index: %w", d.Source, err)
	}
	if rel == "" {
		return nil
	}
	return e.write(rel, frag, e.search.key)
}

// finishSearch writes the index once every document was added, or updates
// the last build's.
func (e *engine) finishSearch(docs []*plan.Doc) error {
	if e.search.reused {
		return nil
	}
	if e.search.last != nil {
		up, err := e.searchUpdate()
		if err == nil {
			// Past here a failure is the build's: files were kept or
			// written, and the whole index would write them twice.
			return e.applySearchUpdate(up)
		}
		// The last build's index could not be read after all: made whole.
		if err := e.mergeSearch(docs); err != nil {
			return err
		}
	}
	// Not kept whole in the cache: made again from the documents' records,
	// the index costs less than its copy would.
	err := e.rs.SearchFiles(func(rel string, data []byte) error {
		return e.write(rel, data, e.search.key)
	})
	if err != nil {
		return err
	}
	if st := e.rs.SearchState(); st != nil {
		e.putSearchState(st)
	}
	return nil
}

func (e *engine) putSearchState(st *search.State) {
	if e.cache == nil {
		return
	}
	// How many record keys, then the keys, then the index's state: the
	// count says where the state starts whatever the next build's count.
	b := make([]byte, 0, binary.MaxVarintLen64+len(e.search.recs)*len(cache.Key{})+16*st.Docs())
	b = binary.AppendUvarint(b, uint64(len(e.search.recs)))
	for _, rk := range e.search.recs {
		b = append(b, rk[:]...)
	}
	e.putBlob(e.searchStateKey(e.search.key), st.AppendBinary(b))
}

// searchUpdate is the last build's search index updated with the documents
// that changed: the files the changes touch, made, and the others, to be
// kept. It writes nothing: when it fails, the index is made whole instead.
type searchUpdate struct {
	next  *search.State
	files []search.File
	keep  []string
}

func (e *engine) searchUpdate() (*searchUpdate, error) {
	last := e.search.last
	changes := make([]search.Change, len(last.changed))
	for j, i := range last.changed {
		old, ok := e.cache.Get(last.recs[i])
		if !ok {
			return nil, fmt.Errorf("no search record of document %d", i)
		}
		changes[j] = search.Change{ID: i, Old: old, New: e.search.made[i]}
	}
	next, files, keep, err := search.Update(last.state, changes, func(rel string) ([]byte, error) {
		r, ok := last.files[rel]
		if !ok {
			return nil, fmt.Errorf("the last build made no %s", rel)
		}
		b, err := os.ReadFile(filepath.Join(e.w.Dest(), filepath.FromSlash(rel)))
		if err == nil && output.HashOf(b) != r.Hash {
			err = fmt.Errorf("%s changed since the last build", rel)
		}
		return b, err
	})
	if err != nil {
		return nil, err
	}
	for _, rel := range keep {
		if _, ok := last.files[rel]; !ok {
			return nil, fmt.Errorf("the last build made no %s", rel)
		}
	}
	return &searchUpdate{next: next, files: files, keep: keep}, nil
}

// applySearchUpdate keeps and writes the files of an updated index.
func (e *engine) applySearchUpdate(up *searchUpdate) error {
	last := e.search.last
	for _, rel := range up.keep {
		if !e.w.Keep(rel, last.files[rel].Hash) {
			return fmt.Errorf("search index: %s cannot be kept", rel)
		}
		e.note(rel, e.search.key)
	}
	for _, f := range up.files {
		if err := e.write(f.Rel, f.Data, e.search.key); err != nil {
			return err
		}
	}
	e.putSearchState(up.next)
	return nil
}

// mergeSearch adds every document to the search index from its record,
// as searchDoc does when the last build's index is not updated.
func (e *engine) mergeSearch(docs []*plan.Doc) error {
	e.search.last = nil
	for i, d := range docs {
		rk := e.search.recs[i]
		rec, ok := e.search.made[i]
		if !ok {
			rec, ok = e.cache.Get(rk)
		}
		if ok {
			e.indexed.Add(1)
			rel, frag, err := e.rs.SearchAdd(i, rec)
			if err == nil {
				if rel != "" {
					if err := e.write(rel, frag, e.search.key); err != nil {
						return err
					}
				}
				continue
			}
		}
		// Its body was taken when its page was written: from the cache.
		if err := e.searchDoc(i, d, func() ([]byte, error) { return e.bodyAgain(d) }); err != nil {
			return err
		}
	}
	return nil
}

// siteFiles writes every file that is not a document's page: the site's
// own pages, plan.json and its schema.
func (e *engine) siteFiles(site *plan.Site) (err error) {
	// plan.json on a goroutine of its own: in a rebuild the documents'
	// pages are soon kept, and it and the site's pages would take turns
	// on one core with the other idle.
	planDone := make(chan error, 1)
	go func() { planDone <- e.planJSON(site, e.opts.NoMinify) }()
	defer func() { err = errors.Join(err, <-planDone) }()
	rest := e.keys.Rest(e.rs.Published(), e.opts.Source)
	own := e.keys.OwnKeys(site, e.rs) // plan and agent pages each have their own key

	done := map[string]bool{}
	if rels, ok := e.reuse(rest); ok {
		for _, rel := range rels {
			done[rel] = true
		}
		// The plan and agent pages of the last build, each by its key.
		all := true
		for rel := range e.last {
			k, ok := own.Of(rel)
			if !ok || done[rel] {
				continue
			}
			if rels, ok := e.reuse(ownPage(k, rel)); ok {
				for _, r := range rels {
					done[r] = true
				}
				continue
			}
			all = false
		}
		if all && e.last != nil {
			return nil
		}
	}
	restEntry := e.cache.Create(rest) // the rest's files, copied as they are emitted
	defer restEntry.Abort()
	emit := func(rel string, data []byte) error {
		if done[rel] {
			return nil
		}
		if k, ok := own.Of(rel); ok {
			pk := ownPage(k, rel)
			entry := e.cache.Create(pk)
			appendFileTo(entry, rel, data)
			_ = entry.Commit()
			e.rendered.Add(1)
			return e.write(rel, data, pk)
		}
		appendFileTo(restEntry, rel, data)
		return e.write(rel, data, rest)
	}
	unchanged := func(rel string) bool {
		k, ok := own.Of(rel)
		if !ok {
			return false
		}
		if done[rel] {
			return true
		}
		if _, ok := e.reuse(ownPage(k, rel)); ok {
			done[rel] = true
			return true
		}
		return false
	}
	if err := e.rs.SitePagesExcept(emit, unchanged); err != nil {
		return err
	}
	schemaJSON, err := e.rs.Minify("plan.schema.json", schema.JSON())
	if err != nil {
		return err
	}
	if err := emit("plan.schema.json", schemaJSON); err != nil {
		return err
	}
	if len(done) == 0 {
		_ = restEntry.Commit()
	}
	return nil
}

// ownPage is the key of one page of those keyed k (an agent's pages).
func ownPage(k cache.Key, rel string) cache.Key {
	return cache.NewHasher("page").Key(k).String(rel).Sum()
}

// planJSON writes plan.json, streamed: on a large site it is the largest
// file. A document whose key is the one it had in the last build's
// plan.json is copied from that file, not encoded again.
func (e *engine) planJSON(site *plan.Site, readable bool) error {
	k := cache.NewHasher("plan.json").Key(e.keys.model).String(fmt.Sprint(readable)).Sum()
	if _, ok := e.keepLast(k); ok {
		e.cache.Keep(e.planDocsKey()) // where its documents are, for the next change
		return nil
	}
	f, err := e.w.Create("plan.json")
	if err != nil {
		return err
	}
	base := cache.NewHasher("plan.json docs").Key(e.siteKey).Key(e.readKey).String(fmt.Sprint(readable)).Sum()
	last, lastFile := e.lastPlanDocs(base)
	if lastFile != nil {
		defer lastFile.Close()
	}
	spans := planDocs{Base: base.String(), Docs: make(map[string]planDoc, len(site.Docs))}
	lastDocs := spanReader{f: lastFile}
	known := func(d *plan.Doc) []byte {
		old, ok := last.Docs[d.Source]
		if !ok || lastFile == nil || old.Key != e.keys.docs[d.Source].String() {
			return nil
		}
		b, ok := lastDocs.read(old.Off, old.Len)
		if !ok {
			return nil
		}
		return b
	}
	at := func(d *plan.Doc, off int64, n int) {
		spans.Docs[d.Source] = planDoc{Key: e.keys.docs[d.Source].String(), Off: off, Len: n}
	}
	err = writePlanJSON(f, site, readable, known, at)
	if err != nil {
		f.Close()
		return err
	}
	e.note("plan.json", k)
	if err := f.Close(); err != nil {
		return err
	}
	// The spans describe this plan.json only: the cache keeps them at once,
	// but a build killed before its commit leaves the last plan.json in the
	// destination, which the next build must not read at these offsets.
	spans.File = e.w.Made("plan.json")
	if b, err := spans.MarshalMsg(nil); err == nil && spans.File != "" {
		_ = e.cache.Put(e.planDocsKey(), b)
	}
	return nil
}

// spanReader reads spans of a file mostly in the order they are in it,
// through one window: plan.json's documents copied from the last one are
// read a megabyte at a time, not ten thousand reads of one each. A span is
// valid until the next read.
type spanReader struct {
	f   *os.File
	off int64 // where win is in f
	win []byte
}

// spanWindow is how much of the file a read past the window brings in.
const spanWindow = 1 << 20

func (r *spanReader) read(off int64, n int) ([]byte, bool) {
	if n < 0 || off < 0 {
		return nil, false
	}
	if off < r.off || off+int64(n) > r.off+int64(len(r.win)) {
		size := max(n, spanWindow)
		if cap(r.win) < size {
			r.win = make([]byte, size)
		}
		m, err := r.f.ReadAt(r.win[:size], off)
		if m < n || (err != nil && err != io.EOF) {
			r.win = r.win[:0]
			return nil, false
		}
		r.off, r.win = off, r.win[:m]
	}
	at := int(off - r.off)
	return r.win[at : at+n], true
}

func (e *engine) planDocsKey() cache.Key {
	return cache.NewHasher("plan.json docs").String(e.w.Dest()).Sum()
}

// lastPlanDocs is the last build's plan.json, open, and where its
// documents are in it: when it was made with base and is in the
// destination as that build left it. Else nothing is known.
func (e *engine) lastPlanDocs(base cache.Key) (planDocs, *os.File) {
	var pd planDocs
	r, ok := e.last["plan.json"]
	b, cached := e.cache.Get(e.planDocsKey())
	if !ok || !cached {
		return planDocs{}, nil
	}
	if _, err := pd.UnmarshalMsg(b); err != nil || pd.Base != base.String() || pd.File != r.Hash {
		return planDocs{}, nil
	}
	if !e.asLeft("plan.json", r) {
		return planDocs{}, nil
	}
	f, err := os.Open(filepath.Join(e.w.Dest(), "plan.json"))
	if err != nil {
		return planDocs{}, nil
	}
	return pd, f
}

// write stages one file of the page keyed k.
func (e *engine) write(rel string, data []byte, k cache.Key) error {
	e.note(rel, k)
	return e.w.Write(rel, data)
}

func (e *engine) note(rel string, k cache.Key) {
	e.pages.Add(1)
	e.mu.Lock()
	e.made[rel] = k
	e.mu.Unlock()
}

// reuse writes the files of the page keyed k without rendering it: those
// the last build left in the destination are kept, else they are copied
// from the cache. It reports whether it could, and the files.
func (e *engine) reuse(k cache.Key) ([]string, bool) {
	if rels, ok := e.keepLast(k); ok {
		e.cache.Keep(k)
		return rels, true
	}
	b, ok := e.cache.Get(k)
	if !ok {
		return nil, false
	}
	files, ok := splitFiles(b)
	if !ok {
		return nil, false
	}
	var rels []string
	for _, f := range files {
		if err := e.write(f.rel, f.data, k); err != nil {
			return rels, false
		}
		rels = append(rels, f.rel)
	}
	e.copied.Add(1)
	return rels, true
}

// keepLast keeps every file the last build made for the page keyed k, when
// each is in the destination as that build left it.
func (e *engine) keepLast(k cache.Key) ([]string, bool) {
	files := e.lastByKey[k] // read as they are: a map of them a page was garbage
	if len(files) == 0 {
		return nil, false
	}
	for _, rel := range files {
		if !e.asLeft(rel, e.last[rel]) {
			return nil, false
		}
	}
	var rels []string
	for _, rel := range files {
		if !e.w.Keep(rel, e.last[rel].Hash) {
			return rels, false // written twice: the caller's mistake, which Write reports
		}
		e.note(rel, k)
		rels = append(rels, rel)
	}
	e.kept.Add(1)
	return rels, true
}

// asLeft reports whether the file rel is in the destination as the last
// build left it.
func (e *engine) asLeft(rel string, r outputRecord) bool {
	fi, err := os.Lstat(filepath.Join(e.w.Dest(), filepath.FromSlash(rel)))
	return err == nil && fi.Mode().IsRegular() && fi.Size() == r.Size && fi.ModTime().UnixNano() == r.MTime && e.w.Wrote(rel) == r.Hash
}

func (e *engine) lastFiles(k cache.Key) map[string]outputRecord {
	out := map[string]outputRecord{}
	for _, rel := range e.lastByKey[k] {
		out[rel] = e.last[rel]
	}
	return out
}

func (e *engine) putBlob(k cache.Key, blob []byte) {
	if e.cache != nil && blob != nil {
		_ = e.cache.Put(k, blob)
	}
}

// outputsKey names the record of what the last build left in this
// destination.
func (e *engine) outputsKey() cache.Key {
	return cache.NewHasher("outputs").String(e.w.Dest()).Sum()
}

// lastOutputs reads what the last build left in the destination.
func (e *engine) lastOutputs() map[string]outputRecord {
	e.made = map[string]cache.Key{}
	e.lastByKey = map[cache.Key][]string{}
	b, ok := e.cache.Get(e.outputsKey())
	if !ok {
		return nil
	}
	var last outputRecords
	if _, err := last.UnmarshalMsg(b); err != nil {
		return nil
	}
	for rel, r := range last {
		var k cache.Key
		if n, err := hex.Decode(k[:], []byte(r.Key)); err == nil && n == len(k) {
			e.lastByKey[k] = append(e.lastByKey[k], rel)
		}
	}
	e.last = last
	return last
}

// remember records what this build left in the destination, and drops
// from the cache what it did not use.
func (e *engine) remember() {
	if e.cache == nil {
		return
	}
	files := e.w.Files()
	rec := make(map[string]outputRecord, len(files))
	dest := e.w.Dest()
	var written []string // looked at on every core: a first build wrote every file
	for rel, hash := range files {
		k, ok := e.made[rel]
		if !ok {
			continue
		}
		// A file left in place is as the last record has it: no need to
		// look at it again.
		if r, seen := e.last[rel]; seen && r.Hash == hash && e.w.Kept(rel) {
			rec[rel] = outputRecord{Key: k.String(), Hash: hash, Size: r.Size, MTime: r.MTime}
			continue
		}
		written = append(written, rel)
	}
	stats := make([]fs.FileInfo, len(written))
	workers.Each(len(written), func(i int) {
		stats[i], _ = os.Lstat(filepath.Join(dest, filepath.FromSlash(written[i])))
	})
	for i, rel := range written {
		if fi := stats[i]; fi != nil {
			rec[rel] = outputRecord{Key: e.made[rel].String(), Hash: files[rel], Size: fi.Size(), MTime: fi.ModTime().UnixNano()}
		}
	}
	if !maps.Equal(rec, e.last) {
		b, err := outputRecords(rec).MarshalMsg(nil)
		if err != nil || e.cache.Put(e.outputsKey(), b) != nil {
			return
		}
	}
	// A build that put nothing in the cache leaves it as the last one
	// pruned it: walking every entry would find nothing to drop.
	if e.cache.Wrote() {
		_ = e.cache.Prune()
	}
}

func (e *engine) work() Work {
	return Work{Parsed: int(e.parsed.Load()), Cached: int(e.cached.Load()), Rendered: int(e.rendered.Load()),
		Copied: int(e.copied.Load()), Kept: int(e.kept.Load()), Indexed: int(e.indexed.Load())}
}

// A page's files are kept in the cache as one entry: path and content,
// each length-prefixed.
type file struct {
	rel  string
	data []byte
}

// appendFileTo writes one file to w as appendFile encodes it.
func appendFileTo(w io.Writer, rel string, data []byte) {
	var head [2*binary.MaxVarintLen64 + 256]byte
	h := binary.AppendUvarint(head[:0], uint64(len(rel)))
	h = binary.AppendUvarint(append(h, rel...), uint64(len(data)))
	w.Write(h)
	w.Write(data)
}

func appendFile(b []byte, rel string, data []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(rel)))
	b = append(b, rel...)
	b = binary.AppendUvarint(b, uint64(len(data)))
	return append(b, data...)
}

func splitFiles(b []byte) ([]file, bool) {
	var out []file
	r := bytes.NewReader(b)
	for r.Len() > 0 {
		var parts [2][]byte
		for i := range parts {
			n, err := binary.ReadUvarint(r)
			if err != nil || n > uint64(r.Len()) {
				return nil, false
			}
			parts[i] = b[len(b)-r.Len() : len(b)-r.Len()+int(n)]
			r.Seek(int64(n), 1)
		}
		out = append(out, file{rel: string(parts[0]), data: parts[1]})
	}
	return out, true
}
