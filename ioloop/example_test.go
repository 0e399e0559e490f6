package ioloop_test

import (
	"fmt"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// The package doc's smallest use: a timed callback that stops the loop.
func Example() {
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		panic(err)
	}
	defer loop.Close()
	loop.AddCallback(func() { fmt.Println("callback") })
	loop.CallLater(10*time.Millisecond, func() {
		fmt.Println("tick")
		loop.Stop()
	})
	loop.Start()
	// Output:
	// callback
	// tick
}

// A PeriodicCallback runs every interval until stopped; here it stops the
// loop on its third call.
func ExamplePeriodicCallback() {
	loop, _ := ioloop.New(ioloop.Config{})
	defer loop.Close()
	n := 0
	var pc *ioloop.PeriodicCallback
	pc = ioloop.NewPeriodicCallback(loop, func() {
		n++
		fmt.Println("call", n)
		if n == 3 {
			pc.Stop()
			loop.Stop()
		}
	}, 5*time.Millisecond)
	pc.Start()
	loop.Start()
	// Output:
	// call 1
	// call 2
	// call 3
}

// RunSync runs the loop until a future is done: here, blocking work on the
// loop's executor, whose result comes back on the loop.
func ExampleRunSync() {
	loop, _ := ioloop.New(ioloop.Config{})
	defer loop.Close()
	v, err := ioloop.RunSync(loop, func() *future.Future[int] {
		return ioloop.RunInExecutor(loop, nil, func() (int, error) {
			return 6 * 7, nil // a blocking call would go here
		})
	}, time.Second)
	fmt.Println(v, err)
	// Output: 42 <nil>
}
