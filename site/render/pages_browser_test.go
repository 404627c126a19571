package render_test

// Browser tests of the plan and phase pages: at 1400 and 390 px wide, light
// and dark, over the corpora and our own trees, each page is screenshotted
// (testdata/screenshots, kept out of git) and checked for what a reader
// sees: no sideways scrolling, text and controls at WCAG 2.2 AA contrast,
// chart text large enough to read, task rows as cards on a phone.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/render"
)

// windowSize sets the window's width. Not as a mobile device: a phone zooms
// out to fit a page that is too wide, which would hide the overflow.
func windowSize(width, height int64) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: width, Height: height, DeviceScaleFactor: 1})
		return chromedp.Void{}, err
	}
}

// pagesOf picks a site's plan page (the plan with the most documents) and
// phase page (the document with the most gates and tasks, in that plan when
// it has one).
func pagesOf(t *testing.T, site string) (planURL, phaseURL string) {
	var m struct {
		Docs []struct {
			Source, URL, Series string
			Gates, Tasks        []json.RawMessage
		}
		Series []struct {
			ID, URL string
			Phases  []string
		}
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(site, "plan.json"))), &m); err != nil {
		t.Fatal(err)
	}
	best := 0
	var planID string
	for _, sr := range m.Series {
		if _, err := os.Stat(filepath.Join(site, render.OutputPath(sr.URL))); err != nil || !strings.HasPrefix(sr.URL, "/plans/") {
			continue
		}
		if len(sr.Phases) > best {
			best, planURL, planID = len(sr.Phases), sr.URL, sr.ID
		}
	}
	score := -1
	for _, d := range m.Docs {
		s := len(d.Gates) + len(d.Tasks)
		if d.Series == planID && planID != "" {
			s += 1000
		}
		if s > score && d.URL != "/" {
			score, phaseURL = s, d.URL
		}
	}
	return planURL, phaseURL
}

// decisionPages are the decision log and a decision that another
// supersedes (else the first), when the site has decisions.
func decisionPages(t *testing.T, site string) []struct{ name, url string } {
	var m struct {
		Docs      []struct{ Source, URL string }
		Decisions []struct {
			Source    string
			Relations []struct{ Kind string }
		}
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(site, "plan.json"))), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Decisions) == 0 {
		return nil
	}
	pick := m.Decisions[0].Source
	for _, d := range m.Decisions {
		for _, r := range d.Relations {
			if r.Kind == "superseded-by" {
				pick = d.Source
			}
		}
	}
	out := []struct{ name, url string }{{"decisions", "/decision-log/"}}
	for _, d := range m.Docs {
		if d.Source == pick {
			out = append(out, struct{ name, url string }{"decision", d.URL})
		}
	}
	return out
}

