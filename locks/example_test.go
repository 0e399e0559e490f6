package locks_test

import (
	"fmt"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/locks"
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

func ExampleCondition() {
	runExample(func(loop *ioloop.IOLoop, co *gen.Co) error {
		cond := locks.NewCondition(loop)
		waiter := gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			fmt.Println("I'll wait right here")
			_, err := gen.Await(co, cond.Wait(0))
			fmt.Println("I'm done waiting")
			return struct{}{}, err
		})
		notifier := gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			fmt.Println("About to notify")
			cond.Notify(1)
			fmt.Println("Done notifying")
			return struct{}{}, nil
		})
		// Wait for waiter and notifier in parallel.
		_, err := gen.Await(co, gen.All(loop, waiter, notifier))
		return err
	})
	// Output:
	// I'll wait right here
	// About to notify
	// Done notifying
	// I'm done waiting
}

func ExampleEvent() {
	runExample(func(loop *ioloop.IOLoop, co *gen.Co) error {
		event := locks.NewEvent(loop)
		waiter := gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			fmt.Println("Waiting for event")
			if _, err := gen.Await(co, event.Wait(0)); err != nil {
				return struct{}{}, err
			}
			fmt.Println("Not waiting this time")
			_, err := gen.Await(co, event.Wait(0))
			fmt.Println("Done")
			return struct{}{}, err
		})
		setter := gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			fmt.Println("About to set the event")
			event.Set()
			return struct{}{}, nil
		})
		_, err := gen.Await(co, gen.All(loop, waiter, setter))
		return err
	})
	// Output:
	// Waiting for event
	// About to set the event
	// Not waiting this time
	// Done
}

func ExampleSemaphore_With() {
	runExample(func(loop *ioloop.IOLoop, co *gen.Co) error {
		// At most two workers at a time.
		sem := locks.NewSemaphore(loop, 2)
		// Worker i's work takes steps[i] loop iterations.
		steps := []int{1, 3, 1}
		var workers []*future.Future[struct{}]
		for i, n := range steps {
			workers = append(workers, gen.Go(loop, func(co *gen.Co) (struct{}, error) {
				return struct{}{}, sem.With(co, 0, func() error {
					fmt.Printf("Worker %d is working\n", i)
					for range n {
						if err := gen.Moment(co); err != nil {
							return err
						}
					}
					fmt.Printf("Worker %d is done\n", i)
					return nil
				})
			}))
		}
		_, err := gen.Await(co, gen.All(loop, workers...))
		return err
	})
	// Output:
	// Worker 0 is working
	// Worker 1 is working
	// Worker 0 is done
	// Worker 2 is working
	// Worker 2 is done
	// Worker 1 is done
}

func ExampleLock_With() {
	runExample(func(loop *ioloop.IOLoop, co *gen.Co) error {
		lock := locks.NewLock(loop)
		balance := 100
		// withdraw reads the balance, waits (a round trip to a database,
		// say) and writes it back: without the lock, two withdrawals
		// would both read 100.
		withdraw := func(amount int) *future.Future[struct{}] {
			return gen.Go(loop, func(co *gen.Co) (struct{}, error) {
				return struct{}{}, lock.With(co, time.Second, func() error {
					b := balance
					if err := gen.Moment(co); err != nil {
						return err
					}
					balance = b - amount
					return nil
				})
			})
		}
		_, err := gen.Await(co, gen.All(loop, withdraw(30), withdraw(20)))
		fmt.Println("balance:", balance)
		return err
	})
	// Output:
	// balance: 50
}
