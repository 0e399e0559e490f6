package ioloop

import (
	"errors"
	"time"

	"golang.org/x/sys/unix"
)

// closeExecutorTimeout is how long Close waits for the default executor's
// workers to finish their current tasks.
const closeExecutorTimeout = 5 * time.Second

// Close releases the loop: every coroutine parked in Await gets
// ErrLoopClosed and runs on, one at a time, to its end; the loop's
// goroutines exit; the default executor is shut down, cancelling queued
// tasks; the poller is closed, and with allFDs the fds of registered
// handlers too (Tornado's close(all_fds=True)). Callbacks added afterwards
// are dropped. Call it after Start has returned, from any goroutine; it
// returns ErrRunning while the loop runs and ErrLoopClosed the second time.
func (l *IOLoop) Close(allFDs bool) error {
	if !l.state.CompareAndSwap(stateIdle, stateClosed) {
		if l.state.Load() == stateClosed {
			return ErrLoopClosed
		}
		return ErrRunning
	}
	l.mu.Lock()
	l.dropped = true
	l.pending = nil
	l.mu.Unlock()
	l.closed = true
	l.releaseParked()
	if l.executor != nil {
		l.executor.Shutdown(true, closeExecutorTimeout)
	}
	var errs []error
	for fd, h := range l.handlers {
		if h.h == nil {
			continue
		}
		l.poller.remove(fd)
		if allFDs {
			if err := unix.Close(fd); err != nil {
				errs = append(errs, wrapErr("close fd", err))
			}
		}
	}
	l.handlers = nil
	l.timers = nil
	errs = append(errs, l.poller.close())
	return errors.Join(errs...)
}
