package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
)

// The plan in testdata/tracker has three problems, all in its phase 2, and
// each can be read off the document.
const trackerImport = "plans/ledger-sync/phase-2-import.md"

var trackerProblems = []string{
	trackerImport + ":6: warning: completion is declared 75% but 5 of 13 checkboxes are checked (38%) [completion-mismatch]",
	trackerImport + `:27: warning: agent "api-enginer" looks like a typo of "api-engineer" (an agent defined in .claude/agents) [agent-typo]`,
	trackerImport + ":71: warning: broken link to ./ofx-notes.md [broken-link]",
}

// trackerNow is a day after the tracker's last update: nothing is stale.
const trackerNow = "2026-03-21"

func tracker(t *testing.T) string {
	t.Helper()
	return testcorpus.Testdata(t, "tracker")
}

// copyTree copies src into a temporary directory, so a test can change it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestCheckTrackerText(t *testing.T) {
	src := tracker(t)
	code, out, errOut := runCLI("check", "--source", src, "--now", trackerNow)
	if code != 0 {
		t.Fatalf("exit %d, want 0 (warnings only)\n%s", code, errOut)
	}
	var want []string
	for _, p := range trackerProblems {
		want = append(want, filepath.ToSlash(filepath.Join(src, p)))
	}
	if got := strings.TrimSpace(out); got != strings.Join(want, "\n") {
		t.Errorf("report:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if !strings.Contains(errOut, "3 problems (0 errors, 3 warnings)") {
		t.Errorf("summary: %q", errOut)
	}
	if code, out2, _ := runCLI("check", src, "--strict", "--now", trackerNow); code != 1 || out2 != out {
		t.Errorf("check DIR --strict: exit %d, want 1 and the same report", code)
	}
}

func TestCheckTrackerJSONAndGitHub(t *testing.T) {
	src := tracker(t)
	code, out, _ := runCLI("check", "--source", src, "--format", "json", "--now", trackerNow)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	rep := jsonReport(t, out)
	var got []string
	for _, p := range rep.Problems {
		got = append(got, p.Source+":"+strconv.Itoa(p.Line)+": "+p.Severity+": "+p.Message+" ["+p.Code+"]")
	}
	if strings.Join(got, "\n") != strings.Join(trackerProblems, "\n") || rep.Errors != 0 || rep.Warnings != 3 {
		t.Errorf("json report:\n%s\n%d errors, %d warnings", strings.Join(got, "\n"), rep.Errors, rep.Warnings)
	}

	_, out, _ = runCLI("check", "--source", src, "--format", "github", "--now", trackerNow)
	want := "::warning file=" + filepath.ToSlash(filepath.Join(src, trackerImport)) +
		",line=6,title=completion-mismatch::completion is declared 75%25 but 5 of 13 checkboxes are checked (38%25)"
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || lines[0] != want {
		t.Errorf("github report:\n%s\nwant first line:\n%s", out, want)
	}
}

func TestCheckRulesFromConfig(t *testing.T) {
	dir := copyTree(t, tracker(t))
	toml := filepath.Join(dir, "plansite.toml")
	write := func(s string) {
		if err := os.WriteFile(toml, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	write("[check.rules]\nbroken-link = \"off\"\n")
	code, out, _ := runCLI("check", "--source", dir, "--now", trackerNow)
	if code != 0 || strings.Contains(out, "broken-link") || !strings.Contains(out, "[completion-mismatch]") {
		t.Errorf("broken-link off: exit %d\n%s", code, out)
	}

	write("[check.rules]\nbroken-link = \"error\"\n")
	code, out, _ = runCLI("check", "--source", dir, "--now", trackerNow)
	if code != 1 || !strings.Contains(out, trackerImport+":71: error: broken link to ./ofx-notes.md [broken-link]") {
		t.Errorf("broken-link error: exit %d, want 1\n%s", code, out)
	}

	write("[check]\nstale_days = 3650\n[check.rules]\nbroken-links = \"off\"\n")
	code, _, errOut := runCLI("check", "--source", dir)
	if code != 2 || !strings.Contains(errOut, "plansite.toml") || !strings.Contains(errOut, `"broken-links"`) {
		t.Errorf("unknown rule: exit %d, want 2: %s", code, errOut)
	}
}

func TestBuildTracker(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	code, out, errOut := runCLI("build", "--source", tracker(t), "--dest", dest)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "built 8 documents") {
		t.Errorf("build output:\n%s", out)
	}
	for _, rel := range []string{"index.html", "plan.json", "plans/ledger-sync/phase-2-import/index.html"} {
		if _, err := os.Stat(filepath.Join(dest, rel)); err != nil {
			t.Error(err)
		}
	}
}
