package locks

import (
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/internal/waitq"
	"github.com/gornado/gornado/ioloop"
)

// Condition lets coroutines wait until another one notifies them,
// Tornado's locks.Condition. Unlike sync.Cond it has no lock of its own:
// on the loop, checking a predicate and calling Wait cannot be interleaved
// with a Notify.
//
//	for !ready() {
//		if _, err := gen.Await(co, cond.Wait(0)); err != nil {
//			return err
//		}
//	}
//
// Loop-only.
type Condition struct {
	loop    *ioloop.IOLoop
	waiters waitq.List[*future.Future[bool]]
}

// NewCondition returns a Condition whose futures complete on loop. It
// cannot fail, and may be called before the loop starts; the methods are
// loop-only.
func NewCondition(loop *ioloop.IOLoop) *Condition {
	return &Condition{loop: loop}
}

// Wait returns a future that completes with true when a Notify or
// NotifyAll wakes this waiter. With timeout > 0 it completes with false
// (not an error, as Tornado's returns False) if no notification comes
// within timeout; a waiter that timed out, or whose future was cancelled,
// does not count against a later Notify's n. Loop-only.
func (c *Condition) Wait(timeout time.Duration) *future.Future[bool] {
	f := future.New[bool](c.loop).SetOrigin("condition")
	c.waiters.Push(f)
	waitq.ArmTimeout(c.loop, f, timeout, func() {
		if f.SetResult(false) {
			c.waiters.Expire()
		}
	})
	return f
}

// Notify wakes up to n waiters, longest waiting first, skipping those that
// timed out or were cancelled. Waking fewer than n (or none) is no error.
// Loop-only.
func (c *Condition) Notify(n int) {
	for n > 0 {
		w, ok := c.waiters.Pop()
		if !ok {
			return
		}
		if w.SetResult(true) {
			n--
		}
	}
}

// NotifyAll wakes every waiter, in the order they started waiting.
// Loop-only.
func (c *Condition) NotifyAll() {
	c.Notify(c.waiters.Len())
}
