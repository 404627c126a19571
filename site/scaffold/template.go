package scaffold

import (
	"fmt"
	"strings"
)

// doc is the text of a new document in the conventions plansite reads best:
// a status header, success criteria, a task with an agent, a gate, a work
// log, and previous/next links in a footer.
type doc struct {
	number, title string
	date          string // YYYY-MM-DD
	prev          string // "[Phase 1: X](./phase-1-x.md)", or ""
	returnTo      string // "[Plan overview](./README.md)", or ""
	command       string // the command that made it, for the work log
}

func (d doc) phase() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Phase %s: %s\n\n", d.number, d.title)
	fmt.Fprintf(&b, "**Status**: Not Started\n**Last Updated**: %s\n**Completion**: 0%%\n", d.date)
	b.WriteString("**Phase Goal**: What this phase delivers, in one sentence.\n\n")
	b.WriteString("Why this phase is needed and what it changes, in a paragraph.\n\n")
	b.WriteString("## Success Criteria\n\n")
	b.WriteString("- [ ] The first outcome that must be true when this phase is done\n")
	b.WriteString("- [ ] The second outcome\n\n")
	b.WriteString("## Tasks\n\n")
	fmt.Fprintf(&b, "#### %s.1 First task\n", d.number)
	b.WriteString("- **Status**: Not Started\n- **Assigned**: TBD\n- **Subtasks**:\n")
	b.WriteString("  - [ ] First step\n  - [ ] Second step\n\n")
	b.WriteString("## Quality Gates\n\n")
	b.WriteString("### Gate 1: Phase complete\n")
	b.WriteString("- [ ] Every success criterion above is checked\n- [ ] The work is reviewed\n\n")
	b.WriteString("## Work Log\n\n")
	fmt.Fprintf(&b, "### %s: Phase created\n\nPlanned with `%s`.\n\n", d.date, d.command)
	b.WriteString("---\n\n")
	if d.prev != "" {
		fmt.Fprintf(&b, "**Previous Phase**: %s\n", d.prev)
	}
	b.WriteString("**Next Phase**: " + NotPlanned + "\n")
	if d.returnTo != "" {
		fmt.Fprintf(&b, "**Return to**: %s\n", d.returnTo)
	}
	return b.String()
}

// NotPlanned is the Next Phase of a new last phase, replaced by the next
// `plansite new phase`.
const NotPlanned = "Not planned yet"

// overview is the README of a new plan.
func overview(title, date, firstPhase string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", title)
	fmt.Fprintf(&b, "**Status**: Not Started\n**Last Updated**: %s\n", date)
	b.WriteString("**Goal**: What this plan delivers, in one sentence.\n\n")
	b.WriteString("What the plan is for and who works on it, in a paragraph.\n\n")
	b.WriteString("## Phases\n\n")
	fmt.Fprintf(&b, "- %s\n\n", firstPhase)
	b.WriteString("Add the next phase with `plansite new phase NAME --dir` and this directory.\n")
	return b.String()
}
