// Command plansite builds a static site from a tree of Markdown project plans.
//
//	plansite build  [DIR] [-s DIR] [-d DIR] [-b URL] [--no-minify]
//	plansite serve  [DIR] [-s DIR] [--bind 127.0.0.1] [-p 1313] [--poll] [--open]
//	plansite check  [DIR] [-s DIR] [--format text|json|github] [--strict] [--now DATE]
//	plansite explain [-s DIR] [--format text|json] FILE
//	plansite new    phase|plan NAME
//	plansite version
//	plansite completion bash|zsh|fish|powershell
//
// Exit status, for every command: 0 when it succeeded, 1 when it found
// problems at the level that fails it (or could not finish), 2 for a
// mistake on the command line or a source it cannot read.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cli/browser"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/plansite/plansite/internal/typo"
	"github.com/plansite/plansite/site/textout"
)

// Exit statuses.
const (
	exitOK       = 0
	exitProblems = 1 // problems at the failing level, or the command could not finish
	exitUsage    = 2 // a mistake on the command line, or a source that cannot be read
)

// exitError ends a command with a given status. An error that is not one
// came from parsing the command line: exit status 2.
type exitError struct {
	code  int
	err   error // nil: nothing more to print
	usage bool  // a command-line mistake: point at --help
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// failed ends a command with status 1 and err.
func failed(err error) error { return &exitError{code: exitProblems, err: err} }

// usageError ends a command with status 2 and a message.
func usageError(format string, args ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, args...), true}
}

// unreadable ends a command with status 2: its source or configuration
// cannot be read.
func unreadable(err error) error { return &exitError{code: exitUsage, err: err} }

// problemsFound ends a command with status 1, its report already printed.
var problemsFound = &exitError{code: exitProblems}

// app is one run of the CLI: where it writes, the global flags, and what
// opens a browser (tests replace it).
type app struct {
	ctx            context.Context // ends serve
	stdout, stderr io.Writer
	source         string // --source, "" when not given
	config         string // --config
	quiet, verbose bool
	openURL        func(url string) error
}

func main() {
	stopProfile := profileFromEnv()
	code := run(os.Args[1:], os.Stdout, os.Stderr)
	stopProfile()
	os.Exit(code)
}

// run is the CLI, testable: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	return newApp(stdout, stderr).run(args)
}

func newApp(stdout, stderr io.Writer) *app {
	return &app{ctx: context.Background(), stdout: stdout, stderr: stderr, openURL: func(url string) error {
		browser.Stdout, browser.Stderr = stderr, stderr
		return browser.OpenURL(url)
	}}
}

func (a *app) run(args []string) int {
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetContext(a.ctx)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		// cobra's own: an unknown command or flag, a wrong number of arguments.
		fmt.Fprintf(a.stderr, "%s: %v\n", cmd.CommandPath(), err)
		fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		return exitUsage
	}
	if ee.err != nil {
		printErrors(a.stderr, cmd.CommandPath(), ee.err)
		if ee.usage {
			fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
	}
	return ee.code
}

// maxErrorLines is how many of a failed command's errors are printed: a
// build that fails on every page (a full disk) has thousands.
const maxErrorLines = 20

// printErrors prints each error err joins on a line of its own, after
// prefix, the first maxErrorLines of them. Each is escaped: an error can
// name a file, and a file name can hold a newline.
func printErrors(w io.Writer, prefix string, err error) {
	errs := leaves(err)
	for i, e := range errs {
		if i == maxErrorLines {
			fmt.Fprintf(w, "%s: … and %d more errors\n", prefix, len(errs)-i)
			return
		}
		fmt.Fprintf(w, "%s: %s\n", prefix, textout.Escape(e.Error()))
	}
}

// leaves are the errors err joins (errors.Join), in order, joined ones
// taken apart in turn; err alone when it joins none. An error that wraps
// several with words of its own (fmt.Errorf("%w: %w")) is not a join: its
// message is not its parts' lines, and it stays whole.
func leaves(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var parts []string
	var out []error
	for _, e := range j.Unwrap() {
		if e != nil {
			parts = append(parts, e.Error())
			out = append(out, leaves(e)...)
		}
	}
	if len(out) == 0 || strings.Join(parts, "\n") != err.Error() {
		return []error{err}
	}
	return out
}

