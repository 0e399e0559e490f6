package gen_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
)

// Cancelling a coroutine's future stops the coroutine as asyncio's
// Task.cancel does: the wait it is parked in, and every later one, returns
// ErrCancelled.
func TestCancelStopsTheCoroutine(t *testing.T) {
	l := newLoop(t)
	var errs []error
	unwound := false
	runCo(t, l, func(co *gen.Co) error {
		never := future.New[int](l)
		victim := gen.Go(l, func(co *gen.Co) (int, error) {
			defer func() { unwound = true }()
			_, err := gen.Await(co, never)
			errs = append(errs, err)
			_, err = gen.Await(co, future.Resolved(l, 1))
			errs = append(errs, err)
			errs = append(errs, gen.Sleep(co, time.Millisecond), gen.Moment(co))
			return 7, nil
		})
		require.NoError(t, gen.Moment(co)) // the victim parks
		// Cancelled from another goroutine, as Cancel allows.
		go victim.Cancel()
		_, err := gen.Await(co, victim)
		assert.ErrorIs(t, err, future.ErrCancelled)
		assert.True(t, victim.Cancelled(), "the coroutine's return value does not undo the cancel")
		return gen.Moment(co) // let the victim run to its end
	})
	assert.True(t, unwound)
	require.Len(t, errs, 4)
	for _, err := range errs {
		assert.ErrorIs(t, err, gen.ErrCancelled)
	}
}

func TestCancelBeforeStartAndAfterEnd(t *testing.T) {
	l := newLoop(t)
	ran := false
	runCo(t, l, func(co *gen.Co) error {
		f := gen.Go(l, func(co *gen.Co) (int, error) { ran = true; return 1, nil })
		f.Cancel()
		g := gen.Go(l, func(co *gen.Co) (int, error) { return 2, gen.Sleep(co, time.Millisecond) })
		v, err := gen.Await(co, g)
		assert.Equal(t, 2, v)
		assert.NoError(t, err)
		assert.False(t, g.Cancel(), "a finished coroutine cannot be cancelled")
		return gen.Moment(co)
	})
	assert.False(t, ran, "a coroutine cancelled before it started never runs")
}

// RunSync's timeout cancels the coroutine and lets it unwind before it
// returns.
func TestRunSyncTimeoutUnwindsTheCoroutine(t *testing.T) {
	l := newLoop(t)
	var sleepErr error
	unwound := false
	_, err := gen.RunSync(l, func(co *gen.Co) (int, error) {
		defer func() { unwound = true }()
		sleepErr = gen.Sleep(co, time.Hour)
		return 0, sleepErr
	}, 10*time.Millisecond)
	assert.ErrorIs(t, err, gen.ErrTimeout)
	assert.ErrorIs(t, sleepErr, gen.ErrCancelled)
	assert.True(t, unwound, "the coroutine ran its deferred calls before RunSync returned")
}

func TestNilArgumentsPanicWithAMessage(t *testing.T) {
	l := newLoop(t)
	assert.PanicsWithValue(t, "gen: Await called with a nil *Co (call it from a coroutine's function, with the *Co it was given)",
		func() { gen.Await(nil, future.Resolved(l, 1)) })
	assert.Panics(t, func() { gen.Sleep(nil, 0) })
	assert.Panics(t, func() { gen.Moment(nil) })
	runCo(t, l, func(co *gen.Co) error {
		assert.PanicsWithValue(t, "gen: Await called with a nil future", func() { gen.Await[int](co, nil) })
		return nil
	})
}
