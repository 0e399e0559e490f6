package httpserver_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
)

// recorder is a Handler whose delegates log what the server calls, and
// answer with the log at Finish. Loop-only, like every handler; the log
// goes out through a channel so the test goroutine sees it.
type recorder struct {
	loop  *ioloop.IOLoop
	pause time.Duration // pause reading in HeadersReceived this long
	limit int64         // SetMaxBodySize, if positive
	logs  chan string
}

type recorded struct {
	rec *recorder
	w   *httpserver.Response
	log []string
}

func (rc *recorder) StartRequest(w *httpserver.Response, r *httpserver.Request) httpserver.MessageDelegate {
	return &recorded{rec: rc, w: w, log: []string{"start " + r.Path}}
}

func (d *recorded) HeadersReceived(w *httpserver.Response, r *httpserver.Request) error {
	d.log = append(d.log, "headers")
	if d.rec.limit > 0 {
		w.SetMaxBodySize(d.rec.limit)
	}
	if d.rec.pause > 0 {
		w.PauseReading()
		d.rec.loop.CallLater(d.rec.pause, func() {
			d.log = append(d.log, "resume")
			w.ResumeReading()
		})
	}
	return nil
}

func (d *recorded) DataReceived(chunk []byte) error {
	d.log = append(d.log, "data "+string(chunk))
	return nil
}

func (d *recorded) Finish() {
	d.log = append(d.log, "finish")
	d.w.WriteString(strings.Join(d.log, "|"))
	d.w.Finish()
}

func (d *recorded) OnConnectionClose() {
	select {
	case d.rec.logs <- strings.Join(append(d.log, "closed"), "|"):
	default: // nobody is listening
	}
}

func TestDelegateEvents(t *testing.T) {
	rec := &recorder{logs: make(chan string, 1)}
	addr := serve(t, rec, httpserver.Config{})
	_, body := roundTrip(t, addr, "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
	assert.Equal(t, "start /up|headers|data abc|data de|finish", body)

	// The client leaves mid-body: the delegate hears of it.
	c := dial(t, addr)
	io.WriteString(c, "POST /gone HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
	time.Sleep(20 * time.Millisecond) // let "abc" arrive on its own (any split passes)
	c.Close()
	select {
	case got := <-rec.logs:
		assert.True(t, strings.HasPrefix(got, "start /gone|headers|"), got)
		assert.True(t, strings.HasSuffix(got, "|closed"), got)
		assert.NotContains(t, got, "finish")
	case <-time.After(10 * time.Second):
		t.Fatal("OnConnectionClose was not called")
	}
}

func TestPauseReadingHoldsBodyAndContinue(t *testing.T) {
	// A delegate not ready for the body: the 100 Continue waits until it
	// resumes, and so does the body; then a limit it raised meanwhile
	// lets in a body larger than the server's.
	rec := &recorder{pause: 50 * time.Millisecond, limit: 20}
	addr := serve(t, rec, httpserver.Config{MaxBodySize: 5}, func(l *ioloop.IOLoop, _ *httpserver.Server) { rec.loop = l })
	c := dial(t, addr)
	io.WriteString(c, "PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nExpect: 100-continue\r\n\r\n")
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "HTTP/1.1 100 Continue\r\n", line)
	_, err = br.ReadString('\n') // the blank line
	require.NoError(t, err)
	io.WriteString(c, "hello, world")
	resp, body := readResponse(t, br, "PUT")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "start /p|headers|resume|data hello, world|finish", body,
		"the 100 Continue went out only when the delegate resumed")

	// Over the raised limit: 413 before any body is read.
	resp, _ = roundTrip(t, addr, "PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 21\r\n\r\n"+strings.Repeat("x", 21))
	assert.Equal(t, 413, resp.StatusCode)
}

func TestStreamedBodyIsBounded(t *testing.T) {
	// MaxBodySize applies to bodies a delegate streams too, chunked ones
	// included, unless it raises it.
	rec := &recorder{}
	addr := serve(t, rec, httpserver.Config{MaxBodySize: 8})
	c := dial(t, addr)
	io.WriteString(c, "POST /s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n")
	resp, _ := readResponse(t, bufio.NewReader(c), "POST")
	assert.Equal(t, 413, resp.StatusCode)
	expectClosed(t, c)
}

