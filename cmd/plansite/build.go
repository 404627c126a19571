package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/plansite/plansite/site/build"
	"github.com/plansite/plansite/site/cache"
	"github.com/plansite/plansite/site/plan"
)

func cmdBuild(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := fs.String("source", defaultSource(), "source `directory` of the plans")
	dest := fs.String("dest", "public", "destination `directory` of the site")
	baseURL := fs.String("base-url", "", "`URL` the site is served from (default: plansite.toml's base_url, else /)")
	noMinify := fs.Bool("no-minify", false, "keep HTML, CSS, JS, SVG and JSON readable")
	force := fs.Bool("force", false, "build into a directory plansite did not build, replacing files of the same path")
	cacheDir := fs.String("cache-dir", "", "`directory` of the build cache (default: "+cache.DirName+" beside --dest)")
	noCache := fs.Bool("no-cache", false, "build everything, reading and writing no cache")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	start := time.Now()
	prog := newProgress(stdout)
	dir := ""
	if !*noCache {
		dir = cacheDirFor(*dest, *cacheDir)
	}
	res, err := build.Build(build.Options{Source: *src, Dest: *dest, BaseURL: *baseURL, NoMinify: *noMinify, Force: *force,
		Generator: "plansite " + version(), Progress: prog.update, LimitMemory: true, CacheDir: dir})
	prog.done()
	if err != nil {
		return err
	}
	if res.CacheErr != nil {
		fmt.Fprintf(stderr, "plansite build: warning: built without the cache: %v\n", res.CacheErr)
	}
	n := printProblems(stdout, *src, res.Model.Site)
	fmt.Fprintf(stdout, "built %d documents, %d pages into %s in %s (%d written, %d unchanged, %d removed; %d documents parsed, %d pages rendered); %d problems\n",
		len(res.Model.Site.Docs), res.Pages, *dest, time.Since(start).Round(time.Millisecond),
		res.Stats.Written, res.Stats.Unchanged, res.Stats.Removed, res.Work.Parsed, res.Work.Rendered, n)
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

// printProblems prints every problem as path:line: severity: message and
// returns how many there were.
func printProblems(w io.Writer, src string, site *plan.Site) int {
	n := 0
	for _, p := range site.Problems {
		fmt.Fprintf(w, "%s:%d: %s: %s\n", filepath.Join(src, p.Source), p.Line, p.Severity, p.Message)
		n++
	}
	for _, d := range site.Docs {
		for _, p := range d.Problems {
			fmt.Fprintf(w, "%s:%d: %s: %s\n", filepath.Join(src, d.Source), p.Line, p.Severity, p.Message)
			n++
		}
	}
	return n
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
