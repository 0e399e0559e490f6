package ioloop

import "time"

// Clock tells a loop the time (Config.Clock); nil means the system clock.
// Now is called on the loop and, through IOLoop.Time, from any goroutine,
// so it must be safe for concurrent use.
type Clock interface {
	Now() time.Time
}

// ManualClock is a Clock whose time moves only when told to, as
// looptest.FakeClock does. The loop registers a wake function with
// OnAdvance; the clock must call it (from any goroutine) after moving, and
// the loop then runs the timeouts that came due. The loop never sleeps in
// real time toward a manual clock's deadline.
type ManualClock interface {
	Clock
	OnAdvance(wake func())
}
