package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// profileEnv names a file to write a CPU profile of this process to: the
// whole command as users run it, which an in-process benchmark does not
// see (start-up, flag parsing, the exit).
const profileEnv = "PLANSITE_CPUPROFILE"

// profileFromEnv starts the CPU profile PLANSITE_CPUPROFILE asks for and
// returns what stops it.
func profileFromEnv() (stop func()) {
	p := os.Getenv(profileEnv)
	if p == "" {
		return func() {}
	}
	f, err := os.Create(p)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "plansite: %s: %v\n", profileEnv, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
