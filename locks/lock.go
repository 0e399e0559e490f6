package locks

import (
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

// Lock is a mutual-exclusion lock for coroutines, Tornado's locks.Lock: at
// most one holder at a time, and waiters acquire it first come, first
// served. A coroutine may hold it across Awaits, which is what sets it
// apart from plain loop code (already exclusive between Awaits). It is not
// reentrant, and any code may release it. The usual way to hold it is
// With. Loop-only.
type Lock struct {
	sem BoundedSemaphore
}

// NewLock returns an unlocked Lock whose futures complete on loop. It
// cannot fail, and may be called before the loop starts; the methods are
// loop-only.
func NewLock(loop *ioloop.IOLoop) *Lock {
	return &Lock{sem: *NewBoundedSemaphore(loop, 1)}
}

// Locked reports whether the lock is held. Loop-only.
func (l *Lock) Locked() bool { return l.sem.Value() == 0 }

// Acquire returns a future that completes once the caller holds the lock:
// at once if it is free, else when a Release hands it over, in the order
// the Acquires were made. With timeout > 0 the future fails with
// ioloop.ErrTimeout if the lock is not acquired within timeout; a waiter
// that timed out, or whose future was cancelled, is skipped. Loop-only.
func (l *Lock) Acquire(timeout time.Duration) *future.Future[struct{}] {
	f := l.sem.Acquire(timeout)
	if !f.Done() {
		f.SetOrigin("lock")
	}
	return f
}

// Release unlocks the lock, handing it to the longest-waiting Acquire if
// any. It returns ErrNotLocked, changing nothing, if the lock is not held.
// Loop-only.
func (l *Lock) Release() error {
	if l.sem.Release() != nil {
		return ErrNotLocked
	}
	return nil
}

// With acquires the lock (waiting up to timeout, none if <= 0), runs fn in
// the coroutine co and releases the lock when fn returns or panics:
// Tornado's `async with lock`. It returns fn's error; else, without calling
// fn, ioloop.ErrTimeout if the lock was not acquired in time or
// gen.ErrLoopClosed if the loop closed meanwhile; else ErrNotLocked if fn
// released the lock itself. Loop-only: call it only from co's own
// function.
func (l *Lock) With(co *gen.Co, timeout time.Duration, fn func() error) error {
	return hold(co, l.Acquire(timeout), l.Release, fn)
}
