package ioloop_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// Fault 6 of issue 10: runtime.Goexit in a callback (what t.FailNow and
// require call) ended the goroutine holding the loop role; Start never
// returned and Close answered ErrRunning for ever. Now it is logged like a
// panic and the loop goes on.
func TestGoexitInCallbackIsLoggedAndLoopGoesOn(t *testing.T) {
	rec := newRecords()
	l, err := ioloop.New(ioloop.Config{Logger: slogger(rec)})
	require.NoError(t, err)
	var after []string
	run(t, l, func(done func()) {
		l.AddCallback(func() { runtime.Goexit() })
		l.CallLater(0, func() { runtime.Goexit() })
		l.AddCallback(func() { after = append(after, "callback") })
		l.CallLater(time.Millisecond, func() {
			after = append(after, "timeout")
			done()
		})
	})
	assert.Equal(t, []string{"callback", "timeout"}, after)
	line := rec.waitFor(t, "runtime.Goexit")
	assert.Contains(t, line, "goexit_test.go", "the stack points at the code that called Goexit")

	// The loop can run again, and close.
	ran := false
	run(t, l, func(done func()) { ran = true; done() })
	assert.True(t, ran)
	require.NoError(t, l.Close())
}

// The same after the callback parked and got the loop back (a coroutine
// that calls t.FailNow after an Await), and while Close releases it.
func TestGoexitAfterSuspendAndDuringClose(t *testing.T) {
	l, err := ioloop.New(ioloop.Config{Logger: slogger(newRecords())})
	require.NoError(t, err)
	var w1, w2 ioloop.Waiter
	resumed := false
	run(t, l, func(done func()) {
		l.AddCallback(func() {
			l.AddCallback(func() { l.Resume(&w1) })
			if l.Suspend(&w1) == nil {
				resumed = true
				l.AddCallback(done)
				runtime.Goexit()
			}
		})
		l.AddCallback(func() {
			l.Suspend(&w2) // parked until Close
			runtime.Goexit()
		})
	})
	assert.True(t, resumed)
	require.NoError(t, l.Close(), "Close gets the loop back from the coroutine that called Goexit")
}

// In an executor task, Goexit left the future pending for ever, the dead
// worker counted in ThreadCount, and later tasks never ran.
func TestGoexitInExecutorTaskFailsItsFutureAndReplacesTheWorker(t *testing.T) {
	l := newLoop(t, ioloop.Config{Logger: slogger(newRecords()), ExecutorWorkers: 1})
	var results []error
	_, err := ioloop.RunSync(l, func() *future.Future[int] {
		first := ioloop.RunInExecutor(l, nil, func() (int, error) {
			runtime.Goexit()
			return 1, nil
		})
		second := ioloop.RunInExecutor(l, nil, func() (int, error) { return 2, nil })
		out := future.New[int](l)
		first.OnDone(func() {
			results = append(results, first.Err())
			second.OnDone(func() {
				results = append(results, second.Err())
				out.SetResult(0)
			})
		})
		return out
	}, 10*time.Second)
	require.NoError(t, err)
	require.Len(t, results, 2)
	assert.ErrorIs(t, results[0], future.ErrGoexit)
	assert.NoError(t, results[1], "the next task runs on the replacement worker")
	assert.Equal(t, 1, l.Executor().ThreadCount())
}

// A plain Submit task that calls Goexit is replaced too.
func TestGoexitInSubmittedTask(t *testing.T) {
	e := ioloop.NewExecutor(ioloop.ExecutorConfig{Workers: 2, Logger: slogger(newRecords())})
	ran := make(chan int, 10)
	require.NoError(t, e.Submit(func() { runtime.Goexit() }))
	for i := range 4 {
		require.NoError(t, e.Submit(func() { ran <- i }))
	}
	for range 4 {
		<-ran
	}
	assert.Equal(t, 2, e.ThreadCount())
	assert.False(t, e.Shutdown(ioloop.ShutdownConfig{CancelPending: true, Timeout: 10 * time.Second}), "every worker exits")
}
