package future_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
)

// queue is a Scheduler that collects callbacks until the test runs them,
// so a test can see exactly when callbacks run. Safe for concurrent use.
type queue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *queue) AddCallback(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
}

// drain runs callbacks, including those they add, until none are left.
func (q *queue) drain() int {
	n := 0
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return n
		}
		for _, fn := range fns {
			fn()
			n++
		}
	}
}

func TestDoneCallbacksRunInOrderAndNeverInsideSetResult(t *testing.T) {
	q := &queue{}
	f := future.New[int](q)
	var got []string
	f.AddDoneCallback(func(f *future.Future[int]) {
		v, err := f.Result()
		require.NoError(t, err)
		got = append(got, "typed", string(rune('0'+v)))
	})
	f.OnDone(func() { got = append(got, "plain") })
	assert.True(t, f.SetResult(7))
	assert.Empty(t, got, "callbacks do not run inside SetResult")
	q.drain()
	assert.Equal(t, []string{"typed", "7", "plain"}, got)

	// Added after completion: scheduled, still not run inline.
	f.OnDone(func() { got = append(got, "late") })
	assert.Equal(t, []string{"typed", "7", "plain"}, got)
	q.drain()
	assert.Equal(t, "late", got[len(got)-1])
}

func TestCompleteOnce(t *testing.T) {
	q := &queue{}
	f := future.New[string](q)
	v, err := f.Result()
	assert.ErrorIs(t, err, future.ErrNotDone)
	assert.Empty(t, v)
	assert.False(t, f.Done())
	assert.True(t, f.SetResult("a"))
	assert.False(t, f.SetResult("b"))
	assert.False(t, f.SetError(errors.New("late")))
	assert.False(t, f.Cancel())
	v, err = f.Result()
	assert.Equal(t, "a", v)
	assert.NoError(t, err)
	assert.False(t, f.Cancelled())
}

func TestCancel(t *testing.T) {
	q := &queue{}
	f := future.New[int](q)
	called := false
	f.OnDone(func() { called = true })
	assert.True(t, f.Cancel())
	assert.True(t, f.Cancelled())
	assert.False(t, f.SetResult(1), "a result after cancel is dropped")
	assert.ErrorIs(t, f.Err(), future.ErrCancelled)
	q.drain()
	assert.True(t, called, "cancel runs the done callbacks")
}

func TestSetErrorNilPanics(t *testing.T) {
	assert.Panics(t, func() { future.New[int](&queue{}).SetError(nil) })
}

func TestCompleteFromManyGoroutines(t *testing.T) {
	q := &queue{}
	fs := make([]*future.Future[int], 100)
	for i := range fs {
		fs[i] = future.New[int](q)
	}
	ran := 0
	for _, f := range fs {
		f.OnDone(func() { ran++ })
	}
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Add(2)
		go func() { defer wg.Done(); f.SetResult(i) }()
		go func() { defer wg.Done(); f.Cancel() }()
	}
	wg.Wait()
	q.drain()
	assert.Equal(t, 100, ran, "exactly one completion per future")
	for i, f := range fs {
		v, err := f.Result()
		if err == nil {
			assert.Equal(t, i, v)
		} else {
			assert.ErrorIs(t, err, future.ErrCancelled)
		}
	}
}

func TestChainingHelpers(t *testing.T) {
	q := &queue{}
	boom := errors.New("boom")

	src := future.New[int](q)
	doubled := future.Map(src, func(v int) int { return 2 * v })
	str := future.Then(doubled, func(v int) (string, error) {
		if v > 100 {
			return "", boom
		}
		return "ok", nil
	})
	dst := future.Chain(src, future.New[int](q))
	src.SetResult(21)
	q.drain()
	v, err := doubled.Result()
	assert.Equal(t, 42, v)
	assert.NoError(t, err)
	s, err := str.Result()
	assert.Equal(t, "ok", s)
	assert.NoError(t, err)
	v, err = dst.Result()
	assert.Equal(t, 21, v)
	assert.NoError(t, err)

	failed := future.Failed[int](q, boom)
	skipped := true
	mapped := future.Map(failed, func(int) int { skipped = false; return 0 })
	recovered := future.Catch(failed, func(err error) (int, error) { return -1, nil })
	q.drain()
	assert.ErrorIs(t, mapped.Err(), boom)
	assert.True(t, skipped, "Then/Map skip fn on error")
	v, err = recovered.Result()
	assert.Equal(t, -1, v)
	assert.NoError(t, err)
}

