package search

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// docTerms counts the terms of one document. Its vocabulary outlives the
// document: the Index pools docTerms, so a term's string is made and
// looked up in the index once per pooled docTerms, not once per document.
type docTerms struct {
	short  termTable[uint64]    // ASCII terms of up to 8 bytes, by their bytes → vocabulary index
	mid    termTable[[2]uint64] // ASCII terms of 9 to 16 bytes, by their bytes
	long   termTable[uint64]    // the other terms, by hash
	terms  []string             // by vocabulary index
	tid    []uint32             // the index's term id, by vocabulary index (noTerm until known)
	counts [][numFields]uint16  // this document's counts, by vocabulary index
	used   []int32              // vocabulary indexes this document counted
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
		if i+8 <= len(text) {
			// Eight bytes at once: most words are ASCII and short.
			w := load64(text, i)
			term, wide := asciiTermBytes(w)
			if term&0x80 == 0 {
				if wide&0x80 == 0 {
					// Past the bytes that are no term's.
					i += bits.TrailingZeros64(term|wide) / 8
					continue
				}
				var k uint32
				i, k = c.addWide(field, text, i)
				n += k
				continue
			}
			j := i + bits.TrailingZeros64(^term&highBits)/8
			if j == i+8 {
				j = asciiRunEnd(text, j)
			}
			if j < len(text) && text[j] >= utf8.RuneSelf {
				var k uint32
				i, k = c.addWide(field, text, i)
				n += k
				continue
			}
			if l := j - i; l <= 8 {
				// The term is the first l bytes, lower-cased.
				key := (w | 0x2020202020202020) & (1<<(8*l) - 1)
				// A known term in the first slot it could be in, as most
				// are, is counted here; any other by countShort.
				if t := c.short.slots; len(t) > 0 {
					if s := &t[int(mix(key))&(len(t)-1)]; s.key == key && s.v != 0 {
						c.tally(field, int32(s.v-1))
						n, i = n+1, j
						continue
					}
				}
				c.countShort(field, key, l)
			} else if l <= 16 {
				c.countMid(field, [2]uint64{w | 0x2020202020202020, lowerKey(text, i+8, j)}, l)
			} else {
				c.countLongASCII(field, text[i:j])
			}
			n, i = n+1, j
			continue
		}
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
			} else if j-i <= 16 {
				c.countMid(field, [2]uint64{key, lowerKey(text, i+8, j)}, j-i)
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
		switch kindOfRune(r) {
		case cjkRune:
			var n uint32
			if len(buf) > 0 {
				c.countBytes(field, buf)
				n++
			}
			buf = utf8.AppendRune(buf[:0], unicode.ToLower(r))
			c.countBytes(field, buf)
			return i + w, n + 1
		case termRune:
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

// countLongASCII counts term t, ASCII letters and digits longer than 16
// bytes, once in field.
func (c *docTerms) countLongASCII(field int, t string) {
	b := c.buf[:0]
	i := 0
	for ; i+8 <= len(t); i += 8 {
		// Letters lower-cased by 0x20; digits have it set already.
		b = binary.LittleEndian.AppendUint64(b, load64(t, i)|0x2020202020202020)
	}
	for ; i < len(t); i++ {
		b = append(b, asciiTerm[t[i]])
	}
	c.buf = b
	c.countBytes(field, b)
}

// asciiRunEnd is where the run of ASCII letters and digits that goes on
// at text[i] ends.
func asciiRunEnd(text string, i int) int {
	for ; i+8 <= len(text); i += 8 {
		term, _ := asciiTermBytes(load64(text, i))
		if k := bits.TrailingZeros64(^term&highBits) / 8; k < 8 {
			return i + k
		}
	}
	for i < len(text) && asciiTerm[text[i]] != 0 {
		i++
	}
	return i
}

// lowerKey is text[i:j], ASCII letters and digits (at most 8), lower-cased
// and packed little-endian.
func lowerKey(text string, i, j int) uint64 {
	var key uint64
	if i+8 <= len(text) {
		key = load64(text, i) | 0x2020202020202020
	} else {
		for k := j - 1; k >= i; k-- {
			key = key<<8 | uint64(text[k]) | 0x20
		}
	}
	return key & (1<<(8*(j-i)) - 1)
}

// countShort counts the term of n ASCII bytes packed in key once in field.
func (c *docTerms) countShort(field int, key uint64, n int) {
	v, slot := c.short.find(key, key, nil, nil)
	if v < 0 {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], key)
		v = c.newTerm(string(b[:n]))
		c.short.put(slot, key, key, v)
	}
	c.tally(field, v)
}

// countMid counts the term of n ASCII bytes, 9 to 16, packed in key once
// in field: looked up by its bytes, as a short term is, not hashed and
// compared with the term as a longer one is.
func (c *docTerms) countMid(field int, key [2]uint64, n int) {
	v, slot := c.mid.find(key, midHash(key), nil, nil)
	if v < 0 {
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:], key[0])
		binary.LittleEndian.PutUint64(b[8:], key[1])
		v = c.newTerm(string(b[:n]))
		c.mid.put(slot, key, midHash(key), v)
	}
	c.tally(field, v)
}

func midHash(key [2]uint64) uint64 { return key[0] ^ key[1]*0x9e3779b97f4a7c15 }

