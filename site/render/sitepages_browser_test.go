package render_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/plansite/plansite/internal/testcorpus"
)

// The pages that grow with a site — dashboard, agents, an agent, problems,
// search — over both corpora, at 1400 and 390 px, light and dark: none wider
// than its window, every text and control at WCAG AA contrast, and a
// screenshot of each in testdata/screenshots/ to look at.
func TestBrowserSitePagesLook(t *testing.T) {
	chromium(t)
	sites := []struct {
		name, word string // word: one the bodies hold
		site       func(t *testing.T) string
	}{
		{"meatymusic", "Suno", func(t *testing.T) string { return builtCorpus(t) }},
		{"conventions", "requirements", func(t *testing.T) string {
			site := filepath.Join(t.TempDir(), "public")
			buildSite(t, testcorpus.Conventions(t), site, false)
			return site
		}},
	}
	for _, sc := range sites {
		t.Run(sc.name, func(t *testing.T) {
			site := sc.site(t)
			var m struct {
				Agents []struct {
					URL   string
					Tasks []json.RawMessage
				}
			}
			if err := json.Unmarshal([]byte(readFile(t, filepath.Join(site, "plan.json"))), &m); err != nil {
				t.Fatal(err)
			}
			agent, most := "", -1
			for _, a := range m.Agents {
				if len(a.Tasks) > most {
					agent, most = a.URL, len(a.Tasks)
				}
			}
			pages := []struct{ name, url, ready string }{
				{"dashboard", "/", "#filters"}, {"agents", "/agents/", "main h1"}, {"problems", "/problems/", "main h1"},
				{"search", "/search/?q=" + sc.word, "#search-page-results .search-snippet"},
			}
			if agent != "" {
				pages = append(pages, struct{ name, url, ready string }{"agent", agent, "main h1"})
			}
			b := newBrowser(t, site)
			for _, width := range []int64{1400, 390} {
				for _, mode := range []string{"light", "dark"} {
					for _, p := range pages {
						name := fmt.Sprintf("%s-%s-%d-%s", sc.name, p.name, width, mode)
						t.Run(name, func(t *testing.T) {
							b.t = t
							b.do(windowSize(width, 1400), emulate(mode))
							b.open(p.url)
							b.do(chromedp.WaitVisible(p.ready))
							if n := overflowX(b, width); n > 0 {
								t.Errorf("%s is %d px wider than the %d px window; widest: %s", p.url, n, width, eval[string](b, widest))
							}
							for _, problem := range eval[[]string](b, contrastCheck) {
								t.Errorf("%s: %s", p.url, problem)
							}
							low := eval[[]float64](b, contrastLowest)
							t.Logf("%s: lowest contrast: text %.2f:1 (as if normal size), control edge %.2f:1", p.url, low[0], low[1])
							b.screenshot(t, name, false)
						})
					}
				}
			}
			b.do(emulate(""))
			if errs := b.errors(); len(errs) > 0 {
				t.Errorf("console errors: %v", errs)
			}
		})
	}
}
