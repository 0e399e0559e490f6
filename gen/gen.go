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
// the stack. Closing the loop makes every parked Await return
// ErrLoopClosed, and the coroutine runs on to its end.
package gen

import (
	"errors"
	"runtime/debug"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// Errors that coroutines see; they are the ioloop errors, so errors.Is
// matches either name.
var (
	ErrTimeout    = ioloop.ErrTimeout
	ErrLoopClosed = ioloop.ErrLoopClosed
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
}

// Loop returns the loop the coroutine runs on.
func (co *Co) Loop() *ioloop.IOLoop { return co.loop }

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
// fails with a *PanicError.
func Go[T any](l *ioloop.IOLoop, fn func(co *Co) (T, error)) *future.Future[T] {
	t := &task[T]{co: Co{loop: l}, fn: fn}
	t.f.Init(l)
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

// Await waits for f and returns its result. If f is done it returns at
// once; otherwise the coroutine parks until f completes, and the loop runs
// other work meanwhile. It returns ErrLoopClosed if the loop is closed
// while the coroutine waits. Call it only from co's own function.
func Await[T any](co *Co, f *future.Future[T]) (T, error) {
	if !f.Done() {
		resume := co.resumer()
		if f.Scheduler() != co.loop {
			// f completes on another loop: hop back to ours to resume.
			own := resume
			resume = func() { co.loop.AddCallback(own) }
		}
		f.OnDone(resume)
		if err := co.loop.Suspend(&co.w); err != nil {
			var zero T
			return zero, err
		}
	}
	return f.Result()
}

// Sleep parks the coroutine for d (on the loop's clock) while the loop
// runs other work. As in Tornado, the coroutine resumes in a callback after
// the timeout fires, so work that timeouts due by then scheduled has run.
// It returns nil, or ErrLoopClosed if the loop closed.
func Sleep(co *Co, d time.Duration) error {
	if co.wake == nil {
		resume := co.resumer()
		co.wake = func() { co.loop.AddCallback(resume) }
	}
	t := co.loop.CallLater(d, co.wake)
	err := co.loop.Suspend(&co.w)
	if err != nil {
		co.loop.RemoveTimeout(t)
	}
	return err
}

// Moment parks the coroutine for one loop iteration, letting callbacks
// queued before it run first (Tornado's gen.moment). It returns nil, or
// ErrLoopClosed.
func Moment(co *Co) error {
	co.loop.AddCallback(co.resumer())
	return co.loop.Suspend(&co.w)
}

// RunSync starts l, runs fn as a coroutine to completion, stops l and
// returns fn's result; with a positive timeout it returns ErrTimeout if fn
// takes longer. Call it while l is not running.
func RunSync[T any](l *ioloop.IOLoop, fn func(co *Co) (T, error), timeout time.Duration) (T, error) {
	return ioloop.RunSync(l, func() *future.Future[T] { return Go(l, fn) }, timeout)
}

// ErrIteratorDone is returned by WaitIterator.Next after the last outcome.
var ErrIteratorDone = errors.New("gen: wait iterator is done")
