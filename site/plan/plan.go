// Package plan holds the plan model: what plansite reads off a tree of plan
// documents. Its JSON form is plan.json, a public contract: field names here
// must not change without a schema version bump.
package plan

// A document's model is kept between builds in MessagePack, by the code
// msgp generates from these types (plan_gen.go): a rebuild reads ten
// thousand models back, and a generated decoder reads one several times
// faster than a reflective JSON decoder. Arrays, not maps: the cache that
// keeps them is keyed by the program that wrote them, so field order is
// never read by another version.
//
// The generated decoders read strings with readStringView (view.go), not
// msgp.ReadStringBytes: a decoded document's strings are views of what it
// was decoded from, which the caller keeps (Arena.Decode).
//go:generate sh -c "go tool msgp -file plan.go -o plan_gen.go -tests=false -io=false && sed 's/msgp\\.ReadStringBytes(bts)/readStringView(bts)/' plan_gen.go > plan_gen.go.tmp && mv plan_gen.go.tmp plan_gen.go"
//msgp:tuple Doc Completion Phase Gate Item Task Trace AgentRef LogEntry LogDone Link Heading Problem
//msgp:ignore Site Decision Relation RelationKind Series Agent AgentTask AgentPhase

// Statuses, normalised (SURVEY §3). Anything else is written as Unknown.
const (
	NotStarted = "not-started"
	InProgress = "in-progress"
	Blocked    = "blocked"
	Deferred   = "deferred"
	Complete   = "complete"
	Failed     = "failed"
	Unknown    = "unknown"
)

// SummaryWritten is the status text of a GSD plan, or a ROADMAP's plan line,
// that is done because the plan's SUMMARY exists.
const SummaryWritten = "summary written"

// BoxesStatus is the status a set of boxes says: none ticked, some, all
// (unknown when there are none).
func BoxesStatus(done, total int) string {
	switch {
	case total == 0:
		return Unknown
	case done == total:
		return Complete
	case done > 0:
		return InProgress
	}
	return NotStarted
}

// Statuses lists every normalised status, in workflow order.
var Statuses = []string{NotStarted, InProgress, Blocked, Deferred, Complete, Failed, Unknown}

// Conventions: which plan convention read a document (conventions/MANIFEST.md).
const (
	ConvMarkdown   = "markdown"    // Markdown plans: bold key lines, phase headings, checklists
	ConvSpecKit    = "spec-kit"    // GitHub spec-kit: specs/NNN-slug/{spec,plan,tasks}.md
	ConvKiro       = "kiro"        // Kiro: .kiro/specs/<feature>/{requirements,design,tasks}.md
	ConvGSD        = "gsd"         // get-shit-done: .planning/ STATE, ROADMAP, NN-MM-PLAN/SUMMARY
	ConvBMAD       = "bmad"        // BMAD method: docs/stories/N.M.story.md, epics
	ConvADR        = "adr"         // architecture decision records, MADR and Nygard
	ConvRoadmap    = "roadmap"     // ROADMAP.md and agent memory files
	ConvMemoryBank = "memory-bank" // Cline memory bank: memory-bank/progress.md
)

// Conventions lists every convention.
var Conventions = []string{ConvMarkdown, ConvSpecKit, ConvKiro, ConvGSD, ConvBMAD, ConvADR, ConvRoadmap, ConvMemoryBank}

// Agent roles on a task.
const (
	RolePrimary = "primary"
	RoleBackup  = "backup"
	RoleReview  = "review"
	// RoleAuthor wrote or revised the document the task is in (a BMAD
	// story's change-log authors).
	RoleAuthor = "author"
)

// Roles lists every agent role, in the order pages show them.
var Roles = []string{RolePrimary, RoleBackup, RoleReview, RoleAuthor}

// Severity is how much a problem matters: an error fails a build.
type Severity string

// Problem severities.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
	SevInfo    Severity = "info"
)

// Code names a kind of problem; plansite.toml's [check.rules] sets the
// severity of each by it.
type Code string

