package ioloop

// Micro-benchmarks of the loop's hot paths: callbacks, timers, the role
// handoff behind gen.Await, and the executor round trip. bench/micro.sh
// runs them next to Tornado's equivalents (bench/tornado_micro.py).
//
// Every benchmark checks its own count of work done and closes its loop;
// benchLoop's cleanup fails the benchmark if goroutines are left over.

import (
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/gornado/gornado/future"
)

// benchBatch is how many callbacks (or coroutines) a driver callback queues
// at once: the loop's per-iteration cost (lock, swap, poll syscall) is
// shared by this many operations, as in a busy server.
const benchBatch = 1024

// benchLoop returns a loop that has run once, so its first runner goroutine
// already exists, and registers a cleanup that closes it and checks that
// every goroutine it started has exited.
func benchLoop(b *testing.B) *IOLoop {
	b.Helper()
	base := runtime.NumGoroutine()
	l, err := New(Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := l.Close(); err != nil {
			b.Errorf("Close: %v", err)
		}
		waitGoroutines(b, base)
	})
	l.AddCallback(l.Stop)
	if err := l.Start(); err != nil {
		b.Fatal(err)
	}
	return l
}

// waitGoroutines fails b unless the number of goroutines falls back to
// base within a second (exiting goroutines take a moment to be gone).
func waitGoroutines(b *testing.B, base int) {
	b.Helper()
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			b.Fatalf("%d goroutines left over (had %d):\n%s",
				runtime.NumGoroutine()-base, base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(time.Millisecond)
	}
}

func start(b *testing.B, l *IOLoop) {
	b.Helper()
	if err := l.Start(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAddCallback is AddCallback plus running the callback, per
// callback, with a func value built once. A driver callback queues
// benchBatch callbacks and then itself, so each iteration of the loop runs
// a batch (Tornado target: ≤ 100 ns, 0 allocs).
func BenchmarkAddCallback(b *testing.B) {
	l := benchLoop(b)
	n, ran, added := b.N, 0, 0
	cb := func() { ran++ }
	var drive func()
	drive = func() {
		if added == n {
			l.Stop()
			return
		}
		k := min(benchBatch, n-added)
		for range k {
			l.AddCallback(cb)
		}
		added += k
		l.AddCallback(drive)
	}
	l.AddCallback(drive)
	b.ReportAllocs()
	b.ResetTimer()
	start(b, l)
	b.StopTimer()
	if ran != n {
		b.Fatalf("ran %d callbacks, want %d", ran, n)
	}
}

// BenchmarkAddCallbackChain is one callback per loop iteration: the
// callback re-adds itself. Each op is a whole iteration, poll syscall
// (epoll_wait with a zero timeout) included.
func BenchmarkAddCallbackChain(b *testing.B) {
	l := benchLoop(b)
	n, ran := b.N, 0
	var cb func()
	cb = func() {
		ran++
		if ran < n {
			l.AddCallback(cb)
		} else {
			l.Stop()
		}
	}
	l.AddCallback(cb)
	b.ReportAllocs()
	b.ResetTimer()
	start(b, l)
	b.StopTimer()
	if ran != n {
		b.Fatalf("ran %d callbacks, want %d", ran, n)
	}
}

// BenchmarkAddCallbackFromGoroutine: another goroutine adds b.N callbacks
// while the loop runs them (lock contention and eventfd wake-ups included).
func BenchmarkAddCallbackFromGoroutine(b *testing.B) {
	l := benchLoop(b)
	n, ran := b.N, 0
	ok := false
	cb := func() { ran++ }
	finish := func() {
		ok = ran == n // FIFO: every callback added before finish has run
		l.Stop()
	}
	b.ReportAllocs()
	b.ResetTimer()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			l.AddCallback(cb)
		}
		l.AddCallback(finish)
	}()
	start(b, l)
	b.StopTimer()
	<-done
	if !ok {
		b.Fatalf("ran %d callbacks before finish, want %d", ran, n)
	}
}

// timerDelays returns k pseudo-random delays spread over [lo, lo+spread),
// so the heap orders timers by real keys rather than by sequence number.
func timerDelays(k int, lo, spread time.Duration) []time.Duration {
	d := make([]time.Duration, k)
	x := uint64(0x9E3779B97F4A7C15)
	for i := range d {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		d[i] = lo + time.Duration(x%uint64(spread))
	}
	return d
}

