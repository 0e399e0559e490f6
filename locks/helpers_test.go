package locks_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
)

// Short timeouts drive the timeout paths; what the tests check is which
// wait timed out and in what order things happened, never how long it took.
const (
	short  = 10 * time.Millisecond
	longer = 20 * time.Millisecond
	later  = 30 * time.Millisecond
)

// run runs body as a coroutine on a fresh loop (with Config.Debug, so a
// loop-only call from another goroutine panics), failing the test if it
// returns an error or does not finish within a generous hang guard (then
// RunSync cancels the coroutine). Inside body use assert, not require:
// require's FailNow calls runtime.Goexit, which ends the coroutine where it
// stands, so the test would fail with future.ErrGoexit instead of the
// assertion's message.
func run(t *testing.T, body func(loop *ioloop.IOLoop, co *gen.Co) error) {
	t.Helper()
	loop, err := ioloop.New(ioloop.Config{Debug: true})
	require.NoError(t, err)
	defer loop.Close()
	_, err = gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		return struct{}{}, body(loop, co)
	}, 5*time.Second)
	require.NoError(t, err)
}

// sleep parks co for d by awaiting gen.After: it resumes from a done
// callback, after the done callbacks of futures that timers with earlier
// deadlines completed (Tornado's `yield gen.sleep(d)`). gen.Sleep now
// resumes in a callback too, in the same order; the tests keep this form
// because it also exercises After.
func sleep(co *gen.Co, d time.Duration) error {
	_, err := gen.Await(co, gen.After(co.Loop(), d))
	return err
}
