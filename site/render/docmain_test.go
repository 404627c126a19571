package render_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	theme "github.com/plansite/plansite/themes/default"
)

// hostileDocs are documents whose every field holds text html/template
// escapes, in the places doc.html prints them.
var hostileDocs = map[string]string{
	"hostile <&>/phase-1-a&b.md": "# Phase 1: Plan <b>\"x\"</b> & 'y' + z\x00 é\n\n" +
		"**Status**: In progress <i>really</i> & \"soon\"\n**Started**: 2024-01-02\n**Updated**: 2024-02-03T10:20:00Z\n" +
		"**Duration**: 3 <weeks> & 'more'\n**Goal**: <i>ship</i> & \"test\" 'it' + more\n**Completion**: 40%\n\n" +
		"## Success Criteria <&>\n\n- [x] a <b>\n- [ ] b & c\n\n" +
		"## Tasks\n\n#### 1.1 Task \"one\" <i>+</i>\n- **Assigned**: agent-one\n- [x] s\n- [ ] t\n\n" +
		"## Work log\n\n- 2024-01-05: did <b>\"this\"</b> & that (3/5)\n\n" +
		"See [missing](./nowhere <&>.md).\n",
	"hostile <&>/phase-2-c'd.md":      "# Phase 2: Next \"one\" <&>\n\n**Status**: Complete\n**Done**: 2024-03-04\n\n- [x] one\n",
	"hostile <&>/README.md":           "# The <hostile> & \"plan\"\n\nIts overview.\n",
	"hostile <&>/phase-3-template.md": "# Phase 3: [Name] <&>\n\n**Status**: [status]\n\n- [ ] [item]\n",
	// A file name's "%" is not an escape: its source and edit links, the
	// file's path unescaped, write it as "%25".
	"hostile <&>/phase-4-100% done.md": "# Phase 4: 100% done\n\n**Status**: Complete\n\n- [x] all\n",
	"plansite.toml":                    "repo_url = \"https://example.com/org/repo\"\n",
}

// TestLayoutsInGoMatchTemplates builds each corpus twice: with the theme's
// layouts, whose "main" plansite writes in Go (a document's page, a
// plan's, an agent's, the dashboard's, the problems'), and with copies of those layouts of
// the site's own (the theme's, one line longer), executed as templates.
// Every file must be the same, minified or not: the Go is the layouts',
// byte for byte, on every page of the corpora and of documents of hostile
// text.
func TestLayoutsInGoMatchTemplates(t *testing.T) {
	own := map[string]string{}
	for _, name := range []string{"doc.html", "plan.html", "agent.html", "dashboard.html", "problems.html"} {
		b, err := theme.FS.ReadFile("layouts/" + name)
		if err != nil {
			t.Fatal(err)
		}
		own["layouts/"+name] = string(b) + "\n"
	}
	sources := []struct {
		name string
		src  func(testing.TB) string
	}{
		{"testdata", func(tb testing.TB) string { return testcorpus.Testdata(tb) }},
		{"meatymusic", testcorpus.MeatyMusic},
		{"conventions", testcorpus.Conventions},
	}
	for _, s := range sources {
		for _, noMinify := range []bool{false, true} {
			name := s.name
			if noMinify {
				name += "/no-minify"
			}
			t.Run(name, func(t *testing.T) {
				src := t.TempDir()
				if err := os.CopyFS(src, os.DirFS(s.src(t))); err != nil {
					t.Fatal(err)
				}
				writeFiles(t, src, hostileDocs)
				inGo := filepath.Join(t.TempDir(), "go")
				buildSite(t, src, inGo, noMinify)
				writeFiles(t, src, own)
				executed := filepath.Join(t.TempDir(), "executed")
				buildSite(t, src, executed, noMinify)
				files := sameSites(t, inGo, executed, "the page written in Go differs from its layout executed for it")
				for page, least := range map[string]int{
					`<article class="markdown"`:     5, // a document's
					`<h2 id="timeline-h">`:          2, // a plan's
					`<section class="plan-tasks"`:   1, // an agent's
					`<table class="phases">`:        1, // the dashboard
					`<details class="problem-file"`: 1, // the problems
				} {
					if n := holding(files, page); n < least {
						t.Errorf("only %d pages holding %s compared", n, page)
					}
				}
			})
		}
	}
}

// A site's own partials.html and widgets.html are executed on document
// pages, though the theme's doc.html is written in Go.
func TestDocMainKeepsOwnPartials(t *testing.T) {
	partials, err := theme.FS.ReadFile("layouts/partials.html")
	if err != nil {
		t.Fatal(err)
	}
	doc := "# Phase 1: Start\n\n**Status**: In Progress\n\n## Tasks\n\n#### 1.1 First\n- [x] one\n- [ ] two\n\nSee [gone](./gone.md).\n\n## Work log\n\n- 2024-01-05: began\n"
	for _, c := range []struct {
		file, text, want string
	}{
		{"partials.html", strings.Replace(string(partials), `{{define "problems"}}`, `{{define "problems"}}<p class="my-problems">{{len .}}</p>{{end}}{{define "theme-problems"}}`, 1), `<p class="my-problems">1</p>`},
		{"partials.html", strings.Replace(string(partials), `{{define "burndown"}}`, `{{define "burndown"}}<p class="my-burndown">{{.Desc}}</p>{{end}}{{define "theme-burndown"}}`, 1), `<p class="my-burndown">`},
		{"widgets.html", `{{define "task-rows"}}<tr class="my-rows"><td>{{len .}}</td></tr>{{end}}`, `<tr class="my-rows"><td>1</td></tr>`},
	} {
		src := t.TempDir()
		writeFiles(t, src, map[string]string{"plan/phase-1-start.md": doc, "layouts/" + c.file: c.text})
		dest := filepath.Join(t.TempDir(), "out")
		buildSite(t, src, dest, true)
		if page := readFile(t, filepath.Join(dest, "plan", "phase-1-start", "index.html")); !strings.Contains(page, c.want) {
			t.Errorf("with its own %s, the page lacks %s", c.file, c.want)
		}
	}
}
