package looptest

import (
	"errors"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

func TestNewCleanTestPasses(t *testing.T) {
	ft := newFakeTB(t)
	loop := New(ft)
	require.NotNil(t, loop)
	require.NotNil(t, Logs(loop), "New installs a LogRecorder")
	v := RunValue(ft, loop, 0, func(co *gen.Co) (int, error) {
		// Use everything that starts goroutines or opens fds: runners
		// (parked coroutines), the executor, a registered pipe.
		r, w, err := os.Pipe()
		if err != nil {
			return 0, err
		}
		defer r.Close()
		defer w.Close()
		got := future.New[int](loop)
		err = loop.AddHandler(int(r.Fd()), ioloop.Read, ioloop.HandlerFunc(func(fd int, ev ioloop.Events) {
			loop.RemoveHandler(fd)
			got.SetResult(1)
		}))
		if err != nil {
			return 0, err
		}
		sq := ioloop.RunInExecutor(loop, nil, func() (int, error) {
			w.Write([]byte("x"))
			return 6 * 7, nil
		})
		a, err := gen.Await(co, sq)
		if err != nil {
			return 0, err
		}
		b, err := gen.Await(co, got)
		return a + b, err
	})
	assert.Equal(t, 43, v)
	ft.finish()
	assert.Empty(t, ft.Errors())
	assert.Empty(t, ft.Fatals())
}

func TestNewRealTest(t *testing.T) {
	// The same on the real testing.T: its cleanup must pass.
	loop := New(t)
	Run(t, loop, 0, func(co *gen.Co) error {
		_, err := gen.Await(co, ioloop.RunInExecutor(loop, nil, func() (int, error) { return 1, nil }))
		return err
	})
}

func TestNewWithConfig(t *testing.T) {
	clock := NewFakeClock(time.Time{})
	var logged strings.Builder
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	loop := New(t, ioloop.Config{Clock: clock, Logger: logger})
	assert.Nil(t, Logs(loop), "a Config's Logger is kept")
	assert.Same(t, logger, loop.Logger())
	assert.Equal(t, clock.Now(), loop.Time())

	// A recorder given in the Config is found by Logs.
	rec := NewLogRecorder(t)
	loop2 := New(t, ioloop.Config{Logger: rec.Logger().With("loop", 2)})
	assert.NotNil(t, Logs(loop2))
}

func TestNewTooManyConfigs(t *testing.T) {
	ft := newFakeTB(t)
	assert.Nil(t, New(ft, ioloop.Config{}, ioloop.Config{}))
	assert.Len(t, ft.Fatals(), 1)
	ft.finish()
}

func TestNewDetectsGoroutineLeak(t *testing.T) {
	shortLeakTimeout(t)
	ft := newFakeTB(t)
	loop := New(ft)
	var stop func()
	Run(ft, loop, 0, func(co *gen.Co) error {
		stop = startLeaky()
		return nil
	})
	ft.finish()
	stop()

	errs := ft.Errors()
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "goroutine leaked")
	assert.Contains(t, errs[0], "leakyWorker", "the report has the leaked goroutine's stack")
	assert.NotContains(t, errs[0], "TestNewDetectsGoroutineLeak(", "goroutines of the baseline are left out")
}

// startLeaky starts a goroutine that blocks in leakyWorker, and returns a
// function that ends it and waits until it is done.
func startLeaky() (stop func()) {
	quit := make(chan struct{})
	running := make(chan struct{})
	exited := make(chan struct{})
	go leakyWorker(quit, running, exited)
	<-running // so that its stack shows leakyWorker
	return func() {
		close(quit)
		<-exited
	}
}

func leakyWorker(quit, running, exited chan struct{}) {
	defer close(exited)
	close(running)
	<-quit
}

func TestNewDetectsFDLeak(t *testing.T) {
	if _, ok := openFDs(); !ok {
		t.Skip("fds cannot be listed on " + runtime.GOOS)
	}
	shortLeakTimeout(t)
	ft := newFakeTB(t)
	loop := New(ft)
	f := RunValue(ft, loop, 0, func(co *gen.Co) (*os.File, error) {
		return os.Open("/dev/null")
	})
	require.NotNil(t, f)
	ft.finish()
	f.Close()

	errs := ft.Errors()
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "file descriptor leaked")
	assert.Contains(t, errs[0], "-> /dev/null")
	assert.NotContains(t, errs[0], "goroutine leaked")
}

