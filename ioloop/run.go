package ioloop

import (
	"time"

	"github.com/gornado/gornado/future"
)

// RunInExecutor runs fn on exec's workers (the loop's default executor if
// exec is nil) and returns a future that completes on the loop with fn's
// result. A panic in fn becomes a *future.PanicError; a runtime.Goexit in
// fn (t.FailNow) fails the future with future.ErrGoexit; a task dropped by
// Shutdown fails with ErrExecutorShutdown. Safe from any goroutine, but
// with exec nil it must be called on the loop (see IOLoop.Executor).
func RunInExecutor[T any](l *IOLoop, exec *Executor, fn func() (T, error)) *future.Future[T] {
	if exec == nil {
		exec = l.Executor()
	}
	f := future.New[T](l).SetOrigin("executor task")
	l.offloaded.Add(1)
	err := exec.submit(task{
		run: func() {
			v, err := future.Recover(fn)
			l.AddCallback(func() {
				l.offloaded.Add(-1)
				f.Set(v, err)
			})
		},
		fail: func(err error) {
			l.AddCallback(func() {
				l.offloaded.Add(-1)
				f.SetError(err)
			})
		},
	})
	if err != nil {
		l.offloaded.Add(-1)
		f.SetError(err)
	}
	return f
}

// RunSync starts the loop, calls fn on it, and stops the loop when the
// future fn returns is done, returning its result. It is Tornado's
// IOLoop.run_sync; gen.RunSync is the same for a coroutine body. Call it
// while the loop is not running.
//
// With a positive timeout it gives up after that long: it cancels the
// future on the loop, lets the loop run the iteration that follows (so a
// gen coroutine behind the future sees the cancellation and unwinds; see
// package gen), then stops the loop and returns ErrTimeout. The timeout is
// a timer on the loop's clock: with a ManualClock (looptest.FakeClock) it
// fires only when the clock is advanced past it, never by itself.
//
// If the loop is stopped first, RunSync returns ErrStopped; a panic in fn
// itself is returned as a *future.PanicError; ErrRunning and ErrLoopClosed
// come from Start.
func RunSync[T any](l *IOLoop, fn func() *future.Future[T], timeout time.Duration) (T, error) {
	var (
		f        *future.Future[T]
		fnErr    error
		timedOut bool
		timer    *Timeout
		active   = true // false once this RunSync returned
	)
	stop := func() {
		if active {
			l.Stop()
		}
	}
	err := l.start(func() {
		if timeout > 0 {
			timer = l.CallLater(timeout, func() {
				if f != nil && f.Cancel() {
					timedOut = true
					return // f's done callbacks stop the loop, after the cancellation's
				}
				timedOut = f == nil || !f.Done()
				stop()
			})
		}
		f, fnErr = future.Recover(func() (*future.Future[T], error) { return fn(), nil })
		if f == nil {
			stop()
			return
		}
		f.OnDone(stop)
	})
	active = false
	var zero T
	if err != nil {
		return zero, err
	}
	if timer != nil {
		// The loop is stopped: this goroutine owns it now.
		l.RemoveTimeout(timer)
	}
	if f == nil {
		if fnErr == nil {
			fnErr = ErrStopped
		}
		return zero, fnErr
	}
	if timedOut {
		return zero, ErrTimeout
	}
	if !f.Done() {
		return zero, ErrStopped
	}
	return f.Result()
}