func TestConnectionClosedTokenKeepsAlive(t *testing.T) {
	// "closed" is not "close": the connection stays open.
	addr := serve(t, hello, httpserver.Config{})
	c := dial(t, addr)
	br := bufio.NewReader(c)
	for i := range 2 {
		io.WriteString(c, "GET /k HTTP/1.1\r\nHost: x\r\nConnection: closed\r\n\r\n")
		resp, body := readResponse(t, br, "GET")
		assert.Equal(t, "Hello, GET /k", body, "request %d", i)
		assert.False(t, resp.Close, "request %d", i)
	}
	io.WriteString(c, "GET /k HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n")
	resp, _ := readResponse(t, br, "GET")
	assert.True(t, resp.Close)
	expectClosed(t, c)
}

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func TestTruncatedGzipBodyIs400(t *testing.T) {
	whole := gzipped(strings.Repeat("gornado ", 100))
	for _, h := range []struct {
		name string
		h    httpserver.Handler
	}{{"buffered", echo}, {"streamed", &recorder{}}} {
		addr := serve(t, h.h, httpserver.Config{DecompressRequest: true})
		for _, cut := range []int{len(whole) / 2, len(whole) - 4} {
			body := whole[:cut]
			resp, _ := roundTrip(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: "+
				strconv.Itoa(len(body))+"\r\n\r\n"+string(body))
			assert.Equal(t, 400, resp.StatusCode, "%s, cut at %d of %d", h.name, cut, len(whole))
		}
		resp, got := roundTrip(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: "+
			strconv.Itoa(len(whole))+"\r\n\r\n"+string(whole))
		assert.Equal(t, 200, resp.StatusCode, h.name)
		assert.Contains(t, got, "gornado gornado", h.name)
	}
}

// toy takes a connection over after a 101 and speaks a line protocol on
// it: each line comes back upper-cased, "bye" ends it.
var toy = httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
	if r.Header.Get("Upgrade") != "toy" {
		w.SetStatus(426)
		w.Finish()
		return
	}
	w.SetStatus(101)
	w.Header().Set("Upgrade", "toy")
	w.Header().Set("Connection", "Upgrade")
	w.Flush() // the 101; Detach sends no head of its own
	s, err := w.Detach()
	if err != nil {
		panic(err)
	}
	if _, err := w.Detach(); err != httpserver.ErrFinished {
		panic(fmt.Sprint("a second Detach: ", err))
	}
	s.SetReadHandlerFunc(func(data []byte) int {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return 0
		}
		line := string(data[:i])
		if line == "bye" {
			s.Write([]byte("BYE\n"))
			s.OnFlush(s.Close)
			return len(data)
		}
		s.Write([]byte(strings.ToUpper(line) + "\n"))
		return i + 1
	})
})

func TestDetachToyProtocol(t *testing.T) {
	var srv *httpserver.Server
	var loop *ioloop.IOLoop
	addr := serve(t, toy, httpserver.Config{IdleTimeout: 20 * time.Millisecond},
		func(l *ioloop.IOLoop, s *httpserver.Server) { loop, srv = l, s })
	c := dial(t, addr)
	// The first line of the new protocol comes with the request: the
	// server has read it already, and hands it over with the stream.
	io.WriteString(c, "GET /toy HTTP/1.1\r\nHost: x\r\nUpgrade: toy\r\nConnection: Upgrade\r\n\r\nhello\n")
	br := bufio.NewReader(c)
	resp, err := readHead(br)
	require.NoError(t, err)
	assert.Equal(t, 101, resp.StatusCode)
	assert.Equal(t, "toy", resp.Header.Get("Upgrade"))
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "HELLO\n", line)

	// Idle longer than the server's idle timeout: the server forgot the
	// connection, so its sweeper does not close it.
	time.Sleep(100 * time.Millisecond)
	conns := make(chan int)
	loop.AddCallback(func() { conns <- srv.Connections() })
	assert.Equal(t, 0, <-conns, "a detached connection is not the server's")
	io.WriteString(c, "still here\nbye\n")
	for _, want := range []string{"STILL HERE\n", "BYE\n"} {
		line, err = br.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, want, line)
	}
	expectClosed(t, c)
}

// readHead reads a response head that has no body framing (a 101).
func readHead(br *bufio.Reader) (*headOnly, error) {
	line, err := br.ReadString('\n')
	if err != nil {
		return nil, err
	}
	f := strings.Fields(line)
	if len(f) < 2 {
		return nil, fmt.Errorf("bad status line %q", line)
	}
	code, _ := strconv.Atoi(f[1])
	h := &headOnly{StatusCode: code, Header: map[string]string{}}
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return h, nil
		}
		k, v, _ := strings.Cut(line, ":")
		h.Header[strings.ToLower(k)] = strings.TrimSpace(v)
	}
}

type headOnly struct {
	StatusCode int
	Header     headerMap
}

type headerMap map[string]string

func (m headerMap) Get(k string) string { return m[strings.ToLower(k)] }
