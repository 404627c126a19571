package serve

import (
	"os"
	"runtime/debug"
)

// serve holds the whole site for as long as it runs. Left to GOGC alone
// its heap grows to twice what is live, and after the first build the
// garbage of building every page stays with the process. A soft limit
// sized to the site makes the collector work harder near it instead, and
// the memory the first build used is handed back before serving.
const (
	minServeMemory    = 512 << 20
	serveMemoryPerDoc = 80 << 10
)

// limitMemory sets the soft memory limit for serving docs documents, unless
// the user set GOMEMLIMIT.
func limitMemory(docs int) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(max(minServeMemory, int64(docs)*serveMemoryPerDoc))
}
