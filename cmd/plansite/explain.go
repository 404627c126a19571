package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/plansite/plansite/site/config"
	"github.com/plansite/plansite/site/explain"
)

// explainOptions are the parsed options of plansite explain.
type explainOptions struct {
	Source string // the source tree the file belongs to
	File   string // the document, as given on the command line
	Format string // text | json
}

// cmdExplain parses `plansite explain [--source DIR] [--format text|json] FILE`.
func cmdExplain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	opts := explainOptions{}
	fs.StringVar(&opts.Source, "source", "", "source `directory` the file belongs to (default: ./content when the file is in it, else .)")
	fs.StringVar(&opts.Format, "format", "text", "output `format`: "+strings.Join(explain.Formats, ", "))
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return errUsage
	}
	if len(files) != 1 {
		fmt.Fprintln(stderr, "usage: plansite explain [--source DIR] [--format text|json] FILE")
		return errUsage
	}
	opts.File = files[0]
	return runExplain(opts, stdout)
}

// runExplain prints what plansite read from one document.
func runExplain(opts explainOptions, stdout io.Writer) error {
	if !contains(explain.Formats, opts.Format) {
		return fmt.Errorf("unknown format %q (formats: %s)", opts.Format, strings.Join(explain.Formats, ", "))
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
		return fmt.Errorf("%s is not inside the source %s (use --source)", opts.File, src)
	}
	cfg, err := config.Load(src)
	if err != nil {
		return err
	}
	rep, err := explain.Document(src, filepath.ToSlash(rel), cfg, "plansite "+version())
	if err != nil {
		return err
	}
	return rep.Write(stdout, opts.Format)
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
