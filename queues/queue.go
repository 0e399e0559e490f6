package queues

import (
	"iter"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/internal/waitq"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/locks"
)

// Queue is a first-in first-out queue for coroutines on one loop,
// Tornado's queues.Queue. With a positive maxsize it holds at most that
// many items: Put waits while it is full, so a fast producer is held back
// to a slow consumer's pace. Get waits while it is empty. Waiting getters
// and putters are served first come, first served; an item put while a
// getter waits goes straight to that getter.
//
// Every item put counts as an unfinished task until a TaskDone call for
// it; Join waits until none is left. Loop-only.
type Queue[T any] struct {
	loop       *ioloop.IOLoop
	maxsize    int
	items      storage[T]
	getters    waitq.List[*future.Future[T]]
	putters    waitq.List[*putter[T]]
	unfinished int
	finished   *locks.Event
}

// putter is a Put waiting for room, with its item.
type putter[T any] struct {
	item T
	f    *future.Future[struct{}]
}

// Done reports whether the Put is over: served, timed out or cancelled.
func (p *putter[T]) Done() bool { return p.f.Done() }

// NewQueue returns an empty first-in first-out Queue holding at most
// maxsize items (0 means no limit) whose futures complete on loop. It
// panics with ErrNegativeMaxsize if maxsize < 0. It may be called before the
// loop starts; the methods are loop-only.
func NewQueue[T any](loop *ioloop.IOLoop, maxsize int) *Queue[T] {
	q := &Queue[T]{}
	q.init(loop, maxsize, &fifo[T]{})
	return q
}

func (q *Queue[T]) init(loop *ioloop.IOLoop, maxsize int, items storage[T]) {
	if maxsize < 0 {
		panic(ErrNegativeMaxsize)
	}
	q.loop, q.maxsize, q.items = loop, maxsize, items
	q.finished = locks.NewEvent(loop)
	q.finished.Set()
}

// Maxsize returns the number of items allowed in the queue; 0 means no
// limit. Loop-only.
func (q *Queue[T]) Maxsize() int { return q.maxsize }

// Qsize returns the number of items in the queue. Loop-only.
func (q *Queue[T]) Qsize() int { return q.items.len() }

// Empty reports whether the queue holds no items. Loop-only.
func (q *Queue[T]) Empty() bool { return q.items.len() == 0 }

// Full reports whether the queue holds maxsize items; an unbounded queue
// is never full. Loop-only.
func (q *Queue[T]) Full() bool { return q.maxsize > 0 && q.items.len() >= q.maxsize }

// Put returns a future that completes once v is in the queue (or in a
// waiting getter's hands): at once if there is room, else when a Get makes
// room, putters served in order. With timeout > 0 the future fails with
// ioloop.ErrTimeout if there is no room within timeout, and v is not put;
// cancelling the future also withdraws v. Loop-only.
func (q *Queue[T]) Put(v T, timeout time.Duration) *future.Future[struct{}] {
	f := future.New[struct{}](q.loop).SetOrigin("queue put")
	if q.PutNowait(v) == nil {
		f.SetResult(struct{}{})
		return f
	}
	q.putters.Push(&putter[T]{item: v, f: f})
	waitq.ArmTimeout(q.loop, f, timeout, func() { timeOut(f, q.putters.Expire) })
	return f
}

// PutNowait puts v without waiting: it hands v to the longest-waiting
// getter if any, else adds it to the queue. It returns ErrQueueFull,
// putting nothing, if the queue is full. Loop-only.
func (q *Queue[T]) PutNowait(v T) error {
	q.consumeExpired()
	for {
		g, ok := q.getters.Pop()
		if !ok {
			break
		}
		if g.SetResult(v) {
			q.addTask()
			return nil
		}
	}
	if q.Full() {
		return ErrQueueFull
	}
	q.addTask()
	q.items.push(v)
	return nil
}

// Get returns a future that completes with the next item: at once if the
// queue holds one, else when a Put brings one, getters served in order.
// With timeout > 0 the future fails with ioloop.ErrTimeout if no item
// comes within timeout; a getter that timed out, or whose future was
// cancelled, takes no item. Loop-only.
func (q *Queue[T]) Get(timeout time.Duration) *future.Future[T] {
	f := future.New[T](q.loop).SetOrigin("queue get")
	if v, err := q.GetNowait(); err == nil {
		f.SetResult(v)
		return f
	}
	q.getters.Push(f)
	waitq.ArmTimeout(q.loop, f, timeout, func() { timeOut(f, q.getters.Expire) })
	return f
}

// GetNowait removes and returns the next item without waiting; if putters
// wait for room, the longest-waiting one's item enters the queue. It
// returns the zero T and ErrQueueEmpty if there is no item. Loop-only.
func (q *Queue[T]) GetNowait() (T, error) {
	q.consumeExpired()
	for {
		p, ok := q.putters.Pop()
		if !ok {
			break
		}
		if p.f.SetResult(struct{}{}) {
			q.addTask()
			q.items.push(p.item)
			return q.items.pop(), nil
		}
	}
	if q.items.len() == 0 {
		var zero T
		return zero, ErrQueueEmpty
	}
	return q.items.pop(), nil
}

// TaskDone tells the queue that the processing of an item taken with Get
// is finished; when every item put so far is done, Join's futures
// complete. It returns ErrTaskDoneTooManyTimes, changing nothing, if
// called more times than items were put. Loop-only.
func (q *Queue[T]) TaskDone() error {
	if q.unfinished <= 0 {
		return ErrTaskDoneTooManyTimes
	}
	q.unfinished--
	if q.unfinished == 0 {
		q.finished.Set()
	}
	return nil
}

// Join returns a future that completes once every item put so far has
// been taken and marked with TaskDone: at once if none is unfinished. With
// timeout > 0 it fails with ioloop.ErrTimeout if that takes longer.
// Loop-only.
func (q *Queue[T]) Join(timeout time.Duration) *future.Future[struct{}] {
	return q.finished.Wait(timeout)
}

// Items returns an iterator, for ranging in the coroutine co, over the
// items of q as Get(0) brings them: Tornado's `async for item in q`. The
// range goes on, waiting for items, until its body breaks, the loop
// closes, or co is cancelled (gen's Cancellation); an item already taken
// for it when the wait gives up is still yielded, then the range ends.
// Loop-only; range it only in co's own function.
func (q *Queue[T]) Items(co *gen.Co) iter.Seq[T] {
	return func(yield func(T) bool) {
		for !co.Cancelled() {
			f := q.Get(0)
			v, err := gen.Await(co, f)
			if err != nil {
				// Withdraw the wait; if the item came meanwhile, it is
				// ours: hand it over rather than lose it.
				if !f.Cancel() {
					if v, err := f.Result(); err == nil {
						yield(v)
					}
				}
				return
			}
			if !yield(v) {
				return
			}
		}
	}
}

// addTask counts one more unfinished task.
func (q *Queue[T]) addTask() {
	q.unfinished++
	q.finished.Clear()
}

// consumeExpired drops timed-out and cancelled waiters at the front of
// both lists, as Tornado's _consume_expired.
func (q *Queue[T]) consumeExpired() {
	q.putters.Trim()
	q.getters.Trim()
}

// timeOut fails a waiter's future with ioloop.ErrTimeout and, if that
// changed it, tells its list one more waiter timed out.
func timeOut[T any](f *future.Future[T], expired func()) {
	if f.SetError(ioloop.ErrTimeout) {
		expired()
	}
}