// Problem codes of files that could not be read as documents.
const (
	// CodeSymlinkOutside is a symbolic link that leads outside the source
	// directory: it is never read, so nothing outside can be published.
	CodeSymlinkOutside Code = "symlink-outside"
	// CodeTooComplex is a document over its budget (nesting too deep, or
	// too long to parse): it is shown as plain text.
	CodeTooComplex Code = "too-complex"
	// CodeOutputCollision is a document whose page would be written where
	// another page is: it is not published.
	CodeOutputCollision Code = "output-collision"
	// CodeUnreadable is a document that could not be read (no permission,
	// not a regular file): it has no page.
	CodeUnreadable Code = "unreadable"
	// CodeTooLarge is a document over extract.MaxSize: it is not parsed.
	CodeTooLarge Code = "too-large"
	// CodeNotUTF8 is a document that is not UTF-8: it is read as Latin-1.
	CodeNotUTF8 Code = "not-utf8"
)

// Problem codes of reading a document's model.
const (
	CodeHeaderFooterMismatch    Code = "header-footer-mismatch"    // a field written again at the end, differently
	CodeBadDate                 Code = "bad-date"                  // a date plansite cannot read
	CodeUnknownStatus           Code = "unknown-status"            // a status word plansite does not know
	CodeCompletionMismatch      Code = "completion-mismatch"       // a declared percent the checkboxes do not bear out
	CodeStatusMismatch          Code = "status-mismatch"           // complete, with gates still open
	CodeDuplicateTaskID         Code = "duplicate-task-id"         // a task id used twice
	CodeFrontMatterUnterminated Code = "front-matter-unterminated" // front matter never closed
	CodeFrontMatterInvalid      Code = "front-matter-invalid"      // front matter that does not parse
)

// Problem codes of the link pass.
const (
	CodeBrokenLink    Code = "broken-link"              // a link to nothing in the tree
	CodeNotReciprocal Code = "prev-next-not-reciprocal" // a written next whose previous is another
)

// Kind is what a document is to its plan.
type Kind string

// Document kinds.
const (
	KindPlan     Kind = "plan"     // a plan: phases, its own tasks
	KindTracker  Kind = "tracker"  // the progress tracker of a plan's phase
	KindContext  Kind = "context"  // notes beside a plan
	KindSummary  Kind = "summary"  // a summary of work done
	KindTemplate Kind = "template" // a blank to copy: counted nowhere
	KindDoc      Kind = "doc"      // any other document
)

// kindRank is the order of the kinds: the plan first, then its tracker,
// context and summary.
var kindRank = map[Kind]int{KindPlan: 0, KindTracker: 1, KindContext: 2, KindSummary: 3, KindDoc: 4, KindTemplate: 5}

// Rank orders the documents of one phase by kind, the plan first.
func (k Kind) Rank() int { return kindRank[k] }

// Site is the whole model: every document, the series they form, and the
// agents that hold tasks in them.
type Site struct {
	Generator string    `json:"generator"`
	Docs      []*Doc    `json:"docs"`
	Series    []*Series `json:"series"`
	Agents    []*Agent  `json:"agents"`
	// Decisions are the architecture decision records, in their log's order.
	Decisions []*Decision `json:"decisions"`
	Problems  []*Problem  `json:"problems"` // problems of files that could not be read as documents
}

// DecisionLogURL is the URL of the page listing every decision.
const DecisionLogURL = "/decision-log/"

// Decision states, as decision records write them (MADR, Nygard); a record
// that writes none has the state "".
const (
	StateProposed   = "proposed"
	StateAccepted   = "accepted"
	StateSuperseded = "superseded"
	StateDeprecated = "deprecated"
	StateRejected   = "rejected"
)

// DecisionStates lists every state, in a decision's life order.
var DecisionStates = []string{StateProposed, StateAccepted, StateSuperseded, StateDeprecated, StateRejected}

// Decision is an architecture decision record as the decision log lists it.
type Decision struct {
	Source     string      `json:"source"`
	Number     string      `json:"number"` // its id, from its file name: "0009", "20201016"
	Title      string      `json:"title"`
	Date       *string     `json:"date"`  // its date (RFC 3339), or null
	State      string      `json:"state"` // proposed | accepted | superseded | deprecated | rejected, or "" when none is written
	Status     string      `json:"status"`
	StatusText string      `json:"status_text"`
	Relations  []*Relation `json:"relations"` // both ways: what it says of other decisions and what they say of it
}

