package search

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// State is what updating an index needs of it besides its files: its
// chunks and every document's field lengths. A build keeps it (in its
// cache) so that the next build, when few documents changed, makes again
// only the files their changes touch (Update) instead of the whole index.
type State struct {
	chunks  []Chunk
	lengths [][numFields]uint32 // by document id
}

// Docs is how many documents the index holds.
func (s *State) Docs() int { return len(s.lengths) }

// AppendBinary appends the state, encoded, to b.
func (s *State) AppendBinary(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s.lengths)))
	for _, l := range s.lengths {
		for _, n := range l {
			b = binary.AppendUvarint(b, uint64(n))
		}
	}
	b = binary.AppendUvarint(b, uint64(len(s.chunks)))
	for _, c := range s.chunks {
		b = binary.AppendUvarint(b, uint64(len(c.First)))
		b = append(b, c.First...)
		b = binary.AppendUvarint(b, uint64(len(c.Name)))
		b = append(b, c.Name...)
	}
	return b
}

var errDamaged = errors.New("damaged")

// DecodeState reads a state AppendBinary encoded.
func DecodeState(b []byte) (*State, error) {
	d := decoder{b: b}
	n := d.uvarint(uint64(len(b)))
	s := &State{lengths: make([][numFields]uint32, n)}
	for i := range s.lengths {
		for f := range numFields {
			s.lengths[i][f] = uint32(d.uvarint(1<<32 - 1))
		}
	}
	s.chunks = make([]Chunk, d.uvarint(uint64(len(b))))
	for i := range s.chunks {
		s.chunks[i] = Chunk{First: d.string(), Name: d.string()}
		if i > 0 && s.chunks[i-1].First >= s.chunks[i].First {
			d.err = errDamaged
		}
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, errDamaged
	}
	return s, nil
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint(limit uint64) uint64 {
	v, w := binary.Uvarint(d.b)
	if w <= 0 || v > limit {
		d.err, d.b = errDamaged, nil
		return 0
	}
	d.b = d.b[w:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint(1 << 20)
	if n > uint64(len(d.b)) {
		d.err, d.b = errDamaged, nil
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// Change is one document's part of the index in the last build and in
// this one.
type Change struct {
	ID       int
	Old, New Record
}

// docCounts is a document's new counts of a term (all zero: it lost it).
type docCounts struct {
	doc    uint32
	counts [numFields]uint16
}

// Update makes the files of an index that differs from the one last
// describes only by changes: the chunks holding a term whose counts
// changed (and those after them, up to the first cut that falls where it
// fell), the fragment files of the changed documents, the field lengths
// and the manifest — the bytes Files would make of the whole new index.
// read returns a file of last's index as it was written. It returns the
// new index's state, the files to write, and the files of last's index
// that stay as they are.
func Update(last *State, changes []Change, read func(rel string) ([]byte, error)) (*State, []File, []string, error) {
	if len(last.chunks) == 0 {
		return nil, nil, nil, errors.New("search index has no terms to update")
	}
	next := &State{lengths: slices.Clone(last.lengths)}
	terms := map[string][]docCounts{}
	frags := map[int][]byte{}
	for _, c := range changes {
		if c.ID < 0 || c.ID >= len(next.lengths) {
			return nil, nil, nil, fmt.Errorf("search index has no document %d", c.ID)
		}
		_, _, oldTerms, ok := c.Old.split()
		frag, lengths, newTerms, ok2 := c.New.split()
		if !ok || !ok2 {
			return nil, nil, nil, fmt.Errorf("search record of document %d is damaged", c.ID)
		}
		old := map[string][numFields]uint16{}
		if err := eachTerm(oldTerms, func(t []byte, counts [numFields]uint16) { old[string(t)] = counts }); err != nil {
			return nil, nil, nil, fmt.Errorf("search record of document %d is damaged", c.ID)
		}
		doc := uint32(c.ID)
		err := eachTerm(newTerms, func(t []byte, counts [numFields]uint16) {
			was, had := old[string(t)]
			if !had || was != counts {
				terms[string(t)] = append(terms[string(t)], docCounts{doc, counts})
			}
			delete(old, string(t))
		})
		if err != nil {
			return nil, nil, nil, fmt.Errorf("search record of document %d is damaged", c.ID)
		}
		for t := range old {
			terms[t] = append(terms[t], docCounts{doc: doc})
		}
		next.lengths[c.ID] = lengths
		frags[c.ID] = frag
	}

	// Each changed term falls in the chunk whose range holds it.
	byChunk := make(map[int][]string)
	for t := range terms {
		i := max(0, sort.Search(len(last.chunks), func(i int) bool { return last.chunks[i].First > t })-1)
		byChunk[i] = append(byChunk[i], t)
	}
	var files []File
	var keep []string
	for i := 0; i < len(last.chunks); {
		if byChunk[i] == nil {
			next.chunks = append(next.chunks, last.chunks[i])
			keep = append(keep, chunkPath(last.chunks[i].Name))
			i++
			continue
		}
		// Cut again from this chunk's start, where the cuts start afresh,
		// until a cut falls at the end of a chunk the changes leave alone.
		var ch chunker
		for {
			if err := refill(&ch, last.chunks[i], byChunk[i], terms, read); err != nil {
				return nil, nil, nil, err
			}
			i++
			if i == len(last.chunks) || ch.n == 0 && byChunk[i] == nil {
				break
			}
		}
		ch.cut()
		next.chunks = append(next.chunks, ch.chunks...)
		files = append(files, ch.files...)
	}

	// Names a cold build would give otherwise: two chunks sharing one.
	names := make(map[string]bool, len(next.chunks))
	for _, c := range next.chunks {
		if names[c.Name] || len(c.Name) != 2*nameBytes {
			return nil, nil, nil, errors.New("search index chunks share a name")
		}
		names[c.Name] = true
	}

	groups := make([]int, 0, len(frags))
	for id := range frags {
		if g := id / FragsPerFile; !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	slices.Sort(groups)
	for g := range (len(next.lengths) + FragsPerFile - 1) / FragsPerFile {
		if _, ok := slices.BinarySearch(groups, g); !ok {
			keep = append(keep, packPath(g))
		}
	}
	for _, g := range groups {
		rel := packPath(g)
		b, err := read(rel)
		if err != nil {
			return nil, nil, nil, err
		}
		var p pack
		var raw []json.RawMessage
		if json.Unmarshal(b, &raw) != nil || len(raw) != FragsPerFile {
			return nil, nil, nil, fmt.Errorf("%s is not a file of %d search fragments", rel, FragsPerFile)
		}
		for i, f := range raw {
			if string(f) != "null" {
				p.frags[i] = f
			}
		}
		for id, f := range frags {
			if id/FragsPerFile == g {
				p.frags[id%FragsPerFile] = f
			}
		}
		files = append(files, File{Rel: rel, Data: p.bytes()})
	}

	ids := make([]uint32, len(next.lengths))
	for i := range ids {
		ids[i] = uint32(i)
	}
	lengths, meta, err := summary(ids, func(id uint32) [numFields]uint32 { return next.lengths[id] }, next.chunks)
	if err != nil {
		return nil, nil, nil, err
	}
	files = append(files, File{Rel: lengthsPath, Data: lengths}, File{Rel: metaPath, Data: meta})
	return next, files, keep, nil
}

// refill feeds ch the entries of the last build's chunk c, with the
// changes of the terms changed (those of them in c, sorted here) applied.
func refill(ch *chunker, c Chunk, changed []string, terms map[string][]docCounts, read func(string) ([]byte, error)) error {
	rel := chunkPath(c.Name)
	b, err := read(rel)
	if err != nil {
		return err
	}
	entries, ok := splitChunk(b)
	if !ok {
		return fmt.Errorf("%s is not a chunk of the search index", rel)
	}
	slices.Sort(changed)
	var buf bytes.Buffer
	var keys []uint64
	// changedEntry is term's entry once its changes are applied to ps;
	// nil when no document has it any more.
	changedEntry := func(term string, ps []posting) []byte {
		for _, dc := range terms[term] {
			ps = slices.DeleteFunc(ps, func(p posting) bool { return p.doc == dc.doc })
			for f, n := range dc.counts {
				if n > 0 {
					ps = append(ps, posting{doc: dc.doc, field: uint8(f), tf: n})
				}
			}
		}
		if len(ps) == 0 {
			return nil
		}
		buf.Reset()
		keys = writeEntry(&buf, term, ps, keys)
		return buf.Bytes()
	}
	prev := ""
	for k, e := range entries {
		if k > 0 && e.term <= prev {
			return fmt.Errorf("%s is not a chunk of the search index", rel)
		}
		prev = e.term
		// New terms before this one.
		for len(changed) > 0 && changed[0] < e.term {
			if entry := changedEntry(changed[0], nil); entry != nil {
				ch.add(changed[0], entry)
			}
			changed = changed[1:]
		}
		if len(changed) > 0 && changed[0] == e.term {
			changed = changed[1:]
			ps, ok := parsePostings(e.raw)
			if !ok {
				return fmt.Errorf("%s: the entry of %q is damaged", rel, e.term)
			}
			if entry := changedEntry(e.term, ps); entry != nil {
				ch.add(e.term, entry)
			}
			continue
		}
		ch.add(e.term, e.raw)
	}
	for _, t := range changed {
		if entry := changedEntry(t, nil); entry != nil {
			ch.add(t, entry)
		}
	}
	return nil
}

// chunkEntry is one term's entry in a chunk file: the term, and the
// entry's JSON as written.
type chunkEntry struct {
	term string
	raw  []byte
}

// splitChunk reads a chunk file into its entries.
func splitChunk(b []byte) ([]chunkEntry, bool) {
	if !bytes.HasPrefix(b, []byte(chunkHead)) || !bytes.HasSuffix(b, []byte(chunkTail)) {
		return nil, false
	}
	b = b[len(chunkHead) : len(b)-len(chunkTail)]
	var out []chunkEntry
	for len(b) > 0 {
		if len(out) > 0 {
			if b[0] != ',' {
				return nil, false
			}
			b = b[1:]
		}
		n := valueLen(b)
		if n <= 0 || b[0] != '[' || len(b) < 2 || b[1] != '"' {
			return nil, false
		}
		raw := b[:n]
		tn := valueLen(raw[1:])
		var term string
		if tn <= 0 || json.Unmarshal(raw[1:1+tn], &term) != nil {
			return nil, false
		}
		out = append(out, chunkEntry{term: term, raw: raw})
		b = b[n:]
	}
	return out, len(out) > 0
}

// valueLen is the length of the JSON array, object or string b starts
// with (0 when it is none, or does not end).
func valueLen(b []byte) int {
	depth, inString := 0, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
				if depth == 0 {
					return i + 1
				}
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
			if depth < 0 {
				return 0
			}
		default:
			if depth == 0 {
				return 0
			}
		}
	}
	return 0
}

// parsePostings reads the postings of an entry writeEntry wrote:
// ["term",{"field":{"doc":tf,…},…}].
func parsePostings(raw []byte) ([]posting, bool) {
	var e [2]json.RawMessage
	var fields map[string]map[string]uint16
	if json.Unmarshal(raw, &e) != nil || json.Unmarshal(e[1], &fields) != nil {
		return nil, false
	}
	var ps []posting
	for f, docs := range fields {
		field, err := strconv.ParseUint(f, 10, 8)
		if err != nil || field >= numFields {
			return nil, false
		}
		for d, tf := range docs {
			doc, err := strconv.ParseUint(d, 10, 32)
			if err != nil || strings.HasPrefix(d, "0") && d != "0" {
				return nil, false
			}
			ps = append(ps, posting{doc: uint32(doc), field: uint8(field), tf: tf})
		}
	}
	return ps, true
}
