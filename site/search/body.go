package search

import (
	"bytes"
	"encoding/binary"
	stdhtml "html"
	"math/bits"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"
)

// Sections is the text of a rendered body, cut at each heading with an id.
// The heading's own "#" link and scripts and styles are left out.
func Sections(body []byte) []Section {
	var t bodyText
	t.read(body, utf8.Valid(body))
	out := make([]Section, len(t.sections))
	for i, s := range t.sections {
		out[i] = Section{Anchor: s.anchor, Heading: s.heading, Text: string(t.spacedText(s, -1))}
	}
	return out
}

// bodyText is a body's text by section, every section's text in one
// buffer: a document's text is read once, to be cut into terms and
// snippets, and copied into no string of its own.
//
// The text of a body that is valid UTF-8, nearly every one, is kept as
// read, its white space too, for its terms are the same; only what a
// snippet shows of it is spaced (spacedText). Another body's text is
// spaced as it is read: spaced in one piece, its invalid bytes could make
// a character they did not make apart.
type bodyText struct {
	buf      []byte
	sections []textSection
	heading  []byte // the heading being read, spaced
	unspaced bool   // buf holds the text as read
	spaced   []byte // spacedText's text
}

// textSection is one section of a bodyText: its text is buf[start:end].
type textSection struct {
	anchor, heading string
	start, end      int
}

// text is section s's text, as read or spaced: the same terms.
func (t *bodyText) text(s textSection) []byte { return t.buf[s.start:s.end] }

// spacedText is section s's text with each run of white space one space,
// none at its ends, cut at n bytes when it is longer, never inside a
// character (n < 0: whole). Text read unspaced is spaced only as far as
// the cut needs; the slice holds until t is reset.
func (t *bodyText) spacedText(s textSection, n int) []byte {
	text := t.text(s)
	if t.unspaced {
		// Spaced to two bytes past the cut: whether the text is longer
		// than n bytes once its last space is trimmed.
		start, k := len(t.spaced), 0
		for k < len(text) && (n < 0 || len(t.spaced)-start <= n+1) {
			e := len(text)
			if n >= 0 && k+n+2 < e {
				e = k + n + 2
				for e < len(text) && !utf8.RuneStart(text[e]) {
					e++
				}
			}
			t.spaced = appendSpaced(t.spaced, start, text[k:e])
			k = e
		}
		spaced := t.spaced[start:]
		if k == len(text) {
			spaced = bytes.TrimSuffix(spaced, []byte(" "))
		}
		text = spaced
	}
	if n >= 0 && len(text) > n {
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text = text[:n]
	}
	return text
}

// reset empties t, keeping its buffers.
func (t *bodyText) reset() {
	t.buf, t.sections, t.heading, t.spaced = t.buf[:0], t.sections[:0], t.heading[:0], t.spaced[:0]
}

// read appends the sections of body to t. A body is HTML that plansite
// rendered: scan reads it as the HTML lexer would, several times faster;
// what it leaves to the lexer (raw text elements, SVG, doctypes, bogus
// comments, NUL bytes) makes it start again with the lexer.
// unspaced says whether its text is kept as read (see bodyText).
func (t *bodyText) read(body []byte, unspaced bool) {
	t.unspaced = unspaced
	n, m := len(t.buf), len(t.sections)
	if !t.scan(body) {
		t.buf, t.sections, t.heading = t.buf[:n], t.sections[:m], t.heading[:0]
		t.lex(body)
	}
}

// sectionSink is what the reading of a body does with its tokens.
type sectionSink struct {
	t               *bodyText
	cur             textSection
	inHeading, skip int
	tag             openTag // the start tag being read
}

func newSink(t *bodyText) sectionSink {
	return sectionSink{t: t, cur: textSection{start: len(t.buf)}}
}

// flush ends the current section.
func (s *sectionSink) flush() {
	t := s.t
	if text := t.buf[s.cur.start:]; t.unspaced && !hasText(text) {
		s.cur.end = s.cur.start
	} else {
		s.cur.end = s.cur.start + len(bytes.TrimSuffix(text, []byte(" ")))
	}
	t.buf = t.buf[:s.cur.end]
	if s.cur.end > s.cur.start || s.cur.heading != "" {
		t.sections = append(t.sections, s.cur)
	}
}

// startTag begins a start tag named name (any case).
func (s *sectionSink) startTag(name []byte) {
	s.open()
	s.tag = openTag{kind: kindOf(name)}
}