func TestBrowserPages(t *testing.T) {
	chromium(t)
	sites := []struct {
		name string
		site func(t *testing.T) string
	}{
		{"meatymusic", func(t *testing.T) string { return builtCorpus(t) }},
		{"conventions", func(t *testing.T) string {
			site := filepath.Join(t.TempDir(), "public")
			buildSite(t, testcorpus.Conventions(t), site, false)
			return site
		}},
		{"content", func(t *testing.T) string {
			site := filepath.Join(t.TempDir(), "public")
			buildSite(t, testcorpus.Content(t), site, false)
			return site
		}},
		{"pages", func(t *testing.T) string {
			site := filepath.Join(t.TempDir(), "public")
			buildSite(t, testcorpus.Testdata(t, "pages"), site, false)
			return site
		}},
	}
	t.Run("the checks can fail", func(t *testing.T) {
		dir := t.TempDir()
		page := `<!doctype html><html lang="en"><meta name="viewport" content="width=device-width, initial-scale=1"><body style="background:#fff;margin:0"><main>` +
			`<p style="color:#999">faint text</p><p style="color:#1f2328">plain text</p>` +
			`<div class="bar" style="width:8rem;height:.6rem;background:#e1e4e8"></div>` +
			`<svg width="200" height="20"><text x="0" y="15" style="fill:#ccc">faint label</text></svg>` +
			`<style>input::placeholder{color:#bbb}</style><input placeholder="faint hint" style="background:#fff;border:1px solid #555">` +
			`<pre style="width:900px">a long line</pre><footer>f</footer></main></body></html>`
		if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, dir)
		b.do(windowSize(390, 800))
		b.open("/")
		got := strings.Join(eval[[]string](b, contrastCheck), "\n")
		if !strings.Contains(got, "text 2.85:1") || !strings.Contains(got, "control edge 1.28:1") || !strings.Contains(got, "placeholder") || !strings.Contains(got, "chart text") || strings.Contains(got, "plain text") {
			t.Errorf("contrast check found:\n%s", got)
		}
		if over := eval[int](b, "document.documentElement.scrollWidth - window.innerWidth"); over <= 0 {
			t.Error("a 900 px line did not overflow a 390 px window")
		}
	})
	for _, sc := range sites {
		t.Run(sc.name, func(t *testing.T) {
			site := sc.site(t)
			planURL, phaseURL := pagesOf(t, site)
			b := newBrowser(t, site)
			pages := []struct{ name, url string }{{"phase", phaseURL}}
			if planURL != "" {
				pages = append(pages, struct{ name, url string }{"plan", planURL})
			}
			pages = append(pages, decisionPages(t, site)...)
			for _, width := range []int64{1400, 390} {
				for _, mode := range []string{"light", "dark"} {
					for _, p := range pages {
						name := fmt.Sprintf("%s-%s-%d-%s", sc.name, p.name, width, mode)
						t.Run(name, func(t *testing.T) {
							b.t = t
							b.do(windowSize(width, 1600), emulate(mode))
							b.open(p.url)
							b.do(chromedp.WaitReady(`footer`))
							if got := eval[string](b, `getComputedStyle(document.body).backgroundColor`); (mode == "dark") != (got != "rgb(255, 255, 255)") {
								t.Errorf("%s mode: background %s", mode, got)
							}
							if w := eval[int64](b, "window.innerWidth"); w != width {
								t.Fatalf("the window is %d px wide, want %d", w, width)
							}
							if over := eval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
								t.Errorf("%s: the page scrolls sideways by %d px; widest: %s", p.url, over, eval[string](b, widest))
							}
							for _, problem := range eval[[]string](b, contrastCheck) {
								t.Errorf("%s: %s", p.url, problem)
							}
							if width < 600 {
								if small := eval[[]string](b, smallChartText); len(small) > 0 {
									t.Errorf("%s: chart text too small to read: %v", p.url, small)
								}
								if n := eval[int](b, `[...document.querySelectorAll("table.tasks tbody tr")].filter(r => getComputedStyle(r).display !== "grid").length`); n > 0 {
									t.Errorf("%s: %d task rows are not cards on a phone", p.url, n)
								}
							}
							b.screenshot(t, name, false)
						})
					}
				}
			}
			b.do(emulate(""))
		})
	}
}

// widest names the element that sticks out furthest to the right.
const widest = `(() => {
  const clipped = el => { for (let e = el; e && e !== document.body; e = e.parentElement) if (getComputedStyle(e).overflowX !== "visible") return true; return false; };
  const w = window.innerWidth;
  const name = e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : "");
  for (const el of document.querySelectorAll("body *")) {
    if (el.getBoundingClientRect().right > w + 1 && !clipped(el.parentElement)) return name(el) + " “" + (el.textContent || "").trim().slice(0, 40) + "”";
  }
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const r = document.createRange(); r.selectNodeContents(n);
    if (r.getBoundingClientRect().right > w + 1 && !clipped(n.parentElement)) return "text in " + name(n.parentElement) + " “" + n.textContent.trim().slice(0, 40) + "”";
  }
  return "";
})()`

