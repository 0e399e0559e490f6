package iostream_test

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/iostream"
)

// hangGuard bounds every test's time on the loop: a generous deadline that
// only a hang reaches.
const hangGuard = 60 * time.Second

// newLoop returns a loop for one test, in debug mode: a loop-only method
// called from the wrong goroutine panics.
func newLoop(t testing.TB) *ioloop.IOLoop {
	t.Helper()
	l, err := ioloop.New(ioloop.Config{Debug: true})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

// run runs body as a coroutine on l to completion; an error (or a hang)
// fails the test. Inside body use assert, never require.
func run(t testing.TB, l *ioloop.IOLoop, body func(co *gen.Co) error) {
	t.Helper()
	_, err := gen.RunSync(l, func(co *gen.Co) (struct{}, error) { return struct{}{}, body(co) }, hangGuard)
	require.NoError(t, err)
}

// goFuture runs fn on a new goroutine (for blocking peers built on package
// net) and returns a future of its result on l.
func goFuture[T any](l *ioloop.IOLoop, fn func() (T, error)) *future.Future[T] {
	f := future.New[T](l)
	go func() { f.Set(fn()) }()
	return f
}

// waitFor polls cond once a millisecond until it holds, or fails after
// the hang guard.
func waitFor(co *gen.Co, what string, cond func() bool) error {
	deadline := time.Now().Add(hangGuard)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out waiting for %s", what)
		}
		if err := gen.Sleep(co, time.Millisecond); err != nil {
			return err
		}
	}
	return nil
}

// closeLater closes s when the test ends (after the loop stopped, before
// it closes).
func closeLater(t testing.TB, s *iostream.IOStream) {
	t.Cleanup(s.Close)
}

// connect dials addr ("host:port") with a plain TCPClient.
func connect(co *gen.Co, addr string, opts iostream.ConnectConfig) (*iostream.IOStream, error) {
	host, portStr, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portStr)
	return gen.Await(co, iostream.NewTCPClient(co.Loop(), iostream.ClientConfig{}).Connect(host, port, opts))
}

// pair returns two connected streams on co's loop over loopback TCP:
// the client end and the server end.
func pair(t testing.TB, co *gen.Co, cfg iostream.Config) (client, server *iostream.IOStream, err error) {
	l := co.Loop()
	accepted := future.New[*iostream.IOStream](l)
	srv := iostream.NewTCPServer(l, iostream.HandlerFunc(func(s *iostream.IOStream) {
		accepted.SetResult(s)
	}), iostream.ServerConfig{Stream: cfg})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		return nil, nil, err
	}
	defer srv.Stop()
	client, err = connect(co, srv.Addrs()[0].String(), iostream.ConnectConfig{Stream: cfg})
	if err != nil {
		return nil, nil, err
	}
	closeLater(t, client)
	server, err = gen.Await(co, accepted)
	if err != nil {
		return nil, nil, err
	}
	closeLater(t, server)
	return client, server, nil
}

// withPeer returns a stream on co's loop connected to a net.Conn: a peer
// that tests drive directly. Small writes to the peer never block, so the
// coroutine may make them; reads of it belong on goroutines (goFuture).
func withPeer(t testing.TB, co *gen.Co, cfg iostream.Config) (*iostream.IOStream, net.Conn, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer ln.Close()
	acc := goFuture(co.Loop(), ln.Accept)
	s, err := connect(co, ln.Addr().String(), iostream.ConnectConfig{Stream: cfg})
	if err != nil {
		return nil, nil, err
	}
	closeLater(t, s)
	c, err := gen.Await(co, acc)
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(func() { c.Close() })
	return s, c, nil
}

// readAll reads c until EOF on a goroutine, in chunks of chunk bytes,
// sleeping pause between them: a slow reader.
func readAll(l *ioloop.IOLoop, c net.Conn, chunk int, pause time.Duration) *future.Future[[]byte] {
	return goFuture(l, func() ([]byte, error) {
		var out []byte
		buf := make([]byte, chunk)
		c.SetReadDeadline(time.Now().Add(hangGuard))
		for {
			n, err := c.Read(buf)
			out = append(out, buf[:n]...)
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return out, err
			}
			if err != nil {
				return out, nil
			}
			if pause > 0 {
				time.Sleep(pause)
			}
		}
	})
}

// openFDs counts the process's open file descriptors, or returns -1 where
// /proc/self/fd does not exist.
func openFDs() int {
	if runtime.GOOS != "linux" {
		return -1
	}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// checkFDs fails the test if it ends with more open file descriptors than
// it began with. Call it before newLoop, so that it checks after the loop
// and every stream closed. Tests using it must not be parallel.
func checkFDs(t *testing.T) {
	if openFDs() < 0 {
		return
	}
	// Package net opens its poller on first use; open it now.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln.Close()
	before := openFDs()
	t.Cleanup(func() {
		// Peers built on package net close asynchronously.
		deadline := time.Now().Add(hangGuard)
		for openFDs() > before && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		assert.Equal(t, before, openFDs(), "open file descriptors before and after the test")
	})
}
