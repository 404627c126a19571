package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/plansite/plansite/site/plan"
)

// glyphStatus maps a leading status glyph to a status.
var glyphStatus = []struct {
	glyph  string
	status string
}{
	{"✅", plan.Complete}, {"✔", plan.Complete}, {"✓", plan.Complete}, {"☑", plan.Complete}, {"🎉", plan.Complete}, {"🟢", plan.Complete},
	{"⏳", plan.NotStarted}, {"🔲", plan.NotStarted}, {"⬜", plan.NotStarted}, {"⏸", plan.Blocked},
	{"🔄", plan.InProgress}, {"🚧", plan.InProgress}, {"🟡", plan.InProgress}, {"⚠", plan.InProgress},
	{"❌", plan.Failed}, {"✗", plan.Failed}, {"✘", plan.Failed}, {"🔴", plan.Blocked}, {"⛔", plan.Blocked}, {"🚫", plan.Blocked},
	{"⏭", plan.Deferred},
}

var (
	placeholderRe = regexp.MustCompile(`^\s*(\[[^\]]*\]|\{\{[^}]*\}\}|X%?|TBD|YYYY-MM-DD)\s*$`)
	subUnitDoneRe = regexp.MustCompile(`^(wave|phase|step|part|stage|sprint|week|day|p)\s*[\w.-]+\s+(is\s+)?complete[d]?\b(.*)$`)
	movingOnRe    = regexp.MustCompile(`moving to|ready to start|in progress|starting|next|ready for`)
	percentRe     = regexp.MustCompile(`~?(\d{1,3}(?:\.\d+)?)\s*%`)
)

// NormalizeStatus turns a status as written into a normalised status.
func NormalizeStatus(raw string) string {
	v := stripInline(raw) // trimmed
	if v == "" || isPlaceholder(v) {
		return plan.Unknown
	}
	// An enumeration of states is a template's menu, not a state.
	if strings.Count(v, "|") >= 2 {
		return plan.Unknown
	}
	// subUnitDoneRe opens with a unit word ("wave", "phase", "p", …) and
	// holds "complete": only then is the lower-cased copy it reads made.
	ascii := isASCII(v)
	if !ascii || strings.IndexByte("wpsd", lowerByte(v[0])) >= 0 && containsFold(v, "complete") {
		if m := subUnitDoneRe.FindStringSubmatch(strings.ToLower(v)); m != nil {
			rest := m[3]
			switch {
			case strings.Contains(rest, "all") && strings.Contains(rest, "complete"):
				return plan.Complete
			case movingOnRe.MatchString(rest):
				return plan.InProgress
			}
		}
	}
	// Every glyph is outside ASCII: text in ASCII has none.
	glyph := ""
	for _, g := range glyphStatus {
		if ascii {
			break
		}
		if strings.HasPrefix(v, g.glyph) {
			glyph = g.status
			break
		}
	}
	word, pos := statusWordIn(v)
	if glyph != "" {
		// A later explicit PARTIAL or NOT MET overrides a leading glyph.
		if word == plan.InProgress || word == plan.Failed || word == plan.Blocked || word == plan.Deferred {
			if glyph == plan.Complete {
				return word
			}
		}
		return glyph
	}
	if pos >= 0 {
		return word
	}
	// A lone glyph anywhere ("Complete ✅" was caught above; "Phase 3 ✅").
	for _, g := range glyphStatus {
		if ascii {
			break
		}
		if strings.Contains(v, g.glyph) {
			return g.status
		}
	}
	if strings.IndexByte(v, '%') < 0 {
		return plan.Unknown
	}
	if m := percentRe.FindStringSubmatch(v); m != nil && strings.TrimSpace(percentRe.ReplaceAllString(v, "")) == "" {
		switch m[1] {
		case "0":
			return plan.NotStarted
		case "100":
			return plan.Complete
		default:
			return plan.InProgress
		}
	}
	return plan.Unknown
}

// earliestStatusWord is the status of the earliest status word in lower
// and where it starts; Unknown and -1 when it has none. The earliest wins
// (SURVEY §3): "COMPLETE - Ready for Phase 4" is complete, "In Progress (3
// of 5 complete)" in progress; of two starting at one place, the longer.
func earliestStatusWord(lower string) (string, int) {
	start, _, class := statusMatcher.find(lower)
	if start < 0 {
		return plan.Unknown, -1
	}
	return class, start
}

// statusWordIn is earliestStatusWord of v lower-cased; text in ASCII is
// read as it is, not copied lower-cased.
func statusWordIn(v string) (string, int) {
	if !isASCII(v) {
		return earliestStatusWord(strings.ToLower(v))
	}
	start, _, class := statusMatcher.findASCII(v)
	if start < 0 {
		return plan.Unknown, -1
	}
	return class, start
}

// StatusFromSuffix reads a status written at the end of a heading or item:
// "(Complete)", "✅", "✅ COMPLETE", "🔄 PARTIAL", "(Pending)". It returns the
// status, the suffix as written, and the text before it.
func StatusFromSuffix(text string) (status, suffix, rest string) {
	t := strings.TrimSpace(text)
	if start, inner, ok := trailingParen(t); ok && strings.IndexByte(t[:start], '\n') < 0 { // parenSuffixRe's match
		if s := NormalizeStatus(inner); s != plan.Unknown && isStatusPhrase(inner) {
			return s, inner, strings.TrimSpace(t[:start])
		}
	}
	// Trailing glyph, optionally followed by a few status words.
	ascii := isASCII(t) // no glyph is ASCII
	for _, g := range glyphStatus {
		if ascii {
			break
		}
		i := strings.LastIndex(t, g.glyph)
		if i < 0 {
			continue
		}
		after := strings.TrimSpace(t[i+len(g.glyph):])
		after = strings.TrimPrefix(after, "\ufe0f")
		after = strings.TrimSpace(after)
		if len(after) > 40 {
			continue
		}
		st := NormalizeStatus(g.glyph + " " + after)
		return st, strings.TrimSpace(t[i:]), strings.TrimRight(strings.TrimSpace(t[:i]), " -–—:")
	}
	if !strings.ContainsAny(t, "-–—") || !mayEndInStatusWord(t) {
		return plan.Unknown, "", t
	}
	if m := wordSuffixRe.FindStringSubmatch(t); m != nil {
		return NormalizeStatus(m[2]), m[2], strings.TrimSpace(m[1])
	}
	return plan.Unknown, "", t
}

