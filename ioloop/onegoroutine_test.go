package ioloop_test

import (
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

// The heart of the design: one plain map, no lock, mutated from callbacks
// added by other goroutines, timeouts, fd handlers, executor completions
// and 1,000 coroutines that await each other. The race detector, on for
// every test run, must stay silent.
func TestOneMapNoLockEverySource(t *testing.T) {
	l := newLoop(t, ioloop.Config{ExecutorWorkers: 4, Logger: slogger(newRecords())})
	shared := map[string]int{}
	const (
		goroutines = 10
		callbacks  = 100
		timeouts   = 100
		writes     = 50
		tasks      = 100
		coroutines = 1000
	)
	a, b := socketpair(t)
	_, err := gen.RunSync(l, func(co *gen.Co) (int, error) {
		// Callbacks from other goroutines.
		var wg sync.WaitGroup
		for range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range callbacks {
					l.AddCallback(func() { shared["callback"]++ })
				}
			}()
		}
		// Timeouts.
		for i := range timeouts {
			l.CallLater(time.Duration(i%10)*time.Millisecond, func() { shared["timeout"]++ })
		}
		// An fd handler fed by another goroutine.
		fdDone := future.New[struct{}](l)
		require.NoError(t, l.AddHandler(b, ioloop.Read, ioloop.HandlerFunc(func(fd int, _ ioloop.Events) {
			buf := make([]byte, 256)
			n, _ := unix.Read(fd, buf)
			shared["fd"] += n
			if shared["fd"] == writes {
				l.RemoveHandler(fd)
				fdDone.SetResult(struct{}{})
			}
		})))
		go func() {
			for range writes {
				unix.Write(a, []byte{1})
				runtime.Gosched()
			}
		}()
		// Executor completions.
		var execs []*future.Future[int]
		for i := range tasks {
			f := ioloop.RunInExecutor(l, nil, func() (int, error) { return i, nil })
			f.AddDoneCallback(func(f *future.Future[int]) {
				v, _ := f.Result()
				shared["executor"]++
				shared["executor-sum"] += v
			})
			execs = append(execs, f)
		}
		// Coroutines, each awaiting the one before it.
		cos := make([]*future.Future[int], coroutines)
		for i := range cos {
			var prev *future.Future[int]
			if i > 0 {
				prev = cos[i-1]
			}
			cos[i] = gen.Go(l, func(co *gen.Co) (int, error) {
				if err := gen.Moment(co); err != nil {
					return 0, err
				}
				depth := 0
				if prev != nil {
					d, err := gen.Await(co, prev)
					if err != nil {
						return 0, err
					}
					depth = d
				}
				shared["coroutine"]++
				return depth + 1, nil
			})
		}
		last, err := gen.Await(co, cos[len(cos)-1])
		if err != nil {
			return 0, err
		}
		shared["depth"] = last
		if _, err := gen.Await(co, gen.All(l, execs...)); err != nil {
			return 0, err
		}
		if _, err := gen.Await(co, fdDone); err != nil {
			return 0, err
		}
		if err := gen.Sleep(co, 20*time.Millisecond); err != nil { // the last timeouts
			return 0, err
		}
		wg.Wait()
		for shared["callback"] < goroutines*callbacks {
			if err := gen.Moment(co); err != nil {
				return 0, err
			}
		}
		return 0, nil
	}, 30*time.Second)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{
		"callback":     goroutines * callbacks,
		"timeout":      timeouts,
		"fd":           writes,
		"executor":     tasks,
		"executor-sum": tasks * (tasks - 1) / 2,
		"coroutine":    coroutines,
		"depth":        coroutines,
	}, shared)
}

