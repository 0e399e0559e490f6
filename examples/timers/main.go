// Command timers shows the loop's timed callbacks and coroutines: a
// CallLater, a PeriodicCallback, coroutines that Sleep and wait for each
// other with All, and a blocking function on the executor. It prints what
// happens as it happens and exits when the work is done (or on Ctrl-C).
//
//	go run ./examples/timers
package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "timers:", err)
		os.Exit(1)
	}
}

func run(out io.Writer) error {
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		return err
	}
	defer loop.Close()

	start := loop.Time()
	say := func(format string, args ...any) {
		elapsed := loop.Time().Sub(start).Round(time.Millisecond)
		fmt.Fprintf(out, "%6s  %s\n", elapsed, fmt.Sprintf(format, args...))
	}

	// Ctrl-C stops the loop; the signal arrives on another goroutine, and
	// AddCallback is how other goroutines talk to the loop.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		if _, ok := <-sigs; ok {
			loop.AddCallback(func() { say("interrupted"); loop.Stop() })
		}
	}()

	ticks := 0
	heartbeat := ioloop.NewPeriodicCallback(loop, func() {
		ticks++
		say("heartbeat %d", ticks)
	}, 250*time.Millisecond)

	_, err = gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		heartbeat.Start()
		defer heartbeat.Stop()

		loop.CallLater(100*time.Millisecond, func() { say("CallLater fired after 100ms") })

		// Three coroutines sleep for different times; All waits for every
		// one and returns their results in the order given.
		sleeper := func(name string, d time.Duration) *future.Future[string] {
			return gen.Go(loop, func(co *gen.Co) (string, error) {
				say("%s sleeps %v", name, d)
				if err := gen.Sleep(co, d); err != nil {
					return "", err
				}
				say("%s woke up", name)
				return name, nil
			})
		}
		names, err := gen.Await(co, gen.All(loop, []*future.Future[string]{
			sleeper("slow", 600*time.Millisecond),
			sleeper("quick", 200*time.Millisecond),
			sleeper("medium", 400*time.Millisecond),
		}...))
		if err != nil {
			return struct{}{}, err
		}
		say("all sleepers done: %v", names)

		// Blocking work goes to the executor; the loop keeps ticking.
		say("computing primes on the executor")
		n, err := gen.Await(co, ioloop.RunInExecutor(loop, nil, func() (int, error) {
			return countPrimes(2_000_000), nil
		}))
		if err != nil {
			return struct{}{}, err
		}
		say("%d primes below 2,000,000", n)
		return struct{}{}, gen.Sleep(co, 300*time.Millisecond)
	}, 0)
	if err != nil && err != ioloop.ErrStopped {
		return err
	}
	say("done after %d heartbeats", ticks)
	return nil
}

// countPrimes is deliberately blocking CPU work: a sieve of Eratosthenes.
func countPrimes(limit int) int {
	composite := make([]bool, limit)
	count := 0
	for i := 2; i < limit; i++ {
		if composite[i] {
			continue
		}
		count++
		for j := i * i; j < limit; j += i {
			composite[j] = true
		}
	}
	return count
}
