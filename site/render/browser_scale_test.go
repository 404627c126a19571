package render_test

// Browser tests of the pages that grow with a site — dashboard, agent,
// problems, search — at a desktop and a phone width, with screenshots in
// testdata/screenshots/ (kept out of git) to look at.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// screenshot saves the window, or the whole page when full is set, in
// testdata/screenshots; t is the test (or subtest) taking it.
func (b *browserSession) screenshot(t testing.TB, name string, full bool) {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	shot := chromedp.CaptureScreenshot()
	if full {
		shot = chromedp.FullScreenshot(100) // 100: a PNG
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, name+".png")
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Log("screenshot:", out)
}

// overflowX is how far the page is wider than a window w pixels wide. The
// window is set by windowSize, not as a phone (a phone zooms out to fit a
// page that is too wide, widening the window with it); and the widest of
// the document, the body and the window is measured, so neither a wider
// window nor a body that scrolls by itself hides the overflow.
func overflowX(b *browserSession, w int64) int {
	return eval[int](b, `Math.max(document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth)`) - int(w)
}

func TestBrowserScaleCorpus(t *testing.T) {
	site := builtCorpus(t)
	m := readModel(t, site)
	b := newBrowser(t, site)
	// Suno appears only in the bodies of the plans, never in a title,
	// heading or task.
	const bodyWord = "Suno"
	for _, w := range []int64{1400, 390} {
		b.t = t
		b.do(windowSize(w, 900))
		t.Run(fmt.Sprintf("dashboard-%d", w), func(t *testing.T) {
			b.t = t
			b.open("/")
			b.do(chromedp.WaitVisible(`#filters`))
			tiles := eval[[]string](b, `[...document.querySelectorAll(".tiles li")].map(li => li.textContent.replace(/\s+/g, " ").trim())`)
			for _, want := range []string{"open", "in progress", "blocked", "stale", "complete", "changed this week", "problems"} {
				if !anyContains(tiles, want) {
					t.Errorf("summary strip lacks %q: %v", want, tiles)
				}
			}
			if n := overflowX(b, w); n > 0 {
				t.Errorf("the dashboard is %d px wider than the %d px window", n, w)
			}
			// The check can fail: a 600 px row makes the page too wide.
			eval[any](b, `(() => { const d = document.createElement("div"); d.id = "too-wide"; d.style.width = "600px"; d.textContent = "x"; document.querySelector("main").append(d); return 0 })()`)
			if n := overflowX(b, w); w == 390 && n < 600-390 {
				t.Errorf("a 600 px row in a %d px window: the page is only %d px wider", w, n)
			}
			eval[any](b, `(() => { document.querySelector("#too-wide").remove(); return 0 })()`)
			b.screenshot(t, fmt.Sprintf("corpus-dashboard-%d", w), true)
			// A filter lives in the URL: opened with ?status=complete only
			// complete documents show, and a change rewrites the URL.
			b.open("/?status=complete")
			b.do(chromedp.WaitVisible(`#filters`))
			shown := eval[[]string](b, `[...document.querySelectorAll("tr[data-status]:not([hidden])")].map(r => r.dataset.status)`)
			if len(shown) == 0 {
				t.Fatal("no complete document shown for ?status=complete")
			}
			for _, st := range shown {
				if st != "complete" {
					t.Errorf("?status=complete shows a %s row", st)
				}
			}
			eval[any](b, `(() => { const s = document.querySelector("#filters select[name=sort]"); s.value = "updated"; s.dispatchEvent(new Event("change", {bubbles: true})); return 0 })()`)
			if got := b.location(); got != "/?status=complete&sort=updated" {
				t.Errorf("after sorting, the URL is %s", got)
			}
			// Collapse all folds every group.
			b.do(chromedp.Click(`button[data-fold=close]`))
			if open := eval[int](b, `document.querySelectorAll("details.group[open]").length`); open != 0 {
				t.Errorf("%d groups still open after Collapse all", open)
			}
		})

		t.Run(fmt.Sprintf("agent-%d", w), func(t *testing.T) {
			b.t = t
			b.open("/agents/")
			rows := eval[int](b, `document.querySelectorAll("table.agents tbody tr").length`)
			bars := eval[int](b, `document.querySelectorAll("table.agents tbody .bar").length`)
			if rows != len(m.Agents) || bars == 0 {
				t.Errorf("agents index: %d rows (want %d), %d progress bars", rows, len(m.Agents), bars)
			}
			if w == 390 {
				b.screenshot(t, "corpus-agents-390", true)
			}
			b.open("/agents/python-backend-engineer/")
			b.do(chromedp.WaitVisible(`h1`))
			sections := eval[[]string](b, `[...document.querySelectorAll("main h2")].map(h => h.textContent)`)
			if len(sections) == 0 || sections[0] != "Open work" {
				t.Errorf("agent page sections %v, want open work first", sections)
			}
			firstDone := eval[int](b, `[...document.querySelectorAll("main h2")].findIndex(h => h.textContent === "Done")`)
			openStatuses := eval[[]string](b, `[...document.querySelectorAll("section.plan-tasks tr[data-status]")].map(r => r.dataset.status)`)
			if firstDone < 0 || len(openStatuses) == 0 {
				t.Errorf("agent page: done section %d, %d rows", firstDone, len(openStatuses))
			}
			b.screenshot(t, fmt.Sprintf("corpus-agent-%d", w), true)
		})

		t.Run(fmt.Sprintf("problems-%d", w), func(t *testing.T) {
			b.t = t
			b.open("/problems/")
			b.do(chromedp.WaitVisible(`#problem-filters`))
			files := eval[int](b, `document.querySelectorAll("details.problem-file").length`)
			rules := eval[[]string](b, `[...document.querySelectorAll(".counts a")].map(a => a.textContent)`)
			if files == 0 || len(rules) < 2 {
				t.Fatalf("problems page: %d files, rules %v", files, rules)
			}
			if n := overflowX(b, w); n > 0 {
				t.Errorf("the problems page is %d px wider than the %d px window", n, w)
			}
			b.screenshot(t, fmt.Sprintf("corpus-problems-%d", w), true)
			// A rule's page lists that rule alone.
			b.do(chromedp.Click(`.counts li:nth-child(2) a`))
			b.do(chromedp.WaitVisible(`#problem-filters`))
			codes := eval[[]string](b, `[...new Set([...document.querySelectorAll(".problems code")].map(c => c.textContent))]`)
			if len(codes) != 1 {
				t.Errorf("a rule's page lists rules %v", codes)
			}
		})

		t.Run(fmt.Sprintf("search-%d", w), func(t *testing.T) {
			b.t = t
			b.open("/")
			b.do(chromedp.SendKeys(`#search-q`, bodyWord), chromedp.WaitVisible(`#search-popup .search-snippet mark`))
			popupCount := eval[string](b, `document.querySelector("#search-popup .search-status").textContent`)
			marks := eval[[]string](b, `[...document.querySelectorAll("#search-popup mark")].map(m => m.textContent.toLowerCase())`)
			for _, mk := range marks {
				if mk != strings.ToLower(bodyWord) {
					t.Errorf("marked %q in a search for %s", mk, bodyWord)
				}
			}
			rect := eval[[]float64](b, `(() => { const r = document.querySelector("#search-popup").getBoundingClientRect(); return [r.left, r.right] })()`)
			if rect[0] < 0 || rect[1] > float64(w) {
				t.Errorf("the popup spans %v px of a %d px window", rect, w)
			}
			b.screenshot(t, fmt.Sprintf("corpus-search-popup-%d", w), false)
			// Arrow keys move through the results; Enter opens the one chosen.
			b.do(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
			chosen := eval[string](b, `(() => { const o = document.querySelector("#search-popup [aria-selected=true] a"); return o ? new URL(o.href).pathname : "" })()`)
			if active := eval[string](b, `document.querySelector("#search-q").getAttribute("aria-activedescendant")`); active != "search-opt-1" || chosen == "" {
				t.Fatalf("after two arrow downs the active option is %q (%q)", active, chosen)
			}
			b.do(chromedp.KeyEvent(kb.Enter))
			waitPath(b, chosen)
			// Escape closes the popup, and so does a click elsewhere.
			b.do(chromedp.SendKeys(`#search-q`, bodyWord), chromedp.WaitVisible(`#search-popup .search-title`))
			b.do(chromedp.KeyEvent(kb.Escape))
			if !eval[bool](b, `document.querySelector("#search-popup").hidden`) {
				t.Error("Escape did not close the popup")
			}
			b.do(chromedp.SendKeys(`#search-q`, " "), chromedp.WaitVisible(`#search-popup .search-title`))
			b.do(chromedp.MouseClickXY(2, 2)) // the header's corner, away from the search form
			if !eval[bool](b, `document.querySelector("#search-popup").hidden`) {
				t.Error("a click away did not close the popup")
			}
			// The page finds as many as the popup counted.
			b.open("/search/?q=" + bodyWord)
			b.do(chromedp.WaitVisible(`#search-page-results .search-snippet mark`))
			pageCount := eval[string](b, `document.querySelector("#search-page-results .search-status").textContent`)
			if pageCount != popupCount || !strings.HasSuffix(pageCount, "for “"+bodyWord+"”") || strings.HasPrefix(pageCount, "0 ") {
				t.Errorf("popup says %q, page says %q", popupCount, pageCount)
			}
			if n := overflowX(b, w); n > 0 {
				t.Errorf("the search page is %d px wider than the %d px window", n, w)
			}
			b.screenshot(t, fmt.Sprintf("corpus-search-%d", w), true)
		})
	}
	// A prefix whose terms run over the end of one chunk into the next
	// finds every document that has one of them.
	t.Run("search-prefix", func(t *testing.T) {
		b.t = t
		prefix, want := prefixAcrossChunks(t, site)
		b.open("/search/?q=" + prefix)
		b.do(chromedp.WaitVisible(`#search-page-results .search-status`))
		b.do(chromedp.WaitVisible(`#search-page-results .search-title`))
		got := eval[string](b, `document.querySelector("#search-page-results .search-status").textContent`)
		if w := fmt.Sprintf("%d results for “%s”", want, prefix); got != w {
			t.Errorf("search page says %q, want %q", got, w)
		}
	})
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// prefixAcrossChunks is a prefix of the last term of a chunk of the site's
// search index and of the first of the next (of at least 2 characters,
// when there is one), and how many documents have a term it begins.
func prefixAcrossChunks(t *testing.T, site string) (string, int) {
	t.Helper()
	var meta struct{ Chunks [][2]string }
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(site, "search", "meta.json"))), &meta); err != nil {
		t.Fatal(err)
	}
	var terms [][]string // by chunk
	docs := map[string]map[string]bool{}
	for _, c := range meta.Chunks {
		var chunk struct{ Index [][2]json.RawMessage }
		if err := json.Unmarshal([]byte(readFile(t, filepath.Join(site, "search", "c", c[1]+".json"))), &chunk); err != nil {
			t.Fatal(err)
		}
		var ts []string
		for _, e := range chunk.Index {
			var term string
			var fields map[string]map[string]int
			if json.Unmarshal(e[0], &term) != nil || json.Unmarshal(e[1], &fields) != nil {
				t.Fatalf("chunk %s: bad entry %s", c[1], e[0])
			}
			ts = append(ts, term)
			docs[term] = map[string]bool{}
			for _, ids := range fields {
				for id := range ids {
					docs[term][id] = true
				}
			}
		}
		terms = append(terms, ts)
	}
	best := ""
	for i := 1; i < len(terms); i++ {
		a, z := terms[i-1][len(terms[i-1])-1], terms[i][0]
		n := 0
		for n < len(a) && n < len(z) && a[n] == z[n] && a[n] < 0x80 && a[n] >= 'a' && a[n] <= 'z' {
			n++
		}
		if n > len(best) && n <= 3 {
			best = a[:n]
		}
	}
	if len(best) < 2 {
		t.Skipf("no two chunks whose terms share a prefix of two letters (%d chunks)", len(terms))
	}
	found := map[string]bool{}
	for term, ids := range docs {
		if strings.HasPrefix(term, best) {
			for id := range ids {
				found[id] = true
			}
		}
	}
	return best, len(found)
}

func anyContains(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}
