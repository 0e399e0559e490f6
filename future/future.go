// Package future holds Future, the placeholder for a result that is not ready
// yet, in the model of Tornado's concurrent.Future and asyncio.Future.
//
// A Future is created pending and completed exactly once, with a result, an
// error, or by Cancel. Code waiting for it registers done callbacks; those
// run on the future's Scheduler (an ioloop.IOLoop), in the order they were
// added, and never inside the call that completed the future:
//
//	f := future.New[int](loop)
//	f.AddDoneCallback(func(f *future.Future[int]) {
//		v, err := f.Result()
//		fmt.Println(v, err) // runs on the loop, after SetResult returned
//	})
//	f.SetResult(42)
//
// Completing a future (SetResult, SetError, Cancel) is safe from any
// goroutine: a worker goroutine may complete a future and the loop sees the
// value, with the race detector seeing the handoff. Coroutines wait for
// futures with gen.Await.
//
// Tornado's names, in Go case: add_done_callback is AddDoneCallback,
// set_result and set_exception are SetResult and SetError, chain_future is
// Chain. Then, Map and Catch build a new future from an old one, where
// asyncio code would write a small coroutine.
package future

import (
	"errors"
	"sync"
	"sync/atomic"
)

// Scheduler runs callbacks. ioloop.IOLoop satisfies it. AddCallback must be
// safe to call from any goroutine, must run callbacks in the order it was
// given them, and must only queue fn, never run it before returning: a
// Future calls it while holding its own lock, which is what keeps done
// callbacks in order when one goroutine completes the future while another
// adds a callback.
type Scheduler interface {
	AddCallback(fn func())
}

// ErrCancelled is the error of a future that was cancelled.
var ErrCancelled = errors.New("future: cancelled")

// ErrNotDone is returned by Result on a future that is still pending.
var ErrNotDone = errors.New("future: result read before the future was done")

const (
	statePending uint32 = iota
	stateDone
)

// callback is one done callback: exactly one of the two fields is set.
type callback[T any] struct {
	typed func(*Future[T])
	plain func()
}

// Future is a result of type T that arrives later. The zero value is not
// usable; create one with New. Futures must not be copied after first use.
type Future[T any] struct {
	sched     Scheduler
	state     atomic.Uint32
	mu        sync.Mutex
	result    T
	err       error
	first     callback[T] // the first done callback, kept inline: most futures have one
	callbacks []callback[T]
	origin    string // what the future stands for, for a coroutine dump
}

// SetOrigin says what the future stands for ("read 4 bytes", "lock",
// "fetch http://..."): a coroutine parked on it is listed with it by
// ioloop.IOLoop.Coroutines. The code that makes a future sets it, before
// handing the future out. It returns f.
func (f *Future[T]) SetOrigin(what string) *Future[T] {
	f.origin = what
	return f
}

// Origin returns what SetOrigin said, or "".
func (f *Future[T]) Origin() string { return f.origin }

// New returns a pending future whose done callbacks run on s.
func New[T any](s Scheduler) *Future[T] {
	return &Future[T]{sched: s}
}

// Init prepares a zero Future, embedded in a larger struct to save an
// allocation, to complete on s. It must be called once, before any other
// method.
func (f *Future[T]) Init(s Scheduler) { f.sched = s }

// Resolved returns a future that is already done with result v.
func Resolved[T any](s Scheduler, v T) *Future[T] {
	f := &Future[T]{sched: s, result: v}
	f.state.Store(stateDone)
	return f
}

// Failed returns a future that is already done with error err.
func Failed[T any](s Scheduler, err error) *Future[T] {
	f := &Future[T]{sched: s, err: err}
	f.state.Store(stateDone)
	return f
}

// Scheduler returns the scheduler the future's callbacks run on. Safe from
// any goroutine.
func (f *Future[T]) Scheduler() Scheduler { return f.sched }

// Done reports whether the future has a result, an error or was cancelled.
// Safe from any goroutine.
func (f *Future[T]) Done() bool { return f.state.Load() == stateDone }

