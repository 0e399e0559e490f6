package ioloop_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
)

func TestTimeoutsRunInDeadlineOrderTiesInScheduleOrder(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	var got []string
	run(t, l, func(done func()) {
		base := l.Time().Add(20 * time.Millisecond)
		add := func(name string, after time.Duration) {
			l.CallAt(base.Add(after), func() {
				got = append(got, name)
				if len(got) == 6 {
					done()
				}
			})
		}
		add("c", 10*time.Millisecond)
		add("a1", 0)
		add("b", 5*time.Millisecond)
		add("a2", 0)
		add("c2", 10*time.Millisecond)
		add("a3", 0)
	})
	assert.Equal(t, []string{"a1", "a2", "a3", "b", "c", "c2"}, got)
}

func TestRemovedTimeoutNeverRuns(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	ran := map[string]bool{}
	run(t, l, func(done func()) {
		at := l.Time().Add(5 * time.Millisecond)
		var second *ioloop.Timeout
		// Both are due in the same timer phase; the first removes the
		// second after it was already collected to run.
		l.CallAt(at, func() {
			ran["first"] = true
			l.RemoveTimeout(second)
		})
		second = l.CallAt(at, func() { ran["second"] = true })
		early := l.CallLater(time.Millisecond, func() { ran["early"] = true })
		l.RemoveTimeout(early)
		l.RemoveTimeout(early) // twice is harmless
		l.CallLater(10*time.Millisecond, done)
		assert.True(t, second.Pending())
	})
	assert.Equal(t, map[string]bool{"first": true}, ran)
}

func TestRemovedTimeoutsDoNotPileUp(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	const n, live = 10000, 1000
	var peak, afterCancel, afterFire int
	fired := 0
	run(t, l, func(done func()) {
		hs := make([]*ioloop.Timeout, n)
		for i := range hs {
			d := time.Hour
			if i%(n/live) == 0 {
				d = time.Millisecond // these stay and fire
			}
			hs[i] = l.CallLater(d, func() { fired++ })
		}
		peak = l.PendingTimeouts()
		for i, h := range hs {
			if i%(n/live) != 0 {
				l.RemoveTimeout(h)
			}
		}
		afterCancel = l.PendingTimeouts()
		l.CallLater(20*time.Millisecond, func() {
			afterFire = l.PendingTimeouts()
			done()
		})
	})
	assert.Equal(t, n, peak)
	// Compaction keeps removed timeouts to at most half the heap (plus
	// Tornado's floor of 512).
	assert.LessOrEqual(t, afterCancel, 2*live+513)
	assert.Equal(t, live, fired)
	assert.Zero(t, afterFire, "fired and removed timeouts are all gone")
}

func TestTimeoutCanScheduleTimeout(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	count := 0
	var tick func()
	tick = func() {
		count++
		if count == 5 {
			l.Stop()
			return
		}
		l.CallLater(0, tick)
	}
	l.CallLater(0, tick) // before Start: the setup goroutine owns the loop
	require.NoError(t, l.Start())
	assert.Equal(t, 5, count)
}

// A burst of timeouts all due at once (the bulk path) still runs in
// deadline order, ties in schedule order, removed ones never.
func TestBurstOfDueTimeoutsKeepsOrder(t *testing.T) {
	clock := looptest.NewFakeClock(time.Time{})
	l := newLoop(t, ioloop.Config{Clock: clock})
	const n = 20000
	var got []int
	var want []int
	base := clock.Now()
	hs := make([]*ioloop.Timeout, n)
	for i := range n {
		// Deadlines in 7 groups, scheduled interleaved: ties galore.
		at := base.Add(time.Duration(i%7) * time.Second)
		hs[i] = l.CallAt(at, func() {
			got = append(got, i)
			if len(got) == len(want) {
				l.Stop()
			}
		})
	}
	for i := range n {
		if i%3 == 0 {
			l.RemoveTimeout(hs[i])
		}
	}
	for g := range 7 {
		for i := g; i < n; i += 7 {
			if i%3 != 0 {
				want = append(want, i)
			}
		}
	}
	clock.Advance(time.Minute)
	require.NoError(t, l.Start())
	assert.Equal(t, want, got)
	assert.Zero(t, l.PendingTimeouts())
}
