package queues_test

import (
	"cmp"
	"fmt"
	"time"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/queues"
)

// runExample runs body as a coroutine on a fresh loop and prints any error.
func runExample(body func(loop *ioloop.IOLoop, co *gen.Co) error) {
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer loop.Close()
	_, err = gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		return struct{}{}, body(loop, co)
	}, 5*time.Second)
	if err != nil {
		fmt.Println(err)
	}
}

// Tornado's producer and consumer: the queue holds at most two items, so
// the producer runs at most two items ahead of the consumer, and Join
// waits until the consumer marked every item done.
func ExampleQueue() {
	runExample(func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 2)

		// Start the consumer without waiting for it: it never finishes.
		gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			for item := range q.Items(co) {
				fmt.Println("Doing work on", item)
				err := gen.Sleep(co, 10*time.Millisecond)
				q.TaskDone()
				if err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		})

		// The producer.
		for item := range 5 {
			if _, err := gen.Await(co, q.Put(item, 0)); err != nil {
				return err
			}
			fmt.Println("Put", item)
		}
		// Wait for the consumer to finish every item.
		if _, err := gen.Await(co, q.Join(0)); err != nil {
			return err
		}
		fmt.Println("Done")
		return nil
	})
	// Output:
	// Put 0
	// Put 1
	// Doing work on 0
	// Put 2
	// Doing work on 1
	// Put 3
	// Doing work on 2
	// Put 4
	// Doing work on 3
	// Doing work on 4
	// Done
}

func ExampleQueue_Get_timeout() {
	runExample(func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[string](loop, 0)
		_, err := gen.Await(co, q.Get(10*time.Millisecond))
		fmt.Println(err)
		_, err = q.GetNowait()
		fmt.Println(err)
		return nil
	})
	// Output:
	// ioloop: timeout
	// queues: queue is empty
}

func ExamplePriorityQueue() {
	runExample(func(loop *ioloop.IOLoop, co *gen.Co) error {
		type job struct {
			priority int
			name     string
		}
		q := queues.NewPriorityQueueFunc(loop, 0, func(a, b job) int {
			return cmp.Compare(a.priority, b.priority)
		})
		q.Put(job{1, "medium-priority item"}, 0)
		q.Put(job{0, "high-priority item"}, 0)
		q.Put(job{10, "low-priority item"}, 0)
		for range 3 {
			j, err := gen.Await(co, q.Get(0))
			if err != nil {
				return err
			}
			fmt.Println(j.priority, j.name)
		}
		return nil
	})
	// Output:
	// 0 high-priority item
	// 1 medium-priority item
	// 10 low-priority item
}

func ExampleLifoQueue() {
	runExample(func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewLifoQueue[int](loop, 0)
		q.Put(3, 0)
		q.Put(2, 0)
		q.Put(1, 0)
		for range 3 {
			v, err := q.GetNowait()
			if err != nil {
				return err
			}
			fmt.Println(v)
		}
		return nil
	})
	// Output:
	// 1
	// 2
	// 3
}
