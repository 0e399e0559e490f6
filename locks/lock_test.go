package locks_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/locks"
)

func TestLockAcquireRelease(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		lock := locks.NewLock(loop)
		assert.False(t, lock.Locked())
		assert.True(t, lock.Acquire(0).Done())
		assert.True(t, lock.Locked())
		f := lock.Acquire(0)
		assert.False(t, f.Done())
		assert.NoError(t, lock.Release())
		assert.True(t, f.Done())
		assert.True(t, lock.Locked(), "handed straight to the waiter")
		assert.NoError(t, lock.Release())
		assert.False(t, lock.Locked())
		return nil
	})
}

func TestLockAcquireFIFO(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		lock := locks.NewLock(loop)
		assert.True(t, lock.Acquire(0).Done())
		const n = 5
		var h []int
		fs := make([]*future.Future[struct{}], n)
		for i := range fs {
			fs[i] = gen.Go(loop, func(co *gen.Co) (struct{}, error) {
				return struct{}{}, lock.With(co, 0, func() error {
					h = append(h, i)
					return gen.Moment(co) // hold it across a wait
				})
			})
		}
		// Let every coroutine start and queue up on the lock.
		if err := gen.Moment(co); err != nil {
			return err
		}
		for _, f := range fs {
			assert.False(t, f.Done())
		}
		assert.NoError(t, lock.Release())
		_, err := gen.Await(co, gen.All(loop, fs...))
		assert.Equal(t, []int{0, 1, 2, 3, 4}, h)
		assert.False(t, lock.Locked())
		return err
	})
}

func TestLockAcquireTimeout(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		lock := locks.NewLock(loop)
		lock.Acquire(0)
		_, err := gen.Await(co, lock.Acquire(short))
		assert.ErrorIs(t, err, ioloop.ErrTimeout)

		// Still locked; the timed-out waiter does not take the next Release.
		f := lock.Acquire(0)
		assert.False(t, f.Done())
		assert.NoError(t, lock.Release())
		assert.True(t, f.Done())
		return nil
	})
}

func TestLockWithTimeout(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		lock := locks.NewLock(loop)
		lock.Acquire(0)
		ran := false
		err := lock.With(co, short, func() error { ran = true; return nil })
		assert.ErrorIs(t, err, ioloop.ErrTimeout)
		assert.False(t, ran)
		assert.True(t, lock.Locked())
		return nil
	})
}

func TestLockMultiRelease(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		lock := locks.NewLock(loop)
		assert.ErrorIs(t, lock.Release(), locks.ErrNotLocked)
		lock.Acquire(0)
		assert.NoError(t, lock.Release())
		assert.ErrorIs(t, lock.Release(), locks.ErrNotLocked)

		// A With body that releases the lock itself.
		err := lock.With(co, 0, lock.Release)
		assert.ErrorIs(t, err, locks.ErrNotLocked)
		assert.False(t, lock.Locked())
		return nil
	})
}

func TestLockWithLoopClosed(t *testing.T) {
	// A coroutine parked in With when the loop closes gets ErrLoopClosed,
	// does not run its body, and withdraws its wait.
	loop, err := ioloop.New(ioloop.Config{})
	assert.NoError(t, err)
	lock := locks.NewLock(loop)
	ran := false
	var waiter *future.Future[struct{}]
	_, err = gen.RunSync(loop, func(co *gen.Co) (struct{}, error) {
		lock.Acquire(0)
		waiter = gen.Go(loop, func(co *gen.Co) (struct{}, error) {
			return struct{}{}, lock.With(co, 0, func() error { ran = true; return nil })
		})
		return struct{}{}, gen.Moment(co)
	}, 5*time.Second)
	assert.NoError(t, err)
	assert.False(t, waiter.Done())
	assert.NoError(t, loop.Close())
	assert.ErrorIs(t, waiter.Err(), gen.ErrLoopClosed)
	assert.False(t, ran)
	// The withdrawn waiter does not take the lock when it is released.
	assert.NoError(t, lock.Release())
	assert.False(t, lock.Locked())
}
