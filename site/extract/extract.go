// Package extract reads the plan model off one Markdown document. The document
// is parsed once by goldmark; the model is read off that AST (never off raw
// lines, which fences and lazy continuations make lie), going back to a node's
// source lines only for what the AST folds away, such as bold key lines.
package extract

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/plansite/plansite/site/plan"
)

// Options tune extraction.
type Options struct {
	// Zone is the time zone of times written without one (default UTC).
	Zone *time.Location
	// Statuses maps status words a site writes to normalised statuses
	// (plansite.toml [status]); they are read before every other word.
	Statuses map[string]string
	// Keys maps metadata keys a site writes to plansite's keys (plansite.toml
	// [keys]), before its own synonyms.
	Keys map[string]string
	// Explain records what was read, line by line, in Result.Trail.
	Explain bool
}

// SiteWords sets a site's own status words and metadata keys
// (plansite.toml [status] and [keys]), folded as plansite reads them.
func (o *Options) SiteWords(statuses, keys map[string]string) {
	if len(statuses) > 0 {
		o.Statuses = make(map[string]string, len(statuses))
		for w, st := range statuses {
			o.Statuses[strings.ToLower(strings.TrimSpace(w))] = st
		}
	}
	if len(keys) > 0 {
		o.Keys = make(map[string]string, len(keys))
		for k, to := range keys {
			o.Keys[foldKey(k)] = normKey(to)
		}
	}
}

// Result is one document read: its model, and the AST and source it was read
// from, kept for rendering so the document is parsed once.
type Result struct {
	Doc    *plan.Doc
	AST    ast.Node
	Source []byte // normalised: valid UTF-8, no BOM, LF line ends, front matter blanked
	// Raw targets of the explicit previous/next fields, resolved by the link pass.
	PrevTarget, NextTarget string
	// Trail is what was read, line by line, when Options.Explain is set.
	Trail []Step
	// Marks are the AST's links, images and headings in document order,
	// gathered on the walk that reads the links: the renderer rewrites and
	// levels them without walking the AST again.
	Marks []ast.Node
}

// Step is one thing read off a document: at a line, by a recognizer, what.
type Step struct {
	Line       int    `json:"line"`
	Recognizer string `json:"recognizer"`
	What       string `json:"what"` // title, status, field, phase, task, gate, link, prev, next, agent, skipped, …
	Text       string `json:"text"`
}

// MaxSize is the largest document read; larger files are reported, not parsed.
const MaxSize = 32 << 20

// Extract reads one document. source is its slash-separated path relative to
// the source root. It never fails: what it cannot read becomes a problem.
// The Result's Source and AST may share raw's bytes: raw must not be
// changed afterwards.
func Extract(source string, raw []byte, opts Options) *Result {
	return ExtractHashed(source, raw, HashOf(raw), opts)
}