// attr reads an attribute of the start tag: only a heading's id and a
// link's class matter. v is the value as written, quotes included.
func (s *sectionSink) attr(k, v []byte) {
	if s.tag.kind != tagLink && s.tag.kind != tagHeading {
		return
	}
	if len(v) > 1 && (v[0] == '"' || v[0] == '\'') {
		v = v[1 : len(v)-1]
	}
	switch {
	case s.tag.kind == tagHeading && bytes.EqualFold(k, []byte("id")):
		s.tag.id = v
	case s.tag.kind == tagLink && bytes.EqualFold(k, []byte("class")):
		s.tag.anchor = hasClass(v, "anchor")
	}
}

// open acts on the start tag read, once its attributes are: on most
// tags, nothing.
func (s *sectionSink) open() {
	if s.tag.kind != tagOther {
		s.openTag()
	}
}

func (s *sectionSink) openTag() {
	switch tag := s.tag; {
	case tag.kind == tagSkipped || tag.kind == tagLink && tag.anchor:
		s.skip++
	case tag.kind == tagHeading && len(tag.id) > 0:
		s.flush()
		s.cur = textSection{anchor: string(tag.id), start: len(s.t.buf)}
		s.t.heading = s.t.heading[:0]
		s.inHeading++
	}
	s.tag = openTag{}
}

func (s *sectionSink) endTag(name []byte) {
	s.open()
	switch kindOf(name) {
	case tagSkipped, tagLink:
		if s.skip > 0 {
			s.skip--
		}
	case tagHeading:
		if s.inHeading > 0 {
			s.inHeading--
			s.cur.heading = string(bytes.TrimSuffix(s.t.heading, []byte(" ")))
		}
	}
	// Block ends separate words.
	if b := s.t.buf; len(b) > s.cur.start && b[len(b)-1] != ' ' {
		s.t.buf = append(b, ' ')
	}
}

func (s *sectionSink) text(data []byte) {
	if s.skip > 0 {
		return
	}
	if s.inHeading > 0 {
		s.t.heading = appendUnescaped(s.t.heading, 0, data, true)
	} else {
		s.t.buf = appendUnescaped(s.t.buf, s.cur.start, data, !s.t.unspaced)
	}
}

func (s *sectionSink) end() {
	s.open()
	s.flush()
}

// lex reads body with the HTML lexer.
func (t *bodyText) lex(body []byte) {
	s := newSink(t)
	// The lexer wants a byte past the body's end to mark it, and copies a
	// body that has no room for one: a pooled copy with room costs no garbage.
	bp := lexBufs.Get().(*[]byte)
	defer lexBufs.Put(bp)
	*bp = append(append((*bp)[:0], body...), 0)
	l := html.NewLexer(parse.NewInputBytes((*bp)[:len(body)]))
	for {
		tt, data := l.Next()
		switch tt {
		case html.ErrorToken:
			s.end()
			return
		case html.StartTagToken:
			s.startTag(l.Text())
		case html.AttributeToken:
			s.attr(l.Text(), l.AttrVal())
		case html.StartTagCloseToken, html.StartTagVoidToken:
			s.open()
		case html.EndTagToken:
			s.endTag(l.Text())
		case html.TextToken:
			s.text(data)
		}
	}
}

var lexBufs = sync.Pool{New: func() any { return new([]byte) }}

// scan reads body as lex does, token for token, for the HTML plansite
// renders: text, start and end tags, attributes, comments. It reports
// false, having read part of it, at anything else the lexer reads in a
// way of its own.
func (t *bodyText) scan(body []byte) bool {
	if bytes.IndexByte(body, 0) >= 0 { // the lexer takes a NUL for the end
		return false
	}
	s := newSink(t)
	b := body
	at := func(i int) byte { // the lexer's Peek: 0 past the end
		if i < len(b) {
			return b[i]
		}
		return 0
	}
	text := 0 // where the pending text starts
	i := 0
	for {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			if text < len(b) {
				s.text(b[text:])
			}
			s.end()
			return true
		}
		i += j
		c := at(i + 1)
		isEnd := c == '/' && i+2 < len(b) && b[i+2] != '>'
		if !isEnd && !isLetter(c) && c != '!' && c != '?' {
			i++ // not a tag: text
			continue
		}
		if text < i {
			s.text(b[text:i])
		}
		switch {
		case isEnd:
			i += 2
			if !isLetter(at(i)) {
				return false // a bogus comment
			}
			k := bytes.IndexByte(b[i:], '>')
			var name []byte
			if k < 0 {
				name, i = b[i:], len(b)
			} else {
				name, i = b[i:i+k], i+k+1
			}
			for len(name) > 0 && isTagSpace(name[len(name)-1]) && name[len(name)-1] != '\f' {
				name = name[:len(name)-1]
			}
			s.endTag(name)
		case isLetter(c):
			i++
			start := i
			for i < len(b) && !isTagSpace(b[i]) && b[i] != '>' && !(b[i] == '/' && at(i+1) == '>') {
				i++
			}
			name := b[start:i]
			if rawOrForeign(name) {
				return false
			}
			s.startTag(name)
			var ok bool
			if i, ok = s.scanAttrs(b, i); !ok {
				s.end() // the body ended in the tag
				return true
			}
		case c == '!' && at(i+2) == '-' && at(i+3) == '-':
			i += 4
			for {
				if i >= len(b) {
					break
				}
				if b[i] == '-' && at(i+1) == '-' {
					if at(i+2) == '>' {
						i += 3
						break
					}
					if at(i+2) == '!' && at(i+3) == '>' {
						i += 4
						break
					}
				}
				i++
			}
		default:
			return false // a doctype, CDATA, a bogus comment
		}
		text = i
		if i >= len(b) {
			s.end()
			return true
		}
	}
}

