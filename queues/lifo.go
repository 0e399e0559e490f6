package queues

import "github.com/gornado/gornado/ioloop"

// LifoQueue is a Queue that returns the most recently put item first,
// Tornado's queues.LifoQueue. Everything else, maxsize, waiting, TaskDone
// and Join, is Queue's; &q.Queue is the *Queue to pass where one is
// expected. Loop-only.
type LifoQueue[T any] struct {
	Queue[T]
}

// NewLifoQueue returns an empty LifoQueue holding at most maxsize items (0
// means no limit) whose futures complete on loop. It panics with
// ErrNegativeMaxsize if maxsize < 0. It may be called before the loop
// starts; the methods are loop-only.
func NewLifoQueue[T any](loop *ioloop.IOLoop, maxsize int) *LifoQueue[T] {
	q := &LifoQueue[T]{}
	q.init(loop, maxsize, &lifo[T]{})
	return q
}
