package looptest

import (
	"sync"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

// fakeEpoch is where a FakeClock made with a zero start begins.
var fakeEpoch = time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC)

// FakeClock is an ioloop.ManualClock whose time moves only when a test says
// so. Give it to a loop as Config.Clock: the loop never sleeps in real time
// toward a deadline on it, and timeouts (CallLater, CallAt, gen.Sleep,
// PeriodicCallback, gen.WithTimeout) fire only once Advance or Set moves the
// clock past them, so timer tests are deterministic and need no sleeping.
//
// All methods are safe for concurrent use. One clock may serve several
// loops; each registers its wake function at ioloop.New.
type FakeClock struct {
	mu    sync.Mutex
	now   time.Time
	wakes []func()
}

var _ ioloop.ManualClock = (*FakeClock)(nil)

// NewFakeClock returns a clock reading start, or 2020-01-01 00:00:00 UTC if
// start is zero. The monotonic reading of start, if any, is dropped.
func NewFakeClock(start time.Time) *FakeClock {
	if start.IsZero() {
		start = fakeEpoch
	}
	return &FakeClock{now: start.Round(0)}
}

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// OnAdvance registers wake to be called, from the goroutine that moves the
// clock, after each Advance or Set. ioloop.New calls it; tests rarely need
// to.
func (c *FakeClock) OnAdvance(wake func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wakes = append(c.wakes, wake)
}

// Advance moves the clock forward by d (back, if d is negative) and wakes
// the loops that use it, which then run the timeouts that came due. Advance
// does not wait for them: from a test goroutine, await something the
// timeouts complete; from a coroutine on the loop, use AdvanceAndWait.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	wakes := c.wakes
	c.mu.Unlock()
	for _, wake := range wakes {
		wake()
	}
}

// Set moves the clock to t (which may be earlier than now) and wakes the
// loops that use it, as Advance does.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t.Round(0)
	wakes := c.wakes
	c.mu.Unlock()
	for _, wake := range wakes {
		wake()
	}
}

// AdvanceAndWait advances the clock by d from inside a coroutine on a loop
// that uses c, and returns once the timeouts that came due have run, in
// deadline order, and the callbacks they queued (future done callbacks,
// coroutines they woke) have had one turn. Timeouts that those schedule for
// a later time wait for the next advance.
//
// Advance followed by gen.Moment is not always enough: a coroutine resumed
// by a timeout (gen.Sleep) runs in the loop's timer phase, so its next
// Moment returns before the loop collects the newly due timeouts.
// AdvanceAndWait parks on a zero-delay timeout instead, which runs after
// every timeout due at the new time, then waits one more iteration.
//
// It returns gen.ErrLoopClosed if the loop closed meanwhile.
func (c *FakeClock) AdvanceAndWait(co *gen.Co, d time.Duration) error {
	c.Advance(d)
	if err := gen.Sleep(co, 0); err != nil {
		return err
	}
	return gen.Moment(co)
}
