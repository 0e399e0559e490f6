package ioloop

import (
	"errors"
	"fmt"
)

// Errors returned by the loop. Match them with errors.Is.
var (
	// ErrLoopClosed is returned by operations on a closed loop, and by a
	// parked coroutine's Await when the loop is closed under it.
	ErrLoopClosed = errors.New("ioloop: loop closed")
	// ErrRunning is returned by Start on a loop that is already running
	// and by Close on a loop that has not stopped.
	ErrRunning = errors.New("ioloop: loop is running")
	// ErrTimeout is the error of RunSync, gen.WithTimeout and every other
	// wait that ran out of time.
	ErrTimeout = errors.New("ioloop: timeout")
	// ErrStopped is returned by RunSync when the loop was stopped before
	// the future completed.
	ErrStopped = errors.New("ioloop: loop stopped before the future completed")
	// ErrHandlerExists is returned by AddHandler for an fd that has one.
	ErrHandlerExists = errors.New("ioloop: fd already has a handler")
	// ErrNoHandler is returned by UpdateHandler and RemoveHandler for an fd
	// that has none.
	ErrNoHandler = errors.New("ioloop: fd has no handler")
	// ErrExecutorShutdown is returned by Submit after Shutdown, and is the
	// error of tasks cancelled by Shutdown.
	ErrExecutorShutdown = errors.New("ioloop: executor shut down")
)

func wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("ioloop: %s: %w", op, err)
}
