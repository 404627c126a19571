package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Documents that made goldmark take minutes build at once as plain text,
// each with an error naming it, and every other page is built.
func TestPathologicalDocumentsDoNotStallTheBuild(t *testing.T) {
	var indented strings.Builder
	for i := range 3000 {
		indented.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	src := t.TempDir()
	files := map[string]string{
		"bad/dashes.md":      strings.Repeat("- ", 40000) + "x\n",
		"bad/indented.md":    indented.String(),
		"bad/blockquotes.md": strings.Repeat("> ", 40000) + "x\n",
	}
	for rel, body := range smallSite {
		files[rel] = body
	}
	writeTree(t, src, files)
	dest := filepath.Join(t.TempDir(), "public")
	start := time.Now()
	code, out, errOut := runBinary(t, src, "build", "--source", src, "--dest", dest, "--verbose")
	took := time.Since(start)
	if code != 1 || !strings.Contains(out, "built 5 documents") { // 1: the site has errors
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if took > 20*time.Second {
		t.Errorf("the build took %s", took)
	}
	for _, name := range []string{"dashes", "indented", "blockquotes"} {
		if !strings.Contains(out, filepath.Join(src, "bad", name+".md")+map[string]string{"indented": ":101:"}[name]) || !strings.Contains(out, "shown as plain text [too-complex]") {
			t.Errorf("no too-complex error for bad/%s.md:\n%s", name, out)
		}
		page, err := os.ReadFile(filepath.Join(dest, "bad", name, "index.html"))
		if err != nil || !strings.Contains(string(page), "<pre") {
			t.Errorf("bad/%s: not shown as preformatted text (%v)", name, err)
		}
	}
	for _, page := range []string{"plan/phase-1-start/index.html", "index.html", "plan.json"} {
		if _, err := os.Stat(filepath.Join(dest, page)); err != nil {
			t.Errorf("the rest of the site: %v", err)
		}
	}
}
