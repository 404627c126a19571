package extract

import (
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// NewParser returns the goldmark configuration every document is parsed with:
// CommonMark plus GFM (tables, task lists, strikethrough, autolinks) and
// footnotes. The same parser feeds extraction and rendering, so a document is
// parsed once.
func NewParser() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

// docParser is the parser Extract uses, made once: goldmark's parsers keep
// no state between documents (that lives in the parse context), and
// building one with its extensions costs more than parsing a small plan.
var docParser = sync.OnceValue(func() parser.Parser { return NewParser().Parser() })

// Slug turns heading text into an anchor: lower case letters and digits
// joined by hyphens. Emoji and other symbols are dropped, so "✅ Phase 1"
// and "Phase 1" share a slug.
func Slug(text string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '_' || r == '-' || r == ' ' || r == '.' || r == '/' || r == ':':
			dash = true
		}
	}
	return b.String()
}

// anchorIDs gives headings unique, stable anchors (goldmark's parser.IDs):
// the slug, then slug-1, slug-2… for repeats.
type anchorIDs struct{ used map[string]bool }

func newAnchorIDs() *anchorIDs { return &anchorIDs{used: map[string]bool{}} }

func (a *anchorIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	base := Slug(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for n := 1; a.used[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	a.used[id] = true
	return []byte(id)
}

func (a *anchorIDs) Put(value []byte) { a.used[string(value)] = true }
