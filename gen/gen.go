// Package gen runs coroutines on an ioloop.IOLoop, in the model of
// Tornado's gen module and native coroutines.
//
// A coroutine is a plain Go function that takes a *Co. It runs on the loop,
// so it may touch loop-owned state without locks, and it waits for futures
// with Await instead of blocking:
//
//	f := gen.Go(loop, func(co *gen.Co) (string, error) {
//		if err := gen.Sleep(co, time.Second); err != nil {
//			return "", err
//		}
//		body, err := gen.Await(co, fetch(loop, url)) // fetch returns a future
//		return string(body), err
//	})
//
// Go returns the coroutine's future at once and starts fn on the loop in
// a later callback, as asyncio's create_task does: it never blocks its
// caller. Await on a future that is already done returns at once, with no
// goroutine switch. Await on a pending future parks the coroutine: the
// goroutine it runs on keeps its stack and hands the role of running the
// loop to another goroutine; when the future completes, the loop hands the
// role back (one handoff each way, each a channel operation the race
// detector sees). A coroutine that never waits costs no switch at all.
//
// A panic in a coroutine becomes its future's error, a *PanicError with
// the stack; a runtime.Goexit (t.FailNow, require) makes it
// future.ErrGoexit. Closing the loop makes every parked Await return
// ErrLoopClosed, and the coroutine runs on to its end (a coroutine that
// keeps waiting after that is ended by Close; see ioloop.IOLoop.Close).
//
// # Cancellation
//
// Cancelling a coroutine's future (the one Go returns), from any
// goroutine, stops the coroutine the way asyncio's Task.cancel does: the
// Await, Sleep or Moment it is parked in returns ErrCancelled, and so does
// every later one, at once and without parking, so the coroutine unwinds
// through its ordinary error paths (deferred calls run). A coroutine
// cancelled before it started never runs. The cancel takes effect at the
// coroutine's next resumption, as in asyncio: if its resume was already
// queued, or it was running when another goroutine cancelled it, the next
// wait that parks returns ErrCancelled. Co.Cancelled tells a coroutine
// that does not wait (a loop of CPU work) to stop. The future stays
// cancelled whatever the coroutine returns. Completing the future from
// outside in another way (SetResult, SetError) stops the coroutine the
// same way. ioloop.RunSync and gen.RunSync cancel the coroutine
// this way when their timeout passes, and looptest.Run when its own does.
//
// # Which goroutine
//
// Go and RunSync may be called from any goroutine (RunSync while the loop
// is not running); everything marked Loop-only, and Await, Sleep and
// Moment, must run on the loop, in the coroutine whose *Co they are given.
// From another goroutine such a call races with the loop (the race
// detector reports it); those that schedule a timeout (Sleep, After,
// WithTimeout) panic if the loop is asleep, or always with
// ioloop.Config.Debug. A nil *Co or future panics with a message saying
// so.
package gen

