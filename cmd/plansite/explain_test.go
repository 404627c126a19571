package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/internal/testcorpus"
)

func TestExplain(t *testing.T) {
	src := testcorpus.Testdata(t, "conventions")
	file := filepath.Join(src, ".kiro", "specs", "offline-sync", "tasks.md")
	code, out, errOut := runCLI("explain", "--source", src, file)
	if code != 0 || !strings.Contains(out, "read as kiro") || !strings.Contains(out, `1.2 "Write property tests for the journal" not-started, optional, traces to 1.3`) {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI("explain", "--format", "json", "--source", src, file)
	var rep struct {
		Convention string
		Read       []struct{ Line int }
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Convention != "kiro" || len(rep.Read) < 5 {
		t.Fatalf("json: exit %d %+v\n%s", code, rep, errOut)
	}
	if code, _, errOut := runCLI("explain", "--source", src, filepath.Join(t.TempDir(), "x.md")); code != 2 || !strings.Contains(errOut, "not inside the source") {
		t.Errorf("a file outside the source: exit %d, want 2 (a command-line mistake): %s", code, errOut)
	}
	if code, _, _ := runCLI("explain"); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
}
