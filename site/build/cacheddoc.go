package build

import (
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/render"
)

// cachedDoc is a document as the cache keeps it: the model as extraction
// made it, and what its body was rendered with. The entry is its
// MessagePack (code msgp generates, cacheddoc_gen.go, with plan's own);
// the body is an entry of its own (bodyEntry), read only when a page is
// rendered: a rebuild reads every model, and bodies are three times their
// size.
//
//go:generate go tool msgp -file cacheddoc.go -o cacheddoc_gen.go -tests=false -io=false -unexported
//msgp:tuple cachedDoc linkUse
//msgp:shim render.LinkState as:uint8 using:uint8/render.LinkState
type cachedDoc struct {
	Doc        *plan.Doc
	PrevTarget string
	NextTarget string
	Body       string    // sha256 of the rendered body, hex
	Links      []linkUse // every link target of the body and what it rendered to
}

// linkUse is one link target of a body and how it was rendered: the body
// is good for another build only while every target renders the same.
type linkUse struct {
	Target string
	Href   string
	State  render.LinkState
}
