// Package config reads plansite.toml, the optional configuration of a site:
// at the root of the source tree, else at the root of the repository holding
// it, else where --config says. Every setting has a default: plansite needs
// no config.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/bmatcuk/doublestar/v4"

	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/source"
)

// FileName is the configuration file plansite looks for at the source root,
// then at the repository root.
const FileName = "plansite.toml"

// Config is plansite.toml.
type Config struct {
	Title    string   `toml:"title"`
	BaseURL  string   `toml:"base_url"`
	Exclude  []string `toml:"exclude"`  // doublestar glob patterns, slash-separated, relative to the source root
	RepoURL  string   `toml:"repo_url"` // e.g. https://github.com/org/repo: enables "view source" and "edit" links
	Branch   string   `toml:"branch"`   // branch for source links (default main)
	Timezone string   `toml:"timezone"` // zone of times written without one (default UTC)
	Check    Check    `toml:"check"`
	// Status maps a site's own status words to plansite's statuses:
	// [status] executing = "in-progress".
	Status map[string]string `toml:"status"`
	// Keys maps a site's own metadata keys to plansite's: [keys] 状况 = "status".
	Keys map[string]string `toml:"keys"`

	// File is the configuration file read, "" when there was none.
	File string `toml:"-"`
}

// Check configures `plansite check`.
type Check struct {
	StaleDays int               `toml:"stale_days"` // an in-progress document not updated for this many days is stale (default 14)
	Rules     map[string]string `toml:"rules"`      // rule code → error | warning | off
}

// Load reads the configuration of the source tree dir: its plansite.toml,
// else the one at the root of the git repository holding it; neither gives
// the defaults.
func Load(dir string) (*Config, error) {
	return LoadWith(dir, "")
}

// LoadWith is Load, reading file instead when it is given (--config); a
// file that was asked for must exist.
func LoadWith(dir, file string) (*Config, error) {
	c := &Config{}
	p, b, err := find(dir, file)
	if err != nil {
		return nil, err
	}
	if b != nil {
		md, err := toml.Decode(string(b), c)
		if err != nil {
			var pe toml.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d: %s", p, pe.Position.Line, pe.Message)
			}
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			return nil, fmt.Errorf("%s: unknown setting %q", p, und[0].String())
		}
	}
	if err := c.validate(p); err != nil {
		return nil, err
	}
	c.File = p
	return c, nil
}

// find returns the configuration file of the tree dir and its bytes: file
// when given, else dir's plansite.toml, else the repository root's; nil
// bytes when there is none.
func find(dir, file string) (string, []byte, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", nil, fmt.Errorf("--config: %w", err)
		}
		return file, b, nil
	}
	p := filepath.Join(dir, FileName)
	b, err := source.ReadFile(dir, FileName, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, source.ErrOutside):
		// A link outside the tree is never read; the walk reports it.
	case err != nil:
		return "", nil, err
	default:
		return p, b, nil
	}
	top := RepoRoot(dir)
	if top == "" {
		return "", nil, nil
	}
	if abs, err := filepath.Abs(dir); err == nil && abs == top {
		return "", nil, nil
	}
	p = filepath.Join(top, FileName)
	b, err = os.ReadFile(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", nil, nil
	case err != nil:
		return "", nil, err
	}
	return p, b, nil
}

// RepoRoot is the top of the git work tree holding dir: the nearest
// directory at or above it with a .git entry; "" when there is none.
func RepoRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// validate holds the settings to what they may be; p names the file.
func (c *Config) validate(p string) error {
	if p == "" {
		p = FileName
	}
	for _, g := range c.Exclude {
		if !doublestar.ValidatePattern(strings.TrimPrefix(strings.TrimSpace(g), "./")) {
			return fmt.Errorf("%s: exclude %q is not a valid glob pattern", p, g)
		}
	}
	if err := CheckBaseURL(c.BaseURL); err != nil {
		return fmt.Errorf("%s: base_url: %w", p, err)
	}
	for word, st := range c.Status {
		if !contains(plan.Statuses, st) || st == plan.Unknown {
			return fmt.Errorf("%s: [status] %q = %q: not a status (one of %s)", p, word, st, strings.Join(plan.Statuses[:len(plan.Statuses)-1], ", "))
		}
	}
	for key, to := range c.Keys {
		if strings.TrimSpace(to) == "" {
			return fmt.Errorf("%s: [keys] %q maps to nothing", p, key)
		}
	}
	if c.Branch == "" {
		c.Branch = "main"
	}
	if c.Check.StaleDays == 0 {
		c.Check.StaleDays = 14
	}
	if c.Timezone != "" {
		if _, err := time.LoadLocation(c.Timezone); err != nil {
			return fmt.Errorf("%s: timezone %q: %w", p, c.Timezone, err)
		}
	}
	return nil
}

// CheckBaseURL reports what is wrong with a base URL: it must be absolute,
// with an http or https scheme and a host ("" is no base URL).
func CheckBaseURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %w", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q needs a scheme and a host, such as https://plans.example.com/", s)
	}
	return nil
}

// Location is the configured time zone, UTC by default.
func (c *Config) Location() *time.Location {
	if c.Timezone == "" {
		return time.UTC
	}
	l, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return l
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
