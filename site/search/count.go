package search

import (
	"hash/maphash"
	"unicode"
	"unicode/utf8"
)

// docTerms counts the terms of one document. Its vocabulary outlives the
// document: the Index pools docTerms, so a term's string is made and
// looked up in the index once per pooled docTerms, not once per document.
type docTerms struct {
	short  termTable           // ASCII terms of up to 8 bytes, by their bytes → vocabulary index
	long   termTable           // the other terms, by hash → vocabulary index
	terms  []string            // by vocabulary index
	keys   []uint64            // the term's key in its table, by vocabulary index
	tid    []uint32            // the index's term id, by vocabulary index (noTerm until known)
	counts [][numFields]uint16 // this document's counts, by vocabulary index
	used   []int32             // vocabulary indexes this document counted
	buf    []byte
	body   bodyText // the document's text
}

const noTerm = ^uint32(0)

// add counts the terms of text in field, and returns how many it has. It
// splits text as Terms does (TestAddSplitsAsTerms holds it to Terms): a
// run of ASCII letters and digits, most terms of most text, is counted
// straight from text; a term with a wider character is read by addWide.
func (c *docTerms) add(field int, text string) uint32 {
	var n uint32
	for i := 0; i < len(text); {
		if b := text[i]; b < utf8.RuneSelf && asciiTerm[b] == 0 {
			i++
			continue
		}
		// The run's first 8 bytes lower-cased, none of them 0, are the
		// term itself when it is no longer.
		j, key := i, uint64(0)
		for ; j < len(text); j++ {
			l := asciiTerm[text[j]]
			if l == 0 {
				break
			}
			if j-i < 8 {
				key |= uint64(l) << (8 * (j - i))
			}
		}
		if j > i && (j == len(text) || text[j] < utf8.RuneSelf) {
			if j-i <= 8 {
				c.countShort(field, key, j-i)
			} else {
				c.countLongASCII(field, text[i:j])
			}
			n, i = n+1, j
			continue
		}
		var k uint32
		i, k = c.addWide(field, text, i)
		n += k
	}
	return n
}

