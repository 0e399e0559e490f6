// Command timers shows the loop's timed callbacks and coroutines: a
// CallLater, a PeriodicCallback, coroutines that Sleep and wait for each
// other with All, a blocking function on the executor, and a child
// process whose output a coroutine reads line by line. It prints what
// happens as it happens and exits when the work is done (or on Ctrl-C).
//
//	go run ./examples/timers
package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/process"
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

	// Ctrl-C stops the loop: the handler runs on the loop.
	defer loop.AddSignalHandler(func(os.Signal) { say("interrupted"); loop.Stop() }, os.Interrupt, syscall.SIGTERM)()

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

		// A child process, its output read line by line as it comes: the
		// loop watches the child, no goroutine waits for it.
		child, err := process.Start(loop, exec.Command("sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.05; done"),
			process.Config{Stdout: true})
		if err != nil {
			return struct{}{}, err
		}
		for {
			line, err := gen.Await(co, child.Stdout.ReadUntil([]byte("\n"), 1024))
			if err != nil {
				break // the end of its output
			}
			say("child says %q", strings.TrimSpace(string(line)))
		}
		code, err := gen.Await(co, child.WaitForExit(true))
		if err != nil {
			return struct{}{}, err
		}
		say("child exited with status %d", code)
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
