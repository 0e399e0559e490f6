package queues

import (
	"cmp"

	"github.com/gornado/gornado/ioloop"
)

// PriorityQueue is a Queue that returns its smallest item first, Tornado's
// queues.PriorityQueue; items that compare equal come out in the order
// they were put. Everything else, maxsize, waiting, TaskDone and Join, is
// Queue's; &q.Queue is the *Queue to pass where one is expected.
// Loop-only.
type PriorityQueue[T any] struct {
	Queue[T]
}

// NewPriorityQueue returns an empty PriorityQueue of ordered values,
// smallest first, holding at most maxsize items (0 means no limit) whose
// futures complete on loop. It panics with ErrNegativeMaxsize if
// maxsize < 0. It may be called before the loop starts; the methods are
// loop-only.
func NewPriorityQueue[T cmp.Ordered](loop *ioloop.IOLoop, maxsize int) *PriorityQueue[T] {
	return NewPriorityQueueFunc(loop, maxsize, cmp.Compare[T])
}

// NewPriorityQueueFunc is NewPriorityQueue for any type, ordered by
// compare, which returns a negative number when a comes before b, zero
// when they tie and a positive number otherwise (as for slices.SortFunc).
// It panics with ErrNegativeMaxsize if maxsize < 0, and may be called
// before the loop starts.
func NewPriorityQueueFunc[T any](loop *ioloop.IOLoop, maxsize int, compare func(a, b T) int) *PriorityQueue[T] {
	q := &PriorityQueue[T]{}
	q.init(loop, maxsize, &heap[T]{compare: compare})
	return q
}

// heap is PriorityQueue's storage: a binary min-heap ordered by compare,
// ties by insertion order.
type heap[T any] struct {
	compare func(a, b T) int
	items   []entry[T]
	seq     uint64
}

type entry[T any] struct {
	v   T
	seq uint64
}

func (h *heap[T]) less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	if c := h.compare(a.v, b.v); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

func (h *heap[T]) len() int { return len(h.items) }

func (h *heap[T]) push(v T) {
	h.seq++
	h.items = append(h.items, entry[T]{v: v, seq: h.seq})
	for j := len(h.items) - 1; j > 0; {
		i := (j - 1) / 2
		if !h.less(j, i) {
			break
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		j = i
	}
}

func (h *heap[T]) pop() T {
	n := len(h.items) - 1
	v := h.items[0].v
	h.items[0] = h.items[n]
	h.items[n] = entry[T]{}
	h.items = h.items[:n]
	for i := 0; ; {
		j := 2*i + 1
		if j >= n {
			break
		}
		if r := j + 1; r < n && h.less(r, j) {
			j = r
		}
		if !h.less(j, i) {
			break
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		i = j
	}
	return v
}
