package locks_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/locks"
)

func TestSemaphoreNegativeValue(t *testing.T) {
	loop, err := ioloop.New(ioloop.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer loop.Close()
	for name, construct := range map[string]func(){
		"Semaphore":        func() { locks.NewSemaphore(loop, -1) },
		"BoundedSemaphore": func() { locks.NewBoundedSemaphore(loop, -1) },
	} {
		t.Run(name, func(t *testing.T) {
			assert.PanicsWithValue(t, locks.ErrNegativeValue, construct)
		})
	}
}

func TestSemaphoreAcquire(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		sem := locks.NewSemaphore(loop, 1)
		assert.True(t, sem.Acquire(0).Done())

		// Wait for Release.
		f1 := sem.Acquire(0)
		assert.False(t, f1.Done())
		f2 := sem.Acquire(0)
		sem.Release()
		assert.True(t, f1.Done())
		assert.False(t, f2.Done())
		sem.Release()
		assert.True(t, f2.Done())

		sem.Release()
		// Now Acquire is instant.
		assert.True(t, sem.Acquire(0).Done())
		assert.Equal(t, 0, sem.NumWaiters())
		assert.Equal(t, 0, sem.Value())
		return nil
	})
}

func TestSemaphoreAcquireTimeout(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		sem := locks.NewSemaphore(loop, 2)
		for range 2 {
			if _, err := gen.Await(co, sem.Acquire(0)); err != nil {
				return err
			}
		}
		acquire := sem.Acquire(short)
		loop.CallLater(longer, sem.Release) // Too late.
		if err := sleep(co, later); err != nil {
			return err
		}
		_, err := gen.Await(co, acquire)
		assert.ErrorIs(t, err, ioloop.ErrTimeout)

		// The late Release raised the counter instead of feeding the
		// timed-out waiter: the next Acquire takes it, the one after waits.
		assert.Equal(t, 1, sem.Value())
		assert.True(t, sem.Acquire(0).Done())
		f := sem.Acquire(0)
		assert.False(t, f.Done())
		sem.Release()
		assert.True(t, f.Done())
		return nil
	})
}

func TestSemaphoreAcquireTimeoutPreempted(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		sem := locks.NewSemaphore(loop, 1)
		if _, err := gen.Await(co, sem.Acquire(0)); err != nil {
			return err
		}
		// This fires before the wait times out.
		loop.CallLater(short, sem.Release)
		acquire := sem.Acquire(longer)
		if err := sleep(co, later); err != nil {
			return err
		}
		_, err := gen.Await(co, acquire) // No timeout.
		return err
	})
}

func TestSemaphoreReleaseUnacquired(t *testing.T) {
	// Unbounded releases are allowed and raise the counter.
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		sem := locks.NewSemaphore(loop, 1)
		sem.Release()
		sem.Release()
		assert.Equal(t, 3, sem.Value())

		// Three Acquires succeed at once before one blocks.
		for i := range 3 {
			assert.True(t, sem.Acquire(0).Done(), "acquire %d", i)
		}
		assert.False(t, sem.Acquire(0).Done())
		return nil
	})
}

func TestSemaphoreReleaseSkipsCancelled(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		sem := locks.NewSemaphore(loop, 0)
		f0 := sem.Acquire(0)
		f1 := sem.Acquire(0)
		f0.Cancel()
		sem.Release()
		assert.True(t, f1.Done())
		assert.NoError(t, f1.Err())
		assert.Equal(t, 0, sem.Value())
		return nil
	})
}

func TestSemaphoreGarbageCollection(t *testing.T) {
	// Timed-out waiters are now and then swept from the waiter list.
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		sem := locks.NewSemaphore(loop, 0)
		timed := make([]*future.Future[struct{}], 101)
		for i := range timed {
			timed[i] = sem.Acquire(short)
		}
		f := sem.Acquire(0)
		assert.Equal(t, 102, sem.NumWaiters())

		// Let the first 101 waiters time out, triggering a collection.
		if err := sleep(co, longer); err != nil {
			return err
		}
		assert.Equal(t, 1, sem.NumWaiters())

		// The final waiter is still active.
		assert.False(t, f.Done())
		sem.Release()
		assert.True(t, f.Done())
		for _, w := range timed {
			assert.ErrorIs(t, w.Err(), ioloop.ErrTimeout)
		}
		return nil
	})
}

