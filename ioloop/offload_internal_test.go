package ioloop

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
)

// The loop yields to the scheduler while RunInExecutor work is out; the
// count it goes by must come back to zero however the work ends: done,
// cancelled by Shutdown, or refused by a shut-down executor.
func TestOffloadedCountsWorkOut(t *testing.T) {
	l, err := New(Config{})
	require.NoError(t, err)
	defer l.Close()
	exec := NewExecutor(ExecutorConfig{Workers: 1})
	release := make(chan struct{})
	started := make(chan struct{})

	var outWhileBlocked int64
	var errs []error
	_, err = RunSync(l, func() *future.Future[struct{}] {
		done := future.New[struct{}](l)
		blocked := RunInExecutor(l, exec, func() (struct{}, error) {
			close(started)
			<-release
			return struct{}{}, nil
		})
		queued := RunInExecutor(l, exec, func() (struct{}, error) { return struct{}{}, errors.New("never runs") })
		<-started // the first task holds the only worker; the second waits in the queue
		outWhileBlocked = l.offloaded.Load()
		// Shutdown cancels the queued task at once, then waits for the
		// running one, which is released once the cancellation is seen.
		go exec.Shutdown(ShutdownConfig{CancelPending: true, Timeout: 5 * time.Second})
		queued.AddDoneCallback(func(q *future.Future[struct{}]) {
			_, qerr := q.Result()
			close(release)
			blocked.AddDoneCallback(func(b *future.Future[struct{}]) {
				_, berr := b.Result()
				_, rerr := RunInExecutor(l, exec, func() (struct{}, error) { return struct{}{}, nil }).Result()
				errs = append(errs, berr, qerr, rerr)
				done.SetResult(struct{}{})
			})
		})
		return done
	}, 10*time.Second)
	require.NoError(t, err)
	assert.EqualValues(t, 2, outWhileBlocked)
	require.Len(t, errs, 3)
	assert.NoError(t, errs[0], "the running task finishes")
	assert.ErrorIs(t, errs[1], ErrExecutorShutdown, "the queued one is cancelled")
	assert.ErrorIs(t, errs[2], ErrExecutorShutdown, "a shut-down executor refuses work")
	assert.Zero(t, l.offloaded.Load())
}
