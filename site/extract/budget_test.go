package extract

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/plansite/plansite/site/plan"
)

func TestNestingDepth(t *testing.T) {
	indented := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat("  ", i) + "- item\n")
		}
		return b.String()
	}
	for src, want := range map[string]int{
		"# Title\n\nText.\n":                                   0,
		"- a\n  - b\n    - c\n":                                3,
		"1. a\n   1. b\n":                                      2,
		"> quote\n> > inner\n":                                 2,
		"---\n***\n- [ ] task\n":                               1,
		strings.Repeat("- ", 500) + "x\n":                      500,
		strings.Repeat(">", 300) + " x\n":                      300,
		indented(400):                                          400,
		"```\n" + strings.Repeat(" ", 60) + "deep code\n```\n": 0,
	} {
		if got, _ := nestingDepth([]byte(src), lineStarts([]byte(src))); got != want {
			t.Errorf("nestingDepth(%.40q…) = %d, want %d", src, got, want)
		}
	}
}

// The documents the issue found stalling goldmark are read as plain text at
// once, with an error problem; a document under the limit is read as ever.
func TestPathologicalDocumentsDegrade(t *testing.T) {
	indented := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat("  ", i) + "- item\n")
		}
		return b.String()
	}
	for name, src := range map[string]string{
		"dashes":      "# Dashes\n\n" + strings.Repeat("- ", 40000) + "x\n",
		"indented":    "# Indented\n\n" + indented(3000),
		"blockquotes": "# Quotes\n\n" + strings.Repeat("> ", 40000) + "x\n",
	} {
		start := time.Now()
		res := Extract(name+".md", []byte(src), Options{})
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: %s to read", name, d)
		}
		if !hasProblem(res.Doc, CodeTooComplex, 0) || res.Doc.Problems[0].Severity != plan.SevError {
			t.Errorf("%s: problems %+v", name, res.Doc.Problems)
		}
		if res.AST.FirstChild() == nil || res.AST.FirstChild().Kind().String() != "CodeBlock" {
			t.Errorf("%s: not read as plain text", name)
		}
	}
	ok := Extract("ok.md", []byte("# Fine\n\n- a\n  - b\n"), Options{})
	if len(ok.Doc.Problems) != 0 || ok.Doc.Title != "Fine" {
		t.Errorf("a plain list: %+v %q", ok.Doc.Problems, ok.Doc.Title)
	}
}

func TestParseTimeLimit(t *testing.T) {
	defer func(b time.Duration) { parseBudget = b }(parseBudget)
	parseBudget = time.Nanosecond
	res := Extract("slow.md", []byte("# Slow\n\n"+strings.Repeat("Some *text* and `code`.\n\n", 20000)), Options{})
	if !hasProblem(res.Doc, CodeTooComplex, 1) || !strings.Contains(res.Doc.Problems[0].Message, "took over") {
		t.Errorf("over the time limit: %+v", res.Doc.Problems)
	}
}

// TestNestingDepthByLineStarts holds nestingDepth, which reads the lines
// newWalker found, to the same count over lines split at each newline, on
// every document of both corpora and our testdata and on the edges of a
// line (none, empty, without its newline).
func TestNestingDepthByLineStarts(t *testing.T) {
	bySplit := func(src []byte) (depth, line int) {
		for n, l := range bytes.Split(bytes.TrimSuffix(src, []byte("\n")), []byte("\n")) {
			if len(src) == 0 {
				break
			}
			if d := lineDepth(l); d > depth && (depth <= MaxDepth || line == 0) {
				line = n + 1
			}
			depth = max(depth, lineDepth(l))
		}
		return depth, line
	}
	docs := []string{"", "\n", "\n\n", "-", "- a", "- a\n", "- a\n\n", "> - b\n  - c", "1.\n  1.\n"}
	for _, b := range corpusDocs(t) {
		docs = append(docs, string(b))
	}
	deep := 0
	for _, doc := range docs {
		src := []byte(doc)
		gd, gl := nestingDepth(src, lineStarts(src))
		wd, wl := bySplit(src)
		if gd != wd || gl != wl {
			t.Errorf("nestingDepth(%.60q…) = %d at line %d, by its lines %d at line %d", doc, gd, gl, wd, wl)
		}
		if wd >= 2 {
			deep++
		}
	}
	if deep < 20 {
		t.Errorf("only %d documents nested two deep: the check saw too little", deep)
	}
}
