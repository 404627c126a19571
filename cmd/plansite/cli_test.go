package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var commands = []string{"build", "serve", "check", "explain", "new", "new phase", "new plan", "version", "completion"}

func TestHelpExitsZero(t *testing.T) {
	for _, c := range commands {
		words := strings.Fields(c)
		for _, args := range [][]string{append(words, "-h"), append(words, "--help"), append([]string{"help"}, words...)} {
			code, out, errOut := runCLI(args...)
			if code != 0 || !strings.Contains(out, "Usage:\n  plansite "+c) || errOut != "" {
				t.Errorf("%v: exit %d, want 0 and the usage on stdout\nstdout: %.200s\nstderr: %s", args, code, out, errOut)
			}
		}
	}
	if code, out, _ := runCLI(); code != 0 || !strings.Contains(out, "Available Commands:") {
		t.Errorf("plansite alone: exit %d\n%s", code, out)
	}
}

func TestCompletion(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash": "bash completion V2 for plansite", "zsh": "#compdef plansite",
		"fish": "complete -c plansite", "powershell": "Register-ArgumentCompleter",
	} {
		code, out, errOut := runCLI("completion", shell)
		if code != 0 || !strings.Contains(out, marker) {
			t.Errorf("completion %s: exit %d, want the script (%q)\n%s", shell, code, marker, errOut)
		}
	}
	// The shell asks plansite itself what may follow: the formats of --format.
	code, out, _ := runCLI("__complete", "check", "--format", "")
	if code != 0 || !strings.HasPrefix(out, "text\njson\ngithub\n") {
		t.Errorf("completing --format: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI("completion", "tcsh"); code != 2 {
		t.Errorf("completion tcsh: exit %d, want 2", code)
	}
}

func TestDidYouMean(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"biuld"}, "Did you mean this?\n\tbuild"},
		{[]string{"chekc", "."}, "Did you mean this?\n\tcheck"},
		{[]string{"build", "--dset", "x"}, "unknown flag: --dset (did you mean --dest?)"},
		{[]string{"check", "--strcit"}, "unknown flag: --strcit (did you mean --strict?)"},
		{[]string{"new", "phsae", "x"}, `unknown kind "phsae": new phase NAME, or new plan NAME (did you mean phase?)`},
	} {
		code, _, errOut := runCLI(c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) || !strings.Contains(errOut, "--help' for usage") {
			t.Errorf("%v: exit %d, want 2 and %q\n%s", c.args, code, c.want, errOut)
		}
	}
}

func TestHugoFlags(t *testing.T) {
	src := tracker(t)
	for _, args := range [][]string{
		{"build", "-s", src, "-d", "DEST", "-b", "https://plans.example.com/team/"},
		{"build", "--source", src, "--destination", "DEST", "--baseURL", "https://plans.example.com/team/"},
		{"build", src, "--dest", "DEST", "--base-url", "https://plans.example.com/team/"},
	} {
		dest := filepath.Join(t.TempDir(), "public")
		for i := range args {
			if args[i] == "DEST" {
				args[i] = dest
			}
		}
		code, out, errOut := runCLI(args...)
		if code != 0 || !strings.Contains(out, "built 8 documents") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
			continue
		}
		page, err := os.ReadFile(filepath.Join(dest, "index.html"))
		if err != nil {
			t.Error(err)
			continue
		}
		if !strings.Contains(string(page), `href="/team/plans/ledger-sync/phase-2-import/"`) {
			t.Errorf("%v: the front page does not link under the base URL's path", args)
		}
	}
}

func TestPositionalSource(t *testing.T) {
	src := tracker(t)
	dest := filepath.Join(t.TempDir(), "public")
	if code, out, errOut := runCLI("build", src, "-d", dest); code != 0 || !strings.Contains(out, "built 8 documents") {
		t.Fatalf("build DIR: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dest, "plans", "ledger-sync", "phase-2-import", "index.html")); err != nil {
		t.Errorf("build DIR did not build DIR: %v", err)
	}
	for _, args := range [][]string{
		{"build", src, t.TempDir()},
		{"build", src, "--source", t.TempDir()},
		{"serve", src, t.TempDir()},
		{"check", src, t.TempDir()},
	} {
		if code, _, errOut := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errOut)
		}
	}
}

