// Package render turns the plan model and each document's AST into pages.
// This file renders a document's Markdown body: the goldmark HTML renderer
// with chroma for code, raw HTML shown as text, and links to other
// documents pointed at their pages.
package render

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"html"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/plansite/plansite/site/extract"
	"github.com/plansite/plansite/site/plan"
)

// LinkFunc maps a link target written in a document to the URL to render,
// and how to render it.
type LinkFunc func(target string) (href string, state LinkState)

// Body renders a parsed document's body to HTML. links rewrites the targets
// of links and images; nil leaves them as written. The heading the
// document's title came from is left out: the page shows the title as its h1.
func Body(res *extract.Result, links LinkFunc) ([]byte, error) {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := BodyTo(buf, res, links); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// BodyTo is Body written to buf: a caller done with the body before it
// renders the next one need not have it copied out.
func BodyTo(buf *bytes.Buffer, res *extract.Result, links LinkFunc) error {
	// One walk rewrites the links (the title heading's too: asking for a
	// link publishes its target) and fits the other headings under the h1;
	// then the title heading goes.
	title := titleHeadingNode(res.AST, res.Doc)
	last := 1
	mark := func(n ast.Node) {
		switch t := n.(type) {
		case *ast.Heading:
			if n != title {
				last = levelHeading(t, last)
			}
		case *ast.Link:
			if links != nil {
				rewriteLink(n, &t.Destination, links)
			}
		case *ast.Image:
			if links != nil {
				rewriteLink(n, &t.Destination, links)
			}
		}
	}
	if res.Marks != nil {
		for _, n := range res.Marks { // gathered by extract, in document order
			mark(n)
		}
	} else {
		_ = ast.Walk(res.AST, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering {
				mark(n)
			}
			return ast.WalkContinue, nil
		})
	}
	if title != nil {
		res.AST.RemoveChild(res.AST, title)
	}
	bw := bodyWriters.Get().(*bufio.Writer)
	bw.Reset(buf)
	err := bodyRenderer().Render(bw, res.Source, res.AST) // flushed by Render
	bw.Reset(nil)
	bodyWriters.Put(bw)
	return err
}

// bodyWriters are given to goldmark around a body's buffer: given the
// buffer alone, it makes a bufio.Writer of its own for every document.
var bodyWriters = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

// Pages and bodies are rendered into reused buffers and copied out at their
// size: growing a fresh buffer for each of ten thousand pages was a fifth of
// all the build allocated.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 4<<20 {
		return // a rare huge page is not kept
	}
	b.Reset()
	buffers.Put(b)
}

var (
	rendererOnce sync.Once
	rendererVal  renderer.Renderer
)

// bodyRenderer is goldmark's HTML renderer (with the GFM and footnote
// renderers, as extract.NewParser configures) plus plansite's own renderers
// for code blocks and raw HTML. Renderers are safe for concurrent use.
func bodyRenderer() renderer.Renderer {
	rendererOnce.Do(func() {
		md := extract.NewParser()
		r := md.Renderer()
		r.AddOptions(renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{}, 100)))
		rendererVal = r
	})
	return rendererVal
}

// rewriteLink sets a link's or image's destination to what links makes of
// it, and marks it when it is broken.
func rewriteLink(n ast.Node, dest *[]byte, links LinkFunc) {
	href, state := links(string(*dest))
	if _, img := n.(*ast.Image); img && state == LinkSuggested {
		state = LinkBroken // a document is no image
	}
	switch state {
	case LinkSuggested:
		n.SetAttributeString("class", []byte("broken-link"))
		n.SetAttributeString("title", []byte("broken link to "+string(*dest)))
	case LinkBroken:
		n.SetAttributeString(brokenAttr, append([]byte(nil), *dest...))
	}
	*dest = []byte(href)
}

// brokenAttr marks a link or image whose target plansite cannot resolve; the
// renderer shows it as text and never writes the attribute.
const brokenAttr = "data-plansite-broken"

// titleHeadingNode is the heading the document's title was read from, which
// the page prints as its h1 (with the heading's anchor kept there), or nil.
func titleHeadingNode(root ast.Node, d *plan.Doc) ast.Node {
	h := TitleHeading(d)
	if h == nil {
		return nil
	}
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		hn, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		if id, ok := hn.AttributeString("id"); ok {
			if b, ok := id.([]byte); ok && string(b) == h.Anchor {
				return n
			}
		}
		return nil // only the first heading can be the title's
	}
	return nil
}

// TitleHeading is the heading a document's title was read from (its first,
// when the title is that heading's text), or nil.
func TitleHeading(d *plan.Doc) *plan.Heading {
	if d == nil || len(d.Headings) == 0 {
		return nil
	}
	h := d.Headings[0]
	if h.Level > 2 || strings.TrimSpace(extract.StripInline(h.Text)) != strings.TrimSpace(d.Title) {
		return nil
	}
	return h
}

