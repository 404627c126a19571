// Package search builds the site's full-text search index, split so a
// reader's first download stays small however large the site: a manifest
// (search/meta.json) of the index's chunks, each the terms from its first
// to the next chunk's first in MiniSearch's serialized form
// (search/c/NAME.json, named by a hash of its content), the field lengths
// its ranking needs (search/lengths.json), and one fragment per document
// holding its title and the start of each section's text for result
// snippets, packed FragsPerFile to a file (search/f/N.json) so a large
// site writes a few hundred of them, not one per document. The browser
// loads the manifest, then only the chunks holding a query's terms, then
// the fragment files of the results it shows — Pagefind's model, with
// MiniSearch (bundled in the theme) as the engine. Where chunks are cut
// depends on their terms alone (chunk.go), so that a build which changed
// a few documents rewrites the few chunks their terms are in (Update).
package search

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Fields of a document, in MiniSearch's field-id order.
const (
	FieldTitle = iota
	FieldHeadings
	FieldTasks
	FieldBody
	numFields
)

// FieldNames are the field names the browser's MiniSearch is created with.
var FieldNames = [numFields]string{"title", "headings", "tasks", "body"}

// fragmentText caps the text a fragment keeps for snippets, and
// sectionText the text of each section in it, so that the snippet of a
// long document can still come from its later sections; the index itself
// holds every term of the document.
const (
	fragmentText = 4 << 10
	sectionText  = 768
)

// FragsPerFile is how many documents' fragments one file holds: document
// id's fragment is entry id%FragsPerFile of search/f/(id/FragsPerFile).json.
const FragsPerFile = 32

// Doc is what the index reads of one document.
type Doc struct {
	Title, URL, Status string
	Headings           []string
	Tasks              []string // "id title"
	Body               []byte   // rendered HTML
}

// Section is a run of a document's text under one heading.
type Section struct {
	Anchor, Heading, Text string
}

// posting is one document's count of a term in one field.
type posting struct {
	doc   uint32
	field uint8
	tf    uint16
}

// Index gathers the terms of every document, each term interned once and
// its postings appended to a slice. Add is safe for concurrent use; Files
// is called once every document was added.
type Index struct {
	mu       sync.Mutex
	termID   map[string]uint32
	postings [][]posting // by term id
	terms    []string    // by term id
	lengths  map[uint32][numFields]uint32
	packs    map[int]*pack // fragment files still waiting for documents
	pool     sync.Pool     // of *docTerms
	state    *State        // left by Files
}

// pack is one fragment file being filled.
type pack struct {
	frags [FragsPerFile][]byte
	n     int
}

// New makes an empty index.
func New() *Index {
	return &Index{termID: map[string]uint32{}, lengths: map[uint32][numFields]uint32{}, packs: map[int]*pack{}}
}

// unsafeString is b as a string without a copy, for b's bytes are not
// changed while the string is used.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Record is one document's part of the index, encoded: its fragment, its
// field lengths, and each of its terms with its counts by field. A build
// keeps it (in its cache) so that a document whose body did not change
// joins the next build's index without its body being read again.
type Record []byte

// Add indexes document id. When that completes a file of fragments, it
// returns the file's path and content (else ""); Files writes the rest.
func (x *Index) Add(id int, d Doc) (string, []byte, error) {
	rel, data, _, err := x.AddDoc(id, d)
	return rel, data, err
}

// AddDoc is Add, also returning the document's Record.
func (x *Index) AddDoc(id int, d Doc) (string, []byte, Record, error) {
	c := x.docTerms()
	defer x.pool.Put(c)
	frag, lengths, err := c.count(d)
	if err != nil {
		return "", nil, nil, err
	}
	rec := c.record(frag, lengths)
	doc := uint32(id)
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, i := range c.used {
		tid := c.tid[i]
		if tid == noTerm {
			tid = x.term(c.terms[i])
			c.tid[i] = tid
		}
		x.post(tid, doc, c.counts[i])
	}
	rel, data := x.finishDoc(id, frag, lengths)
	return rel, data, rec, nil
}

