package plan

import (
	"strings"
	"sync"
	"unsafe"
)

// Compact moves a document's model into a few allocations: its strings
// into one, its headings, tasks, items and the rest each into one array of
// their type. Extraction leaves thousands of small objects per document
// (a heading, its text and its anchor are three), and a large site holds
// every document's model for the whole build: the collector marks each of
// those objects on every cycle, and marking them was most of a large
// build's collection cost. The values, and so plan.json, are unchanged:
// nil stays nil, an empty list stays empty, and a slice carved from an
// array is capped at its length, so an append copies instead of writing
// over its neighbour.
//
// d must not be shared while it is compacted; whatever held its old parts
// keeps them as they were.
func Compact(d *Doc) {
	if d == nil {
		return
	}
	p := packers.Get().(*packer)
	p.compact(d)
	packers.Put(p)
}

var packers = sync.Pool{New: func() any { return &packer{seen: map[string]int{}} }}

// An Arena compacts many documents into blocks they share (64 KB each, per
// type): a document's arrays are then not small objects of their own in
// spans shared with the garbage of reading it, which the collector frees
// around them, leaving the spans in use but mostly empty. Whatever a
// document of a block holds keeps the whole block, so an arena is for
// documents that live and die together, as a build's do. An Arena is safe
// for concurrent use.
type Arena struct {
	mu   sync.Mutex
	idle []*packer
}

// Compact is plan.Compact, into the arena's blocks.
func (a *Arena) Compact(d *Doc) {
	if d == nil {
		return
	}
	p := a.packer()
	p.compact(d)
	a.release(p)
}

// Decode reads a document that is to live as long as the arena: b is
// copied into the arena's text, decode reads the document from the copy
// (the generated decoders leave its strings views of what they read), and
// the document's parts are compacted as Compact does, its strings left
// where they are, in the copy. Decoding and compacting a cached model
// copies its strings once, not twice, and makes no garbage of them.
// decode's document must not be shared; an error from decode is returned.
func (a *Arena) Decode(b []byte, decode func(stable []byte) (*Doc, error)) (*Doc, error) {
	p := a.packer()
	defer a.release(p)
	stable := alloc(&p.blocks.text, len(b), true)[:len(b)]
	copy(stable, b)
	d, err := decode(stable)
	if err != nil || d == nil {
		return nil, err
	}
	p.views = true
	p.compact(d)
	return d, nil
}

func (a *Arena) packer() *packer {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n := len(a.idle); n > 0 {
		p := a.idle[n-1]
		a.idle = a.idle[:n-1]
		return p
	}
	return &packer{seen: map[string]int{}, blocks: &blocks{}}
}

func (a *Arena) release(p *packer) {
	a.mu.Lock()
	a.idle = append(a.idle, p)
	a.mu.Unlock()
}

func (p *packer) compact(d *Doc) {
	p.reserve(d)
	p.doc(d)
	p.finish()
}

var noBlocks blocks

// arrays are one array per type of a document's parts.
type arrays struct {
	phases  []Phase
	phasePs []*Phase
	gates   []Gate
	gatePs  []*Gate
	items   []Item
	itemPs  []*Item
	tasks   []Task
	taskPs  []*Task
	refs    []AgentRef
	refPs   []*AgentRef
	traces  []Trace
	tracePs []*Trace
	entries []LogEntry
	entryPs []*LogEntry
	dones   []LogDone
	links   []Link
	linkPs  []*Link
	heads   []Heading
	headPs  []*Heading
	probs   []Problem
	probPs  []*Problem
	strs    []string  // string lists and the targets of *string fields
	floats  []float64 // the targets of *float64 fields
}

// blocks are an arena packer's current blocks, one per type.
type blocks struct {
	arrays
	text []byte
}

// blockBytes is the size of an arena's blocks: a large object, in pages
// of its own.
const blockBytes = 64 << 10

