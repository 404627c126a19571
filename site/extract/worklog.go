package extract

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/plansite/plansite/site/plan"
)

// What a work-log entry says was done. Entries are written as reports
// (SURVEY §10.2): a title, then bold labels ("**Completed:**", "**Next
// Steps:**", "**Phase 1 Completed:**") over bullets that name tasks by id
// ("- **SDS-006**: …", "- N6-1: …", "SYNC-003 done; SYNC-004 started"),
// ticked boxes, and running totals ("Tasks Completed: 20/20"). A task counts
// as done by an entry when the entry names it in a clause that reads as done:
// the clause's own status words, else those of the label over it, else the
// entry's title, else the heading the entry sits under ("### Completed
// Work"). A clause that reads as anything else (started, next, blocked)
// names work not done. Nothing is inferred from the task's state now.

// The counts of done work a clause may state, in the units plans count in:
// a fraction with its unit after it or before it ("20/20 tasks", "Tasks
// Completed: 20/20", "7/7 core tasks"), a count in parentheses ("(13 pts)"),
// or a count beside a done word ("3 tasks done"). Other numbers (tests
// passing, lines written, "all 12 tasks") are not done work.
const countUnit = `(tasks?|items?|subtasks?|stories|story points|points|pts|sp)`

var (
	fractionRe   = regexp.MustCompile(`(?i)(^|[^\w./-])(\d{1,5})\s*/\s*(\d{1,5})\b(?:\s*(?:[a-z]+\s+)?` + countUnit + `\b)?`)
	unitWordRe   = regexp.MustCompile(`(?i)\b` + countUnit + `\b`)
	parenCountRe = regexp.MustCompile(`(?i)\((\d{1,5})\s+` + countUnit + `\)`)
	doneCountRe  = regexp.MustCompile(`(?i)\b(?:(\d{1,5})\s+` + countUnit + `\s+(?:done|complete|completed|finished|closed)|(?:completed|finished|closed)\s+(\d{1,5})\s+` + countUnit + `)\b`)
)

// clauseSplit separates the clauses of a line: "SYNC-003 done; SYNC-004
// started". The splitter reads as it does, by hand (TestClauses holds it to
// the regexp).
var clauseSplit = regexp.MustCompile(`;|\.\s|\s[-–—]\s`)

// clauses calls f with each clause of s, as clauseSplit.Split(s, -1) would
// return them, without the slice.
func clauses(s string, f func(string)) {
	beg := 0
	for i := 0; i < len(s); {
		n := 0 // the length of the separator at i
		switch c := s[i]; {
		case c == ';':
			n = 1
		case c == '.':
			if i+1 < len(s) && isSpace(s[i+1]) {
				n = 2
			}
		case isSpace(c):
			if d := dashAt(s, i+1); d > 0 && i+1+d < len(s) && isSpace(s[i+1+d]) {
				n = 2 + d
			}
		}
		if n == 0 {
			i++
			continue
		}
		f(s[beg:i])
		i += n
		beg = i
	}
	f(s[beg:])
}

// isSpace is regexp's \s.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// dashAt is the length of the hyphen, en dash or em dash at i in s, else 0.
func dashAt(s string, i int) int {
	switch {
	case i < len(s) && s[i] == '-':
		return 1
	case strings.HasPrefix(s[i:], "–"), strings.HasPrefix(s[i:], "—"):
		return len("–")
	}
	return 0
}

// entryLabelRe is a bold label that opens a line, with its colon inside or after
// the bold: "**Completed:**", "**Status**: …". Group 1 is the label, group 2
// what follows it.
var entryLabelRe = regexp.MustCompile(`^\*\*([^*]{1,80}?):?\*\*\s*(?:\(\d+\))?\s*:?\s*(.*)$`)

// matchEntryLabel is entryLabelRe's match, read by hand: the label is what
// stands before the first star after the opening "**" (less the colon it
// may end with, at most 80 characters), then a count in parentheses and a
// colon may follow before the text.
func matchEntryLabel(line string) []string {
	if !strings.HasPrefix(line, "**") {
		return nil
	}
	body := line[2:]
	star := strings.IndexByte(body, '*')
	if star < 1 || !strings.HasPrefix(body[star:], "**") {
		return nil
	}
	label := body[:star]
	if star >= 2 && body[star-1] == ':' {
		label = body[:star-1]
	}
	if utf8.RuneCountInString(label) > 80 {
		return nil
	}
	const space = " \t\n\f\r" // regexp's \s
	rest := strings.TrimLeft(body[star+2:], space)
	if len(rest) > 2 && rest[0] == '(' {
		if i := strings.IndexByte(rest, ')'); i > 1 && strings.Trim(rest[1:i], "0123456789") == "" {
			rest = strings.TrimLeft(rest[i+1:], space)
		}
	}
	rest = strings.TrimLeft(strings.TrimPrefix(rest, ":"), space)
	if strings.IndexByte(rest, '\n') >= 0 {
		return nil // the text runs to the end of the line
	}
	return []string{line, label, rest}
}