// Record is document d's Record, the index left as it is.
func (x *Index) Record(d Doc) (Record, error) {
	c := x.docTerms()
	defer x.pool.Put(c)
	frag, lengths, err := c.count(d)
	if err != nil {
		return nil, err
	}
	return c.record(frag, lengths), nil
}

// docTerms is a pooled docTerms, reset; the caller puts it back.
func (x *Index) docTerms() *docTerms {
	c, _ := x.pool.Get().(*docTerms)
	if c == nil {
		c = &docTerms{}
	}
	c.reset()
	return c
}

// count counts the terms of d by field, and makes its fragment.
func (c *docTerms) count(d Doc) ([]byte, [numFields]uint32, error) {
	return c.countAs(d, utf8.Valid(d.Body))
}

// countAs is count, d's body text kept as read when unspaced.
func (c *docTerms) countAs(d Doc, unspaced bool) ([]byte, [numFields]uint32, error) {
	c.body.read(d.Body, unspaced)
	var lengths [numFields]uint32
	lengths[FieldTitle] += c.add(FieldTitle, d.Title)
	for _, h := range d.Headings {
		lengths[FieldHeadings] += c.add(FieldHeadings, h)
	}
	for _, t := range d.Tasks {
		lengths[FieldTasks] += c.add(FieldTasks, t)
	}
	for _, s := range c.body.sections {
		lengths[FieldBody] += c.add(FieldBody, unsafeString(c.body.text(s)))
	}
	frag, err := fragment(d, &c.body)
	return frag, lengths, err
}

// AddRecord indexes document id from its Record, as Add does from the
// document.
func (x *Index) AddRecord(id int, r Record) (string, []byte, error) {
	frag, lengths, terms, ok := r.split()
	// Checked whole before the index takes any of it: a damaged record
	// leaves the index as it was.
	if !ok || eachTerm(terms, func([]byte, [numFields]uint16) {}) != nil {
		return "", nil, fmt.Errorf("search record of document %d is damaged", id)
	}
	doc := uint32(id)
	x.mu.Lock()
	defer x.mu.Unlock()
	_ = eachTerm(terms, func(t []byte, counts [numFields]uint16) {
		tid, ok := x.termID[string(t)]
		if !ok {
			tid = x.term(string(t))
		}
		x.post(tid, doc, counts)
	})
	rel, data := x.finishDoc(id, frag, lengths)
	return rel, data, nil
}

// term is the id of term t, interned when new; x.mu is held.
func (x *Index) term(t string) uint32 {
	tid, ok := x.termID[t]
	if !ok {
		tid = uint32(len(x.terms))
		x.termID[t] = tid
		x.terms = append(x.terms, t)
		x.postings = append(x.postings, nil)
	}
	return tid
}

// post appends a document's counts of term tid; x.mu is held.
func (x *Index) post(tid, doc uint32, counts [numFields]uint16) {
	ps := x.postings[tid]
	for f, n := range counts {
		if n > 0 {
			ps = append(ps, posting{doc: doc, field: uint8(f), tf: n})
		}
	}
	x.postings[tid] = ps
}

// finishDoc records a document's lengths and fragment, and returns the
// fragment file it completed, if any; x.mu is held.
func (x *Index) finishDoc(id int, frag []byte, lengths [numFields]uint32) (string, []byte) {
	x.lengths[uint32(id)] = lengths
	g := id / FragsPerFile
	p := x.packs[g]
	if p == nil {
		p = &pack{}
		x.packs[g] = p
	}
	if p.frags[id%FragsPerFile] == nil {
		p.n++
	}
	p.frags[id%FragsPerFile] = frag
	if p.n < FragsPerFile {
		return "", nil
	}
	delete(x.packs, g)
	return packPath(g), p.bytes()
}

// record encodes the document c counted: the fragment, the lengths, then
// each term and its counts, all length-prefixed.
func (c *docTerms) record(frag []byte, lengths [numFields]uint32) Record {
	n := len(frag) + 32
	for _, i := range c.used {
		n += len(c.terms[i]) + 2 + numFields
	}
	b := make([]byte, 0, n)
	b = binary.AppendUvarint(b, uint64(len(frag)))
	b = append(b, frag...)
	for _, l := range lengths {
		b = binary.AppendUvarint(b, uint64(l))
	}
	b = binary.AppendUvarint(b, uint64(len(c.used)))
	for _, i := range c.used {
		t, k := c.terms[i], &c.counts[i]
		b = binary.AppendUvarint(b, uint64(len(t)))
		b = append(b, t...)
		var all uint16
		for _, n := range k {
			all |= n
		}
		for _, n := range k {
			if all < 0x80 { // each count one byte, as nearly always
				b = append(b, byte(n))
			} else {
				b = binary.AppendUvarint(b, uint64(n))
			}
		}
	}
	return b
}

