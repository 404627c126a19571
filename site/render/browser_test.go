package render_test

// Browser tests: headless Chromium, driven by chromedp, over the built example
// and corpus sites. They skip when no Chromium is installed, unless CI is set.

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium finds the browser, or skips (fails under CI) when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set but no chromium binary is installed (.ci/run installs Debian's chromium)")
	}
	t.Skip("no chromium binary; install Debian's chromium to run the browser tests")
	return ""
}

// browserSession is one tab on a served site, recording console errors.
type browserSession struct {
	t    *testing.T
	ctx  context.Context
	base string
	mu   sync.Mutex
	errs []string
}

func newBrowser(t *testing.T, site string) *browserSession {
	exe := chromium(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(site)))
	t.Cleanup(srv.Close)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	b := &browserSession{t: t, base: srv.URL}
	ctx, cancel := chromedp.NewContext(alloc, chromedp.WithListener(b.listen))
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	b.ctx = ctx
	return b
}

func (b *browserSession) listen(ev any) {
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value))
			}
			b.mu.Lock()
			b.errs = append(b.errs, "console: "+strings.Join(parts, " "))
			b.mu.Unlock()
		}
	case *runtime.EventExceptionThrown:
		b.mu.Lock()
		b.errs = append(b.errs, "exception: "+e.ExceptionDetails.Text+" "+fmt.Sprint(e.ExceptionDetails.Exception))
		b.mu.Unlock()
	}
}

func (b *browserSession) errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.errs
	b.errs = nil
	return out
}

func (b *browserSession) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

func eval[T any](b *browserSession, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, func(p *runtime.EvaluateParams) { p.AwaitPromise = ptr(true) }))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

func ptr[T any](v T) *T { return &v }

func (b *browserSession) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
}

func (b *browserSession) location() string {
	return strings.TrimPrefix(eval[string](b, "location.pathname + location.search"), "")
}

// siteModel is the part of plan.json the browser tests check against.
type siteModel struct {
	Docs []struct {
		Source, URL, Title string
		Prev, Next         *string
		Gates              []struct {
			Title       string
			Done, Total int
		}
		Tasks []struct{ ID, Title string }
	}
	Agents []struct{ Name, URL string }
}

func readModel(t *testing.T, site string) *siteModel {
	var m siteModel
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(site, "plan.json"))), &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// browserCase names what to look at on one site.
type browserCase struct {
	name   string
	site   string
	phase  string // source of a phase document with a next phase and gates
	search string // a task title the search must find
}

func TestBrowserCorpus(t *testing.T) {
	site := builtCorpus(t)
	runBrowser(t, browserCase{name: "corpus", site: site, phase: phase2 + ".md", search: "Create initial Alembic migration"})
}

func TestBrowserContent(t *testing.T) {
	src := filepath.Join(repoRoot(t), "content")
	if _, err := os.Stat(src); err != nil {
		t.Skip("content/ not written yet")
	}
	site := filepath.Join(t.TempDir(), "public")
	buildSite(t, src, site, false)
	m := readModel(t, site)
	c := browserCase{name: "content", site: site}
	for _, d := range m.Docs {
		if c.phase == "" && d.Next != nil && len(d.Gates) > 0 {
			c.phase = d.Source
		}
		if c.search == "" && len(d.Tasks) > 0 {
			c.search = d.Tasks[0].Title
		}
	}
	if c.phase == "" || c.search == "" {
		t.Fatal("the example plan should have a phase with gates and a next phase, and tasks")
	}
	runBrowser(t, c)
}

