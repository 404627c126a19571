package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/plansite/plansite/site/plan"
)

func (w *walker) list(l *ast.List, ctx *itemCtx) {
	// A bold label just above ("**Acceptance Criteria**:") names this list.
	label, labelLine, labelGate := w.label, w.labelLine, w.labelGate
	for li := l.FirstChild(); li != nil; li = li.NextSibling() {
		w.label, w.labelLine, w.labelGate = label, labelLine, labelGate
		w.listItem(li, ctx)
		labelGate = w.labelGate
	}
	w.clearLabel()
}

func checkbox(first ast.Node) (box, checked bool) {
	if first == nil {
		return false, false
	}
	if cb, ok := first.FirstChild().(*extast.TaskCheckBox); ok {
		return true, cb.IsChecked
	}
	return false, false
}

func (w *walker) listItem(li ast.Node, ctx *itemCtx) {
	first := li.FirstChild()
	var ls []srcLine
	rest := first
	if _, ok := first.(*ast.Paragraph); ok {
		ls, rest = w.lines(first), first.NextSibling()
	} else if _, ok := first.(*ast.TextBlock); ok {
		ls, rest = w.lines(first), first.NextSibling()
	}
	child := ctx
	box, checked := checkbox(first)
	mark := plan.Unknown
	if !box && len(ls) > 0 {
		// "[-] 5. Title": a box GFM does not know (Kiro's in progress).
		if m, text, ok := otherMark(ls[0].text); ok {
			box, mark = true, m
			ls[0].text = text
		}
	}
	switch {
	case box && len(ls) > 0:
		text := trimCheckbox(ls[0].text)
		optional := false
		if strings.HasPrefix(text, optionalMark+" ") {
			// "[ ]* 2.2 Title": optional work (Kiro).
			optional, text = true, strings.TrimLeft(text[len(optionalMark):], " ")
		}
		if t := w.checkItem(text, checked, ls[0].line, ctx, optional, mark); t != nil {
			child = &itemCtx{task: t}
		}
	case len(ls) > 0 && w.rec.line != nil && w.rec.line(w, ls[0], w.curTask(ctx)):
	case len(ls) > 0 && w.rec.glyphItems && w.glyphItem(ls[0]):
	case len(ls) > 0 && !w.logLine(ls[0]):
		var buf fieldBuf
		for _, f := range appendFieldLine(buf[:0], ls[0].text, ls[0].line, w.plainFieldsHere()) {
			w.fieldAt(f, ctx)
		}
	}
	// Continuation lines folded into the item: "Assigned Subagent(s): x",
	// or a "**Return to**:" line CommonMark took as a lazy continuation.
	if len(ls) > 1 {
		plain := child != ctx
		var buf fieldBuf
		for _, l := range ls[1:] {
			for _, f := range appendFieldLine(buf[:0], l.text, l.line, plain) {
				w.fieldAt(f, child)
			}
		}
	}
	for c := rest; c != nil; c = c.NextSibling() {
		w.block(c, child)
	}
}

// checkItem counts one checkbox and files it under the task or gate it
// belongs to. When the item is itself a task ("- [ ] TASK-1: Name (3 pts)")
// it returns the task, for its nested items and fields.
func (w *walker) checkItem(text string, checked bool, line int, ctx *itemCtx, optional bool, mark string) *plan.Task {
	if w.rec.boxGate != nil {
		if g := w.rec.boxGate(w, line); g != nil {
			g.Total++
			if checked {
				g.Done++
			}
			g.Items = append(g.Items, &plan.Item{Text: stripInline(text), Checked: checked, Line: line})
			return nil
		}
	}
	if (ctx == nil || ctx.task == nil || w.rec.nestedTasks) && w.rec.item != nil {
		if it, ok := w.rec.item(w, text); ok {
			return w.convTask(it, checked, line, optional, mark)
		}
	}
	if w.rec.countBox == nil || w.rec.countBox(w) {
		w.countBox(checked, optional)
	} else {
		w.trace(line, "skipped", "a box outside the convention's task list, not counted: %s", text)
	}
	if ctx == nil || ctx.task == nil {
		if m := matchItemTask(text); m != nil && (w.rec.item == nil || w.rec.genericItems) {
			t := w.newTask(m[1], m[2], line, w.topAnchor())
			if t.Status == plan.Unknown || t.Status == plan.Complete && !checked {
				if checked {
					t.Status = plan.Complete
				} else if t.Status == plan.Unknown {
					t.Status = plan.NotStarted
				}
			}
			if checked && t.Status != plan.Complete && t.Status != plan.Deferred {
				t.Status = plan.Complete
			}
			w.taskOwn[t] = true
			return t
		}
	}
	explicitGate := w.label != "" && explicitGateRe.MatchString(w.label)
	if t := w.curTask(ctx); t != nil && (ctx != nil && ctx.task != nil || !explicitGate) {
		t.Total++
		if checked {
			t.Done++
		}
		return nil
	}
	if g := w.gateFor(); g != nil {
		g.Total++
		if checked {
			g.Done++
		}
		g.Items = append(g.Items, &plan.Item{Text: stripInline(text), Checked: checked, Line: line})
	}
	return nil
}

