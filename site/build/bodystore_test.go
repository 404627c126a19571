package build

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

// Bodies past the memory budget go to the spool file and come back intact,
// each once, from concurrent workers.
func TestBodyStoreSpools(t *testing.T) {
	s := newBodyStore(t.TempDir(), 100)
	defer s.close()
	body := func(i int) []byte { return bytes.Repeat([]byte(fmt.Sprintf("<p>%d</p>", i)), i+1) }
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.put(fmt.Sprint(i), body(i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if s.spool == nil || len(s.spans) == 0 || len(s.mem) == 0 {
		t.Fatalf("want some bodies in memory and some spooled: %d in memory, %d spooled", len(s.mem), len(s.spans))
	}
	for i := range 50 {
		got, err := s.take(fmt.Sprint(i))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, body(i)) {
			t.Fatalf("body %d: %q", i, got)
		}
	}
	if _, err := s.take("missing"); err == nil {
		t.Error("a body never put was returned")
	}
}