// scanAttrs reads the attributes of a start tag from b[i:], up to and
// past its end, as the lexer does; false when the body ends first.
func (s *sectionSink) scanAttrs(b []byte, i int) (int, bool) {
	at := func(i int) byte {
		if i < len(b) {
			return b[i]
		}
		return 0
	}
	for {
		for i < len(b) && isTagSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return i, false
		}
		if b[i] == '>' {
			s.open()
			return i + 1, true
		}
		if b[i] == '/' && at(i+1) == '>' {
			s.open()
			return i + 2, true
		}
		nameStart := i
		for i < len(b) && !isTagSpace(b[i]) && b[i] != '=' && b[i] != '>' && !(b[i] == '/' && at(i+1) == '>') {
			i++
		}
		nameEnd := i
		for i < len(b) && isTagSpace(b[i]) {
			i++
		}
		if at(i) != '=' {
			i = nameEnd
			s.attr(b[nameStart:nameEnd], nil)
			continue
		}
		i++
		for i < len(b) && isTagSpace(b[i]) {
			i++
		}
		valStart := i
		if d := at(i); d == '"' || d == '\'' {
			k := bytes.IndexByte(b[i+1:], d)
			if k < 0 {
				i = len(b)
			} else {
				i += k + 2
			}
		} else {
			for i < len(b) && !isTagSpace(b[i]) && b[i] != '>' {
				i++
			}
		}
		s.attr(b[nameStart:nameEnd], b[valStart:i])
	}
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isTagSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// rawOrForeign reports whether the lexer reads the element named name in
// a way of its own: raw text, or SVG, MathML and XML.
func rawOrForeign(name []byte) bool {
	if len(name) < 3 || len(name) > 9 {
		return false
	}
	var n string
	switch name[0] | 0x20 {
	case 't':
		n = "textarea"
		if len(name) == 5 {
			n = "title"
		}
	case 's':
		n = "style"
		switch len(name) {
		case 3:
			n = "svg"
		case 6:
			n = "script"
		}
	case 'x':
		n = "xmp"
		if name[1]|0x20 == 'm' && name[2]|0x20 == 'l' {
			n = "xml"
		}
	case 'i':
		n = "iframe"
	case 'p':
		n = "plaintext"
	case 'm':
		n = "math"
	default:
		return false
	}
	return bytes.EqualFold(name, []byte(n))
}

// tagKind is what Sections makes of an element.
type tagKind uint8

const (
	tagOther   tagKind = iota
	tagSkipped         // script, style: their text is not the document's
	tagLink            // a: skipped when it is a heading's anchor
	tagHeading         // h1–h6: a section starts at one with an id
)

// openTag is the start tag Sections is reading.
type openTag struct {
	kind   tagKind
	id     []byte // a heading's id, pointing into the body
	anchor bool   // a link of class "anchor"
}

// kindOf is the kind of the element named name, in any case.
func kindOf(name []byte) tagKind {
	switch {
	case len(name) == 2 && (name[0]|0x20) == 'h' && name[1] >= '1' && name[1] <= '6':
		return tagHeading
	case len(name) == 1 && (name[0]|0x20) == 'a':
		return tagLink
	case len(name) == 6 && bytes.EqualFold(name, []byte("script")) || len(name) == 5 && bytes.EqualFold(name, []byte("style")):
		return tagSkipped
	}
	return tagOther
}

