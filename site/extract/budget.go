package extract

import (
	"bytes"
	"time"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/plansite/plansite/site/plan"
)

// A document's budget. goldmark's time grows faster than the size of deeply
// nested lists and block quotes (80 KB of "- - - …" took 13 s, a list 3,000
// deep did not finish in minutes), and one such document must not stall the
// build or the server: past its budget a document is shown as preformatted
// text with an error problem, and everything else builds.
const (
	// MaxDepth is the deepest nesting of lists and block quotes parsed, as
	// written at the start of a line; real plans stay under ten.
	MaxDepth = 100
	// CodeTooComplex is the problem of a document over its budget.
	CodeTooComplex = plan.CodeTooComplex
)

// parseBudget is how long parsing one document may take (a variable so
// that tests can shorten it).
var parseBudget = 10 * time.Second

// parse parses src within its budget. Over it, the document is read as
// preformatted text and the walker gets an error problem.
func (w *walker) parse(src []byte) ast.Node {
	if depth, line := nestingDepth(src, w.lineStarts); depth > MaxDepth {
		w.problem(line, plan.SevError, CodeTooComplex,
			"lists or block quotes nested %d deep, over the limit of %d; shown as plain text", depth, MaxDepth)
		return plainDocument(src)
	}
	done := make(chan ast.Node, 1)
	go func() {
		ctx := parser.NewContext(parser.WithIDs(newAnchorIDs()))
		done <- parserOf(src).Parse(text.NewReader(src), parser.WithContext(ctx))
	}()
	timer := time.NewTimer(parseBudget)
	defer timer.Stop()
	select {
	case root := <-done:
		return root
	case <-timer.C:
		// The parse cannot be stopped; it finishes on its own, unseen.
		w.problem(1, plan.SevError, CodeTooComplex,
			"reading it as Markdown took over %s; shown as plain text", parseBudget)
		return plainDocument(src)
	}
}

// nestingDepth is an upper bound of the deepest nesting of lists and block
// quotes in src, and the first line deeper than MaxDepth (else the first
// line as deep as the deepest): on each line, every
// ">" and list marker it opens with, or its indentation in pairs of columns
// when it opens a list item or a quote. starts are src's lineStarts.
func nestingDepth(src []byte, starts []int32) (depth, line int) {
	if len(src) == 0 {
		return 0, 0
	}
	for k, start := range starts {
		n, end := k+1, len(src)
		if n < len(starts) {
			end = int(starts[n]) - 1
		} else if src[end-1] == '\n' {
			end--
		}
		d := lineDepth(src[start:end])
		if d > depth && (depth <= MaxDepth || line == 0) {
			line = n
		}
		depth = max(depth, d)
	}
	return depth, line
}

func lineDepth(l []byte) int {
	markers, col, indent := 0, 0, -1
	for i := 0; i < len(l); {
		switch c := l[i]; {
		case c == ' ':
			col++
			i++
			continue
		case c == '\t':
			col += 4 - col%4
			i++
			continue
		case c == '>':
			i++
		case (c == '-' || c == '*' || c == '+') && (i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t'):
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(l) && j-i < 9 && l[j] >= '0' && l[j] <= '9' {
				j++
			}
			if j < len(l) && (l[j] == '.' || l[j] == ')') && (j+1 == len(l) || l[j+1] == ' ' || l[j+1] == '\t') {
				i = j + 1
				break
			}
			return max(markers, indent/2+min(markers, 1))
		default:
			return max(markers, indent/2+min(markers, 1))
		}
		if indent < 0 {
			indent = col // the indentation of the line's first marker
		}
		markers++
		col++
	}
	return max(markers, indent/2+min(markers, 1))
}

// plainDocument is src as one code block: what a document over its budget
// shows, read in linear time.
func plainDocument(src []byte) ast.Node {
	doc := ast.NewDocument()
	cb := ast.NewCodeBlock()
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off + 1
		}
		cb.Lines().Append(text.NewSegment(off, end))
		off = end
	}
	doc.AppendChild(doc, cb)
	return doc
}
