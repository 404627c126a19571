package render_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	theme "github.com/plansite/plansite/themes/default"
)

// TestChromeMatchesBase builds each site twice: as it is, where every page
// is written in the chrome made once from the theme's base.html, and with a
// base.html of its own (the theme's, one line longer), executed for each
// page. Every file must be the same, minified or not, the titles and goals
// of a document of hostile text included.
func TestChromeMatchesBase(t *testing.T) {
	base, err := theme.FS.ReadFile("layouts/base.html")
	if err != nil {
		t.Fatal(err)
	}
	hostile := "# Plan <b>\"x\"</b> & 'y' + z\x00 é\n\n**Goal**: <i>ship</i> & \"test\" 'it' + more\n\n## Tasks\n\n- [x] a\n- [ ] b\n"
	for _, s := range siteSources {
		for _, noMinify := range []bool{false, true} {
			t.Run(s.name, func(t *testing.T) {
				src := t.TempDir()
				if err := os.CopyFS(src, os.DirFS(s.src(t))); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(src, "hostile <&>.md"), []byte(hostile), 0o644); err != nil {
					t.Fatal(err)
				}
				chrome := filepath.Join(t.TempDir(), "chrome")
				buildSite(t, src, chrome, noMinify)
				if err := os.MkdirAll(filepath.Join(src, "layouts"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(src, "layouts", "base.html"), append(base, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				each := filepath.Join(t.TempDir(), "each")
				buildSite(t, src, each, noMinify)
				a, b := tree(t, chrome), tree(t, each)
				if len(a) != len(b) {
					t.Fatalf("%d files vs %d", len(a), len(b))
				}
				pages := 0
				for rel, data := range a {
					if !bytes.Equal(data, b[rel]) {
						t.Errorf("%s: the page in the chrome made once differs from base.html executed for it", rel)
					}
					if filepath.Ext(rel) == ".html" {
						pages++
					}
				}
				if pages < 10 {
					t.Errorf("only %d pages compared", pages)
				}
			})
		}
	}
}

// A site's own doc.html that writes the body twice gets it twice.
func TestDocLayoutWritingBodyTwice(t *testing.T) {
	src := t.TempDir()
	for rel, s := range map[string]string{
		"plan/phase-1-start.md": "# Phase 1: Start\n\nThe body's own words.\n",
		"layouts/doc.html":      `{{define "main"}}<main id="main">{{.Data.Body}}<hr>{{.Data.Body}}</main>{{end}}`,
	} {
		p := filepath.Join(src, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "out")
	buildSite(t, src, dest, true)
	page := readFile(t, filepath.Join(dest, "plan", "phase-1-start", "index.html"))
	if n := strings.Count(page, "The body's own words."); n != 2 {
		t.Errorf("the body is on the page %d times, want 2:\n%s", n, page)
	}
}