// TestSemaphoreWith ports Tornado's SemaphoreContextManagerTest.
func TestSemaphoreWith(t *testing.T) {
	errBody := errors.New("body failed")
	for _, tc := range []struct {
		name    string
		value   int
		timeout bool
		body    func() error
		wantErr error
		ran     bool // the body ran
		after   int  // the counter afterwards
	}{
		{name: "plain", value: 1, body: func() error { return nil }, ran: true, after: 1},
		{name: "error", value: 1, body: func() error { return errBody }, wantErr: errBody, ran: true, after: 1},
		{name: "timeout", value: 1, timeout: true, body: func() error { return nil }, ran: true, after: 1},
		{name: "timeout error", value: 0, timeout: true, body: func() error { return nil }, wantErr: ioloop.ErrTimeout, after: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
				sem := locks.NewSemaphore(loop, tc.value)
				var timeout time.Duration
				if tc.timeout {
					timeout = short
				}
				ran := false
				err := sem.With(co, timeout, func() error {
					ran = true
					assert.Equal(t, tc.value-1, sem.Value(), "held inside With")
					return tc.body()
				})
				assert.ErrorIs(t, err, tc.wantErr)
				if tc.wantErr == nil {
					assert.NoError(t, err)
				}
				assert.Equal(t, tc.ran, ran)
				// Released (or never taken): the counter is back.
				assert.Equal(t, tc.after, sem.Value())
				assert.Equal(t, tc.after > 0, sem.Acquire(0).Done())
				return nil
			})
		})
	}
}

func TestSemaphoreWithPanic(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		sem := locks.NewSemaphore(loop, 1)
		assert.PanicsWithValue(t, "boom", func() {
			_ = sem.With(co, 0, func() error { panic("boom") })
		})
		// The panic released the semaphore.
		assert.True(t, sem.Acquire(0).Done())
		return nil
	})
}

func TestSemaphoreWithContended(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		sem := locks.NewSemaphore(loop, 1)
		var h []string
		f := func(i int) *future.Future[struct{}] {
			return gen.Go(loop, func(co *gen.Co) (struct{}, error) {
				return struct{}{}, sem.With(co, 0, func() error {
					h = append(h, fmt.Sprint("acquired ", i))
					err := gen.Sleep(co, short)
					h = append(h, fmt.Sprint("release ", i))
					return err
				})
			})
		}
		_, err := gen.Await(co, gen.All(loop, f(0), f(1)))
		assert.Equal(t, []string{"acquired 0", "release 0", "acquired 1", "release 1"}, h)
		return err
	})
}

func TestBoundedSemaphoreReleaseUnacquired(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		sem := locks.NewBoundedSemaphore(loop, 1)
		assert.ErrorIs(t, sem.Release(), locks.ErrReleasedTooManyTimes)
		assert.Equal(t, 1, sem.Value())
		// Value is 0.
		assert.True(t, sem.Acquire(0).Done())
		// Block on Acquire.
		f := sem.Acquire(0)
		assert.False(t, f.Done())
		assert.NoError(t, sem.Release())
		assert.True(t, f.Done())
		// Value is 1.
		assert.NoError(t, sem.Release())
		assert.Equal(t, 1, sem.Value())
		assert.ErrorIs(t, sem.Release(), locks.ErrReleasedTooManyTimes)
		assert.Equal(t, 1, sem.Value())
		return nil
	})
}

func TestBoundedSemaphoreWith(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		sem := locks.NewBoundedSemaphore(loop, 2)
		err := sem.With(co, 0, func() error {
			assert.Equal(t, 1, sem.Value())
			return nil
		})
		assert.NoError(t, err)
		assert.Equal(t, 2, sem.Value())

		// A body that releases too leaves With's own release over the bound.
		err = sem.With(co, 0, func() error { return sem.Release() })
		assert.ErrorIs(t, err, locks.ErrReleasedTooManyTimes)
		assert.Equal(t, 2, sem.Value())
		return nil
	})
}
