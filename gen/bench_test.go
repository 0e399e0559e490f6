package gen

// Micro-benchmarks of coroutines: Await of a done future, Go of a function
// that never suspends, and Await round trips that do suspend. bench/micro.sh
// runs them next to Tornado's equivalents (bench/tornado_micro.py).
//
// Every benchmark checks its own count of work done and closes its loop;
// benchLoop's cleanup fails the benchmark if goroutines are left over.
// The "switches/op" metric counts loop-role handoffs between goroutines,
// measured in a short untimed pass (see handoffs).

import (
	"bytes"
	"log/slog"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

const benchBatch = 1024

// benchLoop returns a loop that has run once, so its first runner goroutine
// already exists, and registers a cleanup that closes it and checks that
// every goroutine it started has exited.
func benchLoop(b *testing.B) *ioloop.IOLoop {
	b.Helper()
	base := runtime.NumGoroutine()
	l, err := ioloop.New(ioloop.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := l.Close(); err != nil {
			b.Errorf("Close: %v", err)
		}
		deadline := time.Now().Add(time.Second)
		for runtime.NumGoroutine() > base {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				b.Fatalf("%d goroutines left over:\n%s",
					runtime.NumGoroutine()-base, buf[:runtime.Stack(buf, true)])
			}
			time.Sleep(time.Millisecond)
		}
	})
	l.AddCallback(l.Stop)
	if err := l.Start(); err != nil {
		b.Fatal(err)
	}
	return l
}

// goid returns the calling goroutine's id (slow: only for untimed checks).
func goid() int64 {
	var buf [64]byte
	s := buf[:runtime.Stack(buf[:], false)]
	s = bytes.TrimPrefix(s, []byte("goroutine "))
	s = s[:bytes.IndexByte(s, ' ')]
	id, _ := strconv.ParseInt(string(s), 10, 64)
	return id
}

// handoffs tracks which goroutine runs loop code: mark records the current
// goroutine at points where loop code runs, and count is the number of
// times the goroutine changed between consecutive marks. Loop code runs
// one piece at a time, so a change is a handoff of the loop role.
type handoffs struct {
	last    int64
	changes int
}

func (h *handoffs) mark() {
	g := goid()
	if h.last != 0 && g != h.last {
		h.changes++
	}
	h.last = g
}

// BenchmarkAwaitDone is Await of a future that is already done, inside one
// coroutine (Tornado target: ≤ 50 ns, no goroutine switch).
func BenchmarkAwaitDone(b *testing.B) {
	l := benchLoop(b)
	f := future.Resolved(l, 1)

	// Untimed: Await of a done future stays on the goroutine.
	var h handoffs
	if _, err := RunSync(l, func(co *Co) (int, error) {
		for range 100 {
			h.mark()
			if _, err := Await(co, f); err != nil {
				return 0, err
			}
		}
		h.mark()
		return 0, nil
	}, 0); err != nil || h.changes != 0 {
		b.Fatalf("Await of a done future: %d handoffs (err %v)", h.changes, err)
	}

	n := b.N
	b.ReportAllocs()
	b.ResetTimer()
	sum, err := RunSync(l, func(co *Co) (int, error) {
		sum := 0
		for range n {
			v, err := Await(co, f)
			if err != nil {
				return 0, err
			}
			sum += v
		}
		return sum, nil
	}, 0)
	b.StopTimer()
	b.ReportMetric(float64(h.changes)/100, "switches/op")
	if err != nil || sum != n {
		b.Fatalf("sum %d, want %d (err %v)", sum, n, err)
	}
}

