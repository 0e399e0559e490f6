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
//	defer loop.Close(false)
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
// from code the loop runs, or before Start. Config.Debug makes loop-only
// methods panic when called from another goroutine.
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
