package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// TestLinkReferencesAsGoldmark holds the parser's link reference reader,
// which skips paragraphs that cannot open with a definition, to goldmark's
// own on every corpus document and on definitions where they may and may
// not stand: the HTML is the same.
func TestLinkReferencesAsGoldmark(t *testing.T) {
	ours := NewParser()
	theirs := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	docs := []string{
		"[a]: /x\n\nsee [a]\n",
		"   [a]: /x 'title'\n\n[a] and [b][a]\n",
		"    [a]: /x\n\n[a]\n", // indented code, no definition
		"\t[a]: /x\n\n[a]\n",
		"text\n[a]: /x\n\n[a]\n", // a definition cannot interrupt a paragraph
		"[a]:\n/x\n\"title\"\n\n[a]\n",
		"[a]: /x\n[b]: /y\nthen text [a] [b]\n",
		"> [a]: /x\n\n[a]\n",
		"- [a]: /x\n\n[a]\n",
		"[not a definition] at all\n",
		"[a] : /x\n\n[a]\n",
		"| [a]: /x |\n|---|\n| c |\n\n[a]\n",
		"[^1]: a footnote\n\ntext[^1]\n",
		"***[a]: /x***\n",
	}
	defs := 0
	for _, b := range corpusDocs(t) {
		docs = append(docs, string(b))
	}
	for _, doc := range docs {
		var got, want bytes.Buffer
		if err := ours.Convert([]byte(doc), &got); err != nil {
			t.Fatal(err)
		}
		if err := theirs.Convert([]byte(doc), &want); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("parsed with our link reference reader:\n%s\ngoldmark's:\n%s\nof:\n%s", got.String(), want.String(), doc)
		}
		if strings.Contains(want.String(), `href="/x"`) {
			defs++
		}
	}
	if defs < 5 {
		t.Errorf("only %d documents had a definition used: the check saw too little", defs)
	}
}

// hasAutoLink reports whether the document read with autolinks has one.
func hasAutoLink(src []byte) bool {
	found := false
	_ = ast.Walk(docParser().Parse(text.NewReader(src)), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := n.(*ast.AutoLink); ok && entering {
			found = true
		}
		return ast.WalkContinue, nil
	})
	return found
}

// TestMayAutolink holds mayAutolink to goldmark's autolinks: a document
// it says holds none has none, on every corpus document and on addresses
// and URLs with every byte beside their marks.
func TestMayAutolink(t *testing.T) {
	var srcs []string
	for _, b := range corpusDocs(t) {
		srcs = append(srcs, string(b))
	}
	srcs = append(srcs, "mail a@b.co now", "(www.example.com)", "*http://a.b*", "see https://x.io/a?b=c.", "ftp://a.b", "@mention only",
		"a@", "@b.c", "x @y.z", "_a@b.c_", "<a@b.c>", "a@b", "www.", "http:/x.y", "~www.a.b~")
	for c := range 256 {
		b := string(rune(c))
		if c >= 0x80 {
			b = string([]byte{byte(c)})
		}
		srcs = append(srcs, "x"+b+"@ab.cd", "a"+b+"@b.c", "ab@"+b+"b.cd", b+"www.ab.cd", b+"http://ab.cd", "w"+b+"ww.ab.cd")
	}
	links := 0
	for _, src := range srcs {
		if !hasAutoLink([]byte(src)) {
			continue
		}
		links++
		if !mayAutolink([]byte(src)) {
			t.Errorf("mayAutolink(%.80q) = false, but goldmark reads an autolink in it", src)
		}
	}
	if links < 200 {
		t.Errorf("only %d documents had an autolink: the check saw too little", links)
	}
}

