package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fastLine is what --verbose prints when a build found nothing to do.
const fastLine = "nothing changed since the last build"

// builtIn is the summary's time and work, which differ from the first
// build to a rebuild.
var builtIn = regexp.MustCompile(` in [^;]*;[^)]*\); `)

// nothingDone is the work a rebuild with nothing changed reports.
var nothingDone = regexp.MustCompile(`\(0 written, [1-9][0-9]* unchanged, 0 removed; 0 documents parsed, 0 pages rendered\)`)

// destFile is a file of a built site as a user sees it.
type destFile struct {
	data  []byte
	mtime time.Time
}

func destFiles(t *testing.T, dir string) map[string]destFile {
	t.Helper()
	out := map[string]destFile{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = destFile{b, fi.ModTime()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameBytes fails unless the two sites hold the same files with the same
// bytes.
func sameBytes(t *testing.T, step string, got, want map[string]destFile) {
	t.Helper()
	for rel, w := range want {
		if g, ok := got[rel]; !ok || !bytes.Equal(g.data, w.data) {
			t.Errorf("%s: %s differs from a cold build's (present %v)", step, rel, ok)
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			t.Errorf("%s: %s is not in a cold build", step, rel)
		}
	}
}

// TestRebuildNothingChanged builds a site with an error-level problem
// twice: the second build says the same, exits the same and leaves every
// file as it was; any change of input (a source, a new file, the
// configuration, a theme override, a flag) or a destination edited by hand
// builds again, to what a cold build makes.
func TestRebuildNothingChanged(t *testing.T) {
	src := copyTree(t, tracker(t))
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(src, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := "[check.rules]\nbroken-link = \"error\"\n"
	write("plansite.toml", config)
	dest := filepath.Join(t.TempDir(), "public")
	build := func(extra ...string) (int, string) {
		t.Helper()
		code, out, errOut := runCLI(append([]string{"build", src, "-d", dest}, extra...)...)
		if errOut != "" {
			t.Errorf("build %v: stderr %q", extra, errOut)
		}
		return code, out
	}
	cold := func(extra ...string) map[string]destFile {
		t.Helper()
		d := filepath.Join(t.TempDir(), "cold")
		runCLI(append([]string{"build", src, "-d", d, "--no-cache"}, extra...)...)
		return destFiles(t, d)
	}

	code1, out1 := build()
	before := destFiles(t, dest)
	code2, out2 := build()
	if code1 != 1 || code2 != 1 {
		t.Errorf("exit %d, then %d with nothing changed; want 1 both times", code1, code2)
	}
	if a, b := builtIn.ReplaceAllString(out1, " in T; "), builtIn.ReplaceAllString(out2, " in T; "); a != b || !strings.Contains(a, "[broken-link]") ||
		!nothingDone.MatchString(out2) {
		t.Errorf("the rebuild printed\n%s\nthe build\n%s", b, a)
	}
	after := destFiles(t, dest)
	for rel, f := range before {
		if g, ok := after[rel]; !ok || !g.mtime.Equal(f.mtime) || !bytes.Equal(g.data, f.data) {
			t.Errorf("nothing changed, yet %s was touched", rel)
		}
	}
	if len(after) != len(before) {
		t.Errorf("nothing changed: %d files, were %d", len(after), len(before))
	}
	if _, out := build("--verbose"); !strings.Contains(out, fastLine) {
		t.Errorf("nothing changed, yet --verbose does not say so:\n%s", out)
	}

	doc := "plans/ledger-sync/phase-2-import.md"
	raw, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(doc)))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		change func()
		flags  []string
	}{
		{"source edit", func() { write(doc, string(raw)+"\nOne more line.\n") }, nil},
		{"new file", func() { write("plans/notes.md", "# Notes\n\nSee [gone](./gone.md).\n") }, nil},
		{"configuration", func() { write("plansite.toml", "title = \"Tracker\"\n"+config) }, nil},
		{"theme override", func() { write("static/extra.txt", "served as is\n") }, nil},
		{"layout override", func() {
			b, err := os.ReadFile("../../themes/default/layouts/404.html")
			if err != nil {
				t.Fatal(err)
			}
			write("layouts/404.html", string(b)+"<!-- ours -->\n")
		}, nil},
		{"flag", func() {}, []string{"-b", "https://plans.example.com/"}},
		{"same flag again", func() {}, []string{"-b", "https://plans.example.com/"}},
	}
	for _, st := range steps {
		st.change()
		code, out := build(append([]string{"--verbose"}, st.flags...)...)
		if fast := strings.Contains(out, fastLine); fast != (st.name == "same flag again") {
			t.Errorf("%s: fast path %v\n%s", st.name, fast, out)
		}
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", st.name, code)
		}
		sameBytes(t, st.name, destFiles(t, dest), cold(st.flags...))
	}

	// A page edited by hand: built again, as without the fast path.
	flags := []string{"-b", "https://plans.example.com/"}
	if err := os.WriteFile(filepath.Join(dest, "index.html"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := build(append([]string{"--verbose"}, flags...)...)
	if strings.Contains(out, fastLine) || code != 1 {
		t.Errorf("index.html edited by hand: exit %d\n%s", code, out)
	}
	sameBytes(t, "edited by hand", destFiles(t, dest), cold(flags...))
}
