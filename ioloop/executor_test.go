package ioloop_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/ioloop"
)

// blocker is a task that reports when it starts and runs until released.
type blocker struct {
	started chan int
	release chan struct{}
	running atomic.Int32
	peak    atomic.Int32
}

func newBlocker() *blocker {
	return &blocker{started: make(chan int, 100), release: make(chan struct{})}
}

func (b *blocker) task(id int) func() {
	return func() {
		n := b.running.Add(1)
		for {
			p := b.peak.Load()
			if n <= p || b.peak.CompareAndSwap(p, n) {
				break
			}
		}
		b.started <- id
		<-b.release
		b.running.Add(-1)
	}
}

func (b *blocker) waitStarted(t *testing.T, n int) []int {
	t.Helper()
	var ids []int
	for range n {
		select {
		case id := <-b.started:
			ids = append(ids, id)
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of %d tasks started", len(ids), n)
		}
	}
	return ids
}

func TestExecutorGrowAndShrink(t *testing.T) {
	e := ioloop.NewExecutor(ioloop.ExecutorConfig{Workers: 2, WarnInterval: -1})
	defer e.Shutdown(ioloop.ShutdownConfig{CancelPending: true, Timeout: time.Second})
	assert.Equal(t, 2, e.ThreadCount())

	e.SetThreadCount(4)
	assert.Equal(t, 4, e.ThreadCount())
	b := newBlocker()
	for i := range 4 {
		require.NoError(t, e.Submit(b.task(i)))
	}
	assert.ElementsMatch(t, []int{0, 1, 2, 3}, b.waitStarted(t, 4), "four workers run four tasks at once")

	// Shrink while all four are busy: they finish their tasks first.
	e.SetThreadCount(1)
	assert.Equal(t, 1, e.ThreadCount())
	for i := 4; i < 8; i++ {
		require.NoError(t, e.Submit(b.task(i)))
	}
	close(b.release)
	assert.ElementsMatch(t, []int{4, 5, 6, 7}, b.waitStarted(t, 4))
	assert.False(t, e.Shutdown(ioloop.ShutdownConfig{Timeout: 10 * time.Second}))
	assert.Equal(t, int32(4), b.peak.Load())
}

func TestExecutorShrinkRunsQueuedTasksOneAtATime(t *testing.T) {
	e := ioloop.NewExecutor(ioloop.ExecutorConfig{Workers: 3, WarnInterval: -1})
	e.SetThreadCount(1)
	var running, peak, done atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		require.NoError(t, e.Submit(func() {
			defer wg.Done()
			n := running.Add(1)
			if n > peak.Load() {
				peak.Store(n)
			}
			time.Sleep(time.Millisecond)
			running.Add(-1)
			done.Add(1)
		}))
	}
	wg.Wait()
	assert.Equal(t, int32(20), done.Load())
	assert.Equal(t, int32(1), peak.Load())
	assert.False(t, e.Shutdown(ioloop.ShutdownConfig{CancelPending: true, Timeout: 10 * time.Second}))
}

func TestExecutorShutdownCancelPending(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	e := ioloop.NewExecutor(ioloop.ExecutorConfig{Workers: 1, WarnInterval: -1})
	b := newBlocker()
	var fs []*future.Future[int]
	var stillRunning bool
	run(t, l, func(done func()) {
		fs = append(fs, ioloop.RunInExecutor(l, e, func() (int, error) { b.task(0)(); return 0, nil }))
		for i := 1; i <= 3; i++ {
			fs = append(fs, ioloop.RunInExecutor(l, e, func() (int, error) { return i, nil }))
		}
		b.waitStarted(t, 1)
		go func() {
			stillRunning = e.Shutdown(ioloop.ShutdownConfig{CancelPending: true, Timeout: 50 * time.Millisecond})
			close(b.release) // the running task may now finish
			l.AddCallback(func() {
				all := future.New[struct{}](l)
				left := len(fs)
				for _, f := range fs {
					f.OnDone(func() {
						if left--; left == 0 {
							all.SetResult(struct{}{})
						}
					})
				}
				all.OnDone(done)
			})
		}()
	})
	assert.True(t, stillRunning, "the first task was still running at the deadline")
	_, err := fs[0].Result()
	assert.NoError(t, err, "the running task finished")
	for _, f := range fs[1:] {
		_, err := f.Result()
		assert.ErrorIs(t, err, ioloop.ErrExecutorShutdown)
	}
	assert.ErrorIs(t, e.Submit(func() {}), ioloop.ErrExecutorShutdown)
}

func TestExecutorShutdownRunsPendingWithoutCancel(t *testing.T) {
	e := ioloop.NewExecutor(ioloop.ExecutorConfig{Workers: 1, WarnInterval: -1})
	var ran atomic.Int32
	b := newBlocker()
	require.NoError(t, e.Submit(b.task(0)))
	b.waitStarted(t, 1)
	for range 5 {
		require.NoError(t, e.Submit(func() { ran.Add(1) }))
	}
	close(b.release)
	assert.False(t, e.Shutdown(ioloop.ShutdownConfig{Timeout: 10 * time.Second}))
	assert.Equal(t, int32(5), ran.Load())
	assert.Zero(t, e.QueueDepth())
}

func TestExecutorWarnsWhenTasksWait(t *testing.T) {
	rec := newRecords()
	e := ioloop.NewExecutor(ioloop.ExecutorConfig{Workers: 1, Logger: slogger(rec)})
	b := newBlocker()
	require.NoError(t, e.Submit(b.task(0)))
	b.waitStarted(t, 1)
	require.NoError(t, e.Submit(func() {}))
	require.NoError(t, e.Submit(func() {}))
	close(b.release)
	e.Shutdown(ioloop.ShutdownConfig{Timeout: 10 * time.Second})
	line := rec.waitFor(t, "waiting for a worker")
	assert.Contains(t, line, "queue_depth=1", "the first warning, then rate-limited")
	rec.mu.Lock()
	defer rec.mu.Unlock()
	assert.Len(t, rec.lines, 1, "rate-limited: one warning for two waiting tasks")
}

func TestRunInExecutorPanicBecomesError(t *testing.T) {
	l := newLoop(t, ioloop.Config{ExecutorWorkers: 2})
	var err error
	var onLoop bool
	run(t, l, func(done func()) {
		f := ioloop.RunInExecutor(l, nil, func() (int, error) { panic(errors.New("worker boom")) })
		f.AddDoneCallback(func(f *future.Future[int]) {
			_, err = f.Result()
			onLoop = true
			done()
		})
	})
	assert.True(t, onLoop)
	var pe *future.PanicError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, string(pe.Stack), "executor_test.go")
	assert.EqualError(t, errors.Unwrap(err), "worker boom")
}

// With a negative Config.ExecutorShutdownTimeout, Close does not wait for a
// running task: it returns, and the task's worker exits when it is done.
func TestCloseDoesNotWaitForTasksWithNegativeTimeout(t *testing.T) {
	l, err := ioloop.New(ioloop.Config{Logger: slogger(newRecords()), ExecutorShutdownTimeout: -1})
	require.NoError(t, err)
	started, release := make(chan struct{}), make(chan struct{})
	finished := make(chan struct{})
	run(t, l, func(done func()) {
		ioloop.RunInExecutor(l, nil, func() (int, error) {
			defer close(finished)
			close(started)
			<-release
			return 1, nil
		})
		<-started
		done()
	})
	require.NoError(t, l.Close(), "Close returns while the task still runs")
	select {
	case <-finished:
		t.Fatal("the task finished before it was released")
	default:
	}
	close(release)
	<-finished
}