// names Hugo users type for plansite's flags.
var flagAliases = map[string]string{
	"destination": "dest",
	"baseURL":     "base-url",
	"baseurl":     "base-url",
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "plansite",
		Short: "Build a static site from a tree of Markdown project plans",
		Long: `plansite builds a static site from a tree of Markdown project plans: phase documents
with status headers, gates, tasks with their agents, work logs and previous/next links.

Without a source directory, plansite reads ./content when it exists, else the current
directory. Exit status: 0 ok, 1 problems at the failing level, 2 a mistake on the command
line or a source that cannot be read.`,
		Version:       versionString(),
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(*cobra.Command, []string) error {
			if a.quiet && a.verbose {
				return usageError("--quiet and --verbose contradict each other")
			}
			return nil
		},
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetVersionTemplate("{{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVarP(&a.source, "source", "s", "", "source `directory` of the plans (default ./content when it exists, else .)")
	pf.StringVar(&a.config, "config", "", "configuration `file` (default plansite.toml at the source root, else at the repository root)")
	pf.BoolVarP(&a.quiet, "quiet", "q", false, "print only what fails the command")
	pf.BoolVar(&a.verbose, "verbose", false, "print every problem and more detail")
	_ = root.MarkPersistentFlagDirname("source")
	_ = root.MarkPersistentFlagFilename("config", "toml")
	root.SetGlobalNormalizationFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if to, ok := flagAliases[name]; ok {
			name = to
		}
		return pflag.NormalizedName(name)
	})
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &exitError{exitUsage, withFlagSuggestion(cmd, err), true}
	})
	root.AddCommand(a.buildCmd(), a.serveCmd(), a.checkCmd(), a.explainCmd(), a.newCmd(), a.versionCmd())
	// cobra's completion command prints its help for a shell it does not
	// know, and exits 0; here that is a usage mistake.
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil {
		c.RunE = func(*cobra.Command, []string) error {
			return usageError("say which shell: bash, zsh, fish or powershell")
		}
	}
	return root
}

// onSource is a command's RunE that finds the source directory (DIR or
// --source, see sourceDir) and runs with it.
func (a *app) onSource(run func(cmd *cobra.Command, src string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		src, err := a.sourceDir(args)
		if err != nil {
			return err
		}
		return run(cmd, src)
	}
}

// sourceDir is the source directory: the one positional DIR, or --source,
// or the default; it must be a directory that can be read (status 2).
func (a *app) sourceDir(args []string) (string, error) {
	src := a.source
	switch {
	case len(args) > 1:
		return "", usageError("one source directory, not %d: %s", len(args), strings.Join(args, " "))
	case len(args) == 1 && src != "" && args[0] != src:
		return "", usageError("the source given twice: %s and --source %s", args[0], src)
	case len(args) == 1:
		src = args[0]
	case src == "":
		src = defaultSource()
	}
	fi, err := os.Stat(src)
	if err == nil && !fi.IsDir() {
		err = fmt.Errorf("%s is not a directory", src)
	}
	if err == nil {
		_, err = os.ReadDir(src)
	}
	if err != nil {
		return "", unreadable(fmt.Errorf("source: %w", err))
	}
	return src, nil
}

// defaultSource is ./content when it exists, else the current directory.
func defaultSource() string {
	if fi, err := os.Stat("content"); err == nil && fi.IsDir() {
		return "content"
	}
	return "."
}

// dirArg completes a positional source directory.
func dirArg(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveFilterDirs
}

// withFlagSuggestion adds "did you mean --x?" to an unknown-flag error when
// a flag of cmd is a small edit away.
func withFlagSuggestion(cmd *cobra.Command, err error) error {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		return err
	}
	best, bestD := "", 3
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		if d := typo.Distance(name, f.Name); d < bestD {
			best, bestD = f.Name, d
		}
	})
	if best == "" {
		return err
	}
	return fmt.Errorf("%s (did you mean --%s?)", msg, best)
}

// count is "1 problem", "2 problems".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
