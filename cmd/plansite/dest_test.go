package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/plansite/plansite/site/cache"
)

var smallSite = map[string]string{
	"plan/phase-1-start.md": "# Phase 1: Start\n\n**Status**: In Progress\n\n- [ ] a task\n",
	"README.md":             "# Our plans\n",
}

func TestBuildRefusesDangerousDestinations(t *testing.T) {
	home := t.TempDir()
	src := filepath.Join(home, "repo", "docs")
	writeTree(t, src, smallSite)
	before := listTree(t, home)
	for _, c := range []struct{ dest, why string }{
		{src, "it is the source directory"},
		{".", "it is the source directory"},
		{filepath.Join(home, "repo"), "it holds the source directory"},
		{"..", "it holds the source directory"},
		{"/", "it is the root of the filesystem"},
		{home, "it is your home directory"},
	} {
		cmd := exec.Command(plansiteBinary(t), "build", "--dest", c.dest, "--force")
		cmd.Dir, cmd.Env = src, append(os.Environ(), "HOME="+home)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "refusing to build into "+c.dest+": "+c.why) {
			t.Errorf("build --dest %s: %v\n%s", c.dest, err, out)
		}
	}
	if after := listTree(t, home); after != before {
		t.Errorf("a refused build changed the tree:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestBuildNeverOverwritesSomeonesFiles(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, smallSite)
	dest := filepath.Join(t.TempDir(), "site")
	theirs := map[string]string{"index.html": "<h1>my hand-made home page</h1>", "CNAME": "plans.example.com"}
	writeTree(t, dest, theirs)

	code, out, errOut := runBinary(t, src, "build", "--source", src, "--dest", dest)
	if code != 1 || !strings.Contains(errOut, "plansite did not build it (it holds CNAME, index.html)") || !strings.Contains(errOut, "--force") {
		t.Errorf("first build into someone's directory: exit %d\n%s%s", code, out, errOut)
	}
	assertUnchanged(t, dest, theirs)

	// Into an empty directory it builds. Files added to the site later are
	// theirs: a new page over one is refused.
	os.Remove(filepath.Join(dest, "index.html"))
	os.Remove(filepath.Join(dest, "CNAME"))
	if code, out, errOut := runBinary(t, src, "build", "--source", src, "--dest", dest); code != 0 {
		t.Fatalf("build into an empty directory: exit %d\n%s%s", code, out, errOut)
	}
	writeTree(t, dest, map[string]string{"notes/index.html": "their notes page", "CNAME": "plans.example.com"})
	writeTree(t, src, map[string]string{"notes.md": "# Notes\n"})
	code, out, errOut = runBinary(t, src, "build", "--source", src, "--dest", dest)
	if code != 1 || !strings.Contains(errOut, "would replace 1 file in ") || !strings.Contains(errOut, ": notes/index.html;") {
		t.Errorf("a new page over their file: exit %d\n%s%s", code, out, errOut)
	}
	assertUnchanged(t, dest, map[string]string{"notes/index.html": "their notes page", "CNAME": "plans.example.com"})
	if _, err := os.Stat(filepath.Join(dest, "plan", "phase-1-start", "index.html")); err != nil {
		t.Errorf("the refused build took the old site away: %v", err)
	}

	code, out, errOut = runBinary(t, src, "build", "--source", src, "--dest", dest, "--force")
	if code != 0 {
		t.Fatalf("--force: exit %d\n%s%s", code, out, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "notes", "index.html")); !strings.Contains(string(b), "<h1") || strings.Contains(string(b), "their notes page") {
		t.Error("--force did not replace their file with the page")
	}
	assertUnchanged(t, dest, map[string]string{"CNAME": "plans.example.com"})
}

// A build killed at any moment leaves every page of the old site or every
// page of the new one, and the next build leaves nothing behind.
func TestKilledBuildLeavesOldOrNewSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site a dozen times")
	}
	src := t.TempDir()
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	const docs = 300
	revise := func(rev int) {
		files := map[string]string{}
		for i := range docs {
			files[fmt.Sprintf("plan-%d/phase-%d-step.md", i%10, i)] = fmt.Sprintf(
				"# Phase %d: Step (rev %d)\n\n**Status**: In Progress\n\n## Tasks\n\n- [x] one\n- [ ] two rev %d\n", i, rev, rev)
		}
		writeTree(t, src, files)
	}
	revise(0)
	start := time.Now()
	if code, out, errOut := runBinary(t, src, "build", "--source", src, "--dest", dest); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	full := time.Since(start)
	current := 0
	const kills = 14
	for k := 1; k <= kills; k++ {
		revise(k)
		cmd := exec.Command(plansiteBinary(t), "build", "--source", src, "--dest", dest)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// From the start to past the usual end: reading, rendering, the commit.
		time.Sleep(full * time.Duration(k) / kills)
		cmd.Process.Kill()
		cmd.Wait()
		rev := siteRevision(t, dest, docs)
		if rev != current && rev != k {
			t.Fatalf("kill %d: the site is at rev %d, want %d (old) or %d (new)", k, rev, current, k)
		}
		current = rev
	}
	if code, out, errOut := runBinary(t, src, "build", "--source", src, "--dest", dest); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if rev := siteRevision(t, dest, docs); rev != kills {
		t.Errorf("after a whole build the site is at rev %d, want %d", rev, kills)
	}
	// The build cache and the spare (the last site, which the next build
	// brings up) live beside the site by design; nothing else may.
	var beside []string
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if e.Name() != cache.DirName && e.Name() != ".plansite-spare-public" {
			beside = append(beside, e.Name())
		}
	}
	if len(beside) != 1 {
		t.Errorf("beside the site after a whole build: %v, want public alone", beside)
	}
}

var siteRevRe = regexp.MustCompile(`\(rev (\d+)\)`)

// siteRevision is the one revision every page and plan.json show; it fails
// the test when they disagree.
func siteRevision(t *testing.T, dest string, docs int) int {
	t.Helper()
	revs := map[string]bool{}
	for i := range docs {
		b, err := os.ReadFile(filepath.Join(dest, fmt.Sprintf("plan-%d", i%10), fmt.Sprintf("phase-%d-step", i), "index.html"))
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		m := siteRevRe.FindSubmatch(b)
		if m == nil {
			t.Fatalf("page %d shows no revision", i)
		}
		revs[string(m[1])] = true
	}
	plan, err := os.ReadFile(filepath.Join(dest, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range siteRevRe.FindAllSubmatch(plan, -1) {
		revs[string(m[1])] = true
	}
	if len(revs) != 1 {
		t.Fatalf("the site mixes revisions %v", revs)
	}
	var rev int
	for r := range revs {
		fmt.Sscan(r, &rev)
	}
	return rev
}

func assertUnchanged(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, want := range files {
		if got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel))); err != nil || string(got) != want {
			t.Errorf("their %s: %q, %v; want it byte for byte as it was: %q", rel, got, err, want)
		}
	}
}

// listTree lists every path under dir with its size.
func listTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil {
			fmt.Fprintf(&b, "%s %d\n", p, fi.Size())
		}
		return nil
	})
	return b.String()
}