// trailingParen finds the parenthesis t ends with (spaces after it aside),
// as trailingParenRe and parenSuffixRe do, by hand: what it holds, and where
// the spaces before it start.
func trailingParen(t string) (start int, inner string, ok bool) {
	end := len(t)
	for end > 0 && isSpace(t[end-1]) {
		end--
	}
	if end == 0 || t[end-1] != ')' {
		return 0, "", false
	}
	open := strings.LastIndexAny(t[:end-1], "()")
	if open < 0 || t[open] != '(' {
		return 0, "", false
	}
	start = open
	for start > 0 && isSpace(t[start-1]) {
		start--
	}
	return start, t[open+1 : end-1], true
}

// suffixWords are the words wordSuffixRe reads at the end of a title.
var suffixWords = []string{"complete", "completed", "not started", "in progress", "blocked", "deferred", "pending", "done", "failed", "partial"}

// mayEndInStatusWord is wordSuffixRe's pre-check: t ends with one of its
// words, then spaces and a "!" or "." at most. (Beyond ASCII the regexp
// decides: it folds "K" to "k" and "ſ" to "s".)
func mayEndInStatusWord(t string) bool {
	if strings.HasSuffix(t, "!") || strings.HasSuffix(t, ".") {
		t = t[:len(t)-1]
	}
	t = strings.TrimRight(t, " \t\n\f\r")
	tail := t[max(0, len(t)-len("in progress")-2):]
	if !isASCII(tail) {
		return true
	}
	for _, w := range suffixWords {
		if len(t) >= len(w) && hasLowerPrefix(t[len(t)-len(w):], w) {
			return true
		}
	}
	return false
}

var (
	parenSuffixRe = regexp.MustCompile(`^(.*?)\s*\(([^()]*)\)\s*$`)
	wordSuffixRe  = regexp.MustCompile(`^(.*\S)\s+[-–—]\s+((?i:complete[d]?|not started|in progress|blocked|deferred|pending|done|failed|partial))\s*[!.]?$`)
)

// isStatusPhrase tells a parenthesised status "(Complete)", "(COMPLETED 2025-11-12)"
// from other parentheses "(8 pts)", "(config.py)".
func isStatusPhrase(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	if strings.ContainsAny(l, "/") || len(l) > 40 {
		return false
	}
	_, pos := earliestStatusWord(l)
	return pos == 0 || strings.HasPrefix(l, "✅") || strings.HasPrefix(l, "⚠")
}

// StatusWordsOnly reports whether a status as written is status words and
// nothing more ("COMPLETED", "Not Yet Started", "✅ Done"): shown beside the
// status it maps to, it would say the same thing twice.
func StatusWordsOnly(text string) bool {
	lower := strings.ToLower(stripInline(text))
	found := false
	for i := range statusWords {
		for _, vw := range statusWords[i].words {
			if strings.Contains(lower, vw.hint) && vw.re.MatchString(lower) {
				lower, found = vw.re.ReplaceAllString(lower, " "), true
			}
		}
	}
	return found && !strings.ContainsFunc(lower, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}

// percentOf returns the first percentage written in s.
func percentOf(s string) *float64 {
	m := percentRe.FindStringSubmatch(s)
	if m == nil {
		return nil
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil || f > 100 {
		return nil
	}
	return &f
}

func isPlaceholder(v string) bool {
	v = strings.TrimSpace(v)
	// placeholderRe opens with one of "[{XTY" after its spaces, which
	// TrimSpace took.
	return v != "" && strings.IndexByte("[{XTY", v[0]) >= 0 && placeholderRe.MatchString(v) || strings.Contains(v, "{{") || strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") && !strings.Contains(v, "](")
}

// stripInline removes Markdown emphasis and code marks from a value as
// written: "**✅ COMPLETE**" becomes "✅ COMPLETE".
func stripInline(s string) string {
	if strings.Contains(s, "](") {
		s = linkRe.ReplaceAllString(s, "$1")
	}
	if strings.ContainsAny(s, "*_`") { // else there is nothing to take out
		s = dropMarks(s)
	}
	return strings.TrimSpace(s)
}

// isASCII reports whether s is all ASCII.
func isASCII[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// StripInline is stripInline for the renderer, which must know the title
// text a heading gave.
func StripInline(s string) string { return stripInline(s) }

var inlineMarks = strings.NewReplacer("**", "", "__", "", "`", "")

// dropMarks is inlineMarks.Replace, by hand: "**", "__" and "`" taken out,
// left to right.
func dropMarks(s string) string {
	var b []byte
	last := 0 // s[last:i] is still to be copied
	for i := 0; i < len(s); {
		n := 0
		switch {
		case s[i] == '`':
			n = 1
		case (s[i] == '*' || s[i] == '_') && i+1 < len(s) && s[i+1] == s[i]:
			n = 2
		}
		if n == 0 {
			i++
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s))
		}
		b = append(b, s[last:i]...)
		i += n
		last = i
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

var linkRe = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
