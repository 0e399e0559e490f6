package web

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/looptest"
)

// TestContainerBackpressure pins the memory bound of a mounted handler's
// response: with a client that does not read, the worker waits once the
// loop holds containerHighWater bytes it cannot send, instead of
// buffering the whole body; once the client reads, the rest flows and
// the body arrives complete.
func TestContainerBackpressure(t *testing.T) {
	const total = 48 << 20 // far more than the kernel's socket buffers hold
	var made atomic.Pointer[containerResponse]
	containerStarted = func(cr *containerResponse) { made.Store(cr) }
	t.Cleanup(func() { containerStarted = nil })

	var written atomic.Int64
	handlerDone := make(chan struct{})
	chunk := make([]byte, 32<<10)
	for i := range chunk {
		chunk[i] = byte('a' + i%26)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(handlerDone)
		w.Header().Set("Content-Type", "application/octet-stream")
		for written.Load() < total {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})

	l := looptest.New(t)
	app, err := NewApplication([]Route{{Pattern: `/big`, HTTPHandler: h}}, Settings{Logger: looptest.Logs(l).Logger()})
	require.NoError(t, err)
	srv, err := app.Listen(l, "127.0.0.1:0")
	require.NoError(t, err)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		l.Start()
	}()
	t.Cleanup(func() {
		assert.NoError(t, app.Close())
		l.AddCallback(func() {
			srv.Close()
			l.Stop()
		})
		<-stopped
	})

	conn, err := net.Dial("tcp", srv.Addrs()[0].String())
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.(*net.TCPConn).SetReadBuffer(16<<10))
	_, err = io.WriteString(conn, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)

	// The client reads nothing: the worker must come to wait.
	waitUntil(t, "the worker to wait for the loop", func() bool {
		cr := made.Load()
		if cr == nil {
			return false
		}
		cr.mu.Lock()
		defer cr.mu.Unlock()
		return cr.waits > 0
	})
	cr := made.Load()
	select {
	case <-handlerDone:
		t.Fatal("the handler finished although the client read nothing")
	default:
	}
	cr.mu.Lock()
	peak := cr.peak
	cr.mu.Unlock()
	assert.LessOrEqual(t, peak, containerHighWater+containerChunkSize, "bytes held for a client that does not read")
	assert.Less(t, written.Load(), int64(total))

	// Now the client reads: everything arrives, in order.
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	got := int64(0)
	buf := make([]byte, len(chunk))
	for {
		n, err := io.ReadFull(resp.Body, buf)
		if n > 0 {
			assert.Equal(t, chunk[:n], buf[:n])
			got += int64(n)
		}
		if err != nil {
			break
		}
	}
	assert.Equal(t, written.Load(), got)
	assert.GreaterOrEqual(t, got, int64(total))
	<-handlerDone
	cr.mu.Lock()
	assert.LessOrEqual(t, cr.peak, containerHighWater+containerChunkSize)
	cr.mu.Unlock()
}

// waitUntil polls cond until it holds, failing the test after a long
// while: a guard against a hang, not a timing assertion.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
