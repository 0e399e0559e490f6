package httpclient_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/httpclient"
	"github.com/gornado/gornado/httputil"
	"github.com/gornado/gornado/iostream"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/webtest"
)

// require599 checks that err is a 599 *HTTPError wrapping target.
func require599(t *testing.T, err error, target error) *httpclient.HTTPError {
	t.Helper()
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he, "error: %v", err)
	assert.Equal(t, 599, he.Code)
	assert.ErrorIs(t, err, target)
	require.NotNil(t, he.Response)
	assert.Equal(t, 599, he.Response.Code)
	return he
}

// keepAlive answers every request on a connection with body, keep-alive.
func keepAlive(body string) func(net.Conn, *bufio.Reader) {
	return func(c net.Conn, br *bufio.Reader) {
		for {
			if _, _, err := readHead(br); err != nil {
				return
			}
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		}
	}
}

func TestConnectionReuse(t *testing.T) {
	rs := rawServe(t, keepAlive("pong"))
	loop, c := newClient(t, httpclient.Config{})
	for i := range 5 {
		resp, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
		require.NoError(t, err)
		assert.Equal(t, "pong", string(resp.Body))
		assert.Equal(t, i > 0, resp.Timing.Reused)
	}
	assert.EqualValues(t, 1, rs.Accepted(), "one connection for five sequential fetches")

	// Concurrent fetches open a connection each, then reuse them.
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		for range 3 {
			fs := make([]*futureResponse, 4)
			for i := range fs {
				fs[i] = c.FetchURL("http://" + rs.Addr + "/")
			}
			for _, f := range fs {
				if _, err := gen.Await(co, f); err != nil {
					return err
				}
			}
		}
		return nil
	})
	assert.EqualValues(t, 4, rs.Accepted(), "the pooled connection and three more")
	n := 0
	looptest.Run(t, loop, 0, func(co *gen.Co) error { n = c.Idle(); return nil })
	assert.Equal(t, 4, n)
}

func TestNoKeepAlive(t *testing.T) {
	rs := rawServe(t, keepAlive("pong"))
	loop, c := newClient(t, httpclient.Config{MaxIdlePerHost: -1})
	for range 3 {
		_, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
		require.NoError(t, err)
	}
	assert.EqualValues(t, 3, rs.Accepted())
}

func TestConnectionCloseIsHonoured(t *testing.T) {
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		readHead(br)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
	})
	loop, c := newClient(t, httpclient.Config{})
	for range 2 {
		resp, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
		require.NoError(t, err)
		assert.False(t, resp.Timing.Reused)
	}
	assert.EqualValues(t, 2, rs.Accepted())
}

func TestStaleConnectionIsRetried(t *testing.T) {
	// The server answers one request per connection, keep-alive, then
	// hangs up without saying so: the client's next GET on the pooled
	// connection fails with nothing received and is sent again on a new
	// one.
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		readHead(br)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		c.(*net.TCPConn).SetLinger(0)
	})
	loop, c := newClient(t, httpclient.Config{})
	for range 3 {
		resp, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
		require.NoError(t, err)
		assert.Equal(t, "ok", string(resp.Body))
	}
	assert.EqualValues(t, 3, rs.Accepted())
}

func TestBodyUntilClose(t *testing.T) {
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		readHead(br)
		io.WriteString(c, "HTTP/1.0 200 OK\r\n\r\nuntil the end")
	})
	loop, c := newClient(t, httpclient.Config{})
	resp, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
	require.NoError(t, err)
	assert.Equal(t, "until the end", string(resp.Body))
}

