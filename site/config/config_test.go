package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plansite/plansite/site/config"
)

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// repo is a repository (a .git directory at its top) with plans in docs/plans.
func repo(t *testing.T) (top, src string) {
	t.Helper()
	top = t.TempDir()
	src = filepath.Join(top, "docs", "plans")
	if err := os.MkdirAll(filepath.Join(top, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	return top, src
}

func TestWhereTheConfigIsFound(t *testing.T) {
	top, src := repo(t)
	load := func(file string) *config.Config {
		t.Helper()
		c, err := config.LoadWith(src, file)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := load(""); c.File != "" || c.Title != "" || c.Branch != "main" || c.Check.StaleDays != 14 {
		t.Errorf("no plansite.toml anywhere: %+v, want the defaults", c)
	}

	write(t, filepath.Join(top, "plansite.toml"), "title = \"From the repository root\"\n")
	if c := load(""); c.Title != "From the repository root" || c.File != filepath.Join(top, "plansite.toml") {
		t.Errorf("repository root: title %q from %q", c.Title, c.File)
	}

	write(t, filepath.Join(src, "plansite.toml"), "title = \"From the source root\"\n")
	if c := load(""); c.Title != "From the source root" {
		t.Errorf("the source root's plansite.toml should win, got %q", c.Title)
	}

	other := filepath.Join(t.TempDir(), "site.toml")
	write(t, other, "title = \"Given\"\n")
	if c := load(other); c.Title != "Given" || c.File != other {
		t.Errorf("--config: title %q from %q", c.Title, c.File)
	}
	if _, err := config.LoadWith(src, filepath.Join(t.TempDir(), "missing.toml")); err == nil || !strings.Contains(err.Error(), "missing.toml") {
		t.Errorf("a --config that does not exist: %v", err)
	}
}

func TestBadSettingsAreErrors(t *testing.T) {
	for _, c := range []struct{ toml, want string }{
		{`exclude = ["[bad"]`, `exclude "[bad" is not a valid glob pattern`},
		{`exclude = ["drafts/{a,b"]`, `exclude "drafts/{a,b" is not a valid glob pattern`},
		{`base_url = "plans.example.com"`, `base_url: "plans.example.com" needs a scheme and a host`},
		{`base_url = "/docs/"`, `base_url: "/docs/" needs a scheme and a host`},
		{`base_url = "ftp://plans.example.com/"`, `needs a scheme and a host`},
		{`base_url = "https://"`, `needs a scheme and a host`},
		{`exlcude = ["x"]`, `unknown setting "exlcude"`},
	} {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "plansite.toml"), c.toml+"\n")
		_, err := config.Load(dir)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), filepath.Join(dir, "plansite.toml")) {
			t.Errorf("%s: error %v, want one naming the file and saying %q", c.toml, err, c.want)
		}
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "plansite.toml"), `base_url = "https://plans.example.com/team/"`+"\n"+`exclude = ["drafts/**", "**/*.tmp.md", "{old,archive}/**"]`+"\n")
	if _, err := config.Load(dir); err != nil {
		t.Errorf("good settings rejected: %v", err)
	}
}
