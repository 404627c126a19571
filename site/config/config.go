// Package config reads plansite.toml, the optional configuration at the root
// of a source tree. Every setting has a default: plansite needs no config.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/source"
)

// FileName is the configuration file plansite looks for at the source root.
const FileName = "plansite.toml"

// Config is plansite.toml.
type Config struct {
	Title    string   `toml:"title"`
	BaseURL  string   `toml:"base_url"`
	Exclude  []string `toml:"exclude"`  // glob patterns, slash-separated, relative to the source root
	RepoURL  string   `toml:"repo_url"` // e.g. https://github.com/org/repo: enables "view source" and "edit" links
	Branch   string   `toml:"branch"`   // branch for source links (default main)
	Timezone string   `toml:"timezone"` // zone of times written without one (default UTC)
	Check    Check    `toml:"check"`
	// Status maps a site's own status words to plansite's statuses:
	// [status] executing = "in-progress".
	Status map[string]string `toml:"status"`
	// Keys maps a site's own metadata keys to plansite's: [keys] 状况 = "status".
	Keys map[string]string `toml:"keys"`
}

// Check configures `plansite check`.
type Check struct {
	StaleDays int               `toml:"stale_days"` // an in-progress document not updated for this many days is stale (default 14)
	Rules     map[string]string `toml:"rules"`      // rule code → error | warning | off
}

// Load reads plansite.toml from dir; a missing file gives the defaults.
func Load(dir string) (*Config, error) {
	c := &Config{}
	p := filepath.Join(dir, FileName)
	b, err := source.ReadFile(dir, FileName, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, source.ErrOutside):
		// A link outside the tree is never read; the walk reports it.
	case err != nil:
		return nil, err
	default:
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
	for word, st := range c.Status {
		if !contains(plan.Statuses, st) || st == plan.Unknown {
			return nil, fmt.Errorf("%s: [status] %q = %q: not a status (one of %s)", p, word, st, strings.Join(plan.Statuses[:len(plan.Statuses)-1], ", "))
		}
	}
	for key, to := range c.Keys {
		if strings.TrimSpace(to) == "" {
			return nil, fmt.Errorf("%s: [keys] %q maps to nothing", p, key)
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
			return nil, fmt.Errorf("%s: timezone %q: %w", p, c.Timezone, err)
		}
	}
	return c, nil
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
