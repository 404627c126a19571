package build

import (
	"github.com/plansite/plansite/site/plan"
	"github.com/plansite/plansite/site/render"
)

// The engine's own entries in the cache, in MessagePack: code msgp
// generates (entries_gen.go, with plan's own for the model) reads them
// back several times faster than a JSON decoder, and a rebuild reads ten
// thousand documents' and the record of twenty thousand files.
//
//go:generate go tool msgp -file entries.go -o entries_gen.go -tests=false -io=false -unexported
//msgp:tuple cachedDoc linkUse outputRecord planDocs planDoc docFile
//msgp:shim render.LinkState as:uint8 using:uint8/render.LinkState

// cachedDoc is a document as the cache keeps it: the model as extraction
// made it, and what its body was rendered with. The body is an entry of
// its own (bodyEntry), read only when a page is rendered: a rebuild reads
// every model, and bodies are three times their size.
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

// outputRecord is a file the last build left in the destination.
type outputRecord struct {
	Key   string // key of the page it belongs to
	Hash  string // hash of its content, as the manifest has it (output.HashOf)
	Size  int64
	MTime int64 // UnixNano, as the build left it
}

// outputRecords are the files the last build left, by output path.
type outputRecords map[string]outputRecord

// planDocs is where each document's JSON is in the plan.json a build
// wrote, and the document's key then: the next build copies what did not
// change. Base sums what else a document's JSON depends on.
type planDocs struct {
	Base string
	File string // the hash of the plan.json they describe, as the manifest has it
	Docs map[string]planDoc
}

type planDoc struct {
	Key string
	Off int64
	Len int
}

// docFile is what a build knew of a document's file: its identity and
// times, and the content hash they vouch for. A file whose size, times and
// inode are the ones recorded is not read to be hashed again (git's index
// does the same): on a large site reading every document only to find it
// unchanged was a tenth of a rebuild.
type docFile struct {
	Size  int64
	MTime int64
	CTime int64 // the change time, which no one sets back
	Ino   uint64
	Sum   string
}

// docFiles are what a build knew of the documents' files, by source path.
type docFiles map[string]docFile
