package nethttp_test

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/web/nethttp"
)

// TestBackpressure pins the bound of a mounted handler's response: with a
// client that does not read, what the worker writes past 1 MiB goes to a
// spill file, and the worker waits once 16 MiB are unsent, instead of
// buffering the whole body; once the client reads, the rest flows and the
// body arrives complete.
func TestBackpressure(t *testing.T) {
	const total = 48 << 20 // far more than the kernel's socket buffers hold
	var written atomic.Int64
	handlerDone := make(chan struct{})
	chunk := make([]byte, 32<<10)
	for i := range chunk {
		chunk[i] = byte('a' + i%26)
	}
	c, route := mount(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(handlerDone)
		w.Header().Set("Content-Type", "application/octet-stream")
		for written.Load() < total {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}), nethttp.Config{TempDir: t.TempDir()})
	s := serveApp(t, []web.Route{{Pattern: `/big`, Handler: route}}, web.Config{})

	conn, err := net.Dial("tcp", s.Addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.(*net.TCPConn).SetReadBuffer(16<<10))
	_, err = io.WriteString(conn, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)

	// The client reads nothing: the worker must come to wait.
	waitUntil(t, "the worker to wait for the loop", func() bool { return c.Stats().Waits > 0 })
	select {
	case <-handlerDone:
		t.Fatal("the handler finished although the client read nothing")
	default:
	}
	const bound = 16<<20 + 64<<10
	assert.EqualValues(t, 1, c.Stats().Spills)
	assert.LessOrEqual(t, c.Stats().PeakPending, int64(bound), "bytes held for a client that does not read")
	assert.Less(t, written.Load(), int64(total))

	// Now the client reads: everything arrives, in order.
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	got := int64(0)
	buf := make([]byte, len(chunk))
	for {
		n, err := io.ReadFull(resp.Body, buf)
		if n > 0 {
			assert.Equal(t, chunk[:n], buf[:n])
			got += int64(n)
		}
		if err != nil {
			break
		}
	}
	assert.Equal(t, written.Load(), got)
	assert.GreaterOrEqual(t, got, int64(total))
	<-handlerDone
	assert.LessOrEqual(t, c.Stats().PeakPending, int64(bound))
}

// upper hijacks the connection after a 101 and speaks a line protocol on
// it from its own goroutine: each line comes back upper-cased, until
// "bye".
var upper = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer conn.Close()
	brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: upper\r\nConnection: Upgrade\r\n\r\n")
	brw.Flush()
	for {
		line, err := brw.ReadString('\n')
		if err != nil {
			return
		}
		brw.WriteString(strings.ToUpper(line))
		brw.Flush()
		if line == "bye\n" {
			return
		}
	}
})

func TestHijack(t *testing.T) {
	_, route := mount(t, upper, nethttp.Config{})
	s := serveApp(t, []web.Route{
		{Pattern: `/upper`, Handler: route},
		{Pattern: `/hello`, Handler: web.Make[helloHandler]()},
	}, web.Config{})
	conn, err := net.Dial("tcp", s.Addr)
	require.NoError(t, err)
	defer conn.Close()
	// The first line comes with the request: the loop has read it, and
	// the hijacker reads it first.
	_, err = io.WriteString(conn, "GET /upper HTTP/1.1\r\nHost: x\r\nUpgrade: upper\r\nConnection: Upgrade\r\n\r\nfirst\n")
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	assert.Equal(t, 101, resp.StatusCode)
	for _, line := range []string{"first\n", "second\n", "bye\n"} {
		if line != "first\n" {
			_, err = io.WriteString(conn, line)
			require.NoError(t, err)
		}
		got, err := br.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, strings.ToUpper(line), got)
	}
	_, err = br.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the handler closed the hijacked connection")

	// The server goes on serving others.
	_, body := s.Get("/hello")
	assert.Equal(t, "Hello, world", body)
}

func TestApplicationChecks(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "mounted "+r.Method) })
	_, checked := mount(t, ok, nethttp.Config{})
	_, unchecked := mount(t, ok, nethttp.Config{NoXSRF: true})
	_, anonymous := mount(t, ok, nethttp.Config{})
	_, known := mount(t, ok, nethttp.Config{CurrentUser: func(*web.RequestHandler) (any, error) { return "ann", nil }})
	s := serveApp(t, []web.Route{
		{Pattern: `/checked`, Handler: checked},
		{Pattern: `/unchecked`, Handler: unchecked},
		{Pattern: `/private`, Handler: web.Authenticated(anonymous)},
		{Pattern: `/mine`, Handler: web.Authenticated(known)},
	}, web.Config{XSRFCookies: true, CookieSecret: "s", LoginURL: "/login"})
	looptest.Logs(s.Loop).Allow(t, slog.LevelWarn, `.`)

	resp, _ := s.Do("POST", "/checked", "a=1", "Content-Type", "application/x-www-form-urlencoded")
	assert.Equal(t, 403, resp.StatusCode, "XSRF applies to a mounted handler by default")
	resp, body := s.Do("POST", "/unchecked", "a=1", "Content-Type", "application/x-www-form-urlencoded")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "mounted POST", body, "Config.NoXSRF")
	_, body = s.Get("/checked")
	assert.Equal(t, "mounted GET", body, "GET needs no token")

	resp, _ = s.Get("/private")
	assert.Equal(t, 302, resp.StatusCode, "web.Authenticated sends a visitor to the login page")
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "/login", loc.Path)
	_, body = s.Get("/mine")
	assert.Equal(t, "mounted GET", body, "Config.CurrentUser says who is logged in")
}
