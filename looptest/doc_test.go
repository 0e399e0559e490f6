package looptest_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
)

// TestReconnectBackoff is the package documentation's example, kept here
// so that it compiles and passes.
func TestReconnectBackoff(t *testing.T) {
	clock := looptest.NewFakeClock(time.Time{})
	loop := looptest.New(t, ioloop.Config{Clock: clock})
	looptest.ExpectLog(t, loop, slog.LevelError, `callback panicked panic=boom`)

	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		var fired []string
		loop.CallLater(2*time.Hour, func() { fired = append(fired, "2h") })
		loop.CallLater(time.Hour, func() { fired = append(fired, "1h") })
		loop.AddCallback(func() { panic("boom") }) // logged, and expected

		// Fake time: an hour passes at once, and only the first
		// timeout is due.
		if err := clock.AdvanceAndWait(co, time.Hour); err != nil {
			return err
		}
		assert.Equal(t, []string{"1h"}, fired)

		// Code under test runs as coroutines too.
		v, err := gen.Await(co, gen.Go(loop, func(co *gen.Co) (int, error) {
			return 42, gen.Sleep(co, 0)
		}))
		assert.Equal(t, 42, v)
		return err
	})
}
