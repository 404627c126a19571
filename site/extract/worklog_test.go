package extract

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/plansite/plansite/internal/testcorpus"
	"github.com/plansite/plansite/site/plan"
)

// said is what an entry says was done, as one line for comparison.
func said(e *plan.LogEntry) string {
	d := e.Done
	if d == nil {
		return "-"
	}
	return fmt.Sprintf("tasks=%s phases=%s checked=%d items=%d count=%d/%d %s",
		strings.Join(d.Tasks, ","), strings.Join(d.Phases, ","), d.Checked, d.Items, d.Count, d.Of, d.Unit)
}

func TestWorkLogEntriesSayWhatWasDone(t *testing.T) {
	src := `# Phase 2: Import

**Status**: In Progress

## Tasks

- [x] IMP-1: Reader (3 pts)
- [x] IMP-2: Parser
- [ ] IMP-3: Screen
- [ ] IMP-4: Export
- [ ] IMP-5: Docs

#### 2.1 Bank formats
- [x] First bank
- [x] Second bank
- [ ] Third bank

## Work Log

### 2026-03-02 - Session 1

**Completed:**
- **IMP-1**: reader for the first bank
- IMP-2: parser, with tests

**Next Steps:**
- IMP-3 and IMP-4 in the next session

**Subagents Used:**
- api-engineer: IMP-1, IMP-2, IMP-5

---

### 2026-03-04 - Session 2
- IMP-3 done; IMP-4 started
- Task breakdown for IMP-1 through IMP-5 reviewed
- IMP-5 must complete before the release
- [x] Checked the fixtures by hand

### 2026-03-06 - Bank formats complete (2.1)

**Total Tasks Completed**: 4/5 (80%)

**2026-03-07 09:00 UTC** - Notes only
- 120/120 tests passing; 3 files created

## Other
- IMP-5 done
`
	d := extract(t, src)
	var got []string
	for _, e := range d.Worklog {
		got = append(got, e.Title+": "+said(e))
	}
	want := []string{
		// Only the ids under the Completed label: not those of Next Steps or
		// of the agent list.
		"Session 1: tasks=IMP-1,IMP-2 phases= checked=0 items=2 count=0/0 ",
		// Each clause by its own words; a range names scope; "must complete"
		// is a plan; a ticked box naming no task counts as itself.
		"Session 2: tasks=IMP-3 phases= checked=1 items=2 count=0/0 ",
		// A task named done in the title counts its boxes; the total stated.
		"Bank formats complete (2.1): tasks=2.1 phases= checked=0 items=3 count=4/5 tasks",
		// Tests passing and files created are not work of the plan; the
		// entry ends at the next heading.
		"Notes only: -",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("work log read as\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWorkLogEntryNamesPhasesDone(t *testing.T) {
	src := "# Plan: All Phases\n\n## Phase 1: Schema\n\n- [x] one\n- [x] two\n\n## Phase 2: Import\n\n- [ ] three\n\n## Work Log\n\n### 2026-01-05 - Session 1\n**Status**: Phase 1 Complete ✅\n\n### 2026-01-09 - Session 2\n**Status**: Phase 2 in progress\n"
	d := extract(t, src)
	if len(d.Worklog) != 2 {
		t.Fatalf("%d entries", len(d.Worklog))
	}
	if got := said(d.Worklog[0]); got != "tasks= phases=1 checked=0 items=2 count=0/0 " {
		t.Errorf("session 1: %s", got)
	}
	if got := said(d.Worklog[1]); got != "-" {
		t.Errorf("session 2 says nothing done: %s", got)
	}
}

// On the tracker of our own testdata and the real corpus, entries that
// report tasks by id read those tasks as done, and no entry names a task the
// document does not have.
func TestWorkLogDoneOnTrackerAndCorpus(t *testing.T) {
	tracker := testcorpus.Testdata(t, "tracker")
	cases := []struct {
		dir, source string
		entry       int
		want        string
	}{
		{tracker, ".claude/progress/ledger-sync/all-phases-progress.md", 0, "tasks=SYNC-001,SYNC-002 phases=1 checked=0 items=2 count=0/0 "},
		{tracker, ".claude/progress/ledger-sync/all-phases-progress.md", 1, "tasks=SYNC-003 phases= checked=0 items=1 count=0/0 "},
		{tracker, "plans/ledger-sync/phase-2-import.md", 0, "tasks=2.1 phases= checked=0 items=2 count=0/0 "},
		{tracker, "plans/ledger-sync/phase-2-import.md", 1, "-"},
	}
	for _, c := range cases {
		d := readIn(t, c.dir, c.source)
		if got := said(d.Worklog[c.entry]); got != c.want {
			t.Errorf("%s entry %d: %s, want %s", c.source, c.entry, got, c.want)
		}
	}

	mm := testcorpus.MeatyMusic(t)
	d := readIn(t, mm, ".claude/progress/sds-aggregation/all-phases-progress.md")
	var done []string
	for _, e := range d.Worklog {
		if e.Done != nil {
			done = append(done, strings.Join(e.Done.Tasks, ","))
		}
	}
	// Session 1 plans the tasks (a range, "must complete"); sessions 2 to 4
	// report them.
	if got := strings.Join(done, " | "); got != "SDS-006,SDS-007 | SDS-010 | SDS-011" {
		t.Errorf("sds-aggregation work log: %s", got)
	}
	for _, src := range []string{".claude/progress/backend-entity-services-v1/all-phases-progress.md", ".claude/progress/phase-1-progress.md"} {
		d := readIn(t, mm, src)
		ids := map[string]bool{}
		for _, t := range d.Tasks {
			ids[t.ID] = true
		}
		n := 0
		for _, e := range d.Worklog {
			if e.Done == nil {
				continue
			}
			for _, id := range e.Done.Tasks {
				n++
				if !ids[id] {
					t.Errorf("%s: entry at line %d names %s, not a task of the document", src, e.Line, id)
				}
			}
		}
		if n < 4 {
			t.Errorf("%s: %d tasks named done in its work log, want the ones it reports", src, n)
		}
	}
}

// A phase without a status line has the status of its boxes, and its tasks
// without one follow a phase whose boxes are all ticked: in the corpus's
// phase 1 tracker every box is ticked, so no task is unknown.
func TestPhaseStatusFromItsBoxes(t *testing.T) {
	src := "# Plan\n\n## Phase 1A: Setup\n\n- [x] one\n- [x] two\n\n## Phase 1B: Build\n\n- [x] three\n- [ ] four\n\n## Phase 1C: Ship\n\nText.\n"
	var got []string
	for _, p := range extract(t, src).Phases {
		got = append(got, p.Number+" "+p.Status)
	}
	if want := "1A complete, 1B in-progress, 1C unknown"; strings.Join(got, ", ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, ", "), want)
	}
	d := readIn(t, testcorpus.MeatyMusic(t), ".claude/progress/phase-1-progress.md")
	if d.Completion.Done != d.Completion.Total || len(d.Tasks) < 10 {
		t.Fatalf("%d/%d boxes, %d tasks", d.Completion.Done, d.Completion.Total, len(d.Tasks))
	}
	for _, tk := range d.Tasks {
		if tk.Status != plan.Complete {
			t.Errorf("task %s of a document whose boxes are all ticked is %s", tk.ID, tk.Status)
		}
	}
}

// TestClauses holds the hand-written clause splitter to clauseSplit on every
// line of both corpora and of our own testdata, and on the edges of its
// separators.
func TestClauses(t *testing.T) {
	lines := append(corpusLines(t), "", ";", "a;b", "a. b", "a.b", "a .", "a - b", "a – b", "a — b", "a -b", "a\t-\tb", "a - - b", "a -", " - ", "x;;y. ", "a.\n- b", "3.5 pts. done; next")
	split := 0
	for _, l := range lines {
		var got []string
		clauses(l, func(c string) { got = append(got, c) })
		want := clauseSplit.Split(l, -1)
		if !slices.Equal(got, want) {
			t.Errorf("clauses of %q: %q, the regexp says %q", l, got, want)
		}
		if len(want) > 1 {
			split++
		}
	}
	if split < 500 {
		t.Errorf("only %d lines had clauses: the check saw too little", split)
	}
}

// TestSplitOrAnd holds splitOrAnd to orAndRe on every corpus line and on
// the edges of a separator.
func TestSplitOrAnd(t *testing.T) {
	lines := append(corpusLines(t), "", " ", "or", " or ", "a or b", "a  and\tb", "a or", "a or ", " and b", "a orb", "a nor b",
		"a or and b", "a or  or b", "a\nor\nb", "a And b", "a andor b", "x  y and z or w")
	split := 0
	for _, l := range lines {
		var got []string
		splitOrAnd(l, func(p string) { got = append(got, p) })
		want := orAndRe.Split(l, -1)
		if !slices.Equal(got, want) {
			t.Errorf("splitOrAnd(%q) = %q, the regexp says %q", l, got, want)
		}
		if len(want) > 1 {
			split++
		}
	}
	if split < 100 {
		t.Errorf("only %d lines were split: the check saw too little", split)
	}
}

// TestTrimCheckbox holds trimCheckbox to checkboxRe on every corpus line,
// its list marker taken off, and on the edges of a box.
func TestTrimCheckbox(t *testing.T) {
	boxes := 0
	for _, l := range append(corpusLines(t), "[x]", "[ ]x", " \t[X]  a", "[-] a", "[x", "[", "", "[ ] ") {
		l = strings.TrimLeft(trimBullet(strings.TrimLeft(l, " ")), " ")
		if got, want := trimCheckbox(l), checkboxRe.ReplaceAllString(l, ""); got != want {
			t.Errorf("trimCheckbox(%q) = %q, the regexp says %q", l, got, want)
		}
		mark, _, ok := cutCheckbox(l)
		if m := checkboxRe.FindStringSubmatch(l); ok != (m != nil) || ok && string(mark) != m[1] {
			t.Errorf("cutCheckbox(%q) = %q %v, the regexp says %q", l, mark, ok, m)
		}
		if checkboxRe.MatchString(l) {
			boxes++
		}
	}
	if boxes < 500 {
		t.Errorf("only %d boxes: the check saw too little", boxes)
	}
}

// slugReference and gitHubSlugReference are the slugs as first written:
// the text lower-cased, then read rune by rune.
func slugReference(text string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '_' || r == '-' || r == ' ' || r == '.' || r == '/' || r == ':':
			dash = true
		}
	}
	return b.String()
}

