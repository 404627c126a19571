package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/check"
	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/plan"
)

// shownProblems is how many problems build prints without --verbose: enough
// to start on, not a screen of 2,000 lines for 2,000 documents.
const shownProblems = 10

// buildFlags are plansite build's flags that are not build.Options.
type buildFlags struct {
	cacheDir string
	noCache  bool
}

func (a *app) buildCmd() *cobra.Command {
	var opts build.Options
	var fl buildFlags
	cmd := &cobra.Command{
		Use:   "build [DIR]",
		Short: "Build the site and plan.json into --dest",
		Long: `Reads the plans under DIR (or --source), writes one page per document, plan.json and
plan.schema.json into --dest. The build is staged and moved into place only when every page
rendered; only files plansite wrote are ever replaced or removed.

Prints the first problems and a count by rule (every problem with --verbose). Exit status 1
when a problem is an error (see [check.rules] in plansite.toml), 2 when the source or its
configuration cannot be read.`,
		Example: `  plansite build                          # ./content (or .) into ./public
  plansite build docs -d site             # docs/ into site/
  plansite build -b https://plans.example.com/`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: dirArg,
		RunE: a.onSource(func(_ *cobra.Command, src string) error {
			opts.Source = src
			if err := config.CheckBaseURL(opts.BaseURL); err != nil {
				return usageError("--base-url: %v", err)
			}
			if !fl.noCache {
				opts.CacheDir = cacheDirFor(opts.Dest, fl.cacheDir)
			}
			return a.build(opts)
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Dest, "dest", "d", "public", "destination `directory` of the site (--destination also works)")
	f.StringVarP(&opts.BaseURL, "base-url", "b", "", "`URL` the site is served from (--baseURL also works; default: plansite.toml's base_url, else /)")
	f.BoolVar(&opts.NoMinify, "no-minify", false, "keep HTML, CSS, JS, SVG and JSON readable")
	f.BoolVar(&opts.Force, "force", false, "build into a directory plansite did not build, replacing files of the same path")
	f.StringVar(&fl.cacheDir, "cache-dir", "", "`directory` of the build cache (default: "+cache.DirName+" beside --dest)")
	f.BoolVar(&fl.noCache, "no-cache", false, "build everything, reading and writing no cache")
	_ = cmd.MarkFlagDirname("dest")
	_ = cmd.MarkFlagDirname("cache-dir")
	return cmd
}

func (a *app) build(opts build.Options) error {
	opts.Config = a.config
	cfg, err := config.LoadWith(opts.Source, opts.Config)
	if err != nil {
		return unreadable(err)
	}
	start := time.Now()
	prog := newProgress(a.stdout)
	if a.quiet {
		prog.tty = false
	}
	opts.Generator, opts.Progress, opts.LimitMemory = "plansite "+version(), prog.update, true
	// The report is kept with the build's inputs: a build with nothing
	// changed prints the last one without reading the model.
	var checkErr error
	opts.Report = func(m *build.Model) []byte {
		rep, err := check.Run(m.Site, check.Options{Rules: cfg.Check.Rules, ModelOnly: true})
		if err != nil {
			checkErr = err
			return nil
		}
		b, _ := json.Marshal(rep)
		return b
	}
	res, err := build.Build(opts)
	prog.done()
	if err != nil {
		return failed(err)
	}
	if res.CacheErr != nil {
		fmt.Fprintf(a.stderr, "plansite build: warning: built without the cache: %v\n", res.CacheErr)
	}
	if checkErr != nil {
		return unreadable(checkErr)
	}
	rep := &check.Report{}
	if err := json.Unmarshal(res.Report, rep); err != nil {
		return unreadable(fmt.Errorf("reading the problem report: %w", err))
	}
	if a.verbose && res.Fast {
		fmt.Fprintln(a.stdout, "nothing changed since the last build: the destination is as it left it")
	}
	a.printProblems(opts.Source, rep)
	if !a.quiet {
		s := res.Stats
		fmt.Fprintf(a.stdout, "built %s, %s into %s in %s (%d written, %d unchanged, %d removed; %s parsed, %s rendered); %s\n",
			count(res.Docs, "document"), count(res.Pages, "page"), opts.Dest,
			time.Since(start).Round(time.Millisecond), s.Written, s.Unchanged, s.Removed,
			count(res.Work.Parsed, "document"), count(res.Work.Rendered, "page"), summary(rep))
	}
	if rep.Errors > 0 {
		return problemsFound
	}
	return nil
}

// cacheDirFor is the build cache's directory: the one asked for, else
// .plansite-cache beside the destination (where the build stages the site,
// so a build that can write its site can write its cache).
func cacheDirFor(dest, asked string) string {
	if asked != "" {
		return asked
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return ""
	}
	return filepath.Join(filepath.Dir(abs), cache.DirName)
}

// printProblems prints the first problems as path:line: severity: message
// [rule] (all of them with --verbose, only errors with --quiet) and, when
// some were left out, how many of each rule there were.
func (a *app) printProblems(src string, rep *check.Report) {
	shown := rep.Findings
	if a.quiet {
		shown = nil
		for _, f := range rep.Findings {
			if f.Severity == plan.SevError {
				shown = append(shown, f)
			}
		}
	} else if !a.verbose && len(shown) > shownProblems {
		shown = shown[:shownProblems]
	}
	_ = check.Write(a.stdout, "text", src, &check.Report{Findings: shown})
	if a.quiet || len(rep.Findings) == 0 {
		return
	}
	if more := len(rep.Findings) - len(shown); more > 0 {
		fmt.Fprintf(a.stdout, "… and %d more (--verbose prints them all)\n", more)
	}
	fmt.Fprintf(a.stdout, "problems by rule: %s\n", byRule(rep.Findings))
}

// byRule is "12 broken-link, 3 stale": how many problems of each rule, the
// commonest first.
func byRule(fs []check.Finding) string {
	n := map[string]int{}
	for _, f := range fs {
		n[string(f.Code)]++
	}
	rules := make([]string, 0, len(n))
	for r := range n {
		rules = append(rules, r)
	}
	sort.Slice(rules, func(i, j int) bool {
		if n[rules[i]] != n[rules[j]] {
			return n[rules[i]] > n[rules[j]]
		}
		return rules[i] < rules[j]
	})
	parts := make([]string, len(rules))
	for i, r := range rules {
		parts[i] = fmt.Sprintf("%d %s", n[r], r)
	}
	return strings.Join(parts, ", ")
}

// summary is "3 problems (1 error, 2 warnings)", or "no problems".
func summary(rep *check.Report) string {
	if len(rep.Findings) == 0 {
		return "no problems"
	}
	return fmt.Sprintf("%s (%s, %s)", count(len(rep.Findings), "problem"), count(rep.Errors, "error"), count(rep.Warnings, "warning"))
}

// progress draws one updating line on a terminal, and nothing otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	last  time.Time
	shown bool
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(stage string, done, total int) {
	if !p.tty || total < 200 {
		return
	}
	if now := time.Now(); now.Sub(p.last) > 100*time.Millisecond || done == total {
		p.last = now
		p.shown = true
		fmt.Fprintf(p.w, "\r\033[K%s %d/%d", stage, done, total)
	}
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