// alloc is an empty slice with room for n, cut from *block when there is
// one (a new block when it is full; a large n gets its own array).
func alloc[T any](block *[]T, n int, arena bool) []T {
	per := blockBytes / max(1, int(unsafe.Sizeof(*new(T))))
	if !arena || n > per/4 {
		return make([]T, 0, n)
	}
	if cap(*block)-len(*block) < n {
		*block = make([]T, 0, per)
	}
	l := len(*block)
	*block = (*block)[:l+n]
	return (*block)[l : l : l+n]
}

// packer is one compaction: the arrays the document's parts move to, and
// the strings to copy into one.
type packer struct {
	arrays
	// Maps are rebuilt once the strings are in place: Meta and MetaLines
	// from their keys and values, the phases' AgentLines from their Agents.
	metaDoc  *Doc
	metaKeys []string
	metaVals []string
	lined    []*Phase

	// The strings, appended to text once each (a heading's anchor is often
	// its task's or gate's too); each field in fields is then set to its
	// part of one string of text, at its offset.
	text   []byte
	fields []*string
	blocks *blocks // an arena's, or nil
	// views: the strings are in the arena already (Arena.Decode), and
	// stay where they are.
	views bool
	offs  []int
	seen  map[string]int
}

// reserve sizes every array for d, so that none grows: a part moved into
// an array that then grew would stay where it was, correct but not compact.
func (p *packer) reserve(d *Doc) {
	var items, refs, traces, dones, strs int
	strs = 5 // Start, Done, Updated, Prev, Next
	floats := 1 + len(d.Phases)
	for _, ph := range d.Phases {
		if ph != nil {
			strs += len(ph.Agents)
		}
	}
	for _, g := range d.Gates {
		if g != nil {
			items += len(g.Items)
		}
	}
	for _, t := range d.Tasks {
		if t != nil {
			refs += len(t.Agents)
			traces += len(t.Traces)
			strs += len(t.Refs)
		}
	}
	for _, e := range d.Worklog {
		if e != nil {
			strs++
			if e.Done != nil {
				dones++
				strs += len(e.Done.Tasks) + len(e.Done.Phases)
			}
		}
	}
	strs += 2 * len(d.Links)
	b, on := p.blocks, p.blocks != nil
	if b == nil {
		b = &noBlocks // not touched: alloc makes arrays of their own
	}
	p.phases, p.phasePs = alloc(&b.phases, len(d.Phases), on), alloc(&b.phasePs, len(d.Phases), on)
	p.gates, p.gatePs = alloc(&b.gates, len(d.Gates), on), alloc(&b.gatePs, len(d.Gates), on)
	p.items, p.itemPs = alloc(&b.items, items, on), alloc(&b.itemPs, items, on)
	p.tasks, p.taskPs = alloc(&b.tasks, len(d.Tasks), on), alloc(&b.taskPs, len(d.Tasks), on)
	p.refs, p.refPs = alloc(&b.refs, refs, on), alloc(&b.refPs, refs, on)
	p.traces, p.tracePs = alloc(&b.traces, traces, on), alloc(&b.tracePs, traces, on)
	p.entries, p.entryPs = alloc(&b.entries, len(d.Worklog), on), alloc(&b.entryPs, len(d.Worklog), on)
	p.dones = alloc(&b.dones, dones, on)
	p.links, p.linkPs = alloc(&b.links, len(d.Links), on), alloc(&b.linkPs, len(d.Links), on)
	p.heads, p.headPs = alloc(&b.heads, len(d.Headings), on), alloc(&b.headPs, len(d.Headings), on)
	p.probs, p.probPs = alloc(&b.probs, len(d.Problems), on), alloc(&b.probPs, len(d.Problems), on)
	p.strs = alloc(&b.strs, strs, on)
	p.floats = alloc(&b.floats, floats, on)
}