// benchGo starts b.N coroutines running fn, benchBatch per loop iteration,
// from a driver callback, and checks each one's future. Per op: Go, the
// coroutine run to its end, and its future completed.
func benchGo(b *testing.B, l *ioloop.IOLoop, fn func(*Co) (int, error), ran *int) {
	n, issued, checked := b.N, 0, 0
	bad := 0
	futs := make([]*future.Future[int], 0, benchBatch)
	var drive func()
	drive = func() {
		// Coroutines that suspend may not be done yet: look again in the
		// next iteration.
		for ; checked < len(futs); checked++ {
			f := futs[checked]
			if !f.Done() {
				l.AddCallback(drive)
				return
			}
			if v, err := f.Result(); v != 1 || err != nil {
				bad++
			}
		}
		futs, checked = futs[:0], 0
		if issued == n {
			l.Stop()
			return
		}
		k := min(benchBatch, n-issued)
		for range k {
			futs = append(futs, Go(l, fn))
		}
		issued += k
		l.AddCallback(drive)
	}
	l.AddCallback(drive)
	b.ReportAllocs()
	b.ResetTimer()
	if err := l.Start(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if *ran != n || bad != 0 {
		b.Fatalf("%d coroutines ran, want %d; %d futures wrong", *ran, n, bad)
	}
}

// goHandoffs runs k coroutines of fn (started like benchGo's) and returns
// the loop-role handoffs per coroutine; fn must call h.mark.
func goHandoffs(b *testing.B, l *ioloop.IOLoop, h *handoffs, fn func(*Co) (int, error), k int) float64 {
	l.AddCallback(func() {
		h.mark()
		fs := make([]*future.Future[int], k)
		for i := range fs {
			fs[i] = Go(l, fn)
		}
		f := All(l, fs...)
		f.OnDone(func() {
			h.mark()
			l.Stop()
		})
	})
	if err := l.Start(); err != nil {
		b.Fatal(err)
	}
	return float64(h.changes) / float64(k)
}

// BenchmarkGoNoSuspend is Go of a function that returns at once (asyncio's
// create_task of a coroutine that never awaits). Target: no goroutine
// switch. The untimed pass checks that every coroutine body ran on the
// goroutine that ran the driver: the loop role never moved.
func BenchmarkGoNoSuspend(b *testing.B) {
	l := benchLoop(b)
	var h handoffs
	sw := goHandoffs(b, l, &h, func(co *Co) (int, error) { h.mark(); return 1, nil }, 256)
	if h.changes != 0 {
		b.Fatalf("coroutines that never suspend: %d handoffs", h.changes)
	}
	ran := 0
	benchGo(b, l, func(co *Co) (int, error) { ran++; return 1, nil }, &ran)
	b.ReportMetric(sw, "switches/op")
}

// BenchmarkGoSuspendOnce is Go of a function that suspends once
// (gen.Moment, Tornado's gen.moment / asyncio.sleep(0)) and then returns:
// with benchBatch coroutines parked at once, each parks on its own
// goroutine.
func BenchmarkGoSuspendOnce(b *testing.B) {
	l := benchLoop(b)
	var h handoffs
	sw := goHandoffs(b, l, &h, func(co *Co) (int, error) {
		h.mark()
		if err := Moment(co); err != nil {
			return 0, err
		}
		h.mark()
		return 1, nil
	}, 256)
	ran := 0
	benchGo(b, l, func(co *Co) (int, error) {
		if err := Moment(co); err != nil {
			return 0, err
		}
		ran++
		return 1, nil
	}, &ran)
	b.ReportMetric(sw, "switches/op")
}

// BenchmarkAwaitSuspend is an Await that suspends and is resumed: the
// coroutine awaits a pending future that a callback completes (Tornado
// target: ≤ 1 µs per round trip). The untimed pass marks the coroutine and
// the completing callback, which runs on the goroutine that took the loop
// role when the coroutine parked: two handoffs per round trip.
func BenchmarkAwaitSuspend(b *testing.B) {
	l := benchLoop(b)
	round := func(h *handoffs, n int) (int, error) {
		return RunSync(l, func(co *Co) (int, error) {
			var cur *future.Future[int]
			complete := func() { cur.SetResult(1) }
			if h != nil {
				complete = func() { h.mark(); cur.SetResult(1) }
			}
			sum := 0
			for range n {
				cur = future.New[int](l)
				l.AddCallback(complete)
				v, err := Await(co, cur)
				if err != nil {
					return 0, err
				}
				if h != nil {
					h.mark()
				}
				sum += v
			}
			return sum, nil
		}, 0)
	}
	var h handoffs
	const k = 100
	if sum, err := round(&h, k); err != nil || sum != k {
		b.Fatalf("sum %d, want %d (err %v)", sum, k, err)
	}
	n := b.N
	b.ReportAllocs()
	b.ResetTimer()
	sum, err := round(nil, n)
	b.StopTimer()
	b.ReportMetric(float64(h.changes+1)/k, "switches/op") // the first mark sees no change
	if err != nil || sum != n {
		b.Fatalf("sum %d, want %d (err %v)", sum, n, err)
	}
}

// BenchmarkAwaitPingPong: two coroutines take turns, each completing the
// future the other awaits. Per op: one round trip, ping and pong (two
// suspends and two resumes).
func BenchmarkAwaitPingPong(b *testing.B) {
	l := benchLoop(b)
	n := b.N
	b.ReportAllocs()
	b.ResetTimer()
	sum, err := RunSync(l, func(co *Co) (int, error) {
		ping, pong := future.New[int](l), future.New[int](l)
		got := 0
		pb := Go(l, func(co *Co) (int, error) {
			for range n {
				v, err := Await(co, ping)
				if err != nil {
					return 0, err
				}
				ping = future.New[int](l)
				pong.SetResult(v)
			}
			return 0, nil
		})
		pa := Go(l, func(co *Co) (int, error) {
			for i := range n {
				pong = future.New[int](l)
				ping.SetResult(i)
				v, err := Await(co, pong)
				if err != nil {
					return 0, err
				}
				if v != i {
					return 0, future.ErrNotDone
				}
				got++
			}
			return 0, nil
		})
		if _, err := Await(co, pa); err != nil {
			return 0, err
		}
		if _, err := Await(co, pb); err != nil {
			return 0, err
		}
		return got, nil
	}, 0)
	b.StopTimer()
	if err != nil || sum != n {
		b.Fatalf("%d round trips, want %d (err %v)", sum, n, err)
	}
}

// BenchmarkAwaitExecutor: a coroutine awaits RunInExecutor, one task at a
// time (gen's view of ioloop's BenchmarkRunInExecutor).
func BenchmarkAwaitExecutor(b *testing.B) {
	l := benchLoop(b)
	n := b.N
	work := func() (int, error) { return 1, nil }
	b.ReportAllocs()
	b.ResetTimer()
	sum, err := RunSync(l, func(co *Co) (int, error) {
		sum := 0
		for range n {
			v, err := Await(co, ioloop.RunInExecutor(l, nil, work))
			if err != nil {
				return 0, err
			}
			sum += v
		}
		return sum, nil
	}, 0)
	b.StopTimer()
	if err != nil || sum != n {
		b.Fatalf("sum %d, want %d (err %v)", sum, n, err)
	}
}