// GateKind is what a gate checks before work goes on.
type GateKind string

// The kinds of gate.
const (
	GateChecklist    GateKind = "checklist"    // boxes to tick (success criteria, a checklist file)
	GateCheckpoint   GateKind = "checkpoint"   // a stop for a person to verify (spec-kit, GSD)
	GateConstitution GateKind = "constitution" // spec-kit's Constitution Check
	GateQA           GateKind = "qa"           // a BMAD story's QA gate
	GateVerification GateKind = "verification" // a GSD VERIFICATION file
)

// SupersededBy is the relation of a decision to the one that replaced it.
const SupersededBy = "superseded-by"

// RelationKind is a relation between decisions as the other side reads it
// (supersedes ↔ superseded-by) and as a page says it.
type RelationKind struct{ Inverse, Label string }

// RelationKinds are the relations decision records write before a link
// (extract's relation words), and the ones read the other way.
var RelationKinds = map[string]RelationKind{
	"supersedes": {"superseded-by", "Supersedes"}, "superseded-by": {"supersedes", "Superseded by"},
	"revises": {"revised-by", "Revises"}, "revised-by": {"revises", "Revised by"},
	"realizes": {"realized-by", "Realizes"}, "realized-by": {"realizes", "Realized by"},
	"resolves": {"resolved-by", "Resolves"}, "resolved-by": {"resolves", "Resolved by"},
	"builds-on": {"built-on-by", "Builds on"}, "built-on-by": {"builds-on", "Built on by"},
	"companion": {"companion", "Companion to"}, "relates-to": {"relates-to", "Relates to"},
}

// Relation links two decisions: Kind reads "this decision <kind> Source"
// (supersedes, superseded-by, revises, revised-by, …). From is the
// document that writes it, at Line: this one, or the other for a relation
// read the other way.
type Relation struct {
	Kind   string `json:"kind"`
	Source string `json:"source"`
	From   string `json:"from"`
	Line   int    `json:"line"`
}

// Doc is one Markdown document and everything read off it.
type Doc struct {
	Source     string `json:"source"` // slash-separated, relative to the source root
	URL        string `json:"url"`
	Title      string `json:"title"`
	Kind       Kind   `json:"kind"`            // Kind*
	Convention string `json:"convention"`      // the convention that read it (Conv*)
	Order      string `json:"order,omitempty"` // its place in its series when the convention orders by name ("10.2", "08-01")
	// OrderSeries is the series its convention places it in ("docs/stories/epic-4"), with Order.
	OrderSeries string            `json:"-"`
	Series      string            `json:"series"` // id of the series it belongs to, or ""
	Phase       string            `json:"phase"`  // phase number of a one-phase document, or ""
	Status      string            `json:"status"`
	StatusText  string            `json:"status_text"` // the status as written
	StatusLine  int               `json:"status_line"` // the line the status came from, 0 when none was written
	Completion  Completion        `json:"completion"`
	Start       *string           `json:"start"`
	Done        *string           `json:"done"`
	Updated     *string           `json:"updated"`
	Duration    string            `json:"duration"`
	Goal        string            `json:"goal"`
	Prev        *string           `json:"prev"`
	Next        *string           `json:"next"`
	Meta        map[string]string `json:"meta" msg:",allownil"`       // normalised key → raw value as written
	MetaLines   map[string]int    `json:"meta_lines" msg:",allownil"` // normalised key → the line it came from
	Phases      []*Phase          `json:"phases" msg:",allownil"`
	Gates       []*Gate           `json:"gates" msg:",allownil"`
	Tasks       []*Task           `json:"tasks" msg:",allownil"`
	Worklog     []*LogEntry       `json:"worklog" msg:",allownil"`
	Links       []*Link           `json:"links" msg:",allownil"`
	Headings    []*Heading        `json:"headings" msg:",allownil"`
	Problems    []*Problem        `json:"problems" msg:",allownil"`
	Lines       int               `json:"lines"`
	Hash        string            `json:"hash"` // sha256 of the source bytes, hex
}

