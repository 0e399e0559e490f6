package ioloop

import "time"

// Clock tells a loop the time. The system clock is the default.
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