// hasClass reports whether a class attribute's value lists class c.
func hasClass(v []byte, c string) bool {
	for len(v) > 0 {
		i := bytes.IndexAny(v, " \t\n\r\f")
		if i < 0 {
			return string(v) == c
		}
		if string(v[:i]) == c {
			return true
		}
		v = v[i+1:]
	}
	return false
}

// appendUnescaped appends HTML text to b, as appendSpaced does when
// spaced, its character references resolved: the five a renderer writes
// by hand, the others as html.UnescapeString does.
func appendUnescaped(b []byte, start int, data []byte, spaced bool) []byte {
	put := func(b []byte, s []byte) []byte {
		if spaced {
			return appendSpaced(b, start, s)
		}
		return append(b, s...)
	}
	for {
		i := bytes.IndexByte(data, '&')
		if i < 0 {
			return put(b, data)
		}
		b = put(b, data[:i])
		var r byte
		var n int
		switch rest := data[i:]; {
		case bytes.HasPrefix(rest, []byte("&amp;")):
			r, n = '&', 5
		case bytes.HasPrefix(rest, []byte("&lt;")):
			r, n = '<', 4
		case bytes.HasPrefix(rest, []byte("&gt;")):
			r, n = '>', 4
		case bytes.HasPrefix(rest, []byte("&quot;")):
			r, n = '"', 6
		case bytes.HasPrefix(rest, []byte("&#39;")):
			r, n = '\'', 5
		default:
			return put(b, []byte(stdhtml.UnescapeString(string(rest))))
		}
		b = append(b, r)
		data = data[i+n:]
	}
}

// appendSpaced appends s to b with each run of white space one space and
// none at the start of b[start:], as strings.Fields and a join would make it.
func appendSpaced[T string | []byte](b []byte, start int, s T) []byte {
	for i := 0; i < len(s); {
		// A run of plain characters, and of single spaces after them, is
		// copied at once.
		j := i
		for j < len(s) {
			if j > i && j+8 <= len(s) {
				// Eight bytes at once, up to the first that ends the run.
				if stop := runStops(binary.LittleEndian.Uint64([]byte(s[j:j+8])), s[j-1] == ' '); stop != 0 {
					j += bits.TrailingZeros64(stop) / 8
					break
				}
				j += 8
				continue
			}
			if c := s[j]; c >= utf8.RuneSelf || asciiSpace[c] && (c != ' ' || j == i || s[j-1] == ' ') {
				break
			}
			j++
		}
		b = append(b, s[i:j]...)
		if i = j; i == len(s) {
			break
		}
		space, w := true, 1 // an ASCII space, or else a wider character
		if s[i] >= utf8.RuneSelf {
			var r rune
			r, w = decodeRune(s[i:])
			space = unicode.IsSpace(r)
		}
		if !space {
			b = append(b, s[i:i+w]...)
		} else if len(b) > start && b[len(b)-1] != ' ' {
			b = append(b, ' ')
		}
		i += w
	}
	return b
}

// runStops marks the bytes of w, eight of a text read little-endian, that
// end a run appendSpaced copies at once: each byte of a wider character,
// ASCII white space other than a space, and a space after a space (after
// is whether the byte before w is one). It has the high bit of each set.
func runStops(w uint64, after bool) uint64 {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	wide := w & high
	low := w &^ high
	// \t, \n, \v, \f, \r: 0x09 to 0x0d (see asciiTermBytes for the sums).
	control := (low + ones*(0x80-0x09)) &^ (low + ones*(0x7f-0x0d)) & high
	// A byte is a space when it xor ' ' is 0: exactly, no borrow between bytes.
	x := low ^ ones*' '
	space := ^((x&^high + ones*0x7f) | x) & high &^ wide
	before := space << 8
	if after {
		before |= 0x80
	}
	return wide | control | space&before
}

// hasText reports whether text holds more than white space.
func hasText(text []byte) bool {
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			if !asciiSpace[c] {
				return true
			}
			i++
			continue
		}
		r, w := utf8.DecodeRune(text[i:])
		if !unicode.IsSpace(r) {
			return true
		}
		i += w
	}
	return false
}

// asciiSpace are the ASCII characters unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\n': true, '\t': true, '\r': true, '\v': true, '\f': true}

// decodeRune is utf8.DecodeRune of a string or bytes.
func decodeRune[T string | []byte](s T) (rune, int) {
	switch s := any(s).(type) {
	case string:
		return utf8.DecodeRuneInString(s)
	case []byte:
		return utf8.DecodeRune(s)
	}
	return utf8.RuneError, 1
}
