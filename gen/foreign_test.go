package gen_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

// otherLoop starts a second loop on its own goroutine for the test and
// returns it with a function that makes a future of it, completed with v
// by a timer of that loop after d.
func otherLoop(t *testing.T) (*ioloop.IOLoop, func(d time.Duration, v int) *future.Future[int]) {
	t.Helper()
	other := newLoop(t)
	started := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		other.AddCallback(func() { close(started) })
		other.Start()
	}()
	<-started
	t.Cleanup(func() {
		other.Stop()
		<-stopped
	})
	return other, func(d time.Duration, v int) *future.Future[int] {
		f := future.New[int](other)
		other.AddCallback(func() { other.CallLater(d, func() { f.SetResult(v) }) })
		return f
	}
}

// Fault 2 of issue 10: the combinators ran their done callbacks on the
// scheduler of the futures they watch, so with a future of another loop
// WithTimeout called RemoveTimeout on that loop's goroutine (Debug panics
// there; -race reports it), and All, Any and WaitIterator touched their
// state from it. They hop to their own loop, as Await does.
func TestCombinatorsTakeFuturesOfAnotherLoop(t *testing.T) {
	l, err := ioloop.New(ioloop.Config{Debug: true})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	_, foreign := otherLoop(t)
	runCo(t, l, func(co *gen.Co) error {
		v, err := gen.Await(co, gen.WithTimeout(l, time.Hour, foreign(time.Millisecond, 1)))
		assert.NoError(t, err)
		assert.Equal(t, 1, v)

		vs, err := gen.Await(co, gen.All(l, later(l, 2*time.Millisecond, 2), foreign(2*time.Millisecond, 3), foreign(time.Millisecond, 4)))
		assert.NoError(t, err)
		assert.Equal(t, []int{2, 3, 4}, vs)

		v, err = gen.Await(co, gen.Any(l, foreign(time.Millisecond, 5), future.New[int](l)))
		assert.NoError(t, err)
		assert.Equal(t, 5, v)

		it := gen.NewWaitIterator(l, foreign(3*time.Millisecond, 6), later(l, 2*time.Millisecond, 7), foreign(time.Millisecond, 8))
		var got []int
		for !it.Done() {
			v, err := it.Next(co)
			assert.NoError(t, err)
			got = append(got, v)
		}
		assert.ElementsMatch(t, []int{6, 7, 8}, got)
		return nil
	})
}
