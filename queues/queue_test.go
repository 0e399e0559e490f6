package queues_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/queues"
)

func TestQueueOrder(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		for _, v := range []int{1, 3, 2} {
			assert.NoError(t, q.PutNowait(v))
		}
		var got []int
		for range 3 {
			v, err := q.GetNowait()
			assert.NoError(t, err)
			got = append(got, v)
		}
		assert.Equal(t, []int{1, 3, 2}, got)
		return nil
	})
}

func TestQueueNegativeMaxsize(t *testing.T) {
	loop, err := ioloop.New(ioloop.Config{})
	assert.NoError(t, err)
	defer loop.Close()
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			assert.PanicsWithValue(t, queues.ErrNegativeMaxsize, func() { k.make(loop, -1) })
		})
	}
}

func TestQueueMaxsize(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 2)
		assert.True(t, q.Empty())
		assert.False(t, q.Full())
		assert.Equal(t, 2, q.Maxsize())
		assert.True(t, q.Put(0, 0).Done())
		assert.True(t, q.Put(1, 0).Done())
		assert.False(t, q.Empty())
		assert.True(t, q.Full())
		assert.Equal(t, 2, q.Qsize())
		put2 := q.Put(2, 0)
		assert.False(t, put2.Done())
		v, err := gen.Await(co, q.Get(0)) // Make room.
		assert.Equal(t, 0, v)
		assert.True(t, put2.Done())
		assert.False(t, q.Empty())
		assert.True(t, q.Full())
		return err
	})
}

func TestQueueUnboundedNeverFull(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		for i := range 1000 {
			assert.True(t, q.Put(i, 0).Done())
		}
		assert.False(t, q.Full())
		assert.Equal(t, 1000, q.Qsize())
		return nil
	})
}

func TestQueueItems(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		for i := range 5 {
			q.Put(i, 0)
		}
		var got []int
		for v := range q.Items(co) {
			got = append(got, v)
			if v == 4 {
				break
			}
		}
		assert.Equal(t, []int{0, 1, 2, 3, 4}, got)
		assert.Equal(t, 0, q.NumGetters(), "breaking left no getter behind")
		return nil
	})
}

func TestQueueItemsWaits(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[string](loop, 0)
		loop.CallLater(short, func() { q.PutNowait("a") })
		loop.CallLater(longer, func() { q.PutNowait("b") })
		var got []string
		for v := range q.Items(co) {
			got = append(got, v)
			if len(got) == 2 {
				break
			}
		}
		assert.Equal(t, []string{"a", "b"}, got)
		return nil
	})
}

func TestQueueItemsLoopClosed(t *testing.T) {
	// A range over Items ends when the loop closes, leaving no getter to
	// take a later item.
	loop, err := ioloop.New(ioloop.Config{})
	assert.NoError(t, err)
	q := queues.NewQueue[int](loop, 0)
	var got []int
	var consumer = gen.Go(loop, func(co *gen.Co) (struct{}, error) {
		for v := range q.Items(co) {
			got = append(got, v)
		}
		return struct{}{}, nil
	})
	_, err = gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		q.PutNowait(1)
		return struct{}{}, sleep(co, short)
	}, long)
	assert.NoError(t, err)
	assert.False(t, consumer.Done())
	assert.NoError(t, loop.Close())
	assert.True(t, consumer.Done())
	assert.Equal(t, []int{1}, got)
	assert.NoError(t, q.PutNowait(2))
	assert.Equal(t, 1, q.Qsize(), "the withdrawn getter took nothing")
}

func TestQueueItemsEndsWhenTheCoroutineIsCancelled(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		q := queues.NewQueue[int](loop, 0)
		var got []int
		consumer := gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			for v := range q.Items(co) {
				got = append(got, v)
				gen.Moment(co) // parked here when cancelled
			}
			return struct{}{}, nil
		})
		for i := range 3 {
			assert.NoError(t, q.PutNowait(i))
		}
		if err := gen.Moment(co); err != nil { // the consumer takes 0 and parks
			return err
		}
		consumer.Cancel()
		_, err := gen.Await(co, consumer)
		assert.ErrorIs(t, err, gen.ErrCancelled)
		if err := gen.Moment(co); err != nil { // the consumer unwinds
			return err
		}
		assert.Equal(t, []int{0}, got)
		assert.Equal(t, 2, q.Qsize(), "a cancelled range takes no more items")
		return nil
	})
}
