package extract

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"

	"github.com/plansite/plansite/site/plan"
)

// A recognizer reads one plan convention (conventions/MANIFEST.md), in the
// manner of goldmark's block parsers: what wakes it (a path, a front-matter
// key, the title) and what it adds to what the shared walker reads. The
// walker does the common work (headings, key lines, checklists, tables,
// logs); a recognizer says how its convention differs.
type recognizer struct {
	name string // plan.Conv*

	// What wakes it: the first recognizer any of these match reads the
	// document. paths match the end of the source path, segment by segment
	// (path.Match patterns, "**" for any run of segments).
	paths     []string
	frontKeys []string
	title     *regexp.Regexp

	// statuses are the convention's own status words, read before the shared
	// table: the leading words of a value, emoji and bold stripped.
	statuses map[string]string
	// plainFields reads `Key: value` lines without bold as fields in the
	// header, a Status section and a Current Position section.
	plainFields bool
	// headerEndsAtTask: the first task ends the header, for documents with
	// no heading to end it (a GSD plan: what its tasks say, "Kill existing
	// process: …", is not the plan's).
	headerEndsAtTask bool
	// boxStatus says whether a document with no status line takes the status
	// of its boxes (a tasks file does).
	boxStatus func(w *walker) bool
	// phaseBoxStatus gives phases the status of their boxes only: their
	// titles carry words such as "(Blocking Prerequisites)".
	phaseBoxStatus bool
	// noHeadingTasks: numbered headings are sections, not tasks.
	noHeadingTasks bool
	// noPhases: "Phase N" headings are notes, not the plan's phases.
	noPhases bool
	// noDocPhase: a "Phase 2 …" title does not make the document a phase
	// document (GSD titles its plans and summaries so; their place is Order).
	noDocPhase bool
	// ownGates: gates are only what the convention names (below); a
	// checklist under a "Checklist" heading is not one.
	ownGates bool
	// glyphItems reads ✅/❌ bullets in a gate section as its items.
	glyphItems bool

	// nestedTasks: a checklist item inside a task can be a task of its own
	// (Kiro's "  - [x] 2.1" under "- [x] 2.").
	nestedTasks bool
	// genericItems: checklist items the convention's grammar does not take
	// may still be tasks of the shared forms ("- [x] **COMP-01**: …").
	genericItems bool
	// item reads the convention's task grammar off a checklist item.
	item func(w *walker, text string) (taskItem, bool)
	// boxGate is the gate a checkbox at a line belongs to by the
	// convention's own structure (GSD's <success_criteria>), or nil.
	boxGate func(w *walker, line int) *plan.Gate
	// countBox says whether a checkbox outside any task counts toward the
	// document's completion.
	countBox func(w *walker) bool
	// line reads a convention's own lines (gates, agents) off a paragraph or
	// list item line; it reports whether it took the line.
	line func(w *walker, l srcLine, task *plan.Task) bool
	// table reads a table of the convention's own (BMAD's Change Log); it
	// reports whether it took the table.
	table func(w *walker, header []string, rows [][]string, lines []int) bool
	// html reads HTML-like blocks (GSD's <task>).
	html func(w *walker, ls []srcLine)
	// finish settles what needs the whole document.
	finish func(w *walker)
	// order is the document's place in its series: its series id and sort
	// key, or "" when it has none.
	order func(source string, fm map[string]string) (series, key string)
}

// taskItem is a task read off a checklist item by a convention's grammar.
type taskItem struct {
	id, title string
	parallel  bool
	story     string
	refs      []string
}

// plainRecognizer reads what no convention claims: Markdown plans with bold
// key lines, phase headings and checklists (the MeatyMusic trackers).
var plainRecognizer = &recognizer{name: plan.ConvMarkdown}

// recognizers are tried in order; the first that wakes reads the document.
var recognizers = []*recognizer{specKit, kiro, gsd, bmad, adr, memoryBank, roadmap}

// recognize picks the recognizer of a document.
func recognize(source string, fm map[string]string, title string) *recognizer {
	ss := strings.Split(strings.ToLower(source), "/")
	for i, r := range recognizers {
		for _, ps := range recognizerPaths()[i] {
			if matchTailSegs(ps, ss) {
				return r
			}
		}
	}
	for _, r := range recognizers {
		for _, k := range r.frontKeys {
			if _, ok := fm[k]; ok {
				return r
			}
		}
	}
	for _, r := range recognizers {
		if r.title != nil && title != "" && r.title.MatchString(title) {
			return r
		}
	}
	return plainRecognizer
}

// recognizerPaths are the recognizers' path patterns split into segments,
// once.
var recognizerPaths = sync.OnceValue(func() [][][]string {
	out := make([][][]string, len(recognizers))
	for i, r := range recognizers {
		for _, p := range r.paths {
			out[i] = append(out[i], strings.Split(p, "/"))
		}
	}
	return out
})

// matchTailSegs reports whether a pattern matches the last segments of a
// lower-cased source, both split into segments ("specs/*/tasks.md" matches
// "repo/specs/001-x/tasks.md"); a "**" segment matches any run of segments.
func matchTailSegs(ps, ss []string) bool {
	for start := 0; start <= len(ss); start++ {
		if matchSegs(ps, ss[start:]) {
			return true
		}
	}
	return false
}

