// Package textout makes user text safe to print as a line of text output.
//
// A file name or a message can hold a newline, a carriage return or an
// escape sequence. Printed as is, "x\n::error ::pwned\n.md" starts a line
// that GitHub Actions executes as a workflow command, and ESC [ … rewrites a
// terminal. Every path and message plansite prints as text goes through
// Escape first.
package textout

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every control character, every line or paragraph
// separator and every bidirectional override written as a Go escape (\n,
// \x1b, \u202e), and invalid UTF-8 bytes as \xff: what is left prints as
// one line that shows what the text holds. A tab is kept.
func Escape(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unsafe(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s // the common case: nothing to escape, no copy
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case unsafe(r, n) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafe(r, n):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unsafe reports whether the rune r (n bytes long) must be escaped.
func unsafe(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1: // an invalid byte
		return true
	case r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0: // C0, DEL, C1 (0x9b is a CSI)
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f: // bidi controls
		return true
	}
	return false
}
