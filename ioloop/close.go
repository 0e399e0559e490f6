package ioloop

import (
	"errors"
	"time"

	"golang.org/x/sys/unix"
)

// DefaultExecutorShutdownTimeout is how long Close waits for the default
// executor's running tasks when Config.ExecutorShutdownTimeout is zero.
const DefaultExecutorShutdownTimeout = 5 * time.Second

// Close releases the loop: every coroutine parked in Await gets
// ErrLoopClosed and runs on, one at a time, to its end; the loop's
// goroutines exit; the default executor is shut down, cancelling queued
// tasks; the poller is closed, and with Config.CloseHandlerFDs the fds
// of registered handlers too (Tornado's close(all_fds=True)). Callbacks
// added afterwards
// are dropped. Call it after Start has returned, from any goroutine; it
// returns ErrRunning while the loop runs and ErrLoopClosed the second time.
//
// Close waits for what it releases, within bounds:
//
//   - A released coroutine runs until it returns. Its later waits fail at
//     once with ErrLoopClosed; one that keeps waiting anyway (a retry loop
//     on ErrLoopClosed) is ended with runtime.Goexit after 10,000 such
//     waits, and logged with its stack, so that Close returns.
//   - Tasks running on the default executor get Config.ExecutorShutdownTimeout
//     (5 s if zero; no wait at all if negative) to finish. A task still
//     running after that is left running on its worker goroutine, which
//     exits when the task returns; its RunInExecutor future never
//     completes, since the loop is gone. Close logs how many were left.
func (l *IOLoop) Close() error {
	allFDs := l.closeFDs
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
	l.removeSignalHandlers()
	l.releaseParked()
	if l.executor != nil {
		timeout := l.execTimeout
		if timeout == 0 {
			timeout = DefaultExecutorShutdownTimeout
		}
		l.executor.Shutdown(ShutdownConfig{CancelPending: true, Timeout: timeout})
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
