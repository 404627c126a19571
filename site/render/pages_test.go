package render_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/sitecheck"
	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/render"
)

// checkSite fails the test for every problem sitecheck finds in a built site.
func checkSite(t *testing.T, dir string) {
	t.Helper()
	problems, err := sitecheck.Site(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestPagesReadRight builds our own tree with Japanese folder names, images,
// a PDF, and links the site cannot follow.
func TestPagesReadRight(t *testing.T) {
	site := filepath.Join(t.TempDir(), "public")
	buildSite(t, testcorpus.Testdata(t, "pages"), site, true)
	checkSite(t, site)

	phase := readFile(t, filepath.Join(site, "計画-ロードマップ", "phase-1-基盤", "index.html"))
	if n := strings.Count(phase, "フェーズ1: 基盤づくり</h"); n != 1 {
		t.Errorf("the title is shown %d times as a heading, want once", n)
	}
	if !strings.Contains(phase, `<h1 id="フェーズ1-基盤づくり">`) {
		t.Error("the page h1 lost the anchor of the heading it replaces")
	}
	for _, want := range []string{
		`<img src="/%E8%A8%88%E7%94%BB-%E3%83%AD%E3%83%BC%E3%83%89%E3%83%9E%E3%83%83%E3%83%97/%E5%9B%B3/%E6%A7%8B%E6%88%90.svg" alt="構成図">`,
		`<span class="broken-link">A file the site cannot show <span class="broken-target">(broken link: <code>../guide/notes.xcf</code>)</span></span>`,
		`<span class="broken-link">A phase that was never written <span class="broken-target">(broken link: <code>phase-9-未定.md</code>)</span></span>`,
	} {
		if !strings.Contains(phase, want) {
			t.Errorf("phase page lacks %s", want)
		}
	}
	if strings.Contains(phase, `href="../guide/notes.xcf"`) || strings.Contains(phase, `href="phase-9`) {
		t.Error("a link the site cannot resolve is still a link")
	}

	guide := readFile(t, filepath.Join(site, "guide", "index.html"))
	for _, want := range []string{
		`<a href="/guide/checklist.pdf">a PDF</a>`,
		`<img src="/guide/board.png" alt="Board">`,
		`<span class="broken-link broken-image">A picture that was moved away <span class="broken-target">(broken link: <code>old/board.png</code>)</span></span>`,
	} {
		if !strings.Contains(guide, want) {
			t.Errorf("guide page lacks %s", want)
		}
	}
	for _, f := range []string{"guide/board.png", "guide/checklist.pdf", "計画-ロードマップ/図/構成.svg"} {
		want, err := os.ReadFile(filepath.Join(testcorpus.Testdata(t, "pages"), f))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(filepath.Join(site, f)); err != nil || string(got) != string(want) {
			t.Errorf("%s not published as it is (%v)", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "guide", "notes.xcf")); err == nil {
		t.Error("a file no page can show was published")
	}
}

// TestSiteCheckCorpora holds every page of the corpus sites to the checks.
func TestSiteCheckCorpora(t *testing.T) {
	t.Run("meatymusic", func(t *testing.T) { checkSite(t, builtCorpus(t)) })
	t.Run("conventions", func(t *testing.T) {
		site := filepath.Join(t.TempDir(), "public")
		buildSite(t, testcorpus.Conventions(t), site, false)
		checkSite(t, site)
	})
	t.Run("content", func(t *testing.T) {
		site := filepath.Join(t.TempDir(), "public")
		buildSite(t, testcorpus.Content(t), site, false)
		checkSite(t, site)
	})
}

// TestSiteCheckFinds makes sure the checks can fail.
func TestSiteCheckFinds(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a/index.html", "<h1>Plan \xe8\xa8</h1>")
	write("b/index.html", `<h1>Phase 2: Setup <span class="status">Done</span></h1><h2>Phase 2:  setup <a href="#x">#</a></h2>`)
	write("c/index.html", `<h1>C</h1><img src="pic.png" alt=""><img src="/c/here.png" alt=""><img src="https://example.com/x.png" alt="">`)
	write("c/here.png", "png")
	got, err := sitecheck.Site(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`a/index.html: invalid UTF-8 at byte 9: "<h1>Plan \xe8\xa8</h1>"`,
		`b/index.html: the title "Phase 2: Setup " is shown again as a heading`,
		`c/index.html: image pic.png does not resolve`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRepositoryLinks: a file of the repository outside --source is linked
// on the repository's web site, found from the git remote.
func TestRepositoryLinks(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := t.TempDir()
	git := func(args ...string) {
		if out, err := exec.Command("git", append([]string{"-C", repo}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("remote", "add", "origin", "git@github.com:acme/widgets.git")
	write := func(rel, s string) {
		p := filepath.Join(repo, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(s), 0o644)
	}
	write("README.md", "# Widgets\n")
	write("src/main.go", "package main\n")
	write("docs/plan/phase-1-one.md", "# Phase 1: One\n\n- [ ] a\n\n[readme](../../README.md) [code](../../src/main.go#L1) [gone](../../nope.md) [out](../../../elsewhere.md)\n")
	site := filepath.Join(t.TempDir(), "public")
	buildSite(t, filepath.Join(repo, "docs"), site, true)
	page := readFile(t, filepath.Join(site, "plan", "phase-1-one", "index.html"))
	for _, want := range []string{
		`<a href="https://github.com/acme/widgets/blob/main/README.md">readme</a>`,
		`<a href="https://github.com/acme/widgets/blob/main/src/main.go#L1">code</a>`,
		`<span class="broken-link">gone <span class="broken-target">(broken link: <code>../../nope.md</code>)</span></span>`,
		`<span class="broken-link">out <span class="broken-target">`,
		`href="https://github.com/acme/widgets/blob/main/docs/plan/phase-1-one.md"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestWebURL(t *testing.T) {
	for remote, want := range map[string]string{
		"git@github.com:acme/widgets.git":              "https://github.com/acme/widgets",
		"https://github.com/acme/widgets.git":          "https://github.com/acme/widgets",
		"https://token@gitlab.example.org/a/b/c":       "https://gitlab.example.org/a/b/c",
		"ssh://git@codeberg.org:2222/acme/widgets.git": "https://codeberg.org/acme/widgets",
		"/srv/git/widgets.git":                         "",
		"../widgets":                                   "",
		"file:///srv/git/widgets":                      "",
	} {
		if got := render.WebURL(remote); got != want {
			t.Errorf("WebURL(%q) = %q, want %q", remote, got, want)
		}
	}
}

// TestNumbersFollowDocuments: over the corpus, a plan and its tracker are
// one plan, no document whose boxes are all checked reads Unknown, and
// templates are marked as such.
func TestNumbersFollowDocuments(t *testing.T) {
	site := builtCorpus(t)
	dash := readFile(t, filepath.Join(site, "index.html"))
	// The plan groups, each a <details>; the recent list above them aside.
	groups := strings.Split(dash, "<details")[1:]
	var group string
	listed := 0
	for _, g := range groups {
		if strings.Contains(g, `href="/docs/project_plans/implementation_plans/backend-entity-services-v1/"`) {
			group = g
		}
		listed += strings.Count(g, `href="/.claude/progress/backend-entity-services-v1/all-phases-progress/"`)
	}
	if !strings.Contains(group, `href="/.claude/progress/backend-entity-services-v1/all-phases-progress/"`) {
		t.Error("the tracker of backend-entity-services-v1 is not shown with its plan")
	}
	if !strings.Contains(group, "100% (175/175)") {
		t.Error("the joined plan's completion is not its tracker's")
	}
	if listed != 1 {
		t.Errorf("the tracker is listed in %d plan groups, want 1", listed)
	}
	var full struct {
		Docs []struct {
			URL, Kind  string
			Completion struct{ Done, Total int }
		}
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(site, "plan.json"))), &full); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range full.Docs {
		if d.Kind == "template" || d.Completion.Total == 0 || d.Completion.Done != d.Completion.Total || d.URL == "/" {
			continue
		}
		page := readFile(t, filepath.Join(site, filepath.FromSlash(render.OutputPath(d.URL))))
		status, _, _ := strings.Cut(page[strings.Index(page, "<dt>Status</dt>"):], "</dd>")
		if !strings.Contains(status, "status-complete") {
			t.Errorf("%s: every box checked, status reads %s", d.URL, status)
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("only %d documents with every box checked", checked)
	}
	tracker := readFile(t, filepath.Join(site, ".claude/progress/backend-entity-services-v1/all-phases-progress/index.html"))
	if !strings.Contains(tracker, `<nav class="plan-nav"`) || !strings.Contains(tracker, `aria-current="page">Backend Entity Services`) {
		t.Error("the tracker's page lacks the navigation of its plan")
	}
	template := readFile(t, filepath.Join(site, ".claude/skills/planning/templates/phase-breakdown-template/index.html"))
	if !strings.Contains(template, `<span class="status status-template">Template</span>`) {
		t.Error("a template is not marked as one")
	}
}

// TestWidgetPartialsOverride: a site's layouts/widgets.html replaces the
// rows plansite prints in Go.
func TestWidgetPartialsOverride(t *testing.T) {
	src := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(src, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("plan/phase-1-start.md", "# Phase 1: Start\n\n## Success Criteria\n\n- [x] one\n- [ ] two\n\n## Tasks\n\n#### 1.1 Build it\n- **Assigned**: builder\n- [ ] step\n")
	write("layouts/widgets.html", `{{define "toc-items"}}{{range .}}<li class="my-toc">{{.Text}}</li>{{end}}{{end}}`+
		`{{define "gate-items"}}{{range .}}<li class="my-gate">{{.Title}} {{.Done}} of {{.Total}}</li>{{end}}{{end}}`+
		`{{define "task-rows"}}{{range .}}<tr class="my-task"><td>{{.ID}}</td><td>{{.Title}}</td></tr>{{end}}{{end}}`+
		`{{define "matrix"}}<p class="my-matrix">{{len .Rows}} agents</p>{{end}}`)
	site := filepath.Join(t.TempDir(), "public")
	buildSite(t, src, site, true)
	page := readFile(t, filepath.Join(site, "plan", "phase-1-start", "index.html"))
	for _, want := range []string{`<li class="my-gate">Success Criteria 1 of 2</li>`, `<tr class="my-task"><td>1.1</td><td>Build it</td></tr>`, `<p class="my-matrix">1 agents</p>`, `<li class="my-toc">Tasks</li>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the site's widgets.html was not used: page lacks %s", want)
		}
	}
	if strings.Contains(page, `class="gate-title"`) {
		t.Error("the theme's gate rows are still printed")
	}
}
