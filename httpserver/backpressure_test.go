package httpserver_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
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
	t.Logf("%d pipelined requests for 1 MiB to a client that reads nothing: %d served, heap grown by %d KiB", requests, served, grown>>10)
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

// pausedUpload is a delegate that is not ready for its body until the
// test says so (Tornado's prepare() that waits): it pauses reading in
// HeadersReceived and counts the body once resumed.
type pausedUpload struct {
	paused chan *httpserver.Response
	w      *httpserver.Response
	n      int
}

func (p *pausedUpload) StartRequest(w *httpserver.Response, r *httpserver.Request) httpserver.MessageDelegate {
	return &pausedUpload{paused: p.paused, w: w}
}

func (p *pausedUpload) HeadersReceived(w *httpserver.Response, r *httpserver.Request) error {
	w.PauseReading()
	p.paused <- w
	return nil
}

func (p *pausedUpload) DataReceived(chunk []byte) error { p.n += len(chunk); return nil }

func (p *pausedUpload) Finish() {
	p.w.WriteString("got " + strconv.Itoa(p.n))
	p.w.Finish()
}

func (p *pausedUpload) OnConnectionClose() {}

// A body whose delegate is not ready for it waits in the kernel, not in
// the server's memory: the client cannot send more than the socket
// buffers hold, and the server's heap stays flat, however large the
// body. (Fault 2 of the hardening issue: a Prepare that waits while a
// 4 GiB upload arrives.)
func TestPausedUploadWaitsInTheKernel(t *testing.T) {
	const size = 64 << 20
	up := &pausedUpload{paused: make(chan *httpserver.Response, 1)}
	var l *ioloop.IOLoop
	addr := serve(t, up, httpserver.Config{}, func(loop *ioloop.IOLoop, _ *httpserver.Server) { l = loop })
	before := heapInuse()

	c := dial(t, addr)
	c.SetDeadline(time.Now().Add(30 * time.Second))
	var written atomic.Int64
	done := make(chan error, 1)
	go func() {
		_, err := io.WriteString(c, "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: "+strconv.Itoa(size)+"\r\n\r\n")
		for sent := 0; err == nil && sent < size; sent += len(megabyte) {
			_, err = c.Write(megabyte)
			written.Add(int64(len(megabyte)))
		}
		done <- err
	}()
	w := <-up.paused
	// Wait until the client can send no more (or, were the body read
	// into memory, until all of it is sent).
	for last, still := int64(-1), 0; still < 3; time.Sleep(50 * time.Millisecond) {
		if n := written.Load(); n == last && n < size {
			still++
		} else {
			last, still = n, 0
		}
		if n := written.Load(); n >= size {
			break
		}
	}
	grown := heapInuse() - before
	t.Logf("a %d MiB upload to a paused delegate: the client sent %d KiB, the heap grew by %d KiB", size>>20, written.Load()>>10, grown>>10)
	assert.Less(t, written.Load(), int64(size), "the client could send the whole body to a paused delegate")
	assert.Less(t, grown, int64(8<<20), "heap grown by %d MiB while the body waited", grown>>20)

	l.AddCallback(w.ResumeReading)
	require.NoError(t, <-done)
	_, body := readResponse(t, bufio.NewReader(c), "PUT")
	assert.Equal(t, "got "+strconv.Itoa(size), body)
}
