package httpserver_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/future"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/webtest"
)

// serve runs an HTTP server for h on a loop of its own goroutine
// (webtest.ServeHandler) and returns its address; setup functions run on
// the loop before any client connects. The loop stops and closes at the
// end of the test.
func serve(t testing.TB, h httpserver.Handler, cfg httpserver.Config, setup ...func(*ioloop.IOLoop, *httpserver.Server)) string {
	t.Helper()
	return serveWith(t, ioloop.Config{}, h, cfg, setup...)
}

// serveWith is serve on a loop made with loopCfg (a fake clock, say).
func serveWith(t testing.TB, loopCfg ioloop.Config, h httpserver.Handler, cfg httpserver.Config, setup ...func(*ioloop.IOLoop, *httpserver.Server)) string {
	t.Helper()
	s := webtest.ServeHandler(t, h, cfg, loopCfg)
	for _, fn := range setup {
		s.OnLoop(func() { fn(s.Loop, s.Server) })
	}
	return s.Addr
}

// hello answers every request with its method and path.
var hello = httpserver.HandlerFunc(func(w *httpserver.Response, r *httpserver.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteString("Hello, " + r.Method + " " + r.Path)
	w.Finish()
})

// dial opens a raw connection with a hang-guard deadline.
func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

// readResponse reads one response from br.
func readResponse(t *testing.T, br *bufio.Reader, method string) (*http.Response, string) {
	t.Helper()
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	return resp, string(body)
}

// roundTrip writes raw request bytes and reads one response.
func roundTrip(t *testing.T, addr, raw string) (*http.Response, string) {
	t.Helper()
	c := dial(t, addr)
	_, err := io.WriteString(c, raw)
	require.NoError(t, err)
	method, _, _ := strings.Cut(raw, " ")
	return readResponse(t, bufio.NewReader(c), method)
}

// expectClosed asserts the server closes c without sending more.
func expectClosed(t *testing.T, c net.Conn) {
	t.Helper()
	n, err := c.Read(make([]byte, 1))
	require.Equal(t, 0, n)
	require.ErrorIs(t, err, io.EOF)
}

type futureStruct = *future.Future[struct{}]

func dialErr(addr string) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err == nil {
		c.Close()
	}
	return c, err
}
