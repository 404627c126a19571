package render_test

import (
	"bytes"
	"encoding/json"
	"html"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tdewolff/minify/v2"
	htmlmin "github.com/tdewolff/minify/v2/html"
)

const phase2 = ".claude/progress/phase-2-infrastructure-preservation-progress"

var gateRe = regexp.MustCompile(`<li class="gate (passed|open)" data-done="(\d+)" data-total="(\d+)"><span class="gate-name">(?:<span class="gate-phase">[^<]*</span> )?<a href="#[^"]*" class="gate-title">([^<]*)</a>`)

func TestGateWidgetCounts(t *testing.T) {
	gateWidgets(t, builtCorpus(t), phase2, "0 of 5 passed",
		"Success Criteria 0/7 open", "Gate 1: Backend Start 0/4 open", "Gate 2: Frontend Build 0/4 open",
		"Gate 3: Database & Cache 0/5 open", "Gate 4: Observability 0/4 open")
}

// gateWidgets wants the gate widgets of the page of the document at source
// (without .md) to read want, in order, their summary to say summary, and
// each open gate to list its first unchecked item.
func gateWidgets(t *testing.T, site, source, summary string, want ...string) {
	t.Helper()
	page := readFile(t, filepath.Join(site, source, "index.html"))
	var got []string
	for _, m := range gateRe.FindAllStringSubmatch(page, -1) {
		got = append(got, html.UnescapeString(m[4])+" "+m[2]+"/"+m[3]+" "+m[1])
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("gates:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(page, summary) {
		t.Errorf("gate summary %q missing", summary)
	}
	// Each open gate lists its unchecked items.
	var m struct {
		Docs []struct {
			Source string
			Gates  []struct {
				Title string
				Items []struct {
					Text    string
					Checked bool
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(site, "plan.json"))), &m); err != nil {
		t.Fatal(err)
	}
	listed, open := 0, 0
	for _, w := range want {
		if strings.HasSuffix(w, " open") {
			open++
		}
	}
	for _, d := range m.Docs {
		if d.Source != source+".md" {
			continue
		}
		for _, g := range d.Gates {
			for _, it := range g.Items {
				if !it.Checked {
					if !strings.Contains(page, "<li>"+html.EscapeString(it.Text)+"</li>") {
						t.Errorf("gate %q does not list its unchecked item %q", g.Title, it.Text)
					}
					listed++
					break
				}
			}
		}
	}
	if listed != open {
		t.Errorf("%d gates with unchecked items, want %d", listed, open)
	}
}

func TestPagesExist(t *testing.T) {
	dir := builtCorpus(t)
	for _, rel := range []string{
		"index.html", "404.html", "sitemap.xml", "feed.xml", "robots.txt", "plan.json", "plan.schema.json",
		"search/meta.json", "search/lengths.json", "search/f/0.json", "search/index.html", "agents/index.html", "agents/python-backend-engineer/index.html",
		"problems/index.html", "plans/claude--progress/index.html", phase2 + "/badge.svg",
	} {
		if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
			t.Error(err)
		}
	}
	searchChunksExist(t, dir)
	feed := readFile(t, filepath.Join(dir, "feed.xml"))
	if !strings.Contains(feed, "Infrastructure Setup (Day 6-7)") {
		t.Error("feed lacks a work-log entry")
	}
	page := readFile(t, filepath.Join(dir, phase2, "index.html"))
	for _, want := range []string{`rel="prev"`, `rel="next"`, `class="matrix"`, `<figure class="chart">`, `id="problems"`, "completion-mismatch"} {
		if !strings.Contains(page, want) {
			t.Errorf("phase page lacks %s", want)
		}
	}
}

// A document without checkboxes says so; it shows no 0% bar of 0/0.
func TestCompletionWithoutCheckboxes(t *testing.T) {
	page := readFile(t, filepath.Join(builtCorpus(t), "index.html"))
	if !strings.Contains(page, "no checkboxes") {
		t.Error("dashboard: no document reads as having no checkboxes")
	}
	if strings.Contains(page, "(0/0)") {
		t.Error("dashboard: a 0/0 completion is shown as a percentage")
	}
}

// tree reads every file under dir.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// siteSources are the plan trees the whole-site tests build: our own
// tracker in testdata, always there, and the real corpus, skipped on a clone
// with nothing beside it.
var siteSources = []struct {
	name  string
	src   func(testing.TB) string
	phase string // a phase page with gates, a task table and a code block
}{
	{"testdata", tracker, trackerPhase2},
	{"corpus", corpus, phase2},
}

func TestDeterministic(t *testing.T) {
	for _, s := range siteSources {
		t.Run(s.name, func(t *testing.T) {
			src := s.src(t)
			a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
			buildSite(t, src, a, false)
			buildSite(t, src, b, false)
			ta, tb := tree(t, a), tree(t, b)
			if len(ta) != len(tb) {
				t.Fatalf("%d files vs %d", len(ta), len(tb))
			}
			for rel, data := range ta {
				if !bytes.Equal(data, tb[rel]) {
					t.Errorf("%s differs between two builds", rel)
				}
			}
			res := buildSite(t, src, a, false)
			if res.Stats.Written != 0 || res.Stats.Removed != 0 {
				t.Errorf("rebuild with nothing changed: %+v", res.Stats)
			}
		})
	}
}

func TestMinifyOnOff(t *testing.T) {
	for _, s := range siteSources {
		t.Run(s.name, func(t *testing.T) {
			src := s.src(t)
			min, plain := filepath.Join(t.TempDir(), "min"), filepath.Join(t.TempDir(), "plain")
			buildSite(t, src, min, false)
			buildSite(t, src, plain, true)
			minifyOnOff(t, min, plain, s.phase)
		})
	}
}

func minifyOnOff(t *testing.T, min, plain, phase string) {
	for _, rel := range []string{phase + "/index.html", "index.html", "plan.json", "sitemap.xml"} {
		m, p := readFile(t, filepath.Join(min, rel)), readFile(t, filepath.Join(plain, rel))
		if len(m) >= len(p) {
			t.Errorf("%s: minified %d bytes, readable %d", rel, len(m), len(p))
		}
		// Pages come from minified layouts, not a pass over each page: they
		// must still be about as small as that pass would make them.
		if strings.HasSuffix(rel, ".html") {
			var out bytes.Buffer
			if err := (&htmlmin.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true}).Minify(minify.New(), &out, strings.NewReader(m), nil); err != nil {
				t.Fatal(err)
			}
			if len(m) > out.Len()*103/100 {
				t.Errorf("%s: %d bytes, %d after a full minify pass (over 3%% more)", rel, len(m), out.Len())
			}
		}
	}
	css := func(dir string) string {
		ms, _ := filepath.Glob(filepath.Join(dir, "assets", "main.*.css"))
		if len(ms) != 1 {
			t.Fatalf("assets: %v", ms)
		}
		return readFile(t, ms[0])
	}
	if strings.Count(css(min), "\n") > 5 || strings.Count(css(plain), "\n") < 100 {
		t.Error("CSS is not minified in one build or not readable in the other")
	}
	// Code stays code: a fenced block keeps its line breaks when minified.
	page := readFile(t, filepath.Join(min, phase, "index.html"))
	if i := strings.Index(page, `<pre class="code-block`); i < 0 || !strings.Contains(page[i:i+2000], "\n") {
		t.Error("minifying lost the line breaks of a code block")
	}
}

