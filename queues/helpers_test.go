package queues_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/queues"
)

// Short timeouts drive the timeout paths; what the tests check is which
// wait timed out and in what order things happened, never how long it took.
const (
	short  = 10 * time.Millisecond
	longer = 20 * time.Millisecond
	long   = time.Second // a timeout that must not expire
)

// run runs body as a coroutine on a fresh loop, failing the test if it
// returns an error or does not finish within a generous hang guard. Inside
// body use assert, not require: require's FailNow calls runtime.Goexit,
// which ends the coroutine where it stands (the test then fails with
// future.ErrGoexit instead of the assertion's message).
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

// sleep parks co for d as Tornado's `yield gen.sleep(d)` does: it resumes
// from a done callback, after the done callbacks of futures that timers
// with earlier deadlines completed.
func sleep(co *gen.Co, d time.Duration) error {
	_, err := gen.Await(co, gen.After(co.Loop(), d))
	return err
}

// kinds makes each kind of queue, seen as its *Queue core, for the tests
// that hold for all three (Tornado's QueueJoinTest subclasses).
var kinds = []struct {
	name string
	make func(loop *ioloop.IOLoop, maxsize int) *queues.Queue[int]
}{
	{"Queue", queues.NewQueue[int]},
	{"PriorityQueue", func(loop *ioloop.IOLoop, maxsize int) *queues.Queue[int] {
		return &queues.NewPriorityQueue[int](loop, maxsize).Queue
	}},
	{"LifoQueue", func(loop *ioloop.IOLoop, maxsize int) *queues.Queue[int] {
		return &queues.NewLifoQueue[int](loop, maxsize).Queue
	}},
}