func TestBadResponses(t *testing.T) {
	for name, tc := range map[string]struct {
		reply  string
		target error
	}{
		"malformed status line": {"HTTP/1.1 twohundred OK\r\n\r\n", httputil.ErrBadStatusLine},
		"not http":              {"SSH-2.0-OpenSSH\r\n\r\n", httputil.ErrBadStatusLine},
		"bad header":            {"HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", httputil.ErrMalformedHeader},
		"bad chunk size":        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", httputil.ErrBadChunkSize},
		"both framings":         {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc", httputil.ErrConflictingFraming},
		"bad content length":    {"HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n", httputil.ErrBadContentLength},
		"truncated body":        {"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", io.ErrUnexpectedEOF},
		"truncated chunks":      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", httpclient.ErrStreamClosed},
		"truncated head":        {"HTTP/1.1 200 OK\r\nContent-Le", httpclient.ErrStreamClosed},
		"nothing":               {"", httpclient.ErrStreamClosed},
		"oversized headers":     {"HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("a", 2000) + "\r\n\r\n", httpclient.ErrHeaderTooLarge},
		"oversized body":        {"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", httpclient.ErrBodyTooLarge},
		"oversized chunked":     {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n" + strings.Repeat("b", 4096) + "\r\n0\r\n\r\n", httpclient.ErrBodyTooLarge},
	} {
		t.Run(name, func(t *testing.T) {
			rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
				readHead(br)
				io.WriteString(c, tc.reply)
			})
			loop, c := newClient(t, httpclient.Config{MaxHeaderSize: 1024, MaxBodySize: 1000})
			_, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
			require599(t, err, tc.target)
			if errors.Is(tc.target, httputil.ErrBadStatusLine) || errors.Is(err, httputil.ErrBadChunkSize) {
				assert.ErrorIs(t, err, httpclient.ErrBadResponse)
			}
		})
	}
}

func TestInterimResponsesAreSkipped(t *testing.T) {
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		readHead(br)
		io.WriteString(c, "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody")
	})
	loop, c := newClient(t, httpclient.Config{})
	resp, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
	require.NoError(t, err)
	assert.Equal(t, "body", string(resp.Body))
	assert.False(t, resp.Header.Has("Link"))
}

func TestExpectContinueRefused(t *testing.T) {
	got := make(chan string, 1)
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		lines := webtest.ReadHead(br)
		io.WriteString(c, "HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n")
		// The body must not follow: the next bytes are EOF (the client
		// closes a connection whose body was left unsent).
		b, _ := io.ReadAll(br)
		got <- strings.Join(lines, "\n") + "|" + string(b)
	})
	loop, c := newClient(t, httpclient.Config{})
	_, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/", Method: "POST",
		Body: []byte("secret body"), Expect100Continue: true})
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 417, he.Code)
	s := <-got
	assert.Contains(t, s, "Expect: 100-continue")
	assert.NotContains(t, s, "secret body")
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	loop, c := newClient(t, httpclient.Config{})
	_, err = fetch(t, loop, c, "http://"+addr+"/")
	require599(t, err, httpclient.ErrConnectionRefused)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)
}

func TestRequestTimeout(t *testing.T) {
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		readHead(br)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf")
		io.ReadAll(br) // until the client gives up
	})
	loop, c := newClient(t, httpclient.Config{})
	_, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/", RequestTimeout: 50 * time.Millisecond})
	he := require599(t, err, httpclient.ErrTimeout)
	assert.Contains(t, he.Message, "timeout during request")
}

func TestConnectTimeout(t *testing.T) {
	// A resolver that never answers stands in for an unreachable host:
	// resolving is part of connecting.
	res := &iostream.Resolver{Lookup: func(ctx context.Context, network, host string) ([]netip.Addr, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	loop, c := newClient(t, httpclient.Config{Resolver: res})
	_, err := fetch(t, loop, c, &httpclient.Request{URL: "http://unreachable.test/", ConnectTimeout: 50 * time.Millisecond})
	he := require599(t, err, httpclient.ErrTimeout)
	assert.Contains(t, he.Message, "timeout while connecting")
}

func TestContextCancel(t *testing.T) {
	closed := make(chan struct{})
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		readHead(br)
		io.ReadAll(br)
		close(closed)
	})
	loop, c := newClient(t, httpclient.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		f := c.Fetch(&httpclient.Request{URL: "http://" + rs.Addr + "/", Context: ctx})
		loop.CallLater(20*time.Millisecond, cancel)
		_, err := gen.Await(co, f)
		var he *httpclient.HTTPError
		assert.ErrorAs(t, err, &he)
		assert.ErrorIs(t, err, context.Canceled)
		return nil
	})
	<-closed // the server saw the connection close
	// An already cancelled context fails at once, with the same 599 as a
	// later cancellation: a Response, and NoRaise honoured.
	_, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/", Context: ctx})
	he := require599(t, err, context.Canceled)
	assert.Equal(t, "http://"+rs.Addr+"/", he.Response.EffectiveURL)
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/", Context: ctx, NoRaise: true})
	require.NoError(t, err)
	assert.Equal(t, 599, resp.Code)
	assert.ErrorIs(t, resp.Error, context.Canceled)
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		assert.Equal(t, 0, c.Active(), "no slot taken")
		assert.Equal(t, 0, c.Queued())
		return nil
	})
	assert.EqualValues(t, 1, rs.Accepted(), "nothing sent")
}

func TestNoRaiseTransportError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	loop, c := newClient(t, httpclient.Config{})
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + addr + "/", NoRaise: true})
	require.NoError(t, err)
	assert.Equal(t, 599, resp.Code)
	assert.ErrorIs(t, resp.Error, httpclient.ErrConnectionRefused)
	assert.Equal(t, "http://"+addr+"/", resp.EffectiveURL)
}

