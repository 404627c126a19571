package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secret is what a symbolic link in the source points at; it must never
// reach the site, whatever the link's name or place.
const secret = "s3cr3t-token-4f1d9a"

func TestSymlinkOutsideSourceNeverPublished(t *testing.T) {
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{
		"passwd":           "root:x:0:0:" + secret + "\n",
		"dir/phase-1.md":   "# Phase 1\n\n" + secret + "\n",
		"style.css":        "body{--x:'" + secret + "'}\n",
		"inside-target.md": "# Not ours\n",
	})
	src := t.TempDir()
	writeTree(t, src, map[string]string{
		"plan/phase-1-start.md": "# Phase 1: Start\n\n**Status**: In Progress\n\n- [ ] a task\n",
		"notes/real.md":         "# Real notes\n\nshared body\n",
	})
	links := map[string]string{
		"plan/leak.md":        filepath.Join(outside, "passwd"),
		"plan/relative.md":    "../../" + filepath.Base(outside) + "/passwd",
		"external":            filepath.Join(outside, "dir"),
		"static/leak.txt":     filepath.Join(outside, "passwd"),
		"assets/leak.css":     filepath.Join(outside, "style.css"),
		"assets/leak.png":     filepath.Join(outside, "passwd"),
		"layouts/doc.html":    filepath.Join(outside, "passwd"),
		"plansite.toml":       filepath.Join(outside, "passwd"),
		"notes/alias.md":      "real.md",                              // inside, relative: read
		"notes/absolute.md":   filepath.Join(src, "notes", "real.md"), // inside, absolute: read
		"notes/same-dir-link": ".",                                    // a loop, were it followed
	}
	for rel, target := range links {
		p := filepath.Join(src, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	dest := filepath.Join(t.TempDir(), "public")
	code, out, errOut := runBinary(t, src, "build", "--source", src, "--dest", dest, "--no-minify")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, out, errOut)
	}
	assertNoSecret(t, dest)
	if strings.Contains(out+errOut, secret) {
		t.Errorf("the secret is in the build's output:\n%s%s", out, errOut)
	}
	for _, rel := range []string{"plan/leak.md", "plan/relative.md", "external", "static/leak.txt", "assets/leak.css", "plansite.toml"} {
		want := filepath.ToSlash(filepath.Join(src, rel)) + ":1: warning: symbolic link leads outside the source directory; not read [symlink-outside]"
		if !strings.Contains(out, want) {
			t.Errorf("build output lacks %q:\n%s", want, out)
		}
	}
	for _, page := range []string{"notes/alias/index.html", "notes/absolute/index.html", "notes/real/index.html", "plan/phase-1-start/index.html"} {
		b, err := os.ReadFile(filepath.Join(dest, page))
		if err != nil {
			t.Errorf("page of a document inside the tree: %v", err)
		} else if page != "plan/phase-1-start/index.html" && !strings.Contains(string(b), "shared body") {
			t.Errorf("%s does not show the linked document's text", page)
		}
	}

	code, out, errOut = runBinary(t, src, "check", "--source", src, "--format", "github")
	if strings.Contains(out+errOut, secret) {
		t.Errorf("check printed the secret:\n%s%s", out, errOut)
	}
	if !strings.Contains(out, "title=symlink-outside::symbolic link leads outside") {
		t.Errorf("check does not report symlink-outside (exit %d):\n%s%s", code, out, errOut)
	}
}

// assertNoSecret fails when any file under dir holds the secret.
func assertNoSecret(t *testing.T, dir string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), secret) {
			t.Errorf("%s holds the secret", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("only %d files under %s: no site was built", n, dir)
	}
}
