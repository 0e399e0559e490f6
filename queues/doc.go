// Package queues holds queues for coroutines on one ioloop.IOLoop,
// Tornado's tornado.queues in Go: Queue (first in, first out),
// PriorityQueue (smallest first) and LifoQueue (last in, first out).
//
// They coordinate producer and consumer coroutines the way a buffered
// channel coordinates goroutines, without ever blocking the loop: Get and
// Put return a *future.Future that completes when the item or the room is
// there, so they compose with gen.Await, gen.All, gen.Any and
// gen.WithTimeout. A queue is not thread-safe and need not be: every method
// is loop-only (call it from a coroutine, a callback or a timeout of the
// loop it was made with).
//
// Every Get and Put takes a timeout; zero or negative means none. When it
// runs out the future fails with ioloop.ErrTimeout, and the timed-out getter
// takes no item, the timed-out putter puts none; cancelling the future does
// the same. Items also count as unfinished tasks until the consumer calls
// TaskDone, so a producer can Join to wait until everything it put was
// processed.
//
// A producer and a consumer:
//
//	q := queues.NewQueue[string](loop, 2) // at most 2 items waiting
//	gen.Go(loop, func(co *gen.Co) (struct{}, error) {
//		for item := range q.Items(co) {
//			process(item)
//			q.TaskDone()
//		}
//		return struct{}{}, nil
//	})
//	gen.Go(loop, func(co *gen.Co) (struct{}, error) {
//		for _, item := range work {
//			if _, err := gen.Await(co, q.Put(item, 0)); err != nil {
//				return struct{}{}, err
//			}
//		}
//		_, err := gen.Await(co, q.Join(0)) // every item processed
//		return struct{}{}, err
//	})
//
// # Which goroutine
//
// Everything marked Loop-only must run on the loop: in a coroutine or a
// callback. From another goroutine such a call races with the loop (the
// race detector reports it; nothing else may), and the calls that schedule
// or remove a timeout panic if the loop is asleep, or always with
// ioloop.Config.Debug. To act from another goroutine, hand a function to
// the loop with AddCallback. The futures returned are safe to cancel from
// any goroutine; their done callbacks run on the loop.
package queues
