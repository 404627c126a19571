// Package workers runs the same work over many items on every core.
package workers

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each runs f(0…n-1) on every core, each index once, and returns when all
// have run.
func Each(n int, f func(i int)) { EachOn(runtime.GOMAXPROCS(0), n, f) }

// EachOn is Each on the given number of workers.
func EachOn(workers, n int, f func(i int)) {
	workers = min(workers, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}
