package looptest

import (
	"errors"
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
// (DefaultTimeout if zero), Run cancels the coroutine (its pending Await
// returns future.ErrCancelled, see package gen) and fails the test with a
// timeout message.
//
// The timeout is measured in real time, not on the loop's clock: with a
// FakeClock, body may advance the clock by hours, and a coroutine waiting
// for a clock that nobody advances still times out. (ioloop.RunSync and
// gen.RunSync are different: their timeout is a timer on the loop's clock,
// which never fires while a FakeClock stands still.)
//
// Call Run from the test goroutine while the loop is not running; it may be
// called many times on one loop. Inside body, report failures with t.Errorf
// (testify's assert) or by returning an error, not t.Fatal, t.FailNow or
// require: they call runtime.Goexit, which ends the coroutine where it
// stands (its deferred calls run, the rest of body does not). Run reports
// that as a failure that names the cause, and the loop stays usable.
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
		// ioloop.RunSync would say the same; saying it here keeps the
		// message in looptest's words.
		t.Fatalf("looptest: Run: %v", ioloop.ErrRunning)
		return zero
	}
	type outcome struct {
		v   T
		err error
	}
	deadline := future.New[T](loop)
	co := make(chan *future.Future[T], 1)
	done := make(chan outcome, 1)
	go func() {
		// The loop runs on its own goroutines; this one only waits in
		// Start, leaving the test goroutine free to watch the time.
		v, err := ioloop.RunSync(loop, func() *future.Future[T] {
			f := gen.Go(loop, body)
			co <- f
			return gen.Any(loop, f, deadline)
		}, 0)
		done <- outcome{v, err}
	}()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var o outcome
	select {
	case o = <-done:
	case <-timer.C:
		// Complete the future the coroutine races against, so RunSync
		// stops the loop (unless a callback blocks it), and cancel the
		// coroutine, so it unwinds instead of staying parked.
		deadline.SetError(errRunTimeout)
		select {
		case f := <-co:
			f.Cancel()
		default:
		}
		grace := time.NewTimer(timeout)
		defer grace.Stop()
		select {
		case o = <-done:
		case <-grace.C:
			t.Fatalf("looptest: Run: the coroutine did not finish within %v, and the loop is blocked: a callback or coroutine has not returned for %v", timeout, timeout)
			return zero
		}
	}
	switch {
	case o.err == errRunTimeout:
		t.Fatalf("looptest: Run: the coroutine did not finish within %v", timeout)
		return zero
	case errors.Is(o.err, future.ErrGoexit):
		t.Fatalf("looptest: Run: the coroutine called runtime.Goexit (t.FailNow, t.Fatal, t.SkipNow or a require assertion?), " +
			"which ended it where it stood. Inside a coroutine use t.Errorf or assert, or return an error")
		return zero
	case o.err != nil:
		t.Fatalf("looptest: Run: %v", o.err)
		return zero
	}
	return o.v
}
