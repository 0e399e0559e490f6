package httpserver_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// echo answers with the request's body length, trailer and identity.
var echo = httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
	fmt.Fprintf(w, "%s %s len=%d ip=%s proto=%s trailer=%s body=%.20s",
		r.Method, r.Target, len(r.Body), r.RemoteIP, r.Protocol, r.Trailer.Get("X-Sum"), r.Body)
	w.Finish()
})

func TestChunkedUploadWithTrailer(t *testing.T) {
	addr := serve(t, echo, httpserver.Config{})
	_, body := roundTrip(t, addr, "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"+
		"5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n")
	assert.Equal(t, "POST /up len=11 ip=127.0.0.1 proto=http trailer=42 body=hello world", body)
}

func TestExpect100Continue(t *testing.T) {
	addr := serve(t, echo, httpserver.Config{})
	c := dial(t, addr)
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "HTTP/1.1 100 Continue\r\n", line)
	blank, _ := br.ReadString('\n')
	assert.Equal(t, "\r\n", blank)
	io.WriteString(c, "data")
	_, body := readResponse(t, br, "POST")
	assert.Contains(t, body, "len=4")
}

func TestNoBodyForHeadAnd204And304(t *testing.T) {
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		code, _ := strconv.Atoi(strings.TrimPrefix(r.Path, "/"))
		w.SetStatus(code)
		w.WriteString("some body")
		w.Finish()
	})
	addr := serve(t, h, httpserver.Config{})
	c := dial(t, addr)
	io.WriteString(c, "HEAD /200 HTTP/1.1\r\nHost: x\r\n\r\nGET /204 HTTP/1.1\r\nHost: x\r\n\r\n"+
		"GET /304 HTTP/1.1\r\nHost: x\r\n\r\nGET /200 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	raw, err := io.ReadAll(c)
	require.NoError(t, err)
	// The responses follow one another with no stray body bytes between.
	parts := strings.Split(string(raw), "HTTP/1.1 ")
	require.Len(t, parts, 5, string(raw))
	assert.Contains(t, parts[1], "Content-Length: 9\r\n", "HEAD gets the length of the body it does not get")
	assert.True(t, strings.HasSuffix(parts[1], "\r\n\r\n"))
	assert.NotContains(t, parts[2], "Content-Length", "204 has no Content-Length")
	assert.True(t, strings.HasSuffix(parts[2], "\r\n\r\n"))
	assert.True(t, strings.HasSuffix(parts[3], "\r\n\r\n"))
	assert.True(t, strings.HasSuffix(parts[4], "some body"))
}

func TestFlushStreamsChunkedAndFinishesLater(t *testing.T) {
	var l *ioloop.IOLoop
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		w.WriteString("first,")
		w.Flush()
		l.CallLater(5*time.Millisecond, func() {
			w.WriteString("second")
			w.Finish()
			assert.ErrorIs(t, w.Finish(), httpserver.ErrFinished)
		})
	})
	addr := serve(t, h, httpserver.Config{}, func(loop *ioloop.IOLoop, _ *httpserver.Server) { l = loop })
	resp, body := roundTrip(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
	assert.Equal(t, "first,second", body)

	// HTTP/1.0 has no chunks: the body runs until the connection closes.
	c := dial(t, addr)
	io.WriteString(c, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
	raw, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(string(raw), "\r\n\r\nfirst,second"), string(raw))
	assert.Contains(t, string(raw), "Connection: close")
}

// upload is a Handler of its own: it takes the body chunk by chunk as a
// MessageDelegate and answers its size.
type upload struct {
	n    int
	w    *httpserver.Response
	r    *httpserver.Request
	fail bool
}

func (u *upload) StartRequest(w *httpserver.Response, r *httpserver.Request) httpserver.MessageDelegate {
	return &upload{w: w, r: r}
}

func (u *upload) HeadersReceived(w *httpserver.Response, r *httpserver.Request) error {
	u.fail = r.Header.Get("X-Refuse") != ""
	w.SetMaxBodySize(4 << 20) // more than the server buffers
	return nil
}

func (u *upload) DataReceived(chunk []byte) error {
	if u.fail {
		return &httpserver.StatusError{Code: 415, Msg: "no thanks"}
	}
	u.n += len(chunk)
	return nil
}

func (u *upload) Finish() {
	fmt.Fprintf(u.w, "streamed=%d buffered=%d", u.n, len(u.r.Body))
	u.w.Finish()
}

