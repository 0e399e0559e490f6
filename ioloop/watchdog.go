package ioloop

import (
	"bytes"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gornado/gornado/internal/logattr"
)

// watchdog logs callbacks that hold the loop longer than a threshold, with
// the stack of the code still running, as Tornado's
// set_blocking_signal_threshold did before 5.0. The loop marks the start and
// end of each callback; a goroutine ticking at a quarter of the threshold
// looks for one that has run too long and reports it once.
type watchdog struct {
	loop      *IOLoop
	threshold time.Duration
	seq       atomic.Uint64
	started   atomic.Int64 // unix nanoseconds; 0 between callbacks
	quit      chan struct{}
	done      chan struct{}
}

func newWatchdog(l *IOLoop, threshold time.Duration) *watchdog {
	return &watchdog{loop: l, threshold: threshold}
}

func (w *watchdog) begin() {
	w.seq.Add(1)
	w.started.Store(time.Now().UnixNano())
}

func (w *watchdog) end() { w.started.Store(0) }

func (w *watchdog) start() {
	w.quit = make(chan struct{})
	w.done = make(chan struct{})
	go w.watch()
}

func (w *watchdog) stop() {
	close(w.quit)
	<-w.done
}

func (w *watchdog) watch() {
	defer close(w.done)
	tick := max(w.threshold/4, time.Millisecond)
	t := time.NewTicker(tick)
	defer t.Stop()
	var reported uint64
	for {
		select {
		case <-w.quit:
			return
		case <-t.C:
		}
		seq := w.seq.Load()
		started := w.started.Load()
		if started == 0 || seq == reported {
			continue
		}
		blocked := time.Duration(time.Now().UnixNano() - started)
		if blocked < w.threshold {
			continue
		}
		reported = seq
		w.loop.log.Warn("ioloop: callback is blocking the loop",
			"blocked", blocked, "threshold", w.threshold,
			logattr.Stack(goroutineStack(w.loop.curGID.Load())))
	}
}

// goroutineStack returns the stack of goroutine gid, read from a dump of
// all goroutines (Go offers no cheaper way to see another goroutine's stack).
func goroutineStack(gid int64) []byte {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	prefix := []byte("goroutine " + strconv.FormatInt(gid, 10) + " ")
	for _, block := range bytes.Split(buf, []byte("\n\n")) {
		if bytes.HasPrefix(block, prefix) {
			return block
		}
	}
	return nil
}

// goid returns the calling goroutine's id, parsed from its stack header
// "goroutine 123 [running]:". Used only for the watchdog and Debug checks.
func goid() int64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseInt(string(b), 10, 64)
	return id
}

// checkGoroutine panics when a loop-only method is called from a goroutine
// other than the one running the loop, in the cases it can tell: always
// while the loop sleeps in its poller (one atomic load: a loop that sleeps
// runs no code that could make the call), and in Debug mode always.
func (l *IOLoop) checkGoroutine(op string) {
	if l.sleeping.Load() {
		panic("ioloop: " + op + " called from a goroutine that is not running the loop, while the loop sleeps " +
			"(it would not see the change until something woke it): call it on the loop, by way of AddCallback")
	}
	if !l.debug || l.state.Load() != stateRunning {
		return
	}
	if g, want := goid(), l.curGID.Load(); g != want {
		panic("ioloop: " + op + " called from goroutine " + strconv.FormatInt(g, 10) +
			", but goroutine " + strconv.FormatInt(want, 10) + " runs the loop")
	}
}
