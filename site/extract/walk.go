package extract

import (
	"regexp"
	"strings"
	"unsafe"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/plansite/plansite/site/plan"
)

var (
	phaseHeadRe   = regexp.MustCompile(`(?i)^` + phaseWordRe + `\s+(\d+[a-z]?(?:[.-]\d+[a-z]?)*)(?:\s+(?:progress|plan|context|summary|tracker|tracking|notes))?(\s*[\p{So}\x{FE0F}]+)?(?:\s*:|\s+[–—-]\s)\s*(.*\S)`)
	phaseTitleRe  = regexp.MustCompile(`(?i)^` + phaseWordRe + `\s+(\d+[a-z]?(?:[.-]\d+[a-z]?)*)\b\s*(?:(?:progress|plan|context|summary|tracker|tracking|notes)\b)?\s*(?::|[–—-])?\s*(.*)$`)
	workPkgRe     = regexp.MustCompile(`^(?:WP|Work Package)\s*-?(\d+[A-Z]?)\s*(?::|\s[–—-])\s*(.*\S)`)
	bannerRe      = regexp.MustCompile(`(?i)complete!|^phases\s`)
	taskHeadRe    = regexp.MustCompile(`^(?:(?i:task)\s+)?(` + idPattern + `)(\s*:\s*|\s+[–—-]\s+|\s+)(\S.*)$`)
	itemTaskRe    = regexp.MustCompile(`^(?:\*\*)?(?:(?i:task)\s+)?(` + idPattern + `)(?:\*\*)?\s*:(?:\*\*)?\s*(\S.*)$`)
	pseudoTaskRe  = regexp.MustCompile(`^\*\*(?:(?i:task)\s+)?(` + idPattern + `):\s*([^*]+)\*\*\s*(.*)$`)
	decisionRe    = regexp.MustCompile(`(?i)\bdecisions?\b`)
	labelRe       = regexp.MustCompile(`^\s*\*\*([^*\n]+?):?\*\*:?\s*$`)
	checkboxRe    = regexp.MustCompile(`^\s*\[([ xX])\]\s*`)
	agentSuffixRe = regexp.MustCompile(`\[@([^\]]+)\]\s*$`)
	boldDateRe    = regexp.MustCompile(`^\s*(?:[-*+]\s+)?\*\*\[?([^*\]]+)\]?\*\*\s*:?\s*(?:[-–—:]\s*)?(.*)$`)
	headDateRe    = regexp.MustCompile(`^(?:session\s+\d+\s*\(|session start:\s*)?(\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?:\s*[AaPp][Mm])?(?:\s*[A-Z]{3})?)?)\)?\s*(?:\((\d{1,2}:\d{2})\)|\(([^)]*)\))?\s*(?:[-–—:]\s*(.*))?$`)
	sessionHeadRe = regexp.MustCompile(`(?i)^session\s+(\d+)\s*\((\d{4}-\d{2}-\d{2})\)\s*(.*)$`)
	leadGlyphRe   = regexp.MustCompile(`^[\p{So}\p{Sk}\x{FE0F}\x{200D}\s]+`)
)

// prepass looks at the headings before the walk: whether the document holds
// several phases, which heading is its title, where its footer starts.
func (w *walker) prepass(root ast.Node) {
	perLevel := map[int]map[string]bool{}
	lastBreak, headingAfter := 0, false
	n := 0
	for c := root.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Kind() == ast.KindHeading {
			n++
		}
	}
	w.heads = make([]headText, 0, n)
	w.headings = make([]plan.Heading, 0, n)
	w.sections = make([]section, 0, n)
	for c := root.FirstChild(); c != nil; c = c.NextSibling() {
		switch n := c.(type) {
		case *ast.Heading:
			headingAfter = true
			hd := w.readHeading(n)
			w.heads = append(w.heads, hd)
			if num, ok := hd.num, hd.phase; ok && !w.rec.noPhases {
				if perLevel[n.Level] == nil {
					perLevel[n.Level] = map[string]bool{}
				}
				perLevel[n.Level][strings.ToLower(num)] = true
			}
		case *ast.ThematicBreak:
			lastBreak, headingAfter = w.nodeLine(n), false
		}
	}
	for _, nums := range perLevel {
		if len(nums) >= 2 {
			w.multiPhase = true
		}
	}
	if lastBreak > 0 && !headingAfter {
		// Fields after a final "---" with no heading below it are the footer.
		w.footerLine = lastBreak
	}
}

