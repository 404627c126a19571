package extract

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// NewParser returns the goldmark configuration every document is parsed with:
// CommonMark plus GFM (tables, task lists, strikethrough, autolinks) and
// footnotes. The same parser feeds extraction and rendering, so a document is
// parsed once.
func NewParser() goldmark.Markdown { return newMarkdown(true) }

// newMarkdown is NewParser, without GFM's autolinks (extension.Linkify)
// unless autolinks is set.
func newMarkdown(autolinks bool) goldmark.Markdown {
	var exts []goldmark.Extender
	if autolinks {
		exts = append(exts, extension.Linkify)
	}
	// extension.GFM's, in its order, then footnotes.
	exts = append(exts, extension.Table, extension.Strikethrough, extension.TaskList, extension.Footnote)
	return goldmark.New(
		goldmark.WithParser(parser.NewParser(
			parser.WithBlockParsers(parser.DefaultBlockParsers()...),
			parser.WithInlineParsers(parser.DefaultInlineParsers()...),
			parser.WithParagraphTransformers(util.Prioritized(linkReferences{}, linkReferencePriority)),
		)),
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

// linkReferencePriority is goldmark's own for its link reference reader
// (parser.DefaultParagraphTransformers).
const linkReferencePriority = 100

// linkReferences is goldmark's link reference definition reader
// (parser.LinkReferenceParagraphTransformer) for the paragraphs that may
// hold one: a definition opens with "[" after spaces, and goldmark's reader
// makes a block reader and a list of every paragraph it is given (a tenth
// of a large site's parse garbage, for the few paragraphs that are
// definitions).
type linkReferences struct{}

func (linkReferences) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	if opensWithBracket(node.Lines(), reader.Source()) {
		parser.LinkReferenceParagraphTransformer.Transform(node, reader, pc)
	}
}

// opensWithBracket reports whether the first byte of lines that is not a
// space (util.IsSpace, as goldmark's reader skips them) is "[".
func opensWithBracket(lines *text.Segments, source []byte) bool {
	for i := range lines.Len() {
		seg := lines.At(i) // its padding and forced newline are spaces
		for _, c := range source[seg.Start:seg.Stop] {
			if !util.IsSpace(c) {
				return c == '['
			}
		}
	}
	return false
}

// docParser and plainParser are the parsers Extract uses, made once:
// goldmark's parsers keep no state between documents (that lives in the
// parse context), and building one with its extensions costs more than
// parsing a small plan. plainParser reads no autolinks.
var (
	docParser   = sync.OnceValue(func() parser.Parser { return NewParser().Parser() })
	plainParser = sync.OnceValue(func() parser.Parser { return newMarkdown(false).Parser() })
)

// parserOf is the parser a document is read with: parserFor (a test reads
// every document with autolinks too, to hold the two to the same model).
var parserOf = parserFor

// parserFor is the parser for src: NewParser's, or, when src holds nothing
// GFM's autolinks could read (mayAutolink) and no line that reader would
// leave spaces at the end of (spacedLineEnd), the same without them. The
// autolink reader is asked at every space of the text, which was a
// quarter of parsing a plan; where it can find nothing, the HTML is the
// same without it (its text is cut into more nodes, which read and render
// as the same text).
func parserFor(src []byte) parser.Parser {
	if mayAutolink(src) || spacedLineEnd(src) {
		return docParser()
	}
	return plainParser()
}

// spacedLineEnd reports whether a line of src with text ends in two or
// more spaces (util.IsSpace): the autolink reader, asked at each, cuts the
// text there, and goldmark trims only the last piece's, so "a \t" stays
// "a " with it and is "a" without. A hard line break's two spaces count:
// where goldmark reads the line without its break (a paragraph's line
// left before a table and made a heading), they are kept as well. A line
// of spaces alone (blank, as front matter is left) holds no text.
func spacedLineEnd(src []byte) bool {
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		text := len(line)
		for text > 0 && util.IsSpace(line[text-1]) {
			text--
		}
		if text > 0 && len(line)-text >= 2 {
			return true
		}
	}
	return false
}

