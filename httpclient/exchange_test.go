package httpclient_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/webtest"
)

// Tests of one exchange's framing on its connection: when a connection may
// serve again, and what ends an exchange.

func TestEarlyAnswerToALargeBodyIsNotPooled(t *testing.T) {
	// The server answers 413 from the head, keep-alive, and reads nothing
	// more until the client has seen the answer: most of the in-memory
	// body is still queued, so the connection must not serve again (the
	// next request would follow the rest of this body).
	release := make(chan struct{})
	var once sync.Once
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		if lines := webtest.ReadHead(br); len(lines) == 0 {
			return
		}
		io.WriteString(c, "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n")
		<-release
		io.Copy(io.Discard, br)
	})
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	loop, c := newClient(t, httpclient.Config{})
	// More than the socket buffers of both ends hold while the server
	// does not read.
	body := bytes.Repeat([]byte("b"), 16<<20)
	idle := -1
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		_, err := gen.Await(co, c.Fetch(&httpclient.Request{URL: "http://" + rs.Addr + "/", Method: "POST", Body: body}))
		var he *httpclient.HTTPError
		if assert.ErrorAs(t, err, &he) {
			assert.Equal(t, 413, he.Code)
		}
		idle = c.Idle()
		return nil
	})
	once.Do(func() { close(release) })
	assert.Equal(t, 0, idle, "a connection with body bytes unsent is not pooled")
}

func TestSmallBodyConnectionIsPooled(t *testing.T) {
	// The other side of the rule: a body flushed before the answer leaves
	// the connection reusable.
	rs := rawServe(t, keepAlive("ok"))
	loop, c := newClient(t, httpclient.Config{})
	for i := range 3 {
		resp, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/", Method: "POST",
			Body: bytes.Repeat([]byte("s"), 100<<10)})
		require.NoError(t, err)
		assert.Equal(t, i > 0, resp.Timing.Reused)
	}
	assert.EqualValues(t, 1, rs.Accepted())
}
func TestEmptyGzipBody(t *testing.T) {
	for name, tc := range map[string]struct {
		method, reply string
		code          int
	}{
		"Content-Length 0": {"GET", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n", 200},
		"empty chunked":    {"GET", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 200},
		"HEAD":             {"HEAD", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 20\r\n\r\n", 200},
		"204":              {"GET", "HTTP/1.1 204 No Content\r\nContent-Encoding: gzip\r\n\r\n", 204},
		"304":              {"GET", "HTTP/1.1 304 Not Modified\r\nContent-Encoding: gzip\r\n\r\n", 304},
	} {
		t.Run(name, func(t *testing.T) {
			rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
				for {
					if _, _, err := readHead(br); err != nil {
						return
					}
					io.WriteString(c, tc.reply)
				}
			})
			loop, c := newClient(t, httpclient.Config{})
			for i := range 2 {
				resp, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/", Method: tc.method, NoRaise: true})
				require.NoError(t, err)
				assert.Equal(t, tc.code, resp.Code, "%d: %v", i, resp.Error)
				assert.Equal(t, tc.code/100 != 2, resp.Error != nil, "%d: no error but the status's: %v", i, resp.Error)
				assert.Empty(t, resp.Body)
				assert.Equal(t, i > 0, resp.Timing.Reused, "the connection serves again")
			}
		})
	}
}
func TestSwitchingProtocolsIsFinal(t *testing.T) {
	// 101 ends the exchange: what follows is another protocol, not an
	// HTTP head, and the connection cannot serve HTTP again.
	closed := make(chan struct{}, 2)
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		webtest.ReadHead(br)
		io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello")
		io.Copy(io.Discard, br) // until the client closes
		closed <- struct{}{}
	})
	loop, c := newClient(t, httpclient.Config{})
	for _, noRaise := range []bool{false, true} {
		req := &httpclient.Request{URL: "http://" + rs.Addr + "/ws", NoRaise: noRaise,
			RequestTimeout: 5e9} // a hang guard only
		req.Header.Set("Upgrade", "websocket")
		req.Header.Set("Connection", "Upgrade")
		resp, err := fetch(t, loop, c, req)
		if noRaise {
			require.NoError(t, err)
		} else {
			var he *httpclient.HTTPError
			require.ErrorAs(t, err, &he, "error: %v", err)
			assert.Equal(t, 101, he.Code)
			assert.Nil(t, he.Err, "a status, not a transport failure")
			resp = he.Response
		}
		require.NotNil(t, resp)
		assert.Equal(t, 101, resp.Code)
		assert.Equal(t, "websocket", resp.Header.Get("Upgrade"))
		assert.Empty(t, resp.Body)
		var he *httpclient.HTTPError
		assert.ErrorAs(t, resp.Error, &he)
		<-closed // the client closed the connection
	}
	assert.EqualValues(t, 2, rs.Accepted(), "never pooled")
}

