package queues

// storage is where a queue keeps its items; it alone decides the order
// they come out in. Queue (first in, first out), PriorityQueue (smallest
// first) and LifoQueue (last in, first out) differ only in their storage,
// as Tornado's subclasses differ only in _init, _put and _get.
type storage[T any] interface {
	push(v T)
	pop() T // the storage is not empty
	len() int
}

// fifo is Queue's storage.
type fifo[T any] struct{ deque[T] }

// lifo is LifoQueue's storage: a stack.
type lifo[T any] struct{ items []T }

func (s *lifo[T]) push(v T) { s.items = append(s.items, v) }

func (s *lifo[T]) pop() T {
	var zero T
	n := len(s.items) - 1
	v := s.items[n]
	s.items[n] = zero
	s.items = s.items[:n]
	return v
}

func (s *lifo[T]) len() int { return len(s.items) }
