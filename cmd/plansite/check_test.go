package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
)

// The Bootstrap Plan link of this tracker points at a file that moved.
const (
	brokenDoc  = ".claude/progress/phase-2-infrastructure-preservation-progress.md"
	brokenLine = 661
	brokenMsg  = "broken link to ../../docs/project_plans/bootstrap-from-meatyprompts/bootstrap-from-meatyprompts.md"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestCheckCorpusText(t *testing.T) {
	src := testcorpus.MeatyMusic(t)
	code, out, errOut := runCLI("check", "--source", src, "--now", "2025-11-21")
	if code != 0 {
		t.Fatalf("exit %d, want 0 (warnings only)\n%s", code, errOut)
	}
	want := filepath.ToSlash(filepath.Join(src, brokenDoc)) + ":661: warning: " + brokenMsg
	if !strings.Contains(out, want) {
		t.Errorf("missing %q in\n%s", want, out)
	}
	if !strings.Contains(errOut, "0 errors") {
		t.Errorf("summary: %q", errOut)
	}
	if code, _, _ := runCLI("check", "--source", src, "--strict"); code != 1 {
		t.Errorf("--strict: exit %d, want 1", code)
	}
	if code, out2, _ := runCLI("check", src, "--strict", "--now", "2025-11-21"); code != 1 || out2 != out {
		t.Errorf("check DIR --strict: exit %d, want 1 and the same report", code)
	}
}

func TestCheckCorpusJSON(t *testing.T) {
	src := testcorpus.MeatyMusic(t)
	code, out, _ := runCLI("check", "--source", src, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	rep := jsonReport(t, out)
	found := false
	for _, p := range rep.Problems {
		if p.Source == brokenDoc && p.Line == brokenLine && p.Code == "broken-link" && strings.HasPrefix(p.Message, brokenMsg) {
			found = true
		}
	}
	if !found || rep.Errors != 0 || rep.Warnings != len(rep.Problems) {
		t.Errorf("found %v, %d errors, %d warnings of %d problems", found, rep.Errors, rep.Warnings, len(rep.Problems))
	}
}

// report is check's --format json output.
type report struct {
	Problems []struct {
		Path, Source, Severity, Code, Message string
		Line                                  int
	}
	Errors, Warnings int
}

func jsonReport(t *testing.T, out string) report {
	t.Helper()
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestCheckCorpusGitHub(t *testing.T) {
	src := testcorpus.MeatyMusic(t)
	_, out, _ := runCLI("check", "--source", src, "--format", "github")
	want := "::warning file=" + filepath.ToSlash(filepath.Join(src, brokenDoc)) + ",line=661,title=broken-link::" + brokenMsg
	if !strings.Contains(out, want) {
		t.Errorf("missing %q in\n%s", want, out)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(l, "::warning file=") {
			t.Errorf("not a workflow command: %q", l)
		}
	}
}

func TestCheckUsage(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--format", "xml", "--source", "."},
		{"check", "--no-such-flag"},
		{"check", "--source", filepath.Join(t.TempDir(), "missing")},
		{"check", "--now", "yesterday", "--source", t.TempDir()},
		{"check", t.TempDir(), t.TempDir()},
	} {
		if code, _, _ := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, out, _ := runCLI("check", "--source", t.TempDir()); code != 0 || out != "" {
		t.Errorf("empty tree: exit %d, output %q", code, out)
	}
}
