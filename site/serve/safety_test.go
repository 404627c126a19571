package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A symbolic link that leads outside the source is never read by serve:
// neither when the site loads nor when the link appears while serving.
func TestSymlinkOutsideNeverServed(t *testing.T) {
	const secret = "s3cr3t-token-77c0"
	outside := writeTree(t, map[string]string{"passwd": "root:" + secret + "\n", "dir/x.md": "# X\n\n" + secret + "\n"})
	dir := writeTree(t, smallPlan)
	link := func(target, rel string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	link(filepath.Join(outside, "passwd"), "plan/leak.md")
	link(filepath.Join(outside, "passwd"), "static/leak.txt")
	s, pages := loadSite(t, dir)
	if !strings.Contains(page(t, pages, "problems/index.html"), "symbolic link leads outside the source directory") {
		t.Error("the problems page does not report the link plan/leak.md")
	}
	// While serving: a new link to a file, one to a directory.
	link(filepath.Join(outside, "passwd"), "plan/later.md")
	link(filepath.Join(outside, "dir"), "external")
	if _, err := s.Apply([]string{"plan/later.md", "external"}); err != nil {
		t.Fatal(err)
	}
	for _, rel := range pages.List() {
		b, _, _ := pages.Get(rel)
		if strings.Contains(string(b), secret) {
			t.Errorf("%s holds the secret", rel)
		}
	}
	if pages.Has("plan/leak/index.html") || pages.Has("plan/later/index.html") || pages.Has("external/x/index.html") {
		t.Errorf("a page was made from a link outside the source: %v", pages.List())
	}
}

// A changed file's name is printed escaped: one line, whatever it holds.
func TestDescribeIsOneLine(t *testing.T) {
	line := Describe(&Change{Sources: []string{"a\n::error ::x.md"}, Errors: []string{"b\r\x1b[2J.md:1: bad"}}, nil)
	if strings.ContainsAny(line, "\n\r\x1b") || !strings.Contains(line, `a\n::error ::x.md`) {
		t.Errorf("Describe: %q", line)
	}
}

// Two documents with one page: serve publishes the same winner as build.
func TestCollidingPagesServeTheWinner(t *testing.T) {
	dir := writeTree(t, map[string]string{"dir/README.md": "# Readme wins\n", "dir/index.md": "# Index loses\n", "a.md": "# A\n"})
	s, pages := loadSite(t, dir)
	if p := page(t, pages, "dir/index.html"); !strings.Contains(p, "Readme wins") || strings.Contains(p, "Index loses") {
		t.Errorf("dir/ shows the wrong document")
	}
	write(t, dir, "dir/index.md", "# Index loses still\n")
	if _, err := s.Apply([]string{"dir/index.md"}); err != nil {
		t.Fatal(err)
	}
	if p := page(t, pages, "dir/index.html"); !strings.Contains(p, "Readme wins") || strings.Contains(p, "loses") {
		t.Errorf("after an edit of the losing document, dir/ shows it")
	}
	if !strings.Contains(page(t, pages, "problems/index.html"), "output-collision") {
		t.Error("the problems page does not report the collision")
	}
}
