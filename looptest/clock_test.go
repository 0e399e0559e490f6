package looptest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

func TestFakeClockBasics(t *testing.T) {
	c := NewFakeClock(time.Time{})
	assert.Equal(t, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), c.Now())

	start := time.Now() // has a monotonic reading, which is dropped
	c = NewFakeClock(start)
	assert.True(t, c.Now().Equal(start))
	assert.Equal(t, start.Round(0), c.Now())

	var wakes atomic.Int32
	c.OnAdvance(func() { wakes.Add(1) })
	c.OnAdvance(func() { wakes.Add(10) })
	c.Advance(time.Minute)
	assert.Equal(t, start.Add(time.Minute).Round(0), c.Now())
	assert.Equal(t, int32(11), wakes.Load(), "every wake function is called")

	c.Set(start.Add(-time.Hour))
	assert.Equal(t, start.Add(-time.Hour).Round(0), c.Now(), "Set may go back")
	assert.Equal(t, int32(22), wakes.Load())
	c.Advance(-time.Second)
	assert.Equal(t, start.Add(-time.Hour-time.Second).Round(0), c.Now())
}

func TestFakeClockConcurrent(t *testing.T) {
	c := NewFakeClock(time.Time{})
	var wakes atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			c.OnAdvance(func() { wakes.Add(1) })
			for range 100 {
				c.Advance(time.Second)
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	assert.Equal(t, fakeEpoch.Add(800*time.Second), c.Now())
	assert.Positive(t, wakes.Load())
}

func TestFakeClockTimeoutsRunInDeadlineOrder(t *testing.T) {
	clock := NewFakeClock(time.Time{})
	loop := New(t, ioloop.Config{Clock: clock})
	start := clock.Now()
	Run(t, loop, 0, func(co *gen.Co) error {
		type firing struct {
			name string
			at   time.Duration // loop time since start when it ran
		}
		var fired []firing
		at := func(name string) func() {
			return func() { fired = append(fired, firing{name, loop.Time().Sub(start)}) }
		}
		loop.CallLater(time.Hour, at("1h-a"))
		loop.CallLater(2*time.Hour, at("2h"))
		loop.CallLater(30*time.Minute, at("30m"))
		loop.CallLater(time.Hour, at("1h-b")) // same deadline: runs after 1h-a
		removed := loop.CallLater(90*time.Minute, at("removed"))
		loop.CallAt(start.Add(150*time.Minute), at("2h30m"))

		step := func(d time.Duration) []firing {
			fired = nil
			if err := clock.AdvanceAndWait(co, d); err != nil {
				t.Errorf("advance: %v", err)
			}
			return fired
		}
		// However long the loop runs, nothing fires until time moves.
		for range 10 {
			if err := gen.Moment(co); err != nil {
				return err
			}
		}
		assert.Empty(t, fired)

		assert.Empty(t, step(30*time.Minute-time.Nanosecond), "just before the first deadline")
		assert.Equal(t, []firing{{"30m", 30 * time.Minute}}, step(time.Nanosecond), "exactly at the deadline")
		assert.Empty(t, step(30*time.Minute-time.Nanosecond))
		assert.Equal(t, []firing{{"1h-a", time.Hour}, {"1h-b", time.Hour}}, step(time.Nanosecond),
			"equal deadlines run in the order they were scheduled")
		loop.RemoveTimeout(removed)
		// One long jump: every timeout due runs, in deadline order, each
		// seeing the clock's new time.
		assert.Equal(t, []firing{{"2h", 3 * time.Hour}, {"2h30m", 3 * time.Hour}}, step(2*time.Hour),
			"a removed timeout never runs")
		assert.Zero(t, loop.PendingTimeouts())
		return nil
	})
}

func TestFakeClockAdvanceThenMoment(t *testing.T) {
	// The simple recipe: a coroutine (started in a callback, as gen.Go
	// does) advances the clock and yields for one iteration.
	clock := NewFakeClock(time.Time{})
	loop := New(t, ioloop.Config{Clock: clock})
	Run(t, loop, 0, func(co *gen.Co) error {
		fired := false
		loop.CallLater(time.Hour, func() { fired = true })
		clock.Advance(time.Hour)
		if err := gen.Moment(co); err != nil {
			return err
		}
		assert.True(t, fired)
		return nil
	})
}

func TestFakeClockAdvanceAndWaitAfterSleep(t *testing.T) {
	// A coroutine resumed by a timeout runs in the timer phase, where
	// Advance+Moment would return before the new timeouts are collected;
	// AdvanceAndWait does not.
	clock := NewFakeClock(time.Time{})
	loop := New(t, ioloop.Config{Clock: clock})
	Run(t, loop, 0, func(co *gen.Co) error {
		for i := range 5 {
			if err := gen.Sleep(co, 0); err != nil {
				return err
			}
			fired := false
			loop.CallLater(time.Minute, func() { fired = true })
			if err := clock.AdvanceAndWait(co, time.Minute); err != nil {
				return err
			}
			assert.True(t, fired, "round %d", i)
		}
		return nil
	})
}

func TestFakeClockAdvanceAndWaitRunsWokenCoroutines(t *testing.T) {
	clock := NewFakeClock(time.Time{})
	loop := New(t, ioloop.Config{Clock: clock})
	Run(t, loop, 0, func(co *gen.Co) error {
		var woke []string
		sleeper := func(name string, d time.Duration) *future.Future[struct{}] {
			return gen.Go(loop, func(co *gen.Co) (struct{}, error) {
				err := gen.Sleep(co, d)
				woke = append(woke, name)
				return struct{}{}, err
			})
		}
		a := sleeper("a", 2*time.Second)
		b := sleeper("b", time.Second)
		timedOut := gen.WithTimeout(loop, 90*time.Second, future.New[int](loop))
		if err := gen.Moment(co); err != nil { // let them start sleeping
			return err
		}
		if err := clock.AdvanceAndWait(co, time.Second); err != nil {
			return err
		}
		assert.Equal(t, []string{"b"}, woke)
		assert.True(t, b.Done())
		assert.False(t, a.Done())
		if err := clock.AdvanceAndWait(co, time.Minute); err != nil {
			return err
		}
		assert.Equal(t, []string{"b", "a"}, woke)
		assert.False(t, timedOut.Done())
		if err := clock.AdvanceAndWait(co, 30*time.Second); err != nil {
			return err
		}
		assert.ErrorIs(t, timedOut.Err(), gen.ErrTimeout, "gen.WithTimeout runs on the fake clock too")
		return nil
	})
}

func TestFakeClockAdvanceFromAnotherGoroutine(t *testing.T) {
	clock := NewFakeClock(time.Time{})
	loop := New(t, ioloop.Config{Clock: clock})
	Run(t, loop, 0, func(co *gen.Co) error {
		// The loop goes to sleep with no deadline it could reach in real
		// time; the wake function rouses it when another goroutine
		// advances the clock.
		hour := gen.After(loop, time.Hour) // deadline set before the clock moves
		go clock.Advance(time.Hour)
		_, err := gen.Await(co, hour)
		return err
	})
}

func TestFakeClockLoopDoesNotSleepTowardDeadline(t *testing.T) {
	clock := NewFakeClock(time.Time{})
	loop := New(t, ioloop.Config{Clock: clock})
	Run(t, loop, 0, func(co *gen.Co) error {
		fired := false
		loop.CallLater(time.Millisecond, func() { fired = true })
		// Real time passes, well beyond the deadline; fake time does not.
		realWait := future.New[struct{}](loop)
		time.AfterFunc(20*time.Millisecond, func() { realWait.SetResult(struct{}{}) })
		if _, err := gen.Await(co, realWait); err != nil {
			return err
		}
		assert.False(t, fired)
		if err := clock.AdvanceAndWait(co, time.Millisecond); err != nil {
			return err
		}
		assert.True(t, fired)
		return nil
	})
}

func TestPeriodicCallbackSkipsMissedTicks(t *testing.T) {
	const interval = 10 * time.Second
	clock := NewFakeClock(time.Time{})
	loop := New(t, ioloop.Config{Clock: clock})
	start := clock.Now()
	Run(t, loop, 0, func(co *gen.Co) error {
		var calls []time.Duration // loop time since start of each call
		pc := ioloop.NewPeriodicCallback(loop, func() {
			calls = append(calls, loop.Time().Sub(start))
		}, interval)
		pc.Start()
		advance := func(d time.Duration) {
			if err := clock.AdvanceAndWait(co, d); err != nil {
				t.Errorf("advance: %v", err)
			}
		}

		advance(interval - time.Nanosecond)
		assert.Empty(t, calls)
		advance(time.Nanosecond)
		assert.Equal(t, []time.Duration{10 * time.Second}, calls, "first call one interval after Start")

		// 3.5 intervals at once: one call, not a burst of three.
		advance(3*interval + interval/2)
		assert.Equal(t, []time.Duration{10 * time.Second, 45 * time.Second}, calls)

		// The next deadline is the next multiple of the interval
		// (50s), not 45s+10s.
		advance(5*time.Second - time.Nanosecond)
		assert.Len(t, calls, 2)
		advance(time.Nanosecond)
		assert.Equal(t, []time.Duration{10 * time.Second, 45 * time.Second, 50 * time.Second}, calls)

		advance(interval)
		assert.Len(t, calls, 4, "back on schedule")

		pc.Stop()
		assert.False(t, pc.IsRunning())
		advance(10 * interval)
		assert.Len(t, calls, 4, "no calls after Stop")
		return nil
	})
}

func TestFakeClockSharedByLoops(t *testing.T) {
	clock := NewFakeClock(time.Time{})
	loop1 := New(t, ioloop.Config{Clock: clock})
	loop2 := New(t, ioloop.Config{Clock: clock})
	fired := make(chan string, 2)
	for _, l := range []*ioloop.IOLoop{loop1, loop2} {
		l.CallLater(time.Minute, func() {
			fired <- "tick"
			l.Stop()
		})
	}
	// Both loops run at once, in goroutines of their own; the test
	// goroutine advances the clock once both are asleep (Start is called
	// from the goroutine, then the clock advanced: the wake function
	// reaches a loop whether it is asleep yet or not).
	var wg sync.WaitGroup
	for _, l := range []*ioloop.IOLoop{loop1, loop2} {
		wg.Go(func() { assert.NoError(t, l.Start()) })
	}
	clock.Advance(time.Minute)
	wg.Wait()
	assert.Len(t, fired, 2)
}