// headText is a heading's text read once, by the prepass, for the walk.
type headText struct {
	n          *ast.Heading
	raw, text  string // as written, and without its leading glyphs
	num, title string // the phase it opens, when phase is set
	phase      bool
}

func (w *walker) readHeading(h *ast.Heading) headText {
	hd := headText{n: h, raw: w.plain(h)}
	hd.text = cleanHeading(hd.raw)
	hd.num, hd.title, hd.phase = matchPhaseHeading(hd.text)
	return hd
}

// cleanHeading drops leading status glyphs: "✅ Phase 1: X" → "Phase 1: X".
func cleanHeading(t string) string {
	// Most headings start with a letter or digit: no regexp for them.
	if t != "" && t[0] > ' ' && t[0] < 0x80 && t[0] != '^' && t[0] != '`' {
		return strings.TrimSpace(t)
	}
	return strings.TrimSpace(leadGlyphRe.ReplaceAllString(t, ""))
}

// mayBeBanner is bannerRe's pre-check: a "!", or "phases" and a space
// first (beyond ASCII the regexp's case folding decides).
func mayBeBanner(t string) bool {
	head := t[:min(len(t), 8)]
	return strings.IndexByte(t, '!') >= 0 || !isASCII(head) || len(t) > 6 && hasLowerPrefix(t, "phases") && isSpace(t[6])
}

func matchPhaseHeading(t string) (num, title string, ok bool) {
	// Both patterns are anchored: a heading that does not open with them
	// cannot match.
	if len(t) < 2 || !startsWithPhaseWord(t) && !strings.HasPrefix(t, "WP") && !strings.HasPrefix(t, "Work Package") {
		return "", "", false
	}
	if mayBeBanner(t) && bannerRe.MatchString(t) {
		return "", "", false
	}
	if m := phaseHeadRe.FindStringSubmatch(t); m != nil {
		if glyph := strings.TrimSpace(m[2]); glyph != "" {
			// "Phase 1 ✅ — Title": the glyph is the phase's status.
			return m[1], m[3] + " " + glyph, true
		}
		return m[1], m[3], true
	}
	if m := workPkgRe.FindStringSubmatch(t); m != nil {
		return "WP" + m[1], m[2], true
	}
	return "", "", false
}

func (w *walker) walkBlocks(parent ast.Node, ctx *itemCtx) {
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		w.block(c, ctx)
	}
}

func (w *walker) block(c ast.Node, ctx *itemCtx) {
	switch n := c.(type) {
	case *ast.Heading:
		w.heading(n)
		return
	case *ast.Paragraph, *ast.TextBlock:
		w.paragraph(n, ctx)
	case *ast.List:
		w.list(n, ctx)
	case *extast.Table:
		w.table(n, ctx)
	case *ast.Blockquote:
		w.walkBlocks(n, ctx)
	case *ast.HTMLBlock:
		if w.rec.html != nil {
			w.rec.html(w, w.lines(n))
		}
		w.clearLabel()
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		w.markCode(n)
		w.clearLabel()
	default:
		w.clearLabel()
	}
	w.afterTitle = false
}

