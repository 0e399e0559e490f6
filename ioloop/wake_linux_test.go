package ioloop_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/gornado/gornado/ioloop"
)

// The reproduction in issue 10 (fault 1), bounded: goroutines add
// callbacks while the loop stops itself and is closed; a pipe opened right
// after Close (likely to get the waker's descriptor number) must stay
// empty, and no wake may fail. TestAddCallbackNeverWakesAClosedPoller pins
// the fault deterministically; this is the unaided version, too short to
// catch it reliably on its own.
func TestNoWakeReachesADescriptorReusedAfterClose(t *testing.T) {
	const iterations = 100 // the fault showed about once in 3,500
	rec := newRecords()
	for range iterations {
		l, err := ioloop.New(ioloop.Config{Logger: slogger(rec)})
		require.NoError(t, err)
		quit := make(chan struct{})
		var adders sync.WaitGroup
		for range 4 {
			adders.Add(1)
			go func() {
				defer adders.Done()
				for {
					select {
					case <-quit:
						return
					default:
						l.AddCallback(func() {})
					}
				}
			}()
		}
		l.AddCallback(func() { l.CallLater(200*time.Microsecond, l.Stop) })
		require.NoError(t, l.Start())
		require.NoError(t, l.Close())
		var p [2]int
		require.NoError(t, unix.Pipe2(p[:], unix.O_NONBLOCK|unix.O_CLOEXEC))
		close(quit)
		adders.Wait()
		var buf [8]byte
		n, _ := unix.Read(p[0], buf[:])
		unix.Close(p[0])
		unix.Close(p[1])
		require.LessOrEqual(t, n, 0, "a wake reached the pipe opened after Close: % x", buf[:max(n, 0)])
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, line := range rec.lines {
		assert.NotContains(t, line, "wake failed")
	}
}