// countBox counts one box toward the document's and the phase's completion;
// optional work is counted apart.
func (w *walker) countBox(checked, optional bool) {
	if optional {
		w.doc.Completion.OptionalTotal++
		if checked {
			w.doc.Completion.OptionalDone++
		}
		return
	}
	w.doc.Completion.Total++
	if checked {
		w.doc.Completion.Done++
	}
	if p := w.curPhase(); p != nil {
		p.Total++
		if checked {
			p.Done++
		}
	}
}

// convTask makes the task a convention's grammar read off a checklist item.
func (w *walker) convTask(it taskItem, checked bool, line int, optional bool, mark string) *plan.Task {
	w.countBox(checked, optional)
	t := w.newTask(it.id, it.title, line, w.topAnchor())
	t.Parallel, t.Story, t.Refs, t.Optional = it.parallel, it.story, it.refs, optional
	switch {
	case checked:
		t.Status = plan.Complete
	case mark != plan.Unknown:
		t.Status = mark
	case t.Status == plan.Unknown || t.Status == plan.Complete:
		t.Status = plan.NotStarted
	}
	w.taskOwn[t] = true
	w.trace(line, "task", "%s %q %s", t.ID, t.Title, t.Status)
	return t
}

// otherMark reads a box GFM does not know ("[-] text") off an item's first line.
func otherMark(line string) (status, rest string, ok bool) {
	t := strings.TrimLeft(line, " ")
	for _, m := range checkMarks {
		if strings.HasPrefix(t, m.mark) && len(t) > len(m.mark) && t[len(m.mark)] == ' ' {
			return m.status, strings.TrimLeft(t[len(m.mark):], " "), true
		}
	}
	return "", line, false
}

// glyphItem reads "✅ Item" in a gate section as a checked item and "❌ Item"
// as an open one (spec-kit's Constitution Check).
func (w *walker) glyphItem(l srcLine) bool {
	t := trimBullet(l.text)
	for _, g := range glyphStatus {
		if !strings.HasPrefix(t, g.glyph) {
			continue
		}
		gate := w.gateFor()
		if gate == nil {
			return false
		}
		checked := g.status == plan.Complete
		gate.Total++
		if checked {
			gate.Done++
		}
		gate.Items = append(gate.Items, &plan.Item{Text: stripInline(strings.TrimSpace(strings.TrimPrefix(t, g.glyph))), Checked: checked, Line: l.line})
		return true
	}
	return false
}

// ---------------------------------------------------------------------------
// Work-log entries

func (w *walker) logKind() plan.LogKind {
	for i := len(w.stack) - 1; i >= 0; i-- {
		if w.stack[i].log != "" {
			return w.stack[i].log
		}
	}
	return plan.LogWork
}

func (w *walker) addEntry(ts Timestamp, title string, line int) {
	if w.entries == nil {
		w.entries = map[int]bool{}
	}
	if w.entries[line] {
		return
	}
	w.entries[line] = true
	t := ts.RFC3339()
	if len(title) > 160 {
		title = cutText(title, 160)
	}
	w.doc.Worklog = append(w.doc.Worklog, &plan.LogEntry{Time: &t, Title: stripInline(title), Kind: w.logKind(), Anchor: w.topAnchor(), Line: line})
}