// TestWithoutAutolinksAsWith holds a document read without autolinks
// (parserFor's plain parser) to the same document read with them: the
// same model and the same HTML, on every corpus document read so and on
// lines that end in spaces and tabs, which goldmark's autolink reader
// leaves in part in the text.
func TestWithoutAutolinksAsWith(t *testing.T) {
	docs := corpusDocs(t)
	for i, d := range []string{
		"# T\n\nline one    \nline two\n",
		"line \t\nnext\n",
		"line\t\t\nnext\n",
		"line  \t  \nnext\n",
		"line    \r\nnext\n",
		"line \t\r\nnext\n",
		"line\r \nnext\n",
		"- item    \n  next\n",
		"> quoted \t\n> next\n",
		"a   *b*    \nc\n",
		"Setext \t\nheading\n===\n",
		"| a | b |\n|---|---|\n| c \t | d |\n",
		"two spaces  \nthree spaces   \none space \n",
		"x   \n| a |\n|---|\n===\n",
		"last line \t",
	} {
		docs[fmt.Sprintf("snippet-%d.md", i)] = []byte(d)
	}
	plain := 0
	for rel, src := range docs {
		if parserFor(src) != plainParser() {
			continue
		}
		plain++
		without := Extract(rel, bytes.Clone(src), Options{})
		parserOf = func([]byte) parser.Parser { return docParser() }
		with := Extract(rel, bytes.Clone(src), Options{})
		parserOf = parserFor
		a, _ := json.Marshal(without.Doc)
		b, _ := json.Marshal(with.Doc)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: read without autolinks:\n%s\nwith them:\n%s", rel, a, b)
		}
		var ha, hb bytes.Buffer
		r := NewParser().Renderer()
		if err := r.Render(&ha, without.Source, without.AST); err != nil {
			t.Fatal(err)
		}
		if err := r.Render(&hb, with.Source, with.AST); err != nil {
			t.Fatal(err)
		}
		if ha.String() != hb.String() {
			t.Errorf("%s: rendered without autolinks:\n%s\nwith them:\n%s", rel, ha.String(), hb.String())
		}
	}
	if plain < 50 {
		t.Errorf("only %d documents could hold no autolink: the check saw too little", plain)
	}
}

// TestMarksAsWalk holds the links, images and headings the walker gathers
// (Result.Marks, which skips paragraphs without a "[") to those a whole
// walk of the AST finds, in document order, on every corpus document and
// on links where they may stand.
func TestMarksAsWalk(t *testing.T) {
	docs := corpusDocs(t)
	for i, d := range []string{
		"# T\n\nsee [a](a.md) and ![i](i.png)\n",
		"- [a](a.md)\n- b ![i](i.png)\n  - *[c](c.md)*\n",
		"> quoted [a](a.md)\n>\n> # H in a quote\n",
		"| a | b |\n|---|---|\n| [x](x.md) | ![y](y.png) |\n",
		"text[^1]\n\n[^1]: a note with [a](a.md)\n",
		"[ref]\n\n[ref]: r.md\n",
		"no link here\n\n## Heading [with](w.md)\n",
		"<context>\n@.planning/STATE.md\n</context>\n\n@src/a.ts\n",
		"1. one\n2. two [b](b.md)\n",
	} {
		docs[fmt.Sprintf("snippet-%d.md", i)] = []byte(d)
	}
	marked := 0
	for rel, src := range docs {
		res := Extract(rel, bytes.Clone(src), Options{})
		var want []ast.Node
		_ = ast.Walk(res.AST, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			switch n.Kind() {
			case ast.KindHeading, ast.KindImage, ast.KindLink:
				if entering {
					want = append(want, n)
				}
			}
			return ast.WalkContinue, nil
		})
		if !slices.Equal(res.Marks, want) {
			t.Errorf("%s: the walker marked %d nodes, a walk finds %d", rel, len(res.Marks), len(want))
		}
		marked += len(want)
	}
	if marked < 1000 {
		t.Errorf("only %d links, images and headings: the check saw too little", marked)
	}
}

// spacedLineEnd holds to lines of text only: a document's blank lines, and
// its front matter blanked to spaces, leave it the parser without
// autolinks.
func TestSpacedLineEnd(t *testing.T) {
	for src, want := range map[string]bool{
		"a \t\nb\n":                  true,
		"a    \nb\n":                 true,
		"a  \t  \nb":                 true,
		"last \t":                    true,
		"a  \nb\n":                   true, // a hard break, read with autolinks too
		"x  \n| a |\n|---|\n===\n":   true, // where goldmark keeps the break's spaces
		"a \nb\n":                    false,
		"    \n\t\t\n   \n# Title\n": false, // blank lines
		"   ":                        false,
		"":                           false,
	} {
		if got := spacedLineEnd([]byte(src)); got != want {
			t.Errorf("spacedLineEnd(%q) = %v, want %v", src, got, want)
		}
	}
	fm := Extract("fm.md", []byte("---\ntitle: A plan with a long title\nstatus: in-progress\n---\n\n# A plan\n\nText.\n"), Options{})
	if spacedLineEnd(fm.Source) {
		t.Errorf("a document whose front matter is blanked has a spaced line end:\n%q", fm.Source)
	}
}
