package ioloop

import (
	"math/rand/v2"
	"time"
)

// PeriodicCallback calls a function every interval (fixed at
// NewPeriodicCallback) on the loop, as
// Tornado's PeriodicCallback does. The period runs from the start of one
// call to the start of the next; a call that runs late (a slow callback, a
// busy loop) skips the ticks it missed instead of bursting to catch up.
// All its methods are loop-only: from another goroutine Start and Stop
// panic while the loop sleeps (or with Config.Debug) and otherwise race
// with the loop; call them by way of AddCallback.
type PeriodicCallback struct {
	loop     *IOLoop
	fn       func()
	interval time.Duration
	// Jitter spreads the calls: each interval is multiplied by a random
	// factor in [1-Jitter/2, 1+Jitter/2]. Tornado suggests 0.1 to avoid
	// many processes waking together. Set it before Start.
	Jitter float64

	running bool
	next    int64
	timeout *Timeout
}

// NewPeriodicCallback returns a stopped PeriodicCallback that will call fn
// every interval once started. It panics if interval is not positive.
func NewPeriodicCallback(l *IOLoop, fn func(), interval time.Duration) *PeriodicCallback {
	if interval <= 0 {
		panic("ioloop: PeriodicCallback interval must be positive")
	}
	return &PeriodicCallback{loop: l, fn: fn, interval: interval}
}

// Start schedules the first call one interval from now. Starting a running
// PeriodicCallback does nothing.
func (p *PeriodicCallback) Start() {
	p.loop.checkGoroutine("PeriodicCallback.Start")
	if p.running {
		return
	}
	p.running = true
	p.next = p.loop.now()
	p.scheduleNext()
}

// Stop cancels the next call. A call in progress finishes.
func (p *PeriodicCallback) Stop() {
	p.running = false
	if p.timeout != nil {
		p.loop.RemoveTimeout(p.timeout)
		p.timeout = nil
	}
}

// IsRunning reports whether the callback is started.
func (p *PeriodicCallback) IsRunning() bool { return p.running }

func (p *PeriodicCallback) run() {
	p.timeout = nil
	if !p.running {
		return
	}
	defer p.scheduleNext() // even if fn panics, as Tornado's finally does
	p.fn()
}

func (p *PeriodicCallback) scheduleNext() {
	if !p.running || p.timeout != nil {
		return
	}
	p.updateNext(p.loop.now())
	p.timeout = p.loop.schedule(p.next, p.run)
}

// updateNext is Tornado's _update_next: the next deadline is the first
// multiple of the interval, counted from the previous deadline, that lies
// after now.
func (p *PeriodicCallback) updateNext(now int64) {
	period := float64(p.interval)
	if p.Jitter > 0 {
		period *= 1 + p.Jitter*(rand.Float64()-0.5)
	}
	if p.next <= now {
		missed := float64(now-p.next) / period
		p.next += int64((float64(int64(missed)) + 1) * period)
	} else {
		// The clock went backwards: still move forward.
		p.next += int64(period)
	}
}
