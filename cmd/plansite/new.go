package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/scaffold"
	"github.com/plansite/plansite/site/source"
)

const newUsage = `Usage:
  plansite new phase NAME [--dir DIR] [--source DIR]
  plansite new plan NAME [--dir DIR] [--source DIR] [--phase TITLE]

new phase writes phase-N-name.md, N the number after the highest phase in
DIR (default: the directory of phase plans with the highest phase number
under the source), and points the previous phase's Next Phase at it.
new plan writes DIR/name/ with a README overview and its first phase.
`

// cmdNew scaffolds documents: the next phase of a plan, or a new plan.
func cmdNew(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "phase" && args[0] != "plan" {
		fmt.Fprint(stderr, newUsage)
		return errUsage
	}
	kind := args[0]
	fs := flag.NewFlagSet("new "+kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, newUsage); fs.PrintDefaults() }
	src := fs.String("source", defaultSource(), "source `directory` of the plans")
	dir := fs.String("dir", "", "`directory` to write in")
	first := fs.String("phase", "Foundation", "`title` of a new plan's first phase")
	words, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return errUsage
	}
	name := strings.Join(words, " ")
	if strings.TrimSpace(name) == "" {
		fmt.Fprintf(stderr, "plansite new %s: NAME is missing\n\n%s", kind, newUsage)
		return errUsage
	}
	cfg, err := config.Load(*src)
	if err != nil {
		return err
	}
	now := time.Now().In(cfg.Location())
	var res *scaffold.Result
	if kind == "plan" {
		if *dir == "" {
			*dir = *src
		}
		res, err = scaffold.Plan(*dir, name, *first, now)
	} else {
		if *dir == "" {
			tree, err := source.Walk(*src, "", cfg.Exclude)
			if err != nil {
				return err
			}
			*dir = filepath.Join(*src, filepath.FromSlash(scaffold.DefaultDir(tree.Docs)))
		}
		res, err = scaffold.Phase(*dir, name, now)
	}
	if err != nil {
		return err
	}
	for _, p := range res.Created {
		fmt.Fprintf(stdout, "created %s\n", p)
	}
	for _, p := range res.Edited {
		fmt.Fprintf(stdout, "updated %s (Next Phase)\n", p)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	return nil
}

// parseInterspersed parses flags placed before, between or after the
// positional words, and returns the words.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return words, nil
		}
		if args[0] == "--" {
			return append(words, args[1:]...), nil
		}
		words = append(words, args[0])
		args = args[1:]
	}
}