// smallChartText lists chart labels drawn smaller than 9 px.
const smallChartText = `[...document.querySelectorAll("svg.burndown text")]
  .filter(t => t.getBoundingClientRect().height > 0 && t.getBoundingClientRect().height < 9)
  .map(t => t.textContent + " " + t.getBoundingClientRect().height.toFixed(1) + "px").slice(0, 5)`

// contrastCheck measures WCAG 2.2 AA contrast: text at 4.5:1 (3:1 when
// large), and the edges of controls and progress tracks at 3:1 (non-text
// contrast), each against the background it is drawn on.
const contrastCheck = contrastJS + `(false)`

// contrastLowest is the lowest contrast the same check measured on the
// page: [text, control edge] ratios, for the record.
const contrastLowest = contrastJS + `(true)`

const contrastJS = `((lowest) => {
  const out = [], low = [99, 99];
  const parse = c => { const m = c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/); return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const blend = (fg, bg) => fg[3] >= 1 ? fg : [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat(1);
  const bgOf = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    if (!layers.length || layers[layers.length - 1][3] < 1) bg = parse(getComputedStyle(document.body).backgroundColor);
    for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
    return bg;
  };
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.opacity !== "0"; };
  const seen = new Set();
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("svg") || el.closest("[hidden]") || !visible(el)) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const s = getComputedStyle(el);
    const bg = bgOf(el);
    const fg = blend(parse(s.color), bg);
    const size = parseFloat(s.fontSize), bold = +s.fontWeight >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const r = ratio(fg, bg);
    low[0] = Math.min(low[0], r / need * 4.5);
    if (r < need) {
      const key = el.tagName + el.className + s.color + r.toFixed(2);
      if (!seen.has(key)) { seen.add(key); out.push("text " + r.toFixed(2) + ":1 (needs " + need + "): " + s.color + " on rgb(" + bg.slice(0, 3).join(", ") + ") " + el.tagName.toLowerCase() + "." + el.className + " “" + el.textContent.trim().slice(0, 40) + "”"); }
    }
  }
  // Chart labels are text drawn in their fill colour.
  for (const el of document.querySelectorAll("svg text")) {
    if (el.closest("[hidden]") || !visible(el) || !el.textContent.trim()) continue;
    const bg = bgOf(el.closest("svg").parentElement);
    const r = ratio(blend(parse(getComputedStyle(el).fill), bg), bg);
    low[0] = Math.min(low[0], r);
    if (r < 4.5) out.push("chart text " + r.toFixed(2) + ":1 (needs 4.5): “" + el.textContent.trim().slice(0, 40) + "”");
  }
  // A field's placeholder is text too.
  for (const el of document.querySelectorAll("input[placeholder]")) {
    if (el.closest("[hidden]") || !visible(el)) continue;
    const bg = bgOf(el);
    const r = ratio(blend(parse(getComputedStyle(el, "::placeholder").color), bg), bg);
    low[0] = Math.min(low[0], r);
    if (r < 4.5) out.push("placeholder " + r.toFixed(2) + ":1 (needs 4.5): " + el.tagName.toLowerCase() + "." + el.className + " “" + el.placeholder + "”");
  }
  // Non-text: the edges of buttons, fields and progress tracks.
  for (const el of document.querySelectorAll("button, input:not([type=checkbox]), select, .bar, progress")) {
    if (el.closest("[hidden]") || !visible(el) || el.disabled) continue;
    const s = getComputedStyle(el);
    const around = bgOf(el.parentElement);
    let edge = parse(s.borderTopColor);
    if (!edge || s.borderTopStyle === "none" || parseFloat(s.borderTopWidth) === 0) {
      const shadow = s.boxShadow.match(/rgba?\([^)]*\)/);
      edge = shadow ? parse(shadow[0]) : parse(s.backgroundColor);
    }
    const r = ratio(blend(edge, around), around);
    low[1] = Math.min(low[1], r);
    if (r < 3) out.push("control edge " + r.toFixed(2) + ":1 (needs 3): " + el.tagName.toLowerCase() + "." + el.className);
  }
  return lowest ? low : out.slice(0, 20);
})`
