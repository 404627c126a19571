package textout

import "testing"

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"docs/plan.md":                      "docs/plan.md",
		"héllo wörld\tok":                   "héllo wörld\tok",
		"x\n::error file=a,line=1::pwned\n": `x\n::error file=a,line=1::pwned\n`,
		"a\r\nb":                            `a\r\nb`,
		"\x1b[2J\x1b]0;title\x07":           `\x1b[2J\x1b]0;title\x07`,
		"c1 \u009b31m":                      `c1 \x9b31m`,
		"line\u2028sep":                     `line\u2028sep`,
		"evil\u202ecod.md":                  `evil\u202ecod.md`,
		"bad \xff byte":                     `bad \xff byte`,
		"nul\x00":                           `nul\x00`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}