// logLine reads a bold-timestamp entry: "**2025-11-12 14:30 EST** - Title",
// "- **[2025-11-20]** Text", "- **2025-11-13**: Text".
func (w *walker) logLine(l srcLine) bool {
	t := trimBullet(l.text)
	if !strings.HasPrefix(t, "**") || !mayStartDate(strings.TrimLeft(strings.TrimPrefix(t[2:], "["), " \t")) {
		return false // "**Status**: …" is not a timestamp
	}
	m := boldDateRe.FindStringSubmatch(l.text)
	if m == nil {
		return false
	}
	inner := strings.TrimSpace(m[1])
	ts, ok := ParseTimestamp(inner, w.zone)
	if !ok || ts.Len != len(inner) {
		return false
	}
	title := strings.TrimSpace(m[2])
	if title == "" {
		title = inner
	}
	w.addEntry(ts, title, l.line)
	return true
}

// datedHeading reads a heading entry: "2025-11-19 - Session 2",
// "2025-11-12 (17:30) - Title", "2025-11-12 (Evening Session)",
// "Session 1 (2025-11-15)".
func (w *walker) datedHeading(text, lower string, line int, s *section) {
	if text == "" || (text[0] < '0' || text[0] > '9') && !strings.HasPrefix(lower, "session") {
		return
	}
	if m := sessionHeadRe.FindStringSubmatch(text); m != nil {
		if ts, ok := ParseTimestamp(m[2], w.zone); ok {
			w.addEntry(ts, "Session "+m[1]+" "+strings.TrimSpace(m[3]), line)
		}
		return
	}
	m := headDateRe.FindStringSubmatch(text)
	if m == nil {
		return
	}
	stamp := m[1]
	if m[2] != "" {
		stamp += " " + m[2]
	}
	ts, ok := ParseTimestamp(stamp, w.zone)
	if !ok {
		return
	}
	title := strings.TrimSpace(m[4])
	if title == "" {
		title = strings.TrimSpace(m[3])
	}
	if title == "" {
		title = m[1]
	}
	w.addEntry(ts, title, line)
}

// explicitGateRe is a label that names a gate outright ("**Gate 1: …**"): its
// checklist is the gate's even inside a task's section.
var explicitGateRe = regexp.MustCompile(`(?i)\bgate\b`)

// matchItemTask matches itemTaskRe ("1.1: Title", "**TASK-001**: Name")
// after a cheap test: an id opens with a digit or a capital, and a colon
// follows it.
func matchItemTask(text string) []string {
	t := strings.TrimSpace(text)
	if !strings.Contains(t, ":") {
		return nil
	}
	s := strings.TrimPrefix(t, "**")
	if len(s) > 4 && strings.EqualFold(s[:4], "task") && strings.ContainsRune(" \t\n\v\f\r", rune(s[4])) {
		s = strings.TrimLeft(s[4:], " \t\n\v\f\r") // "Task 2.3: …"
	}
	if !idOpens(s) {
		return nil
	}
	return itemTaskRe.FindStringSubmatch(t)
}

// cutText shortens s to at most n bytes and adds "…": at the last space
// before the limit, else at the last whole character (text without spaces,
// as Chinese and Japanese are written), never inside one.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if sp := strings.LastIndex(s[:cut], " "); sp > 0 {
		cut = sp + 1
	}
	return s[:cut] + "…"
}

// trimCheckbox is line without the "[ ]" or "[x]" it opens with, and the
// spaces around it: checkboxRe replaced, by hand.
func trimCheckbox(line string) string {
	_, rest, _ := cutCheckbox(line)
	return rest
}

// cutCheckbox is checkboxRe's match, by hand: the mark of the box line
// opens with (' ', 'x' or 'X'), and line without the box and the spaces
// around it.
func cutCheckbox(line string) (mark byte, rest string, ok bool) {
	i := 0
	for i < len(line) && isSpace(line[i]) {
		i++
	}
	if len(line) < i+3 || line[i] != '[' || line[i+2] != ']' || line[i+1] != ' ' && line[i+1] != 'x' && line[i+1] != 'X' {
		return 0, line, false
	}
	mark = line[i+1]
	i += 3
	for i < len(line) && isSpace(line[i]) {
		i++
	}
	return mark, line[i:], true
}
