package queues_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/queues"
)

func TestQueueBlockingPut(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		_, err := gen.Await(co, q.Put(0, 0))
		assert.NoError(t, err)
		v, err := q.GetNowait()
		assert.Equal(t, 0, v)
		return err
	})
}

func TestQueueNonblockingPutError(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 1)
		q.Put(0, 0)
		assert.ErrorIs(t, q.PutNowait(1), queues.ErrQueueFull)
		assert.Equal(t, 1, q.Qsize())
		return nil
	})
}

func TestQueuePutWithGetters(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		get0, get1 := q.Get(0), q.Get(0)
		for i, get := range []*future.Future[int]{get0, get1} {
			_, err := gen.Await(co, q.Put(i, 0))
			assert.NoError(t, err)
			v, err := gen.Await(co, get)
			assert.NoError(t, err)
			assert.Equal(t, i, v)
		}
		assert.True(t, q.Empty(), "items went straight to the getters")
		return nil
	})
}

func TestQueueNonblockingPutWithGetters(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		get0, get1 := q.Get(0), q.Get(0)
		for i, get := range []*future.Future[int]{get0, get1} {
			assert.NoError(t, q.PutNowait(i))
			if err := gen.Moment(co); err != nil {
				return err
			}
			v, err := gen.Await(co, get)
			assert.NoError(t, err)
			assert.Equal(t, i, v)
		}
		return nil
	})
}

func TestQueueBlockingPutWait(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 1)
		assert.NoError(t, q.PutNowait(0))
		var got []*future.Future[int]
		getAndKeep := func() { got = append(got, q.Get(0)) }
		loop.CallLater(short, getAndKeep)
		loop.CallLater(longer, getAndKeep)
		puts := []*future.Future[struct{}]{q.Put(1, 0), q.Put(2, 0)}
		for _, p := range puts {
			assert.False(t, p.Done())
		}
		_, err := gen.Await(co, gen.All(loop, puts...))
		if !assert.NoError(t, err) || !assert.Len(t, got, 2) {
			return err
		}
		for i, g := range got {
			v, _ := g.Result()
			assert.Equal(t, i, v)
		}
		v, err := q.GetNowait()
		assert.Equal(t, 2, v)
		return err
	})
}

func TestQueuePutTimeout(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 1)
		assert.NoError(t, q.PutNowait(0)) // Now it's full.
		putTimeout := q.Put(1, short)
		put := q.Put(2, 0)
		_, err := gen.Await(co, putTimeout)
		assert.ErrorIs(t, err, ioloop.ErrTimeout)

		v, err := q.GetNowait()
		assert.NoError(t, err)
		assert.Equal(t, 0, v)
		// 1 was never put in the queue.
		v, err = gen.Await(co, q.Get(0))
		assert.NoError(t, err)
		assert.Equal(t, 2, v)
		// The final Get unblocked this putter.
		_, err = gen.Await(co, put)
		return err
	})
}

func TestQueuePutTimeoutPreempted(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 1)
		assert.NoError(t, q.PutNowait(0))
		put := q.Put(1, short)
		q.Get(0)
		if err := sleep(co, longer); err != nil {
			return err
		}
		_, err := gen.Await(co, put) // No timeout.
		return err
	})
}

func TestQueuePutCancelled(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 1)
		assert.NoError(t, q.PutNowait(0))
		p1, p2 := q.Put(1, 0), q.Put(2, 0)
		assert.True(t, p1.Cancel())
		for _, want := range []int{0, 2} {
			v, err := q.GetNowait()
			assert.NoError(t, err)
			assert.Equal(t, want, v)
		}
		assert.True(t, p2.Done())
		assert.True(t, q.Empty(), "the cancelled putter's item was never put")
		return nil
	})
}

func TestQueuePutClearsTimedOutPutters(t *testing.T) {
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
		q.Put(11, 0)                // Put drops the timed-out putters.
		assert.Equal(t, 2, q.NumPutters())
		for _, p := range putters[1:] {
			assert.ErrorIs(t, p.Err(), ioloop.ErrTimeout)
		}
		return nil
	})
}

func TestQueuePutClearsTimedOutGetters(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		getters := make([]*future.Future[int], 10)
		for i := range getters {
			getters[i] = q.Get(short)
		}
		get := q.Get(0)
		q.Get(0)
		assert.Equal(t, 12, q.NumGetters())
		if err := sleep(co, longer); err != nil {
			return err
		}
		assert.Equal(t, 12, q.NumGetters())
		assert.False(t, get.Done()) // The final getters are still active.
		q.Put(0, 0)                 // Put drops the timed-out getters.
		assert.Equal(t, 1, q.NumGetters())
		v, err := gen.Await(co, get)
		assert.Equal(t, 0, v)
		for _, g := range getters {
			assert.ErrorIs(t, g.Err(), ioloop.ErrTimeout)
		}
		return err
	})
}
