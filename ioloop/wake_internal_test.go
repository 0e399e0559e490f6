package ioloop

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lateWaker wraps the real poller. Its wake holds the waker back until
// Close has closed the poller (or a short while has passed), which widens
// to certainty the window in which a wake used to reach a closed
// descriptor: between AddCallback or Stop deciding to wake and the write.
type lateWaker struct {
	poller
	closed    chan struct{}
	closeOnce sync.Once
	waking    chan struct{} // gets a value when a wake starts
	late      atomic.Int32  // wakes that reached the poller after close
}

func (p *lateWaker) wake() error {
	select {
	case p.waking <- struct{}{}:
	default:
	}
	select {
	case <-p.closed:
	case <-time.After(50 * time.Millisecond):
	}
	select {
	case <-p.closed:
		p.late.Add(1)
		return nil // do not write: the descriptor may be anyone's now
	default:
	}
	return p.poller.wake()
}

func (p *lateWaker) close() error {
	p.closeOnce.Do(func() { close(p.closed) })
	return p.poller.close()
}

func newLateWakerLoop(t *testing.T) (*IOLoop, *lateWaker) {
	t.Helper()
	l, err := New(Config{})
	require.NoError(t, err)
	p := &lateWaker{poller: l.poller, closed: make(chan struct{}), waking: make(chan struct{}, 1)}
	l.poller = p
	return l, p
}

// sleepThenStop runs l until a timer stops it, and calls poke from another
// goroutine once the loop sleeps in its poller; then it closes l.
func sleepThenStop(t *testing.T, l *IOLoop, poke func()) {
	t.Helper()
	l.AddCallback(func() { l.CallLater(20*time.Millisecond, l.Stop) })
	done := make(chan error, 1)
	go func() { done <- l.Start() }()
	go func() {
		for !l.sleeping.Load() {
			time.Sleep(100 * time.Microsecond)
		}
		poke()
	}()
	require.NoError(t, <-done)
	require.NoError(t, l.Close())
}

// Fault 1 of issue 10: AddCallback released the lock before it woke the
// poller, and Close did not wait for wakes in flight, so the eventfd write
// could land after Close, on a descriptor number the process may have
// reused for a socket.
func TestAddCallbackNeverWakesAClosedPoller(t *testing.T) {
	l, p := newLateWakerLoop(t)
	added := make(chan struct{})
	sleepThenStop(t, l, func() {
		l.AddCallback(func() {})
		close(added)
	})
	<-added
	assert.Zero(t, p.late.Load(), "a wake reached the poller after Close")
}

// The same for Stop, which took no lock at all.
func TestStopNeverWakesAClosedPoller(t *testing.T) {
	l, p := newLateWakerLoop(t)
	stopped := make(chan struct{})
	sleepThenStop(t, l, func() {
		l.Stop()
		close(stopped)
	})
	<-stopped
	assert.Zero(t, p.late.Load(), "a wake reached the poller after Close")
}

// A loop-only call from another goroutine while the loop sleeps used to be
// lost (a CallLater fired only when something else woke the loop); it now
// panics with a message that says what to do, even without Config.Debug.
func TestLoopOnlyCallWhileTheLoopSleepsPanics(t *testing.T) {
	l, err := New(Config{})
	require.NoError(t, err)
	defer l.Close()
	done := make(chan error, 1)
	go func() { done <- l.Start() }()
	for !l.sleeping.Load() {
		time.Sleep(100 * time.Microsecond)
	}
	assert.PanicsWithValue(t, "ioloop: CallLater called from a goroutine that is not running the loop, while the loop sleeps "+
		"(it would not see the change until something woke it): call it on the loop, by way of AddCallback",
		func() { l.CallLater(time.Millisecond, func() {}) })
	l.Stop()
	require.NoError(t, <-done)
}
