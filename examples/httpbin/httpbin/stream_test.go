package httpbin_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/examples/httpbin/httpbin"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
)

func TestBytes(t *testing.T) {
	s := serve(t, httpbin.Config{MaxBodySize: 4096})
	resp, a := s.get("/bytes/1000?seed=42")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/octet-stream", resp.Header.Get("Content-Type"))
	assert.Len(t, a, 1000)
	_, b := s.get("/bytes/1000?seed=42")
	assert.Equal(t, a, b, "the same seed, the same bytes")
	_, c := s.get("/bytes/1000?seed=43")
	assert.NotEqual(t, a, c)
	_, d := s.get("/bytes/10?seed=42")
	assert.Equal(t, a[:10], d, "a prefix of the same stream")
	_, e := s.get("/bytes/4096")
	assert.Len(t, e, 4096, "the limit itself is allowed")

	resp, body := s.get("/bytes/0")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, body)
	assert.Equal(t, int64(0), resp.ContentLength)

	for _, path := range []string{"/bytes/4097", "/bytes/-1", "/bytes/x", "/bytes/10?seed=x", "/bytes/99999999999999999999"} {
		resp, body := s.get(path)
		assert.Equal(t, 400, resp.StatusCode, path)
		assert.Equal(t, float64(400), object(t, body)["status_code"], path)
	}
}

// chunks reads a chunked response on a raw connection and returns its
// head and each chunk as sent.
func chunks(t *testing.T, base, path string) (string, []string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second)) // a hang guard
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", path)
	br := bufio.NewReader(conn)
	var head strings.Builder
	for {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		head.WriteString(line)
		if line == "\r\n" {
			break
		}
	}
	var out []string
	for {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		n, err := strconv.ParseInt(strings.TrimSpace(line), 16, 64)
		require.NoError(t, err, "chunk size %q", line)
		data := make([]byte, n+2)
		_, err = io.ReadFull(br, data)
		require.NoError(t, err)
		if n == 0 {
			return head.String(), out
		}
		out = append(out, string(data[:n]))
	}
}

func TestStream(t *testing.T) {
	s := serve(t, httpbin.Config{})
	tests := []struct {
		path  string
		lines int
	}{
		{"/stream/3?a=b", 3}, {"/stream/1", 1}, {"/stream/0", 1}, {"/stream/-5", 1}, {"/stream/100", 100}, {"/stream/1000", 100},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			head, cs := chunks(t, s.base, tc.path)
			assert.Contains(t, head, "HTTP/1.1 200 ")
			assert.Contains(t, head, "Transfer-Encoding: chunked")
			require.Len(t, cs, tc.lines, "one chunk per line: each line is flushed")
			for i, c := range cs {
				require.True(t, strings.HasSuffix(c, "\n"))
				m := object(t, []byte(c))
				assert.Equal(t, float64(i), m["id"])
				assert.Equal(t, "http://h"+tc.path, m["url"])
				assert.Equal(t, "127.0.0.1", m["origin"])
				assert.Contains(t, m, "headers")
				assert.Contains(t, m, "args")
			}
		})
	}
	resp, _ := s.get("/stream/x")
	assert.Equal(t, 400, resp.StatusCode)
}

func TestDrip(t *testing.T) {
	s := serve(t, httpbin.Config{MaxDuration: 2 * time.Second, MaxBodySize: 100})
	tests := []struct {
		path   string
		status int
		body   string
		timing string
	}{
		{"/drip?duration=0.05&delay=0.01&numbytes=5", 200, "*****", `pause_per_write;dur=12.50;desc="computed pause between writes"`},
		{"/drip?duration=0&delay=0&numbytes=3&code=418", 418, "***", `total_duration;dur=0.00`},
		{"/drip?duration=20ms&delay=0s&numbytes=1", 200, "*", `write_duration;dur=20.00`},
		{"/drip?duration=0&delay=0&numbytes=100", 200, strings.Repeat("*", 100), ""},
		{"/drip?duration=0&delay=0&code=204", 204, "", ""},
		{"/drip?numbytes=0", 400, "", ""},
		{"/drip?numbytes=101", 400, "", ""},
		{"/drip?numbytes=x", 400, "", ""},
		{"/drip?duration=3", 400, "", ""},
		{"/drip?duration=-1", 400, "", ""},
		{"/drip?duration=1.5&delay=1", 400, "too much time", ""},
		{"/drip?delay=x", 400, "", ""},
		{"/drip?code=600", 400, "", ""},
		{"/drip?duration=NaN", 400, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := s.get(tc.path)
			assert.Equal(t, tc.status, resp.StatusCode, "body: %s", body)
			if tc.status >= 400 {
				assert.Contains(t, string(body), tc.body)
				return
			}
			assert.Equal(t, tc.body, string(body))
			if tc.status == 200 {
				assert.Equal(t, int64(len(tc.body)), resp.ContentLength, "Content-Length, not chunked")
				assert.Empty(t, resp.TransferEncoding)
				assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
			}
			assert.Contains(t, resp.Header.Get("Server-Timing"), tc.timing)
		})
	}
}

