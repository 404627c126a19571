package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/explain"
)

// explainOptions are the parsed options of plansite explain.
type explainOptions struct {
	Source string // the source tree the file belongs to
	File   string // the document, as given on the command line
	Format string // text | json
	Config string // --config, "" to find plansite.toml
}

func (a *app) explainCmd() *cobra.Command {
	opts := explainOptions{}
	cmd := &cobra.Command{
		Use:   "explain FILE",
		Short: "Say what plansite read from one document, line by line",
		Long: `Says what plansite read from FILE, line by line and by which recognizer: its convention,
series, title, status as written, fields, phases, tasks, gates, links, previous and next,
problems, and what looked plan-like but was skipped. The source (--source) defaults to
./content when FILE is in it, else the current directory.`,
		Example: `  plansite explain content/plan/phase-1-foundation.md
  plansite explain -s docs --format json docs/specs/001/tasks.md`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("one FILE to explain, not %d", len(args))
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return []cobra.Completion{"md"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Source, opts.File = a.source, args[0]
			opts.Config = a.config
			return runExplain(opts, a.stdout)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output `format`: "+strings.Join(explain.Formats, ", "))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(explain.Formats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// runExplain prints what plansite read from one document.
func runExplain(opts explainOptions, stdout io.Writer) error {
	if !slices.Contains(explain.Formats, opts.Format) {
		return usageError("unknown format %q (formats: %s)", opts.Format, strings.Join(explain.Formats, ", "))
	}
	src := opts.Source
	if src == "" {
		src = "."
		if d := defaultSource(); d != "." && isUnder(opts.File, d) {
			src = d
		}
	}
	rel, err := filepath.Rel(src, opts.File)
	if err != nil || !isUnder(opts.File, src) {
		return usageError("%s is not inside the source %s (use --source)", opts.File, src)
	}
	if _, err := os.Stat(opts.File); err != nil {
		return unreadable(err)
	}
	cfg, err := config.LoadWith(src, opts.Config)
	if err != nil {
		return unreadable(err)
	}
	rep, err := explain.Document(src, filepath.ToSlash(rel), cfg, "plansite "+version())
	if err != nil {
		return failed(err)
	}
	if err := rep.Write(stdout, opts.Format); err != nil {
		return failed(err)
	}
	return nil
}

// isUnder reports whether file lies inside dir.
func isUnder(file, dir string) bool {
	af, err1 := filepath.Abs(file)
	ad, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(ad, af)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