func TestContentLengthHeaderMustMatchBody(t *testing.T) {
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		for {
			_, body, err := readHead(br)
			if err != nil {
				return
			}
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		}
	})
	loop, c := newClient(t, httpclient.Config{})
	for name, tc := range map[string]struct {
		body, length string
		ok           bool
	}{
		"matches":      {"abc", "3", true},
		"too short":    {"abc", "1", false},
		"too long":     {"abc", "10", false},
		"no body":      {"", "5", false},
		"not a number": {"abc", "three", false},
	} {
		req := &httpclient.Request{URL: "http://" + rs.Addr + "/", Method: "POST", Body: []byte(tc.body)}
		req.Header.Set("Content-Length", tc.length)
		resp, err := fetch(t, loop, c, req)
		if !tc.ok {
			assert.ErrorIs(t, err, httpclient.ErrInvalidRequest, name)
			continue
		}
		require.NoError(t, err, name)
		assert.Equal(t, tc.body, string(resp.Body), name)
	}
	for _, body := range []string{"abc", ""} {
		req := &httpclient.Request{URL: "http://" + rs.Addr + "/", Method: "POST", Body: []byte(body)}
		req.Header.Set("Transfer-Encoding", "chunked")
		_, err := fetch(t, loop, c, req)
		assert.ErrorIs(t, err, httpclient.ErrInvalidRequest, "Transfer-Encoding with %q", body)
	}
	// Nothing went out wrongly framed: the one connection still serves.
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/", Method: "POST", Body: []byte("next")})
	require.NoError(t, err)
	assert.Equal(t, "next", string(resp.Body))
	assert.EqualValues(t, 1, rs.Accepted())
}

func TestStalePostIsNotRetried(t *testing.T) {
	// The server answers the first request on each connection,
	// keep-alive, and hangs up on the second once it has read it: the
	// race of a pooled connection closed by the server, made certain. A
	// GET is sent again on a new connection; a POST is not (the server
	// may have acted on it), and fails with ErrStreamClosed.
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		if _, _, err := readHead(br); err != nil {
			return
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		readHead(br)
		c.(*net.TCPConn).SetLinger(0)
	})
	for _, tc := range []struct {
		method   string
		body     []byte
		retried  bool
		accepted int
	}{
		{"GET", nil, true, 2},
		{"POST", []byte("once"), false, 1},
	} {
		before := rs.Accepted()
		loop, c := newClient(t, httpclient.Config{})
		_, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
		require.NoError(t, err)
		resp, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/", Method: tc.method, Body: tc.body})
		if tc.retried {
			require.NoError(t, err, tc.method)
			assert.Equal(t, "ok", string(resp.Body))
		} else {
			require599(t, err, httpclient.ErrStreamClosed)
		}
		assert.Equal(t, tc.accepted, rs.Accepted()-before, tc.method)
	}
}

func TestConnectionClosedTokenKeepsAlive(t *testing.T) {
	// "closed" is not "close": the connection serves again.
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		for {
			if _, _, err := readHead(br); err != nil {
				return
			}
			io.WriteString(c, "HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 2\r\n\r\nok")
		}
	})
	loop, c := newClient(t, httpclient.Config{})
	for i := range 3 {
		resp, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/"})
		require.NoError(t, err)
		assert.Equal(t, i > 0, resp.Timing.Reused, "fetch %d", i)
	}
	assert.EqualValues(t, 1, rs.Accepted())
}

func TestTakeoverAfter101(t *testing.T) {
	// With Takeover the 101 is a success and its connection the caller's,
	// with the bytes the server sent after the head still buffered.
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		webtest.ReadHead(br)
		io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: toy\r\nConnection: Upgrade\r\n\r\nwelcome\n")
		line, err := br.ReadString('\n')
		if err == nil {
			io.WriteString(c, strings.ToUpper(line))
		}
		io.Copy(io.Discard, br)
	})
	loop, c := newClient(t, httpclient.Config{})
	var got []string
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		req := &httpclient.Request{URL: "http://" + rs.Addr + "/", Takeover: true}
		req.Header.Set("Upgrade", "toy")
		req.Header.Set("Connection", "Upgrade")
		resp, err := gen.Await(co, c.Fetch(req))
		if err != nil {
			return err
		}
		assert.Equal(t, 101, resp.Code)
		require.NotNil(t, resp.Stream)
		defer resp.Stream.Close()
		assert.Equal(t, 0, c.Idle(), "the client forgot the connection")
		line, err := gen.Await(co, resp.Stream.ReadUntil([]byte("\n"), 100))
		if err != nil {
			return err
		}
		got = append(got, string(line))
		if _, err := gen.Await(co, resp.Stream.Write([]byte("ping\n"))); err != nil {
			return err
		}
		line, err = gen.Await(co, resp.Stream.ReadUntil([]byte("\n"), 100))
		got = append(got, string(line))
		return err
	})
	assert.Equal(t, []string{"welcome\n", "PING\n"}, got)
}
