package build

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/plan"
)

// docsOf loads a tree and indexes its documents by source path.
func docsOf(t *testing.T, src string) map[string]*plan.Doc {
	t.Helper()
	m, err := Load(src, "", "test", &config.Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*plan.Doc{}
	for _, d := range m.Site.Docs {
		out[d.Source] = d
	}
	return out
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// TestConventionSeries: conventions that order documents by name give them
// previous and next (MANIFEST: BMAD stories within their epic, ADRs by
// number, GSD plans across phases), and a GSD plan is done when its SUMMARY
// exists.
func TestConventionSeries(t *testing.T) {
	docs := docsOf(t, testcorpus.Conventions(t))
	chain := func(prev, me, next string) {
		t.Helper()
		d := docs[me]
		if d == nil {
			t.Fatalf("%s not read", me)
		}
		if str(d.Prev) != prev || str(d.Next) != next {
			t.Errorf("%s: prev %q next %q, want %q %q", me, str(d.Prev), str(d.Next), prev, next)
		}
	}
	const sda = "7-central__security-design-assistant/docs/stories/"
	chain(sda+"4.3.story.md", sda+"4.3.1.story.md", sda+"4.3.2.story.md")
	const pw = "ALLiDoizCode__Permaweb-MCP/docs/stories/"
	chain(pw+"10.3.story.md", pw+"10.4.story.md", "")
	chain("", pw+"7.4.story.md", "") // alone in epic 7
	const l4b = "thomvaill__log4brains/docs/adr/"
	chain(l4b+"20200924-use-markdown-architectural-decision-records.md", l4b+"20200926-use-the-adr-number-as-its-unique-id.md", l4b+"20201016-use-the-adr-slug-as-its-unique-id.md")
	const gsd = "0xc0re__godot-mcp/.planning/phases/"
	chain(gsd+"07-animation-tilemap/07-03-PLAN.md", gsd+"08-runtime-inspection-reload/08-01-PLAN.md", gsd+"08-runtime-inspection-reload/08-02-PLAN.md")
	if d := docs[gsd+"08-runtime-inspection-reload/08-01-PLAN.md"]; d.Status != plan.Complete {
		t.Errorf("08-01-PLAN has its SUMMARY: %s", d.Status)
	}
	if d := docs[gsd+"08-runtime-inspection-reload/08-02-PLAN.md"]; d.Status != plan.NotStarted {
		t.Errorf("08-02-PLAN has no SUMMARY: %s", d.Status)
	}
	// The ROADMAP left 07-03 and 08-01 unticked; their SUMMARY files say done.
	rm := docs["0xc0re__godot-mcp/.planning/ROADMAP.md"]
	done := map[string]bool{}
	for _, tk := range rm.Tasks {
		done[tk.ID] = tk.Status == plan.Complete
	}
	if !done["07-03"] || !done["08-01"] || done["08-02"] || rm.Completion.Done != 2 || rm.Status != plan.InProgress {
		t.Errorf("godot ROADMAP: %v, %d/%d, %s", done, rm.Completion.Done, rm.Completion.Total, rm.Status)
	}
	// A plan's success criteria and a checkpoint's checks are gates, not its work.
	p55 := docs["21st-dev__ancode/.planning/phases/05-aws-bedrock-authentication/05-05-PLAN.md"]
	var gates []string
	for _, g := range p55.Gates {
		gates = append(gates, fmt.Sprintf("%s %s %d/%d", g.Kind, g.Title, g.Done, g.Total))
	}
	if p55.Completion.Total != 0 || p55.Status != plan.NotStarted || strings.Join(gates, "; ") != "checkpoint checkpoint:human-verify 0/5; checklist Success criteria 13/13" {
		t.Errorf("ancode 05-05: %+v %s gates %v", p55.Completion, p55.Status, gates)
	}
	for _, d := range docs {
		for _, p := range d.Problems {
			if p.Code == "status-mismatch" || p.Code == "completion-mismatch" {
				t.Errorf("%s:%d: %s (a misread status)", d.Source, p.Line, p.Message)
			}
		}
	}

	own := docsOf(t, testcorpus.Testdata(t, "conventions"))
	if d := own[".planning/ROADMAP.md"]; d.Status != plan.InProgress || d.Tasks[0].ID != "02-01" || d.Tasks[0].Status != plan.Complete {
		t.Errorf("own ROADMAP: %s, %+v", d.Status, d.Tasks[0])
	}
	if d := own[".planning/phases/02-import/02-01-PLAN.md"]; d.Status != plan.Complete || d.Tasks[0].Status != plan.Complete || str(d.Next) != ".planning/phases/02-import/02-02-PLAN.md" {
		t.Errorf("own GSD plan: %s next %q", d.Status, str(d.Next))
	}
	if d := own["docs/adr/0002-store-dates-with-zone.md"]; str(d.Prev) != "docs/adr/0001-store-dates-in-utc.md" {
		t.Errorf("own ADR prev %q", str(d.Prev))
	}
	if d := own["i18n/phase-2-zh.md"]; str(d.Prev) != "i18n/phase-1-fr.md" || str(d.Next) != "i18n/phase-3-es.md" {
		t.Errorf("arrow links: prev %q next %q", str(d.Prev), str(d.Next))
	}
}

// TestSiteStatusWords: plansite.toml maps a site's own status words and keys;
// a word nobody maps is reported with its line.
func TestSiteStatusWords(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("job.md", "# Nightly job\n\n**Status**: Smouldering\n**状况**: simmering\n")
	m, err := Load(dir, "", "test", &config.Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := m.Site.Docs[0]
	if d.Status != plan.Unknown || len(d.Problems) != 1 || d.Problems[0].Code != "unknown-status" || d.Problems[0].Line != 3 || d.Problems[0].Severity != plan.SevInfo {
		t.Errorf("unmapped: %s %+v", d.Status, d.Problems)
	}
	write(config.FileName, "[status]\nsmouldering = \"blocked\"\n\n[keys]\n\"状况\" = \"Next Phase\"\n")
	cfg, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, _ = Load(dir, "", "test", cfg, nil, nil)
	if d := m.Site.Docs[0]; d.Status != plan.Blocked || len(d.Problems) != 0 || d.Meta["next"] != "simmering" {
		t.Errorf("mappings: %s %+v %v", d.Status, d.Problems, d.Meta)
	}
}

// TestGitHubAnchors: a heading answers to GitHub's anchor as well as to
// plansite's, so links the authors wrote against GitHub keep working.
func TestGitHubAnchors(t *testing.T) {
	src, dest := t.TempDir(), filepath.Join(t.TempDir(), "public")
	body := "# Plan\n\nSee [setup](#phase-1---setup) and [the release](#release-v12-1).\n\n## Phase 1 ✅ — Setup\n\n## Release v1.2\n\n## Release v1.2\n"
	if err := os.WriteFile(filepath.Join(src, "plan.md"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(Options{Source: src, Dest: dest, Generator: "plansite test", NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dest, "plan", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{`id="phase-1---setup"`, `id="phase-1-setup"`, `id="release-v12"`, `id="release-v12-1"`, `id="release-v1-2-1"`} {
		if !strings.Contains(string(page), id) {
			t.Errorf("page lacks %s", id)
		}
	}
}

// TestConventionTaskTags: the page of a tasks file shows what its convention
// marks on a task (optional, parallel, story, traces).
func TestConventionTaskTags(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: testcorpus.Testdata(t, "conventions"), Dest: dest, Generator: "plansite test", NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	for page, want := range map[string][]string{
		".kiro/specs/offline-sync/tasks": {`<span class="role">optional</span>`,
			// Each trace links to its acceptance criterion; "All" names none.
			`<span class="role">→ <a href="/.kiro/specs/offline-sync/requirements/#requirement-1-1" title="requirement 1.1">1.1</a>, <a href="/.kiro/specs/offline-sync/requirements/#requirement-1-2" title="requirement 1.2">1.2</a></span>`,
			`title="requirement 3.1">3.1</a>, All</span>`},
		".kiro/specs/offline-sync/requirements": {`<li id="requirement-1-1">`, `<li id="requirement-1-3">`, `<li id="requirement-2-1">`},
		"specs/004-export-csv/tasks":            {`<span class="role">parallel</span>`, `<span class="role">US1</span>`},
	} {
		b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(page), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s lacks %s", page, w)
			}
		}
	}
}

// TestBMADStoryAgents: a story's dev agent, change-log authors and QA
// reviewer are its agents: each has a page listing the story's tasks in
// its role, and the story's matrix names them.
func TestBMADStoryAgents(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: testcorpus.Testdata(t, "conventions"), Dest: dest, Generator: "plansite test", NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	read := func(rel string) string { return readOut(t, dest, rel) }
	for agent, role := range map[string]string{"bob": "author", "james": "author", "claude-sonnet-4": "primary", "quinn": "review"} {
		page := read("agents/" + agent + "/index.html")
		if !strings.Contains(page, "Send the reset mail") || !strings.Contains(page, role) {
			t.Errorf("agent %s: page lacks the story's task or its role %s", agent, role)
		}
	}
	story := read("docs/stories/3.1.story/index.html")
	for _, a := range []string{`href="/agents/bob/"`, `href="/agents/quinn/"`, `class="role-author"`} {
		if !strings.Contains(story, a) {
			t.Errorf("story page lacks %s", a)
		}
	}
}

// TestGSDContextReferences: a GSD plan's "@path" context references link to
// their files on the page, and one to no file is shown and reported broken.
func TestGSDContextReferences(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	r, err := Build(Options{Source: testcorpus.Testdata(t, "conventions"), Dest: dest, Generator: "plansite test", NoMinify: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dest, ".planning/phases/02-import/02-02-PLAN/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<a href="/.planning/STATE/">@.planning/STATE.md</a>`,
		`<a href="/.planning/phases/02-import/02-01-PLAN/">@.planning/phases/02-import/02-01-PLAN.md</a> (the parser this plan reuses)`,
		`<span class="broken-link">@src/import/merge_rules.go`,
		`@~/.claude/get-shit-done/workflows/execute-plan.md`, // the author's machine: text
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("plan page lacks %s", want)
		}
	}
	broken := 0
	for _, d := range r.Model.Site.Docs {
		for _, p := range d.Problems {
			if p.Code == plan.CodeBrokenLink && strings.Contains(p.Message, "@src/import/merge_rules.go") {
				if d.Source != ".planning/phases/02-import/02-02-PLAN.md" || p.Line != 22 {
					t.Errorf("reported at %s:%d", d.Source, p.Line)
				}
				broken++
			}
		}
	}
	if broken != 1 {
		t.Errorf("the broken reference reported %d times, want once (line 22)", broken)
	}
}

// TestDecisionLog: the decision records are listed in plan.json and on the
// decision log page with number, date, state as written and as read, and
// their relations both ways; a superseded decision's page points to its
// successor, and the navigation links the log.
func TestDecisionLog(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	r, err := Build(Options{Source: testcorpus.Testdata(t, "conventions"), Dest: dest, Generator: "plansite test", NoMinify: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, dec := range r.Model.Site.Decisions {
		line := fmt.Sprintf("%s %s/%s %s", dec.Number, dec.State, dec.Status, str(dec.Date))
		for _, rel := range dec.Relations {
			line += fmt.Sprintf(" | %s %s (%s:%d)", rel.Kind, path.Base(rel.Source)[:4], path.Base(rel.From)[:4], rel.Line)
		}
		got = append(got, line)
	}
	want := []string{
		"0001 superseded/complete 2026-09-01 | superseded-by 0002 (0001:3) | revised-by 0002 (0002:5)",
		"0002 accepted/complete  | revises 0001 (0002:5) | supersedes 0001 (0002:13) | revised-by 0004 (0004:12)",
		"0003 rejected/failed ",
		"0004 proposed/not-started 2026-10-02 | revises 0002 (0004:12)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("decisions:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	read := func(rel string) string { return readOut(t, dest, rel) }
	log := read("decision-log/index.html")
	for _, w := range []string{
		`<h1>Decision log</h1>`,
		`<td class="num">0003</td><th scope="row"><a href="/docs/adr/0003-move-the-ledger-to-a-document-store/">Move the ledger to a document store</a></th>`,
		`<span class="decision-state state-superseded" title="written: superseded by 0002-store-dates-with-zone">Superseded</span> <span class="status status-complete">Complete</span>`,
		`<li class="rel-superseded-by">Superseded by <a href="/docs/adr/0002-store-dates-with-zone/">0002 Store dates with their zone</a></li>`,
		`<li class="rel-revised-by">Revised by <a href="/docs/adr/0004-keep-a-zone-table/">0004 Keep a table of the zones users travel through</a> <span class="as-written">(written in that decision)</span></li>`,
		`<time datetime="2026-10-02">2026-10-02</time>`,
	} {
		if !strings.Contains(log, w) {
			t.Errorf("decision log lacks %s", w)
		}
	}
	old := read("docs/adr/0001-store-dates-in-utc/index.html")
	if !strings.Contains(old, `This decision is superseded by <a href="/docs/adr/0002-store-dates-with-zone/">0002 Store dates with their zone</a>.`) {
		t.Error("the superseded decision's page does not point to its successor")
	}
	if !strings.Contains(read("index.html"), `<a href="/decision-log/">Decisions</a>`) {
		t.Error("the navigation does not link the decision log")
	}
}

// readOut reads an output file of a build into dest.
func readOut(t *testing.T, dest, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
