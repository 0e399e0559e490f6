package gen_test

import (
	"fmt"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

// The README's tour: timed callbacks, coroutines that sleep, blocking work
// on the executor, and All.
func ExampleRunSync() {
	loop, _ := ioloop.New(ioloop.Config{})
	defer loop.Close()

	ticks := 0
	tick := ioloop.NewPeriodicCallback(loop, func() { ticks++ }, 5*time.Millisecond)

	names, err := gen.RunSync(loop, func(co *gen.Co) ([]string, error) {
		tick.Start()
		defer tick.Stop()
		nap := func(name string, d time.Duration) *future.Future[string] {
			return gen.Go(loop, func(co *gen.Co) (string, error) {
				return name, gen.Sleep(co, d) // parks this coroutine, not the loop
			})
		}
		sum := ioloop.RunInExecutor(loop, nil, func() (int, error) { return 6 * 7, nil })
		v, err := gen.Await(co, sum)
		if err != nil {
			return nil, err
		}
		fmt.Println("executor:", v)
		return gen.Await(co, gen.All(loop, nap("b", 20*time.Millisecond), nap("a", 10*time.Millisecond)))
	}, 5*time.Second)
	fmt.Println(names, err, ticks > 0)
	// Output:
	// executor: 42
	// [b a] <nil> true
}

// A WaitIterator hands out outcomes in the order the futures complete, not
// the order they were given.
func ExampleNewWaitIterator() {
	loop, _ := ioloop.New(ioloop.Config{})
	defer loop.Close()
	_, err := gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		slow := gen.After(loop, 30*time.Millisecond)
		fast := gen.After(loop, 10*time.Millisecond)
		it := gen.NewWaitIterator(loop, slow, fast)
		for !it.Done() {
			_, err := it.Next(co)
			fmt.Println("done:", []string{"slow", "fast"}[it.CurrentIndex()], err)
		}
		return struct{}{}, nil
	}, time.Second)
	fmt.Println(err)
	// Output:
	// done: fast <nil>
	// done: slow <nil>
	// <nil>
}
