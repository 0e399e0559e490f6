package future_test

import (
	"fmt"
	"strconv"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// The package doc's example: a done callback runs on the loop, after the
// call that completed the future has returned.
func Example() {
	loop, _ := ioloop.New(ioloop.Config{})
	defer loop.Close()

	f := future.New[int](loop)
	f.AddDoneCallback(func(f *future.Future[int]) {
		v, err := f.Result()
		fmt.Println("callback:", v, err)
		loop.Stop()
	})
	f.SetResult(42)
	fmt.Println("SetResult returned")
	loop.Start()
	// Output:
	// SetResult returned
	// callback: 42 <nil>
}

// Then and Catch build new futures from old ones; their functions run on
// the loop like any done callback.
func ExampleThen() {
	loop, _ := ioloop.New(ioloop.Config{})
	defer loop.Close()

	for _, in := range []string{"42", "forty-two"} {
		v, err := ioloop.RunSync(loop, func() *future.Future[int] {
			parsed := future.Then(future.Resolved(loop, in), strconv.Atoi)
			return future.Catch(parsed, func(err error) (int, error) {
				return -1, nil // recover with a default
			})
		}, 0)
		fmt.Println(in, v, err)
	}
	// Output:
	// 42 42 <nil>
	// forty-two -1 <nil>
}