// mayAutolink reports whether src may hold a GFM autolink: one opens with
// "http://", "https://", "ftp://" or "www.", or is an address, an "@" with a
// character of its local part before it and a letter or digit after it.
func mayAutolink(src []byte) bool {
	if bytes.Contains(src, []byte("://")) || bytes.Contains(src, []byte("www.")) {
		return true
	}
	for i := bytes.IndexByte(src, '@'); i >= 0; {
		if i > 0 && i+1 < len(src) && isEmailLocal(src[i-1]) && isAlnum(src[i+1]) {
			return true
		}
		j := bytes.IndexByte(src[i+1:], '@')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// isEmailLocal reports whether c may stand in an address's local part, as
// goldmark reads one (util.FindEmailIndex).
func isEmailLocal(c byte) bool {
	return isAlnum(c) || strings.IndexByte(".!#$%&'*+/=?^_`{|}~-", c) >= 0
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// Slug turns heading text into an anchor: lower case letters and digits
// joined by hyphens. Emoji and other symbols are dropped, so "✅ Phase 1"
// and "Phase 1" share a slug.
func Slug(text string) string {
	if isASCII(text) {
		var buf [64]byte
		return string(appendASCIISlug(buf[:0], text))
	}
	return slugText(text)
}

// slugText is Slug for any text: each character lower-cased as it is read
// (strings.ToLower is that, for a whole string).
func slugText(text string) string {
	var buf [64]byte
	b, dash := buf[:0], false
	for _, r := range text {
		r = unicode.ToLower(r)
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && len(b) > 0 {
				b = append(b, '-')
			}
			dash = false
			b = utf8.AppendRune(b, r)
		case r == '_' || r == '-' || r == ' ' || r == '.' || r == '/' || r == ':':
			dash = true
		}
	}
	return string(b)
}

// appendASCIISlug appends the Slug of text, all ASCII, to dst: the same
// letters, digits and hyphens, without lower-casing a copy first.
func appendASCIISlug[T string | []byte](dst []byte, text T) []byte {
	start, dash := len(dst), false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		switch {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			if dash && len(dst) > start {
				dst = append(dst, '-')
			}
			dash = false
			dst = append(dst, c)
		case c == '_' || c == '-' || c == ' ' || c == '.' || c == '/' || c == ':':
			dash = true
		}
	}
	return dst
}

// GitHubAnchorAttr is the heading attribute that holds the anchor GitHub
// would give the heading, when it differs from plansite's: the renderer
// writes it as a second anchor, so the authors' own "#section" links,
// written against GitHub, keep working.
const GitHubAnchorAttr = "github-anchor"

// GitHubSlug is the anchor GitHub gives a heading: lower case, every
// character but letters, digits, marks, "-" and "_" dropped, each space a
// hyphen ("Phase 1 ✅ — Setup" → "phase-1---setup").
func GitHubSlug(text string) string {
	if isASCII(text) {
		var buf [64]byte
		b := buf[:0]
		for i := 0; i < len(text); i++ {
			switch c := text[i]; {
			case 'A' <= c && c <= 'Z':
				b = append(b, c+'a'-'A')
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_':
				b = append(b, c)
			case c == ' ':
				b = append(b, '-')
			}
		}
		return string(b)
	}
	return gitHubSlugText(text)
}

// gitHubSlugText is GitHubSlug for any text, each character lower-cased
// as it is read.
func gitHubSlugText(text string) string {
	var buf [64]byte
	b := buf[:0]
	for _, r := range text {
		r = unicode.ToLower(r)
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) || r == '-' || r == '_':
			b = utf8.AppendRune(b, r)
		case r == ' ':
			b = append(b, '-')
		}
	}
	return string(b)
}

// githubAnchor gives a heading GitHub's anchor beside plansite's, when the
// two differ (repeats numbered as GitHub does: slug, slug-1, slug-2).
func (w *walker) githubAnchor(h *ast.Heading, text, own string) {
	if w.ghAnchors == nil {
		w.ghAnchors = make(map[string]int, len(w.heads)) // most headings are in the prepass's list
	}
	base := GitHubSlug(strings.TrimSpace(text))
	id := base
	n, repeat := w.ghAnchors[base]
	if repeat {
		id = base + "-" + strconv.Itoa(n)
	}
	w.ghAnchors[base] = n + 1
	if id != own && id != "" {
		h.SetAttributeString(GitHubAnchorAttr, []byte(id))
	}
}

// anchorIDs gives headings unique, stable anchors (goldmark's parser.IDs):
// the slug, then slug-1, slug-2… for repeats.
type anchorIDs struct{ used map[string]bool }

func newAnchorIDs() *anchorIDs { return &anchorIDs{used: map[string]bool{}} }

func (a *anchorIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	var base string
	if isASCII(value) {
		var buf [64]byte
		base = string(appendASCIISlug(buf[:0], value))
	} else {
		base = Slug(string(value))
	}
	if base == "" {
		base = "section"
	}
	id := base
	for n := 1; a.used[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	a.used[id] = true
	// The id's own bytes, not a copy: the heading's attribute is read,
	// never written.
	return unsafe.Slice(unsafe.StringData(id), len(id))
}

func (a *anchorIDs) Put(value []byte) { a.used[string(value)] = true }
