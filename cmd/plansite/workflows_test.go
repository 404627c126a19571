package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/plansite/plansite/internal/testcorpus"
)

var exprRe = regexp.MustCompile(`\$\{\{[^}]*\}\}`)

type workflow struct {
	Jobs map[string]struct {
		Steps []struct {
			Run  string
			Uses string
			With map[string]string
		}
	}
}

// plansiteCommands returns the plansite command lines a workflow runs, as
// argument lists after "plansite" (or "go run ./cmd/plansite").
func plansiteCommands(t *testing.T, text string) [][]string {
	t.Helper()
	var wf workflow
	if err := yaml.Unmarshal([]byte(text), &wf); err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			for _, line := range strings.Split(s.Run, "\n") {
				// A workflow expression stands for a value: the Pages URL.
				line = exprRe.ReplaceAllString(strings.TrimSpace(line), "https://example.github.io/repo")
				for _, prefix := range []string{"go run ./cmd/plansite ", "plansite "} {
					if strings.HasPrefix(line, prefix) {
						out = append(out, words(strings.TrimPrefix(line, prefix), nil))
					}
				}
			}
		}
	}
	return out
}

// runsWithRealFlags runs each check and build command on the repository's
// content, the build into a temporary directory.
func runsWithRealFlags(t *testing.T, name string, cmds [][]string, want ...string) {
	t.Helper()
	root := testcorpus.Root(t)
	seen := map[string]bool{}
	for _, args := range cmds {
		seen[args[0]] = true
		for i := range args {
			switch {
			case i > 0 && args[i-1] == "--source":
				args[i] = filepath.Join(root, "content")
			case i > 0 && args[i-1] == "--dest":
				args[i] = filepath.Join(t.TempDir(), "public")
			}
		}
		if args[0] != "check" && args[0] != "build" {
			continue
		}
		t.Logf("%s: plansite %s", name, strings.Join(args, " "))
		if code, out, errOut := runCLI(args...); code != 0 {
			t.Errorf("%s: plansite %v: exit %d\n%s%s", name, args, code, out, errOut)
		}
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("%s runs no plansite %s", name, w)
		}
	}
}

func TestCIWorkflow(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testcorpus.Root(t), ".github", "workflows", "ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, s := range []string{"go-version-file: main/go.mod", "go vet ./...", "go test ./...", "--format github", "actions/upload-artifact"} {
		if !strings.Contains(text, s) {
			t.Errorf("ci.yml lacks %q", s)
		}
	}
	runsWithRealFlags(t, "ci.yml", plansiteCommands(t, text), "check", "build")
}

// TestReadmeWorkflow checks the workflow the README tells users to copy.
func TestReadmeWorkflow(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testcorpus.Root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## Use plansite in your CI")
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindStringSubmatch(section)
	if !ok || m == nil {
		t.Fatal("README has no workflow under \"Use plansite in your CI\"")
	}
	for _, s := range []string{"go install github.com/plansite/plansite/cmd/plansite@latest", "actions/deploy-pages", "--format github"} {
		if !strings.Contains(m[1], s) {
			t.Errorf("README workflow lacks %q", s)
		}
	}
	runsWithRealFlags(t, "README workflow", plansiteCommands(t, m[1]), "check", "build")
}