// split reads a record's fragment, lengths and the encoded terms.
func (r Record) split() (frag []byte, lengths [numFields]uint32, terms []byte, ok bool) {
	b := []byte(r)
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return nil, lengths, nil, false
	}
	frag, b = b[w:w+int(n)], b[w+int(n):]
	for f := range lengths {
		l, w := binary.Uvarint(b)
		if w <= 0 || l > 1<<32-1 {
			return nil, lengths, nil, false
		}
		lengths[f], b = uint32(l), b[w:]
	}
	return frag, lengths, b, true
}

// eachTerm calls f with each term of a record's encoded terms and its
// counts (f must not keep the slice).
func eachTerm(b []byte, f func(t []byte, counts [numFields]uint16)) error {
	bad := errors.New("damaged")
	count, w := binary.Uvarint(b)
	if w <= 0 {
		return bad
	}
	b = b[w:]
	for range count {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return bad
		}
		t := b[w : w+int(n)]
		b = b[w+int(n):]
		var counts [numFields]uint16
		for i := range counts {
			v, w := binary.Uvarint(b)
			if w <= 0 || v > 1<<16-1 {
				return bad
			}
			counts[i], b = uint16(v), b[w:]
		}
		f(t, counts)
	}
	if len(b) != 0 {
		return bad
	}
	return nil
}

func packPath(g int) string { return "search/f/" + strconv.Itoa(g) + ".json" }

// bytes is the pack as a JSON array, null where a document is missing.
func (p *pack) bytes() []byte {
	n := 0
	for _, f := range p.frags {
		n += len(f) + 1
	}
	b := make([]byte, 0, n+8)
	b = append(b, '[')
	for i, f := range p.frags {
		if i > 0 {
			b = append(b, ',')
		}
		if f == nil {
			f = []byte("null")
		}
		b = append(b, f...)
	}
	return append(b, ']')
}

