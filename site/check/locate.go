package check

import (
	"bytes"
	"regexp"
	"strings"
)

// Field lines the model keeps no line for. Only the key is matched: the
// first such line outside code fences is the one extraction reads first.
var (
	nextFieldRe    = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?\*\*next(?: phase)?:?\*\*`)
	updatedFieldRe = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?\*\*(?:last[ -]updated?|updated|generated|date):?\*\*`)
)

// locate returns the line of the first field matching re in the document,
// or def when the source cannot be read or has no such line.
func locate(opts Options, source string, re *regexp.Regexp, def int) int {
	if opts.ReadSource == nil {
		return def
	}
	src, err := opts.ReadSource(source)
	if err != nil {
		return def
	}
	if n := FieldLine(src, re); n > 0 {
		return n
	}
	return def
}

// FieldLine is the 1-based line of the first line outside fenced code that
// matches re, or 0.
func FieldLine(src []byte, re *regexp.Regexp) int {
	fence := ""
	for i, line := range bytes.Split(src, []byte("\n")) {
		t := strings.TrimSpace(string(line))
		if fence != "" {
			if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if f := fenceOpen(t); f != "" {
			fence = f
			continue
		}
		if re.Match(line) {
			return i + 1
		}
	}
	return 0
}

// fenceOpen returns the run of ``` or ~~~ that opens a code fence, or "".
func fenceOpen(t string) string {
	for _, c := range []string{"`", "~"} {
		n := len(t) - len(strings.TrimLeft(t, c))
		if n >= 3 {
			return strings.Repeat(c, n)
		}
	}
	return ""
}
