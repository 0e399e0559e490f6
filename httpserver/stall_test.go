package httpserver_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
)

// stallServer serves 32 MiB per request on a loop with a fake clock, and
// reports through closed when a response's connection closed under it.
func stallServer(t *testing.T, clock *looptest.FakeClock, cfg httpserver.Config) (string, *ioloop.IOLoop, chan struct{}) {
	closed := make(chan struct{}, 1)
	var loop *ioloop.IOLoop
	big := make([]byte, 32<<20)
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		w.SetCloseCallback(func() { closed <- struct{}{} })
		w.Write(big)
		w.Flush().OnDone(func() { w.Finish() })
	})
	addr := serveWith(t, ioloop.Config{Clock: clock}, h, cfg, func(l *ioloop.IOLoop, _ *httpserver.Server) { loop = l })
	return addr, loop, closed
}

// advance moves the fake clock in steps, letting the loop run each step's
// timeouts (the sweeper) before the next.
func advance(loop *ioloop.IOLoop, clock *looptest.FakeClock, d, step time.Duration) {
	for moved := time.Duration(0); moved < d; moved += step {
		clock.Advance(step)
		for range 2 { // a callback phase, then the timers it let come due
			done := make(chan struct{})
			loop.AddCallback(func() { close(done) })
			<-done
		}
	}
}

func TestStallTimeoutCutsAClientThatStoppedReading(t *testing.T) {
	clock := looptest.NewFakeClock(time.Time{})
	addr, loop, closed := stallServer(t, clock, httpserver.Config{StallTimeout: time.Second, IdleTimeout: time.Hour})
	c := dial(t, addr)
	require.NoError(t, c.(*net.TCPConn).SetReadBuffer(64<<10))
	fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(100 * time.Millisecond) // let the kernels' buffers fill (any amount passes)
	select {
	case <-closed:
		t.Fatal("closed before the stall timeout")
	default:
	}
	advance(loop, clock, 3*time.Second, 250*time.Millisecond)
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("a client that reads nothing was not cut at StallTimeout")
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, resp.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "the response was cut short")
}

func TestStallTimeoutSparesASlowReader(t *testing.T) {
	clock := looptest.NewFakeClock(time.Time{})
	addr, loop, closed := stallServer(t, clock, httpserver.Config{StallTimeout: time.Second, IdleTimeout: time.Hour})
	c := dial(t, addr)
	require.NoError(t, c.(*net.TCPConn).SetReadBuffer(64<<10))
	fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReaderSize(c, 64<<10)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	// Read a little between every step of the clock: the response moves,
	// however slowly, so it is never cut.
	buf := make([]byte, 256<<10)
	var got int64
	for got < 32<<20 {
		n, err := io.ReadFull(resp.Body, buf)
		got += int64(n)
		if err != nil {
			require.ErrorIs(t, err, io.ErrUnexpectedEOF)
			break
		}
		advance(loop, clock, 250*time.Millisecond, 250*time.Millisecond)
	}
	assert.EqualValues(t, 32<<20, got)
	select {
	case <-closed:
		t.Fatal("a slow reader was cut")
	default:
	}
}

func TestRunShutsDownGracefully(t *testing.T) {
	// Run serves until its context ends; a request in flight then still
	// gets its answer, and Run returns nil.
	l := looptest.New(t)
	release := make(chan struct{})
	var held *httpserver.Response
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		held = w
		close(release)
	})
	srv := httpserver.New(l, h, httpserver.Config{})
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	c := dial(t, srv.Addrs()[0].String())
	fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	<-release
	cancel()
	l.AddCallback(func() {
		held.WriteString("late but whole")
		held.Finish()
	})
	resp, body := readResponse(t, bufio.NewReader(c), "GET")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "late but whole", body)
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
}

func TestNegativeTimeoutsMeanNone(t *testing.T) {
	// Config's rule: zero is the default, negative is none. A connection
	// idle (or with half a head) for a day of the loop's clock stays open.
	clock := looptest.NewFakeClock(time.Time{})
	var loop *ioloop.IOLoop
	addr := serveWith(t, ioloop.Config{Clock: clock}, hello,
		httpserver.Config{IdleTimeout: -1, HeaderTimeout: -1, BodyTimeout: -1, StallTimeout: -1},
		func(l *ioloop.IOLoop, _ *httpserver.Server) { loop = l })
	idle, half := dial(t, addr), dial(t, addr)
	fmt.Fprint(half, "GET / HTTP/1.1\r\n")
	time.Sleep(20 * time.Millisecond) // let the half head arrive (any split passes)
	advance(loop, clock, 24*time.Hour, time.Hour)
	for _, c := range []net.Conn{idle, half} {
		fmt.Fprint(c, "GET /still HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	_, body := readResponse(t, bufio.NewReader(idle), "GET")
	assert.Equal(t, "Hello, GET /still", body)
	resp, _ := readResponse(t, bufio.NewReader(half), "GET")
	assert.Equal(t, 400, resp.StatusCode, "the half head and the next make a bad request, answered: the connection was open")
}