func (u *upload) OnConnectionClose() {}

func TestStreamedBodyBeyondBufferLimit(t *testing.T) {
	// A 1 MiB body through a server whose bodies are capped at 64 KiB:
	// the delegate streams it, and raises the cap for its request.
	addr := serve(t, &upload{}, httpserver.Config{MaxBodySize: 64 << 10})
	body := strings.Repeat("x", 1<<20)
	resp, got := roundTrip(t, addr, "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "streamed=1048576 buffered=0", got)

	resp, _ = roundTrip(t, addr, "PUT / HTTP/1.1\r\nHost: x\r\nX-Refuse: 1\r\nContent-Length: 3\r\n\r\nabc")
	assert.Equal(t, 415, resp.StatusCode)
}

func TestGzipRequestDecompression(t *testing.T) {
	addr := serve(t, echo, httpserver.Config{DecompressRequest: true, MaxBodySize: 1000})
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("compressed hello"))
	zw.Close()
	_, body := roundTrip(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: "+
		strconv.Itoa(buf.Len())+"\r\n\r\n"+buf.String())
	assert.Contains(t, body, "len=16")
	assert.Contains(t, body, "body=compressed hello")

	// A bomb: small on the wire, too large inflated.
	buf.Reset()
	zw = gzip.NewWriter(&buf)
	zw.Write(make([]byte, 100000))
	zw.Close()
	resp, _ := roundTrip(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: "+
		strconv.Itoa(buf.Len())+"\r\n\r\n"+buf.String())
	assert.Equal(t, 413, resp.StatusCode)
}

func TestXHeaders(t *testing.T) {
	cfg := httpserver.Config{XHeaders: true, TrustedDownstream: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}
	addr := serve(t, echo, cfg)
	cases := []struct{ headers, ip, proto string }{
		{"X-Real-Ip: 4.4.4.4\r\n", "4.4.4.4", "http"},
		{"X-Forwarded-For: 1.1.1.1, 2.2.2.2, 10.0.0.1\r\nX-Forwarded-Proto: https\r\n", "2.2.2.2", "https"},
		{"Forwarded: for=\"[2001:db8::1]:4711\";proto=https\r\n", "2001:db8::1", "https"},
		{"X-Real-Ip: not-an-ip\r\nX-Scheme: gopher\r\n", "127.0.0.1", "http"},
	}
	for _, tc := range cases {
		_, body := roundTrip(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n"+tc.headers+"\r\n")
		assert.Contains(t, body, "ip="+tc.ip+" proto="+tc.proto, tc.headers)
	}
}

func TestHandlerPanicIs500(t *testing.T) {
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) { panic("boom") })
	addr := serve(t, h, httpserver.Config{})
	resp, _ := roundTrip(t, addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 500, resp.StatusCode)
}

func TestConnectionCloseCallbackForLongPoll(t *testing.T) {
	closed := make(chan struct{})
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		w.SetCloseCallback(func() { close(closed) }) // never finishes: a long poll
	})
	addr := serve(t, h, httpserver.Config{})
	c := dial(t, addr)
	io.WriteString(c, "GET /poll HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(20 * time.Millisecond) // let the request reach the handler
	c.Close()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("close callback never ran")
	}
}

func TestTimeouts(t *testing.T) {
	cfg := httpserver.Config{HeaderTimeout: 50 * time.Millisecond, IdleTimeout: 50 * time.Millisecond, BodyTimeout: 50 * time.Millisecond}
	addr := serve(t, echo, cfg)
	for _, tc := range []struct{ name, raw string }{
		{"idle", ""},
		{"slow head", "GET / HTTP/1.1\r\nHost: x\r\n"},
		{"slow body", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, addr)
			io.WriteString(c, tc.raw)
			expectClosed(t, c) // closed by the server, well before the dial deadline
		})
	}
	// A keep-alive connection idles out after its response.
	c := dial(t, addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	readResponse(t, br, "GET")
	_, err := br.ReadByte()
	assert.ErrorIs(t, err, io.EOF)
}

