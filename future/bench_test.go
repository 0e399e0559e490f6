package future

// Micro-benchmarks of Future alone, on a scheduler that only queues
// callbacks (the loop's own costs are in ioloop's and gen's benchmarks).

import (
	"sync"
	"testing"
)

// queueSched is a Scheduler that queues callbacks; run drains the queue
// and runs them (callbacks they add wait for the next run).
type queueSched struct {
	mu sync.Mutex
	q  []func()
}

func (s *queueSched) AddCallback(fn func()) {
	s.mu.Lock()
	s.q = append(s.q, fn)
	s.mu.Unlock()
}

func (s *queueSched) run() {
	s.mu.Lock()
	q := s.q
	s.q = nil
	s.mu.Unlock()
	for i, fn := range q {
		q[i] = nil
		fn()
	}
	s.mu.Lock()
	if s.q == nil {
		s.q = q[:0]
	}
	s.mu.Unlock()
}

// BenchmarkFutureSetResult: New, SetResult and Result, no callbacks.
func BenchmarkFutureSetResult(b *testing.B) {
	s := &queueSched{}
	sum := 0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f := New[int](s)
		f.SetResult(1)
		v, err := f.Result()
		if err != nil {
			b.Fatal(err)
		}
		sum += v
	}
	if sum != b.N {
		b.Fatalf("sum %d, want %d", sum, b.N)
	}
}

// BenchmarkFutureResolved: Resolved then Result (what an Await of a done
// future reads).
func BenchmarkFutureResolved(b *testing.B) {
	s := &queueSched{}
	sum := 0
	b.ReportAllocs()
	for b.Loop() {
		v, _ := Resolved(s, 1).Result()
		sum += v
	}
	if sum != b.N {
		b.Fatalf("sum %d, want %d", sum, b.N)
	}
}

// benchCallbacks runs b.N futures, each with one done callback, through
// the scheduler in batches of 1024 (add is OnDone or AddDoneCallback).
func benchCallbacks(b *testing.B, add func(f *Future[int], sum *int)) {
	s := &queueSched{}
	sum, left := 0, b.N
	b.ReportAllocs()
	b.ResetTimer()
	for left > 0 {
		k := min(left, 1024)
		for range k {
			f := New[int](s)
			add(f, &sum)
			f.SetResult(1)
		}
		s.run()
		left -= k
	}
	b.StopTimer()
	if sum != b.N {
		b.Fatalf("sum %d, want %d", sum, b.N)
	}
}

// BenchmarkFutureOnDone: New, OnDone with a func value built once,
// SetResult, and the callback run by the scheduler (gen.Await's path).
func BenchmarkFutureOnDone(b *testing.B) {
	var sum *int
	cb := func() { *sum++ }
	benchCallbacks(b, func(f *Future[int], s *int) {
		sum = s
		f.OnDone(cb)
	})
}

// BenchmarkFutureAddDoneCallback: the same with a typed callback, which
// schedule wraps in a closure per call.
func BenchmarkFutureAddDoneCallback(b *testing.B) {
	var sum *int
	cb := func(f *Future[int]) {
		v, _ := f.Result()
		*sum += v
	}
	benchCallbacks(b, func(f *Future[int], s *int) {
		sum = s
		f.AddDoneCallback(cb)
	})
}

// BenchmarkFutureSetResultFromGoroutine: another goroutine completes each
// future while the benchmark goroutine waits for its callback: a
// cross-goroutine completion and handback, as executor tasks do.
func BenchmarkFutureSetResultFromGoroutine(b *testing.B) {
	s := &chanSched{ch: make(chan func(), 1)}
	futs := make(chan *Future[int])
	done := make(chan struct{})
	go func() {
		defer close(done)
		for f := range futs {
			f.SetResult(1)
		}
	}()
	sum := 0
	cb := func() { sum++ }
	b.ReportAllocs()
	for b.Loop() {
		f := New[int](s)
		f.OnDone(cb)
		futs <- f
		(<-s.ch)()
	}
	close(futs)
	<-done
	if sum != b.N {
		b.Fatalf("sum %d, want %d", sum, b.N)
	}
}

// chanSched hands each callback to whoever receives from ch.
type chanSched struct{ ch chan func() }

func (s *chanSched) AddCallback(fn func()) { s.ch <- fn }