// addWide counts the term that starts at text[i] and holds a character
// wider than a byte, or the one character there when it is Han, kana or
// Hangul, or none when it is no term's; it returns where it stopped
// reading and how many terms it counted.
func (c *docTerms) addWide(field int, text string, i int) (int, uint32) {
	buf := c.buf[:0]
	defer func() { c.buf = buf }()
	for i < len(text) {
		if b := text[i]; b < utf8.RuneSelf {
			l := asciiTerm[b]
			if l == 0 {
				break
			}
			buf = append(buf, l)
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		switch {
		case isCJK(r):
			var n uint32
			if len(buf) > 0 {
				c.countBytes(field, buf)
				n++
			}
			buf = utf8.AppendRune(buf[:0], unicode.ToLower(r))
			c.countBytes(field, buf)
			return i + w, n + 1
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
			i += w
		default:
			if len(buf) == 0 {
				return i + w, 0
			}
			c.countBytes(field, buf)
			return i + w, 1
		}
	}
	if len(buf) == 0 {
		return i, 0
	}
	c.countBytes(field, buf)
	return i, 1
}

// countLongASCII counts term t, ASCII letters and digits longer than 8
// bytes, once in field.
func (c *docTerms) countLongASCII(field int, t string) {
	c.buf = c.buf[:0]
	for i := 0; i < len(t); i++ {
		c.buf = append(c.buf, asciiTerm[t[i]])
	}
	c.countBytes(field, c.buf)
}

// countShort counts the term of n ASCII bytes packed in key once in field.
func (c *docTerms) countShort(field int, key uint64, n int) {
	v, slot := c.short.find(key, c.keys, nil, nil)
	if v < 0 {
		var b [8]byte
		for i := range n {
			b[i] = byte(key >> (8 * i))
		}
		v = c.newTerm(string(b[:n]), key)
		c.short.put(slot, v)
	}
	c.tally(field, v)
}

// countBytes counts term t, lower-cased, once in field: in the table
// add would count it in, for a term is in one table only.
func (c *docTerms) countBytes(field int, t []byte) {
	if len(t) <= 8 {
		var key uint64
		for i := len(t) - 1; i >= 0 && key != noKey; i-- {
			if t[i] >= utf8.RuneSelf {
				key = noKey
			} else {
				key = key<<8 | uint64(t[i])
			}
		}
		if key != noKey {
			c.countShort(field, key, len(t))
			return
		}
	}
	h := maphash.Bytes(termSeed, t)
	v, slot := c.long.find(h, c.keys, t, c.terms)
	if v < 0 {
		v = c.newTerm(string(t), h)
		c.long.put(slot, v)
	}
	c.tally(field, v)
}

// noKey is no short term's key: its bytes are not ASCII.
const noKey = ^uint64(0)

// termSeed seeds the hash of a term: it orders nothing the index writes.
var termSeed = maphash.MakeSeed()

// newTerm adds term t, of key, to the vocabulary, and returns its index.
func (c *docTerms) newTerm(t string, key uint64) int32 {
	v := int32(len(c.terms))
	c.terms = append(c.terms, t)
	c.keys = append(c.keys, key)
	c.tid = append(c.tid, noTerm)
	c.counts = append(c.counts, [numFields]uint16{})
	return v
}

// tally counts vocabulary index v once in field.
func (c *docTerms) tally(field int, v int32) {
	k := &c.counts[v]
	if *k == ([numFields]uint16{}) {
		c.used = append(c.used, v)
	}
	if k[field] < 1<<16-1 {
		k[field]++
	}
}

// asciiTerm is a byte lower-cased when it is an ASCII letter or digit,
// which belong in a term, else 0.
var asciiTerm = func() (t [256]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = c, c
	}
	return t
}()

// termTable finds a term's index in a document's vocabulary: an
// open-addressed table of the indexes by a key of the term, its bytes
// when they fit in one, else its hash. The slots hold only the indexes,
// the keys are by index: the table is looked up for every word of every
// document, and the smaller it is the more of it stays in the cache.
type termTable struct {
	slots []uint32 // vocabulary index + 1; 0: empty. A power of two long.
	n     int
}

// find is the vocabulary index of the term of key, -1 when it is not
// there, and the slot to put it in then. keys are the keys by vocabulary
// index. A key that is a hash is checked against the term t itself, in
// terms; one that is the term (terms nil) is not.
func (m *termTable) find(key uint64, keys []uint64, t []byte, terms []string) (int32, int) {
	if 2*(m.n+1) > len(m.slots) {
		m.grow(keys)
	}
	mask := len(m.slots) - 1
	for i := int(mix(key)) & mask; ; i = (i + 1) & mask {
		v := m.slots[i]
		if v == 0 {
			return -1, i
		}
		if keys[v-1] == key && (terms == nil || terms[v-1] == string(t)) {
			return int32(v - 1), i
		}
	}
}

// put puts vocabulary index v in the slot find gave.
func (m *termTable) put(slot int, v int32) {
	m.slots[slot] = uint32(v) + 1
	m.n++
}

func (m *termTable) grow(keys []uint64) {
	old := m.slots
	m.slots = make([]uint32, max(1024, 2*len(old)))
	mask := len(m.slots) - 1
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := int(mix(keys[v-1])) & mask
		for m.slots[i] != 0 {
			i = (i + 1) & mask
		}
		m.slots[i] = v
	}
}

// mix spreads a key's bits into its low ones, which pick the slot.
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// reset makes c ready for the next document, keeping its vocabulary.
func (c *docTerms) reset() {
	for _, i := range c.used {
		c.counts[i] = [numFields]uint16{}
	}
	c.used = c.used[:0]
	c.body.reset()
}