func TestCallbackPanicFailsTheFetch(t *testing.T) {
	rs := rawServe(t, keepAlive("pong"))
	loop, c := newClient(t, httpclient.Config{})
	_, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/",
		StreamingCallback: func([]byte) { panic("boom") }})
	var he *httpclient.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 599, he.Code)
	assert.Contains(t, err.Error(), "boom")
	_, err = fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/",
		HeaderCallback: func(string) { panic("bang") }})
	assert.ErrorContains(t, err, "bang")
	// The client goes on.
	resp, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
	require.NoError(t, err)
	assert.Equal(t, "pong", string(resp.Body))
}

func TestGzipLimits(t *testing.T) {
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(make([]byte, 1<<20)) // 1 MiB of zeros, a kilobyte compressed
	zw.Close()
	for name, tc := range map[string]struct {
		body   []byte
		target error
	}{
		"inflates past MaxBodySize": {bomb.Bytes(), httpclient.ErrBodyTooLarge},
		"not gzip":                  {[]byte("plain text, says gzip"), httpclient.ErrBadResponse},
	} {
		t.Run(name, func(t *testing.T) {
			rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
				readHead(br)
				fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n", len(tc.body))
				c.Write(tc.body)
			})
			loop, c := newClient(t, httpclient.Config{MaxBodySize: 64 << 10})
			_, err := fetch(t, loop, c, "http://"+rs.Addr+"/")
			require599(t, err, tc.target)
		})
	}
}

func TestStreamedBodyIsNotReplayedOn307(t *testing.T) {
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		webtest.ReadHead(br)
		io.WriteString(c, "HTTP/1.1 307 Temporary Redirect\r\nLocation: /elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	})
	loop, c := newClient(t, httpclient.Config{})
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/", Method: "POST", NoRaise: true,
		BodyProducer: func(write func([]byte) *futureUnit) *futureUnit { return write([]byte("once")) }})
	require.NoError(t, err)
	assert.Equal(t, 307, resp.Code)
	assert.Equal(t, "/elsewhere", resp.Header.Get("Location"))
}

func TestExpectContinueIgnoredByServer(t *testing.T) {
	// A server that never sends 100 Continue still gets the body, after
	// ExpectContinueTimeout.
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		_, body, err := readHead(br)
		if err != nil {
			return
		}
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	})
	loop, c := newClient(t, httpclient.Config{ExpectContinueTimeout: 20 * time.Millisecond})
	resp, err := fetch(t, loop, c, &httpclient.Request{URL: "http://" + rs.Addr + "/", Method: "PUT",
		Body: []byte("sent anyway"), Expect100Continue: true})
	require.NoError(t, err)
	assert.Equal(t, "sent anyway", string(resp.Body))
	assert.False(t, resp.Timing.Reused)
}

func TestEarlyAnswerStopsTheProducer(t *testing.T) {
	// The server answers 413 from the head, keep-alive, while the body is
	// still coming: the producer's later writes fail, and the connection
	// is not reused (its framing is lost).
	rs := rawServe(t, func(c net.Conn, br *bufio.Reader) {
		webtest.ReadHead(br)
		io.WriteString(c, "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n")
		io.Copy(io.Discard, br)
	})
	loop, c := newClient(t, httpclient.Config{})
	var writeErr error
	looptest.Run(t, loop, 0, func(co *gen.Co) error {
		release := future.New[struct{}](loop)
		var produced *futureUnit
		producer := func(write func([]byte) *futureUnit) *futureUnit {
			produced = gen.Go(loop, func(co *gen.Co) (struct{}, error) {
				// The answer may even come before this first write.
				if _, writeErr = gen.Await(co, write([]byte("first part"))); writeErr != nil {
					return struct{}{}, writeErr
				}
				gen.Await(co, release) // the answer arrives meanwhile
				_, writeErr = gen.Await(co, write([]byte("second part")))
				return struct{}{}, writeErr
			})
			return produced
		}
		_, err := gen.Await(co, c.Fetch(&httpclient.Request{URL: "http://" + rs.Addr + "/", Method: "POST", BodyProducer: producer}))
		var he *httpclient.HTTPError
		if assert.ErrorAs(t, err, &he) {
			assert.Equal(t, 413, he.Code)
		}
		release.SetResult(struct{}{})
		gen.Await(co, produced) // the producer's second write has failed
		assert.Equal(t, 0, c.Idle(), "not pooled")
		return nil
	})
	assert.ErrorIs(t, writeErr, httpclient.ErrStreamClosed)
}