func runBrowser(t *testing.T, c browserCase) {
	b := newBrowser(t, c.site)
	m := readModel(t, c.site)
	var phase *struct {
		Source, URL, Title string
		Prev, Next         *string
		Gates              []struct {
			Title       string
			Done, Total int
		}
		Tasks []struct{ ID, Title string }
	}
	urls := map[string]string{}
	for i := range m.Docs {
		urls[m.Docs[i].Source] = m.Docs[i].URL
		if m.Docs[i].Source == c.phase {
			phase = &m.Docs[i]
		}
	}
	if phase == nil {
		t.Fatalf("no document %s", c.phase)
	}

	t.Run("dashboard", func(t *testing.T) {
		b.t = t
		b.errors()
		b.open("/")
		b.do(chromedp.WaitVisible("#filters"))
		if errs := b.errors(); len(errs) > 0 {
			t.Errorf("console errors on the dashboard: %v", errs)
		}
		if !eval[bool](b, `[...document.styleSheets].some(s => s.cssRules.length > 50)`) {
			t.Error("the stylesheet did not load")
		}
	})

	t.Run("prevnext", func(t *testing.T) {
		b.t = t
		b.open(phase.URL)
		b.do(chromedp.Click(`nav.prevnext a[rel=next]`))
		b.do(chromedp.WaitVisible(`h1`))
		waitPath(b, urls[*phase.Next])
		b.do(chromedp.Click(`nav.prevnext a[rel=prev]`))
		b.do(chromedp.WaitVisible(`h1`))
		if got := b.location(); got != urls[derefS(phaseAfter(m, *phase.Next).Prev)] {
			t.Errorf("previous of the next page went to %s", got)
		}
	})

	t.Run("agents", func(t *testing.T) {
		b.t = t
		if len(m.Agents) == 0 {
			t.Skip("no agents")
		}
		b.open("/agents/")
		b.do(chromedp.Click(`table.agents tbody a`))
		waitPath(b, m.Agents[0].URL)
		b.do(chromedp.WaitReady(`footer`))
		if h1 := eval[string](b, `document.querySelector("h1").textContent`); h1 != m.Agents[0].Name {
			t.Errorf("agent page h1 = %q", h1)
		}
		b.do(chromedp.Click(`table.tasks tbody td:nth-child(2) a`))
		b.do(chromedp.WaitVisible(`.card h1`))
	})

	t.Run("search", func(t *testing.T) {
		b.t = t
		// The document holding the task is among the results, popup and page.
		var want []string
		for _, d := range m.Docs {
			for _, tk := range d.Tasks {
				if tk.Title == c.search {
					want = append(want, d.URL)
				}
			}
		}
		found := func(sel string) []string {
			return eval[[]string](b, `[...document.querySelectorAll(`+"`"+sel+"`"+`)].map(a => new URL(a.href).pathname)`)
		}
		b.open("/")
		b.do(chromedp.SendKeys(`#search-q`, c.search), chromedp.WaitVisible(`#search-popup a.search-title`))
		// The popup answers as each key is typed, and the chunks of the
		// index load as they are needed: read its results once they are
		// the whole query's, giving up after a few seconds.
		got := found("#search-popup a.search-title")
		for deadline := time.Now().Add(5 * time.Second); !overlaps(got, want) && time.Now().Before(deadline); {
			time.Sleep(100 * time.Millisecond)
			got = found("#search-popup a.search-title")
		}
		if !overlaps(got, want) {
			t.Errorf("search for %q found %v, want one of %v", c.search, got, want)
		}
		b.open("/search/?q=" + strings.ReplaceAll(c.search, " ", "+"))
		b.do(chromedp.WaitVisible(`#search-page-results li a.search-title`))
		if got := found("#search-page-results a.search-title"); !overlaps(got, want) {
			t.Errorf("search page for %q found %v, want one of %v", c.search, got, want)
		}
	})

	t.Run("theme", func(t *testing.T) {
		b.t = t
		b.open(phase.URL)
		bg := `getComputedStyle(document.body).backgroundColor`
		before, beforeBG := eval[string](b, `document.documentElement.getAttribute("data-theme") || "system"`), eval[string](b, bg)
		b.do(chromedp.Click(`#theme-toggle`))
		after, afterBG := eval[string](b, `document.documentElement.getAttribute("data-theme")`), eval[string](b, bg)
		if after == before || afterBG == beforeBG {
			t.Errorf("toggle: theme %s → %s, background %s → %s", before, after, beforeBG, afterBG)
		}
		b.open(phase.URL) // the choice is kept
		if kept := eval[string](b, `document.documentElement.getAttribute("data-theme")`); kept != after {
			t.Errorf("theme after reload = %q, want %q", kept, after)
		}
		b.do(chromedp.Click(`#theme-toggle`))
	})

	t.Run("gates", func(t *testing.T) {
		b.t = t
		b.open(phase.URL)
		got := eval[[]string](b, `[...document.querySelectorAll("li.gate")].map(li =>
			li.querySelector(".gate-title").textContent + " " + li.querySelector(".gate-count").textContent + " " + li.querySelector("progress").value + "/" + li.querySelector("progress").max)`)
		var want []string
		for _, g := range phase.Gates {
			want = append(want, fmt.Sprintf("%s %d/%d %d/%d", g.Title, g.Done, g.Total, g.Done, g.Total))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("gate widgets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("screenshots", func(t *testing.T) {
		b.t = t
		dir := filepath.Join(repoRoot(t), "testdata", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		b.open("/")
		eval[any](b, `localStorage.removeItem("plansite-theme"), 0`)
		for _, mode := range []string{"light", "dark"} {
			for _, p := range []struct{ name, url string }{{"dashboard", "/"}, {"phase", phase.URL}} {
				b.do(emulate(mode))
				b.open(p.url)
				ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				cancel()
				if err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(dir, fmt.Sprintf("%s-%s-%s.png", c.name, p.name, mode))
				if err := os.WriteFile(out, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Log("screenshot:", out)
			}
		}
		b.do(emulate(""))
	})

	t.Run("a11y", func(t *testing.T) {
		b.t = t
		pages := htmlPages(t, c.site)
		for _, p := range pages {
			b.open(p)
			for _, problem := range eval[[]string](b, a11yCheck) {
				t.Errorf("%s: %s", p, problem)
			}
			if errs := b.errors(); len(errs) > 0 {
				t.Errorf("%s: console errors: %v", p, errs)
			}
		}
		t.Logf("checked %d pages", len(pages))
	})
}

func emulate(mode string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		p := emulation.SetEmulatedMediaParams{}
		if mode != "" {
			p.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: mode}}
		}
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, p)
		return chromedp.Void{}, err
	}
}

