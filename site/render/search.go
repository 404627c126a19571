package render

import (
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/search"
)

// SearchDoc adds document i of the model (its rendered body in hand) to the
// search index, and returns the output path and content of the fragment
// file it completed, if any ("" else; SearchFiles writes the rest).
func (s *Site) SearchDoc(i int, d *plan.Doc, body []byte) (string, []byte, error) {
	sd := search.Doc{Title: d.Title, URL: s.URL(d.URL), Status: d.Status, Body: body}
	for _, h := range d.Headings {
		if h.Level >= 2 && h.Level <= 4 {
			sd.Headings = append(sd.Headings, h.Text)
		}
	}
	for _, t := range d.Tasks {
		sd.Tasks = append(sd.Tasks, t.ID+" "+t.Title)
	}
	return s.search.Add(i, sd)
}

// SearchFiles writes the search index once every document was added with
// SearchDoc: its manifest, chunks, field lengths and the fragment files
// not yet written.
func (s *Site) SearchFiles(emit func(rel string, data []byte) error) error {
	return s.search.Files(emit)
}

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
