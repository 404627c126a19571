package main

import (
	"cmp"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/check"
	"github.com/plansite/plansite/site/config"
)

// checkFlags are plansite check's own flags.
type checkFlags struct {
	format string
	strict bool
	now    string
}

func (a *app) checkCmd() *cobra.Command {
	var fl checkFlags
	cmd := &cobra.Command{
		Use:   "check [DIR]",
		Short: "Report every problem in the plans, writing no site",
		Long: `Reads the plans under DIR (or --source) as build does, writes no site, and reports every
problem: broken links, completion and status the checkboxes contradict, duplicate task ids,
dates that do not parse, previous/next links that are not returned, agent names that are a
near miss of a known one, and documents in progress not updated for stale_days.

Exit status 0 when clean, 1 on errors (and on warnings with --strict), 2 when the check
could not run (a bad flag, an unreadable source, a mistake in plansite.toml).`,
		Example: `  plansite check                                # ./content, or the current directory
  plansite check docs --strict                  # fail on warnings too
  plansite check --format json > problems.json
  plansite check --format github                # annotations on a pull request's lines`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: dirArg,
		RunE: a.onSource(func(_ *cobra.Command, src string) error {
			return a.check(src, fl)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output `format`: "+strings.Join(check.Formats, ", "))
	f.BoolVar(&fl.strict, "strict", false, "fail on warnings too")
	f.StringVar(&fl.now, "now", "", "check staleness as of this `date` (YYYY-MM-DD; default: the date of the latest commit)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(check.Formats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) check(src string, fl checkFlags) error {
	if !slices.Contains(check.Formats, fl.format) {
		return usageError("unknown format %q (formats: %s)", fl.format, strings.Join(check.Formats, ", "))
	}
	rep, err := runCheck(src, a.config, fl.now)
	if err != nil {
		return unreadable(err)
	}
	if err := check.Write(a.stdout, fl.format, src, rep); err != nil {
		return failed(err)
	}
	if !a.quiet {
		fmt.Fprintf(a.stderr, "%s\n", summary(rep))
	}
	if rep.Failed(fl.strict) {
		return problemsFound
	}
	return nil
}

// staleAsOf is "today" for the stale rule: --now when given, else the date
// of the latest commit of the repository holding src, so that a commit
// always checks the same whatever day it is checked; the clock only outside
// a repository.
func staleAsOf(src, now string, loc *time.Location) (time.Time, error) {
	if now != "" {
		t, err := time.ParseInLocation("2006-01-02", now, loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("--now %q: want YYYY-MM-DD", now)
		}
		return t, nil
	}
	out, err := exec.Command("git", "-C", src, "log", "-1", "--format=%cI").Output()
	if err == nil {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(string(out))); err == nil {
			return t, nil
		}
	}
	return time.Now(), nil
}

// runCheck loads the model and the settings and runs the checker.
func runCheck(src, configFile, now string) (*check.Report, error) {
	cfg, err := config.LoadWith(src, configFile)
	if err != nil {
		return nil, err
	}
	if err := check.ValidateRules(cmp.Or(cfg.File, config.FileName), cfg.Check.Rules); err != nil {
		return nil, err
	}
	when, err := staleAsOf(src, now, cfg.Location())
	if err != nil {
		return nil, err
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
	return check.Run(m.Site, check.Options{Now: when, StaleDays: cfg.Check.StaleDays, Rules: cfg.Check.Rules, KnownAgents: known})
}
