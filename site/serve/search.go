package serve

import (
	"fmt"

	"github.com/plansite/plansite/internal/workers"
	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/search"
)

// searchIndex is the search index serve made last, kept so that the next
// one, after an edit, is the last one updated with the documents that
// changed (search.Update, as a rebuild does) rather than made again from
// every document: at ten thousand documents that is a fraction of a
// second, not seconds with the site's lock held.
type searchIndex struct {
	keys  []cache.Key                 // each document's record key, in the model's order
	recs  map[cache.Key]search.Record // the record of each (records are most of their size in unique text: deflating them cost more than it saved)
	state *search.State               // nil: it cannot be updated
	files map[string]packed           // its files, by output path

	read    int  // documents whose records were made from their bodies for it
	updated bool // it is the index before it, updated
}

// searchFiles is the search index, made when first asked for after a
// change: updated from the last one when few documents changed, else made
// from every document's record (each made once, on every core).
func (s *Site) searchFiles() (map[string]packed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	docs := s.rs.Model.Docs
	metas := make([]search.Doc, len(docs))
	keys := make([]cache.Key, len(docs))
	workers.Each(len(docs), func(i int) {
		metas[i] = s.rs.SearchMeta(docs[i])
		var body cache.Key // none: a document without an entry has no body
		if e := s.docs[docs[i].Source]; e != nil {
			body = e.bodyKey
		}
		keys[i] = build.SearchRecordKey(cache.Key{}, metas[i], body)
	})
	last := s.search
	recs, read, err := s.searchRecords(docs, metas, keys, last)
	if err != nil {
		return nil, err
	}
	next, ok := last.update(keys, recs)
	if !ok {
		if next, err = wholeIndex(keys, recs); err != nil {
			return nil, err
		}
	}
	next.read = read
	s.search = next
	return next.files, nil
}

// searchRecords is the record of each document, those last holds taken
// from it and the others made from the documents' bodies (read of them).
func (s *Site) searchRecords(docs []*plan.Doc, metas []search.Doc, keys []cache.Key, last *searchIndex) (recs map[cache.Key]search.Record, read int, err error) {
	recs = make(map[cache.Key]search.Record, len(keys))
	var missing []int
	for i, k := range keys {
		if _, ok := recs[k]; ok {
			continue
		}
		if last != nil {
			if r, ok := last.recs[k]; ok {
				recs[k] = r
				continue
			}
		}
		recs[k] = nil // made below
		missing = append(missing, i)
	}
	made := make([]search.Record, len(missing))
	errs := make([]error, len(missing))
	x := search.New() // only its Record is used: the index itself stays empty
	workers.Each(len(missing), func(j int) {
		i := missing[j]
		sd := metas[i]
		if e := s.docs[docs[i].Source]; e != nil {
			sd.Body = e.body.bytes()
		}
		rec, err := x.Record(sd)
		if err != nil {
			errs[j] = fmt.Errorf("%s: search index: %w", docs[i].Source, err)
			return
		}
		made[j] = rec
	})
	for j, i := range missing {
		if errs[j] != nil {
			return nil, 0, errs[j]
		}
		recs[keys[i]] = made[j]
	}
	return recs, len(missing), nil
}

// update is the index updated to documents keyed keys, with records recs,
// when it holds as many documents and few of them changed.
func (last *searchIndex) update(keys []cache.Key, recs map[cache.Key]search.Record) (*searchIndex, bool) {
	if last == nil || last.state == nil || len(last.keys) != len(keys) {
		return nil, false
	}
	var changes []search.Change
	for i, k := range keys {
		if last.keys[i] == k {
			continue
		}
		if len(changes) == build.MaxSearchChanges(len(keys)) {
			return nil, false
		}
		changes = append(changes, search.Change{ID: i, Old: last.recs[last.keys[i]], New: recs[k]})
	}
	next := &searchIndex{keys: keys, recs: recs, state: last.state, files: last.files, updated: true}
	if len(changes) == 0 {
		return next, true
	}
	state, files, keep, err := search.Update(last.state, changes, func(rel string) ([]byte, error) {
		if b, ok := last.files[rel]; ok {
			return b.bytes(), nil
		}
		return nil, fmt.Errorf("the last search index has no %s", rel)
	})
	if err != nil {
		return nil, false
	}
	next.state, next.files = state, make(map[string]packed, len(keep)+len(files))
	for _, rel := range keep {
		b, ok := last.files[rel]
		if !ok {
			return nil, false
		}
		next.files[rel] = b
	}
	packFiles(next.files, files)
	return next, true
}

// wholeIndex is the index of the documents keyed keys, made from their
// records recs.
func wholeIndex(keys []cache.Key, recs map[cache.Key]search.Record) (*searchIndex, error) {
	x := search.New()
	var files []search.File
	for i, k := range keys {
		rel, frag, err := x.AddRecord(i, recs[k])
		if err != nil {
			return nil, err
		}
		if rel != "" {
			files = append(files, search.File{Rel: rel, Data: frag})
		}
	}
	err := x.Files(func(rel string, data []byte) error {
		files = append(files, search.File{Rel: rel, Data: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	next := &searchIndex{keys: keys, recs: recs, state: x.State(), files: make(map[string]packed, len(files))}
	packFiles(next.files, files)
	return next, nil
}

// packFiles adds files to m, each packed, on every core.
func packFiles(m map[string]packed, files []search.File) {
	packs := make([]packed, len(files))
	workers.Each(len(files), func(i int) { packs[i] = pack(files[i].Data) })
	for i, f := range files {
		m[f.Rel] = packs[i]
	}
}
