// Package looptest helps test code built on the loop, as Tornado's
// tornado.testing does for Tornado:
//
//   - New gives each test its own ioloop.IOLoop (AsyncTestCase.io_loop),
//     logging to the test log, closed at the end of the test with a check
//     that no goroutine and no file descriptor leaked;
//   - Run runs a coroutine body to completion on the loop with a timeout,
//     failing the test on an error or a timeout (gen_test); RunValue also
//     returns a value;
//   - LogRecorder is the slog.Handler New installs: its Expect and Allow
//     (or ExpectLog for a loop) declare the log records a test expects,
//     as Tornado's ExpectLog does; they are checked and kept out of the
//     test log, while unexpected records show in it (or, for warnings,
//     optionally fail the test);
//   - FakeClock is a clock that moves only when told to, so tests of
//     timeouts, sleeps and periodic callbacks run instantly and
//     deterministically, with no sleeping; AdvanceAndWait moves it from
//     inside a coroutine and lets the timeouts that came due run;
//   - CheckLeaks and LeakCheck are the leak check on their own, for tests
//     without a loop.
//
// A complete test:
//
//	func TestReconnectBackoff(t *testing.T) {
//		clock := looptest.NewFakeClock(time.Time{})
//		loop := looptest.New(t, ioloop.Config{Clock: clock})
//		looptest.ExpectLog(t, loop, slog.LevelError, `callback panicked panic=boom`)
//
//		looptest.Run(t, loop, 0, func(co *gen.Co) error {
//			var fired []string
//			loop.CallLater(2*time.Hour, func() { fired = append(fired, "2h") })
//			loop.CallLater(time.Hour, func() { fired = append(fired, "1h") })
//			loop.AddCallback(func() { panic("boom") }) // logged, and expected
//
//			// Fake time: an hour passes at once, and only the first
//			// timeout is due.
//			if err := clock.AdvanceAndWait(co, time.Hour); err != nil {
//				return err
//			}
//			assert.Equal(t, []string{"1h"}, fired)
//
//			// Code under test runs as coroutines too.
//			v, err := gen.Await(co, gen.Go(loop, func(co *gen.Co) (int, error) {
//				return 42, gen.Sleep(co, 0)
//			}))
//			assert.Equal(t, 42, v)
//			return err
//		})
//	}
//
// Inside the coroutine, report failures with t.Errorf (testify's assert)
// or by returning an error; t.Fatal and require call runtime.Goexit, which
// ends the coroutine where it stands (Run detects it and fails the test
// with an explanation; the loop goes on).
//
// Timeouts follow one of two clocks. Run's timeout is real time, so a test
// that waits for a FakeClock nobody advances still fails. ioloop.RunSync's
// and gen.RunSync's timeout, gen.Sleep, gen.WithTimeout and every timed
// callback follow the loop's clock: with a FakeClock they fire only when
// the clock is advanced past them (Advance, AdvanceAndWait).
//
// Leak checks count the goroutines and file descriptors of the whole
// process, so tests that use New or CheckLeaks must not call t.Parallel.
package looptest
