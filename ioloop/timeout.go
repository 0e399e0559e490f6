package ioloop

import (
	"math"
	"slices"
	"time"
)

// Timeout is a handle to a timed callback, returned by CallLater and CallAt
// and passed to RemoveTimeout.
type Timeout struct {
	fn     func() // nil once run or removed
	inHeap bool
}

// Pending reports whether the timeout has neither run nor been removed.
// Loop-only: from another goroutine it races with the loop.
func (t *Timeout) Pending() bool { return t != nil && t.fn != nil }

// compactMin and the half rule are Tornado's: the heap is rebuilt without
// removed timeouts once more than 512, and more than half of it, are
// removed ones.
const compactMin = 512

// CallLater runs fn on the loop once d has passed (at once, in the next
// timer phase, if d <= 0) and returns a handle for RemoveTimeout. d is
// measured on the loop's clock (Config.Clock).
// Loop-only: from another goroutine it panics while the loop sleeps (or
// with Config.Debug) and otherwise races with the loop; use AddCallback.
func (l *IOLoop) CallLater(d time.Duration, fn func()) *Timeout {
	l.checkGoroutine("CallLater")
	return l.schedule(l.now()+int64(d), fn)
}

// CallAt runs fn on the loop once the loop's clock (Time) reaches t, and
// returns a handle for RemoveTimeout.
// Loop-only: from another goroutine it panics while the loop sleeps (or
// with Config.Debug) and otherwise races with the loop; use AddCallback.
func (l *IOLoop) CallAt(t time.Time, fn func()) *Timeout {
	l.checkGoroutine("CallAt")
	return l.schedule(int64(t.Sub(l.epoch)), fn)
}

func (l *IOLoop) schedule(when int64, fn func()) *Timeout {
	l.seq++
	t := &Timeout{fn: fn, inHeap: true}
	l.timers.push(timerEntry{when: when, seq: l.seq, t: t})
	return t
}

// RemoveTimeout cancels t: its callback will not run. Removing a timeout
// that already ran or was removed does nothing.
// Loop-only: from another goroutine it panics while the loop sleeps (or
// with Config.Debug) and otherwise races with the loop; use AddCallback.
func (l *IOLoop) RemoveTimeout(t *Timeout) {
	l.checkGoroutine("RemoveTimeout")
	if t == nil || t.fn == nil {
		return
	}
	t.fn = nil
	if !t.inHeap {
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
// up. Loop-only: from another goroutine it panics while the loop sleeps (or
// with Config.Debug) and otherwise races with the loop; use AddCallback.
func (l *IOLoop) PendingTimeouts() int {
	l.checkGoroutine("PendingTimeouts")
	return len(l.timers)
}

// collectDue moves the timeouts whose deadline has passed into l.due, in
// deadline order. Timeouts they schedule wait for the next iteration.
func (l *IOLoop) collectDue() {
	if len(l.timers) == 0 {
		return
	}
	now := l.now()
	for popped := 0; len(l.timers) > 0; popped++ {
		if popped == bulkAfter && len(l.timers) > 4*bulkAfter {
			l.collectDueBulk(now)
			return
		}
		e := l.timers[0]
		switch {
		case e.t.fn == nil:
			l.timers.pop()
			l.cancelled--
		case e.when <= now:
			l.due = append(l.due, l.timers.pop())
		default:
			return
		}
	}
}

// bulkAfter is how many due timeouts collectDue pops one by one before it
// assumes a large part of a large heap is due (a burst of timeouts) and
// takes them all in one pass: partition, sort, rebuild the heap. Popping
// costs a cache miss per heap level per timeout; the pass costs a sort.
const bulkAfter = 1024

func (l *IOLoop) collectDueBulk(now int64) {
	h := l.timers
	due := l.bulk[:0]
	live := h[:0]
	for _, e := range h {
		switch {
		case e.t.fn == nil:
			e.t.inHeap = false
			l.cancelled--
		case e.when <= now:
			due = append(due, e)
		default:
			live = append(live, e)
		}
	}
	clear(h[len(live):])
	l.timers = live
	l.timers.heapify()
	slices.SortFunc(due, func(a, b timerEntry) int {
		if a.before(&b) {
			return -1
		}
		return 1
	})
	for _, e := range due {
		e.t.inHeap = false
		l.due = append(l.due, e.t)
	}
	clear(due)
	l.bulk = due[:0]
}

// timerTimeout is how long the poller may sleep for the timers' sake, in
// milliseconds rounded up: 0 if one is due, -1 if none is waiting (or the
// clock is manual, whose Advance wakes the loop).
func (l *IOLoop) timerTimeout() int {
	for len(l.timers) > 0 && l.timers[0].t.fn == nil {
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

// timerEntry keeps a timeout's sort key inline, so sifting through the
// heap compares contiguous memory instead of chasing pointers.
type timerEntry struct {
	when int64
	seq  uint64
	t    *Timeout
}

func (a *timerEntry) before(b *timerEntry) bool {
	return a.when < b.when || (a.when == b.when && a.seq < b.seq)
}

// timerHeap is a 4-ary min-heap on (when, seq): shallower than a binary
// heap, with a node's children side by side in memory.
type timerHeap []timerEntry

const arity = 4

func (h *timerHeap) push(e timerEntry) {
	*h = append(*h, e)
	h.up(len(*h) - 1)
}

// pop removes the first timeout and marks it off the heap.
func (h *timerHeap) pop() *Timeout {
	old := *h
	n := len(old) - 1
	t := old[0].t
	old[0] = old[n]
	old[n] = timerEntry{}
	*h = old[:n]
	if n > 1 {
		h.down(0)
	}
	t.inHeap = false
	return t
}

func (h timerHeap) up(j int) {
	e := h[j]
	for j > 0 {
		i := (j - 1) / arity
		if !e.before(&h[i]) {
			break
		}
		h[j] = h[i]
		j = i
	}
	h[j] = e
}

func (h timerHeap) down(i int) {
	n := len(h)
	e := h[i]
	for {
		first := arity*i + 1
		if first >= n {
			break
		}
		m := first
		for c := first + 1; c < min(first+arity, n); c++ {
			if h[c].before(&h[m]) {
				m = c
			}
		}
		if !h[m].before(&e) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = e
}

// compact drops removed timeouts and restores the heap order.
func (h *timerHeap) compact() {
	live := (*h)[:0]
	for _, e := range *h {
		if e.t.fn != nil {
			live = append(live, e)
		} else {
			e.t.inHeap = false
		}
	}
	clear((*h)[len(live):])
	*h = live
	h.heapify()
}

// heapify restores the heap order of the whole slice.
func (h timerHeap) heapify() {
	if len(h) < 2 {
		return
	}
	for i := (len(h) - 2) / arity; i >= 0; i-- {
		h.down(i)
	}
}