// readLogDone records, for each dated work-log entry, what it says was done.
func (w *walker) readLogDone() {
	d := w.doc
	if len(d.Worklog) == 0 {
		return
	}
	tasks := map[string]*plan.Task{}
	for _, t := range d.Tasks {
		if t.ID != "" {
			if _, ok := tasks[t.ID]; !ok {
				tasks[t.ID] = t
			}
		}
	}
	phases := map[string]*plan.Phase{}
	for _, p := range d.Phases {
		if p.Number != "" {
			phases[p.Number] = p
		}
	}
	headAt := map[int]*plan.Heading{}
	for _, h := range d.Headings {
		headAt[h.Line] = h
	}
	starts := make([]int, 0, len(d.Worklog))
	for _, e := range d.Worklog {
		starts = append(starts, e.Line)
	}
	sort.Ints(starts)
	for _, e := range d.Worklog {
		if e.Kind != plan.LogWork {
			continue
		}
		level := 0 // a bold-timestamp entry ends at any heading
		if h := headAt[e.Line]; h != nil {
			level = h.Level
		}
		end := d.Lines + 1
		if i := sort.SearchInts(starts, e.Line+1); i < len(starts) {
			end = starts[i]
		}
		r := entryReader{w: w, tasks: tasks, phases: phases}
		// The entry's own status: its title's, else its section's; read
		// when a clause first needs it.
		r.contextOf = func() string {
			title := ""
			if h := headAt[e.Line]; h != nil {
				title = r.statusOf(h.Text)
			} else {
				title = r.statusOf(w.lineText(e.Line))
			}
			if title != plan.Unknown {
				return title
			}
			return r.statusOf(w.headingAbove(e.Line, level))
		}
		r.line(w.lineText(e.Line), true)
		r.label = ""
		for ln := e.Line + 1; ln < end && ln <= len(w.lineStarts); ln++ {
			if w.inCode(ln) {
				continue
			}
			text := w.lineText(ln)
			trim := strings.TrimSpace(text)
			if h := headAt[ln]; h != nil {
				if level == 0 || h.Level <= level {
					break
				}
				r.label = h.Text // a sub-heading labels what follows, as a bold label does
				continue
			}
			if isThematicBreak(trim) {
				break
			}
			if m := matchEntryLabel(trim); m != nil && !r.isTaskID(m[1]) {
				r.label = m[1]
				r.line(m[1]+" "+m[2], false)
				continue
			}
			r.line(text, false)
		}
		e.Done = r.result()
	}
}

// entryReader reads one entry's lines.
type entryReader struct {
	w           *walker
	tasks       map[string]*plan.Task
	phases      map[string]*plan.Phase
	context     string        // the entry's own status: its title's, else its section's
	contextOf   func() string // reads context, when contextRead is not set
	contextRead bool
	label       string // the bold label (or sub-heading) over the current line
	named       map[string]bool
	ids         []string
	phaseNo     []string // phases named done
	checked     int
	count       int
	of          int
	unit        string
	counted     bool // a fraction was read: it is the total, later counts add nothing
	toks        []token
}

// line reads one line: the ticked box it may be, then each clause. A label
// line is read as the label and what follows it.
func (r *entryReader) line(text string, title bool) {
	t := strings.TrimLeft(text, " \t")
	body := trimBullet(t)
	ticked := false
	if body != t || title {
		switch {
		case strings.HasPrefix(body, "[x] ") || strings.HasPrefix(body, "[X] "):
			ticked, body = true, body[4:]
		case strings.HasPrefix(body, "[ ] "):
			return // an open box names work not done
		}
	}
	namedBefore := len(r.ids) + len(r.phaseNo)
	labelStatus, labelRead := "", false
	clauses(body, func(clause string) {
		// A clause adds the ids and phases it names and a count (which
		// has digits); one with none of them adds nothing, done or not:
		// its status words are not read.
		ids, phases := r.idsIn(clause)
		if len(ids) == 0 && len(phases) == 0 && (r.counted || !mayCount(clause)) {
			return // (its status, read only to be told, is not read)
		}
		st := plan.Complete // a ticked box is done, whatever its words
		if !ticked {
			st = r.statusOf(clause)
			if st == plan.Unknown {
				if !labelRead {
					labelStatus, labelRead = r.statusOf(r.label), true
				}
				st = labelStatus
			}
			if st == plan.Unknown {
				if !r.contextRead {
					r.context, r.contextRead = r.contextOf(), true
				}
				st = r.context
			}
		}
		if st != plan.Complete {
			return
		}
		if r.named == nil {
			r.named = map[string]bool{}
		}
		for _, id := range ids {
			if !r.named[id] {
				r.named[id] = true
				r.ids = append(r.ids, id)
			}
		}
		for _, n := range phases {
			if !r.named["phase "+n] {
				r.named["phase "+n] = true
				r.phaseNo = append(r.phaseNo, n)
			}
		}
		r.readCount(clause)
	})
	if ticked && len(r.ids)+len(r.phaseNo) == namedBefore {
		r.checked++
	}
}