func (p *packer) doc(d *Doc) {
	for _, s := range []*string{&d.Source, &d.URL, &d.Title, &d.Order, &d.OrderSeries, &d.Series, &d.Phase,
		&d.StatusText, &d.Duration, &d.Goal, &d.Hash} {
		p.str(s)
	}
	for _, s := range []**string{&d.Start, &d.Done, &d.Updated, &d.Prev, &d.Next} {
		p.strPtr(s)
	}
	p.floatPtr(&d.Completion.Declared)
	p.meta(d)
	d.Phases = move(&p.phases, &p.phasePs, d.Phases, func(ph *Phase) {
		for _, s := range []*string{&ph.Number, &ph.Title, &ph.StatusText, &ph.Anchor} {
			p.str(s)
		}
		p.floatPtr(&ph.Declared)
		ph.Agents = p.strList(ph.Agents)
		if ph.AgentLines != nil {
			p.lined = append(p.lined, ph)
		}
	})
	d.Gates = move(&p.gates, &p.gatePs, d.Gates, func(g *Gate) {
		for _, s := range []*string{&g.Title, &g.Result, &g.Anchor, &g.Phase} {
			p.str(s)
		}
		g.Items = move(&p.items, &p.itemPs, g.Items, func(it *Item) { p.str(&it.Text) })
	})
	d.Tasks = move(&p.tasks, &p.taskPs, d.Tasks, func(t *Task) {
		for _, s := range []*string{&t.ID, &t.Title, &t.StatusText, &t.Phase, &t.Anchor, &t.Story} {
			p.str(s)
		}
		t.Agents = move(&p.refs, &p.refPs, t.Agents, func(a *AgentRef) { p.str(&a.Name) })
		t.Refs = p.strList(t.Refs)
		t.Traces = move(&p.traces, &p.tracePs, t.Traces, func(tr *Trace) {
			for _, s := range []*string{&tr.Ref, &tr.Doc, &tr.Anchor} {
				p.str(s)
			}
		})
	})
	d.Worklog = move(&p.entries, &p.entryPs, d.Worklog, func(e *LogEntry) {
		p.strPtr(&e.Time)
		p.str(&e.Title)
		p.str(&e.Anchor)
		if e.Done != nil {
			p.dones = append(p.dones, *e.Done)
			e.Done = &p.dones[len(p.dones)-1]
			e.Done.Tasks = p.strList(e.Done.Tasks)
			e.Done.Phases = p.strList(e.Done.Phases)
			p.str(&e.Done.Unit)
		}
	})
	d.Links = move(&p.links, &p.linkPs, d.Links, func(l *Link) {
		for _, s := range []*string{&l.Target, &l.Kind, &l.Text} {
			p.str(s)
		}
		p.strPtr(&l.Resolved)
		p.strPtr(&l.Suggested)
	})
	d.Headings = move(&p.heads, &p.headPs, d.Headings, func(h *Heading) {
		p.str(&h.Text)
		p.str(&h.Anchor)
	})
	d.Problems = move(&p.probs, &p.probPs, d.Problems, func(pr *Problem) {
		p.str(&pr.Source)
		p.str(&pr.Message)
	})
}

// meta notes Meta's and MetaLines' keys and values; finish rebuilds both
// maps from them once the strings are in place.
func (p *packer) meta(d *Doc) {
	for k, v := range d.Meta {
		p.metaKeys = append(p.metaKeys, k)
		p.metaVals = append(p.metaVals, v)
	}
	for k := range d.MetaLines {
		if _, ok := d.Meta[k]; !ok {
			p.metaKeys = append(p.metaKeys, k)
			p.metaVals = append(p.metaVals, "")
		}
	}
	p.metaDoc = d
}

// move copies every part list points at into vals, in order, with
// each(part) finishing the part in its new place, and returns the list of
// new places carved from ptrs. A nil part stays nil.
func move[T any](vals *[]T, ptrs *[]*T, list []*T, each func(*T)) []*T {
	if list == nil {
		return nil
	}
	if len(list) == 0 {
		return []*T{}
	}
	start := len(*ptrs)
	for _, v := range list {
		if v == nil {
			*ptrs = append(*ptrs, nil)
			continue
		}
		*vals = append(*vals, *v)
		np := &(*vals)[len(*vals)-1]
		each(np)
		*ptrs = append(*ptrs, np)
	}
	return (*ptrs)[start:len(*ptrs):len(*ptrs)]
}

