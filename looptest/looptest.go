package looptest

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gornado/gornado/ioloop"
)

// New returns a loop for one test, Tornado's AsyncTestCase.io_loop. cfg, if
// given (at most one), configures it; unless cfg.Logger is set, the loop
// logs to a LogRecorder that writes to t's log (find it with Logs).
//
// The first New in a test takes a leak baseline (see LeakCheck). At t's
// cleanup each loop is closed (IOLoop.Close), and unless
// cfg.CloseHandlerFDs is set the file descriptors the test registered with
// AddHandler are not closed for it; after the last loop of the test is
// closed, New verifies, within DefaultLeakTimeout, that every goroutine and
// file descriptor the test created since the baseline is gone: the loops'
// runners, executor workers and pollers, and whatever the test started. A leak fails t with the stacks of the new goroutines or
// the list of new descriptors.
//
// A loop still running at cleanup (started in a goroutine and never
// stopped) is stopped first. Because the leak check looks at the whole
// process, a test that uses New must not call t.Parallel, and neither may
// the tests running beside it.
func New(t testing.TB, cfg ...ioloop.Config) *ioloop.IOLoop {
	t.Helper()
	if len(cfg) > 1 {
		t.Fatalf("looptest.New: got %d Configs, want at most one", len(cfg))
		return nil
	}
	var c ioloop.Config
	if len(cfg) == 1 {
		c = cfg[0]
	}
	st := stateOf(t)
	if c.Logger == nil {
		// Registered before the loop's cleanup, so it runs after it: the
		// loop may still log while it closes.
		c.Logger = NewLogRecorder(t).Logger()
	}
	loop, err := ioloop.New(c)
	if err != nil {
		t.Fatalf("looptest.New: %v", err)
		return nil
	}
	t.Cleanup(func() {
		if err := closeLoop(t, loop); err != nil {
			st.skipLeaks.Store(true)
			t.Errorf("looptest: closing the loop: %v", err)
		}
	})
	return loop
}

// testState is what New keeps per test: one leak baseline for all the
// test's loops, verified after they are all closed.
type testState struct {
	leaks     *LeakCheck
	skipLeaks atomic.Bool // a loop could not be closed: its goroutines remain
}

var tests sync.Map // testing.TB -> *testState

// stateOf returns t's state, creating it, with the baseline and the
// cleanup that verifies it, on t's first New. That cleanup is registered
// before the loops' cleanups, so it runs after them.
func stateOf(t testing.TB) *testState {
	if st, ok := tests.Load(t); ok {
		return st.(*testState)
	}
	st := &testState{leaks: NewLeakCheck()}
	tests.Store(t, st)
	t.Cleanup(func() {
		tests.Delete(t)
		if st.skipLeaks.Load() {
			t.Log("looptest: leak check skipped: a loop could not be closed")
			return
		}
		if err := st.leaks.Verify(leakTimeout); err != nil {
			t.Errorf("%v", err)
		}
	})
	return st
}

// closeLoop closes loop, stopping it first if it still runs. A loop the
// test closed itself is fine.
func closeLoop(t testing.TB, loop *ioloop.IOLoop) error {
	err := loop.Close()
	if !errors.Is(err, ioloop.ErrRunning) {
		if errors.Is(err, ioloop.ErrLoopClosed) {
			return nil
		}
		return err
	}
	t.Log("looptest: the loop was still running at the end of the test; stopping it")
	deadline := time.Now().Add(leakTimeout)
	for errors.Is(err, ioloop.ErrRunning) && time.Now().Before(deadline) {
		loop.Stop()
		time.Sleep(time.Millisecond)
		err = loop.Close()
	}
	if errors.Is(err, ioloop.ErrRunning) {
		return errors.New("the loop is still running: a callback or coroutine blocks it")
	}
	return err
}

// Start runs loop on a goroutine of its own for the rest of the test: a
// server's loop, which the test's goroutine talks to over sockets. At the
// end of the test, each of atEnd runs on the loop (closing the server,
// say), then the loop stops, and Start's cleanup waits for it before
// New's closes it.
//
//	l := looptest.New(t)
//	srv := httpserver.New(l, h, httpserver.Config{})
//	require.NoError(t, srv.Listen("127.0.0.1:0"))
//	looptest.Start(t, l, srv.Close)
func Start(t testing.TB, loop *ioloop.IOLoop, atEnd ...func()) {
	t.Helper()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		if err := loop.Start(); err != nil {
			t.Errorf("looptest.Start: %v", err)
		}
	}()
	t.Cleanup(func() {
		loop.AddCallback(func() {
			for _, fn := range atEnd {
				fn()
			}
			loop.Stop()
		})
		<-stopped
	})
}