func TestCloseReleasesParkedCoroutines(t *testing.T) {
	baseline := runtime.NumGoroutine()
	l, err := ioloop.New(ioloop.Config{})
	require.NoError(t, err)
	never := future.New[int](l)
	const n = 200
	var cos []*future.Future[int]
	after := 0 // loop-owned: the released coroutines run one at a time
	_, err = gen.RunSync(l, func(co *gen.Co) (int, error) {
		for range n {
			cos = append(cos, gen.Go(l, func(co *gen.Co) (int, error) {
				v, err := gen.Await(co, never)
				after++
				// Awaiting again on a closed loop fails at once.
				if _, err2 := gen.Await(co, future.New[int](l)); !errors.Is(err2, ioloop.ErrLoopClosed) {
					return 0, errors.New("second await did not fail")
				}
				return v, err
			}))
		}
		return 0, gen.Sleep(co, 10*time.Millisecond)
	}, 10*time.Second)
	require.NoError(t, err)
	assert.Greater(t, runtime.NumGoroutine(), baseline+n-1, "each parked coroutine holds a goroutine")
	require.NoError(t, l.Close())
	assert.Equal(t, n, after)
	for _, f := range cos {
		_, err := f.Result()
		assert.ErrorIs(t, err, ioloop.ErrLoopClosed)
	}
	assert.LessOrEqual(t, settleGoroutines(baseline), baseline, "goroutines back to baseline after Close")
}

func TestRunSyncTimeoutAndPanic(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	never := future.New[int](l)
	_, err := ioloop.RunSync(l, func() *future.Future[int] { return never }, 20*time.Millisecond)
	assert.ErrorIs(t, err, ioloop.ErrTimeout)
	assert.True(t, never.Cancelled(), "the future is cancelled on timeout")

	_, err = ioloop.RunSync(l, func() *future.Future[int] { panic("in fn") }, time.Second)
	var pe *future.PanicError
	assert.ErrorAs(t, err, &pe)

	v, err := ioloop.RunSync(l, func() *future.Future[int] { return future.Resolved[int](l, 7) }, 0)
	assert.NoError(t, err)
	assert.Equal(t, 7, v)

	// Stopped from outside before the future completed.
	pending := future.New[int](l)
	_, err = ioloop.RunSync(l, func() *future.Future[int] {
		l.AddCallback(l.Stop)
		return pending
	}, 0)
	assert.ErrorIs(t, err, ioloop.ErrStopped)
}

func TestPeriodicCallbackRunsAndStops(t *testing.T) {
	l := newLoop(t, ioloop.Config{Logger: slogger(newRecords())})
	calls := 0
	var pc *ioloop.PeriodicCallback
	pc = ioloop.NewPeriodicCallback(l, func() {
		calls++
		if calls == 3 {
			pc.Stop()
			l.CallLater(20*time.Millisecond, l.Stop)
		}
		if calls == 2 {
			panic("periodic panic does not stop it")
		}
	}, 2*time.Millisecond)
	pc.Jitter = 0.1
	assert.False(t, pc.IsRunning())
	pc.Start()
	assert.True(t, pc.IsRunning())
	require.NoError(t, l.Start())
	assert.Equal(t, 3, calls)
	assert.False(t, pc.IsRunning())
}

// A RunSync that timed out leaves nothing behind that would stop the next
// one early; a RunSync refused on a running loop queues nothing.
func TestRunSyncAfterTimeoutAndWhileRunning(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	_, err := gen.RunSync(l, func(co *gen.Co) (int, error) { return 0, gen.Sleep(co, time.Hour) }, 10*time.Millisecond)
	require.ErrorIs(t, err, ioloop.ErrTimeout)
	v, err := gen.RunSync(l, func(co *gen.Co) (int, error) {
		for range 3 {
			if err := gen.Moment(co); err != nil {
				return 0, err
			}
		}
		var inner error
		ranInner := false
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, inner = ioloop.RunSync(l, func() *future.Future[int] { ranInner = true; return future.Resolved(l, 0) }, 0)
		}()
		<-done // blocking the loop briefly is fine in a test
		if !errors.Is(inner, ioloop.ErrRunning) || ranInner {
			return 0, errors.New("RunSync on a running loop was not refused cleanly")
		}
		for range 3 {
			if err := gen.Moment(co); err != nil {
				return 0, err
			}
		}
		return 1, nil
	}, 0)
	require.NoError(t, err)
	assert.Equal(t, 1, v)
}

func TestStopBeforeStartRunsOneIteration(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	ran := false
	l.AddCallback(func() { ran = true })
	l.Stop()
	require.NoError(t, l.Start())
	assert.True(t, ran)
}