// readCount adds a count the clause states. A fraction ("20/20 tasks") is
// the entry's total and wins; other counts of one unit add up.
func (r *entryReader) readCount(clause string) {
	if r.counted || !mayCount(clause) {
		return
	}
	if strings.IndexByte(clause, '/') >= 0 {
		if m := fractionRe.FindStringSubmatchIndex(clause); m != nil {
			n, _ := strconv.Atoi(clause[m[4]:m[5]])
			of, _ := strconv.Atoi(clause[m[6]:m[7]])
			unit := ""
			if m[8] >= 0 {
				unit = clause[m[8]:m[9]]
			} else if us := unitWordRe.FindAllString(clause[:m[4]], -1); len(us) > 0 {
				unit = us[len(us)-1]
			}
			if unit != "" && of > 0 && n <= of {
				r.count, r.of, r.unit, r.counted = n, of, normUnit(unit), true
				return
			}
		}
	}
	add := func(num, unit string) {
		n, _ := strconv.Atoi(num)
		if u := normUnit(unit); r.unit == "" || r.unit == u {
			r.count += n
			r.unit = u
		}
	}
	if mayCountParen(clause) {
		for _, m := range parenCountRe.FindAllStringSubmatch(clause, -1) {
			add(m[1], m[2])
		}
	}
	if !mayCountDone(clause) {
		return
	}
	for _, m := range doneCountRe.FindAllStringSubmatch(clause, -1) {
		if m[1] != "" {
			add(m[1], m[2])
		} else {
			add(m[3], m[4])
		}
	}
}

// mayCount reports whether a clause may state a count readCount reads:
// every count has digits, and a fraction its slash, a parenthesised count
// its parenthesis on a digit, another count a done word. Most clauses need
// no regexp, and no status read to tell whether their count is done.
func mayCount(clause string) bool {
	return strings.ContainsAny(clause, "0123456789") &&
		(strings.IndexByte(clause, '/') >= 0 || mayCountParen(clause) || mayCountDone(clause))
}

// mayCountParen is parenCountRe's pre-check: a parenthesis opens on a
// digit.
func mayCountParen(clause string) bool {
	for i := strings.IndexByte(clause, '('); i >= 0 && i+1 < len(clause); {
		if isDigit(clause[i+1]) {
			return true
		}
		j := strings.IndexByte(clause[i+1:], '(')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// mayCountDone is doneCountRe's pre-check: a clause it matches holds a
// done word. (In text beyond ASCII, case folding is the regexp's to do: it
// folds "ſ" to "s".)
func mayCountDone(clause string) bool {
	return !isASCII(clause) || containsFold(clause, "done") || containsFold(clause, "complete") || containsFold(clause, "finished") || containsFold(clause, "closed")
}

// normUnit is a unit's one name: "task" and "tasks", "points" and "pts".
func normUnit(u string) string {
	switch u = strings.ToLower(u); u {
	case "task", "item", "subtask":
		return u + "s"
	case "points", "story points", "sp":
		return "pts"
	}
	return u
}

// token is a run of id characters in a clause, with where it starts and ends.
type token struct {
	text       string
	start, end int
}

// appendTokens appends the tokens of s to out.
func appendTokens(out []token, s string) []token {
	start := -1
	for i := 0; i <= len(s); i++ {
		in := i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == '-' || s[i] == '_')
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			end := i // the token less the dots, hyphens and underscores it ends in
			for end > start && (s[end-1] == '.' || s[end-1] == '-' || s[end-1] == '_') {
				end--
			}
			if end > start {
				out = append(out, token{s[start:end], start, end})
			}
			start = -1
		}
	}
	return out
}

// rangeSepRe is what stands between the two ends of a range of ids:
// "SDS-002 through SDS-005", "T001–T004", "1.1..1.4".
var rangeSepRe = regexp.MustCompile(`(?i)^\s*(?:through|thru|to|until|–|—|\.\.)\s*$`)