// strList copies a list of strings into the string array, and notes each
// for the text.
func (p *packer) strList(list []string) []string {
	if list == nil {
		return nil
	}
	if len(list) == 0 {
		return []string{}
	}
	start := len(p.strs)
	p.strs = append(p.strs, list...)
	out := p.strs[start:len(p.strs):len(p.strs)]
	for i := range out {
		p.str(&out[i])
	}
	return out
}

func (p *packer) strPtr(s **string) {
	if *s == nil {
		return
	}
	p.strs = append(p.strs, **s)
	*s = &p.strs[len(p.strs)-1]
	p.str(*s)
}

func (p *packer) floatPtr(f **float64) {
	if *f == nil {
		return
	}
	p.floats = append(p.floats, **f)
	*f = &p.floats[len(p.floats)-1]
}

// str notes a string field to be moved into the text.
func (p *packer) str(s *string) {
	if *s == "" || p.views {
		return
	}
	off, ok := p.seen[*s]
	if !ok {
		off = len(p.text)
		p.text = append(p.text, *s...)
		p.seen[*s] = off
	}
	p.fields = append(p.fields, s)
	p.offs = append(p.offs, off)
}

// finish makes the text one string, points every noted field at its part,
// rebuilds the metadata maps, and lets go of the document.
func (p *packer) finish() {
	// The metadata's keys and values go into the text too.
	for i := range p.metaKeys {
		p.str(&p.metaKeys[i])
		p.str(&p.metaVals[i])
	}
	var text string
	if p.blocks != nil && len(p.text) > 0 {
		b := alloc(&p.blocks.text, len(p.text), true)[:len(p.text)]
		copy(b, p.text)
		text = unsafe.String(&b[0], len(b)) // b is not written again
	} else {
		text = string(p.text)
	}
	for i, s := range p.fields {
		off := p.offs[i]
		*s = text[off : off+len(*s)]
	}
	if d := p.metaDoc; d != nil {
		if d.Meta != nil {
			m := make(map[string]string, len(d.Meta))
			for i, k := range p.metaKeys {
				if _, ok := d.Meta[k]; ok {
					m[k] = p.metaVals[i]
				}
			}
			d.Meta = m
		}
		if d.MetaLines != nil {
			m := make(map[string]int, len(d.MetaLines))
			for _, k := range p.metaKeys {
				if n, ok := d.MetaLines[k]; ok {
					m[k] = n
				}
			}
			d.MetaLines = m
		}
	}
	for _, ph := range p.lined {
		lines := make(map[string]int, len(ph.AgentLines))
		for _, a := range ph.Agents {
			if n, ok := ph.AgentLines[a]; ok {
				lines[a] = n
			}
		}
		for a, n := range ph.AgentLines {
			if _, ok := lines[a]; !ok { // a line names an agent not in the list
				lines[strings.Clone(a)] = n // not a view of the source, which it would keep
			}
		}
		ph.AgentLines = lines
	}
	clear(p.fields)
	if len(p.seen) > maxPooledSeen {
		p.seen = map[string]int{}
	} else {
		clear(p.seen) // its keys are the old strings
	}
	clear(p.metaKeys)
	clear(p.metaVals)
	clear(p.lined)
	buf := p.text[:0]
	if cap(buf) > maxPooledText {
		buf = nil
	}
	*p = packer{blocks: p.blocks, text: buf, fields: p.fields[:0], offs: p.offs[:0], seen: p.seen, metaKeys: p.metaKeys[:0], metaVals: p.metaVals[:0], lined: p.lined[:0]}
}

// maxPooledText is the largest text buffer kept for the next document, and
// maxPooledSeen the most strings whose table is (clearing a table costs its
// size, for every document after).
const (
	maxPooledText = 1 << 20
	maxPooledSeen = 4 << 10
)
