package locks

import (
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/internal/waitq"
	"github.com/gornado/gornado/ioloop"
)

// Event is a flag that coroutines can wait for, Tornado's locks.Event. It
// starts clear; Set sets it and wakes every waiter, Clear clears it, and
// Wait returns a future that completes once the flag is set. Loop-only.
type Event struct {
	loop    *ioloop.IOLoop
	value   bool
	waiters waitq.List[*future.Future[struct{}]]
}

// NewEvent returns a clear Event whose futures complete on loop. It cannot
// fail, and may be called before the loop starts; the methods are loop-only.
func NewEvent(loop *ioloop.IOLoop) *Event {
	return &Event{loop: loop}
}

// IsSet reports whether the flag is set. Loop-only.
func (e *Event) IsSet() bool { return e.value }

// Set sets the flag and completes the future of every waiter; Waits made
// until the next Clear are done at once. Setting a set Event does nothing.
// Loop-only.
func (e *Event) Set() {
	if e.value {
		return
	}
	e.value = true
	for {
		w, ok := e.waiters.Pop()
		if !ok {
			return
		}
		w.SetResult(struct{}{})
	}
}

// Clear clears the flag: later Waits block until the next Set. Waiters
// already woken stay woken. Loop-only.
func (e *Event) Clear() { e.value = false }

// Wait returns a future that completes once the flag is set: at once if it
// is set now. With timeout > 0 the future fails with ioloop.ErrTimeout if
// the flag is not set within timeout. Cancelling the future gives up the
// wait. Loop-only.
func (e *Event) Wait(timeout time.Duration) *future.Future[struct{}] {
	if e.value {
		return future.Resolved(e.loop, struct{}{})
	}
	f := future.New[struct{}](e.loop).SetOrigin("event")
	e.waiters.Push(f)
	waitq.ArmTimeout(e.loop, f, timeout, func() {
		if f.SetError(ioloop.ErrTimeout) {
			e.waiters.Expire()
		}
	})
	return f
}
