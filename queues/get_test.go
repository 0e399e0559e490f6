package queues_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/queues"
)

func TestQueueBlockingGet(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		assert.NoError(t, q.PutNowait(0))
		v, err := gen.Await(co, q.Get(0))
		assert.Equal(t, 0, v)
		return err
	})
}

func TestQueueNonblockingGet(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		assert.NoError(t, q.PutNowait(0))
		v, err := q.GetNowait()
		assert.NoError(t, err)
		assert.Equal(t, 0, v)

		_, err = q.GetNowait()
		assert.ErrorIs(t, err, queues.ErrQueueEmpty)
		return nil
	})
}

func TestQueueGetWithPutters(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 1)
		assert.NoError(t, q.PutNowait(0))
		put := q.Put(1, 0)
		v, err := gen.Await(co, q.Get(0))
		assert.Equal(t, 0, v)
		assert.NoError(t, err)
		_, err = gen.Await(co, put)
		assert.NoError(t, err)
		assert.Equal(t, 1, q.Qsize())
		return nil
	})
}

func TestQueueBlockingGetWait(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		q.Put(0, 0)
		loop.CallLater(short, func() { q.PutNowait(1) })
		loop.CallLater(longer, func() { q.PutNowait(2) })
		for want := range 2 {
			v, err := gen.Await(co, q.Get(long))
			if !assert.NoError(t, err) {
				return err
			}
			assert.Equal(t, want, v)
		}
		return nil
	})
}

func TestQueueGetTimeout(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		getTimeout := q.Get(short)
		get := q.Get(0)
		_, err := gen.Await(co, getTimeout)
		assert.ErrorIs(t, err, ioloop.ErrTimeout)

		// The timed-out getter does not take the item.
		assert.NoError(t, q.PutNowait(0))
		v, err := gen.Await(co, get)
		assert.Equal(t, 0, v)
		return err
	})
}

func TestQueueGetTimeoutPreempted(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		get := q.Get(short)
		q.Put(0, 0)
		if err := sleep(co, longer); err != nil {
			return err
		}
		v, err := gen.Await(co, get) // No timeout.
		assert.Equal(t, 0, v)
		return err
	})
}

func TestQueueGetCancelled(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		g0, g1 := q.Get(0), q.Get(0)
		assert.True(t, g0.Cancel())
		assert.NoError(t, q.PutNowait(7))
		assert.True(t, g0.Cancelled())
		v, err := gen.Await(co, g1)
		assert.Equal(t, 7, v)
		return err
	})
}

func TestQueueGetClearsTimedOutPutters(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 1)
		// The first putter succeeds, the rest wait.
		putters := make([]*future.Future[struct{}], 10)
		for i := range putters {
			putters[i] = q.Put(i, short)
		}
		put := q.Put(10, 0)
		assert.Equal(t, 10, q.NumPutters())
		if err := sleep(co, longer); err != nil {
			return err
		}
		assert.Equal(t, 10, q.NumPutters())
		assert.False(t, put.Done()) // The final putter is still active.
		q.Put(11, 0)
		v, err := gen.Await(co, q.Get(0)) // Get drops the timed-out putters.
		assert.NoError(t, err)
		assert.Equal(t, 0, v)
		assert.Equal(t, 1, q.NumPutters())
		for _, p := range putters[1:] {
			assert.ErrorIs(t, p.Err(), ioloop.ErrTimeout)
		}
		// Their items were never put: 10 and 11 follow.
		v, err = gen.Await(co, q.Get(0))
		assert.Equal(t, 10, v)
		return err
	})
}

func TestQueueGetClearsTimedOutGetters(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		getters := make([]*future.Future[int], 10)
		for i := range getters {
			getters[i] = q.Get(short)
		}
		get := q.Get(0)
		assert.Equal(t, 11, q.NumGetters())
		if err := sleep(co, longer); err != nil {
			return err
		}
		assert.Equal(t, 11, q.NumGetters())
		assert.False(t, get.Done()) // The final getter is still active.
		q.Get(0)                    // Get drops the timed-out getters.
		assert.Equal(t, 2, q.NumGetters())
		for _, g := range getters {
			assert.ErrorIs(t, g.Err(), ioloop.ErrTimeout)
		}
		return nil
	})
}

func TestQueueGetterGarbageCollection(t *testing.T) {
	// Behind a getter that stays, more than a hundred timed-out getters are
	// swept away without waiting for a Put or Get (locks' collector).
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		get := q.Get(0)
		for range 101 {
			q.Get(short)
		}
		assert.Equal(t, 102, q.NumGetters())
		if err := sleep(co, longer); err != nil {
			return err
		}
		assert.Equal(t, 1, q.NumGetters())
		assert.NoError(t, q.PutNowait(5))
		v, err := gen.Await(co, get)
		assert.Equal(t, 5, v)
		return err
	})
}
