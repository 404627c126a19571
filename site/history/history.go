// Package history reads how documents burned down from the git history of
// the source tree: checked and unchecked boxes at each commit that touched
// one. It is read once, for every document, before any page is rendered
// (a page rendered again, as plansite serve does on every edit, asks git
// nothing), and read again only when the work tree's commit moves.
package history

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/plansite/plansite/internal/workers"
	"github.com/plansite/plansite/site/chart"
	"github.com/plansite/plansite/site/extract"
)

// Repo is the git history of a source tree.
type Repo struct {
	top    string // the work tree's root
	prefix string // the source root relative to top, slash-separated, "" at top

	mu      sync.Mutex
	head    string                   // the commit the history below was read at
	touched map[string]int           // path from top → commits that touched it
	points  map[string][]chart.Point // source → its burn, read
}

// Bounds that keep history out of the hot path of large sites.
const (
	MaxDocs    = 2000 // sites with more documents skip the git series
	maxCommits = 50   // per document, newest first
)

// Open is the history of the source root prefix (slash-separated, "" at the
// top) of the work tree top; nil when top is "" (no repository).
func Open(top, prefix string) *Repo {
	if top == "" {
		return nil
	}
	return &Repo{top: top, prefix: prefix}
}

// Enabled reports whether a site of docs documents reads history.
func (g *Repo) Enabled(docs int) bool { return g != nil && docs <= MaxDocs }

// Head is the commit the work tree is at ("" when git cannot say).
func (g *Repo) Head() string {
	out, err := exec.Command("git", "-C", g.top, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// Read reads the burn of every source named, on every core: the stage that
// runs before rendering. What was read at the same commit is kept.
func (g *Repo) Read(sources []string) {
	head := g.Head()
	g.mu.Lock()
	if g.head != head || g.points == nil {
		g.head, g.touched, g.points = head, nil, map[string][]chart.Point{}
	}
	var todo []string
	for _, s := range sources {
		if _, ok := g.points[s]; !ok {
			todo = append(todo, s)
		}
	}
	g.mu.Unlock()
	got := make([][]chart.Point, len(todo))
	workers.Each(len(todo), func(i int) { got[i] = g.read(todo[i]) })
	g.mu.Lock()
	for i, s := range todo {
		g.points[s] = got[i]
	}
	g.mu.Unlock()
}

// Points is the burn of source read by Read: remaining checkboxes at each
// commit that touched it, oldest first; nil with fewer than two.
func (g *Repo) Points(source string) []chart.Point {
	g.mu.Lock()
	ps, ok := g.points[source]
	g.mu.Unlock()
	if !ok {
		g.Read([]string{source}) // not read with the others: a document new since
		g.mu.Lock()
		ps = g.points[source]
		g.mu.Unlock()
	}
	return ps
}

// commits counts the commits touching each file under the source root, with
// one git log for the whole tree, so documents changed once cost nothing.
func (g *Repo) commits(file string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.touched == nil {
		g.touched = map[string]int{}
		args := []string{"-C", g.top, "-c", "core.quotePath=false", "log", "--format=", "--name-only", "-n", "5000"}
		if g.prefix != "" {
			args = append(args, "--", g.prefix)
		}
		if out, err := exec.Command("git", args...).Output(); err == nil {
			for _, l := range strings.Split(string(out), "\n") {
				if l != "" {
					g.touched[l]++
				}
			}
		}
	}
	return g.touched[file]
}

// read is remaining checkboxes at each commit that touched source,
// oldest first; nil when it has fewer than two such commits. Each version is
// read with the same extraction as the current one.
func (g *Repo) read(source string) []chart.Point {
	file := path.Join(g.prefix, source)
	if g.commits(file) < 2 {
		return nil
	}
	log, err := exec.Command("git", "-C", g.top, "-c", "core.quotePath=false", "log", "--follow", "-n", fmt.Sprint(maxCommits),
		"--format=%x00%H %cI", "--name-only", "--", file).Output()
	if err != nil {
		return nil
	}
	type version struct {
		hash, path string
		when       time.Time
	}
	var vs []version
	for _, rec := range strings.Split(string(log), "\x00") {
		lines := strings.Split(strings.TrimSpace(rec), "\n")
		head := strings.Fields(lines[0])
		if len(lines) < 2 || len(head) != 2 {
			continue
		}
		t, err := time.Parse(time.RFC3339, head[1])
		if err != nil {
			continue
		}
		vs = append(vs, version{hash: head[0], when: t, path: strings.TrimSpace(lines[len(lines)-1])})
	}
	if len(vs) < 2 {
		return nil
	}
	// One git process reads every version.
	var in bytes.Buffer
	for _, v := range vs {
		fmt.Fprintf(&in, "%s:%s\n", v.hash, v.path)
	}
	cmd := exec.Command("git", "-C", g.top, "cat-file", "--batch")
	cmd.Stdin = &in
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	r := bufio.NewReader(bytes.NewReader(out))
	var ps []chart.Point
	for _, v := range vs {
		header, err := r.ReadString('\n')
		if err != nil {
			return nil
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[1] != "blob" {
			continue // "missing"
		}
		var size int
		fmt.Sscan(f[2], &size)
		body := make([]byte, size+1) // and the trailing newline
		if _, err := io.ReadFull(r, body); err != nil {
			return nil
		}
		c := extract.Extract(source, body[:size], extract.Options{}).Doc.Completion
		if c.Total == 0 {
			continue
		}
		ps = append(ps, chart.Point{Time: v.when, Remaining: float64(c.Total - c.Done), Scope: float64(c.Total),
			Label: "commit " + v.hash[:8]})
	}
	// git log lists newest first.
	for i, j := 0, len(ps)-1; i < j; i, j = i+1, j-1 {
		ps[i], ps[j] = ps[j], ps[i]
	}
	if len(ps) < 2 {
		return nil
	}
	return ps
}