func waitPath(b *browserSession, want string) {
	b.t.Helper()
	for i := 0; i < 50; i++ {
		if b.location() == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("at %s, want %s", b.location(), want)
}

func phaseAfter(m *siteModel, source string) struct{ Prev *string } {
	for _, d := range m.Docs {
		if d.Source == source {
			return struct{ Prev *string }{d.Prev}
		}
	}
	return struct{ Prev *string }{}
}

func derefS(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// htmlPages is the URL path of every page of a built site, sorted.
func htmlPages(t *testing.T, site string) []string {
	var out []string
	filepath.WalkDir(site, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(site, p)
		rel = "/" + filepath.ToSlash(rel)
		out = append(out, strings.TrimSuffix(rel, "index.html"))
		return nil
	})
	sort.Strings(out)
	return out
}

// a11yCheck lists what a page lacks: labels of form controls and buttons,
// names of links and images, alt text, one h1 first, no skipped heading
// level, a main landmark and a language.
const a11yCheck = `(() => {
  const out = [];
  const text = el => (el.textContent || "").trim();
  const name = el => (el.getAttribute("aria-label") || "").trim()
    || (el.getAttribute("aria-labelledby") || "").split(/\s+/).map(id => { const r = document.getElementById(id); return r ? text(r) : ""; }).join(" ").trim()
    || (el.id && [...document.querySelectorAll("label")].filter(l => l.htmlFor === el.id).map(text).join(" "))
    || (el.closest("label") ? text(el.closest("label")) : "")
    || (el.getAttribute("title") || "").trim();
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea"))
    if (!name(el)) out.push("form control without a label: " + el.outerHTML.slice(0, 100));
  for (const el of document.querySelectorAll("button, a[href]"))
    if (!name(el) && !text(el) && !el.querySelector("img[alt]:not([alt=''])")) out.push("control without a name: " + el.outerHTML.slice(0, 100));
  for (const el of document.querySelectorAll("img"))
    if (!el.hasAttribute("alt")) out.push("image without alt: " + el.outerHTML.slice(0, 100));
  for (const el of document.querySelectorAll("svg[role=img]"))
    if (!name(el)) out.push("svg image without a name");
  const hs = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")];
  if (document.querySelectorAll("h1").length !== 1) out.push(document.querySelectorAll("h1").length + " h1 elements");
  if (hs.length && hs[0].tagName !== "H1") out.push("first heading is " + hs[0].tagName);
  let last = 0;
  for (const h of hs) {
    const l = +h.tagName[1];
    if (last && l > last + 1) out.push("heading jumps from h" + last + " to h" + l + ": " + text(h).slice(0, 60));
    last = l;
  }
  if (!document.querySelector("main")) out.push("no main landmark");
  if (!document.documentElement.lang) out.push("no lang attribute");
  return out;
})()`
