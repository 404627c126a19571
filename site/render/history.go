package render

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

	"github.com/plansite/plansite/site/chart"
	"github.com/plansite/plansite/site/extract"
)

// gitRepo reads how documents burned down from the git history of the
// source tree: checked and unchecked boxes at each commit that touched one.
type gitRepo struct {
	top    string // the work tree's root
	prefix string // the source root relative to top, slash-separated, "" at top

	once    sync.Once
	touched map[string]int // path from top → commits that touched it
}

// Bounds that keep history out of the hot path of large sites.
const (
	maxGitDocs    = 2000 // sites with more documents skip the git series
	maxGitCommits = 50   // per document, newest first
)

// openGit reads history from the work tree the repository was found in;
// nil when there is none.
func openGit(r repository) *gitRepo {
	if r.top == "" {
		return nil
	}
	return &gitRepo{top: r.top, prefix: r.prefix}
}

func (g *gitRepo) enabled(docs int) bool { return g != nil && docs <= maxGitDocs }

// commits counts the commits touching each file under the source root, with
// one git log for the whole tree, so documents changed once cost nothing.
func (g *gitRepo) commits(file string) int {
	g.once.Do(func() {
		g.touched = map[string]int{}
		args := []string{"-C", g.top, "-c", "core.quotePath=false", "log", "--format=", "--name-only", "-n", "5000"}
		if g.prefix != "" {
			args = append(args, "--", g.prefix)
		}
		out, err := exec.Command("git", args...).Output()
		if err != nil {
			return
		}
		for _, l := range strings.Split(string(out), "\n") {
			if l != "" {
				g.touched[l]++
			}
		}
	})
	return g.touched[file]
}

// history is remaining checkboxes at each commit that touched source,
// oldest first; nil when it has fewer than two such commits. Each version is
// read with the same extraction as the current one.
func (g *gitRepo) history(source string) []chart.Point {
	file := path.Join(g.prefix, source)
	if g.commits(file) < 2 {
		return nil
	}
	log, err := exec.Command("git", "-C", g.top, "-c", "core.quotePath=false", "log", "--follow", "-n", fmt.Sprint(maxGitCommits),
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