// Completion is the declared percent next to what the checkboxes say.
type Completion struct {
	Declared *float64 `json:"declared"` // the percent as written, or null
	Done     int      `json:"done"`     // checked checkboxes
	Total    int      `json:"total"`    // all checkboxes
	// Optional work (Kiro "[ ]*"), counted apart from Done and Total.
	OptionalDone  int `json:"optional_done,omitempty"`
	OptionalTotal int `json:"optional_total,omitempty"`
}

// Percent is the computed completion, 0–100; 0 when there are no checkboxes.
func (c Completion) Percent() float64 {
	if c.Total == 0 {
		return 0
	}
	return float64(c.Done) * 100 / float64(c.Total)
}

// Phase is a phase of a plan: the document itself for a one-phase document, or
// a `Phase N: …` section of a multi-phase one.
type Phase struct {
	Number     string   `json:"number"`
	Title      string   `json:"title"`
	Status     string   `json:"status"`
	StatusText string   `json:"status_text"`
	Declared   *float64 `json:"declared"`
	Points     float64  `json:"points"`
	Anchor     string   `json:"anchor"`
	Line       int      `json:"line"`
	Done       int      `json:"done"`
	Total      int      `json:"total"`
	Agents     []string `json:"agents" msg:",allownil"`
	// AgentLines is the line that names each of Agents.
	AgentLines map[string]int `json:"agent_lines,omitempty" msg:",allownil"`
}

// Gate is a checklist that decides whether a phase may pass: success,
// acceptance and exit criteria, numbered gates, quality gates.
type Gate struct {
	Title  string   `json:"title"`
	Kind   GateKind `json:"kind,omitempty"`   // checklist (default) | checkpoint | constitution | qa | verification
	Result string   `json:"result,omitempty"` // the verdict written (complete = passed, failed), when the gate states one
	Anchor string   `json:"anchor"`
	Phase  string   `json:"phase"`
	Line   int      `json:"line"`
	Done   int      `json:"done"`
	Total  int      `json:"total"`
	Items  []*Item  `json:"items" msg:",allownil"`
}

// Passed reports whether every item of the gate is checked.
func (g *Gate) Passed() bool { return g.Total > 0 && g.Done == g.Total }

// Item is one checkbox.
type Item struct {
	Text    string `json:"text"`
	Checked bool   `json:"checked"`
	Line    int    `json:"line"`
}

// Task is a unit of work with an id, a status and the agents that hold it.
type Task struct {
	ID         string      `json:"id"`
	Title      string      `json:"title"`
	Status     string      `json:"status"`
	StatusText string      `json:"status_text"`
	Phase      string      `json:"phase"`
	Points     float64     `json:"points"`
	Agents     []*AgentRef `json:"agents" msg:",allownil"`
	Anchor     string      `json:"anchor"`
	Line       int         `json:"line"`
	Done       int         `json:"done"`
	Total      int         `json:"total"`
	Optional   bool        `json:"optional,omitempty"`               // optional work (Kiro "[ ]*"): open without blocking
	Parallel   bool        `json:"parallel,omitempty"`               // may run in parallel (spec-kit "[P]")
	Story      string      `json:"story,omitempty"`                  // the user story it serves (spec-kit "[US1]")
	Refs       []string    `json:"refs,omitempty" msg:",allownil"`   // requirements and acceptance criteria it traces to ("5.1", "AC 2")
	Traces     []*Trace    `json:"traces,omitempty" msg:",allownil"` // where the refs its convention can place are defined
}

// Trace places a requirement a task traces to (Kiro's "_Requirements:
// 1.2_"): acceptance criterion 2 of requirement 1, in the spec's
// requirements.md.
type Trace struct {
	Ref    string `json:"ref"`    // as written: "1.2"
	Doc    string `json:"doc"`    // source path of the document that defines it
	Anchor string `json:"anchor"` // its anchor on that document's page
	Line   int    `json:"line"`   // the line that names it
}

