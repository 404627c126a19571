package build

import (
	"os"
	"runtime/debug"
)

// A build holds the whole model (about 13 KB a document, compacted into an
// arena: plan.Arena) and, briefly, the pages in flight. Left to GOGC alone
// the heap grows to twice what is live and the garbage of ten thousand
// pages takes it far past that; a soft limit makes the collector work
// harder instead as the heap nears it.
const (
	minMemoryLimit = 256 << 20
	// A build's live heap at its peak is about 18 KB a document (the model,
	// the search index's postings, the pages in flight; PLANSITE_MEMPROFILE
	// shows it), and the limit counts the heap's free room in its spans too
	// (heap/unused: 47 MB at 10,000 documents once the model sits in an
	// arena, 72 MB before). At 24 KB a document the collector had no room
	// and ran without pause (43% of the CPU at 10,000 documents). Measured
	// with gctrace on a cold build of 10,000 documents once a build made
	// less garbage: at 32 KB it ran 70-74 times, 3.7-4.0 s of CPU, 332-349
	// MB resident; at 34 KB 60 times, 3.5 s, 351 MB; at 35 KB 59-62
	// times, 2.7-2.8 s, 370-372 MB; at 36 KB 53 times, 2.5-2.7 s, 371-378
	// MB. 35 KB leaves room under the 400 MB a build of 10,000 documents
	// may take.
	memoryLimitPerDoc  = 35 << 10
	memoryLimitEnvName = "GOMEMLIMIT"
)

// memoryLimitFor is the soft limit for a build of docs documents: 256 MB,
// or more for a site whose model alone would come near that, so a very large
// site is never starved into collecting without end.
func memoryLimitFor(docs int) int64 {
	return max(minMemoryLimit, int64(docs)*memoryLimitPerDoc)
}

// buildGCPercent lets the heap grow to five times what is live before a
// collection, where GOGC's default is twice: under the limit a build
// spends its memory on fewer collections (12% faster at 10,000 documents),
// and the limit still caps it.
const buildGCPercent = 400

// LimitMemory sets the runtime's soft memory limit for a build of docs
// documents, and a GC percent that relies on it, and returns the function
// that restores both. A GOMEMLIMIT set by the user wins: then it does
// nothing; a GOGC set by the user is kept.
func LimitMemory(docs int) (restore func()) {
	if os.Getenv(memoryLimitEnvName) != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(memoryLimitFor(docs))
	setGC := os.Getenv("GOGC") == ""
	prevGC := 0
	if setGC {
		prevGC = debug.SetGCPercent(buildGCPercent)
	}
	return func() {
		debug.SetMemoryLimit(prev)
		if setGC {
			debug.SetGCPercent(prevGC)
		}
	}
}

// Checkpoint, when set, is called where a build holds the most: once the
// model is read and linked (StageRead) and with half the documents' pages
// rendered (StageRender). The CLI's PLANSITE_MEMPROFILE writes a heap
// profile at each; a build without it pays one nil check.
var Checkpoint func(stage string)

// The stages Checkpoint is called at.
const (
	StageRead   = "read"
	StageRender = "render"
)

func checkpoint(stage string) {
	if Checkpoint != nil {
		Checkpoint(stage)
	}
}
