package queues

import (
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// gcMin is Tornado's _TimeoutGarbageCollector threshold (locks uses the
// same): a waiter list is swept of done waiters only after more than this
// many timed out, and only once they may be half of it.
const gcMin = 100

// waiter is what a waitList holds; Done reports that it timed out, was
// cancelled or was already served.
type waiter interface{ Done() bool }

// waitList is a FIFO of waiting getters or putters that skips, and now and
// then sweeps out, those that are done, so that a timed-out or cancelled
// waiter never takes an item or a slot. Loop-only.
type waitList[W waiter] struct {
	q       deque[W]
	expired int // timeouts since the last sweep
}

func (l *waitList[W]) push(w W) { l.q.push(w) }

// len counts the waiters held, done ones not yet dropped included.
func (l *waitList[W]) len() int { return l.q.len() }

// pop removes and returns the first waiter that is not done, dropping the
// done ones before it; it reports false if none is left. The caller must
// still check that completing it succeeds: another goroutine may cancel it.
func (l *waitList[W]) pop() (W, bool) {
	l.trim()
	if l.q.len() == 0 {
		var zero W
		return zero, false
	}
	return l.q.pop(), true
}

// trim drops the done waiters at the front (Tornado's _consume_expired).
func (l *waitList[W]) trim() {
	for l.q.len() > 0 && l.q.front().Done() {
		l.q.pop()
	}
}

// expire records that one waiter timed out, and sweeps every done waiter
// out once more than gcMin timed out since the last sweep.
func (l *waitList[W]) expire() {
	l.expired++
	if l.expired <= gcMin || l.expired*2 < l.len() {
		return
	}
	l.expired = 0
	l.q.filter(func(w W) bool { return !w.Done() })
}

// armTimeout fails f with ioloop.ErrTimeout after d unless f is done first,
// calling expired if it did; the timeout is removed once f is done. A
// d <= 0 arms nothing.
func armTimeout[T any](loop *ioloop.IOLoop, f *future.Future[T], d time.Duration, expired func()) {
	if d <= 0 {
		return
	}
	t := loop.CallLater(d, func() {
		if f.SetError(ioloop.ErrTimeout) {
			expired()
		}
	})
	f.OnDone(func() { loop.RemoveTimeout(t) })
}
