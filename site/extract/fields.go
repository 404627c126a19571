package extract

import (
	"regexp"
	"strconv"
	"strings"
)

// A field is a `**Key**: value` pair as written in a plan.
type field struct {
	key   string // normalised (see normKey)
	label string // as written
	value string // raw, Markdown kept
	line  int
}

var (
	// **Key**: value, **Key:** value, optionally after a list bullet.
	boldFieldRe = regexp.MustCompile(`^\s*(?:[-*+]\s+|\d+[.)]\s+)?\*\*([^*\n]{1,60}?)(:?)\*\*(:?)\s*(.*)$`)
	// Key: value, for the `## Status` list form and continuation lines.
	plainFieldRe = regexp.MustCompile(`^\s*(?:[-*+]\s+)?([A-Z][A-Za-z ()/]{1,40}?):\s+(\S.*)$`)
	pipeSplitRe  = regexp.MustCompile(`\s+\|\s+(\*\*[^*]+\*\*)`)
)

// parseFieldLine reads the fields on one source line: one `**Key**: value`
// pair, or several joined by ` | `. plain allows `Key: value` without bold.
func parseFieldLine(line string, lineNo int, plain bool) []field {
	m := boldFieldRe.FindStringSubmatch(line)
	if m != nil && (m[2] == ":") != (m[3] == ":") {
		// Pipe-joined pairs: **Status**: Draft | **Phase**: QA
		var out []field
		parts := pipeSplitRe.ReplaceAllString(line, "\x00$1")
		for _, part := range strings.Split(parts, "\x00") {
			pm := boldFieldRe.FindStringSubmatch(part)
			if pm == nil || (pm[2] == ":") == (pm[3] == ":") {
				continue
			}
			out = append(out, field{key: normKey(pm[1]), label: strings.TrimSpace(pm[1]), value: strings.TrimSpace(pm[4]), line: lineNo})
		}
		return out
	}
	if plain {
		if pm := plainFieldRe.FindStringSubmatch(line); pm != nil {
			return []field{{key: normKey(pm[1]), label: strings.TrimSpace(pm[1]), value: strings.TrimSpace(pm[2]), line: lineNo}}
		}
	}
	return nil
}

// keySynonyms folds the many names of one field to one key (SURVEY §2).
var keySynonyms = map[string]string{
	"started": "start", "start-date": "start", "date-started": "start", "start": "start",
	"completed": "done", "date-completed": "done", "completion-date": "done", "completed-date": "done",
	"last-updated": "updated", "generated": "updated", "date": "updated", "updated": "updated", "last-update": "updated",
	"effort": "effort", "estimated-effort": "effort", "story-points": "effort", "total-effort": "effort", "estimate": "effort",
	"plan": "plan", "plan-path": "plan", "parent-plan": "plan", "implementation-plan": "plan",
	"completion": "completion", "overall-completion": "completion", "completion-percentage": "completion",
	"overall-progress": "completion", "progress": "completion",
	"previous-phase": "prev", "previous": "prev", "prev": "prev", "prev-phase": "prev",
	"next-phase": "next", "next": "next",
	"phase-goal": "goal", "goal": "goal", "goals": "goal", "purpose": "goal", "objective": "goal",
	"duration": "duration", "timeline": "duration", "estimated-duration": "duration",
	"status": "status", "current-status": "status", "overall-status": "status",
	"assigned": "assigned", "assigned-to": "assigned", "assignee": "assigned", "owner": "assigned",
	"subagent": "assigned", "subagents": "assigned", "subagent-s": "assigned", "assigned-subagent": "assigned",
	"assigned-subagent-s": "assigned", "assigned-subagents": "assigned", "agent": "assigned", "agents": "assigned",
	"agent-s": "assigned", "primary-agent": "assigned", "delegate-to": "assigned", "subagent-assignment": "assigned",
	"mixed-agents": "assigned", "lead": "assigned", "primary": "assigned",
	"backup": "backup", "backup-agent": "backup",
	"review": "review", "reviewer": "review", "review-agent": "review", "reviewers": "review", "validation-agent": "review",
}

// normKey lower-cases a key and joins its words with hyphens; synonyms fold to one key.
func normKey(label string) string {
	k := Slug(strings.ReplaceAll(label, "(s)", "-s"))
	k = strings.TrimSuffix(k, "-")
	if s, ok := keySynonyms[k]; ok {
		return s
	}
	return k
}

var (
	pointsRe = regexp.MustCompile(`(?i)(?:^|[\s(,|-])(\d+(?:\.\d+)?)\s*(?:pts?|points?|sp|story points)\b`)
)

// pointsOf returns the story points written in s ("(3 pts)", "2 SP", "- 10 pts").
func pointsOf(s string) float64 {
	m := pointsRe.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	f, _ := strconv.ParseFloat(m[1], 64)
	return f
}
