package ioloop_test

import (
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/looptest"
)

func TestSignalHandlerRunsOnTheLoop(t *testing.T) {
	// os/signal starts a goroutine of its own at its first Notify, for
	// the life of the process: start it before the leak check's baseline.
	warm := make(chan os.Signal, 1)
	signal.Notify(warm, syscall.SIGUSR2)
	signal.Stop(warm)
	l := looptest.New(t)
	got := map[string]int{} // loop-owned: no lock
	done := make(chan struct{})
	remove := l.AddSignalHandler(func(sig os.Signal) {
		got[sig.String()]++
		if got[sig.String()] == 2 {
			close(done)
			l.Stop()
		}
	}, syscall.SIGUSR1)
	l.AddCallback(func() {
		require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGUSR1))
	})
	go func() {
		<-time.After(100 * time.Millisecond) // signals may merge: send a second one apart
		syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	}()
	require.NoError(t, l.Start())
	<-done
	assert.Equal(t, 2, got["user defined signal 1"])
	remove()
	remove() // twice is harmless
}
