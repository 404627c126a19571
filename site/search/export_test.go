package search

import "unicode/utf8"

// ReadBoth reads body with scan, when scan takes it, and with the lexer,
// as read would: the two must agree.
func ReadBoth(body []byte) (scanned, lexed []Section, ok bool) {
	var s, l bodyText
	s.unspaced, l.unspaced = utf8.Valid(body), utf8.Valid(body)
	ok = s.scan(body)
	l.lex(body)
	return s.sections_(), l.sections_(), ok
}

func (t *bodyText) sections_() []Section {
	out := make([]Section, len(t.sections))
	for i, s := range t.sections {
		out[i] = Section{Anchor: s.anchor, Heading: s.heading, Text: string(t.spacedText(s, -1))}
	}
	return out
}

// RecordBoth is the record of d, its body's text kept as read and spaced
// where a snippet shows it, and spaced as it is read.
func RecordBoth(d Doc) (unspaced, spaced Record, err error) {
	for _, u := range []bool{true, false} {
		var c docTerms
		frag, lengths, err := c.countAs(d, u)
		if err != nil {
			return nil, nil, err
		}
		if u {
			unspaced = c.record(frag, lengths)
		} else {
			spaced = c.record(frag, lengths)
		}
	}
	return unspaced, spaced, nil
}
