package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/plansite/plansite/internal/testcorpus"
)

type netlifyConfig struct {
	Build struct {
		Command     string
		Publish     string
		Environment map[string]string
	}
	Context map[string]struct{ Command string }
	Headers []struct {
		For    string
		Values map[string]string
	}
	Redirects []struct {
		From, To string
		Status   int
	}
}

// words splits a build command as the shell would for these simple
// commands: on spaces, quotes removed, $VARS expanded from env.
func words(cmd string, env map[string]string) []string {
	var out []string
	for _, w := range strings.Fields(cmd) {
		out = append(out, os.Expand(strings.Trim(w, `"'`), func(k string) string { return env[k] }))
	}
	return out
}

// TestNetlifyBuildsWithRealFlags runs each build command of netlify.toml
// through the CLI, into a temporary directory, and checks that the publish
// directory is where the command writes.
func TestNetlifyBuildsWithRealFlags(t *testing.T) {
	root := testcorpus.Root(t)
	var cfg netlifyConfig
	md, err := toml.DecodeFile(filepath.Join(root, "netlify.toml"), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		t.Logf("settings not checked here: %v", und)
	}
	env := map[string]string{"DEPLOY_PRIME_URL": "https://deploy-preview-7--plansite.netlify.app"}
	cmds := map[string]string{"production": cfg.Build.Command}
	for name, c := range cfg.Context {
		cmds[name] = c.Command
	}
	if cmds["deploy-preview"] == "" || !strings.Contains(cmds["deploy-preview"], "--base-url") {
		t.Errorf("deploy previews need a build with --base-url: %q", cmds["deploy-preview"])
	}
	for name, cmd := range cmds {
		w := words(cmd, env)
		if len(w) < 4 || strings.Join(w[:4], " ") != "go run ./cmd/plansite build" {
			t.Errorf("%s: %q does not run plansite build", name, cmd)
			continue
		}
		args := w[4:]
		dest := ""
		for i, a := range args {
			if a == "--dest" && i+1 < len(args) {
				dest = args[i+1]
			}
		}
		if dest != cfg.Build.Publish {
			t.Errorf("%s: --dest %q, but Netlify publishes %q", name, dest, cfg.Build.Publish)
		}
		for i, a := range args {
			if a == "--source" && i+1 < len(args) {
				args[i+1] = filepath.Join(root, args[i+1])
			}
		}
		// The last --dest wins: build for real, elsewhere.
		out := filepath.Join(t.TempDir(), "public")
		code, stdout, stderr := runCLI(append(append([]string{"build"}, args...), "--dest", out)...)
		if code != 0 {
			t.Errorf("%s: exit %d\n%s%s", name, code, stdout, stderr)
			continue
		}
		for _, f := range []string{"index.html", "404.html", "plan.json"} {
			if _, err := os.Stat(filepath.Join(out, f)); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

func TestNetlifyPinsGoModGo(t *testing.T) {
	root := testcorpus.Root(t)
	var cfg netlifyConfig
	if _, err := toml.DecodeFile(filepath.Join(root, "netlify.toml"), &cfg); err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	want := ""
	if m := regexp.MustCompile(`(?m)^toolchain go(\S+)`).FindSubmatch(mod); m != nil {
		want = string(m[1])
	} else if m := regexp.MustCompile(`(?m)^go (\S+)`).FindSubmatch(mod); m != nil {
		want = string(m[1])
	}
	if got := cfg.Build.Environment["GO_VERSION"]; got != want {
		t.Errorf("GO_VERSION %q, go.mod says %q", got, want)
	}
	immutable, notFound := false, false
	for _, h := range cfg.Headers {
		if h.For == "/assets/*" && strings.Contains(h.Values["Cache-Control"], "immutable") {
			immutable = true
		}
	}
	for _, r := range cfg.Redirects {
		if r.From == "/*" && r.To == "/404.html" && r.Status == 404 {
			notFound = true
		}
	}
	if !immutable || !notFound {
		t.Errorf("immutable /assets/* %v, 404 page %v", immutable, notFound)
	}
}