func TestLayoutAndAssetOverride(t *testing.T) {
	src := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(src, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("plan/phase-1-start.md", "# Phase 1: Start\n\n**Status**: In Progress\n\n## Success Criteria\n\n- [x] one\n- [ ] two\n")
	write("layouts/404.html", `{{define "main"}}<main id="main"><h1>Lost in the plans</h1></main>{{end}}`)
	write("assets/extra.css", ".site-own-rule { color: rebeccapurple; }\n")
	write("assets/main.ts", "document.documentElement.dataset.siteScript = \"yes\";\n")
	dest := filepath.Join(t.TempDir(), "out")
	buildSite(t, src, dest, true)
	if page := readFile(t, filepath.Join(dest, "404.html")); !strings.Contains(page, "Lost in the plans") {
		t.Error("layouts/404.html did not override the theme's")
	}
	ms, _ := filepath.Glob(filepath.Join(dest, "assets", "main.*.css"))
	js, _ := filepath.Glob(filepath.Join(dest, "assets", "main.*.js"))
	if len(ms) != 1 || !strings.Contains(readFile(t, ms[0]), "site-own-rule") || !strings.Contains(readFile(t, ms[0]), "--bg") {
		t.Error("a site's extra CSS should join the theme's")
	}
	if len(js) != 1 || !strings.Contains(readFile(t, js[0]), "siteScript") || strings.Contains(readFile(t, js[0]), "plansite-theme") {
		t.Error("a site's main.ts should replace the theme's")
	}
}

func TestGitHistoryBurndown(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	src := t.TempDir()
	git := gitAt(t, src)
	doc := filepath.Join(src, "plan", "phase-1-start.md")
	os.MkdirAll(filepath.Dir(doc), 0o755)
	git("2025-11-10T10:00:00Z", "init", "-q")
	// Three commits on three days; the scope grows by one box at the third.
	for i, body := range []string{"- [ ] a\n- [ ] b\n- [ ] c\n", "- [x] a\n- [ ] b\n- [ ] c\n", "- [x] a\n- [x] b\n- [ ] c\n- [ ] d\n"} {
		os.WriteFile(doc, []byte("# Phase 1: Start\n\n**Status**: In Progress\n\n## Tasks\n\n"+body), 0o644)
		date := "2025-11-1" + string(rune('0'+i)) + "T10:00:00Z"
		git(date, "add", ".")
		git(date, "commit", "-q", "-m", "step "+string(rune('1'+i)))
	}
	dest := filepath.Join(t.TempDir(), "out")
	buildSite(t, src, dest, true)
	page := readFile(t, filepath.Join(dest, "plan", "phase-1-start", "index.html"))
	if !strings.Contains(page, `class="bd-burn"`) || strings.Count(page, `class="bd-burn-point"`) != 3 {
		t.Error("the burndown does not draw the three commits")
	}
	for _, want := range []string{
		"2025-11-10, commit ", ": 3 of 3 items left", ": 2 of 3 items left", ": 2 of 4 items left",
		">scope +1</text>",
		"<td>2025-11-12 10:00 UTC</td><td>commit</td>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the burndown lacks %q", want)
		}
	}
}

// gitAt runs git in dir, committing as of the date it is given.
func gitAt(t *testing.T, dir string) func(date string, args ...string) {
	return func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_COMMITTER_DATE="+date, "GIT_AUTHOR_DATE="+date)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}

// searchChunksExist checks that the search manifest names chunks and that
// each is in the site.
func searchChunksExist(t *testing.T, dir string) {
	t.Helper()
	var meta struct{ Chunks [][2]string }
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "search", "meta.json"))), &meta); err != nil || len(meta.Chunks) == 0 {
		t.Fatalf("search/meta.json names %d chunks (%v)", len(meta.Chunks), err)
	}
	for _, c := range meta.Chunks {
		if _, err := os.Stat(filepath.Join(dir, "search", "c", c[1]+".json")); err != nil {
			t.Error(err)
		}
	}
}