// benchTimers schedules b.N timers in rounds of batch: each round calls
// CallLater batch times, then RemoveTimeout on every other one, and the
// other half fire. The next round starts when the last of them has fired.
// Per op: one timer scheduled, then fired or cancelled, heap work included.
func benchTimers(b *testing.B, batch int, lo, spread time.Duration) {
	l := benchLoop(b)
	n := b.N
	delays := timerDelays(min(batch, n), lo, spread)
	handles := make([]*Timeout, len(delays))
	scheduled, fired, want := 0, 0, 0
	var round func()
	fire := func() {
		fired++
		if fired == want {
			if scheduled == n {
				l.Stop()
			} else {
				l.AddCallback(round)
			}
		}
	}
	round = func() {
		k := min(len(delays), n-scheduled)
		for i := range k {
			handles[i] = l.CallLater(delays[i], fire)
		}
		for i := 1; i < k; i += 2 {
			l.RemoveTimeout(handles[i])
		}
		clear(handles[:k])
		scheduled += k
		want += (k + 1) / 2
	}
	l.AddCallback(round)
	b.ReportAllocs()
	b.ResetTimer()
	start(b, l)
	b.StopTimer()
	if scheduled != n || fired != want || want < n/2 {
		b.Fatalf("scheduled %d of %d timers, fired %d, want %d", scheduled, n, fired, want)
	}
	if p := l.PendingTimeouts(); p != 0 {
		b.Fatalf("%d timeouts left in the heap", p)
	}
}

// BenchmarkTimer: rounds of 1M timers (fewer if b.N is smaller) with
// deadlines spread over 1 ms, half of them cancelled right after being
// scheduled (Tornado target: ≤ 300 ns per timer, amortized). Scheduling a
// round takes far longer than 1 ms, so the loop never waits for a deadline.
func BenchmarkTimer(b *testing.B) {
	benchTimers(b, 1<<20, 0, time.Millisecond)
}

// BenchmarkTimerSmallHeap: the same in rounds of 1024 timers. Their
// deadlines are spread over the millisecond before now, so they are due at
// once and the loop does not sleep (epoll's millisecond granularity would
// otherwise dominate).
func BenchmarkTimerSmallHeap(b *testing.B) {
	benchTimers(b, benchBatch, -time.Millisecond, time.Millisecond)
}

// BenchmarkSuspendResume is the bare role handoff behind gen.Await and
// gen.Moment: a callback queues a callback that resumes it and suspends.
// Per op: two goroutine handoffs (channel send and receive each way) and
// one loop iteration.
func BenchmarkSuspendResume(b *testing.B) {
	l := benchLoop(b)
	n, resumed := b.N, 0
	var w Waiter
	resume := func() { l.Resume(&w) }
	var err error
	l.AddCallback(func() {
		for range n {
			l.AddCallback(resume)
			if err = l.Suspend(&w); err != nil {
				break
			}
			resumed++
		}
		l.Stop()
	})
	b.ReportAllocs()
	b.ResetTimer()
	start(b, l)
	b.StopTimer()
	if err != nil || resumed != n {
		b.Fatalf("resumed %d times, want %d (err %v)", resumed, n, err)
	}
}

// benchExecutor runs b.N RunInExecutor round trips, inFlight at a time:
// each completion (a done callback on the loop) submits the next task.
// Per op: submit, a worker runs fn, the result comes back to the loop.
func benchExecutor(b *testing.B, inFlight int) {
	l := benchLoop(b)
	n, issued, completed, sum := b.N, 0, 0, 0
	var failed error
	work := func() (int, error) { return 1, nil }
	type chain struct {
		f    *future.Future[int]
		next func()
	}
	chains := make([]*chain, min(inFlight, n))
	for i := range chains {
		c := &chain{}
		c.next = func() {
			if c.f != nil {
				v, err := c.f.Result()
				if err != nil && failed == nil {
					failed = err
				}
				sum += v
				completed++
				if completed == n {
					l.Stop()
					return
				}
			}
			if issued < n {
				issued++
				c.f = RunInExecutor(l, nil, work)
				c.f.OnDone(c.next)
			}
		}
		chains[i] = c
	}
	l.AddCallback(func() {
		for _, c := range chains {
			c.next()
		}
	})
	b.ReportAllocs()
	b.ResetTimer()
	start(b, l)
	b.StopTimer()
	if failed != nil || sum != n || completed != n {
		b.Fatalf("completed %d, sum %d, want %d (err %v)", completed, sum, n, failed)
	}
}

// BenchmarkRunInExecutor: submit → result on the loop, one at a time
// (default executor, 4 workers).
func BenchmarkRunInExecutor(b *testing.B) { benchExecutor(b, 1) }

// BenchmarkRunInExecutor64: the same with 64 tasks in flight.
func BenchmarkRunInExecutor64(b *testing.B) { benchExecutor(b, 64) }
