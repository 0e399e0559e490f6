package ioloop_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/ioloop"
)

func TestCallbacksRunFIFO(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	var got []int
	for i := range 100 {
		l.AddCallback(func() { got = append(got, i) })
	}
	l.AddCallback(l.Stop)
	require.NoError(t, l.Start())
	want := make([]int, 100)
	for i := range want {
		want[i] = i
	}
	assert.Equal(t, want, got)
}

// A callback added while callbacks run waits for the next iteration: a
// timeout that came due meanwhile runs first, in this iteration's timer
// phase.
func TestCallbackAddedDuringIterationRunsNext(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	var got []string
	run(t, l, func(done func()) {
		l.AddCallback(func() {
			got = append(got, "callback")
			l.CallLater(0, func() { got = append(got, "timeout") })
			l.AddCallback(func() {
				got = append(got, "added")
				done()
			})
		})
	})
	assert.Equal(t, []string{"callback", "timeout", "added"}, got)
}

func TestAddCallbackFromManyGoroutines(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	const goroutines, calls = 100, 1000
	counts := make([]int, goroutines*calls) // loop-owned, no lock
	total := 0
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := range calls {
				id := g*calls + i
				l.AddCallback(func() {
					counts[id]++
					total++
					if total == goroutines*calls {
						l.Stop()
					}
				})
			}
		}()
	}
	close(start)
	require.NoError(t, l.Start())
	wg.Wait()
	for id, n := range counts {
		if n != 1 {
			t.Fatalf("callback %d ran %d times", id, n)
		}
	}
}

func TestStopFromAnotherGoroutineWakesSleepingLoop(t *testing.T) {
	l := newLoop(t, ioloop.Config{})
	started := make(chan struct{})
	l.AddCallback(func() { close(started) })
	go func() {
		<-started
		l.Stop()
	}()
	require.NoError(t, l.Start())
}

func TestStartTwiceAndClose(t *testing.T) {
	l, err := ioloop.New(ioloop.Config{})
	require.NoError(t, err)
	var second error
	l.AddCallback(func() {
		second = l.Start()
		l.Stop()
	})
	require.NoError(t, l.Start())
	assert.ErrorIs(t, second, ioloop.ErrRunning)

	// The loop can run again after Stop.
	ran := false
	l.AddCallback(func() { ran = true; l.Stop() })
	require.NoError(t, l.Start())
	assert.True(t, ran)

	require.NoError(t, l.Close())
	assert.ErrorIs(t, l.Close(), ioloop.ErrLoopClosed)
	assert.ErrorIs(t, l.Start(), ioloop.ErrLoopClosed)
	l.AddCallback(func() { t.Error("callback ran after Close") }) // dropped
}

func TestPanicInCallbackIsLoggedAndLoopGoesOn(t *testing.T) {
	rec := newRecords()
	l := newLoop(t, ioloop.Config{Logger: slogger(rec)})
	var after []string
	run(t, l, func(done func()) {
		l.AddCallback(func() { panic("boom in callback") })
		l.CallLater(0, func() { panic("boom in timeout") })
		l.AddCallback(func() { after = append(after, "callback") })
		l.CallLater(time.Millisecond, func() {
			after = append(after, "timeout")
			done()
		})
	})
	assert.Equal(t, []string{"callback", "timeout"}, after)
	line := rec.waitFor(t, "boom in callback")
	assert.Contains(t, line, "loop_test.go", "the stack points at the panicking code")
	rec.waitFor(t, "boom in timeout")
}

func TestSlowCallbackIsLoggedWithItsStack(t *testing.T) {
	rec := newRecords()
	l := newLoop(t, ioloop.Config{Logger: slogger(rec), SlowCallback: 20 * time.Millisecond})
	var line string
	run(t, l, func(done func()) {
		// Block the loop until the watchdog has reported us.
		line = rec.waitFor(t, "blocking the loop")
		done()
	})
	assert.Contains(t, line, "TestSlowCallbackIsLoggedWithItsStack", "the stack is the blocked callback's")
}

func TestDebugCatchesCallsFromOtherGoroutines(t *testing.T) {
	l := newLoop(t, ioloop.Config{Debug: true})
	var recovered any
	run(t, l, func(done func()) {
		l.CallLater(time.Hour, func() {}) // on the loop: fine
		go func() {
			defer func() {
				recovered = recover()
				l.AddCallback(done)
			}()
			l.CallLater(time.Hour, func() {})
		}()
	})
	assert.Contains(t, recovered, "CallLater called from", "the debug check, or the sleeping loop's")
}

// Fault 4 of issue 10: Suspend handed the loop on without ending the
// watchdog's watch, so a coroutine parked while the loop slept in its
// poller was reported as a callback blocking the loop.
func TestWatchdogIgnoresParkedCoroutine(t *testing.T) {
	rec := newRecords()
	l := newLoop(t, ioloop.Config{Logger: slogger(rec), SlowCallback: 30 * time.Millisecond})
	var w ioloop.Waiter
	var err error
	run(t, l, func(done func()) {
		l.CallLater(300*time.Millisecond, func() { l.Resume(&w) })
		err = l.Suspend(&w) // what gen.Sleep(300ms) does
		done()
	})
	require.NoError(t, err)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, line := range rec.lines {
		assert.NotContains(t, line, "blocking the loop")
	}
}
