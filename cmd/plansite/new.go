package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/scaffold"
	"github.com/plansite/plansite/site/source"
)

// newKinds are what plansite new starts.
const (
	newPhase = "phase"
	newPlan  = "plan"
)

func (a *app) newCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "new phase|plan NAME",
		Short: "Start a phase document or a plan",
		Long: `Starts documents in the conventions plansite reads best: a status header, success
criteria, a task with its agent, a quality gate, a work log and previous/next links.`,
		Example: `  plansite new plan "Billing export"
  plansite new phase "CSV format" --dir content/billing-export`,
		ValidArgs:                  []cobra.Completion{newPhase, newPlan},
		SuggestionsMinimumDistance: 2,
		// Without a kind, or with an unknown one: a usage mistake.
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("say what to start: new phase NAME, or new plan NAME")
			}
			msg := fmt.Sprintf("unknown kind %q: new phase NAME, or new plan NAME", args[0])
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg += fmt.Sprintf(" (did you mean %s?)", s[0])
			}
			return usageError("%s", msg)
		},
	}
	cmd.AddCommand(a.newKindCmd(newPhase), a.newKindCmd(newPlan))
	return cmd
}

func (a *app) newKindCmd(kind string) *cobra.Command {
	var dir, first string
	cmd := &cobra.Command{
		Use:  kind + " NAME",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := strings.Join(args, " ")
			if strings.TrimSpace(name) == "" {
				return usageError("NAME is empty")
			}
			src, err := a.sourceDir(nil)
			if err != nil {
				return err
			}
			return a.scaffold(kind, src, dir, name, first)
		},
	}
	if kind == newPhase {
		cmd.Short = "Write the next phase document and link the previous phase to it"
		cmd.Long = `Writes phase-N-name.md, N the number after the highest phase in --dir (default: the
directory of phase plans with the highest phase number under the source), links its Previous
Phase to that phase, and points that phase's Next Phase line at the new one.`
	} else {
		cmd.Short = "Write a plan directory with an overview and its first phase"
		cmd.Long = `Writes --dir/name/ (--dir defaults to the source) with a README overview and a first
phase (--phase TITLE, default "Foundation").`
		cmd.Flags().StringVar(&first, "phase", "Foundation", "`title` of the plan's first phase")
	}
	cmd.Flags().StringVar(&dir, "dir", "", "`directory` to write in")
	_ = cmd.MarkFlagDirname("dir")
	return cmd
}

func (a *app) scaffold(kind, src, dir, name, first string) error {
	cfg, err := config.LoadWith(src, a.config)
	if err != nil {
		return unreadable(err)
	}
	now := time.Now().In(cfg.Location())
	var res *scaffold.Result
	if kind == newPlan {
		if dir == "" {
			dir = src
		}
		res, err = scaffold.Plan(dir, name, first, now)
	} else {
		if dir == "" {
			tree, err := source.Walk(src, "", cfg.Exclude)
			if err != nil {
				return failed(err)
			}
			dir = filepath.Join(src, filepath.FromSlash(scaffold.DefaultDir(tree.Docs)))
		}
		res, err = scaffold.Phase(dir, name, now)
	}
	if err != nil {
		return failed(err)
	}
	if a.quiet {
		return nil
	}
	for _, p := range res.Created {
		fmt.Fprintf(a.stdout, "created %s\n", p)
	}
	for _, p := range res.Edited {
		fmt.Fprintf(a.stdout, "updated %s (Next Phase)\n", p)
	}
	if res.Overview != "" {
		fmt.Fprintf(a.stdout, "updated %s (phase list)\n", res.Overview)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(a.stdout, "note: %s\n", n)
	}
	return nil
}
