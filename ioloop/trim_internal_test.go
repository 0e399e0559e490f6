package ioloop

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// After a burst of parked coroutines, the idle runners they leave behind
// are retired over time down to minIdleRunners, instead of staying until
// Close.
func TestIdleRunnersAreTrimmedAfterABurst(t *testing.T) {
	defer func(d time.Duration) { idleTrimEvery = d }(idleTrimEvery)
	idleTrimEvery = 5 * time.Millisecond

	l, err := New(Config{})
	require.NoError(t, err)
	defer l.Close()
	const burst = 300
	ws := make([]Waiter, burst)
	resumed, peakIdle, trimmed := 0, 0, false
	var check func()
	check = func() {
		if len(l.idle) <= minIdleRunners {
			trimmed = true
			l.Stop()
			return
		}
		l.CallLater(time.Millisecond, check)
	}
	l.AddCallback(func() {
		for i := range ws {
			l.AddCallback(func() {
				if l.Suspend(&ws[i]) == nil {
					resumed++
					if resumed == burst {
						peakIdle = len(l.idle)
						l.AddCallback(check)
					}
				}
			})
		}
		l.AddCallback(func() {
			for i := range ws {
				l.AddCallback(func() { l.Resume(&ws[i]) })
			}
		})
	})
	guard := time.AfterFunc(20*time.Second, func() { l.Stop() }) // a hang guard
	defer guard.Stop()
	require.NoError(t, l.Start())
	assert.Equal(t, burst, resumed)
	assert.GreaterOrEqual(t, peakIdle, burst-minIdleRunners, "the burst left idle runners")
	assert.True(t, trimmed, "idle runners were retired down to minIdleRunners")
}
