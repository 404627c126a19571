package render_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// writeTree writes a generated plan tree: dirs directories of perDir phase
// documents, each with tasks tasks held by agent-one; the first of every
// five is done.
func writeTree(t *testing.T, dirs, perDir, tasks int) string {
	t.Helper()
	src := t.TempDir()
	for d := 0; d < dirs; d++ {
		for p := 1; p <= perDir; p++ {
			var b strings.Builder
			status := []string{"In Progress", "Blocked", "Complete", "Not Started"}[(d+p)%4]
			fmt.Fprintf(&b, "# Phase %d: Work %d-%d\n\n**Status**: %s\n\n## Tasks\n\n", p, d, p, status)
			for k := 1; k <= tasks; k++ {
				mark := " "
				if k%5 == 1 {
					mark = "x"
				}
				fmt.Fprintf(&b, "#### %d.%d Task %d of %d-%d\n- **Assigned**: agent-one\n- [%s] step\n\n", p, k, k, d, p, mark)
			}
			name := filepath.Join(src, fmt.Sprintf("area-%03d", d), fmt.Sprintf("phase-%d-work.md", p))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return src
}

var docLinkRe = regexp.MustCompile(`<tr data-status=[^>]*data-path="?([^" >]+)`)

// The dashboard is paged: every document is on exactly one page, every
// page links the others, and none grows with the site.
func TestDashboardPages(t *testing.T) {
	src := writeTree(t, 150, 3, 2) // 450 documents, more than two pages of rows
	site := filepath.Join(t.TempDir(), "public")
	buildSite(t, src, site, false)
	pages, _ := filepath.Glob(filepath.Join(site, "page", "*", "index.html"))
	pages = append([]string{filepath.Join(site, "index.html")}, pages...)
	if len(pages) < 3 {
		t.Fatalf("%d dashboard pages for 450 documents, want 3 or more", len(pages))
	}
	seen := map[string]int{}
	for i, p := range pages {
		page := readFile(t, p)
		if len(page) > 300<<10 {
			t.Errorf("%s is %d KB", p, len(page)>>10)
		}
		for _, m := range docLinkRe.FindAllStringSubmatch(page, -1) {
			seen[m[1]]++
		}
		for _, want := range []string{"open</a>", "blocked</a>", "changed this week", `class="pager"`} {
			if !strings.Contains(page, want) {
				t.Errorf("dashboard page %d lacks %q", i+1, want)
			}
		}
	}
	if len(seen) != 450 {
		t.Errorf("%d documents on the dashboard pages, want 450", len(seen))
	}
	for doc, n := range seen {
		if n != 1 {
			t.Errorf("%s is on %d dashboard pages", doc, n)
		}
	}
	// Groups needing attention come first: the first group is blocked.
	first := readFile(t, pages[0])
	if i, j := strings.Index(first, `class="group" open`), strings.Index(first, `data-status="blocked"`); i < 0 || j < i {
		t.Errorf("the first dashboard page does not open on a blocked plan")
	}
	// 150 tasks a page at most, open work first: agent-one holds 900 tasks
	// (two a document), half of them done.
	agent := filepath.Join(site, "agents", "agent-one")
	p1 := readFile(t, filepath.Join(agent, "index.html"))
	if !strings.Contains(p1, "<strong>450</strong> open") || !strings.Contains(p1, "<strong>450</strong> done") {
		t.Errorf("agent page: counts of open and done work missing: %.600s", p1[strings.Index(p1, "tiles"):])
	}
	last, _ := filepath.Glob(filepath.Join(agent, "page", "*", "index.html"))
	if len(last) != 5 {
		t.Fatalf("agent-one has %d further pages, want 5 (900 tasks, 150 a page)", len(last))
	}
	// Every one of those pages is in the sitemap.
	sitemapListsEveryPage(t, site)
	if strings.Contains(p1, ">Done</h2>") || !strings.Contains(readFile(t, filepath.Join(agent, "page", "6", "index.html")), ">Done</h2>") {
		t.Error("the done work should come after the open work, on the last pages")
	}
}
