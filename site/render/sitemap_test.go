package render_test

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/site/build"
)

// The sitemap lists each page once, by its absolute URL when the site has
// a base URL.
func TestSitemapAbsoluteAndUnique(t *testing.T) {
	for _, s := range siteSources {
		t.Run(s.name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			const base = "https://plans.example.com/team/"
			if _, err := build.Build(build.Options{Source: s.src(t), Dest: dest, BaseURL: base, Generator: "plansite test"}); err != nil {
				t.Fatal(err)
			}
			var sm struct {
				URLs []struct {
					Loc string `xml:"loc"`
				} `xml:"url"`
			}
			b, err := os.ReadFile(filepath.Join(dest, "sitemap.xml"))
			if err != nil {
				t.Fatal(err)
			}
			if err := xml.Unmarshal(b, &sm); err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, u := range sm.URLs {
				if seen[u.Loc] {
					t.Errorf("%s is listed twice", u.Loc)
				}
				seen[u.Loc] = true
				if !strings.HasPrefix(u.Loc, base) {
					t.Errorf("%s is not under the base URL %s", u.Loc, base)
				}
				rel := strings.TrimPrefix(u.Loc, strings.TrimSuffix(base, "/"))
				if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(rel), "index.html")); err != nil {
					t.Errorf("%s: no page: %v", u.Loc, err)
				}
			}
			if len(sm.URLs) < 5 || !seen[base] {
				t.Errorf("%d URLs, the front page listed: %v", len(sm.URLs), seen[base])
			}
		})
	}
}