// AgentRef names an agent and its role on a task.
type AgentRef struct {
	Name string `json:"name"`
	Role string `json:"role"`
	Line int    `json:"line,omitempty"` // the line that names it
}

// LogKind is what a work-log entry records: work done, or a decision taken.
type LogKind string

// The kinds of log entry.
const (
	LogWork     LogKind = "work"
	LogDecision LogKind = "decision"
)

// LogEntry is one work-log entry, in the order written.
type LogEntry struct {
	Time   *string `json:"time"` // RFC 3339 (a date alone when no time was written), or null
	Title  string  `json:"title"`
	Kind   LogKind `json:"kind"` // work | decision
	Anchor string  `json:"anchor"`
	Line   int     `json:"line"`
	// Done is what the entry says was done; nil when it says nothing done.
	Done *LogDone `json:"done,omitempty"`
}

// LogDone is the work a work-log entry says was done, as it says it.
type LogDone struct {
	// Tasks are the ids of the document's tasks it names as done.
	Tasks []string `json:"tasks,omitempty" msg:",allownil"`
	// Phases are the numbers of the document's phases it names as done.
	Phases []string `json:"phases,omitempty" msg:",allownil"`
	// Checked counts the boxes ticked in the entry itself.
	Checked int `json:"checked,omitempty"`
	// Items is the done work in checkboxes, the burndown's unit: the boxes of
	// the phases and tasks named (one for a task without boxes) and the boxes
	// ticked.
	Items int `json:"items"`
	// Count, Of and Unit are a count the entry states: "20/20 tasks", "(13 pts)".
	Count int    `json:"count,omitempty"`
	Of    int    `json:"of,omitempty"`
	Unit  string `json:"unit,omitempty"`
}

// LinkContext is the kind of a link read off a context reference, a file an
// agent must read, written as a path rather than a Markdown link (GSD's
// "@.planning/STATE.md"); its Text is the reference as written.
const LinkContext = "context"

// Link is a link written in a document.
type Link struct {
	Target    string  `json:"target"`
	Kind      string  `json:"kind,omitempty"` // a relation written before it: supersedes, superseded-by, revises, …
	Text      string  `json:"text"`
	Line      int     `json:"line"`
	Resolved  *string `json:"resolved"`  // source path it points at, null when broken
	Suggested *string `json:"suggested"` // for a broken link, the unique document it most likely meant
}

// Heading is a heading of a document, for its table of contents.
type Heading struct {
	Level  int    `json:"level"`
	Text   string `json:"text"`
	Anchor string `json:"anchor"`
	Line   int    `json:"line"`
}

// Problem is something wrong in a document, at a line.
type Problem struct {
	Source   string   `json:"source,omitempty"`
	Line     int      `json:"line"`
	Severity Severity `json:"severity"`
	Code     Code     `json:"code"`
	Message  string   `json:"message"`
}

// Series is a plan: the phase documents of one directory, in phase order, and
// the documents that accompany them.
type Series struct {
	ID     string   `json:"id"` // the directory, slash-separated ("." for the root)
	Title  string   `json:"title"`
	URL    string   `json:"url"`
	Phases []string `json:"phases"` // source paths of the phase documents, in order
}

// AgentURL is the URL of an agent's page (agent names are [a-z0-9_-]).
func AgentURL(name string) string { return "/agents/" + name + "/" }

// Agent is every task and phase one agent holds, across all documents.
type Agent struct {
	Name   string        `json:"name"`
	URL    string        `json:"url"`
	Tasks  []*AgentTask  `json:"tasks"`
	Phases []*AgentPhase `json:"phases"` // phases that name the agent without a task of theirs naming it
}

// AgentTask is one task held by an agent.
type AgentTask struct {
	Source string `json:"source"`
	Task   string `json:"task"`
	Title  string `json:"title"`
	Status string `json:"status"`
	Role   string `json:"role"`
}

// AgentPhase is a phase of a multi-phase document that names an agent.
type AgentPhase struct {
	Source string `json:"source"`
	Phase  string `json:"phase"`
	Title  string `json:"title"`
	Anchor string `json:"anchor"`
	Status string `json:"status"`
}