// fragment is a document's title, URL, status and text by section, each
// section's text cut at sectionText and all at fragmentText, as JSON:
// {"t":title,"u":URL,"s":status,"x":[[anchor,heading,text],…]} (null
// when there is no section), written as encoding/json writes it.
func fragment(d Doc, body *bodyText) ([]byte, error) {
	n := len(d.Title) + len(d.URL) + len(d.Status) + 32
	for _, s := range body.sections {
		n += len(s.anchor) + len(s.heading) + sectionText + 16
	}
	b := make([]byte, 0, min(n, fragmentText+len(d.Title)+len(d.URL)+len(d.Status)+1024))
	b = append(b, `{"t":`...)
	b = appendJSONString(b, d.Title)
	b = append(b, `,"u":`...)
	b = appendJSONString(b, d.URL)
	b = append(b, `,"s":`...)
	b = appendJSONString(b, d.Status)
	b = append(b, `,"x":`...)
	left, xs := fragmentText, 0
	for _, s := range body.sections {
		if left <= 0 {
			break
		}
		text := body.spacedText(s, min(left, sectionText))
		left -= len(text)
		if xs == 0 {
			b = append(b, '[')
		} else {
			b = append(b, ',')
		}
		xs++
		b = append(b, '[')
		b = appendJSONString(b, s.anchor)
		b = append(b, ',')
		b = appendJSONString(b, s.heading)
		b = append(b, ',')
		b = appendJSONString(b, text)
		b = append(b, ']')
	}
	if xs == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// appendJSONString appends s quoted as encoding/json.Marshal quotes a
// string: <, > and & escaped for HTML, invalid UTF-8 as U+FFFD, U+2028
// and U+2029 escaped (TestAppendJSONString holds it to json.Marshal).
func appendJSONString[T string | []byte](b []byte, s T) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, w := decodeRune(s[i:])
		switch {
		case r == utf8.RuneError && w == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += w
			continue
		}
		i += w
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonSafe are the ASCII characters encoding/json writes as they are in a
// string when it escapes HTML.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

// Files writes the index: emit receives each output path and its content.
// State is then what an Update of this index starts from.
func (x *Index) Files(emit func(rel string, data []byte) error) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	groups := make([]int, 0, len(x.packs))
	for g := range x.packs {
		groups = append(groups, g)
	}
	slices.Sort(groups)
	for _, g := range groups {
		if err := emit(packPath(g), x.packs[g].bytes()); err != nil {
			return err
		}
		delete(x.packs, g)
	}
	order := make([]uint32, len(x.terms))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(x.terms[a], x.terms[b]) })
	var ch chunker
	var entry bytes.Buffer
	var keys []uint64
	for _, tid := range order {
		entry.Reset()
		keys = writeEntry(&entry, x.terms[tid], x.postings[tid], keys)
		x.postings[tid] = nil
		ch.add(x.terms[tid], entry.Bytes())
		// Written as they are cut: the chunks are the index's largest part.
		for _, f := range ch.files {
			if err := emit(f.Rel, f.Data); err != nil {
				return err
			}
		}
		ch.files = ch.files[:0]
	}
	ch.cut()
	for _, f := range ch.files {
		if err := emit(f.Rel, f.Data); err != nil {
			return err
		}
	}
	ids := make([]uint32, 0, len(x.lengths))
	for id := range x.lengths {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	lengths, meta, err := summary(ids, func(id uint32) [numFields]uint32 { return x.lengths[id] }, ch.chunks)
	if err != nil {
		return err
	}
	if err := emit(lengthsPath, lengths); err != nil {
		return err
	}
	if err := emit(metaPath, meta); err != nil {
		return err
	}
	x.state = nil
	if len(ids) == nextID(ids) { // every id from 0 on: what a State holds
		st := &State{chunks: ch.chunks, lengths: make([][numFields]uint32, len(ids))}
		for _, id := range ids {
			st.lengths[id] = x.lengths[id]
		}
		x.state = st
	}
	return nil
}

// State is what the last Files call leaves for an Update of its index;
// nil when its documents' ids did not run from 0 without a gap.
func (x *Index) State() *State {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.state
}

const (
	lengthsPath = "search/lengths.json"
	metaPath    = "search/meta.json"
)

// summary is the field lengths file and the manifest of an index of the
// documents ids (ascending), each of lengths at(id), cut into chunks.
func summary(ids []uint32, at func(uint32) [numFields]uint32, chunks []Chunk) (lengths, meta []byte, err error) {
	// Field lengths, for ranking: "id": [title, headings, tasks, body].
	var sum [numFields]float64
	lb := make([]byte, 0, 24*len(ids)+2)
	lb = append(lb, '{')
	for i, id := range ids {
		l := at(id)
		if i > 0 {
			lb = append(lb, ',')
		}
		lb = append(lb, '"')
		lb = strconv.AppendUint(lb, uint64(id), 10)
		lb = append(lb, `":[`...)
		for f, n := range l {
			if f > 0 {
				lb = append(lb, ',')
			}
			lb = strconv.AppendUint(lb, uint64(n), 10)
			sum[f] += float64(n)
		}
		lb = append(lb, ']')
	}
	lb = append(lb, '}')
	avg := make([]float64, numFields)
	for f := range sum {
		if len(ids) > 0 {
			avg[f] = sum[f] / float64(len(ids))
		}
	}
	cs := make([][2]string, len(chunks))
	for i, c := range chunks {
		cs[i] = [2]string{c.First, c.Name}
	}
	meta, err = json.Marshal(struct {
		Version int         `json:"v"`
		Docs    int         `json:"docs"`
		NextID  int         `json:"next"`
		Fields  []string    `json:"fields"`
		Avg     []float64   `json:"avg"`
		Chunks  [][2]string `json:"chunks"`
		Frags   int         `json:"fpf"`
	}{3, len(ids), nextID(ids), FieldNames[:], avg, cs, FragsPerFile})
	return lb, meta, err
}

