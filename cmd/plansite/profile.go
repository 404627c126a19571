package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"runtime/trace"
	"strings"

	"github.com/plansite/plansite/site/build"
)

// profileEnv names a file to write a CPU profile of this process to: the
// whole command as users run it, which an in-process benchmark does not
// see (start-up, flag parsing, the exit).
const profileEnv = "PLANSITE_CPUPROFILE"

// memProfileEnv names a file prefix for heap profiles of what a build holds
// where it holds the most (build.Checkpoint): PREFIX-read.pprof once the
// model is linked, PREFIX-render.pprof with half the pages rendered, and
// PREFIX-ready.pprof once serve serves. Each follows a collection, so its
// in-use figures are the live heap.
const memProfileEnv = "PLANSITE_MEMPROFILE"

// traceEnv names a file to write an execution trace of this process to
// (go tool trace): where a build waits, which profiles do not show.
const traceEnv = "PLANSITE_TRACE"

// stageReady is serve's heap profile: the model and pages it keeps.
const stageReady = "ready"

// profileFromEnv starts the CPU profile PLANSITE_CPUPROFILE asks for, the
// execution trace PLANSITE_TRACE asks for and the heap profiles
// PLANSITE_MEMPROFILE asks for, and returns what stops them.
func profileFromEnv() (stop func()) {
	if prefix := os.Getenv(memProfileEnv); prefix != "" {
		build.Checkpoint = func(stage string) { writeHeapProfile(prefix + "-" + stage + ".pprof") }
	}
	stopCPU := startToFile(profileEnv, pprof.StartCPUProfile, pprof.StopCPUProfile)
	stopTrace := startToFile(traceEnv, trace.Start, trace.Stop)
	return func() {
		stopTrace()
		stopCPU()
	}
}

// startToFile starts a recording into the file the environment variable
// env names, if it names one, and returns what stops it.
func startToFile(env string, start func(io.Writer) error, stop func()) func() {
	p := os.Getenv(env)
	if p == "" {
		return func() {}
	}
	f, err := os.Create(p)
	if err == nil {
		err = start(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "plansite: %s: %v\n", env, err)
		return func() {}
	}
	return func() {
		stop()
		f.Close()
	}
}

// writeHeapProfile collects, then writes the heap profile to path, and
// says where the process's memory is (runtime/metrics' classes) before the
// collection: what the soft memory limit counts besides the live heap.
func writeHeapProfile(path string) {
	memoryClasses(path)
	runtime.GC()
	f, err := os.Create(path)
	if err == nil {
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "plansite: %s: %v\n", memProfileEnv, err)
	}
}

// memoryClasses prints the runtime's memory classes in MB, on one line.
func memoryClasses(label string) {
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if strings.HasPrefix(d.Name, "/memory/classes/") && d.Kind == metrics.KindUint64 {
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	metrics.Read(samples)
	var b strings.Builder
	for _, s := range samples {
		if v := s.Value.Uint64(); v >= 1<<20 {
			fmt.Fprintf(&b, " %s=%d", strings.TrimSuffix(strings.TrimPrefix(s.Name, "/memory/classes/"), ":bytes"), v>>20)
		}
	}
	fmt.Fprintf(os.Stderr, "plansite: %s: memory (MB):%s\n", label, b.String())
}