func TestDelay(t *testing.T) {
	s := serve(t, httpbin.Config{MaxDuration: 2 * time.Second})
	tests := []struct {
		req    req
		status int
		timing string
	}{
		{req{path: "/delay/0.02?x=1"}, 200, "initial_delay;dur=20.00"},
		{req{path: "/delay/15ms"}, 200, "initial_delay;dur=15.00"},
		{req{path: "/delay/0"}, 200, "initial_delay;dur=0.00"},
		{req{method: "POST", path: "/delay/0.01", body: `{"a":1}`, header: map[string]string{"Content-Type": "application/json"}}, 200, "initial_delay;dur=10.00"},
		{req{path: "/delay/3"}, 400, ""},
		{req{path: "/delay/-1"}, 400, ""},
		{req{path: "/delay/x"}, 400, ""},
		{req{path: "/delay/Inf"}, 400, ""},
	}
	for _, tc := range tests {
		t.Run(tc.req.method+tc.req.path, func(t *testing.T) {
			resp, body := s.do(tc.req)
			assert.Equal(t, tc.status, resp.StatusCode, "body: %s", body)
			m := object(t, body)
			if tc.status != 200 {
				assert.Equal(t, float64(tc.status), m["status_code"])
				return
			}
			assert.Equal(t, tc.timing+`;desc="initial delay"`, resp.Header.Get("Server-Timing"))
			assert.Equal(t, s.base+tc.req.path, m["url"])
			assert.Contains(t, m, "data", "the /anything answer")
			if tc.req.method == "POST" {
				assert.Equal(t, map[string]any{"a": float64(1)}, m["json"])
			}
		})
	}
}

// A /delay is a coroutine asleep on a timer: the loop answers other
// requests meanwhile, and the delay ends only when the loop's clock has
// moved past it (a fake clock here, moved by the test).
func TestDelayDoesNotBlockTheLoop(t *testing.T) {
	clock := looptest.NewFakeClock(time.Now())
	s := serve(t, httpbin.Config{}, ioloop.Config{Clock: clock})
	type answer struct {
		status int
		timing string
		err    error
	}
	done := make(chan answer, 1)
	go func() {
		resp, err := s.c.Get(s.base + "/delay/5")
		if err != nil {
			done <- answer{err: err}
			return
		}
		resp.Body.Close()
		done <- answer{status: resp.StatusCode, timing: resp.Header.Get("Server-Timing")}
	}()
	for range 3 {
		resp, _ := s.get("/get")
		assert.Equal(t, 200, resp.StatusCode, "answered while /delay/5 sleeps")
	}
	var advanced time.Duration
	for i := 0; ; i++ {
		require.Less(t, i, 10000, "/delay/5 never answered (hang guard)")
		select {
		case a := <-done:
			require.NoError(t, a.err)
			assert.Equal(t, 200, a.status)
			assert.Contains(t, a.timing, "initial_delay;dur=5000.00")
			assert.GreaterOrEqual(t, advanced, 5*time.Second, "not answered before the clock passed the delay")
			return
		case <-time.After(time.Millisecond):
			clock.Advance(100 * time.Millisecond)
			advanced += 100 * time.Millisecond
		}
	}
}

// HEAD requests get the headers of the GET answer and no body.
func TestHeadOfStreams(t *testing.T) {
	s := serve(t, httpbin.Config{})
	for _, path := range []string{"/stream/2", "/bytes/10", "/drip?duration=0&delay=0", "/delay/0"} {
		resp, body := s.do(req{method: "HEAD", path: path})
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Empty(t, body, path)
	}
}

// A client that goes away in the middle of /drip, /stream or /delay ends
// the handler quietly: the server notices, the handler stops without
// answering or logging an error, the loop serves on, and no goroutine or
// descriptor outlives the test (looptest checks).
func TestClientGoesAway(t *testing.T) {
	s := serve(t, httpbin.Config{})
	looptest.Logs(s.loop).SetFailUnexpected(true)
	s.c.Transport.(*http.Transport).DisableKeepAlives = true
	for _, tc := range []struct{ path, readUntil string }{
		{"/drip?duration=2&delay=0&numbytes=20", "*"},
		{"/drip?duration=1&delay=1&numbytes=2", ""},
		{"/drip?duration=1&delay=0.05&numbytes=2", ""},
		{"/stream/100", "\n"},
		{"/delay/1", ""},
		{"/delay/0.05", ""},
	} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
		require.NoError(t, err)
		conn.SetDeadline(time.Now().Add(30 * time.Second)) // a hang guard
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: h\r\n\r\n", tc.path)
		if tc.readUntil != "" {
			_, err := bufio.NewReader(conn).ReadString(tc.readUntil[0])
			require.NoError(t, err, tc.path)
		} else {
			s.waitConnections(1)
		}
		require.NoError(t, conn.Close())
		s.waitConnections(0)
		resp, _ := s.get("/get")
		assert.Equal(t, 200, resp.StatusCode, "the loop serves on after %s", tc.path)
	}
}
