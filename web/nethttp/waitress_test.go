package nethttp_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/web/nethttp"
)

// bytesMux is a net/http application: GET / says hello, /bytes/N sends N
// bytes of a pattern, POST /sha256 hashes its body. served counts the
// /bytes handlers that returned.
var served atomic.Int64

func bytesMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })
	mux.HandleFunc("GET /bytes/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.Write(pattern(n))
		served.Add(1)
	})
	mux.HandleFunc("POST /sha256", func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		n, err := io.Copy(h, r.Body)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "%d %x", n, h.Sum(nil))
	})
	return mux
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + i%23)
	}
	return b
}

func dirEntries(t *testing.T, dir string) int {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	return len(es)
}

func TestSlowClientDoesNotHoldTheWorker(t *testing.T) {
	// One worker. A client asks for 12 MiB and reads nothing: what the
	// kernel does not hold, past 1 MiB, goes to a spill file, the worker
	// finishes, and a second client is answered by the same worker at
	// once. Then the first client reads, and gets every byte. (Its
	// receive buffer is small, 64 KiB, but not so small that TCP crawls.)
	tmp := t.TempDir()
	c, route := mount(t, bytesMux(), nethttp.Config{Threads: 1, TempDir: tmp})
	s := serveApp(t, []web.Route{{Pattern: `/.*`, Handler: route}}, web.Config{})

	slow, err := net.Dial("tcp", s.Addr)
	require.NoError(t, err)
	defer slow.Close()
	require.NoError(t, slow.(*net.TCPConn).SetReadBuffer(64<<10))
	const size = 12 << 20
	_, err = fmt.Fprintf(slow, "GET /bytes/%d HTTP/1.1\r\nHost: x\r\n\r\n", size)
	require.NoError(t, err)
	waitUntil(t, "the response to spill", func() bool { return c.Stats().Spills == 1 })

	_, body := s.Get("/")
	assert.Equal(t, "hello", body, "the only worker is free again")
	assert.Equal(t, 0, dirEntries(t, tmp), "the spill file has no name in the directory")

	resp, err := http.ReadResponse(bufio.NewReader(slow), nil)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, size, len(got))
	assert.True(t, bytes.Equal(pattern(size), got), "the spilled body arrives intact")
	assert.Zero(t, c.Stats().Waits, "the worker never waited")
}

func TestRequestBodySpills(t *testing.T) {
	tmp := t.TempDir()
	c, route := mount(t, bytesMux(), nethttp.Config{TempDir: tmp, InbufOverflow: 64 << 10})
	s := serveApp(t, []web.Route{{Pattern: `/.*`, Handler: route}}, web.Config{})
	for _, n := range []int{0, 1000, 3 << 20} {
		body := pattern(n)
		resp, got := s.Do("POST", "/sha256", string(body))
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, fmt.Sprintf("%d %x", n, sha256.Sum256(body)), got)
	}
	assert.EqualValues(t, 1, c.Stats().BodySpills, "only the body over InbufOverflow went to a file")
	assert.Equal(t, 0, dirEntries(t, tmp))
}

func TestManySlowReaders(t *testing.T) {
	// 16 clients ask for 8 MiB each and read nothing, with 4 workers:
	// every handler returns (what the kernels do not hold spills), no
	// worker waits, and another client is still served. Then they all
	// read their bytes.
	c, route := mount(t, bytesMux(), nethttp.Config{Threads: 4, TempDir: t.TempDir()})
	s := serveApp(t, []web.Route{{Pattern: `/.*`, Handler: route}}, web.Config{})
	const clients, size = 16, 8 << 20
	before := served.Load()
	conns := make([]net.Conn, clients)
	for i := range conns {
		conn, err := net.Dial("tcp", s.Addr)
		require.NoError(t, err)
		defer conn.Close()
		require.NoError(t, conn.(*net.TCPConn).SetReadBuffer(64<<10))
		_, err = fmt.Fprintf(conn, "GET /bytes/%d HTTP/1.1\r\nHost: x\r\n\r\n", size)
		require.NoError(t, err)
		conns[i] = conn
	}
	waitUntil(t, "every handler to return", func() bool { return served.Load()-before == clients })
	_, body := s.Get("/")
	assert.Equal(t, "hello", body)
	for _, conn := range conns {
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		n, err := io.Copy(io.Discard, resp.Body)
		require.NoError(t, err)
		assert.EqualValues(t, size, n)
	}
	assert.Zero(t, c.Stats().Waits)
	assert.Positive(t, c.Stats().Spills)
}

func TestStalledClientReleasesTheWorker(t *testing.T) {
	// One worker, a client that stops reading: the worker writes until
	// 16 MiB are unsent and waits; at StallTimeout the server cuts the
	// connection, the worker's Write fails, and it serves the next
	// request.
	writeErr := make(chan error, 1)
	mux := bytesMux()
	mux.HandleFunc("GET /endless", func(w http.ResponseWriter, r *http.Request) {
		chunk := pattern(64 << 10)
		for {
			if _, err := w.Write(chunk); err != nil {
				writeErr <- err
				return
			}
		}
	})
	c, route := mount(t, mux, nethttp.Config{Threads: 1, TempDir: t.TempDir()})
	clock := looptest.NewFakeClock(time.Time{})
	s := serveApp(t, []web.Route{{Pattern: `/.*`, Handler: route}},
		web.Config{Server: httpserver.Config{StallTimeout: time.Second, IdleTimeout: time.Hour}}, ioloop.Config{Clock: clock})

	conn, err := net.Dial("tcp", s.Addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.(*net.TCPConn).SetReadBuffer(64<<10))
	_, err = io.WriteString(conn, "GET /endless HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	waitUntil(t, "the worker to wait at the high-water mark", func() bool { return c.Stats().Waits > 0 })
	select {
	case err := <-writeErr:
		t.Fatalf("the worker stopped before the stall timeout: %v", err)
	default:
	}
	for range 12 { // 3 s of the loop's clock, a sweep at a time
		clock.Advance(250 * time.Millisecond)
		done := make(chan struct{})
		s.Loop.AddCallback(func() { close(done) })
		<-done
	}
	select {
	case err := <-writeErr:
		assert.Error(t, err, "the handler sees its Write fail")
	case <-time.After(10 * time.Second):
		t.Fatal("the worker was not released")
	}
	_, body := s.Get("/")
	assert.Equal(t, "hello", body, "the only worker serves again")
}
