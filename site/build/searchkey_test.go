package build

import (
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/render"
)

// TestSearchRecordKeyIsSearchMetas: the engine sums each document's search
// record key without making render.SearchMeta's lists; on every corpus
// document it is SearchRecordKey of the document's SearchMeta, so a record
// is keyed by all the index reads, no less.
func TestSearchRecordKeyIsSearchMetas(t *testing.T) {
	for _, root := range []string{testcorpus.MeatyMusic(t), testcorpus.Conventions(t), testcorpus.Testdata(t)} {
		cfg, err := config.Load(root)
		must(t, err)
		m, err := Load(root, "", "plansite test", cfg, nil, nil)
		must(t, err)
		rs, err := render.New(m.Site, cfg, m.Resolver, render.Options{BaseURL: "https://example.org/plans/"})
		must(t, err)
		e := &engine{siteKey: cache.NewHasher("a site").Sum(), rs: rs, docs: map[string]*docState{}}
		tasks := 0
		for _, d := range m.Site.Docs {
			e.docs[d.Source] = &docState{body: cache.NewHasher("a body").String(d.Source).Sum()}
			got, want := e.searchRecordKey(d), SearchRecordKey(e.siteKey, rs.SearchMeta(d), e.docs[d.Source].body)
			if got != want {
				t.Errorf("%s: search record key %s, SearchMeta's %s", d.Source, got, want)
			}
			tasks += len(d.Tasks)
		}
		if len(m.Site.Docs) == 0 || tasks == 0 {
			t.Errorf("%s: %d documents, %d tasks: nothing tested", root, len(m.Site.Docs), tasks)
		}
	}
}
