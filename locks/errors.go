package locks

import "errors"

// Errors of the locks package. Match them with errors.Is. A wait that runs
// out of time fails with ioloop.ErrTimeout (the same value as
// gen.ErrTimeout), except Condition.Wait, whose future reports false.
var (
	// ErrNegativeValue is the panic value of NewSemaphore and
	// NewBoundedSemaphore given a negative initial value (Tornado's
	// ValueError).
	ErrNegativeValue = errors.New("locks: semaphore initial value must be >= 0")
	// ErrReleasedTooManyTimes is returned by BoundedSemaphore.Release when
	// the release would take the value above the initial value.
	ErrReleasedTooManyTimes = errors.New("locks: semaphore released too many times")
	// ErrNotLocked is returned by Lock.Release on a lock that is not held.
	ErrNotLocked = errors.New("locks: release of an unlocked lock")
)
