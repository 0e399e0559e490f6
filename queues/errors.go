package queues

import "errors"

// Errors of the queues package. Match them with errors.Is. A Get, Put or
// Join that runs out of time fails with ioloop.ErrTimeout (the same value
// as gen.ErrTimeout).
var (
	// ErrQueueFull is returned by PutNowait on a full queue.
	ErrQueueFull = errors.New("queues: queue is full")
	// ErrQueueEmpty is returned by GetNowait on an empty queue.
	ErrQueueEmpty = errors.New("queues: queue is empty")
	// ErrTaskDoneTooManyTimes is returned by TaskDone called more times
	// than items were put (Tornado's ValueError).
	ErrTaskDoneTooManyTimes = errors.New("queues: TaskDone called too many times")
	// ErrNegativeMaxsize is the panic value of the constructors given a
	// negative maxsize (Tornado's ValueError).
	ErrNegativeMaxsize = errors.New("queues: maxsize must be >= 0")
)
