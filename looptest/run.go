package looptest

import (
	"errors"
	"runtime/debug"
	"testing"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

// DefaultTimeout is the time Run and RunValue allow a coroutine when given
// a timeout of zero (Tornado's gen_test default).
const DefaultTimeout = 5 * time.Second

// errRunTimeout completes the future that races the coroutine in RunValue.
var errRunTimeout = errors.New("looptest: Run timed out")

// Run is Tornado's gen_test: it starts loop, runs body on it as a coroutine
// to completion, and stops the loop. If body returns an error (or panics),
// Run fails the test with t.Fatalf; if body has not finished within timeout
// (DefaultTimeout if zero), Run fails the test with a timeout message.
//
// The timeout is measured in real time, not on the loop's clock: with a
// FakeClock, body may advance the clock by hours, and a coroutine waiting
// for a clock that nobody advances still times out. After a timeout the
// coroutine stays parked on the loop until it is closed.
//
// Call Run from the test goroutine while the loop is not running; it may be
// called many times on one loop. Inside body, report failures with t.Errorf
// (testify's assert) or by returning an error, never t.Fatal, t.FailNow or
// require: they end the goroutine they run on, which must not happen to
// the goroutine running the loop. Run detects it and fails the test, but
// the loop is lost: it cannot run, stop or close again.
func Run(t testing.TB, loop *ioloop.IOLoop, timeout time.Duration, body func(co *gen.Co) error) {
	t.Helper()
	RunValue(t, loop, timeout, func(co *gen.Co) (struct{}, error) {
		return struct{}{}, body(co)
	})
}

// RunValue is Run for a body that returns a value: it returns body's
// result, or fails the test as Run does (returning the zero value if
// t.Fatalf returns, as it does with fake testing.TB implementations).
func RunValue[T any](t testing.TB, loop *ioloop.IOLoop, timeout time.Duration, body func(co *gen.Co) (T, error)) T {
	t.Helper()
	var zero T
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if loop.Running() {
		// Checked here: ioloop.RunSync on a running loop returns
		// ErrRunning but leaves its start-up callback queued.
		t.Fatalf("looptest: Run: %v", ioloop.ErrRunning)
		return zero
	}
	type outcome struct {
		v   T
		err error
	}
	deadline := future.New[T](loop)
	exited := make(chan struct{}, 1)
	done := make(chan outcome, 1)
	go func() {
		// The loop runs on its own goroutines; this one only waits in
		// Start, leaving the test goroutine free to watch the time.
		v, err := ioloop.RunSync(loop, func() *future.Future[T] {
			return gen.Any(loop, gen.Go(loop, guard(body, exited)), deadline)
		}, 0)
		done <- outcome{v, err}
	}()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var o outcome
	select {
	case o = <-done:
	case <-exited:
		wedged.Store(loop, true)
		t.Fatalf("looptest: Run: the coroutine called runtime.Goexit (t.FailNow, t.Fatal, t.SkipNow or a require assertion?), " +
			"ending a goroutine that ran the loop; the loop is lost. Inside a coroutine use t.Errorf or assert, or return an error")
		return zero
	case <-timer.C:
		// Complete the future the coroutine races against; RunSync then
		// stops the loop, unless a callback blocks it.
		deadline.SetError(errRunTimeout)
		grace := time.NewTimer(timeout)
		defer grace.Stop()
		select {
		case o = <-done:
		case <-exited:
			wedged.Store(loop, true)
			t.Fatalf("looptest: Run: the coroutine called runtime.Goexit after timing out after %v; the loop is lost", timeout)
			return zero
		case <-grace.C:
			t.Fatalf("looptest: Run: the coroutine did not finish within %v, and the loop is blocked: a callback or coroutine has not returned for %v", timeout, timeout)
			return zero
		}
	}
	switch {
	case o.err == errRunTimeout:
		t.Fatalf("looptest: Run: the coroutine did not finish within %v", timeout)
		return zero
	case o.err != nil:
		t.Fatalf("looptest: Run: %v", o.err)
		return zero
	}
	return o.v
}

// guard wraps a coroutine body so that a panic becomes a *future.PanicError
// (as gen.Go would make it) and a runtime.Goexit is reported on exited
// before the goroutine ends.
func guard[T any](body func(co *gen.Co) (T, error), exited chan<- struct{}) func(co *gen.Co) (T, error) {
	return func(co *gen.Co) (v T, err error) {
		returned := false
		defer func() {
			if returned {
				return
			}
			if p := recover(); p != nil {
				err = &future.PanicError{Value: p, Stack: debug.Stack()}
				return
			}
			// Neither a return nor a panic: runtime.Goexit.
			select {
			case exited <- struct{}{}:
			default:
			}
		}()
		v, err = body(co)
		returned = true
		return v, err
	}
}