// idsIn are the ids of the document's tasks a clause names, and the numbers
// of its phases ("Phase 2 complete"). A range of ids names the scope, not
// work done.
func (r *entryReader) idsIn(clause string) (ids, phases []string) {
	if len(r.tasks) == 0 && len(r.phases) == 0 {
		return nil, nil
	}
	r.toks = appendTokens(r.toks[:0], clause) // the entry's buffer: toks are read here only
	toks := r.toks
	isID := func(i int) bool {
		if i < 0 || i >= len(toks) {
			return false
		}
		_, ok := r.tasks[toks[i].text]
		// A bare number ("Phase 1", "Session 2") is a task only as "Task 1".
		return ok && (!isDigits(toks[i].text) || i > 0 && strings.EqualFold(toks[i-1].text, "task"))
	}
	for i := 0; i < len(toks); i++ {
		if i+1 < len(toks) && isPhaseWord(toks[i].text) {
			if _, ok := r.phases[toks[i+1].text]; ok {
				phases = append(phases, toks[i+1].text)
				i++
				continue
			}
		}
		if !isID(i) {
			continue
		}
		if isID(i+1) && rangeSepRe.MatchString(clause[toks[i].end:toks[i+1].start]) {
			i++
			continue
		}
		if isID(i+2) && rangeSepRe.MatchString(toks[i+1].text) {
			i += 2
			continue
		}
		ids = append(ids, toks[i].text)
	}
	return ids, phases
}

func isPhaseWord(s string) bool {
	if isASCII(s) { // a token is: only the ASCII words can be it, in any case
		for _, w := range phaseVocab {
			if len(w) == len(s) && containsFold(s, w) {
				return true
			}
		}
		return false
	}
	s = strings.ToLower(s)
	for _, w := range phaseVocab {
		if s == w {
			return true
		}
	}
	return false
}

func (r *entryReader) isTaskID(s string) bool {
	_, ok := r.tasks[strings.TrimSpace(s)]
	return ok
}

// statusOf is the status a text's words say, Unknown when they say none.
// A done word after "must", "will", "to" … ("must complete before") is a
// plan, not a report: not done.
func (r *entryReader) statusOf(s string) string {
	if strings.TrimSpace(s) == "" {
		return plan.Unknown
	}
	st := r.w.normStatus(s)
	if st == plan.Complete && afterModal(stripInline(s)) {
		return plan.NotStarted
	}
	return st
}

// afterModal reports whether text's first status word follows a modal
// word. Text in ASCII is read as it is: only the word before is lower-cased.
func afterModal(text string) bool {
	if isASCII(text) {
		_, at := statusWordIn(text)
		return at > 0 && modalWords[strings.ToLower(lastField(text[:at]))]
	}
	lower := strings.ToLower(text)
	_, at := earliestStatusWord(lower)
	return at > 0 && modalWords[lastField(lower[:at])]
}

// lastField is the last of strings.Fields(s), "" when it has none.
func lastField(s string) string {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	i := strings.LastIndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return s[i+size:]
}

// modalWords before a done word make it a plan rather than a report.
var modalWords = map[string]bool{"must": true, "should": true, "will": true, "to": true, "can": true, "cannot": true, "shall": true, "would": true, "may": true, "until": true, "before": true, "once": true, "when": true, "not": true}

// result is what the entry says was done, nil when nothing.
func (r *entryReader) result() *plan.LogDone {
	if len(r.ids) == 0 && len(r.phaseNo) == 0 && r.checked == 0 && r.count == 0 {
		return nil
	}
	done := &plan.LogDone{Tasks: r.ids, Phases: r.phaseNo, Checked: r.checked, Items: r.checked, Count: r.count, Of: r.of, Unit: r.unit}
	whole := map[string]bool{}
	for _, n := range r.phaseNo {
		whole[n] = true
		done.Items += r.phases[n].Total
	}
	for _, id := range r.ids {
		if t := r.tasks[id]; !whole[t.Phase] || t.Phase == "" {
			done.Items += max(t.Total, 1)
		}
	}
	return done
}

// headingAbove is the text of the nearest heading before line that is above
// an entry of the given level (any heading for a bold-timestamp entry).
func (w *walker) headingAbove(line, level int) string {
	for i := len(w.doc.Headings) - 1; i >= 0; i-- {
		h := w.doc.Headings[i]
		if h.Line < line && (level == 0 || h.Level < level) {
			return h.Text
		}
	}
	return ""
}

// lineText is the text of a 1-based line, without its newline.
func (w *walker) lineText(line int) string {
	if line < 1 || line > len(w.lineStarts) {
		return ""
	}
	start, end := int(w.lineStarts[line-1]), len(w.src)
	if line < len(w.lineStarts) {
		end = int(w.lineStarts[line]) - 1
	}
	return w.text[start:end]
}

var rangeWords = map[string]bool{"through": true, "thru": true, "to": true, "until": true}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func isThematicBreak(s string) bool {
	if len(s) < 3 {
		return false
	}
	c := s[0]
	if c != '-' && c != '*' && c != '_' {
		return false
	}
	return strings.Trim(s, string(c)+" ") == ""
}