func nextID(ids []uint32) int {
	if len(ids) == 0 {
		return 0
	}
	return int(ids[len(ids)-1]) + 1
}

// writeEntry writes one term as MiniSearch serializes it:
// ["term",{"fieldId":{"docId":tf,…},…}], fields and documents in order.
// keys is room for sorting the postings, returned for the next call.
func writeEntry(b *bytes.Buffer, term string, ps []posting, keys []uint64) []uint64 {
	// Sorted as numbers, field, then document (tf rides along below):
	// put by field, then each field's in order.
	var at [numFields + 1]int
	for _, p := range ps {
		at[p.field+1]++
	}
	for f := 1; f <= numFields; f++ {
		at[f] += at[f-1]
	}
	keys = slices.Grow(keys[:0], len(ps))[:len(ps)]
	for _, p := range ps {
		keys[at[p.field]] = uint64(p.field)<<48 | uint64(p.doc)<<16 | uint64(p.tf)
		at[p.field]++
	}
	for f := range numFields {
		start := 0
		if f > 0 {
			start = at[f-1]
		}
		sortNearlySorted(keys[start:at[f]])
	}
	// Appended to the buffer's room, made large enough for most entries
	// first: a call of the buffer's for each of its pieces cost more than
	// the pieces.
	b.Grow(len(keys)*16 + len(term)*6 + 16)
	e := b.AvailableBuffer()
	e = append(e, '[')
	e = appendJSONString(e, term)
	e = append(e, ",{"...)
	for i, k := range keys {
		field, doc, tf := k>>48, k>>16&(1<<32-1), k&(1<<16-1)
		if i == 0 || field != keys[i-1]>>48 {
			if i > 0 {
				e = append(e, "},"...)
			}
			e = append(e, '"')
			e = strconv.AppendUint(e, field, 10)
			e = append(e, `":{`...)
		} else {
			e = append(e, ',')
		}
		e = append(e, '"')
		e = strconv.AppendUint(e, doc, 10)
		e = append(e, `":`...)
		e = strconv.AppendUint(e, tf, 10)
	}
	if len(keys) > 0 {
		e = append(e, '}')
	}
	e = append(e, "}]"...)
	b.Write(e)
	return keys
}

// sortNearlySorted sorts keys that are nearly in order, as a field's
// postings are: their documents were added in about the order of their
// ids, as the build's workers took them. An insertion sort costs such keys
// little more than a pass; keys that prove to be out of order are sorted
// as any are.
func sortNearlySorted(keys []uint64) {
	moves := 4 * len(keys)
	for i := 1; i < len(keys); i++ {
		k, j := keys[i], i
		for ; j > 0 && keys[j-1] > k; j-- {
			keys[j] = keys[j-1]
		}
		keys[j] = k
		if moves -= i - j; moves < 0 {
			slices.Sort(keys)
			return
		}
	}
}

// Terms calls f with each term of text, as the browser's tokenizer splits
// it (search.ts holds the same rule): runs of letters, digits and marks,
// lower-cased; Han, kana and Hangul characters one by one, since those
// scripts do not space their words.
func Terms(text string, f func(string)) {
	appendTerms(nil, text, func(t []byte) { f(string(t)) })
}

// appendTerms calls f with each term of text, lower-cased into buf (grown
// as needed and returned for reuse); f must not keep the slice.
func appendTerms(buf []byte, text string, f func([]byte)) []byte {
	start := -1
	emit := func(end int) {
		if start >= 0 && end > start {
			buf = appendLower(buf[:0], text[start:end])
			f(buf)
		}
		start = -1
	}
	for i, r := range text {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
				if start < 0 {
					start = i
				}
			} else {
				emit(i)
			}
		case isCJK(r):
			emit(i)
			buf = appendLower(buf[:0], text[i:i+utf8.RuneLen(r)])
			f(buf)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			if start < 0 {
				start = i
			}
		default:
			emit(i)
		}
	}
	emit(len(text))
	return buf
}

// appendLower appends s lower-cased as strings.ToLower does.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				b = utf8.AppendRune(b, unicode.ToLower(r))
			}
			return b
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

func isCJK(r rune) bool {
	return r >= 0x1100 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}
