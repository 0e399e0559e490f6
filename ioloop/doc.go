// Package ioloop is Gornado's event loop, Tornado's IOLoop in Go.
//
// One loop runs everything a program does as one of four things: a callback
// (AddCallback), a timed callback (CallLater, CallAt, PeriodicCallback), a
// handler for a ready file descriptor (AddHandler), or a coroutine that a
// future resumes (package gen). The loop runs them one at a time, so code on
// the loop may share plain maps and slices without locks.
//
// Each iteration of the loop does, in order:
//
//  1. run the callbacks queued before the iteration began, first in first out
//     (callbacks added meanwhile wait for the next iteration);
//  2. run the timeouts whose deadline has passed, in deadline order, ties in
//     the order they were scheduled; a removed timeout never runs;
//  3. poll (epoll on Linux, kqueue on the BSDs and macOS) with a timeout of
//     zero if callbacks are queued, else until the next deadline;
//  4. call the handlers of the file descriptors that are ready.
//
// A panic in any of them is recovered and logged with its stack, and the loop
// goes on. With Config.SlowCallback set, a watchdog logs the stack of any
// callback that holds the loop longer than that.
//
// The smallest complete use:
//
//	loop, err := ioloop.New(ioloop.Config{})
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer loop.Close()
//	loop.CallLater(100*time.Millisecond, func() {
//		fmt.Println("tick")
//		loop.Stop()
//	})
//	loop.Start()
//
// # Which goroutine
//
// AddCallback and Stop are safe from any goroutine; AddCallback is how other
// goroutines hand work to the loop. Everything else is loop-only: call it
// from code the loop runs, or from the goroutine that owns the loop while
// it is not running (before Start, after Start returns).
//
// A loop-only method called from another goroutine while the loop runs is
// a data race on the loop's state, and the loop does not hear of it: a
// timeout added so while the loop sleeps would fire only when something
// else woke the loop. Two cases are caught: a loop-only call while the
// loop sleeps in its poller panics with a message saying so (it costs an
// atomic load), and with Config.Debug every loop-only call from the wrong
// goroutine panics (it costs a stack read per call). The race detector
// reports the rest.
//
// "Runs on the loop" names a role, not a goroutine: when a coroutine parks
// in gen.Await, the goroutine it runs on keeps its stack and hands the role
// of running the loop to another goroutine (see Suspend). Every handoff
// passes a channel, so the race detector sees it.
//
// Blocking work goes to an Executor, a fixed pool of worker goroutines in the
// style of Waitress's ThreadedTaskDispatcher; RunInExecutor returns a future
// that completes on the loop.
package ioloop
