package check

import (
	"cmp"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/plansite/plansite/internal/typo"
	"github.com/plansite/plansite/site/plan"
)

// mention is one place an agent is named.
type mention struct {
	source string
	line   int
}

// agentTypos reports agent names that are a near miss of a name defined in
// the tree, or of a name used more often: most likely the same agent,
// mistyped.
func agentTypos(site *plan.Site, opts Options) []Finding {
	known := opts.KnownAgents
	uses := map[string][]mention{}
	for _, d := range site.Docs {
		if d.Kind == plan.KindTemplate {
			continue
		}
		// The model keeps the line that names each agent.
		for _, t := range d.Tasks {
			for _, a := range t.Agents {
				uses[a.Name] = append(uses[a.Name], mention{d.Source, cmp.Or(a.Line, t.Line)})
			}
		}
		for _, p := range d.Phases {
			for _, a := range p.Agents {
				uses[a] = append(uses[a], mention{d.Source, cmp.Or(p.AgentLines[a], p.Line)})
			}
		}
	}
	isKnown := map[string]bool{}
	for _, k := range known {
		isKnown[k] = true
	}
	names := make([]string, 0, len(uses))
	for n := range uses {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []Finding
	for _, n := range names {
		if isKnown[n] {
			continue
		}
		best, why := "", ""
		for _, k := range known {
			if nearMiss(n, k) {
				best, why = k, "an agent defined in .claude/agents"
				break
			}
		}
		if best == "" {
			most := len(uses[n])
			for _, m := range names {
				if c := len(uses[m]); c > most && nearMiss(n, m) {
					best, most, why = m, c, fmt.Sprintf("used %d times", c)
				}
			}
		}
		if best == "" {
			continue
		}
		for _, u := range uses[n] {
			out = append(out, Finding{Source: u.source, Line: u.line, Severity: plan.SevWarning, Code: CodeAgentTypo,
				Message: fmt.Sprintf("agent %q looks like a typo of %q (%s)", n, best, why)})
		}
	}
	return out
}

// nearMiss reports whether a and b are probably one name mistyped: the same
// once case and separators are ignored, or a small edit apart for names
// long enough that a small edit is not another word. Names that differ
// only in digits (agent-v1, agent-v2) are different agents.
func nearMiss(a, b string) bool {
	if a == b {
		return false
	}
	sa, sb := squash(a), squash(b)
	if sa == sb {
		return true
	}
	if stripDigits(sa) == stripDigits(sb) {
		return false
	}
	d, short := typo.Distance(sa, sb), min(len(sa), len(sb))
	return d == 1 && short >= 6 || d == 2 && short >= 10
}

// squash lower-cases a name and drops its separators.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', ' ', '.':
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

func stripDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return -1
		}
		return r
	}, s)
}

// KnownAgents lists the agents a tree defines: the base names of the
// Markdown files under .claude/agents. A tree without them defines none.
func KnownAgents(root string) ([]string, error) {
	dir := filepath.Join(root, ".claude", "agents")
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return fs.SkipAll
			}
			return err
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".md") && !strings.EqualFold(d.Name(), "README.md") {
			out = append(out, strings.TrimSuffix(d.Name(), filepath.Ext(d.Name())))
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