// nodeRenderer overrides code blocks and raw HTML.
type nodeRenderer struct{}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.codeBlock)
	reg.Register(ast.KindCodeBlock, r.codeBlock)
	reg.Register(ast.KindRawHTML, r.rawHTML)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
	reg.Register(ast.KindHeading, r.heading)
	reg.Register(extast.KindTaskCheckBox, r.taskCheckBox)
	reg.Register(ast.KindLink, r.link)
	reg.Register(ast.KindImage, r.image)
}

// defaultFuncs are goldmark's own renderers, for the nodes plansite renders
// as goldmark does unless it marks them.
var defaultFuncs = sync.OnceValue(func() map[ast.NodeKind]renderer.NodeRendererFunc {
	c := captured{}
	ghtml.NewRenderer().RegisterFuncs(c)
	return c
})

type captured map[ast.NodeKind]renderer.NodeRendererFunc

func (c captured) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { c[k] = f }

// link writes a link as goldmark does, or, when its target could not be
// resolved, its text marked broken with the target beside it.
func (r *nodeRenderer) link(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	target, broken := n.AttributeString(brokenAttr)
	if !broken {
		return defaultFuncs()[ast.KindLink](w, src, n, entering)
	}
	if entering {
		_, _ = w.WriteString(`<span class="broken-link">`)
		return ast.WalkContinue, nil
	}
	writeBrokenTarget(w, target)
	_, _ = w.WriteString(`</span>`)
	return ast.WalkContinue, nil
}

// image writes an image as goldmark does, or, when its file could not be
// found, its alternative text marked broken with the target beside it.
func (r *nodeRenderer) image(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	target, broken := n.AttributeString(brokenAttr)
	if !broken {
		return defaultFuncs()[ast.KindImage](w, src, n, entering)
	}
	if !entering {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<span class="broken-link broken-image">`)
	_, _ = w.WriteString(html.EscapeString(plainText(n, src)))
	writeBrokenTarget(w, target)
	_, _ = w.WriteString(`</span>`)
	return ast.WalkSkipChildren, nil
}

func writeBrokenTarget(w util.BufWriter, target any) {
	b, _ := target.([]byte)
	_, _ = w.WriteString(` <span class="broken-target">(broken link: <code>`)
	_, _ = w.WriteString(html.EscapeString(string(b)))
	_, _ = w.WriteString(`</code>)</span>`)
}

// plainText is the text of a node's inline children.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch t := c.(type) {
			case *ast.Text:
				b.Write(t.Segment.Value(src))
			case *ast.String:
				b.Write(t.Value)
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// levelHeading fits a body heading under the page's h1, given the level of
// the heading before it, and returns its level: a document's own h1 becomes
// h2, and no level is skipped (h2 → h4 becomes h2 → h3), so the outline
// stays navigable; the order and nesting are the author's.
func levelHeading(h *ast.Heading, last int) int {
	h.Level = min(max(h.Level, 2), last+1, 6)
	return h.Level
}

// heading writes a heading with its id and a link to itself.
func (r *nodeRenderer) heading(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	h := n.(*ast.Heading)
	if entering {
		_, _ = w.WriteString("<h")
		_ = w.WriteByte(byte('0' + h.Level))
		if h.Attributes() != nil {
			ghtml.RenderAttributes(w, h, ghtml.HeadingAttributeFilter)
		}
		_ = w.WriteByte('>')
		if gh, ok := h.AttributeString(extract.GitHubAnchorAttr); ok {
			// GitHub's anchor too, for links the authors wrote against GitHub.
			if b, ok := gh.([]byte); ok {
				_, _ = w.WriteString(`<span id="`)
				_, _ = w.WriteString(html.EscapeString(string(b)))
				_, _ = w.WriteString(`"></span>`)
			}
		}
		return ast.WalkContinue, nil
	}
	if id, ok := h.AttributeString("id"); ok {
		if b, ok := id.([]byte); ok {
			_, _ = w.WriteString(` <a class="anchor" href="#`)
			_, _ = w.WriteString(html.EscapeString(string(b)))
			_, _ = w.WriteString(`" aria-label="Link to this section">#</a>`)
		}
	}
	_, _ = w.WriteString("</h")
	_ = w.WriteByte(byte('0' + h.Level))
	_, _ = w.WriteString(">\n")
	return ast.WalkContinue, nil
}

// taskCheckBox writes a task-list box with an accessible name.
func (r *nodeRenderer) taskCheckBox(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if n.(*extast.TaskCheckBox).IsChecked {
		_, _ = w.WriteString(`<input type="checkbox" checked disabled aria-label="done"> `)
	} else {
		_, _ = w.WriteString(`<input type="checkbox" disabled aria-label="not done"> `)
	}
	return ast.WalkContinue, nil
}

var formatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))

