package ioloop

import (
	"math"
	"time"
)

// Timeout is a handle to a timed callback, returned by CallLater and CallAt
// and passed to RemoveTimeout.
type Timeout struct {
	when  int64 // nanoseconds since the loop's epoch
	seq   uint64
	fn    func() // nil once run or removed
	index int    // position in the heap, -1 when not in it
}

// Pending reports whether the timeout has neither run nor been removed.
// Loop-only.
func (t *Timeout) Pending() bool { return t != nil && t.fn != nil }

// compactMin and the half rule are Tornado's: the heap is rebuilt without
// removed timeouts once more than 512, and more than half of it, are
// removed ones.
const compactMin = 512

// CallLater runs fn on the loop once d has passed (at once, in the next
// timer phase, if d <= 0) and returns a handle for RemoveTimeout. Loop-only.
func (l *IOLoop) CallLater(d time.Duration, fn func()) *Timeout {
	l.checkGoroutine("CallLater")
	return l.schedule(l.now()+int64(d), fn)
}

// CallAt runs fn on the loop once the loop's clock (Time) reaches t, and
// returns a handle for RemoveTimeout. Loop-only.
func (l *IOLoop) CallAt(t time.Time, fn func()) *Timeout {
	l.checkGoroutine("CallAt")
	return l.schedule(int64(t.Sub(l.epoch)), fn)
}

func (l *IOLoop) schedule(when int64, fn func()) *Timeout {
	l.seq++
	t := &Timeout{when: when, seq: l.seq, fn: fn}
	l.timers.push(t)
	return t
}

// RemoveTimeout cancels t: its callback will not run. Removing a timeout
// that already ran or was removed does nothing. Loop-only.
func (l *IOLoop) RemoveTimeout(t *Timeout) {
	l.checkGoroutine("RemoveTimeout")
	if t == nil || t.fn == nil {
		return
	}
	t.fn = nil
	if t.index < 0 {
		return // already taken off the heap to run this iteration
	}
	l.cancelled++
	if l.cancelled > compactMin && l.cancelled > len(l.timers)/2 {
		l.timers.compact()
		l.cancelled = 0
	}
}

// PendingTimeouts returns how many timeouts the loop holds, removed ones
// not yet cleared away included; it shows that removed timeouts do not pile
// up. Loop-only.
func (l *IOLoop) PendingTimeouts() int { return len(l.timers) }

// collectDue moves the timeouts whose deadline has passed into l.due, in
// deadline order. Timeouts they schedule wait for the next iteration.
func (l *IOLoop) collectDue() {
	if len(l.timers) == 0 {
		return
	}
	now := l.now()
	for len(l.timers) > 0 {
		t := l.timers[0]
		switch {
		case t.fn == nil:
			l.timers.pop()
			l.cancelled--
		case t.when <= now:
			l.due = append(l.due, l.timers.pop())
		default:
			return
		}
	}
}

// timerTimeout is how long the poller may sleep for the timers' sake, in
// milliseconds rounded up: 0 if one is due, -1 if none is waiting (or the
// clock is manual, whose Advance wakes the loop).
func (l *IOLoop) timerTimeout() int {
	for len(l.timers) > 0 && l.timers[0].fn == nil {
		l.timers.pop()
		l.cancelled--
	}
	if len(l.timers) == 0 {
		return -1
	}
	d := l.timers[0].when - l.now()
	if d <= 0 {
		return 0
	}
	if _, manual := l.clock.(ManualClock); manual {
		return -1
	}
	ms := (d + int64(time.Millisecond) - 1) / int64(time.Millisecond)
	if ms > math.MaxInt32 {
		ms = math.MaxInt32
	}
	return int(ms)
}

// timerHeap is a binary min-heap on (when, seq).
type timerHeap []*Timeout

func (h timerHeap) less(i, j int) bool {
	a, b := h[i], h[j]
	return a.when < b.when || (a.when == b.when && a.seq < b.seq)
}

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *timerHeap) push(t *Timeout) {
	t.index = len(*h)
	*h = append(*h, t)
	h.up(t.index)
}

func (h *timerHeap) pop() *Timeout {
	old := *h
	n := len(old) - 1
	old.swap(0, n)
	t := old[n]
	old[n] = nil
	*h = old[:n]
	if n > 0 {
		h.down(0)
	}
	t.index = -1
	return t
}

func (h timerHeap) up(j int) {
	for j > 0 {
		i := (j - 1) / 2
		if !h.less(j, i) {
			return
		}
		h.swap(i, j)
		j = i
	}
}

func (h timerHeap) down(i int) {
	n := len(h)
	for {
		j := 2*i + 1
		if j >= n {
			return
		}
		if r := j + 1; r < n && h.less(r, j) {
			j = r
		}
		if !h.less(j, i) {
			return
		}
		h.swap(i, j)
		i = j
	}
}

// compact drops removed timeouts and restores the heap order.
func (h *timerHeap) compact() {
	live := (*h)[:0]
	for _, t := range *h {
		if t.fn != nil {
			t.index = len(live)
			live = append(live, t)
		} else {
			t.index = -1
		}
	}
	for i := len(live); i < len(*h); i++ {
		(*h)[i] = nil
	}
	*h = live
	for i := len(live)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}