func gitHubSlugReference(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// TestASCIISlugs holds the slugs, their ASCII paths and the general ones, to
// the slugs as first written, on every corpus line.
func TestASCIISlugs(t *testing.T) {
	ascii := 0
	for _, l := range append(corpusLines(t), "", "A_b-c d.e/f:g", "--x--", "Ünïcode", "Phase 1: Setup (3 pts)", "İstanbul ✅ — Ǆ", "bad \xff utf8", "ΑΣ") {
		if got, want := Slug(l), slugReference(l); got != want {
			t.Errorf("Slug(%q) = %q, want %q", l, got, want)
		}
		if got, want := GitHubSlug(l), gitHubSlugReference(l); got != want {
			t.Errorf("GitHubSlug(%q) = %q, want %q", l, got, want)
		}
		ids, want := newAnchorIDs(), slugReference(l)
		if want == "" {
			want = "section"
		}
		if got := string(ids.Generate([]byte(l), 0)); got != want {
			t.Errorf("anchor of %q = %q, want %q", l, got, want)
		}
		if isASCII(l) {
			ascii++
		}
	}
	if ascii < 1000 {
		t.Errorf("only %d ASCII lines: the check saw too little", ascii)
	}
}

// TestWrittenZone holds the one-scan zone finder to the zone-by-zone search
// it replaced, on every corpus document and on hand-made cases.
func TestWrittenZone(t *testing.T) {
	zoneByZone := func(src []byte) string {
		best, zone := -1, ""
		for _, z := range []string{"EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"} {
			for off := 0; ; {
				i := bytes.Index(src[off:], []byte(z))
				if i < 0 {
					break
				}
				i += off
				if zoneAfterTimeRe.Match(src[max(0, i-12):i]) && (best < 0 || i < best) {
					best, zone = i, z
					break
				}
				off = i + len(z)
			}
		}
		return zone
	}
	docs := []string{"", "EST", "at 2:00 PM EST", "TEST 9:30 PDT then 10:00 EST", "10:00  CDT", "1:00 pm\tMST", "x 12:00 BEST 1:00 CST", "12:00 ESTT"}
	for _, b := range corpusDocs(t) {
		docs = append(docs, string(b))
	}
	zones := 0
	for _, d := range docs {
		got, want := writtenZone([]byte(d)), zoneByZone([]byte(d))
		if got != want {
			t.Errorf("writtenZone of %.80q = %q, want %q", d, got, want)
		}
		if want != "" {
			zones++
		}
	}
	if zones < 5 {
		t.Errorf("only %d documents with a zone: the check saw too little", zones)
	}
}

// TestBoldLinePrechecks holds the pre-checks of the bold pseudo-heading and
// label patterns to the patterns, on every corpus line.
func TestBoldLinePrechecks(t *testing.T) {
	matched := 0
	for _, l := range append(corpusLines(t), "**T-1: Title** rest", "**Label**:", "**Label:**  ", "** x **", "**:**", "**::**", " \t**a**: ", "**a**::", "**a\nb**", "**a** x", "**a*b**", "****") {
		if got, want := matchPseudoTask(l), pseudoTaskRe.FindStringSubmatch(l); !slices.Equal(got, want) {
			t.Errorf("matchPseudoTask(%q) = %q, the regexp says %q", l, got, want)
		}
		if got, want := matchLabel(l), labelRe.FindStringSubmatch(l); !slices.Equal(got, want) {
			t.Errorf("matchLabel(%q) = %q, the regexp says %q", l, got, want)
		}
		if labelRe.MatchString(l) || pseudoTaskRe.MatchString(l) {
			matched++
		}
	}
	if matched < 100 {
		t.Errorf("only %d bold lines matched: the check saw too little", matched)
	}
}

// TestCountAndAgentPrechecks holds isAgentName to agentNameRe and the
// done-count pre-check to doneCountRe, on every corpus line and on each of
// its words.
func TestCountAndAgentPrechecks(t *testing.T) {
	counts, names := 0, 0
	for _, l := range append(corpusLines(t), "3 tasks done", "Completed 2 items", "2 TASKS CLOSED", "a--b", "-a", "a-", "a_b-c", "", "ſ", "(x) (3 tasks)", "((2 items)", "(", "x (") {
		if doneCountRe.MatchString(l) {
			counts++
			if !mayCountDone(l) {
				t.Errorf("doneCountRe matches %q but its pre-check refuses it", l)
			}
		}
		if parenCountRe.MatchString(l) {
			counts++
			if !mayCountParen(l) {
				t.Errorf("parenCountRe matches %q but its pre-check refuses it", l)
			}
		}
		for _, word := range append(strings.Fields(strings.ToLower(l)), strings.ToLower(l)) {
			if got, want := isAgentName(word), agentNameRe.MatchString(word); got != want {
				t.Errorf("isAgentName(%q) = %v, the regexp says %v", word, got, want)
			}
			if got := isAgentName(word); got {
				names++
			}
		}
	}
	if counts < 3 || names < 1000 {
		t.Errorf("only %d done counts and %d agent names: the check saw too little", counts, names)
	}
}

// TestAfterModal holds afterModal to the reading it replaced (the text
// lower-cased, split into fields) on every corpus line.
func TestAfterModal(t *testing.T) {
	byFields := func(text string) bool {
		lower := strings.ToLower(text)
		if _, at := earliestStatusWord(lower); at > 0 {
			before := strings.Fields(lower[:at])
			return len(before) > 0 && modalWords[before[len(before)-1]]
		}
		return false
	}
	modal := 0
	for _, l := range append(corpusLines(t), "Must complete before", "will\u00a0be done", "TO DONE", "  ", "done") {
		if got, want := afterModal(l), byFields(l); got != want {
			t.Errorf("afterModal(%q) = %v, want %v", l, got, want)
		}
		if f := strings.Fields(l); len(f) > 0 && lastField(l) != f[len(f)-1] || len(f) == 0 && lastField(l) != "" {
			t.Errorf("lastField(%q) = %q, fields %q", l, lastField(l), f)
		}
		if byFields(l) {
			modal++
		}
	}
	if modal < 20 {
		t.Errorf("only %d lines with a modal word: the check saw too little", modal)
	}
}

// TestTaskIDPrechecks holds the pre-checks of the task heading and task item
// patterns to the patterns, on every corpus line as a heading and as an
// item.
func TestTaskIDPrechecks(t *testing.T) {
	heads, items := 0, 0
	for _, l := range append(corpusLines(t), "Task 2: x", "TASK-001: x", "N6-1: x", "1.2 x", "T001 x", "taſk 3: x", "task\t1.1 x", "1A-2: x", "12. x") {
		h := cleanHeading(strings.TrimLeft(l, "# "))
		if m := taskHeadRe.FindStringSubmatch(h); m != nil {
			heads++
			if !mayBeTaskHeading(h) {
				t.Errorf("taskHeadRe matches %q but its pre-check refuses it", h)
			}
		}
		it := strings.TrimSpace(trimCheckbox(trimBullet(l)))
		if m := itemTaskRe.FindStringSubmatch(it); m != nil {
			items++
			if !slices.Equal(matchItemTask(it), m) {
				t.Errorf("itemTaskRe matches %q but matchItemTask says %q", it, matchItemTask(it))
			}
		}
	}
	if heads < 50 || items < 50 {
		t.Errorf("only %d task headings and %d task items: the check saw too little", heads, items)
	}
	// Every opening of up to five characters, so a shape added to
	// taskIDShapes that idOpens does not know fails here.
	const alphabet = "01Aa.-_:tTk *"
	var open func(prefix string)
	open = func(prefix string) {
		if h := prefix + ": title"; taskHeadRe.MatchString(h) && !mayBeTaskHeading(h) {
			t.Errorf("taskHeadRe matches %q but its pre-check refuses it", h)
		}
		if it := prefix + ": title"; itemTaskRe.MatchString(it) && matchItemTask(it) == nil {
			t.Errorf("itemTaskRe matches %q but matchItemTask refuses it", it)
		}
		if len(prefix) < 5 {
			for _, c := range alphabet {
				open(prefix + string(c))
			}
		}
	}
	open("")
}

// TestTitleSuffixReaders holds trailingParen to trailingParenRe and
// parenSuffixRe, and the status-word suffix pre-check to wordSuffixRe, on
// every corpus line (as written and trimmed) and on hand-made edges.
func TestTitleSuffixReaders(t *testing.T) {
	parens, words := 0, 0
	lines := append(corpusLines(t), "a (b)", "a(b) ", "a (b) (c)", "a (b (c))", "(x)", "()", "a \t(b)\n", "a\n(b)", "x) (y)", "a ) b)",
		"Setup - Done", "Setup - DONE!", "Setup – in progress .", "Setup - blocKed", "Setup - done?")
	for _, l := range lines {
		for _, v := range []string{l, strings.TrimSpace(l)} {
			start, inner, ok := trailingParen(v)
			if m := trailingParenRe.FindStringSubmatch(v); ok != (m != nil) || ok && (v[start:] != m[0] || inner != m[1]) {
				t.Errorf("trailingParen(%q) = %d %q %v, trailingParenRe says %q", v, start, inner, ok, m)
			}
			m := parenSuffixRe.FindStringSubmatch(v)
			if ok2 := ok && strings.IndexByte(v[:start], '\n') < 0; ok2 != (m != nil) || ok2 && (v[:start] != m[1] || inner != m[2]) {
				t.Errorf("trailingParen(%q) = %d %q %v, parenSuffixRe says %q", v, start, inner, ok, m)
			}
			if ok {
				parens++
			}
			if wordSuffixRe.MatchString(v) {
				words++
				if !mayEndInStatusWord(v) {
					t.Errorf("wordSuffixRe matches %q but its pre-check refuses it", v)
				}
			}
		}
	}
	if parens < 100 || words < 5 {
		t.Errorf("only %d parentheses and %d status-word suffixes: the check saw too little", parens, words)
	}
}

// TestPointsAndBannerPrechecks holds mayHavePoints to pointsRe and
// mayBeBanner to bannerRe on every corpus line and hand-made edges.
func TestPointsAndBannerPrechecks(t *testing.T) {
	points, banners := 0, 0
	for _, l := range append(corpusLines(t), "3 pts", "(2.5 SP)", "5\tpoints", "1.x pts", "12 story points", "Phases 1-3", "PHASES\tall", "Complete!", "3 ſp") {
		if pointsRe.MatchString(l) {
			points++
			if !mayHavePoints(l) {
				t.Errorf("pointsRe matches %q but its pre-check refuses it", l)
			}
		}
		h := cleanHeading(strings.TrimLeft(l, "# "))
		if bannerRe.MatchString(h) {
			banners++
			if !mayBeBanner(h) {
				t.Errorf("bannerRe matches %q but its pre-check refuses it", h)
			}
		}
	}
	if points < 20 || banners < 3 {
		t.Errorf("only %d points and %d banners: the check saw too little", points, banners)
	}
}

// TestDropMarks holds dropMarks to inlineMarks on every corpus line and
// hand-made edges.
func TestDropMarks(t *testing.T) {
	marked := 0
	for _, l := range append(corpusLines(t), "***", "___", "_*_", "`**`", "a**b__c`d", "*", "_", "") {
		if got, want := dropMarks(l), inlineMarks.Replace(l); got != want {
			t.Errorf("dropMarks(%q) = %q, want %q", l, got, want)
		}
		if strings.ContainsAny(l, "*_`") {
			marked++
		}
	}
	if marked < 1000 {
		t.Errorf("only %d lines with marks: the check saw too little", marked)
	}
}

// TestEntryLabel holds matchEntryLabel to entryLabelRe on every corpus line
// and hand-made edges.
func TestEntryLabel(t *testing.T) {
	long := strings.Repeat("é", 80)
	labels := 0
	for _, l := range append(corpusLines(t), "**Done:** x", "**Done**: x", "**Done** (3): x", "**Done**(3)x", "**Done** (x): y", "**:**", "**::** a",
		"**"+long+"**", "**"+long+"x**", "**"+long+":**", "**a*b**", "****", "** **", "**a** ( 3 ): b", "**a**  :  b", "**a**\t(12)\t:\tb", "**a** ()", "**a**\n b", "**a\nb**: c", "**a**: b\nc") {
		if got, want := matchEntryLabel(l), entryLabelRe.FindStringSubmatch(l); !slices.Equal(got, want) {
			t.Errorf("matchEntryLabel(%q) = %q, entryLabelRe says %q", l, got, want)
		}
		if entryLabelRe.MatchString(l) {
			labels++
		}
	}
	if labels < 100 {
		t.Errorf("only %d labels: the check saw too little", labels)
	}
}
