package queues

// deque is a first-in first-out slice: push appends, pop takes from the
// front. It stores FIFO queues' items and the waiting getters and putters.
type deque[T any] struct {
	items []T
	head  int
}

func (d *deque[T]) push(v T) { d.items = append(d.items, v) }

func (d *deque[T]) len() int { return len(d.items) - d.head }

// front returns the oldest element; the deque must not be empty.
func (d *deque[T]) front() T { return d.items[d.head] }

// pop removes and returns the oldest element; the deque must not be empty.
func (d *deque[T]) pop() T {
	var zero T
	v := d.items[d.head]
	d.items[d.head] = zero
	d.head++
	switch {
	case d.head == len(d.items):
		d.items, d.head = d.items[:0], 0
	case d.head >= 32 && d.head*2 >= len(d.items):
		// The popped part is over half the slice: move the rest to the
		// front, so pops cost amortised O(1) and memory stays bounded.
		n := copy(d.items, d.items[d.head:])
		clear(d.items[n:])
		d.items, d.head = d.items[:n], 0
	}
	return v
}

// filter keeps only the elements for which keep reports true, in order.
func (d *deque[T]) filter(keep func(T) bool) {
	live := d.items[:0]
	for _, v := range d.items[d.head:] {
		if keep(v) {
			live = append(live, v)
		}
	}
	clear(d.items[len(live):])
	d.items, d.head = live, 0
}
