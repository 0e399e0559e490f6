// Package locks holds coordination primitives for coroutines on one
// ioloop.IOLoop, Tornado's tornado.locks in Go: Event, Condition,
// Semaphore, BoundedSemaphore and Lock.
//
// They are not thread-safe and need not be: everything they coordinate
// runs on the loop, one callback at a time, so every method is loop-only
// (call it from a coroutine, a callback or a timeout of the loop it was
// made with). They replace sync.Mutex and sync.Cond for code that must not
// block the loop: a waiting operation never blocks, it returns a
// *future.Future that completes when the wait is over, so it composes with
// gen.Await, gen.All, gen.Any and gen.WithTimeout.
//
// Every waiting operation takes a timeout; zero or negative means none.
// When it runs out the future fails with ioloop.ErrTimeout (Condition.Wait
// reports false instead, as Tornado's returns False), and the waiter is
// skipped by later wake-ups, as is a waiter whose future was cancelled:
// neither consumes a Notify, a Set or a Release. Waiters are woken first in,
// first out; a woken coroutine resumes in a later loop callback, never
// inside the call that woke it.
//
// A Lock guarding a section that waits:
//
//	lock := locks.NewLock(loop)
//	gen.Go(loop, func(co *gen.Co) (struct{}, error) {
//		err := lock.With(co, time.Second, func() error {
//			// Only one coroutine at a time runs here, even across Awaits.
//			return gen.Sleep(co, 10*time.Millisecond)
//		})
//		return struct{}{}, err // ioloop.ErrTimeout if not acquired in 1s
//	})
//
// # Which goroutine
//
// Everything marked Loop-only must run on the loop: in a coroutine or a
// callback. From another goroutine such a call races with the loop (the
// race detector reports it; nothing else may), and the calls that schedule
// or remove a timeout panic if the loop is asleep, or always with
// ioloop.Config.Debug. To act from another goroutine, hand a function to
// the loop with AddCallback. The futures returned are safe to cancel from
// any goroutine; their done callbacks run on the loop.
package locks