func matchSegs(ps, ss []string) bool {
	if len(ps) == 0 {
		return len(ss) == 0
	}
	if ps[0] == "**" {
		for i := 0; i <= len(ss); i++ {
			if matchSegs(ps[1:], ss[i:]) {
				return true
			}
		}
		return false
	}
	if len(ss) == 0 {
		return false
	}
	ok, _ := path.Match(ps[0], ss[0])
	return ok && matchSegs(ps[1:], ss[1:])
}

// leadingWord reads a status off a table of words: the longest of its words
// the value opens with, once emoji and marks are gone ("**DONE** ✅ - QA
// Review Complete" opens with "done").
func leadingWord(words map[string]string, raw string) (string, bool) {
	if len(words) == 0 {
		return "", false
	}
	v := strings.ToLower(strings.TrimSpace(leadGlyphRe.ReplaceAllString(stripInline(raw), "")))
	best, bestLen := "", 0
	for w, st := range words {
		if len(w) > bestLen && strings.HasPrefix(v, w) && (len(v) == len(w) || !isWordByte(v[len(w)])) {
			best, bestLen = st, len(w)
		}
	}
	return best, best != ""
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
}

// wake picks the document's recognizer, from its path, its front matter and
// its title, and places it in its convention's series.
func (w *walker) wake(fm []field, root ast.Node) {
	keys := make(map[string]string, len(fm))
	for _, f := range fm {
		keys[strings.ToLower(f.label)] = f.value
	}
	title := ""
	for c := root.FirstChild(); c != nil; c = c.NextSibling() {
		if h, ok := c.(*ast.Heading); ok {
			title = cleanHeading(w.plain(h))
			break
		}
	}
	w.rec = recognize(w.doc.Source, keys, title)
	w.doc.Convention = w.rec.name
	w.trace(1, "convention", "read as %s", w.rec.name)
	if w.rec.order != nil {
		if series, key := w.rec.order(w.doc.Source, keys); key != "" {
			w.doc.OrderSeries, w.doc.Order = series, key
			w.trace(1, "series", "%s, in place %s", series, key)
		}
	}
}

// trace records one thing read, for plansite explain.
func (w *walker) trace(line int, what, format string, args ...any) {
	if !w.opts.Explain {
		return
	}
	name := plan.ConvMarkdown
	if w.rec != nil {
		name = w.rec.name
	}
	w.trail = append(w.trail, Step{Line: line, Recognizer: name, What: what, Text: fmt.Sprintf(format, args...)})
}

// status normalises a status field: the site's own words first (plansite.toml
// [status]), then the convention's, then the shared table. A word none of
// them knows is kept as written and reported.
func (w *walker) status(f field) string {
	st := w.normStatus(f.value)
	if st == plan.Unknown {
		if v := stripInline(f.value); v != "" && !isPlaceholder(v) && strings.Count(v, "|") < 2 {
			w.unknown = append(w.unknown, f)
		}
	}
	return st
}

func (w *walker) normStatus(raw string) string {
	if st, ok := leadingWord(w.opts.Statuses, raw); ok {
		return st
	}
	if st, ok := leadingWord(w.rec.statuses, raw); ok {
		return st
	}
	return NormalizeStatus(raw)
}

// setMeta keeps a field in the document's metadata, with its line.
func (w *walker) setMeta(f field) {
	w.doc.Meta[f.key] = f.value
	w.doc.MetaLines[f.key] = f.line
}

// mapKey applies the site's own key names (plansite.toml [keys]).
func (w *walker) mapKey(f field) field {
	if len(w.opts.Keys) > 0 {
		if k, ok := w.opts.Keys[foldKey(f.label)]; ok {
			f.key = k
		}
	}
	return f
}

// navLinks reads a paragraph of arrow links, "[← Phase 3](…) | [Phase 5 →](…)",
// as the document's previous and next. It reports whether the paragraph was one.
func (w *walker) navLinks(n ast.Node) bool {
	var prev, next string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Link:
			text := w.plain(t)
			switch {
			case hasAnyPrefix(text, "←", "«", "‹", "⬅"):
				prev = string(t.Destination)
			case hasAnySuffix(text, "→", "»", "›", "➡", "➡️"):
				next = string(t.Destination)
			default:
				return false
			}
		case *ast.Text:
			if strings.Trim(string(t.Segment.Value(w.src)), " |·•—–-/\t") != "" {
				return false
			}
		default:
			return false
		}
	}
	if prev == "" && next == "" {
		return false
	}
	line := w.nodeLine(n)
	if prev != "" && w.prevTarget == "" && w.doc.Meta["prev"] == "" {
		w.prevTarget = prev
		w.setMeta(field{key: "prev", value: prev, line: line})
		w.trace(line, "prev", "arrow link to %s", prev)
	}
	if next != "" && w.nextTarget == "" && w.doc.Meta["next"] == "" {
		w.nextTarget = next
		w.setMeta(field{key: "next", value: next, line: line})
		w.trace(line, "next", "arrow link to %s", next)
	}
	return true
}

func hasAnyPrefix(s string, ps ...string) bool {
	s = strings.TrimSpace(s)
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasAnySuffix(s string, ps ...string) bool {
	s = strings.TrimSpace(s)
	for _, p := range ps {
		if strings.HasSuffix(s, p) {
			return true
		}
	}
	return false
}
