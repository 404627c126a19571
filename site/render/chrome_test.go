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
				files := sameSites(t, chrome, each, "the page in the chrome made once differs from base.html executed for it")
				if pages := holding(files, "</html>"); pages < 10 {
					t.Errorf("only %d pages compared", pages)
				}
			})
		}
	}
}

// sameSites reports every file of site got that differs from the same
// file of site want (why says what differs), and returns got's files.
func sameSites(t *testing.T, got, want, why string) map[string][]byte {
	t.Helper()
	a, b := tree(t, got), tree(t, want)
	if len(a) != len(b) {
		t.Fatalf("%d files vs %d", len(a), len(b))
	}
	for rel, data := range a {
		if !bytes.Equal(data, b[rel]) {
			t.Errorf("%s: %s\n%s", rel, why, firstDifference(data, b[rel]))
		}
	}
	return a
}

// holding is how many of files hold text.
func holding(files map[string][]byte, text string) int {
	n := 0
	for _, data := range files {
		if bytes.Contains(data, []byte(text)) {
			n++
		}
	}
	return n
}

// firstDifference shows where two pages part.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(i-80, 0)
	return " got: …" + string(a[from:min(i+80, len(a))]) + "\nwant: …" + string(b[from:min(i+80, len(b))])
}

// A site's own doc.html that writes the body twice gets it twice.
func TestDocLayoutWritingBodyTwice(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, map[string]string{
		"plan/phase-1-start.md": "# Phase 1: Start\n\nThe body's own words.\n",
		"layouts/doc.html":      `{{define "main"}}<main id="main">{{.Data.Body}}<hr>{{.Data.Body}}</main>{{end}}`,
	})
	dest := filepath.Join(t.TempDir(), "out")
	buildSite(t, src, dest, true)
	page := readFile(t, filepath.Join(dest, "plan", "phase-1-start", "index.html"))
	if n := strings.Count(page, "The body's own words."); n != 2 {
		t.Errorf("the body is on the page %d times, want 2:\n%s", n, page)
	}
}

// A site's own partials.html gives the status and completion every page
// prints, though plansite prints each distinct one once.
func TestPartialsOverride(t *testing.T) {
	own, err := theme.FS.ReadFile("layouts/partials.html")
	if err != nil {
		t.Fatal(err)
	}
	partials := strings.Replace(string(own), `{{define "completion"}}`, `{{define "completion"}}<p class="my-completion">{{.Done}} of {{.Total}}</p>{{end}}{{define "theme-completion"}}`, 1)
	partials = strings.Replace(partials, `{{define "status"}}`, `{{define "status"}}<b class="my-status">{{.}}</b>{{end}}{{define "theme-status"}}`, 1)
	src := t.TempDir()
	writeFiles(t, src, map[string]string{
		"plan/phase-1-start.md": "# Phase 1: Start\n\n**Status**: In Progress\n\n- [x] one\n- [ ] two\n",
		"plan/phase-2-next.md":  "# Phase 2: Next\n\n**Status**: In Progress\n\n- [x] one\n- [ ] two\n- [ ] three\n",
		"layouts/partials.html": partials,
	})
	dest := filepath.Join(t.TempDir(), "out")
	buildSite(t, src, dest, true)
	for rel, want := range map[string][]string{
		"plan/phase-1-start/index.html": {`<p class="my-completion">1 of 2</p>`, `<b class="my-status">in-progress</b>`},
		"plan/phase-2-next/index.html":  {`<p class="my-completion">1 of 3</p>`, `<b class="my-status">in-progress</b>`},
		"index.html":                    {`<p class="my-completion">1 of 2</p>`, `<p class="my-completion">1 of 3</p>`},
	} {
		page := readFile(t, filepath.Join(dest, filepath.FromSlash(rel)))
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks the site's own partial: %s", rel, w)
			}
		}
	}
}

// writeFiles writes files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, s := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
