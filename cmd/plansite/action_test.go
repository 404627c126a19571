package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/plansite/plansite/internal/testcorpus"
)

// TestActionDeclaresItsInputs reads action.yml as GitHub does: the inputs a
// workflow passes, and the script that runs.
func TestActionDeclaresItsInputs(t *testing.T) {
	var action struct {
		Inputs map[string]struct{ Default string }
		Runs   struct {
			Using string
			Steps []struct {
				Run string
				Env map[string]string
			}
		}
	}
	b, err := os.ReadFile(filepath.Join(testcorpus.Root(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatal(err)
	}
	for name, def := range map[string]string{"source": ".", "dest": "public", "strict": "false"} {
		if in, ok := action.Inputs[name]; !ok || in.Default != def {
			t.Errorf("input %s: declared %v, default %q, want %q", name, ok, in.Default, def)
		}
	}
	found := false
	for _, s := range action.Runs.Steps {
		if strings.Contains(s.Run, ".github/action/run.sh") {
			found = true
			for _, in := range []string{"SOURCE", "DEST", "STRICT"} {
				if !strings.Contains(s.Env["INPUT_"+in], "inputs."+strings.ToLower(in)) {
					t.Errorf("INPUT_%s is not the %s input: %q", in, strings.ToLower(in), s.Env["INPUT_"+in])
				}
			}
		}
	}
	if action.Runs.Using != "composite" || !found {
		t.Errorf("runs %q, script step found %v", action.Runs.Using, found)
	}
}

// runAction runs the action's script as the runner would, with inputs.
func runAction(t *testing.T, plansite string, env ...string) (code int, stdout, stderr, output string) {
	t.Helper()
	root := testcorpus.Root(t)
	out := filepath.Join(t.TempDir(), "github-output")
	cmd := exec.Command("bash", filepath.Join(root, ".github", "action", "run.sh"))
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), append(env, "GITHUB_OUTPUT="+out, "RUNNER_TEMP="+t.TempDir(), "PLANSITE="+plansite)...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	return code, o.String(), e.String(), string(b)
}

func TestActionScript(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	bin := plansiteBinary(t)
	src := tracker(t)
	dest := filepath.Join(t.TempDir(), "site")
	code, stdout, stderr, output := runAction(t, bin, "INPUT_SOURCE="+src, "INPUT_DEST="+dest, "INPUT_STRICT=false")
	if code != 0 || !strings.Contains(stdout, "::warning file="+filepath.ToSlash(filepath.Join(src, "plans/ledger-sync/phase-2-import.md"))+",line=71,title=broken-link::") {
		t.Fatalf("exit %d, want 0 and the broken link as an annotation\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dest, "plans", "ledger-sync", "phase-2-import", "index.html")); err != nil {
		t.Errorf("the site was not built: %v", err)
	}
	if output != "site="+dest+"\n" {
		t.Errorf("GITHUB_OUTPUT = %q", output)
	}

	strictDest := filepath.Join(t.TempDir(), "site")
	code, stdout, _, _ = runAction(t, bin, "INPUT_SOURCE="+src, "INPUT_DEST="+strictDest, "INPUT_STRICT=true")
	if _, err := os.Stat(strictDest); code != 1 || err == nil || !strings.Contains(stdout, "::warning file=") {
		t.Errorf("strict with warnings: exit %d (want 1), site built %v", code, err == nil)
	}
	if code, _, stderr, _ := runAction(t, bin, "INPUT_SOURCE="+src, "INPUT_STRICT=yes"); code != 2 || !strings.Contains(stderr, `strict is "yes"`) {
		t.Errorf("strict=yes: exit %d, want 2\n%s", code, stderr)
	}
	if code, _, _, _ := runAction(t, bin, "INPUT_SOURCE="+filepath.Join(t.TempDir(), "missing")); code != 2 {
		t.Errorf("a missing source: exit %d, want 2", code)
	}
}

// Without PLANSITE the script builds plansite from the action's checkout,
// as it does on a runner.
func TestActionScriptBuildsPlansite(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dest := filepath.Join(t.TempDir(), "site")
	code, stdout, stderr, _ := runAction(t, "", "INPUT_SOURCE="+tracker(t), "INPUT_DEST="+dest)
	if _, err := os.Stat(filepath.Join(dest, "index.html")); code != 0 || err != nil {
		t.Errorf("exit %d, site %v\n%s%s", code, err, stdout, stderr)
	}
}
