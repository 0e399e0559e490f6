package httpserver_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/iostream"
)

// heapInuse returns the heap in use after a collection.
func heapInuse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}

// dialSmallWindow opens a connection whose receive buffer is a few KiB,
// so the server's answers pile up on the server's side.
func dialSmallWindow(t *testing.T, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
		if err != nil {
			return err
		}
		return serr
	}}
	c, err := d.Dial("tcp", addr)
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

var megabyte = []byte(strings.Repeat("x", 1<<20))

// A client that pipelines requests for large answers and never reads
// them holds one answer in the server's memory, not one per request: the
// next request is read only once the last answer has drained. Another
// client is served meanwhile.
func TestPipelineFloodIsBounded(t *testing.T) {
	const requests = 100 // 100 MiB of answers if nothing held them back
	var big atomic.Int64
	first := make(chan struct{}, 1)
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		if r.Path == "/big" {
			big.Add(1)
			w.Write(megabyte)
			select {
			case first <- struct{}{}:
			default:
			}
		} else {
			w.WriteString("small")
		}
		w.Finish()
	})
	addr := serve(t, h, httpserver.Config{})
	before := heapInuse()

	flood := dialSmallWindow(t, addr)
	_, err := io.WriteString(flood, strings.Repeat("GET /big HTTP/1.1\r\nHost: x\r\n\r\n", requests))
	require.NoError(t, err)
	<-first
	// The loop has read the flood (one read brings it all) and went on
	// to serve this client: whatever it would do with the flood, it did.
	for range 3 {
		_, body := roundTrip(t, addr, "GET /small HTTP/1.1\r\nHost: x\r\n\r\n")
		require.Equal(t, "small", body)
	}
	grown := heapInuse() - before
	served := big.Load()
	assert.Less(t, served, int64(8), "requests served for a client that reads nothing")
	assert.Less(t, grown, int64(32<<20), "heap grown by %d MiB", grown>>20)

	// The answers are all there for a client that reads them at last.
	br := bufio.NewReader(flood)
	for i := range requests {
		resp, err := http1Read(br)
		require.NoError(t, err, "answer %d", i)
		require.Equal(t, 200, resp, "answer %d", i)
	}
}

// http1Read reads one response and drops its body, returning the status.
func http1Read(br *bufio.Reader) (int, error) {
	resp, err := http.ReadResponse(br, &http.Request{Method: "GET"})
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// An answer larger than the connection's write bound is not dropped in
// silence: Finish (or Flush) returns ErrResponseTooLarge and the
// connection closes, so a pipelined request is never paired with it.
func TestResponseOverWriteBoundClosesConnection(t *testing.T) {
	errs := make(chan error, 2)
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		switch r.Path {
		case "/finish":
			w.Write(megabyte[:4096])
			errs <- w.Finish()
		case "/flush":
			w.Write(megabyte[:4096])
			f := w.Flush()
			errs <- f.Err()
			w.Finish()
		default:
			w.WriteString("small")
			w.Finish()
		}
	})
	addr := serve(t, h, httpserver.Config{Stream: iostream.Config{MaxWriteBufferSize: 1024}})
	for _, path := range []string{"/finish", "/flush"} {
		c := dial(t, addr)
		io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\nGET /small HTTP/1.1\r\nHost: x\r\n\r\n")
		got, err := io.ReadAll(c)
		require.NoError(t, err)
		assert.NotContains(t, string(got), "small", "%s: the next answer must not take the dropped one's place", path)
		err = <-errs
		assert.ErrorIs(t, err, httpserver.ErrResponseTooLarge, path)
		assert.ErrorIs(t, err, iostream.ErrBufferFull, path)
	}
	// Within the bound, all is well.
	_, body := roundTrip(t, addr, "GET /small HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, "small", body)
}
