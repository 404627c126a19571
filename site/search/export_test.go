package search

// ReadBoth reads body with scan, when scan takes it, and with the lexer:
// the two must agree.
func ReadBoth(body []byte) (scanned, lexed []Section, ok bool) {
	var s, l bodyText
	ok = s.scan(body)
	l.lex(body)
	return s.sections_(), l.sections_(), ok
}

func (t *bodyText) sections_() []Section {
	out := make([]Section, len(t.sections))
	for i, s := range t.sections {
		out[i] = Section{Anchor: s.anchor, Heading: s.heading, Text: string(t.text(s))}
	}
	return out
}
