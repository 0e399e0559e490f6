package looptest_test

import (
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
)

// Timeouts on a fake clock fire when the clock is advanced past their
// deadline, in deadline order, whatever the real time.
func ExampleFakeClock() {
	clock := looptest.NewFakeClock(time.Time{})
	loop, err := ioloop.New(ioloop.Config{Clock: clock})
	if err != nil {
		panic(err)
	}
	defer loop.Close()
	start := clock.Now()
	since := func() time.Duration { return loop.Time().Sub(start) }

	_, err = gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		loop.CallLater(2*time.Hour, func() { fmt.Println("2h timeout runs at", since()) })
		loop.CallLater(time.Hour, func() { fmt.Println("1h timeout runs at", since()) })
		for _, d := range []time.Duration{59 * time.Minute, 31 * time.Minute, time.Hour} {
			fmt.Println("advance", d)
			if err := clock.AdvanceAndWait(co, d); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	}, 0)
	fmt.Println("err:", err)
	// Output:
	// advance 59m0s
	// advance 31m0s
	// 1h timeout runs at 1h30m0s
	// advance 1h0m0s
	// 2h timeout runs at 2h30m0s
	// err: <nil>
}

// A PeriodicCallback that misses ticks (here because the fake clock jumps
// 3.5 intervals at once) runs once and goes on at the next multiple of its
// interval, rather than bursting to catch up.
func ExampleFakeClock_periodicCallback() {
	clock := looptest.NewFakeClock(time.Time{})
	loop, err := ioloop.New(ioloop.Config{Clock: clock})
	if err != nil {
		panic(err)
	}
	defer loop.Close()
	start := clock.Now()

	_, err = gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		pc := ioloop.NewPeriodicCallback(loop, func() {
			fmt.Println("tick at", loop.Time().Sub(start))
		}, 10*time.Second)
		pc.Start()
		defer pc.Stop()
		for _, d := range []time.Duration{10 * time.Second, 35 * time.Second, 5 * time.Second, 10 * time.Second} {
			fmt.Println("advance", d)
			if err := clock.AdvanceAndWait(co, d); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	}, 0)
	fmt.Println("err:", err)
	// Output:
	// advance 10s
	// tick at 10s
	// advance 35s
	// tick at 45s
	// advance 5s
	// tick at 50s
	// advance 10s
	// tick at 1m0s
	// err: <nil>
}

// fetch stands for code under test: it completes a future later, on the
// loop.
func fetch(loop *ioloop.IOLoop, key string) *future.Future[string] {
	f := future.New[string](loop)
	loop.CallLater(time.Second, func() {
		if key == "" {
			loop.Logger().Warn("fetch: empty key")
			f.SetError(errors.New("empty key"))
			return
		}
		f.SetResult("value of " + key)
	})
	return f
}

// A test with its own loop and clock; Run fails it if the coroutine returns
// an error or does not finish within the timeout.
func ExampleRun() {
	var t *testing.T // in a test, the test's t

	clock := looptest.NewFakeClock(time.Time{})
	loop := looptest.New(t, ioloop.Config{Clock: clock})
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		f := fetch(loop, "k")
		if err := clock.AdvanceAndWait(co, time.Second); err != nil {
			return err
		}
		v, err := gen.Await(co, f)
		if v != "value of k" {
			t.Errorf("got %q", v) // t.Errorf, not t.Fatalf, inside a coroutine
		}
		return err
	})
}

// RunValue returns what the coroutine returns.
func ExampleRunValue() {
	var t *testing.T // in a test, the test's t

	loop := looptest.New(t)
	n := looptest.RunValue(t, loop, time.Second, func(co *gen.Co) (int, error) {
		return gen.Await(co, ioloop.RunInExecutor(loop, nil, func() (int, error) {
			return 6 * 7, nil // blocking work, on an executor worker
		}))
	})
	_ = n // 42
}

// ExpectLog declares a record the test expects; it is kept out of the test
// log, and the test fails if it never comes.
func ExampleExpectLog() {
	var t *testing.T // in a test, the test's t

	clock := looptest.NewFakeClock(time.Time{})
	loop := looptest.New(t, ioloop.Config{Clock: clock})
	looptest.ExpectLog(t, loop, slog.LevelWarn, `^fetch: empty key`)
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		f := fetch(loop, "")
		if err := clock.AdvanceAndWait(co, time.Second); err != nil {
			return err
		}
		if _, err := gen.Await(co, f); err == nil {
			t.Error("want an error for an empty key")
		}
		return nil
	})
}

// A recorder of one's own, for code that takes a *slog.Logger, here made
// strict: unexpected warnings fail the test.
func ExampleLogRecorder() {
	var t *testing.T // in a test, the test's t

	rec := looptest.NewLogRecorder(t)
	rec.SetFailUnexpected(true)
	loop := looptest.New(t, ioloop.Config{Logger: rec.Logger()})
	exp := rec.Expect(t, slog.LevelError, `callback panicked panic=oops`)
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		loop.AddCallback(func() { panic("oops") })
		return gen.Moment(co)
	})
	exp.Check() // or leave it to the end of the test
}

// CheckLeaks verifies, at the end of a test that has no loop, that the
// test's goroutines and file descriptors are gone.
func ExampleCheckLeaks() {
	var t *testing.T // in a test, the test's t

	looptest.CheckLeaks(t)
	ex := ioloop.NewExecutor(ioloop.ExecutorConfig{Workers: 2})
	defer ex.Shutdown(ioloop.ShutdownConfig{Timeout: time.Second}) // without it, the check fails
	_ = ex.Submit(func() {})
}
