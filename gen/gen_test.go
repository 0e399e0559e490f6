package gen_test

import (
	"errors"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

func newLoop(t *testing.T) *ioloop.IOLoop {
	t.Helper()
	l, err := ioloop.New(ioloop.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

// runCo runs body as a coroutine to completion, failing the test on error.
func runCo(t *testing.T, l *ioloop.IOLoop, body func(co *gen.Co) error) {
	t.Helper()
	_, err := gen.RunSync(l, func(co *gen.Co) (struct{}, error) { return struct{}{}, body(co) }, 10*time.Second)
	require.NoError(t, err)
}

// later returns a future that a callback completes with v after d.
func later[T any](l *ioloop.IOLoop, d time.Duration, v T) *future.Future[T] {
	f := future.New[T](l)
	l.CallLater(d, func() { f.SetResult(v) })
	return f
}

func TestGoStartsLaterAndNeverBlocksCaller(t *testing.T) {
	l := newLoop(t)
	var order []string
	runCo(t, l, func(co *gen.Co) error {
		f := gen.Go(l, func(co *gen.Co) (int, error) {
			order = append(order, "coroutine")
			return 1, nil
		})
		order = append(order, "caller")
		v, err := gen.Await(co, f)
		assert.Equal(t, 1, v)
		return err
	})
	assert.Equal(t, []string{"caller", "coroutine"}, order)
}

// Await of a done future does not yield to the loop: a callback queued
// before it has not run when it returns.
func TestAwaitDoneFutureDoesNotYield(t *testing.T) {
	l := newLoop(t)
	runCo(t, l, func(co *gen.Co) error {
		ran := false
		l.AddCallback(func() { ran = true })
		v, err := gen.Await(co, future.Resolved(l, "x"))
		assert.Equal(t, "x", v)
		assert.False(t, ran, "Await of a done future yielded to the loop")
		require.NoError(t, gen.Moment(co))
		assert.True(t, ran, "Moment lets queued callbacks run")
		return err
	})
}

func TestAwaitPendingFutureAndError(t *testing.T) {
	l := newLoop(t)
	boom := errors.New("boom")
	runCo(t, l, func(co *gen.Co) error {
		v, err := gen.Await(co, later(l, time.Millisecond, 5))
		require.NoError(t, err)
		assert.Equal(t, 5, v)
		failed := future.New[int](l)
		l.AddCallback(func() { failed.SetError(boom) })
		_, err = gen.Await(co, failed)
		assert.ErrorIs(t, err, boom)
		return nil
	})
}

func TestPanicBecomesPanicError(t *testing.T) {
	l := newLoop(t)
	runCo(t, l, func(co *gen.Co) error {
		_, err := gen.Await(co, gen.Go(l, func(co *gen.Co) (int, error) {
			gen.Sleep(co, time.Millisecond)
			var m map[string]int
			m["x"] = 1 // nil map write
			return 0, nil
		}))
		var pe *gen.PanicError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, string(pe.Stack), "gen_test.go")
		return nil
	})
}

func TestSleepParksWhileOthersRun(t *testing.T) {
	l := newLoop(t)
	var order []string
	runCo(t, l, func(co *gen.Co) error {
		a := gen.Go(l, func(co *gen.Co) (int, error) {
			order = append(order, "a start")
			err := gen.Sleep(co, 20*time.Millisecond)
			order = append(order, "a end")
			return 0, err
		})
		b := gen.Go(l, func(co *gen.Co) (int, error) {
			order = append(order, "b start")
			err := gen.Sleep(co, time.Millisecond)
			order = append(order, "b end")
			return 0, err
		})
		_, err := gen.Await(co, gen.All(l, a, b))
		return err
	})
	assert.Equal(t, []string{"a start", "b start", "b end", "a end"}, order)
}

func TestAll(t *testing.T) {
	l := newLoop(t)
	e1, e2 := errors.New("first"), errors.New("second")
	runCo(t, l, func(co *gen.Co) error {
		vs, err := gen.Await(co, gen.All(l, []*future.Future[int]{
			later(l, 5*time.Millisecond, 1), later(l, time.Millisecond, 2), future.Resolved(l, 3),
		}...))
		require.NoError(t, err)
		assert.Equal(t, []int{1, 2, 3}, vs, "results in input order, not completion order")

		vs, err = gen.Await(co, gen.All[int](l))
		require.NoError(t, err)
		assert.Empty(t, vs)

		slow := later(l, 5*time.Millisecond, 9)
		_, err = gen.Await(co, gen.All(l, []*future.Future[int]{
			slow, future.Failed[int](l, e2), future.Failed[int](l, e1),
		}...))
		assert.ErrorIs(t, err, e2, "the first failure in input order")
		assert.True(t, slow.Done(), "All waits for every future, as Tornado's multi")

		m, err := gen.Await(co, gen.AllMap(l, map[string]*future.Future[int]{
			"a": later(l, time.Millisecond, 1), "b": future.Resolved(l, 2),
		}))
		require.NoError(t, err)
		assert.Equal(t, map[string]int{"a": 1, "b": 2}, m)
		return nil
	})
}

func TestAnyAndWithTimeout(t *testing.T) {
	l := newLoop(t)
	runCo(t, l, func(co *gen.Co) error {
		v, err := gen.Await(co, gen.Any(l, later(l, 30*time.Millisecond, "slow"), later(l, time.Millisecond, "fast")))
		require.NoError(t, err)
		assert.Equal(t, "fast", v)

		never := future.New[int](l)
		_, err = gen.Await(co, gen.WithTimeout(l, 5*time.Millisecond, never))
		assert.ErrorIs(t, err, gen.ErrTimeout)
		assert.ErrorIs(t, err, ioloop.ErrTimeout)
		assert.False(t, never.Done(), "the inner future is not cancelled")

		v2, err := gen.Await(co, gen.WithTimeout(l, time.Second, later(l, time.Millisecond, 4)))
		require.NoError(t, err)
		assert.Equal(t, 4, v2)

		_, err = gen.Await(co, gen.After(l, time.Millisecond))
		return err
	})
}

func TestWaitIteratorYieldsInCompletionOrder(t *testing.T) {
	l := newLoop(t)
	boom := errors.New("boom")
	type got struct {
		index int
		value int
		err   error
	}
	var results []got
	runCo(t, l, func(co *gen.Co) error {
		failing := future.New[int](l)
		l.CallLater(10*time.Millisecond, func() { failing.SetError(boom) })
		it := gen.NewWaitIterator(l,
			later(l, 20*time.Millisecond, 0),
			later(l, time.Millisecond, 1),
			failing,
			future.Resolved(l, 3),
		)
		assert.Equal(t, -1, it.CurrentIndex())
		for !it.Done() {
			v, err := it.Next(co)
			results = append(results, got{it.CurrentIndex(), v, err})
		}
		_, err := it.Next(co)
		assert.ErrorIs(t, err, gen.ErrIteratorDone)
		return nil
	})
	assert.Equal(t, []got{{3, 3, nil}, {1, 1, nil}, {2, 0, boom}, {0, 0, nil}}, results)
}

// A future completed on another loop resumes the coroutine on its own.
func TestAwaitFutureOfAnotherLoop(t *testing.T) {
	l := newLoop(t)
	other := newLoop(t)
	f := future.New[int](other)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		other.AddCallback(func() { other.CallLater(5*time.Millisecond, func() { f.SetResult(11) }) })
		other.Start()
	}()
	runCo(t, l, func(co *gen.Co) error {
		v, err := gen.Await(co, f)
		assert.Equal(t, 11, v)
		return err
	})
	other.Stop()
	<-stopped
}

func TestRunSyncTimeout(t *testing.T) {
	l := newLoop(t)
	_, err := gen.RunSync(l, func(co *gen.Co) (int, error) {
		return 0, gen.Sleep(co, time.Hour)
	}, 10*time.Millisecond)
	assert.ErrorIs(t, err, gen.ErrTimeout)
}

// Sleep resumes in a callback after its timeout fires, so the done
// callbacks of futures that earlier timeouts completed have run (Tornado's
// order).
func TestSleepResumesAfterEarlierTimeoutsCallbacks(t *testing.T) {
	l := newLoop(t)
	runCo(t, l, func(co *gen.Co) error {
		f := future.New[int](l)
		l.CallLater(10*time.Millisecond, func() { f.SetResult(1) })
		ran := false
		f.OnDone(func() { ran = true })
		require.NoError(t, gen.Sleep(co, 10*time.Millisecond))
		assert.True(t, ran)
		return nil
	})
}

// Fault 6 of issue 10, in a coroutine: runtime.Goexit (t.FailNow, require)
// fails the coroutine's future with future.ErrGoexit, before or after an
// Await, and the loop goes on.
func TestGoexitFailsTheCoroutine(t *testing.T) {
	l, err := ioloop.New(ioloop.Config{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	defer l.Close()
	runCo(t, l, func(co *gen.Co) error {
		early := gen.Go(l, func(co *gen.Co) (int, error) {
			runtime.Goexit()
			return 1, nil
		})
		late := gen.Go(l, func(co *gen.Co) (int, error) {
			if err := gen.Sleep(co, time.Millisecond); err != nil {
				return 0, err
			}
			runtime.Goexit()
			return 2, nil
		})
		_, err := gen.Await(co, early)
		assert.ErrorIs(t, err, future.ErrGoexit)
		_, err = gen.Await(co, late)
		assert.ErrorIs(t, err, future.ErrGoexit)
		return gen.Sleep(co, time.Millisecond)
	})
}
