package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/check"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/source"
)

// cmdCheck reads the plans (--source, or the one directory given) as build
// does, writes no site, and reports every problem. Exit status: 0 clean, 1 on
// errors (or warnings with --strict), 2 when the check could not run.
func cmdCheck(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("source", defaultSource(), "source `directory` of the plans")
	format := fs.String("format", "text", "output `format`: "+strings.Join(check.Formats, ", "))
	strict := fs.Bool("strict", false, "fail on warnings too")
	now := fs.String("now", "", "check as of this `date` (YYYY-MM-DD), for the stale rule (default today)")
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		return 2, nil
	}
	switch len(dirs) {
	case 0:
	case 1: // plansite check content
		*src = dirs[0]
	default:
		fmt.Fprintf(stderr, "plansite check: one source directory, not %q\n", dirs)
		return 2, nil
	}
	rep, err := runCheck(*src, *format, *now)
	if err != nil {
		fmt.Fprintf(stderr, "plansite check: %v\n", err)
		return 2, nil
	}
	if err := check.Write(stdout, *format, *src, rep); err != nil {
		fmt.Fprintf(stderr, "plansite check: %v\n", err)
		return 2, nil
	}
	fmt.Fprintf(stderr, "%d problems: %d errors, %d warnings\n", len(rep.Findings), rep.Errors, rep.Warnings)
	if rep.Failed(*strict) {
		return 1, nil
	}
	return 0, nil
}

// runCheck loads the model and the settings and runs the checker.
func runCheck(src, format, now string) (*check.Report, error) {
	if !contains(check.Formats, format) {
		return nil, fmt.Errorf("unknown format %q (formats: %s)", format, strings.Join(check.Formats, ", "))
	}
	cfg, err := config.Load(src)
	if err != nil {
		return nil, err
	}
	if err := check.ValidateRules(filepath.Join(src, config.FileName), cfg.Check.Rules); err != nil {
		return nil, err
	}
	when := time.Now()
	if now != "" {
		if when, err = time.ParseInLocation("2006-01-02", now, cfg.Location()); err != nil {
			return nil, fmt.Errorf("--now %q: want YYYY-MM-DD", now)
		}
	}
	tree, resolver, err := build.Scan(src, "", cfg)
	if err != nil {
		return nil, err
	}
	defer build.LimitMemory(len(tree.Docs))()
	m, err := build.Read(tree, resolver, "plansite "+version(), cfg, nil, nil)
	if err != nil {
		return nil, err
	}
	known, err := check.KnownAgents(m.Tree.Root)
	if err != nil {
		return nil, err
	}
	root := m.Tree.Root
	return check.Run(m.Site, check.Options{
		Now: when, StaleDays: cfg.Check.StaleDays, Rules: cfg.Check.Rules, KnownAgents: known,
		ReadSource: func(s string) ([]byte, error) { return source.ReadFile(root, s, 0) },
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