// planLikeRe is a line that looks like plan structure: a checkbox, a status
// field, a task id, a phase heading. Inside a code block it is quoted, and
// plansite explain says it was skipped.
var planLikeRe = regexp.MustCompile(`^(?:[-*+]\s+\[[ xX-]\]|#+\s|\*\*(?i:status)\*\*|(?i:status):|(?i:task)\s+T?\d|T\d{3}\b|(?i:phase)\s+\d)`)

func (w *walker) clearLabel() { w.label, w.labelGate = "", nil }

// ---------------------------------------------------------------------------
// Headings

func (w *walker) heading(h *ast.Heading) {
	var hd headText
	if w.nextHead < len(w.heads) && w.heads[w.nextHead].n == h {
		hd = w.heads[w.nextHead] // read by the prepass
		w.nextHead++
	} else {
		hd = w.readHeading(h) // nested in a quote or a list
	}
	raw, text := hd.raw, hd.text
	line := w.nodeLine(h)
	id, _ := h.AttributeString("id")
	idBytes, _ := id.([]byte)
	anchor := ""
	if len(idBytes) > 0 {
		anchor = unsafe.String(&idBytes[0], len(idBytes)) // anchorIDs made it, and nothing writes it
	}
	w.githubAnchor(h, raw, anchor)
	// The document's headings and sections are carved from slices of the
	// walker's, one allocation a document rather than one a heading (a
	// slice that grows leaves those already carved where they are).
	w.headings = append(w.headings, plan.Heading{Level: h.Level, Text: raw, Anchor: anchor, Line: line})
	w.doc.Headings = append(w.doc.Headings, &w.headings[len(w.headings)-1])
	w.clearLabel()
	w.pseudoTask = nil

	title := !w.seenTitle
	if title {
		w.seenTitle = true
		w.doc.Title = raw
		w.titleLevel = h.Level
		w.afterTitle = true
		if !w.multiPhase {
			return
		}
	}
	lower := w.lowered(text) // text is trimmed: isMetaHeading(text) is isMetaLower(lower)
	if !title && w.inHeader {
		if w.afterTitle && h.Level == w.titleLevel+1 && !isMetaLower(lower) && !(hd.phase && w.multiPhase) && !strings.HasPrefix(lower, "status:") && w.fieldsFollow(h) {
			// A subtitle straight under the title: "## Phase 1D-2: Bootstrap".
			w.doc.Meta["subtitle"] = raw
			w.afterTitle = false
			return
		}
		w.inHeader = false
	}
	for len(w.stack) > 0 && w.stack[len(w.stack)-1].level >= h.Level {
		w.stack = w.stack[:len(w.stack)-1]
	}
	w.sections = append(w.sections, section{level: h.Level, title: raw, anchor: anchor, line: line})
	s := &w.sections[len(w.sections)-1]
	switch {
	case isMetaLower(lower):
		s.kind = secMeta
	case strings.HasPrefix(lower, "status:"):
		if w.statusHead == "" {
			w.statusHead = strings.TrimSpace(text[len("status:"):])
		}
	case strings.HasPrefix(lower, "current state") || strings.HasPrefix(lower, "current position"):
		s.kind = secCurrentState
	}
	if s.kind == secPlain {
		if num, title, ok := hd.num, hd.title, hd.phase; ok && w.multiPhase {
			s.kind = secPhase
			s.phase = w.phaseFor(num, title, s)
		} else if w.rec.noHeadingTasks {
		} else if t := w.taskHeading(text, lower, h.Level, s); t != nil {
			s.kind, s.task = secTask, t
		}
	}
	s.gateLike = s.kind != secTask && !w.rec.ownGates && gateWords.match(lower)
	switch {
	case strings.Contains(lower, "decision") && decisionRe.MatchString(text):
		s.log = plan.LogDecision
	case logWords.match(lower):
		s.log = plan.LogWork
	}
	w.stack = append(w.stack, s)
	w.datedHeading(text, lower, line, s)
}

