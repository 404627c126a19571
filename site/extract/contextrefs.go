package extract

import (
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// GSD plans name the files an agent must read as context references, one a
// line and relative to the repository root: "@.planning/STATE.md",
// "@src/types.ts (ServerContext)". They are links to those files: the AST
// gets a link node for each, so the page links them and the link pass
// resolves them (and reports those it cannot) like any other link. A path
// on the author's machine ("@~/.claude/…", "@/Users/…") is not the
// repository's and stays text.

// contextRefs makes links of the context references in the document's
// paragraphs and HTML blocks (GSD's <context> block is one).
func (w *walker) contextRefs() {
	var blocks []ast.Node
	_ = ast.Walk(w.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Paragraph, *ast.TextBlock, *ast.HTMLBlock:
			blocks = append(blocks, n)
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, b := range blocks {
		if h, ok := b.(*ast.HTMLBlock); ok {
			w.htmlContextRefs(h)
		} else {
			w.inlineContextRefs(b)
		}
	}
}

// contextRef reads a reference at the start of a line: the path after "@",
// up to the first space. ok is false for anything else, a path on the
// author's machine included.
func contextRef(line []byte) (ref string, ok bool) {
	if len(line) < 2 || line[0] != '@' {
		return "", false
	}
	end := 1
	for end < len(line) && line[end] != ' ' && line[end] != '\t' && line[end] != '\n' {
		end++
	}
	ref = string(line[1:end])
	switch {
	case strings.HasPrefix(ref, "/"), strings.HasPrefix(ref, "~"):
		return "", false
	case !strings.ContainsAny(ref, "./"):
		return "", false // "@mention", not a file
	}
	return ref, true
}

// contextTarget is a repository-root path as a link from the document:
// ".planning/STATE.md" from ".planning/phases/08-x/08-02-PLAN.md" is
// "../../STATE.md". The root is the directory holding .planning/, else the
// source root.
func (w *walker) contextTarget(ref string) string {
	dir, root := path.Dir(w.doc.Source), "."
	if i := strings.Index("/"+w.doc.Source, "/.planning/"); i > 0 {
		root = w.doc.Source[:i-1]
	}
	rest := dir
	if root != "." {
		rest = strings.TrimPrefix(strings.TrimPrefix(dir, root), "/")
	}
	depth := 0
	if rest != "." && rest != "" {
		depth = strings.Count(rest, "/") + 1
	}
	return strings.Repeat("../", depth) + ref
}

// newContextLink is a link node for ref whose text is the source span
// [start, end) ("@path").
func (w *walker) newContextLink(ref string, start, end int) *ast.Link {
	l := ast.NewLink()
	l.Destination = []byte(w.contextTarget(ref))
	l.AppendChild(l, ast.NewTextSegment(text.NewSegment(start, end)))
	if w.contextLinks == nil {
		w.contextLinks = map[*ast.Link]bool{}
	}
	w.contextLinks[l] = true
	return l
}

// inlineContextRefs links the references that open a line of a paragraph:
// the text at a line's start is cut where the path ends, and the link put
// before the rest.
func (w *walker) inlineContextRefs(p ast.Node) {
	lineStart := true
	for c := p.FirstChild(); c != nil; {
		t, ok := c.(*ast.Text)
		if !ok {
			lineStart = false
			c = c.NextSibling()
			continue
		}
		if lineStart {
			if ref, ok := contextRef(w.src[t.Segment.Start:]); ok {
				end := t.Segment.Start + 1 + len(ref)
				p.InsertBefore(p, t, w.newContextLink(ref, t.Segment.Start, end))
				t = trimLineStart(p, t, end)
			}
		}
		lineStart = t.SoftLineBreak() || t.HardLineBreak()
		c = t.NextSibling()
	}
}

// trimLineStart drops the source before end from t and the text nodes after it
// on its line (a path such as "screenshot_helper.gd" spans several); it
// returns the node left holding the rest of the line.
func trimLineStart(p ast.Node, t *ast.Text, end int) *ast.Text {
	for {
		nx, _ := t.NextSibling().(*ast.Text)
		if t.Segment.Stop > end || t.SoftLineBreak() || t.HardLineBreak() || nx == nil {
			t.Segment = text.NewSegment(min(max(end, t.Segment.Start), t.Segment.Stop), t.Segment.Stop)
			return t
		}
		p.RemoveChild(p, t)
		t = nx
	}
}

// htmlContextRefs turns an HTML block holding references ("<context>" and
// its lines) into a paragraph of its lines as text, the references linked:
// it is shown as written, as every HTML block is, with links.
func (w *walker) htmlContextRefs(h *ast.HTMLBlock) {
	lines := h.Lines()
	found := false
	for i := 0; i < lines.Len(); i++ {
		if seg := lines.At(i); func() bool { _, ok := contextRef(seg.Value(w.src)); return ok }() {
			found = true
			break
		}
	}
	if !found {
		return
	}
	p := ast.NewParagraph()
	p.SetAttributeString("class", []byte("raw-html"))
	addLine := func(seg text.Segment, last bool) {
		v := seg.Value(w.src)
		stop := seg.Start + len(strings.TrimRight(string(v), "\n"))
		if ref, ok := contextRef(v); ok {
			end := seg.Start + 1 + len(ref)
			p.AppendChild(p, w.newContextLink(ref, seg.Start, end))
			seg = text.NewSegment(end, stop)
		} else {
			seg = text.NewSegment(seg.Start, stop)
		}
		t := ast.NewTextSegment(seg)
		t.SetHardLineBreak(!last)
		p.AppendChild(p, t)
	}
	closure := h.HasClosure()
	for i := 0; i < lines.Len(); i++ {
		addLine(lines.At(i), i == lines.Len()-1 && !closure)
	}
	if closure {
		addLine(h.ClosureLine, true)
	}
	parent := h.Parent()
	parent.ReplaceChild(parent, h, p)
}
