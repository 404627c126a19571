package workers

import (
	"sync/atomic"
	"testing"
)

func TestEachRunsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		seen := make([]atomic.Int32, n)
		Each(n, func(i int) { seen[i].Add(1) })
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("n=%d: index %d ran %d times", n, i, c)
			}
		}
	}
}

func TestEachOnRunsEveryIndexOnceOnItsWorkers(t *testing.T) {
	for _, workers := range []int{1, 3, 8} {
		seen := make([]atomic.Int32, 100)
		var running, most atomic.Int32
		EachOn(workers, len(seen), func(i int) {
			now := running.Add(1)
			for {
				m := most.Load()
				if now <= m || most.CompareAndSwap(m, now) {
					break
				}
			}
			seen[i].Add(1)
			running.Add(-1)
		})
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("workers=%d: index %d ran %d times", workers, i, c)
			}
		}
		if m := most.Load(); m > int32(workers) {
			t.Errorf("workers=%d: %d ran at once", workers, m)
		}
	}
}
