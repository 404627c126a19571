package render

import (
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/search"
)

// SearchDoc adds document i of the model (its rendered body in hand) to the
// search index, and returns the output path and content of the fragment
// file it completed, if any ("" else; SearchFiles writes the rest).
func (s *Site) SearchDoc(i int, d *plan.Doc, body []byte) (string, []byte, error) {
	rel, data, _, err := s.search.AddDoc(i, s.searchDoc(d, body))
	return rel, data, err
}

// SearchRecord is SearchDoc, also returning the document's record, which
// SearchAdd takes in place of the document in a later build. body is read
// during the call only: the build reuses its buffer for the next page.
func (s *Site) SearchRecord(i int, d *plan.Doc, body []byte) (string, []byte, search.Record, error) {
	return s.search.AddDoc(i, s.searchDoc(d, body))
}

// SearchRecordOf is document d's search record, made from its rendered
// body; the index is left as it is.
func (s *Site) SearchRecordOf(d *plan.Doc, body []byte) (search.Record, error) {
	return s.search.Record(s.searchDoc(d, body))
}

// SearchAdd adds document i to the search index from its record.
func (s *Site) SearchAdd(i int, rec search.Record) (string, []byte, error) {
	return s.search.AddRecord(i, rec)
}

// SearchMeta is what the search index reads of document d besides its
// body: what its record is made from with the body.
func (s *Site) SearchMeta(d *plan.Doc) search.Doc { return s.searchDoc(d, nil) }

func (s *Site) searchDoc(d *plan.Doc, body []byte) search.Doc {
	sd := search.Doc{Title: d.Title, URL: s.URL(d.URL), Status: d.Status, Body: body}
	for _, h := range d.Headings {
		if SearchReads(h) {
			sd.Headings = append(sd.Headings, h.Text)
		}
	}
	for _, t := range d.Tasks {
		sd.Tasks = append(sd.Tasks, t.ID+taskSep+t.Title)
	}
	return sd
}

// SearchReads reports whether the search index reads heading h.
func SearchReads(h *plan.Heading) bool { return h.Level >= 2 && h.Level <= 4 }

// SearchTask is how the search index reads a task: its ID and title,
// joined by taskSep (SearchMeta's Tasks).
func SearchTask(t *plan.Task) (id, sep, title string) { return t.ID, taskSep, t.Title }

const taskSep = " "

// SearchFiles writes the search index once every document was added with
// SearchDoc: its manifest, chunks, field lengths and the fragment files
// not yet written.
func (s *Site) SearchFiles(emit func(rel string, data []byte) error) error {
	return s.search.Files(emit)
}

// SearchState is what search.Update needs of the index SearchFiles wrote
// (nil when it cannot be updated).
func (s *Site) SearchState() *search.State { return s.search.State() }

// SearchAll builds the whole search index of the model at once from the
// rendered bodies body gives (plansite serve, which holds them all):
// fragments, manifest, chunks and field lengths.
func (s *Site) SearchAll(body func(*plan.Doc) []byte, emit func(rel string, data []byte) error) error {
	keep := s.search
	s.search = search.New()
	defer func() { s.search = keep }()
	for i, d := range s.Model.Docs {
		rel, frag, err := s.SearchDoc(i, d, body(d))
		if err != nil {
			return err
		}
		if rel == "" {
			continue
		}
		if err := emit(rel, frag); err != nil {
			return err
		}
	}
	return s.search.Files(emit)
}