func TestNewStopsLoopLeftRunning(t *testing.T) {
	ft := newFakeTB(t)
	loop := New(ft)
	started := make(chan struct{})
	returned := make(chan error, 1)
	loop.AddCallback(func() { close(started) })
	go func() { returned <- loop.Start() }()
	<-started
	ft.finish()
	assert.NoError(t, <-returned)
	assert.Empty(t, ft.Errors())
	assert.Contains(t, strings.Join(ft.Logs(), "\n"), "still running")
	assert.ErrorIs(t, loop.Start(), ioloop.ErrLoopClosed, "cleanup closed the loop")
}

func TestNewLoopClosedByTest(t *testing.T) {
	ft := newFakeTB(t)
	loop := New(ft)
	require.NoError(t, loop.Close())
	ft.finish()
	assert.Empty(t, ft.Errors())
}

func TestLeakCheckVerify(t *testing.T) {
	c := NewLeakCheck()
	assert.NoError(t, c.Verify(time.Second))

	stop := startLeaky()
	err := c.Verify(10 * time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "goroutine leaked")
	assert.Contains(t, err.Error(), "leakyWorker")
	stop()
	assert.NoError(t, c.Verify(DefaultLeakTimeout), "a goroutine that exits is not a leak")

	if _, ok := openFDs(); !ok {
		return
	}
	f, err := os.Open("/dev/null")
	require.NoError(t, err)
	err = c.Verify(10 * time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-> /dev/null")
	f.Close()
	assert.NoError(t, c.Verify(DefaultLeakTimeout))
}

func TestCheckLeaks(t *testing.T) {
	shortLeakTimeout(t)
	ft := newFakeTB(t)
	CheckLeaks(ft)
	stop := startLeaky()
	ft.finish()
	stop()
	require.Len(t, ft.Errors(), 1)
	assert.Contains(t, ft.Errors()[0], "leakyWorker")

	ft = newFakeTB(t)
	CheckLeaks(ft)
	ft.finish()
	assert.Empty(t, ft.Errors())
}

func TestRun(t *testing.T) {
	loop := New(t)
	ran := 0
	for range 3 { // Run may be called again on the same loop
		Run(t, loop, 0, func(co *gen.Co) error {
			ran++
			return gen.Sleep(co, time.Millisecond)
		})
	}
	assert.Equal(t, 3, ran)
	assert.False(t, loop.Running())

	v := RunValue(t, loop, time.Minute, func(co *gen.Co) (string, error) {
		return gen.Await(co, gen.Go(loop, func(co *gen.Co) (string, error) { return "ok", nil }))
	})
	assert.Equal(t, "ok", v)
}

func TestRunFailsOnError(t *testing.T) {
	ft := newFakeTB(t)
	loop := New(ft)
	boom := errors.New("boom")
	Run(ft, loop, 0, func(co *gen.Co) error { return boom })
	require.Len(t, ft.Fatals(), 1)
	assert.Contains(t, ft.Fatals()[0], "boom")

	// The loop is fine afterwards.
	v := RunValue(ft, loop, 0, func(co *gen.Co) (int, error) { return 7, nil })
	assert.Equal(t, 7, v)
	assert.Len(t, ft.Fatals(), 1)
	ft.finish()
	assert.Empty(t, ft.Errors())
}

func TestRunFailsOnPanic(t *testing.T) {
	ft := newFakeTB(t)
	loop := New(ft)
	v := RunValue(ft, loop, 0, func(co *gen.Co) (int, error) {
		gen.Moment(co)
		panic("kaboom")
	})
	assert.Zero(t, v)
	require.Len(t, ft.Fatals(), 1)
	assert.Contains(t, ft.Fatals()[0], "panic: kaboom")
	assert.Contains(t, ft.Fatals()[0], "TestRunFailsOnPanic", "the panic's stack is reported")
	ft.finish()
	assert.Empty(t, ft.Errors())
}

func TestRunFailsOnTimeout(t *testing.T) {
	ft := newFakeTB(t)
	loop := New(ft)
	never := future.New[int](loop)
	v := RunValue(ft, loop, 20*time.Millisecond, func(co *gen.Co) (int, error) {
		return gen.Await(co, never)
	})
	assert.Zero(t, v)
	require.Len(t, ft.Fatals(), 1)
	assert.Contains(t, ft.Fatals()[0], "did not finish within 20ms")
	assert.False(t, loop.Running())

	// The loop can run again; the timed-out coroutine stays parked.
	Run(ft, loop, 0, func(co *gen.Co) error { return gen.Moment(co) })
	assert.Len(t, ft.Fatals(), 1)
	ft.finish()
	assert.Empty(t, ft.Errors(), "closing releases the parked coroutine")
}

func TestRunTimeoutIsRealTime(t *testing.T) {
	clock := NewFakeClock(time.Time{})
	loop := New(t, ioloop.Config{Clock: clock})
	// Hours of fake time pass within a 5s Run.
	Run(t, loop, 0, func(co *gen.Co) error {
		for range 10 {
			if err := clock.AdvanceAndWait(co, time.Hour); err != nil {
				return err
			}
		}
		return gen.Sleep(co, 0)
	})

	// A coroutine waiting for fake time that never comes still times out.
	ft := newFakeTB(t)
	loop2 := New(ft, ioloop.Config{Clock: clock})
	Run(ft, loop2, 20*time.Millisecond, func(co *gen.Co) error {
		return gen.Sleep(co, time.Hour)
	})
	require.Len(t, ft.Fatals(), 1)
	assert.Contains(t, ft.Fatals()[0], "did not finish")
	ft.finish()
	assert.Empty(t, ft.Errors())
}

func TestRunBodyErrorTimeoutIsNotRunTimeout(t *testing.T) {
	// A body failing with gen.ErrTimeout is reported as its error.
	ft := newFakeTB(t)
	loop := New(ft)
	Run(ft, loop, 0, func(co *gen.Co) error {
		_, err := gen.Await(co, gen.WithTimeout(loop, time.Millisecond, future.New[int](loop)))
		return err
	})
	require.Len(t, ft.Fatals(), 1)
	assert.Contains(t, ft.Fatals()[0], ioloop.ErrTimeout.Error())
	ft.finish()
}

func TestRunOnRunningLoop(t *testing.T) {
	ft := newFakeTB(t)
	loop := New(ft)
	// Run on a running loop (here from a goroutine, while the loop runs
	// another Run) fails at once.
	var inner []string
	Run(t, loop, 0, func(co *gen.Co) error {
		done := make(chan struct{})
		go func() {
			defer close(done)
			ft2 := newFakeTB(t)
			Run(ft2, loop, 0, func(co *gen.Co) error { return nil })
			inner = ft2.Fatals()
		}()
		<-done // blocks the loop briefly; the inner Run fails at once
		return nil
	})
	require.Len(t, inner, 1)
	assert.Contains(t, inner[0], ioloop.ErrRunning.Error())
	ft.finish()
	assert.Empty(t, ft.Errors())
}

// TestRunDetectsGoexit shows what happens when a coroutine calls t.FailNow
// (runtime.Goexit): the test fails with an explanation instead of hanging,
// and the loop stays usable and closes without a leak.
func TestRunDetectsGoexit(t *testing.T) {
	ft := newFakeTB(t)
	loop := New(ft)
	Run(ft, loop, 0, func(co *gen.Co) error {
		runtime.Goexit()
		return nil
	})
	require.Len(t, ft.Fatals(), 1)
	assert.Contains(t, ft.Fatals()[0], "runtime.Goexit")
	v := RunValue(ft, loop, 0, func(co *gen.Co) (int, error) { return 7, gen.Moment(co) })
	assert.Equal(t, 7, v, "the loop runs again")
	ft.finish()
	assert.Empty(t, ft.Errors())
}

func TestRunReportsBlockedLoop(t *testing.T) {
	ft := newFakeTB(t)
	loop := New(ft)
	release := make(chan struct{})
	Run(ft, loop, 20*time.Millisecond, func(co *gen.Co) error {
		<-release // blocks the loop instead of parking: a bug in a test
		return nil
	})
	require.Len(t, ft.Fatals(), 1)
	assert.Contains(t, ft.Fatals()[0], "the loop is blocked")
	close(release)
	ft.finish() // the loop unblocks, stops, and is closed; nothing leaks
	assert.Empty(t, ft.Errors())
}

// Start runs the loop on its own goroutine for the rest of the test, and
// at the end runs its functions on the loop before stopping it.
func TestStart(t *testing.T) {
	var onLoop, atEnd atomic.Bool
	t.Run("inner", func(t *testing.T) {
		l := New(t)
		Start(t, l, func() { atEnd.Store(true) })
		done := make(chan struct{})
		l.AddCallback(func() { onLoop.Store(true); close(done) })
		<-done
		assert.False(t, atEnd.Load(), "not before the end of the test")
	})
	assert.True(t, onLoop.Load())
	assert.True(t, atEnd.Load(), "at the end of the test")
}
