// Package parallel runs independent pieces of work on every processor:
// stacks rendered, validated or diffed one per processor at a time.
package parallel

import (
	"runtime"
	"sync"
)

// ForEach calls do(0) ... do(n-1), one per processor at a time, and returns
// when every call has. do writes its result to its own index: the caller
// keeps the order.
func ForEach(n int, do func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := range next {
				do(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