import (
	"errors"
	"runtime/debug"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// Errors that coroutines see; they are the ioloop and future errors under
// a second name, so errors.Is matches either name.
var (
	// ErrTimeout is the error of WithTimeout and RunSync when time ran
	// out; it is ioloop.ErrTimeout.
	ErrTimeout = ioloop.ErrTimeout
	// ErrLoopClosed is what a parked coroutine's wait returns when the
	// loop is closed under it; it is ioloop.ErrLoopClosed.
	ErrLoopClosed = ioloop.ErrLoopClosed
	// ErrCancelled is what a cancelled coroutine's waits return (see
	// Cancellation); it is future.ErrCancelled.
	ErrCancelled = future.ErrCancelled
)

// PanicError is the error of a coroutine that panicked.
type PanicError = future.PanicError

// Co is a running coroutine, passed to its function by Go. It is valid
// only inside that function, on the loop.
type Co struct {
	loop   *ioloop.IOLoop
	w      ioloop.Waiter
	resume func()
	wake   func()

	self      ownFuture // the coroutine's own future, watched for Cancel
	watching  bool      // co's resumer is a done callback of self
	cancelled bool      // self was cancelled: every wait fails
}

// ownFuture is the part of the coroutine's *future.Future[T] that Co needs,
// without Co being generic.
type ownFuture interface {
	Done() bool
	OnDone(func())
}

// park suspends the coroutine until Resume, or until its future is
// cancelled. It returns nil, ErrLoopClosed, or ErrCancelled.
//
// The coroutine's own future is done, while the coroutine runs, only if
// someone completed it from outside: Cancel (or a SetResult or SetError,
// taken the same way). To hear of it while parked, the first park
// registers the coroutine's resumer as a done callback of its future (no
// new closure); when the coroutine has finished, that callback finds
// nothing parked and does nothing.
func (co *Co) park() error {
	if co.cancelled {
		return ErrCancelled
	}
	if !co.watching && co.self != nil {
		co.watching = true
		if co.self.Done() {
			co.cancelled = true
			return ErrCancelled
		}
		co.self.OnDone(co.resumer())
	}
	co.w.Since = co.loop.Time()
	err := co.loop.Suspend(&co.w)
	if err == nil && co.self != nil && co.self.Done() {
		// Cancelled while parked, or while the resume was already
		// queued (as asyncio, the next step sees the cancel).
		co.cancelled = true
		err = ErrCancelled
	}
	return err
}

// Loop returns the loop the coroutine runs on.
func (co *Co) Loop() *ioloop.IOLoop { return co.loop }

// Cancelled reports whether the coroutine was cancelled (its waits now
// return ErrCancelled; see Cancellation in the package doc). Loop-only.
func (co *Co) Cancelled() bool { return co.cancelled }

// resumer returns the callback that gives the loop back to co, made once
// per coroutine.
func (co *Co) resumer() func() {
	if co.resume == nil {
		co.resume = func() { co.loop.Resume(&co.w) }
	}
	return co.resume
}

// Go starts fn as a coroutine on l and returns the future of its result.
// fn starts in the loop's next callback phase; Go itself never blocks and
// never runs fn, so it is safe from any goroutine. If fn panics, the future
// fails with a *PanicError. Cancelling the future stops the coroutine (see
// Cancellation in the package doc).
func Go[T any](l *ioloop.IOLoop, fn func(co *Co) (T, error)) *future.Future[T] {
	t := &task[T]{co: Co{loop: l}, fn: fn}
	t.f.Init(l)
	t.co.self = &t.f
	l.AddCallback(t.run)
	return &t.f
}

// task is a coroutine to start: one allocation holds its Co, its future
// and its function; the method value passed to AddCallback is the other.
type task[T any] struct {
	co Co
	f  future.Future[T]
	fn func(co *Co) (T, error)
}

func (t *task[T]) run() {
	if t.f.Done() {
		return // cancelled before it started
	}
	returned := false
	defer func() {
		if returned {
			return
		}
		if v := recover(); v != nil {
			t.f.SetError(&PanicError{Value: v, Stack: debug.Stack()})
			return
		}
		// runtime.Goexit (t.FailNow, require): it cannot be stopped, but
		// the future says what happened, and the loop goes on.
		t.f.SetError(future.ErrGoexit)
	}()
	t.f.Set(t.fn(&t.co))
	returned = true
}

// Await waits for f and returns its result (Tornado's await, or yield in a
// gen.coroutine). If f is done it returns at once; otherwise the
// coroutine parks until f completes, and the loop runs other work
// meanwhile. It returns ErrLoopClosed if the loop is closed
// while the coroutine waits, and ErrCancelled if the coroutine is
// cancelled (then without waiting for f, which is left alone). f may
// belong to another loop. Call it only from co's own function, on the
// loop: co must not be nil, nor f (either panics with a message saying so).
func Await[T any](co *Co, f *future.Future[T]) (T, error) {
	if co == nil || f == nil {
		panic(nilArg("Await", co == nil))
	}
	if co.cancelled {
		var zero T
		return zero, ErrCancelled
	}
	if !f.Done() {
		resume := co.resumer()
		if f.Scheduler() != future.Scheduler(co.loop) {
			// f completes on another loop: hop back to ours to resume.
			own := resume
			resume = func() { co.loop.AddCallback(own) }
		}
		f.OnDone(resume)
		co.w.What = f.Origin()
		if err := co.park(); err != nil {
			var zero T
			return zero, err
		}
	}
	return f.Result()
}

// nilArg is the panic message for a nil *Co or future passed to op.
func nilArg(op string, co bool) string {
	if co {
		return "gen: " + op + " called with a nil *Co (call it from a coroutine's function, with the *Co it was given)"
	}
	return "gen: " + op + " called with a nil future"
}

// Sleep parks the coroutine for d (on the loop's clock) while the loop
// runs other work. As in Tornado, the coroutine resumes in a callback after
// the timeout fires, so work that timeouts due by then scheduled has run.
// It returns nil, ErrLoopClosed if the loop closed, or ErrCancelled if the
// coroutine was cancelled. Call it only from co's own function.
func Sleep(co *Co, d time.Duration) error {
	if co == nil {
		panic(nilArg("Sleep", true))
	}
	if co.cancelled {
		return ErrCancelled
	}
	if co.wake == nil {
		resume := co.resumer()
		co.wake = func() { co.loop.AddCallback(resume) }
	}
	t := co.loop.CallLater(d, co.wake)
	co.w.What = "sleep"
	err := co.park()
	if err != nil {
		co.loop.RemoveTimeout(t)
	}
	return err
}

// Moment parks the coroutine for one loop iteration, letting callbacks
// queued before it run first (Tornado's gen.moment). It returns nil,
// ErrLoopClosed or ErrCancelled. Call it only from co's own function.
func Moment(co *Co) error {
	if co == nil {
		panic(nilArg("Moment", true))
	}
	if co.cancelled {
		return ErrCancelled
	}
	co.loop.AddCallback(co.resumer())
	co.w.What = "moment"
	return co.park()
}

// RunSync starts l, runs fn as a coroutine to completion, stops l and
// returns fn's result; with a positive timeout it returns ErrTimeout if fn
// takes longer, after cancelling the coroutine and letting it unwind (see
// Cancellation). The timeout is a timer on the loop's clock: with a
// looptest.FakeClock it fires only when the clock is advanced past it.
// Call it while l is not running.
func RunSync[T any](l *ioloop.IOLoop, fn func(co *Co) (T, error), timeout time.Duration) (T, error) {
	return ioloop.RunSync(l, func() *future.Future[T] { return Go(l, fn) }, timeout)
}

// ErrIteratorDone is returned by WaitIterator.Next after the last outcome.
var ErrIteratorDone = errors.New("gen: wait iterator is done")