// TestExitCodes holds every command to one rule: 0 ok, 1 problems at the
// failing level (or a command that could not finish), 2 a command-line
// mistake or a source that cannot be read.
func TestExitCodes(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	file := filepath.Join(t.TempDir(), "plan.md")
	if err := os.WriteFile(file, []byte("# Plan\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badConfig := t.TempDir()
	if err := os.WriteFile(filepath.Join(badConfig, "plansite.toml"), []byte("title = \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	errorLevel := copyTree(t, tracker(t))
	if err := os.WriteFile(filepath.Join(errorLevel, "plansite.toml"), []byte("[check.rules]\nbroken-link = \"error\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := func() string { return filepath.Join(t.TempDir(), "public") }
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"build", tracker(t), "-d", dest()}, 0},
		{[]string{"check", tracker(t), "--now", trackerNow}, 0},
		{[]string{"version"}, 0},
		{[]string{"check", tracker(t), "--now", trackerNow, "--strict"}, 1},
		{[]string{"check", errorLevel, "--now", trackerNow}, 1},
		{[]string{"build", errorLevel, "-d", dest()}, 1},
		{[]string{"new", "phase", "--dir", missing, "x"}, 1},
		{[]string{"build", "--no-such-flag"}, 2},
		{[]string{"check", "--format", "xml", tracker(t)}, 2},
		{[]string{"version", "extra"}, 2},
		{[]string{"new"}, 2},
		{[]string{"new", "plan"}, 2},
		{[]string{"build", "-q", "--verbose", tracker(t)}, 2},
	} {
		if code, out, errOut := runCLI(c.args...); code != c.want {
			t.Errorf("%v: exit %d, want %d\n%s%s", c.args, code, c.want, out, errOut)
		}
	}
	for _, cmd := range []string{"build", "serve", "check", "new plan x"} {
		for _, src := range []string{missing, file, badConfig} {
			args := append(strings.Fields(cmd), "--source", src, "-d", dest())
			if cmd != "build" {
				args = args[:len(args)-2]
			}
			code, _, errOut := runCLI(args...)
			if code != 2 || !strings.Contains(errOut, filepath.Base(src)) {
				t.Errorf("%v: exit %d, want 2 and a message naming the source\n%s", args, code, errOut)
			}
		}
	}
	// A build whose problems fail it still writes the site.
	d := dest()
	code, out, _ := runCLI("build", errorLevel, "-d", d)
	if _, err := os.Stat(filepath.Join(d, "index.html")); code != 1 || err != nil ||
		!strings.Contains(out, ":71: error: broken link to ./ofx-notes.md [broken-link]") {
		t.Errorf("build with an error-level problem: exit %d, site %v\n%s", code, err, out)
	}
}

// manyProblems writes a plan with n broken links and one completion mismatch.
func manyProblems(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("# Phase 1: Start\n\n**Status**: In Progress\n**Completion**: 90%\n\n- [x] one\n- [ ] two\n\n")
	for i := range n {
		fmt.Fprintf(&b, "See [note %d](./missing-%d.md).\n\n", i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "phase-1-start.md"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestBuildOutput(t *testing.T) {
	src := manyProblems(t, 30)
	code, out, _ := runCLI("build", src, "-d", filepath.Join(t.TempDir(), "p"))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != shownProblems+3 {
		t.Fatalf("exit %d, %d lines, want %d problems and three lines more:\n%s", code, len(lines), shownProblems, out)
	}
	want := filepath.ToSlash(src) + "/phase-1-start.md:4: warning: completion is declared 90% but 1 of 2 checkboxes are checked (50%) [completion-mismatch]"
	if lines[0] != want {
		t.Errorf("first line:\n%s\nwant:\n%s", lines[0], want)
	}
	for _, l := range lines[1:shownProblems] {
		if !strings.HasSuffix(l, "[broken-link]") {
			t.Errorf("problem line without its rule: %s", l)
		}
	}
	if lines[shownProblems] != "… and 21 more (--verbose prints them all)" ||
		lines[shownProblems+1] != "problems by rule: 30 broken-link, 1 completion-mismatch" ||
		!strings.HasPrefix(lines[shownProblems+2], "built 1 document, ") ||
		!strings.HasSuffix(lines[shownProblems+2], "; 31 problems (0 errors, 31 warnings)") {
		t.Errorf("summary:\n%s", strings.Join(lines[shownProblems:], "\n"))
	}

	_, out, _ = runCLI("build", src, "-d", filepath.Join(t.TempDir(), "p"), "--verbose")
	if n := strings.Count(out, "[broken-link]\n"); n != 30 || strings.Contains(out, "more (--verbose") {
		t.Errorf("--verbose: %d broken links printed, want 30\n%s", n, out)
	}
	if code, out, errOut := runCLI("build", src, "-d", filepath.Join(t.TempDir(), "p"), "-q"); code != 0 || out != "" || errOut != "" {
		t.Errorf("--quiet with warnings only: exit %d, printed %q %q", code, out, errOut)
	}

	one := manyProblems(t, 1)
	_, out, _ = runCLI("build", one, "-d", filepath.Join(t.TempDir(), "p"))
	if !strings.Contains(out, "problems by rule: 1 broken-link, 1 completion-mismatch\nbuilt 1 document, ") {
		t.Errorf("two problems:\n%s", out)
	}
	if err := os.WriteFile(filepath.Join(one, "phase-1-start.md"), []byte("# Phase 1\n\nSee [x](./gone.md).\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ = runCLI("build", one, "-d", filepath.Join(t.TempDir(), "p"))
	if !strings.HasSuffix(strings.TrimSpace(out), "; 1 problem (0 errors, 1 warning)") {
		t.Errorf("one problem:\n%s", out)
	}
	if code, _, errOut := runCLI("check", one); code != 0 || errOut != "1 problem (0 errors, 1 warning)\n" {
		t.Errorf("check, one problem: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI("check", one, "-q"); code != 0 || errOut != "" {
		t.Errorf("check --quiet: exit %d, %q", code, errOut)
	}
}

// syncBuffer is a buffer a running server and the test can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeOpenPortAndDir(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	a := newApp(&out, &errOut)
	a.ctx = ctx
	opened := make(chan string, 1)
	a.openURL = func(url string) error { opened <- url; return nil }
	done := make(chan int, 1)
	go func() { done <- a.run([]string{"serve", tracker(t), "-p", "0", "--open"}) }()
	var url string
	select {
	case url = <-opened:
	case code := <-done:
		t.Fatalf("serve ended with %d before it served\n%s%s", code, out.String(), errOut.String())
	case <-time.After(30 * time.Second):
		t.Fatal("--open never opened the site")
	}
	resp, err := http.Get(url + "plans/ledger-sync/phase-2-import/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Phase 2: Import") {
		t.Errorf("%s: %d, the served site is not the DIR given", url, resp.StatusCode)
	}
	if !strings.Contains(out.String(), "serving "+filepath.Clean(tracker(t))+" at "+url) {
		t.Errorf("serve output:\n%s", out.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve stopped with %d, want 0", code)
	}
}

func TestConfigFoundOrGiven(t *testing.T) {
	top := t.TempDir()
	src := filepath.Join(top, "docs", "plans")
	for p, s := range map[string]string{
		".git/HEAD":                      "ref: refs/heads/main\n",
		"plansite.toml":                  "title = \"Repository plans\"\nexclude = [\"drafts/**\"]\n",
		"docs/plans/phase-1-start.md":    "# Phase 1: Start\n\n**Status**: In Progress\n",
		"docs/plans/drafts/phase-9.md":   "# Phase 9: Someday\n",
		"elsewhere/plansite.toml":        "title = \"Given with --config\"\n",
		"elsewhere/bad/plansite.toml":    "exclude = [\"[bad\"]\n",
		"elsewhere/nobase/plansite.toml": "base_url = \"plans.example.com\"\n",
	} {
		p = filepath.Join(top, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "public")
	code, out, errOut := runCLI("build", src, "-d", dest)
	if code != 0 || !strings.Contains(out, "built 1 document,") {
		t.Fatalf("the repository root's plansite.toml (exclude drafts/**): exit %d\n%s%s", code, out, errOut)
	}
	if page, _ := os.ReadFile(filepath.Join(dest, "index.html")); !strings.Contains(string(page), "Repository plans") {
		t.Error("the site does not carry the repository root's title")
	}
	code, out, errOut = runCLI("build", src, "-d", dest, "--config", filepath.Join(top, "elsewhere", "plansite.toml"))
	if page, _ := os.ReadFile(filepath.Join(dest, "index.html")); code != 0 || !strings.Contains(string(page), "Given with --config") ||
		!strings.Contains(out, "built 2 documents,") {
		t.Errorf("--config: exit %d, the site does not follow the file given\n%s%s", code, out, errOut)
	}
	for _, bad := range []string{"bad", "nobase"} {
		file := filepath.Join(top, "elsewhere", bad, "plansite.toml")
		for _, cmd := range []string{"build", "check", "serve"} {
			if code, _, errOut := runCLI(cmd, src, "--config", file); code != 2 || !strings.Contains(errOut, file) {
				t.Errorf("%s --config %s: exit %d, want 2 naming the file\n%s", cmd, bad, code, errOut)
			}
		}
	}
}