// codeBlock highlights code with chroma (CSS classes, so light and dark
// styles both apply). Mermaid and unlabelled blocks (ASCII diagrams) are kept
// as plain text, exactly as written.
func (r *nodeRenderer) codeBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	lang := ""
	if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
		lang = strings.ToLower(strings.Fields(string(f.Info.Segment.Value(src)) + " ")[0])
		lang = strings.Trim(lang, "{}.")
	}
	code := codeText(n.Lines(), src)
	switch lang {
	case "mermaid":
		_, _ = w.WriteString(`<pre class="mermaid code-block" data-lang="mermaid"><code>`)
		_, _ = w.WriteString(html.EscapeString(code))
		_, _ = w.WriteString("</code></pre>\n")
		return ast.WalkSkipChildren, nil
	}
	var lexer chroma.Lexer
	if lang != "" && lang != "text" && lang != "plain" && lang != "txt" {
		lexer = lexers.Get(lang)
	}
	langAttr := ""
	if lang != "" {
		langAttr = ` data-lang="` + html.EscapeString(lang) + `"`
	}
	_, _ = w.WriteString(`<pre class="code-block chroma"` + langAttr + `><code>`)
	if lexer == nil || len(code) > maxHighlight {
		_, _ = w.WriteString(html.EscapeString(code))
	} else {
		_, _ = w.WriteString(highlight(lexer, lang, code))
	}
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

// codeText is a code block's text: its lines one after another, copied
// once (lines written one after another in the source, as they mostly are,
// in one piece).
func codeText(lines *text.Segments, src []byte) string {
	if lines.Len() == 0 {
		return ""
	}
	size, whole := 0, true
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		size += s.Len() + s.Padding
		whole = whole && s.Padding == 0 && (i == 0 || s.Start == lines.At(i-1).Stop)
	}
	if whole {
		return string(src[lines.At(0).Start:lines.At(lines.Len()-1).Stop])
	}
	b := make([]byte, 0, size)
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		b = append(b, s.Value(src)...)
	}
	return string(b)
}

// rawHTML shows inline HTML as the text it is: plans write "<T>",
// "<uuid>" and "<living artist>" as prose, and raw HTML is never trusted.
func (r *nodeRenderer) rawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	raw := n.(*ast.RawHTML)
	for i := 0; i < raw.Segments.Len(); i++ {
		s := raw.Segments.At(i)
		v := s.Value(src)
		if bytes.HasPrefix(v, []byte("<!--")) {
			continue
		}
		_, _ = w.WriteString(html.EscapeString(string(v)))
	}
	return ast.WalkSkipChildren, nil
}

// htmlBlock shows a raw HTML block as text; comments are dropped.
func (r *nodeRenderer) htmlBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	b := n.(*ast.HTMLBlock)
	if b.HTMLBlockType == ast.HTMLBlockType2 {
		return ast.WalkSkipChildren, nil // <!-- comment -->
	}
	var buf bytes.Buffer
	lines := b.Lines()
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		buf.Write(s.Value(src))
	}
	if b.HasClosure() {
		buf.Write(b.ClosureLine.Value(src))
	}
	_, _ = w.WriteString("<p class=\"raw-html\">" + html.EscapeString(buf.String()) + "</p>\n")
	return ast.WalkSkipChildren, nil
}

// chromaStyle is only consulted for token types; colours come from the
// theme's CSS classes.
var chromaStyle = func() *chroma.Style {
	s, _ := chroma.NewStyle("plansite", chroma.StyleEntries{})
	return s
}()

// maxHighlight is the largest block highlighted; bigger ones (logs, dumps)
// cost more to lex than they gain from colour.
const maxHighlight = 64 << 10

// highlighted caches chroma's output by language and code: plans repeat the
// same snippets (commands, config), and lexing is the dearest part of a page.
var highlighted = struct {
	sync.Mutex
	m     map[[32]byte]string
	bytes int
}{m: map[[32]byte]string{}}

// maxHighlighted bounds the cache's bytes: it lives as long as the process
// (serve keeps it between rebuilds).
const maxHighlighted = 8 << 20

func highlight(lexer chroma.Lexer, lang, code string) string {
	kb := make([]byte, 0, len(lang)+1+len(code))
	key := sha256.Sum256(append(append(append(kb, lang...), 0), code...))
	highlighted.Lock()
	out, ok := highlighted.m[key]
	highlighted.Unlock()
	if ok {
		return out
	}
	var buf bytes.Buffer
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err == nil {
		err = formatter.Format(&buf, chromaStyle, it)
	}
	if err != nil {
		return html.EscapeString(code)
	}
	out = buf.String()
	highlighted.Lock()
	if highlighted.bytes+len(out) > maxHighlighted {
		clear(highlighted.m) // bounded: start over rather than grow
		highlighted.bytes = 0
	}
	highlighted.m[key] = out
	highlighted.bytes += len(out)
	highlighted.Unlock()
	return out
}
