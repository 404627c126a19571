// Command plansite builds a static site from a tree of Markdown project plans.
//
//	plansite build  [--source DIR] [--dest DIR] [--base-url URL] [--no-minify]
//	plansite serve  [--source DIR] [--bind 127.0.0.1] [--port 1313] [--poll]
//	plansite check  [--source DIR] [--format text|json|github] [--strict]
//	plansite explain [--source DIR] [--format text|json] FILE
//	plansite new    phase|plan NAME
//	plansite version
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

const usage = `plansite builds a static site from a tree of Markdown project plans.

Usage:
  plansite build   [--source DIR] [--dest DIR] [--base-url URL] [--no-minify]
  plansite serve   [--source DIR] [--bind 127.0.0.1] [--port 1313] [--poll]
  plansite check   [--source DIR] [--format text|json|github] [--strict]
  plansite explain [--source DIR] [--format text|json] FILE
  plansite new     phase|plan NAME
  plansite version

Without --source, plansite reads ./content when it exists, else the current directory.
Run "plansite COMMAND -h" for a command's flags.
`

// errUsage marks a command-line mistake: exit status 2.
var errUsage = errors.New("usage")

func main() {
	stopProfile := profileFromEnv()
	code := run(os.Args[1:], os.Stdout, os.Stderr)
	stopProfile()
	os.Exit(code)
}

// run is the CLI, testable: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	code := 0
	switch args[0] {
	case "build":
		err = cmdBuild(args[1:], stdout, stderr)
	case "serve":
		err = cmdServe(args[1:], stdout, stderr)
	case "check":
		code, err = cmdCheck(args[1:], stdout, stderr)
	case "explain":
		err = cmdExplain(args[1:], stdout, stderr)
	case "new":
		err = cmdNew(args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, versionString())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "plansite: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case errors.Is(err, errUsage):
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "plansite %s: %v\n", args[0], err)
		return 1
	}
	return code
}

// defaultSource is ./content when it exists, else the current directory.
func defaultSource() string {
	if fi, err := os.Stat("content"); err == nil && fi.IsDir() {
		return "content"
	}
	return "."
}
