package ioloop

import (
	"runtime"
	"runtime/debug"
	"time"

	"github.com/gornado/gornado/internal/logattr"
)

// The loop role. Running the loop is a role that passes between goroutines
// the loop owns ("runners"). A coroutine that must wait parks the goroutine
// it runs on, with its stack, and hands the role to another runner
// (Suspend); when its future completes, the runner holding the role gives it
// back and waits to be needed (Resume). Every handoff is a channel send, so
// the race detector sees one goroutine at a time touching the loop.

// maxIdleRunners bounds the runners kept waiting for the role; more than
// this many exit once the coroutines that needed them resume.
const maxIdleRunners = 1024

// minIdleRunners is how many idle runners the loop keeps however long they
// stay unused. Above it, idle runners that no Suspend needed for a whole
// idleTrimEvery exit (trimIdle), so a burst of coroutines does not leave
// its goroutines behind until Close.
const minIdleRunners = 4

// idleTrimEvery is the period of trimIdle; a variable so that tests can
// shorten it.
var idleTrimEvery = time.Second

type signal uint8

const (
	sigRun    signal = iota // take the loop role
	sigClosed               // the loop closed while you were parked
	sigExit                 // you are not needed: exit
)

// runner is a goroutine that can hold the loop role.
type runner struct {
	ch   chan signal
	gid  int64
	exit bool
}

// Waiter is a coroutine's place in the loop while it is parked: package gen
// keeps one per coroutine and passes it to Suspend and Resume. The zero
// value is ready to use.
type Waiter struct {
	// What the coroutine waits for, and since when: package gen sets them
	// before Suspend, for Coroutines.
	What  string
	Since time.Time

	r          *runner
	prev, next *Waiter
}

// waiterList is an intrusive doubly linked list of parked waiters.
type waiterList struct{ head, tail *Waiter }

func (wl *waiterList) push(w *Waiter) {
	w.prev, w.next = wl.tail, nil
	if wl.tail != nil {
		wl.tail.next = w
	} else {
		wl.head = w
	}
	wl.tail = w
}

func (wl *waiterList) remove(w *Waiter) {
	if w.prev != nil {
		w.prev.next = w.next
	} else {
		wl.head = w.next
	}
	if w.next != nil {
		w.next.prev = w.prev
	} else {
		wl.tail = w.prev
	}
	w.prev, w.next = nil, nil
}

// takeRunner returns an idle runner, or starts one.
func (l *IOLoop) takeRunner() *runner {
	if n := len(l.idle); n > 0 {
		r := l.idle[n-1]
		l.idle[n-1] = nil
		l.idle = l.idle[:n-1]
		l.idleLow = min(l.idleLow, n-1)
		return r
	}
	r := &runner{ch: make(chan signal, 1)}
	l.runners.Add(1)
	go l.runnerMain(r)
	return r
}

// trimIdle retires the idle runners that stayed unused since the last trim,
// down to minIdleRunners, once per idleTrimEvery. The idle list is a stack
// (takeRunner pops its top), so the idleLow runners at its bottom are the
// ones no Suspend took during the period. Loop-only, called between
// iterations while more than minIdleRunners are idle.
func (l *IOLoop) trimIdle() {
	now := l.monotonic()
	if now-l.lastTrim < int64(idleTrimEvery) {
		return
	}
	l.lastTrim = now
	if excess := min(l.idleLow, len(l.idle)) - minIdleRunners; excess > 0 {
		for _, r := range l.idle[:excess] {
			r.ch <- sigExit
		}
		n := copy(l.idle, l.idle[excess:])
		clear(l.idle[n:])
		l.idle = l.idle[:n]
	}
	l.idleLow = len(l.idle)
}

func (l *IOLoop) runnerMain(r *runner) {
	defer l.runners.Done()
	r.gid = goid() // for Coroutines' stacks, the watchdog and Debug
	returned := false
	defer func() {
		if !returned {
			l.goexited(r)
		}
	}()
	l.serve(r)
	returned = true
}

// serve is a runner's life: take the role when asked, run the loop, give
// the role back when the loop stops, until told to exit.
func (l *IOLoop) serve(r *runner) {
	for {
		if sig := <-r.ch; sig != sigRun {
			return
		}
		l.tookRole(r)
		l.runLoop(r)
		if r.exit {
			return
		}
		// The loop stopped or closed and r holds the role: hand it back
		// to Start (or Close) and wait to be needed again.
		closed := l.closed
		if !closed {
			l.idle = append(l.idle, r)
		}
		l.returned <- struct{}{}
		if closed {
			return
		}
	}
}

