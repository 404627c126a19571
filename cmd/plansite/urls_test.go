package main

import (
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var hrefRe = regexp.MustCompile(`(?:href|src)="(/[^"]*)"`)
var locRe = regexp.MustCompile(`<loc>([^<]*)</loc>`)

// File names with #, ?, % and spaces: every link plansite writes to their
// pages reaches them, and the sitemap holds only escaped URLs.
func TestOddFileNamesGetWorkingLinks(t *testing.T) {
	src := t.TempDir()
	names := []string{"hash#tag", "what?", "100%", "with space", "tab\tname", "ünïcode", "a&b", "plus+sign"}
	files := map[string]string{"README.md": "# Plans\n\n"}
	for _, n := range names {
		files["plan/"+n+".md"] = "# Phase 1: " + n + "\n\n**Status**: In Progress\n\n- [ ] task\n"
		files["README.md"] += "- [" + n + "](plan/" + url.PathEscape(n) + ".md)\n"
	}
	writeTree(t, src, files)
	dest := filepath.Join(t.TempDir(), "public")
	if code, out, errOut := runBinary(t, src, "build", "--source", src, "--dest", dest, "--base-url", "https://example.com/"); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	reached := map[string]bool{}
	checked := 0
	filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, m := range hrefRe.FindAllStringSubmatch(string(b), -1) {
			u, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil {
				t.Errorf("%s: bad URL %q", p, m[1])
				continue
			}
			target := filepath.Join(dest, filepath.FromSlash(u.Path))
			if strings.HasSuffix(u.Path, "/") {
				target = filepath.Join(target, "index.html")
			}
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s links to %q, which is not there (%s)", strings.TrimPrefix(p, dest), m[1], u.Path)
				continue
			}
			reached[u.Path] = true
			checked++
		}
		return nil
	})
	for _, n := range names {
		if !reached["/plan/"+n+"/"] {
			t.Errorf("no link reaches the page of plan/%s.md", n)
		}
	}
	sitemap, err := os.ReadFile(filepath.Join(dest, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	locs := locRe.FindAllStringSubmatch(string(sitemap), -1)
	for _, m := range locs {
		if strings.ContainsAny(m[1], " \t\n#?") {
			t.Errorf("sitemap: %q is not escaped", m[1])
		}
		u, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil {
			t.Errorf("sitemap: bad URL %q", m[1])
			continue
		}
		if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(u.Path), "index.html")); err != nil && !strings.HasSuffix(u.Path, ".html") {
			t.Errorf("sitemap: %s is not there", m[1])
		}
	}
	if len(locs) < len(names) || checked < 3*len(names) {
		t.Errorf("%d sitemap entries and %d links checked: too few", len(locs), checked)
	}
}
