package locks_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/locks"
)

func TestEvent(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		e := locks.NewEvent(loop)
		f0 := e.Wait(0)
		e.Set()
		f1 := e.Wait(0)
		e.Clear()
		f2 := e.Wait(0)
		assert.True(t, f0.Done())
		assert.True(t, f1.Done())
		assert.False(t, f2.Done())
		return nil
	})
}

func TestEventTimeout(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		e := locks.NewEvent(loop)
		_, err := gen.Await(co, e.Wait(short))
		assert.ErrorIs(t, err, ioloop.ErrTimeout)
		assert.ErrorIs(t, err, gen.ErrTimeout)

		// After a timed-out waiter, normal operation works.
		loop.CallLater(short, e.Set)
		_, err = gen.Await(co, e.Wait(5*later))
		return err
	})
}

func TestEventSetMultiple(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		e := locks.NewEvent(loop)
		assert.False(t, e.IsSet())
		e.Set()
		e.Set()
		assert.True(t, e.IsSet())
		e.Clear()
		assert.False(t, e.IsSet())
		return nil
	})
}

func TestEventWaitClear(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		e := locks.NewEvent(loop)
		f0 := e.Wait(0)
		e.Clear()
		f1 := e.Wait(0)
		e.Set()
		assert.True(t, f0.Done())
		assert.True(t, f1.Done())
		_, err := gen.Await(co, gen.All(loop, f0, f1))
		return err
	})
}

func TestEventCancelledWaiter(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		e := locks.NewEvent(loop)
		f0 := e.Wait(0)
		f1 := e.Wait(0)
		assert.True(t, f0.Cancel())
		e.Set()
		assert.True(t, f0.Cancelled())
		_, err := gen.Await(co, f1)
		return err
	})
}

func TestEventGarbageCollection(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		e := locks.NewEvent(loop)
		timed := make([]*future.Future[struct{}], 101)
		for i := range timed {
			timed[i] = e.Wait(short)
		}
		f := e.Wait(0)
		assert.Equal(t, 102, e.NumWaiters())

		// Let the first 101 waiters time out, triggering a collection.
		if err := sleep(co, longer); err != nil {
			return err
		}
		assert.Equal(t, 1, e.NumWaiters())
		assert.False(t, f.Done())
		e.Set()
		assert.True(t, f.Done())
		for _, w := range timed {
			assert.ErrorIs(t, w.Err(), ioloop.ErrTimeout)
		}
		return nil
	})
}
