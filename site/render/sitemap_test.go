package render_test

import (
	"encoding/xml"
	"io/fs"
	"net/url"
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
			sitemapListsEveryPage(t, dest)
		})
	}
}

// sitemapListsEveryPage checks that every page of a built site but the 404
// page is in its sitemap: paged lists (the dashboard's /page/N/, an
// agent's, each problem rule's) included.
func sitemapListsEveryPage(t *testing.T, site string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(site, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &sm); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, u := range sm.URLs {
		p, err := url.Parse(u.Loc)
		if err != nil {
			t.Fatal(err)
		}
		listed[p.Path] = true
	}
	base := ""
	for p := range listed {
		if base == "" || len(p) < len(base) {
			base = p // the shortest is the front page
		}
	}
	pages := 0
	err = filepath.WalkDir(site, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "index.html" {
			return err
		}
		rel, _ := filepath.Rel(site, filepath.Dir(p))
		u := base
		if rel != "." {
			u += filepath.ToSlash(rel) + "/"
		}
		pages++
		if !listed[u] {
			t.Errorf("%s is a page the sitemap does not list", u)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages != len(sm.URLs) {
		t.Errorf("%d pages, %d in the sitemap", pages, len(sm.URLs))
	}
}