// Result returns the future's result and error. On a pending future it
// returns the zero value and ErrNotDone; on a cancelled one, ErrCancelled.
// Safe from any goroutine.
func (f *Future[T]) Result() (T, error) {
	if f.state.Load() != stateDone {
		var zero T
		return zero, ErrNotDone
	}
	return f.result, f.err
}

// Err returns the future's error: nil on success, ErrNotDone while pending,
// ErrCancelled once cancelled. Safe from any goroutine.
func (f *Future[T]) Err() error {
	_, err := f.Result()
	return err
}

// Cancelled reports whether the future was cancelled. Safe from any
// goroutine.
func (f *Future[T]) Cancelled() bool {
	return f.Done() && errors.Is(f.err, ErrCancelled)
}

// SetResult completes the future with v and schedules its done callbacks.
// It reports false, changing nothing, if the future was already done (a
// result set on a cancelled future is dropped, as asyncio's would raise).
// Safe from any goroutine.
func (f *Future[T]) SetResult(v T) bool {
	return f.complete(v, nil)
}

// SetError completes the future with err (which must not be nil) and
// schedules its done callbacks. It reports false if the future was already
// done. Safe from any goroutine.
func (f *Future[T]) SetError(err error) bool {
	if err == nil {
		panic("future: SetError with a nil error")
	}
	var zero T
	return f.complete(zero, err)
}

// Cancel completes a pending future with ErrCancelled and reports whether it
// did; a future already done is left alone. Safe from any goroutine.
func (f *Future[T]) Cancel() bool {
	var zero T
	return f.complete(zero, ErrCancelled)
}

// Set completes the future with v and err: SetError when err is non-nil,
// SetResult otherwise. It is the natural sink for a `return v, err` function.
// It reports false if the future was already done. Safe from any goroutine.
func (f *Future[T]) Set(v T, err error) bool {
	if err != nil {
		return f.SetError(err)
	}
	return f.SetResult(v)
}

func (f *Future[T]) complete(v T, err error) bool {
	f.mu.Lock()
	if f.state.Load() == stateDone {
		f.mu.Unlock()
		return false
	}
	f.result, f.err = v, err
	f.state.Store(stateDone)
	// Scheduled under the lock: an add that sees the future done waits
	// for the lock, so its callback is queued after these.
	if f.first.plain != nil || f.first.typed != nil {
		f.schedule(f.first)
		f.first = callback[T]{}
	}
	for _, cb := range f.callbacks {
		f.schedule(cb)
	}
	f.callbacks = nil
	f.mu.Unlock()
	return true
}

// schedule queues one done callback on the scheduler. Each callback is its
// own loop callback, so a panic in one does not stop the others.
func (f *Future[T]) schedule(cb callback[T]) {
	if cb.plain != nil {
		f.sched.AddCallback(cb.plain)
		return
	}
	f.sched.AddCallback(func() { cb.typed(f) })
}

// AddDoneCallback arranges for fn to run on the scheduler once the future is
// done; if it is done already, fn is scheduled at once. Callbacks run in the
// order they were added. Safe from any goroutine.
func (f *Future[T]) AddDoneCallback(fn func(*Future[T])) {
	f.add(callback[T]{typed: fn})
}

// OnDone is AddDoneCallback for a callback that needs no argument; it saves
// the closure that adapting one would cost. gen.Await uses it to resume a
// parked coroutine.
func (f *Future[T]) OnDone(fn func()) {
	f.add(callback[T]{plain: fn})
}

func (f *Future[T]) add(cb callback[T]) {
	f.mu.Lock()
	if f.state.Load() == stateDone {
		// Under the lock, so that a complete still queuing the earlier
		// callbacks finishes first.
		f.schedule(cb)
		f.mu.Unlock()
		return
	}
	if f.first.plain == nil && f.first.typed == nil {
		f.first = cb
	} else {
		f.callbacks = append(f.callbacks, cb)
	}
	f.mu.Unlock()
}