func TestMaxConnections(t *testing.T) {
	addr := serve(t, echo, httpserver.Config{MaxConnections: 1})
	first := dial(t, addr)
	io.WriteString(first, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")
	readResponse(t, bufio.NewReader(first), "GET")
	// The second connection is accepted by the kernel but not served until
	// the first closes.
	second := dial(t, addr)
	io.WriteString(second, "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n")
	second.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err := second.Read(make([]byte, 1))
	require.Error(t, err, "served while at the connection limit")
	second.SetReadDeadline(time.Now().Add(10 * time.Second))
	first.Close()
	_, body := readResponse(t, bufio.NewReader(second), "GET")
	assert.Contains(t, body, "GET /2")
}

func TestShutdownLetsInFlightFinish(t *testing.T) {
	var l *ioloop.IOLoop
	var srv *httpserver.Server
	shut := make(chan error, 1)
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		if r.Path == "/slow" {
			srv.Shutdown(context.Background()).AddDoneCallback(func(f futureStruct) { shut <- f.Err() })
			l.CallLater(20*time.Millisecond, func() { w.WriteString("finished"); w.Finish() })
			return
		}
		w.Finish()
	})
	addr := serve(t, h, httpserver.Config{}, func(loop *ioloop.IOLoop, s *httpserver.Server) { l, srv = loop, s })
	idle := dial(t, addr)
	io.WriteString(idle, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
	idleBr := bufio.NewReader(idle)
	readResponse(t, idleBr, "GET")
	resp, body := roundTrip(t, addr, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, "finished", body, "the request in flight finished")
	assert.True(t, resp.Close, "and its connection closes after it")
	_, err := idleBr.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "idle connections are closed")
	assert.NoError(t, <-shut)
	_, err = dialErr(addr)
	assert.Error(t, err, "no longer accepting")
}

func TestShutdownContextCutsConnections(t *testing.T) {
	var srv *httpserver.Server
	shut := make(chan error, 1)
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		srv.Shutdown(ctx).AddDoneCallback(func(f futureStruct) { cancel(); shut <- f.Err() })
		// never finishes
	})
	addr := serve(t, h, httpserver.Config{}, func(_ *ioloop.IOLoop, s *httpserver.Server) { srv = s })
	c := dial(t, addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	expectClosed(t, c)
	assert.ErrorIs(t, <-shut, context.DeadlineExceeded)
}

// A request pipelined behind one whose handler answers later waits for it
// (reading pauses meanwhile) and is answered after it, in order.
func TestPipelinedBehindAsyncHandler(t *testing.T) {
	var l *ioloop.IOLoop
	h := httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
		if r.Path == "/slow" {
			l.CallLater(20*time.Millisecond, func() { w.WriteString("slow"); w.Finish() })
			return
		}
		w.WriteString("fast")
		w.Finish()
	})
	addr := serve(t, h, httpserver.Config{}, func(loop *ioloop.IOLoop, _ *httpserver.Server) { l = loop })
	c := dial(t, addr)
	io.WriteString(c, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	_, first := readResponse(t, br, "GET")
	_, second := readResponse(t, br, "GET")
	assert.Equal(t, []string{"slow", "fast"}, []string{first, second})
}

// The server's set of connections keeps its count as clients hang up in
// any order (it is a slice where the last connection takes a closed one's
// place), and Close closes every connection still open.
func TestConnectionsCountAndClose(t *testing.T) {
	var l *ioloop.IOLoop
	var srv *httpserver.Server
	addr := serve(t, hello, httpserver.Config{}, func(loop *ioloop.IOLoop, s *httpserver.Server) { l, srv = loop, s })
	onLoop := func(fn func()) {
		done := make(chan struct{})
		l.AddCallback(func() { fn(); close(done) })
		<-done
	}
	waitCount := func(want int) {
		t.Helper()
		hangGuard := time.Now().Add(10 * time.Second)
		for {
			var n int
			onLoop(func() { n = srv.Connections() })
			if n == want {
				return
			}
			require.True(t, time.Now().Before(hangGuard), "%d connections, want %d", n, want)
			time.Sleep(time.Millisecond)
		}
	}
	var clients []*bufio.Reader
	var conns []io.Closer
	for range 6 {
		c := dial(t, addr)
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		br := bufio.NewReader(c)
		readResponse(t, br, "GET")
		clients, conns = append(clients, br), append(conns, c)
	}
	waitCount(6)
	for i, idx := range []int{2, 0, 5} { // middle, first, last
		conns[idx].Close()
		waitCount(5 - i)
	}
	onLoop(srv.Close)
	for _, idx := range []int{1, 3, 4} {
		_, err := clients[idx].ReadByte()
		assert.ErrorIs(t, err, io.EOF, "client %d", idx)
	}
	waitCount(0)
}