// goexited runs when r's goroutine ends without returning: a callback, a
// handler or a coroutine called runtime.Goexit (t.FailNow and require do),
// which no recover stops. It is treated like a panic: logged with its
// stack, and the loop goes on. If r held the loop role, the role passes to
// another runner (or back to Close, which is releasing coroutines), so
// Start still returns at the next Stop and Close still closes.
func (l *IOLoop) goexited(r *runner) {
	if r.exit {
		return // retired: r holds nothing
	}
	if l.endingStuck {
		l.endingStuck = false // logged by suspendAfterClose
	} else {
		l.log.Error("ioloop: callback called runtime.Goexit (t.FailNow, t.Fatal or require in code on the loop?); "+
			"the loop goes on", logattr.Stack(debug.Stack()))
	}
	if l.closed {
		l.returned <- struct{}{}
		return
	}
	next := l.takeRunner()
	l.current = next
	next.ch <- sigRun
}

func (l *IOLoop) tookRole(r *runner) {
	if l.track {
		l.curGID.Store(r.gid)
	}
}

// Suspend parks the calling coroutine: it hands the loop to another runner
// and blocks until Resume(w) gives it back, then returns nil. If the loop
// is closed, or closes while w is parked, it returns ErrLoopClosed (after
// Close, at once; a coroutine that keeps calling it then is ended, see
// Close). It must be called on the loop, by code that a callback started
// (gen.Go's coroutines); arrange for Resume before calling it. Called from
// another goroutine it panics while the loop sleeps (or with
// Config.Debug), or while the loop is not running; otherwise it corrupts
// the loop. Most code wants gen.Await, which is built on it.
func (l *IOLoop) Suspend(w *Waiter) error {
	l.checkGoroutine("Suspend")
	if l.closed {
		l.suspendAfterClose()
		return ErrLoopClosed
	}
	if l.state.Load() != stateRunning {
		panic("ioloop: Suspend called while the loop is not running: only code the loop runs can park")
	}
	me := l.current
	w.r = me
	l.parked.push(w)
	if l.wd != nil {
		// The callback that runs the coroutine is over for now: the next
		// runner may sleep in the poller, which is not a slow callback.
		l.wd.end()
	}
	next := l.takeRunner()
	l.current = next
	next.ch <- sigRun
	if sig := <-me.ch; sig != sigRun {
		return ErrLoopClosed
	}
	l.tookRole(me)
	if l.wd != nil {
		l.wd.begin()
	}
	return nil
}

// suspendAfterClose counts the Suspends of a coroutine that Close released.
// Past maxSuspendsAfterClose the coroutine is not going to stop by itself:
// it is logged with its stack and ended with runtime.Goexit, which runs
// its deferred calls (on the loop role, as usual) and hands the loop back
// to Close (see goexited). Its future, if it is a gen coroutine, fails with
// future.ErrGoexit.
func (l *IOLoop) suspendAfterClose() {
	if !l.releasing {
		return
	}
	l.closedSuspends++
	if l.closedSuspends <= maxSuspendsAfterClose {
		return
	}
	l.log.Error("ioloop: a coroutine keeps waiting after Close (it retries on ErrLoopClosed?); "+
		"ending it with runtime.Goexit", "suspends", l.closedSuspends, logattr.Stack(debug.Stack()))
	l.endingStuck = true
	runtime.Goexit()
}

// Resume gives the loop to the coroutine parked on w and waits until the
// loop needs this goroutine again. Resuming a waiter that is not parked
// does nothing. Call it from a callback on the loop (a future's done
// callback), as the last thing the callback does: the goroutine may exit
// when Resume returns. Called from another goroutine it panics while the
// loop sleeps (or with Config.Debug); otherwise it corrupts the loop.
func (l *IOLoop) Resume(w *Waiter) {
	l.checkGoroutine("Resume")
	target := w.r
	if target == nil {
		return
	}
	w.r = nil
	l.parked.remove(w)
	me := l.current
	l.current = target
	if len(l.idle) >= maxIdleRunners {
		me.exit = true
	} else {
		l.idle = append(l.idle, me)
	}
	target.ch <- sigRun
	if me.exit {
		return // retired: touch nothing, unwind to runnerMain
	}
	if sig := <-me.ch; sig != sigRun {
		me.exit = true
		return
	}
	l.tookRole(me)
}

// maxSuspendsAfterClose is how many times a coroutine that Close released
// may call Suspend (each returns ErrLoopClosed at once) before Close gives
// up on it. A coroutine that retries on ErrLoopClosed would otherwise keep
// Close waiting for ever.
const maxSuspendsAfterClose = 10000

// releaseParked hands the loop, one at a time, to every parked coroutine
// with sigClosed, so each sees ErrLoopClosed and runs to its end alone.
func (l *IOLoop) releaseParked() {
	for w := l.parked.head; w != nil; w = l.parked.head {
		l.parked.remove(w)
		r := w.r
		w.r = nil
		l.current = r
		l.releasing, l.closedSuspends = true, 0
		r.ch <- sigClosed
		<-l.returned
	}
	l.releasing = false
	for _, r := range l.idle {
		r.ch <- sigExit
	}
	l.idle = nil
	l.runners.Wait()
}
