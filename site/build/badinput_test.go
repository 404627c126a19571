package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testfs"
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/render"
)

// TestBadInputNeverStopsTheBuild builds a tree of broken documents beside
// good ones: every readable document gets a page, every broken one is
// reported with its path, and nothing panics.
func TestBadInputNeverStopsTheBuild(t *testing.T) {
	src := t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.md", []byte("# Good\n\n**Status**: In Progress\n\n- [x] done\n"))
	write("not-utf8.md", []byte("# Bad \xff\xfe bytes\n\n**Status**: Blocked\n"))
	write("empty.md", nil)
	write("bom.md", []byte("\xef\xbb\xbf# With BOM\n\n**Status**: Complete\n"))
	write("crlf.md", []byte("# CRLF\r\n\r\n**Status**: In Progress\r\n**Completion**: 50%\r\n\r\n## Success Criteria\r\n- [x] a\r\n- [ ] b\r\n"))
	write("fence.md", []byte("# Open fence\n\n```go\nfunc main() {\n## not a heading\n"))
	write("front.md", []byte("---\nstatus: complete\ntitle: never closed\n\n# Heading\n"))
	big := bytes.Repeat([]byte("- [ ] an item of a very long checklist that goes on\n"), 10<<20/52)
	write("big.md", append([]byte("# Big\n\n## Success Criteria\n"), big...))
	// A directory link back to the root (a loop if followed), a file link
	// loop, a dangling link, and a FIFO.
	must(t, os.Symlink(src, filepath.Join(src, "loop")))
	must(t, os.Symlink("b-link.md", filepath.Join(src, "a-link.md")))
	must(t, os.Symlink("a-link.md", filepath.Join(src, "b-link.md")))
	must(t, os.Symlink("nowhere.md", filepath.Join(src, "dangling.md")))
	fifo := testfs.MakeFIFO(filepath.Join(src, "fifo.md")) == nil
	if os.Geteuid() != 0 {
		write("secret.md", []byte("# Secret\n"))
		must(t, os.Chmod(filepath.Join(src, "secret.md"), 0))
	}

	dest := t.TempDir()
	res, err := Build(Options{Source: src, Dest: dest, Generator: "plansite test"})
	if err != nil {
		t.Fatalf("build failed: %v", err)
	}
	docs := map[string]*plan.Doc{}
	for _, d := range res.Model.Site.Docs {
		docs[d.Source] = d
		if _, err := os.Stat(filepath.Join(dest, render.OutputPath(d.URL))); err != nil {
			t.Errorf("%s: no page", d.Source)
		}
	}
	for _, name := range []string{"good.md", "not-utf8.md", "empty.md", "bom.md", "crlf.md", "fence.md", "front.md", "big.md"} {
		if docs[name] == nil {
			t.Errorf("%s was not built", name)
		}
	}
	if d := docs["not-utf8.md"]; d != nil && (!hasCode(d.Problems, "not-utf8") || d.Status != plan.Blocked) {
		t.Errorf("not-utf8.md: status %s problems %+v", d.Status, d.Problems)
	}
	if d := docs["bom.md"]; d != nil && (d.Title != "With BOM" || d.Status != plan.Complete) {
		t.Errorf("bom.md: title %q status %s", d.Title, d.Status)
	}
	if d := docs["crlf.md"]; d != nil && (d.Status != plan.InProgress || len(d.Gates) != 1 || d.Gates[0].Done != 1 || d.Gates[0].Total != 2) {
		t.Errorf("crlf.md: status %s gates %+v", d.Status, d.Gates)
	}
	if d := docs["front.md"]; d != nil && !hasCode(d.Problems, "front-matter-unterminated") {
		t.Errorf("front.md: problems %+v", d.Problems)
	}
	if d := docs["fence.md"]; d != nil && len(d.Headings) != 1 {
		t.Errorf("fence.md: headings %+v (the open fence runs to the end)", d.Headings)
	}
	if d := docs["big.md"]; d != nil && d.Completion.Total < 200000 {
		t.Errorf("big.md: %d checkboxes", d.Completion.Total)
	}
	reported := map[string]bool{}
	for _, p := range res.Model.Site.Problems {
		reported[p.Source] = true
		if p.Severity != plan.SevError || p.Message == "" {
			t.Errorf("site problem %+v", p)
		}
	}
	for _, name := range []string{"a-link.md", "b-link.md", "dangling.md", "fifo.md"} {
		if name == "fifo.md" && !fifo {
			continue // a system without named pipes
		}
		if !reported[name] {
			t.Errorf("%s not reported; site problems: %+v", name, res.Model.Site.Problems)
		}
	}
	if os.Geteuid() != 0 && !reported["secret.md"] {
		t.Error("unreadable secret.md not reported")
	}
	for src := range docs {
		if strings.HasPrefix(src, "loop/") {
			t.Errorf("followed the directory link: %s", src)
		}
	}
}

func hasCode(ps []*plan.Problem, code plan.Code) bool {
	for _, p := range ps {
		if p.Code == code {
			return true
		}
	}
	return false
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
