package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	"github.com/plansite/plansite/internal/testcorpus"
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
	for _, dir := range []string{testcorpus.MeatyMusic(t), testcorpus.Conventions(t), testcorpus.Testdata(t)} {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				b, _ := os.ReadFile(p)
				docs = append(docs, string(b))
			}
			return nil
		})
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
