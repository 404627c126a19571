package extract

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// A field is a `**Key**: value` pair as written in a plan.
type field struct {
	key   string // normalised (see normKey)
	label string // as written
	value string // raw, Markdown kept
	line  int
}

var (
	// Key: value, for the `## Status` list form and continuation lines.
	plainFieldRe = regexp.MustCompile(`^\s*(?:[-*+]\s+)?([A-Z][A-Za-z ()/]{1,40}?):\s+(\S.*)$`)
)

// parseFieldLine reads the fields on one source line: one `**Key**: value`
// pair, or several joined by ` | `. plain allows `Key: value` without bold.
// It is hand-written: it runs on every line of every document.
func parseFieldLine(line string, lineNo int, plain bool) []field {
	return appendFieldLine(nil, line, lineNo, plain)
}

// appendFieldLine is parseFieldLine appending to out: a caller that reads
// the fields at once gives it an array of its own (fieldBuf), and a line's
// fields cost no allocation.
func appendFieldLine(out []field, line string, lineNo int, plain bool) []field {
	t := trimBullet(line)
	if strings.HasPrefix(t, "**") {
		f, rest, ok := boldField(t)
		if !ok {
			return out
		}
		// Joined pairs: **Status**: Draft | **Phase**: QA · **Next:** [6](…)
		for {
			f.line = lineNo
			i, sep := nextPair(rest)
			next, r, more := field{}, "", false
			if i >= 0 {
				next, r, more = boldField(rest[i+len(sep):])
			}
			if !more {
				f.value = strings.TrimSpace(rest)
				out = append(out, f)
				break
			}
			f.value = strings.TrimSpace(rest[:i])
			out = append(out, f)
			f, rest = next, r
		}
		return out
	}
	if plain && strings.Contains(line, ":") {
		if pm := plainFieldRe.FindStringSubmatch(line); pm != nil {
			return append(out, field{key: normKey(pm[1]), label: strings.TrimSpace(pm[1]), value: strings.TrimSpace(pm[2]), line: lineNo})
		}
	}
	return out
}

// fieldBuf holds the fields of one line: most lines have one, and few more
// than four.
type fieldBuf [4]field

// pairSeparators join several bold pairs on one line; pairStarts are each
// with the bold that follows it.
var (
	pairSeparators = []string{" | ", " · ", " • "}
	pairStarts     = func() []string {
		out := make([]string, len(pairSeparators))
		for i, s := range pairSeparators {
			out[i] = s + "**"
		}
		return out
	}()
)

// nextPair is where the next bold pair of a line starts, and the separator
// before it, or -1.
func nextPair(rest string) (int, string) {
	best, sep := -1, ""
	for k, s := range pairStarts {
		if i := strings.Index(rest, s); i >= 0 && (best < 0 || i < best) {
			best, sep = i, pairSeparators[k]
		}
	}
	return best, sep
}

// boldField reads "**Key**: value" or "**Key:** value" at the start of t; rest
// is the value's remainder, for pipe-joined pairs.
func boldField(t string) (f field, rest string, ok bool) {
	end := strings.Index(t[2:], "**")
	if end <= 0 || end > 60 {
		return f, "", false
	}
	label := t[2 : 2+end]
	after := t[2+end+2:]
	inside := strings.HasSuffix(label, ":")
	outside := strings.HasPrefix(after, ":")
	if inside == outside || strings.ContainsAny(label, "*\n") {
		return f, "", false
	}
	label = strings.TrimSuffix(label, ":")
	if outside {
		after = after[1:]
	}
	return field{key: normKey(label), label: strings.TrimSpace(label), value: strings.TrimSpace(after)}, after, true
}

// normKey lower-cases a key and joins its words with hyphens; synonyms fold to one key.
func normKey(label string) string {
	if k, ok := normKeys.Load(label); ok {
		return k.(string)
	}
	k := foldKey(label)
	if s, ok := keySynonym[k]; ok {
		k = s
	}
	// Plans write the same few dozen labels over and over: each is folded
	// once a process (a bounded number of them, so odd text cannot grow it).
	if len(label) <= 64 && normKeyCount.Add(1) <= maxNormKeys {
		normKeys.Store(strings.Clone(label), k)
	}
	return k
}

var (
	normKeys     sync.Map // label → normKey(label)
	normKeyCount atomic.Int64
)

const maxNormKeys = 4096

// foldKey lower-cases a key and joins its words with hyphens.
func foldKey(label string) string {
	return strings.TrimSuffix(Slug(strings.ReplaceAll(label, "(s)", "-s")), "-")
}

var (
	pointsRe = regexp.MustCompile(`(?i)(?:^|[\s(,|-])(\d+(?:\.\d+)?)\s*(?:pts?|points?|sp|story points)\b`)
)

// pointsOf returns the story points written in s ("(3 pts)", "2 SP", "- 10 pts").
func pointsOf(s string) float64 {
	if !strings.ContainsAny(s, "0123456789") || !containsFold(s, "pt") && !containsFold(s, "point") && !containsFold(s, "sp") || !mayHavePoints(s) {
		return 0
	}
	m := pointsRe.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	f, _ := strconv.ParseFloat(m[1], 64)
	return f
}

// mayHavePoints is pointsRe's pre-check: a number ("3", "2.5") followed,
// after spaces, by a "p" or an "s" in either case (or by a character
// beyond ASCII, which the regexp's case folding may read as one).
func mayHavePoints(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
			for j++; j < len(s) && isDigit(s[j]); j++ {
			}
		}
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j < len(s) && (lowerByte(s[j]) == 'p' || lowerByte(s[j]) == 's' || s[j] >= 0x80) {
			return true
		}
		i = j - 1
	}
	return false
}

// containsFold reports whether s holds sub (lower-case ASCII) in any case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for j < len(sub) && s[i+j]|0x20 == sub[j] {
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// endsWithPoints reports whether s ends with a points unit ("pts", "SP"),
// the only case trailingPtsRe can match.
func endsWithPoints(s string) bool {
	s = strings.TrimRight(s, " \t")
	for _, u := range []string{"pt", "pts", "point", "points", "sp"} {
		if len(s) >= len(u) && containsFold(s[len(s)-len(u):], u) {
			return true
		}
	}
	return false
}

// trimBullet drops leading space and a list marker ("- ", "* ", "1. ").
func trimBullet(line string) string {
	l := strings.TrimLeft(line, " \t")
	switch {
	case strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "* ") || strings.HasPrefix(l, "+ "):
		return strings.TrimLeft(l[2:], " \t")
	case len(l) > 0 && l[0] >= '0' && l[0] <= '9':
		i := 0
		for i < len(l) && l[i] >= '0' && l[i] <= '9' {
			i++
		}
		if i < len(l) && (l[i] == '.' || l[i] == ')') {
			return strings.TrimLeft(l[i+1:], " \t")
		}
	}
	return l
}