// HashOf is the hash a document's model records of its bytes (plan.Doc's
// Hash): the sha256 of raw, in hex.
func HashOf(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// ExtractHashed is Extract given raw's HashOf, which a caller that has
// hashed the document already (a build keys its cache by it) need not have
// computed twice.
func ExtractHashed(source string, raw []byte, hash string, opts Options) *Result {
	doc := &plan.Doc{
		Source:    source,
		URL:       URLFor(source),
		Status:    plan.Unknown,
		Meta:      map[string]string{},
		MetaLines: map[string]int{},
		Hash:      hash,
		Kind:      kindOf(source),
	}
	res := &Result{Doc: doc}
	if len(raw) > MaxSize {
		doc.Problems = append(doc.Problems, &plan.Problem{Line: 1, Severity: plan.SevError, Code: plan.CodeTooLarge,
			Message: fmt.Sprintf("file is %d MB, over the %d MB limit; not read", len(raw)>>20, MaxSize>>20)})
		raw = nil
	}
	src := normalize(doc, raw)
	w := newWalker(doc, src, opts)
	fm := w.frontMatter()
	w.setText()
	root := w.parse(src)
	w.wake(fm, root)
	w.prepass(root)
	w.walkBlocks(root, nil)
	w.root = root
	w.finish(fm)
	res.AST, res.Source = root, src
	// The model's strings may share the source's bytes (setText) until a
	// build compacts them; these two it keeps beside the model.
	res.PrevTarget, res.NextTarget = strings.Clone(w.prevTarget), strings.Clone(w.nextTarget)
	res.Trail = w.trail
	res.Marks = w.marks
	return res
}

// URLFor is the page URL of a source path: "a/b.md" → "/a/b/", escaped
// ("a b#1.md" → "/a%20b%231/"). A directory's README.md or index.md is the
// directory's page.
func URLFor(source string) string {
	p := strings.TrimSuffix(source, path.Ext(source))
	base := strings.ToLower(path.Base(p))
	// A directory's README or index is the directory's page; the root's
	// keeps its own URL, since "/" is the dashboard.
	if (base == "index" || base == "readme" || base == "_index") && path.Dir(p) != "." {
		p = path.Dir(p)
	}
	return "/" + plan.EscapePath(p) + "/"
}

// normalize makes the source safe to parse and index by line: valid UTF-8
// (reported when it was not), no BOM, LF line endings.
func normalize(doc *plan.Doc, raw []byte) []byte {
	if !utf8.Valid(raw) {
		line := 1 + bytes.Count(raw[:firstInvalid(raw)], []byte("\n"))
		doc.Problems = append(doc.Problems, &plan.Problem{Line: line, Severity: plan.SevWarning, Code: plan.CodeNotUTF8,
			Message: "file is not valid UTF-8; invalid bytes shown as \uFFFD"})
		raw = bytes.ToValidUTF8(raw, []byte("\uFFFD"))
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(raw, '\r') >= 0 {
		raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
		raw = bytes.ReplaceAll(raw, []byte("\r"), []byte("\n"))
	}
	return raw // read as it is, not copied (Extract's callers leave it alone)
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// kindOf guesses what a document is from its path (SURVEY §1).
func kindOf(source string) plan.Kind {
	p := strings.ToLower(source)
	base := path.Base(p)
	switch {
	case strings.Contains(p, "template") || strings.Contains(p, "/examples/") || strings.HasPrefix(p, "examples/"):
		return plan.KindTemplate
	case strings.Contains(base, "summary") || strings.Contains(base, "complete") || strings.Contains(base, "report"):
		return plan.KindSummary
	case strings.Contains(base, "context"):
		return plan.KindContext
	case strings.Contains(base, "progress") || strings.Contains(base, "tracker"):
		return plan.KindTracker
	case strings.Contains(p, "summaries/"):
		return plan.KindSummary
	case strings.Contains(p, "worknotes/") || strings.Contains(p, "/context/") || strings.HasPrefix(p, "context/"):
		return plan.KindContext
	case strings.Contains(p, "/progress/") || strings.HasPrefix(p, "progress/"):
		return plan.KindTracker
	case phaseFileRe.MatchString(base):
		return plan.KindPlan
	}
	return plan.KindDoc
}

var phaseFileRe = regexp.MustCompile(`^phase[-_ ]?(\d+[a-z]?(?:[._-]\d+[a-z]?)*)(?:[-_ .]|$)`)

// ---------------------------------------------------------------------------

type secKind int

const (
	secPlain secKind = iota
	secPhase
	secTask
	secMeta         // ## Metadata, ## Status: fields of the document
	secCurrentState // ## Current State: fields of the document when the top has none
)

type section struct {
	level    int
	title    string
	anchor   string
	line     int
	kind     secKind
	phase    *plan.Phase
	task     *plan.Task
	gateLike bool
	log      plan.LogKind // set when this is a log section
	gate     *plan.Gate
}

// itemCtx is what a list item inherits from the items around it.
type itemCtx struct {
	task *plan.Task // a checklist task the item is nested in
}

type walker struct {
	doc        *plan.Doc
	src        []byte
	text       string  // src as a string, sharing its bytes (setText)
	lineStarts []int32 // offsets of the lines (a document is under MaxSize)
	opts       Options
	zone       *time.Location

	stack         []*section
	inHeader      bool // before the first section heading
	seenTitle     bool
	footerLine    int // fields at or after this line are footer fields
	header        map[string]field
	footer        map[string]field
	rec           *recognizer      // the convention that reads the document
	trail         []Step           // what was read, for plansite explain
	statusPara    field            // the paragraph under a "## Status" heading
	unknown       []field          // status fields no vocabulary knows
	ghAnchors     map[string]int   // GitHub anchors given, for numbering repeats
	docAgents     []docAgent       // agents a convention names for the whole document
	gsdTask       *plan.Task       // a GSD <task> block whose <name> is still to come
	gsdGate       *plan.Gate       // the checkpoint gate of that block
	gsdBlocks     []*gsdBlock      // a GSD plan's <task> and <success_criteria> blocks, by line
	gsdObjective  string           // the first line of a GSD plan's <objective>
	current       map[string]field // ## Current State
	multiPhase    bool
	phaseByNum    map[string]*plan.Phase
	label         string // a bold pseudo-heading "**Acceptance Criteria**:" just before
	labelTask     *plan.Task
	labelGate     *plan.Gate
	tables        []pendingTable
	overview      map[string]overviewRow
	overviewOrder []string
	prevTarget    string
	nextTarget    string
	statusHead    string // status written as a heading "## Status: ✅ …"
	taskOwn       map[*plan.Task]bool
	fromTable     map[*plan.Task]bool
	gateBySec     map[*section]*plan.Gate
	afterTitle    bool // the last block was the title heading
	titleLevel    int
	pseudoTask    *plan.Task // a bold "**N6-1: Title**" pseudo-heading task
	labelLine     int
	ownRoles      map[*plan.Task]map[string]bool // roles a task's own fields set
	phaseOwn      map[*plan.Phase]bool
	entries       map[int]bool // lines already read as log entries
	root          ast.Node
	codeLines     []bool             // lines inside code blocks, by line number (nil: none)
	contextLinks  map[*ast.Link]bool // links made of GSD context references
	heads         []headText         // the document's top-level headings, read by the prepass
	nextHead      int                // the next of heads the walk meets
	lineBuf       []srcLine          // what lines returns, reused
	lowerBuf      []byte             // what lowered returns, reused
	headings      []plan.Heading     // where Doc.Headings point
	sections      []section          // where the stack's sections point
	marks         []ast.Node         // Result.Marks
}

// docAgent is an agent a document names for all of its work, in a role, at
// a line (a BMAD story's dev agent, change-log authors and QA reviewer).
type docAgent struct {
	name, role string
	line       int
}

type overviewRow struct {
	status, statusText, title string
	declared                  *float64
	line                      int
}

func newWalker(doc *plan.Doc, src []byte, opts Options) *walker {
	w := &walker{doc: doc, src: src, opts: opts, inHeader: true,
		header: map[string]field{}, footer: map[string]field{}, current: map[string]field{},
		phaseByNum: map[string]*plan.Phase{}, overview: map[string]overviewRow{},
		taskOwn: map[*plan.Task]bool{}, fromTable: map[*plan.Task]bool{}, gateBySec: map[*section]*plan.Gate{}}
	w.lineStarts = lineStarts(src)
	doc.Lines = len(w.lineStarts)
	if len(src) == 0 {
		doc.Lines = 0
	}
	w.zone = opts.Zone
	if w.zone == nil {
		w.zone = time.UTC
	}
	// A zone written anywhere in the document is the zone of its bare times.
	if z := writtenZone(src); z != "" {
		if loc, err := zoneLocation(z); err == nil {
			w.zone = loc
		}
	}
	// The footer is the last 15 lines, and never the first half of a document.
	w.footerLine = max(doc.Lines-14, doc.Lines/2+1)
	return w
}

// setText gives the walker the source as a string that shares its bytes,
// once the front matter is blanked (src is not written again): the lines
// the recognizers read are cut from it, where a copy of each block was most
// of what reading a document allocated besides its AST. Strings cut from it
// keep the whole source alive; a build's Compact copies the model's out.
func (w *walker) setText() {
	if len(w.src) > 0 {
		w.text = unsafe.String(unsafe.SliceData(w.src), len(w.src))
	}
}

// lineStarts are the offsets in src of its lines: the first at 0, then one
// after each newline but a last one.
func lineStarts(src []byte) []int32 {
	starts := make([]int32, 1, 1+bytes.Count(src, []byte("\n")))
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 || i+j+1 >= len(src) {
			break
		}
		i += j + 1
		starts = append(starts, int32(i))
	}
	return starts
}

// inCode reports whether a line is inside a code block.
func (w *walker) inCode(line int) bool { return line < len(w.codeLines) && w.codeLines[line] }

func (w *walker) lineOf(offset int) int {
	// The number of lines starting at or before offset: sort.Search, by hand.
	lo, hi := 0, len(w.lineStarts)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(w.lineStarts[m]) > offset {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

func (w *walker) problem(line int, sev plan.Severity, code plan.Code, format string, args ...any) {
	w.doc.Problems = append(w.doc.Problems, &plan.Problem{Line: line, Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
}

// nodeLine is the 1-based line a node starts on: a block's own position, an
// inline's first text.
func (w *walker) nodeLine(n ast.Node) int {
	if n.Type() == ast.TypeBlock && n.Pos() >= 0 {
		return w.lineOf(n.Pos())
	}
	for c := n; c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return w.lineOf(t.Segment.Start)
		}
	}
	if p := n.Parent(); p != nil {
		return w.nodeLine(p)
	}
	return 1
}

// sourceLines are the source lines of a block, as written.
func (w *walker) sourceLines(n ast.Node) []string {
	l := n.Lines()
	out := make([]string, 0, l.Len())
	for i := 0; i < l.Len(); i++ {
		s := l.At(i)
		var text string
		if s.Padding == 0 && 0 <= s.Start && s.Start <= s.Stop && s.Stop <= len(w.text) {
			text = w.text[s.Start:s.Stop]
		} else {
			text = string(s.Value(w.src)) // a tab's columns given back as spaces
		}
		out = append(out, strings.TrimRight(text, "\n"))
	}
	return out
}

// plain is plainText(n, w.src), cut from the source rather than copied
// when n holds one text and nothing else, as most headings, table cells and
// links do.
func (w *walker) plain(n ast.Node) string {
	if t, ok := n.FirstChild().(*ast.Text); ok && t.NextSibling() == nil {
		if s := t.Segment; s.Padding == 0 && 0 <= s.Start && s.Start <= s.Stop && s.Stop <= len(w.text) {
			return strings.TrimSpace(w.text[s.Start:s.Stop]) // a line break after it is trimmed too
		}
	}
	return plainText(n, w.src)
}

// plainText is the text of an inline tree, without Markdown marks.
func plainText(n ast.Node, src []byte) string {
	var buf [128]byte
	return string(bytes.TrimSpace(appendPlain(buf[:0], n, src)))
}

// appendPlain appends the text of n's inline children to b.
func appendPlain(b []byte, n ast.Node, src []byte) []byte {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Text:
			b = append(b, t.Segment.Value(src)...)
			if t.SoftLineBreak() || t.HardLineBreak() {
				b = append(b, ' ')
			}
		case *ast.String:
			b = append(b, t.Value...)
		case *ast.AutoLink:
			b = append(b, t.URL(src)...)
		case *ast.RawHTML:
			for i := 0; i < t.Segments.Len(); i++ {
				s := t.Segments.At(i)
				b = append(b, s.Value(src)...)
			}
		case *extast.TaskCheckBox:
		default:
			b = appendPlain(b, c, src)
		}
	}
	return b
}

var zoneAfterTimeRe = regexp.MustCompile(`\d{1,2}:\d{2}(?:\s*[AaPp][Mm])?\s+$`)

// writtenZone is the first US zone abbreviation written after a time
// ("2:00 PM EST"). It looks for the abbreviations first, in one scan for
// their last letter: a regexp over the whole document would cost more than
// parsing it.
func writtenZone(src []byte) string {
	for off := 0; ; {
		t := bytes.IndexByte(src[off:], 'T')
		if t < 0 {
			return ""
		}
		i := off + t - 2 // where "EST", "CDT", … would start
		off += t + 1
		if i < 0 || !isZone(src[i:i+3]) {
			continue
		}
		// The pattern ends in spaces: most text before a capital is not a time.
		if i > 0 && isSpace(src[i-1]) && zoneAfterTimeRe.Match(src[max(0, i-12):i]) {
			return string(src[i : i+3])
		}
	}
}

// isZone reports whether z is one of the zones writtenZone reads: EST, EDT,
// CST, CDT, MST, MDT, PST, PDT.
func isZone(z []byte) bool {
	return (z[0] == 'E' || z[0] == 'C' || z[0] == 'M' || z[0] == 'P') && (z[1] == 'S' || z[1] == 'D') && z[2] == 'T'
}
