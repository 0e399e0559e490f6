package locks

import (
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// gcMin is Tornado's _TimeoutGarbageCollector threshold: a waiter list is
// swept of done waiters only after more than this many timed out, and (so
// that a sweep costs O(1) per timeout) only once they may be half of it.
const gcMin = 100

// waiter is what a waitList holds: a future, whose Done says it timed out,
// was cancelled or was already woken.
type waiter interface{ Done() bool }

// waitList is a FIFO of waiters that skips, and now and then sweeps out,
// waiters that are done: a timed-out or cancelled waiter must not consume
// a later Notify or Release. Loop-only, like everything in this package.
type waitList[W waiter] struct {
	items   []W
	head    int
	expired int // timeouts since the last sweep
}

func (l *waitList[W]) push(w W) { l.items = append(l.items, w) }

// len counts the waiters held, done ones not yet swept included.
func (l *waitList[W]) len() int { return len(l.items) - l.head }

// pop removes and returns the first waiter that is not done, dropping the
// done ones before it; it reports false when none is left. The caller must
// still check that completing it succeeds: another goroutine may cancel it.
func (l *waitList[W]) pop() (W, bool) {
	var zero W
	for l.head < len(l.items) {
		w := l.items[l.head]
		l.items[l.head] = zero
		l.head++
		if !w.Done() {
			l.shrink()
			return w, true
		}
	}
	l.items, l.head = l.items[:0], 0
	return zero, false
}

// shrink moves the live part of items to the front once the popped part
// is more than half the slice, so pops cost amortised O(1).
func (l *waitList[W]) shrink() {
	if l.head < 32 || l.head*2 < len(l.items) {
		return
	}
	n := copy(l.items, l.items[l.head:])
	clear(l.items[n:])
	l.items, l.head = l.items[:n], 0
}

// expire records that one waiter timed out, and sweeps the done waiters
// out once more than gcMin timed out since the last sweep.
func (l *waitList[W]) expire() {
	l.expired++
	if l.expired <= gcMin || l.expired*2 < l.len() {
		return
	}
	l.expired = 0
	live := l.items[:0]
	for _, w := range l.items[l.head:] {
		if !w.Done() {
			live = append(live, w)
		}
	}
	clear(l.items[len(live):])
	l.items, l.head = live, 0
}

// armTimeout calls expire on the loop after d unless f is done first; the
// timeout is removed once f is done. A d <= 0 arms nothing.
func armTimeout[T any](loop *ioloop.IOLoop, f *future.Future[T], d time.Duration, expire func()) {
	if d <= 0 {
		return
	}
	t := loop.CallLater(d, expire)
	f.OnDone(func() { loop.RemoveTimeout(t) })
}