// countBytes counts term t, lower-cased, once in field: in the table
// add would count it in, for a term is in one table only.
func (c *docTerms) countBytes(field int, t []byte) {
	if len(t) <= 16 {
		var key [2]uint64
		ascii := true
		for i := len(t) - 1; i >= 0 && ascii; i-- {
			ascii = t[i] < utf8.RuneSelf
			key[i/8] = key[i/8]<<8 | uint64(t[i])
		}
		switch {
		case ascii && len(t) <= 8:
			c.countShort(field, key[0], len(t))
			return
		case ascii:
			c.countMid(field, key, len(t))
			return
		}
	}
	h := maphash.Bytes(termSeed, t)
	v, slot := c.long.find(h, h, t, c.terms)
	if v < 0 {
		v = c.newTerm(string(t))
		c.long.put(slot, h, h, v)
	}
	c.tally(field, v)
}

// termSeed seeds the hash of a term: it orders nothing the index writes.
var termSeed = maphash.MakeSeed()

// newTerm adds term t, of key, to the vocabulary, and returns its index.
func (c *docTerms) newTerm(t string) int32 {
	v := int32(len(c.terms))
	c.terms = append(c.terms, t)
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
// when they fit in one, else its hash. It is looked up for every word of
// every document: a slot holds the key beside the index, so that a lookup
// waits on memory once.
type termTable[K comparable] struct {
	slots []termSlot[K] // a power of two long
	n     int
}

// termSlot is one slot of a termTable: a key and its vocabulary index + 1
// (0: empty).
type termSlot[K comparable] struct {
	key K
	h   uint32 // the key's hash mixed, where it is put when the table grows
	v   uint32
}

// find is the vocabulary index of the term of key, hashed h, -1 when it
// is not there, and the slot to put it in then. A key that is a hash is
// checked against the term t itself, in terms; one that is the term
// (terms nil) is not.
func (m *termTable[K]) find(key K, h uint64, t []byte, terms []string) (int32, int) {
	if 2*(m.n+1) > len(m.slots) {
		m.grow()
	}
	mask := len(m.slots) - 1
	for i := int(mix(h)) & mask; ; i = (i + 1) & mask {
		s := &m.slots[i]
		if s.v == 0 {
			return -1, i
		}
		if s.key == key && (terms == nil || terms[s.v-1] == string(t)) {
			return int32(s.v - 1), i
		}
	}
}

// put puts vocabulary index v, of key hashed h, in the slot find gave.
func (m *termTable[K]) put(slot int, key K, h uint64, v int32) {
	m.slots[slot] = termSlot[K]{key: key, h: uint32(mix(h)), v: uint32(v) + 1}
	m.n++
}

func (m *termTable[K]) grow() {
	old := m.slots
	m.slots = make([]termSlot[K], max(1024, 2*len(old)))
	mask := len(m.slots) - 1
	for _, s := range old {
		if s.v == 0 {
			continue
		}
		j := int(s.h) & mask
		for m.slots[j].v != 0 {
			j = (j + 1) & mask
		}
		m.slots[j] = s
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

// asciiTermBytes marks the bytes of w, eight of a text read little-endian:
// term has the high bit of each ASCII letter or digit set, wide that of
// each byte of a wider character.
func asciiTermBytes(w uint64) (term, wide uint64) {
	wide = w & highBits
	low := w &^ highBits
	// A byte b below 0x80 plus 0x80-lo has its high bit set when b >= lo,
	// plus 0x7f-hi when b > hi; no sum carries into the next byte. Upper-
	// case letters are lower-cased by 0x20; digits have it set already.
	lower := low | 0x2020202020202020
	letter := (lower + oneBits*(0x80-'a')) &^ (lower + oneBits*(0x7f-'z'))
	digit := (low + oneBits*(0x80-'0')) &^ (low + oneBits*(0x7f-'9'))
	return (letter | digit) & highBits &^ wide, wide
}

const (
	oneBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// load64 is the eight bytes of s at i, little-endian.
func load64(s string, i int) uint64 {
	return binary.LittleEndian.Uint64([]byte(s[i : i+8]))
}

// runeKind is what a character is to the tokenizer.
type runeKind uint8

const (
	spaceRune runeKind = iota // between terms
	termRune                  // a letter, digit, number or mark: part of a term
	cjkRune                   // Han, kana or Hangul: a term of its own
)

// kindOfRune is r's kind, as Terms reads it: from a table for the Basic
// Multilingual Plane, where nearly all text is, else from package unicode.
func kindOfRune(r rune) runeKind {
	if uint32(r) < 1<<16 {
		return runeKind(bmpKinds[r>>2] >> (2 * (r & 3)) & 3)
	}
	return runeKindOf(r)
}

func runeKindOf(r rune) runeKind {
	switch {
	case isCJK(r):
		return cjkRune
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.IsMark(r):
		return termRune
	}
	return spaceRune
}

// bmpKinds holds runeKindOf of every character below U+10000, two bits
// each, made from the range tables package unicode reads: looking a
// character up in a handful of them for each one read was a tenth of
// counting a document's terms.
var bmpKinds = func() *[1 << 14]uint8 {
	var t [1 << 14]uint8
	set := func(r rune, k runeKind) {
		t[r>>2] = t[r>>2]&^(3<<(2*(r&3))) | uint8(k)<<(2*(r&3))
	}
	each := func(k runeKind, tables ...*unicode.RangeTable) {
		for _, tab := range tables {
			for _, rg := range tab.R16 {
				for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
					if r >= utf8.RuneSelf*2 { // Latin-1 is read below
						set(r, k)
					}
				}
			}
		}
	}
	each(termRune, unicode.Letter, unicode.Digit, unicode.Number, unicode.Mark)
	each(cjkRune, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
	for r := range rune(utf8.RuneSelf * 2) {
		set(r, runeKindOf(r))
	}
	return &t
}()
