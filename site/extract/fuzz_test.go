package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/plan"
)

// FuzzExtract feeds extraction malformed plans: it must never panic, and
// what it reads must stay self-consistent.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"", "# T\n", "---\nstatus: x\n", "+++\n", "**Status**: ✅\n", "- [ ] **A-1**: x (3 pts)\n  - [x] y\n",
		"| Phase | Status |\n|---|---|\n| 1 | Done |\n", "## Phase 1: A\n### Gate 1: B\n1. [x] c\n",
		"**2025-11-12 14:30 EST** - e\n", "```\n# in code\n", "\xef\xbb\xbf\r\n# x\r\n", "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	root := testcorpus.MeatyMusic(f)
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
		return nil
	})
	valid := map[string]bool{}
	for _, s := range plan.Statuses {
		valid[s] = true
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d := Extract("fuzz/doc.md", src, Options{}).Doc
		if !valid[d.Status] {
			t.Fatalf("status %q", d.Status)
		}
		if d.Completion.Done > d.Completion.Total {
			t.Fatalf("completion %d/%d", d.Completion.Done, d.Completion.Total)
		}
		for _, g := range d.Gates {
			if g.Done > g.Total || g.Total != len(g.Items) {
				t.Fatalf("gate %+v", g)
			}
		}
		for _, task := range d.Tasks {
			if task.Done > task.Total || !valid[task.Status] || task.ID == "" {
				t.Fatalf("task %+v", task)
			}
		}
		for _, p := range d.Problems {
			if p.Line < 0 || p.Line > d.Lines+1 {
				t.Fatalf("problem line %d of %d", p.Line, d.Lines)
			}
		}
		for _, h := range d.Headings {
			if h.Anchor == "" || h.Line < 1 || h.Line > d.Lines {
				t.Fatalf("heading %+v of %d lines", h, d.Lines)
			}
		}
	})
}
