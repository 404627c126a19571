package extract

import (
	"regexp"
	"strings"

	"github.com/plansite/plansite/site/plan"
)

// agentMention is one agent named in a field or table cell, with the role a
// qualifier gave it and the task ids it was limited to ("(1.2 only)").
type agentMention struct {
	name string
	role string // "" when no qualifier said
	only []string
}

var (
	agentNameRe  = regexp.MustCompile(`^[a-z0-9][a-z0-9]*(?:[-_][a-z0-9]+)*$`)
	agentSplitRe = regexp.MustCompile(`\s*(?:,|\+|&|;|/|\bor\b|\band\b)\s*`)
	orAndRe      = regexp.MustCompile(`\s+(?:or|and)\s+`)
	qualifierRe  = regexp.MustCompile(`\(([^()]*)\)`)
	notAgents    = map[string]bool{"none": true, "n-a": true, "na": true, "tbd": true, "todo": true, "self": true, "all": true, "any": true, "direct": true, "none-needed": true, "yes": true, "no": true}
)

// parseAgents reads the agents named in a value: "a, b", "`a` + `b`", "@a",
// "**a** (infrastructure)", "a (1.2 only)", "a (primary), b (review)". Human
// roles and "None needed" are not agents.
func parseAgents(value string) []agentMention {
	v := stripInline(value)
	// Split on separators outside parentheses.
	var parts []string
	depth, start := 0, 0
	for i, r := range v {
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		}
		if depth == 0 && (r == ',' || r == '+' || r == '&' || r == ';') {
			parts = append(parts, v[start:i])
			start = i + 1
		}
	}
	parts = append(parts, v[start:])
	var out []agentMention
	for _, p := range parts {
		splitOrAnd(p, func(q string) {
			if m, ok := parseAgent(q); ok {
				out = append(out, m)
			}
		})
	}
	return out
}

// splitOrAnd calls f with each part of s, as orAndRe.Split(s, -1) would
// return them, read by hand (TestSplitOrAnd holds it to the regexp): a
// match is a run of spaces, "or" or "and", and a run of spaces.
func splitOrAnd(s string, f func(string)) {
	beg := 0
	for i := 0; i < len(s); {
		if !isSpace(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		k := j
		switch {
		case strings.HasPrefix(s[j:], "or"):
			k += len("or")
		case strings.HasPrefix(s[j:], "and"):
			k += len("and")
		}
		if k == j || k >= len(s) || !isSpace(s[k]) {
			i = j
			continue
		}
		for k < len(s) && isSpace(s[k]) {
			k++
		}
		f(s[beg:i])
		beg, i = k, k
	}
	f(s[beg:])
}

func parseAgent(s string) (agentMention, bool) {
	s = strings.TrimSpace(s)
	var quals []string
	if strings.IndexByte(s, '(') >= 0 { // else qualifierRe has nothing to find
		for _, m := range qualifierRe.FindAllStringSubmatch(s, -1) {
			quals = append(quals, strings.ToLower(m[1]))
		}
		s = strings.TrimSpace(qualifierRe.ReplaceAllString(s, ""))
	}
	s = strings.TrimPrefix(strings.Trim(s, "[]`*_ "), "@")
	s = strings.TrimSpace(strings.Trim(s, "[]`*_ .:"))
	if i := strings.IndexAny(s, " \t"); i > 0 {
		// "python-backend-engineer - Blueprint parser": the name is the first word.
		rest := strings.TrimSpace(s[i:])
		if strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, ":") {
			s = s[:i]
		}
	}
	name := strings.ToLower(s)
	if !isAgentName(name) || notAgents[name] || !strings.ContainsAny(name, "-_") && len(name) < 3 {
		return agentMention{}, false
	}
	// A lone capitalised word ("Skill", "QA") is a human role, not an agent.
	if !strings.ContainsAny(s, "-_") && s != name {
		return agentMention{}, false
	}
	m := agentMention{name: name}
	for _, q := range quals {
		switch {
		case strings.Contains(q, "primary") || strings.Contains(q, "lead"):
			m.role = plan.RolePrimary
		case strings.Contains(q, "backup") || strings.Contains(q, "fallback"):
			m.role = plan.RoleBackup
		case strings.Contains(q, "review"):
			m.role = plan.RoleReview
		}
		if strings.Contains(q, "only") {
			m.only = append(m.only, taskIDsIn(q)...)
		}
	}
	return m, true
}

var taskIDRe = regexp.MustCompile(`\b(?:` + idPattern + `)\b`)

// taskIDsIn lists the task ids written in s ("1.1, 1.2 and 1.3", "N6-1").
func taskIDsIn(s string) []string {
	return taskIDRe.FindAllString(stripInline(s), -1)
}

// addAgent gives a task an agent in a role, once, with the line that names
// it (the first, when several do).
func addAgent(t *plan.Task, name, role string, line int) {
	for _, a := range t.Agents {
		if a.Name == name && a.Role == role {
			return
		}
	}
	t.Agents = append(t.Agents, &plan.AgentRef{Name: name, Role: role, Line: line})
}

func hasRole(t *plan.Task, role string) bool {
	for _, a := range t.Agents {
		if a.Role == role {
			return true
		}
	}
	return false
}

// isAgentName is agentNameRe's match, by hand: words of lower-case letters
// and digits joined by single hyphens or underscores.
func isAgentName(s string) bool {
	sep := true // at the start, as after a separator, a letter or digit must come
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			sep = false
		case (c == '-' || c == '_') && !sep:
			sep = true
		default:
			return false
		}
	}
	return s != "" && !sep
}