func TestRecoverAndPanicError(t *testing.T) {
	boom := errors.New("boom")
	_, err := future.Recover(func() (int, error) { panic(boom) })
	var pe *future.PanicError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, boom, "Unwrap exposes an error panic value")
	assert.Contains(t, pe.Error(), "panic: boom")
	assert.Contains(t, string(pe.Stack), "future_test.go")

	_, err = future.Recover(func() (int, error) { panic("text") })
	require.ErrorAs(t, err, &pe)
	assert.Nil(t, errors.Unwrap(err))
}

// Fault 3 of issue 10: a panic in the function of Then, Map or Catch left
// the derived future pending for ever.
func TestChainingHelpersTurnPanicsIntoPanicErrors(t *testing.T) {
	q := &queue{}
	ok := future.Resolved(q, 1)
	failed := future.Failed[int](q, errors.New("no"))
	then := future.Then(ok, func(int) (string, error) { panic("then") })
	mapped := future.Map(ok, func(int) string { panic("map") })
	caught := future.Catch(failed, func(error) (int, error) { panic("catch") })
	q.drain()
	for name, err := range map[string]error{"then": then.Err(), "map": mapped.Err(), "catch": caught.Err()} {
		var pe *future.PanicError
		if assert.ErrorAs(t, err, &pe, name) {
			assert.Equal(t, name, pe.Value)
			assert.Contains(t, string(pe.Stack), "future_test.go", name)
		}
	}
}

// gateSched is a Scheduler whose first AddCallback waits at a gate, to hold
// a completing future in the middle of queuing its callbacks.
type gateSched struct {
	mu      sync.Mutex
	calls   int
	fns     []func()
	entered chan struct{} // closed when the first call reaches the gate
	gate    chan struct{} // closed by the test to let it through
	added   chan struct{} // gets a value when a later call queued its fn
}

func (s *gateSched) AddCallback(fn func()) {
	s.mu.Lock()
	s.calls++
	first := s.calls == 1
	s.mu.Unlock()
	if first {
		close(s.entered)
		<-s.gate
	}
	s.mu.Lock()
	s.fns = append(s.fns, fn)
	s.mu.Unlock()
	if !first {
		s.added <- struct{}{}
	}
}

// Fault 5 of issue 10: while SetResult on one goroutine was still queuing
// the callbacks added before, AddDoneCallback on another saw the future
// done and queued its callback at once, ahead of them.
func TestDoneCallbacksKeepOrderWhileCompleting(t *testing.T) {
	s := &gateSched{entered: make(chan struct{}), gate: make(chan struct{}), added: make(chan struct{}, 1)}
	f := future.New[int](s)
	var order []string
	f.OnDone(func() { order = append(order, "first") })
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); f.SetResult(1) }()
	<-s.entered // SetResult is queuing "first"
	go func() {
		defer wg.Done()
		f.AddDoneCallback(func(*future.Future[int]) { order = append(order, "second") })
	}()
	// Give the second callback the chance to overtake (it used to take
	// it at once); then let SetResult go on.
	select {
	case <-s.added:
	case <-time.After(50 * time.Millisecond):
	}
	close(s.gate)
	wg.Wait()
	for _, fn := range s.fns {
		fn()
	}
	assert.Equal(t, []string{"first", "second"}, order)
}
