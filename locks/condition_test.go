package locks_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/locks"
)

// history records, in order, the outcomes of Condition.Wait futures and
// the test's own steps (Tornado's ConditionTest.record_done). Loop-only.
type history []string

// recordDone appends key once f completes with true, "timeout" once it
// completes with false.
func (h *history) recordDone(f *future.Future[bool], key any) {
	f.AddDoneCallback(func(f *future.Future[bool]) {
		if ok, _ := f.Result(); !ok {
			*h = append(*h, "timeout")
			return
		}
		*h = append(*h, fmt.Sprint(key))
	})
}

func (h *history) add(key any) { *h = append(*h, fmt.Sprint(key)) }

func keys(ks ...any) history {
	h := history{}
	for _, k := range ks {
		h.add(k)
	}
	return h
}

func TestConditionNotify(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		c := locks.NewCondition(loop)
		loop.CallLater(short, func() { c.Notify(1) })
		ok, err := gen.Await(co, c.Wait(0))
		assert.True(t, ok)
		return err
	})
}

func TestConditionNotify1(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		c := locks.NewCondition(loop)
		h := history{}
		h.recordDone(c.Wait(0), "wait1")
		h.recordDone(c.Wait(0), "wait2")
		c.Notify(1)
		if err := gen.Moment(co); err != nil {
			return err
		}
		h.add("notify1")
		c.Notify(1)
		if err := gen.Moment(co); err != nil {
			return err
		}
		h.add("notify2")
		assert.Equal(t, keys("wait1", "notify1", "wait2", "notify2"), h)
		return nil
	})
}

func TestConditionNotifyN(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		c := locks.NewCondition(loop)
		h := history{}
		for i := range 6 {
			h.recordDone(c.Wait(0), i)
		}
		// Waiters wake first in, first out.
		for _, step := range []struct {
			n    int
			want history
		}{
			{3, keys(0, 1, 2)},
			{1, keys(0, 1, 2, 3)},
			{2, keys(0, 1, 2, 3, 4, 5)},
			{1, keys(0, 1, 2, 3, 4, 5)}, // nobody left: no error
		} {
			c.Notify(step.n)
			if err := gen.Moment(co); err != nil {
				return err
			}
			assert.Equal(t, step.want, h, "after Notify(%d)", step.n)
		}
		return nil
	})
}

func TestConditionNotifyAll(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		c := locks.NewCondition(loop)
		h := history{}
		for i := range 4 {
			h.recordDone(c.Wait(0), i)
		}
		c.NotifyAll()
		if err := gen.Moment(co); err != nil {
			return err
		}
		h.add("notify_all")
		assert.Equal(t, keys(0, 1, 2, 3, "notify_all"), h)
		return nil
	})
}

func TestConditionWaitTimeout(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		c := locks.NewCondition(loop)
		wait := c.Wait(short)
		loop.CallLater(longer, func() { c.Notify(1) }) // Too late.
		if err := sleep(co, later); err != nil {
			return err
		}
		ok, err := gen.Await(co, wait)
		assert.False(t, ok, "a timed-out Wait reports false")
		return err
	})
}

func TestConditionWaitTimeoutPreempted(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		c := locks.NewCondition(loop)
		// This fires before the wait times out.
		loop.CallLater(short, func() { c.Notify(1) })
		wait := c.Wait(longer)
		if err := sleep(co, later); err != nil {
			return err
		}
		ok, err := gen.Await(co, wait)
		assert.True(t, ok)
		return err
	})
}

func TestConditionNotifyNWithTimeout(t *testing.T) {
	// Waiter 1 has a timeout. Once it expired, Notify(2) must wake 0 and
	// 2: a timed-out waiter does not count against n.
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		c := locks.NewCondition(loop)
		h := history{}
		h.recordDone(c.Wait(0), 0)
		h.recordDone(c.Wait(short), 1)
		h.recordDone(c.Wait(0), 2)
		h.recordDone(c.Wait(0), 3)

		if err := sleep(co, longer); err != nil {
			return err
		}
		assert.Equal(t, keys("timeout"), h)

		c.Notify(2)
		if err := sleep(co, short); err != nil {
			return err
		}
		assert.Equal(t, keys("timeout", 0, 2), h)
		c.Notify(1)
		if err := gen.Moment(co); err != nil {
			return err
		}
		assert.Equal(t, keys("timeout", 0, 2, 3), h)
		return nil
	})
}

func TestConditionNotifyAllWithTimeout(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		c := locks.NewCondition(loop)
		h := history{}
		h.recordDone(c.Wait(0), 0)
		h.recordDone(c.Wait(short), 1)
		h.recordDone(c.Wait(0), 2)

		if err := sleep(co, longer); err != nil {
			return err
		}
		assert.Equal(t, keys("timeout"), h)

		c.NotifyAll()
		if err := gen.Moment(co); err != nil {
			return err
		}
		assert.Equal(t, keys("timeout", 0, 2), h)
		return nil
	})
}

func TestConditionNotifySkipsCancelled(t *testing.T) {
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		c := locks.NewCondition(loop)
		h := history{}
		w0 := c.Wait(0)
		h.recordDone(w0, 0)
		h.recordDone(c.Wait(0), 1)
		assert.True(t, w0.Cancel())
		c.Notify(1)
		if err := gen.Moment(co); err != nil {
			return err
		}
		// The cancelled waiter's callback sees false, as a timed-out one.
		assert.Equal(t, keys("timeout", 1), h)
		return nil
	})
}

func TestConditionNestedNotify(t *testing.T) {
	// No notification is lost when a woken waiter's callback notifies.
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		c := locks.NewCondition(loop)
		fs := []*future.Future[bool]{c.Wait(0), c.Wait(0), c.Wait(0)}
		// The first two wake; the second's callback wakes the third.
		fs[1].OnDone(func() { c.Notify(1) })
		c.Notify(2)
		got, err := gen.Await(co, gen.All(loop, fs...))
		assert.Equal(t, []bool{true, true, true}, got)
		return err
	})
}

func TestConditionGarbageCollection(t *testing.T) {
	// Timed-out waiters are now and then swept from the waiter list.
	run(t, func(loop *ioloop.IOLoop, co *gen.Co) error {
		c := locks.NewCondition(loop)
		for range 101 {
			c.Wait(short)
		}
		f := c.Wait(0)
		assert.Equal(t, 102, c.NumWaiters())

		// Let the first 101 waiters time out, triggering a collection.
		if err := sleep(co, longer); err != nil {
			return err
		}
		assert.Equal(t, 1, c.NumWaiters())

		// The final waiter is still active.
		assert.False(t, f.Done())
		c.Notify(1)
		assert.True(t, f.Done())
		return nil
	})
}