// lowered is strings.ToLower(t), written into the walker's own buffer when
// t is ASCII: valid until the next call, for a caller that keeps no part of
// it (heading reads its lower-cased text and lets it go).
func (w *walker) lowered(t string) string {
	if !isASCII(t) {
		return strings.ToLower(t)
	}
	b := w.lowerBuf[:0]
	for i := 0; i < len(t); i++ {
		b = append(b, lowerByte(t[i]))
	}
	w.lowerBuf = b
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func isMetaHeading(t string) bool { return isMetaLower(strings.ToLower(strings.TrimSpace(t))) }

// isMetaLower is isMetaHeading of a heading lower-cased and trimmed.
func isMetaLower(l string) bool {
	return l == "metadata" || l == "status" || l == "document metadata" || l == "meta"
}

func (w *walker) phaseFor(num, title string, s *section) *plan.Phase {
	key := strings.ToLower(num)
	if p, ok := w.phaseByNum[key]; ok {
		return p
	}
	st, suffix, rest := StatusFromSuffix(title)
	p := &plan.Phase{Number: num, Title: cleanTitle(rest), Status: plan.Unknown, Anchor: s.anchor, Line: s.line}
	if w.rec.phaseBoxStatus {
		// Its title is as written: "Foundational (Blocking Prerequisites)".
		st, p.Title = plan.Unknown, stripInline(title)
	}
	w.trace(s.line, "phase", "phase %s %q", num, p.Title)
	if st != plan.Unknown {
		p.Status, p.StatusText = st, suffix
	}
	p.Points = pointsOf(title)
	w.phaseByNum[key] = p
	w.doc.Phases = append(w.doc.Phases, p)
	return p
}

func (w *walker) taskHeading(text, lower string, level int, s *section) *plan.Task {
	if !mayBeTaskHeading(text) {
		return nil
	}
	m := taskHeadRe.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	prefixed := strings.HasPrefix(lower, "task ")
	id, sep := m[1], strings.TrimSpace(m[2])
	dotted := id[0] >= '0' && id[0] <= '9' && strings.Contains(id, ".")
	switch {
	case prefixed:
	case dotted && level >= 3:
	case sep == ":" || sep == "-" || sep == "–" || sep == "—":
	default:
		return nil
	}
	if p := strings.SplitN(id, "-", 2)[0]; p == "ADR" || p == "RFC" || p == "HTTP" || p == "ISO" {
		return nil
	}
	t := w.newTask(id, m[3], s.line, s.anchor)
	return t
}

// mayBeTaskHeading is taskHeadRe's pre-check: it opens with "task " or
// an id.
func mayBeTaskHeading(text string) bool {
	if text == "" {
		return false
	}
	if lowerByte(text[0]) == 't' && (len(text) < 5 || !isASCII(text[:5]) || hasLowerPrefix(text, "task") && isSpace(text[4])) {
		return true // (beyond ASCII, the regexp folds "K" to "k")
	}
	return idOpens(text)
}

// idOpens reports whether s opens as an id of taskIDShapes does: a capital
// and then a capital, a digit or a hyphen ("TASK-1", "N6-1"), or digits and
// then a dot or a capital ("1.2", "1A-2").
func idOpens(s string) bool {
	if len(s) < 2 {
		return false
	}
	if 'A' <= s[0] && s[0] <= 'Z' {
		return 'A' <= s[1] && s[1] <= 'Z' || isDigit(s[1]) || s[1] == '-'
	}
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i > 0 && i < len(s) && (s[i] == '.' || 'A' <= s[i] && s[i] <= 'Z')
}

// newTask makes a task from its id and the title as written; a status,
// points and an agent written in the title are read off it.
func (w *walker) newTask(id, title string, line int, anchor string) *plan.Task {
	t := &plan.Task{ID: id, Status: plan.Unknown, Line: line, Anchor: anchor}
	if p := w.curPhase(); p != nil {
		t.Phase = p.Number
	}
	if m := agentSuffixRe.FindStringSubmatch(title); m != nil {
		title = strings.TrimSpace(title[:len(title)-len(m[0])])
		for _, a := range parseAgents(m[1]) {
			addAgent(t, a.name, plan.RolePrimary, line)
		}
	}
	t.Points = pointsOf(title)
	st, suffix, rest := StatusFromSuffix(title)
	if st != plan.Unknown {
		t.Status, t.StatusText = st, suffix
		title = rest
	}
	t.Title = cleanTitle(title)
	w.doc.Tasks = append(w.doc.Tasks, t)
	return t
}

var (
	trailingParenRe = regexp.MustCompile(`\s*\(([^()]*)\)\s*$`)
	fileExtRe       = regexp.MustCompile(`\.(py|ts|tsx|js|go|md|json|ya?ml|sh|sql)\b`)
	durationRe      = regexp.MustCompile(`^\d+(-\d+)?\s*(days?|weeks?|hours?|h|sessions?)\b`)
	trailingPtsRe   = regexp.MustCompile(`(?i)\s*[-–—]\s*\d+(?:\.\d+)?\s*(?:pts?|points?|sp)\s*$`)
)

// cleanTitle drops what a title carries besides its name: trailing
// "(5 SP)", "(3-5 days)", "(/path/to/file.py)", glyphs and bold marks.
func cleanTitle(t string) string {
	t = stripInline(t)
	for i := 0; i < 3; i++ {
		t = strings.TrimSpace(strings.TrimRight(t, " ✅✓⚠️🔄⏳❌⏭\ufe0f"))
		if endsWithPoints(t) {
			t = trailingPtsRe.ReplaceAllString(t, "")
		}
		if !strings.HasSuffix(t, ")") {
			break
		}
		start, inner, ok := trailingParen(t) // trailingParenRe's match
		if !ok {
			break
		}
		inner = strings.ToLower(inner)
		if pointsOf(inner) > 0 || strings.ContainsAny(inner, "/") || fileExtRe.MatchString(inner) ||
			durationRe.MatchString(inner) || isStatusPhrase(inner) || strings.HasPrefix(inner, "p") && len(inner) <= 3 {
			t = strings.TrimSpace(t[:start])
			continue
		}
		break
	}
	return strings.TrimSpace(strings.TrimRight(t, " :-–—"))
}

// ---------------------------------------------------------------------------
// Where things bind: the nearest enclosing task, phase, gate.

func (w *walker) curPhase() *plan.Phase {
	for i := len(w.stack) - 1; i >= 0; i-- {
		if w.stack[i].phase != nil {
			return w.stack[i].phase
		}
	}
	return nil
}

func (w *walker) secTask() *plan.Task {
	for i := len(w.stack) - 1; i >= 0; i-- {
		if w.stack[i].task != nil {
			return w.stack[i].task
		}
	}
	return nil
}

func (w *walker) curTask(ctx *itemCtx) *plan.Task {
	if ctx != nil && ctx.task != nil {
		return ctx.task
	}
	if w.pseudoTask != nil {
		return w.pseudoTask
	}
	return w.secTask()
}

func (w *walker) top() *section {
	if len(w.stack) == 0 {
		return nil
	}
	return w.stack[len(w.stack)-1]
}

// gateFor is the gate a checkbox outside any task belongs to: a gate-like
// bold label just above its list, else the nearest heading when it or one of
// the headings above it reads as a gate.
func (w *walker) gateFor() *plan.Gate {
	if w.labelGate != nil {
		return w.labelGate
	}
	if w.label != "" && !w.rec.ownGates && gateWords.match(strings.ToLower(w.label)) {
		g := &plan.Gate{Title: w.label, Line: w.labelLine}
		if top := w.top(); top != nil {
			g.Anchor = top.anchor
		}
		if p := w.curPhase(); p != nil {
			g.Phase = p.Number
		}
		w.labelGate = g
		w.doc.Gates = append(w.doc.Gates, g)
		return g
	}
	gateLike := false
	for i := len(w.stack) - 1; i >= 0; i-- {
		if w.stack[i].gateLike {
			if w.rec.ownGates {
				return w.sectionGate(w.stack[i]) // the section the convention marked
			}
			gateLike = true
			break
		}
		if w.stack[i].kind == secPhase {
			break
		}
	}
	if !gateLike {
		return nil
	}
	return w.sectionGate(w.top())
}

// sectionGate is the gate of a gate-like section, made on first use.
func (w *walker) sectionGate(s *section) *plan.Gate {
	if g := w.gateBySec[s]; g != nil {
		return g
	}
	g := &plan.Gate{Title: s.title, Anchor: s.anchor, Line: s.line}
	if p := w.curPhase(); p != nil {
		g.Phase = p.Number
	}
	w.gateBySec[s] = g
	w.doc.Gates = append(w.doc.Gates, g)
	w.trace(s.line, "gate", "gate %q", s.title)
	return g
}

// lastGate is the gate read last, or nil.
func (w *walker) lastGate() *plan.Gate {
	if len(w.doc.Gates) == 0 {
		return nil
	}
	return w.doc.Gates[len(w.doc.Gates)-1]
}

// inSection reports whether the current section, or one above it, has word
// in its title (lower case).
func (w *walker) inSection(word string) bool {
	for i := len(w.stack) - 1; i >= 0; i-- {
		if strings.Contains(strings.ToLower(w.stack[i].title), word) {
			return true
		}
	}
	return false
}

// countTasks is the number of tasks read so far.
func (w *walker) countTasks() int { return len(w.doc.Tasks) }

// ---------------------------------------------------------------------------
// Paragraphs: key lines, log entries, pseudo-headings.

type srcLine struct {
	text string
	line int
}

// The slice is the walker's own, filled again by the next call: a caller
// reads it before it walks further (no recognizer a block's lines are given
// to asks for another block's).
func (w *walker) lines(n ast.Node) []srcLine {
	l := n.Lines()
	if l.Len() == 0 {
		return nil
	}
	out := w.lineBuf[:0]
	for i := 0; i < l.Len(); i++ {
		s := l.At(i)
		var text string
		if s.Padding == 0 && 0 <= s.Start && s.Start <= s.Stop && s.Stop <= len(w.text) {
			text = w.text[s.Start:s.Stop] // cut from the source, not copied
		} else {
			text = string(s.Value(w.src)) // a tab's columns given back as spaces
		}
		out = append(out, srcLine{strings.TrimRight(text, "\n"), w.lineOf(s.Start)})
	}
	w.lineBuf = out
	return out
}

func (w *walker) paragraph(n ast.Node, ctx *itemCtx) {
	ls := w.lines(n)
	if len(ls) == 0 {
		return
	}
	w.clearLabel()
	if w.rec.line != nil && w.rec.line(w, ls[0], w.curTask(ctx)) {
		return
	}
	// The paragraph under a "## Status" heading is the status (BMAD, Nygard),
	// however it is decorated.
	if top := w.top(); top != nil && top.kind == secMeta && w.statusPara.line == 0 && strings.EqualFold(cleanHeading(top.title), "status") &&
		!hasFields(ls[0], true) {
		w.statusPara = field{key: "status", label: "Status", value: ls[0].text, line: ls[0].line}
		w.trace(ls[0].line, "status", "the paragraph under %q: %q", top.title, stripInline(ls[0].text))
		return
	}
	if w.navLinks(n) {
		return
	}
	if w.rec.glyphItems && w.glyphItem(ls[0]) {
		return
	}
	// Both patterns want a line that opens in bold: most paragraphs do not.
	if len(ls) == 1 && strings.HasPrefix(strings.TrimLeft(ls[0].text, " \t"), "**") {
		if m := matchPseudoTask(ls[0].text); m != nil && ctx == nil {
			w.pseudoTask = w.newTask(m[1], m[2]+" "+m[3], ls[0].line, w.topAnchor())
			return
		}
		if m := matchLabel(ls[0].text); m != nil {
			w.label, w.labelLine = strings.TrimSpace(m[1]), ls[0].line
			return
		}
	}
	for _, l := range ls {
		if w.logLine(l) {
			continue
		}
		var buf fieldBuf
		for _, f := range appendFieldLine(buf[:0], l.text, l.line, w.plainFieldsHere()) {
			w.fieldAt(f, ctx)
		}
	}
}

// matchPseudoTask is pseudoTaskRe's match, after a cheap test: the id and
// its colon come before the first star after the opening "**".
func matchPseudoTask(text string) []string {
	if !strings.HasPrefix(text, "**") {
		return nil
	}
	star := strings.IndexByte(text[2:], '*')
	if star < 0 || strings.IndexByte(text[2:2+star], ':') < 0 {
		return nil
	}
	return pseudoTaskRe.FindStringSubmatch(text)
}

// matchLabel is labelRe's match, read by hand: a line that is one bold
// label, "**Acceptance Criteria**:" or "**Gate 1:**". The label is what
// stands before the first star, less the colon it may end with.
func matchLabel(text string) []string {
	i := 0
	for i < len(text) && isSpace(text[i]) {
		i++
	}
	if !strings.HasPrefix(text[i:], "**") {
		return nil
	}
	body := text[i+2:]
	star := strings.IndexByte(body, '*')
	if star <= 0 || strings.IndexByte(body[:star], '\n') >= 0 || !strings.HasPrefix(body[star:], "**") {
		return nil
	}
	rest := strings.TrimPrefix(body[star+2:], ":")
	for j := 0; j < len(rest); j++ {
		if !isSpace(rest[j]) {
			return nil
		}
	}
	label := body[:star]
	if len(label) > 1 && label[len(label)-1] == ':' {
		label = label[:len(label)-1]
	}
	return []string{text, label}
}

func (w *walker) topAnchor() string {
	if t := w.top(); t != nil {
		return t.anchor
	}
	return ""
}

func (w *walker) plainFieldsHere() bool {
	t := w.top()
	if w.rec.plainFields && (w.inHeader && !(w.rec.headerEndsAtTask && len(w.doc.Tasks) > 0) || t != nil && t.kind == secCurrentState) {
		return true
	}
	return t != nil && t.kind == secMeta
}

// ---------------------------------------------------------------------------
// Fields

func (w *walker) fieldAt(f field, ctx *itemCtx) {
	f = w.mapKey(f)
	if (f.key == "prev" || f.key == "next") && !strings.Contains(strings.ToLower(f.label), "phase") &&
		!w.inHeader && f.line < w.footerLine {
		// A bare "**Next**:" in the body is a next step, not the next phase.
		return
	}
	switch f.key {
	case "prev":
		if w.prevTarget == "" && w.doc.Meta["prev"] == "" {
			w.prevTarget = linkTarget(f.value)
			w.setMeta(f)
			w.trace(f.line, "prev", "%s: %s", f.label, f.value)
		}
		return
	case "next":
		if w.nextTarget == "" && w.doc.Meta["next"] == "" {
			w.nextTarget = linkTarget(f.value)
			w.setMeta(f)
			w.trace(f.line, "next", "%s: %s", f.label, f.value)
		}
		return
	}
	task := w.curTask(ctx)
	top := w.top()
	inPhase := w.curPhase() != nil
	switch {
	case task != nil:
		w.taskField(task, f)
	case w.inHeader || top != nil && top.kind == secMeta:
		if _, ok := w.header[f.key]; !ok {
			w.header[f.key] = f
			w.setMeta(f)
			w.trace(f.line, "field", "%s → %s: %s", f.label, f.key, stripInline(f.value))
		}
	case f.line >= w.footerLine && !inPhase:
		if _, ok := w.footer[f.key]; !ok {
			w.footer[f.key] = f
		}
	case top != nil && top.kind == secCurrentState:
		if _, ok := w.current[f.key]; !ok {
			w.current[f.key] = f
		}
	case inPhase:
		w.phaseField(w.curPhase(), f)
	}
}

func (w *walker) taskField(t *plan.Task, f field) {
	switch f.key {
	case "status":
		if !w.taskOwn[t] {
			t.Status, t.StatusText = w.status(f), stripInline(f.value)
			w.taskOwn[t] = true
		}
	case "assigned", "backup", "review":
		role := map[string]string{"assigned": plan.RolePrimary, "backup": plan.RoleBackup, "review": plan.RoleReview}[f.key]
		for _, a := range parseAgents(f.value) {
			r := role
			if a.role != "" {
				r = a.role
			}
			addAgent(t, a.name, r, f.line)
			w.ownRole(t, r)
		}
	case "effort":
		if t.Points == 0 {
			t.Points = pointsOf(f.value + " pts")
		}
	}
}

func (w *walker) ownRole(t *plan.Task, role string) {
	if w.ownRoles == nil {
		w.ownRoles = map[*plan.Task]map[string]bool{}
	}
	if w.ownRoles[t] == nil {
		w.ownRoles[t] = map[string]bool{}
	}
	w.ownRoles[t][role] = true
}

func (w *walker) phaseField(p *plan.Phase, f field) {
	switch f.key {
	case "status":
		if p.StatusText == "" || w.phaseOwn[p] == false {
			p.Status, p.StatusText = w.status(f), stripInline(f.value)
			if w.phaseOwn == nil {
				w.phaseOwn = map[*plan.Phase]bool{}
			}
			w.phaseOwn[p] = true
		}
	case "assigned":
		for _, a := range parseAgents(f.value) {
			if !contains(p.Agents, a.name) {
				p.Agents = append(p.Agents, a.name)
				if p.AgentLines == nil {
					p.AgentLines = map[string]int{}
				}
				p.AgentLines[a.name] = f.line
			}
		}
	case "completion":
		if p.Declared == nil {
			p.Declared = percentOf(f.value)
		}
	case "effort":
		if p.Points == 0 {
			p.Points = pointsOf(f.value + " pts")
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var mdLinkRe = regexp.MustCompile(`\[[^\]]*\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)`)

// linkTarget is the target of the first Markdown link in a value, else "".
func linkTarget(v string) string {
	if m := mdLinkRe.FindStringSubmatch(v); m != nil {
		return m[1]
	}
	return ""
}

// markCode remembers the lines of a code block: text there is quoted, not used.
func (w *walker) markCode(n ast.Node) {
	if w.codeLines == nil {
		w.codeLines = make([]bool, len(w.lineStarts)+1)
	}
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		seg := l.At(i)
		line := w.lineOf(seg.Start)
		w.codeLines[line] = true
		if w.opts.Explain {
			if t := strings.TrimSpace(string(seg.Value(w.src))); planLikeRe.MatchString(t) {
				w.trace(line, "skipped", "inside a code block: %s", t)
			}
		}
	}
}

// fieldsFollow reports whether the block after a heading is a paragraph of
// key lines: then the heading is a subtitle and the header goes on below it.
func (w *walker) fieldsFollow(h ast.Node) bool {
	p, ok := h.NextSibling().(*ast.Paragraph)
	if !ok {
		return false
	}
	ls := w.lines(p)
	return len(ls) > 0 && hasFields(ls[0], false)
}

// hasFields reports whether a line holds fields (parseFieldLine's).
func hasFields(l srcLine, plain bool) bool {
	var buf fieldBuf
	return len(appendFieldLine(buf[:0], l.text, l.line, plain)) > 0
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
