package looptest

import (
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

func TestLogRecorderEchoesToTestLog(t *testing.T) {
	ft := newFakeTB(t)
	log := NewLogRecorder(ft).Logger()
	log.Debug("debug line", "n", 1)
	log.Info("hello", "k", "v", "err", errors.New("boom"))
	log.Warn("careful", slog.Group("req", "id", 7, slog.Group("inner", "x", true)), slog.Group("empty"))
	log.With("conn", 3).WithGroup("g").Error("failed", "code", 500)
	log.WithGroup("g").With("a", 1).WithGroup("h").Info("nested", "b", 2, slog.Group("", "inline", "yes"))
	assert.Equal(t, []string{
		"DEBUG debug line n=1",
		"INFO hello k=v err=boom",
		"WARN careful req.id=7 req.inner.x=true",
		"ERROR failed conn=3 g.code=500",
		"INFO nested g.a=1 g.h.b=2 g.h.inline=yes",
	}, ft.Logs())
	assert.Empty(t, ft.Errors(), "unexpected records are only echoed by default")

	ft.finish()
	log.Error("after the end of the test")
	assert.Len(t, ft.Logs(), 5, "records after cleanup are dropped")
}

func TestExpectMatches(t *testing.T) {
	ft := newFakeTB(t)
	rec := NewLogRecorder(ft)
	log := rec.Logger()
	exp := rec.Expect(ft, slog.LevelError, `^callback panicked .*panic=boom`)
	log.Error("callback panicked", "panic", "boom", "stack", "goroutine 1 [running]:\n...")
	log.Error("callback panicked", "panic", "boom")
	log.Warn("callback panicked", "panic", "boom") // other level: not matched
	log.Error("something else", "panic", "boom")   // other message: not matched
	assert.Equal(t, 2, exp.Count())
	assert.True(t, exp.Check())
	assert.True(t, exp.Check(), "checking again gives the same answer")
	log.Error("callback panicked", "panic", "boom")
	assert.Equal(t, 2, exp.Count(), "a checked expectation matches nothing more")

	assert.Equal(t, []string{
		"WARN callback panicked panic=boom",
		"ERROR something else panic=boom",
		"ERROR callback panicked panic=boom",
	}, ft.Logs(), "matched records are not echoed")
	ft.finish()
	assert.Empty(t, ft.Errors())
}

func TestExpectMatchesAttrsAndDerivedHandlers(t *testing.T) {
	ft := newFakeTB(t)
	rec := NewLogRecorder(ft)
	exp := rec.Expect(ft, slog.LevelWarn, `conn=3 .*req\.status=503`)
	rec.Logger().With("conn", 3).WithGroup("req").Warn("upstream failed", "status", 503)
	assert.Equal(t, 1, exp.Count(), "records of derived loggers meet the same expectations")
	ft.finish()
	assert.Empty(t, ft.Errors())
	assert.Empty(t, ft.Logs())
}

func TestExpectNotMet(t *testing.T) {
	ft := newFakeTB(t)
	rec := NewLogRecorder(ft)
	exp := rec.Expect(ft, slog.LevelError, `disk full`)
	rec.Logger().Warn("disk full") // wrong level
	assert.False(t, exp.Check())
	require.Len(t, ft.Errors(), 1)
	assert.Contains(t, ft.Errors()[0], `"disk full"`)
	assert.Contains(t, ft.Errors()[0], "ERROR")
	assert.False(t, exp.Check())
	assert.Len(t, ft.Errors(), 1, "reported once")
	ft.finish()
	assert.Len(t, ft.Errors(), 1)
}

func TestExpectCheckedAtCleanup(t *testing.T) {
	ft := newFakeTB(t)
	rec := NewLogRecorder(ft)
	met := rec.Expect(ft, slog.LevelInfo, `ready`)
	rec.Expect(ft, slog.LevelInfo, `never logged`)
	rec.Logger().Info("server ready", "port", 8888)
	ft.finish()
	require.Len(t, ft.Errors(), 1)
	assert.Contains(t, ft.Errors()[0], "never logged")
	assert.True(t, met.Check())
}

func TestExpectBadPattern(t *testing.T) {
	ft := newFakeTB(t)
	rec := NewLogRecorder(ft)
	assert.Nil(t, rec.Expect(ft, slog.LevelInfo, `(`))
	require.Len(t, ft.Fatals(), 1)
	assert.Contains(t, ft.Fatals()[0], "missing closing )")
	ft.finish()
}

func TestAllow(t *testing.T) {
	ft := newFakeTB(t)
	rec := NewLogRecorder(ft)
	allowed := rec.Allow(ft, slog.LevelWarn, `tasks are waiting`)
	assert.True(t, allowed.Check(), "an Allow needs no record")
	allowed = rec.Allow(ft, slog.LevelWarn, `tasks are waiting`)
	rec.Logger().Warn("executor tasks are waiting for a worker")
	assert.Equal(t, 1, allowed.Count())
	ft.finish()
	assert.Empty(t, ft.Errors())
	assert.Empty(t, ft.Logs())
}

func TestSetFailUnexpected(t *testing.T) {
	ft := newFakeTB(t)
	rec := NewLogRecorder(ft)
	rec.SetFailUnexpected(true)
	rec.Expect(ft, slog.LevelWarn, `expected`)
	log := rec.Logger()
	log.Info("just info")
	log.Warn("expected warning")
	log.Warn("surprise", "k", 1)
	log.Error("worse")
	assert.Equal(t, []string{"INFO just info"}, ft.Logs(), "below Warn is echoed")
	assert.Equal(t, []string{
		"looptest: unexpected log record: WARN surprise k=1",
		"looptest: unexpected log record: ERROR worse",
	}, ft.Errors())

	rec.SetFailUnexpected(false)
	log.Warn("echoed again")
	assert.Equal(t, "WARN echoed again", ft.Logs()[1])
	ft.finish()
}

func TestLogRecorderConcurrent(t *testing.T) {
	ft := newFakeTB(t)
	rec := NewLogRecorder(ft)
	exp := rec.Expect(ft, slog.LevelInfo, `^work done`)
	var wg sync.WaitGroup
	for g := range 8 {
		log := rec.Logger().With("worker", g)
		wg.Go(func() {
			for i := range 100 {
				log.Info("work done", "i", i)
				if i%10 == 0 {
					log.Debug("progress", "i", i)
				}
			}
		})
	}
	// Expectations come and go while others log.
	for range 50 {
		rec.Allow(ft, slog.LevelDebug, `nothing`).Check()
	}
	wg.Wait()
	assert.Equal(t, 800, exp.Count())
	assert.Len(t, ft.Logs(), 80)
	ft.finish()
	assert.Empty(t, ft.Errors())
}

// The tests below use a real loop and the real test: the loop's records,
// logged from the loop, its executor workers and its watchdog, are met by
// expectations, and cleanup checks them.

func TestExpectLogOnLoop(t *testing.T) {
	loop := New(t)
	exp := ExpectLog(t, loop, slog.LevelError, `callback panicked panic=boom`)
	Run(t, loop, 0, func(co *gen.Co) error {
		loop.AddCallback(func() { panic("boom") })
		return gen.Moment(co)
	})
	assert.True(t, exp.Check())
}

func TestExpectLogFromExecutorWorker(t *testing.T) {
	loop := New(t, ioloop.Config{ExecutorWorkers: 1})
	exp := ExpectLog(t, loop, slog.LevelError, `executor task panicked panic=in a worker`)
	Run(t, loop, 0, func(co *gen.Co) error {
		ex := loop.Executor()
		if err := ex.Submit(func() { panic("in a worker") }); err != nil {
			return err
		}
		// One worker runs tasks in order: once the next task has run,
		// the panic has been logged.
		_, err := gen.Await(co, ioloop.RunInExecutor(loop, ex, func() (int, error) { return 0, nil }))
		return err
	})
	assert.Equal(t, 1, exp.Count())
}

func TestExpectLogFromWatchdog(t *testing.T) {
	loop := New(t, ioloop.Config{SlowCallback: 5 * time.Millisecond})
	exp := ExpectLog(t, loop, slog.LevelWarn, `callback is blocking the loop .*stack\.\d+=\S*TestExpectLogFromWatchdog`)
	Run(t, loop, 0, func(co *gen.Co) error {
		// Hold the loop until the watchdog, on its own goroutine, has
		// reported it (no guess at how long that takes).
		for exp.Count() == 0 {
			time.Sleep(time.Millisecond)
		}
		return nil
	})
	assert.True(t, exp.Check())
}

func TestExpectLogWithoutRecorder(t *testing.T) {
	ft := newFakeTB(t)
	loop := New(ft, ioloop.Config{Logger: slog.New(slog.DiscardHandler)})
	assert.Nil(t, ExpectLog(ft, loop, slog.LevelError, "x"))
	require.Len(t, ft.Fatals(), 1)
	assert.Contains(t, ft.Fatals()[0], "not a *looptest.LogRecorder")
	ft.finish()
	assert.Empty(t, ft.Errors())
}

func TestNewLogsToTestLog(t *testing.T) {
	ft := newFakeTB(t)
	loop := New(ft)
	Run(ft, loop, 0, func(co *gen.Co) error {
		loop.Logger().Warn("from the loop", "n", 1)
		return nil
	})
	ft.finish()
	assert.Equal(t, []string{"WARN from the loop n=1"}, ft.Logs())
	assert.Empty(t, ft.Errors())
	assert.Empty(t, ft.Fatals())
}
