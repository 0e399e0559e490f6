package locks

import (
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/internal/waitq"
	"github.com/gornado/gornado/ioloop"
)

// Semaphore is a counter that Acquire decrements and Release increments,
// Tornado's locks.Semaphore: Acquire waits while the counter is zero, and
// Release hands its unit straight to the longest-waiting Acquire. Release
// may raise the counter above its initial value; BoundedSemaphore may not.
// The usual way to hold it is With. Loop-only.
type Semaphore struct {
	loop    *ioloop.IOLoop
	value   int
	waiters waitq.List[*future.Future[struct{}]]
}

// NewSemaphore returns a Semaphore with counter value whose futures
// complete on loop. It panics with ErrNegativeValue if value < 0. It may
// be called before the loop starts; the methods are loop-only.
func NewSemaphore(loop *ioloop.IOLoop, value int) *Semaphore {
	if value < 0 {
		panic(ErrNegativeValue)
	}
	return &Semaphore{loop: loop, value: value}
}

// Value returns the counter: how many Acquires would succeed at once.
// Loop-only.
func (s *Semaphore) Value() int { return s.value }

// Acquire returns a future that completes once the caller holds one unit
// of the semaphore: at once if the counter is above zero, else when a
// Release hands it one, first come first served. With timeout > 0 the
// future fails with ioloop.ErrTimeout if no unit comes within timeout; a
// waiter that timed out, or whose future was cancelled, is skipped and
// takes nothing. Whoever acquired must call Release. Loop-only.
func (s *Semaphore) Acquire(timeout time.Duration) *future.Future[struct{}] {
	f := future.New[struct{}](s.loop).SetOrigin("semaphore")
	if s.value > 0 {
		s.value--
		f.SetResult(struct{}{})
		return f
	}
	s.waiters.Push(f)
	waitq.ArmTimeout(s.loop, f, timeout, func() {
		if f.SetError(ioloop.ErrTimeout) {
			s.waiters.Expire()
		}
	})
	return f
}

// Release gives back one unit: it wakes the longest-waiting Acquire, or
// increments the counter if none waits. It never fails; releasing more
// than was acquired raises the counter. Loop-only.
func (s *Semaphore) Release() {
	s.value++
	for {
		w, ok := s.waiters.Pop()
		if !ok {
			return
		}
		if w.SetResult(struct{}{}) {
			s.value--
			return
		}
	}
}

// With acquires the semaphore (waiting up to timeout, none if <= 0), runs
// fn in the coroutine co and releases the semaphore when fn returns or
// panics: Tornado's `async with semaphore`. It returns fn's error, or,
// without calling fn, ioloop.ErrTimeout if the semaphore was not acquired
// in time or gen.ErrLoopClosed if the loop closed meanwhile. fn may Await.
// Loop-only: call it only from co's own function.
func (s *Semaphore) With(co *gen.Co, timeout time.Duration, fn func() error) error {
	return hold(co, s.Acquire(timeout), func() error { s.Release(); return nil }, fn)
}

// BoundedSemaphore is a Semaphore whose Release fails rather than raise the
// counter above its initial value, Tornado's locks.BoundedSemaphore: a
// release too many usually means a bug. Loop-only.
type BoundedSemaphore struct {
	sem     Semaphore
	initial int
}

// NewBoundedSemaphore returns a BoundedSemaphore with counter and bound
// value whose futures complete on loop. It panics with ErrNegativeValue if
// value < 0. It may be called before the loop starts; the methods are
// loop-only.
func NewBoundedSemaphore(loop *ioloop.IOLoop, value int) *BoundedSemaphore {
	return &BoundedSemaphore{sem: *NewSemaphore(loop, value), initial: value}
}

// Value returns the counter, between 0 and the initial value. Loop-only.
func (b *BoundedSemaphore) Value() int { return b.sem.value }

// Acquire is Semaphore.Acquire: a future that completes once the caller
// holds a unit, failing with ioloop.ErrTimeout after timeout > 0.
// Loop-only.
func (b *BoundedSemaphore) Acquire(timeout time.Duration) *future.Future[struct{}] {
	return b.sem.Acquire(timeout)
}

// Release gives back one unit as Semaphore.Release does. It returns
// ErrReleasedTooManyTimes, changing nothing, if the counter is already at
// its initial value. Loop-only.
func (b *BoundedSemaphore) Release() error {
	if b.sem.value >= b.initial {
		return ErrReleasedTooManyTimes
	}
	b.sem.Release()
	return nil
}

// With is Semaphore.With: it acquires (up to timeout), runs fn in co and
// releases. It returns fn's error, else ioloop.ErrTimeout or
// gen.ErrLoopClosed if not acquired, else the release's error
// (ErrReleasedTooManyTimes if fn released too). Loop-only: call it only
// from co's own function.
func (b *BoundedSemaphore) With(co *gen.Co, timeout time.Duration, fn func() error) error {
	return hold(co, b.Acquire(timeout), b.Release, fn)
}
