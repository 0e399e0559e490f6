// Package waitq is the waiter list shared by package locks and package
// queues: a FIFO of futures that skips, and now and then sweeps out, the
// ones that are done, so a timed-out or cancelled waiter never consumes a
// later Notify, Release, Put or Get. It follows Tornado's
// _TimeoutGarbageCollector. Loop-only.
package waitq

import (
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// gcMin is Tornado's _TimeoutGarbageCollector threshold: a list is swept
// of done waiters only after more than this many timed out, and (so that a
// sweep costs O(1) per timeout) only once they may be half of it.
const gcMin = 100

// Waiter is what a List holds: Done reports that it timed out, was
// cancelled or was already served (a *future.Future is one).
type Waiter interface {
	Done() bool
}

// List is a FIFO of waiters. The zero value is ready to use.
type List[W Waiter] struct {
	items   []W
	head    int
	expired int
}

// Push adds w at the back.
func (l *List[W]) Push(w W) { l.items = append(l.items, w) }

// Len counts the waiters held, done ones not yet swept included.
func (l *List[W]) Len() int { return len(l.items) - l.head }

// Pop removes and returns the first waiter that is not done, dropping the
// done ones before it; it reports false when none is left. The caller must
// serve the waiter it gets.
func (l *List[W]) Pop() (W, bool) {
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

// Trim drops the done waiters at the front (Tornado's _consume_expired).
func (l *List[W]) Trim() {
	var zero W
	for l.head < len(l.items) && l.items[l.head].Done() {
		l.items[l.head] = zero
		l.head++
	}
	l.shrink()
}

// shrink moves the live part of items to the front once the popped part
// is more than half the slice, so pops cost amortised O(1).
func (l *List[W]) shrink() {
	if l.head == len(l.items) {
		l.items, l.head = l.items[:0], 0
		return
	}
	if l.head < 32 || l.head*2 < len(l.items) {
		return
	}
	n := copy(l.items, l.items[l.head:])
	clear(l.items[n:])
	l.items, l.head = l.items[:n], 0
}

// Expire records that one waiter timed out, and sweeps the done waiters
// out once more than gcMin timed out since the last sweep.
func (l *List[W]) Expire() {
	l.expired++
	if l.expired <= gcMin || l.expired*2 < l.Len() {
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

// ArmTimeout calls onTimeout on the loop after d unless f is done first;
// the timeout is removed once f is done. A d <= 0 arms nothing.
func ArmTimeout[T any](loop *ioloop.IOLoop, f *future.Future[T], d time.Duration, onTimeout func()) {
	if d <= 0 {
		return
	}
	t := loop.CallLater(d, onTimeout)
	f.OnDone(func() { loop.RemoveTimeout(t) })
}
