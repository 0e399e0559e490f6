package httpbin_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/examples/httpbin/httpbin"
	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

// server is httpbin served on loopback by a loop of its own goroutine.
type server struct {
	t    *testing.T
	loop *ioloop.IOLoop
	srv  *httpserver.Server
	base string // http://127.0.0.1:PORT
	c    *http.Client
}

// serve starts httpbin with opts on a fresh loop (configured by cfg, at
// most one) until the end of the test. The client follows no redirects
// and does not decompress.
func serve(t *testing.T, opts httpbin.Config, cfg ...ioloop.Config) *server {
	t.Helper()
	l := looptest.New(t, cfg...)
	app, err := httpbin.NewApplication(opts, web.Config{Logger: looptest.Logs(l).Logger()})
	require.NoError(t, err)
	srv, err := app.Listen(l, "127.0.0.1:0")
	require.NoError(t, err)
	looptest.Start(t, l, srv.Close)
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections) // runs before the loop stops: cleanups run last first
	return &server{t: t, loop: l, srv: srv, base: "http://" + srv.Addrs()[0].String(), c: &http.Client{
		Transport: tr, Timeout: 30 * time.Second, // a hang guard, not a timing assertion
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// waitConnections waits until the server has n connections open (asked
// on its loop), failing the test after a hang guard.
func (s *server) waitConnections(n int) {
	s.t.Helper()
	for i := 0; ; i++ {
		got := make(chan int, 1)
		s.loop.AddCallback(func() { got <- s.srv.Connections() })
		if <-got == n {
			return
		}
		require.Less(s.t, i, 30000, "the server still has connections open (hang guard)")
		time.Sleep(time.Millisecond)
	}
}

// req is one request of a table.
type req struct {
	method, path, body string
	header             map[string]string
}

// do sends r and returns the response with its body read.
func (s *server) do(r req) (*http.Response, []byte) {
	s.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	method := r.method
	if method == "" {
		method = "GET"
	}
	hr, err := http.NewRequestWithContext(context.Background(), method, s.base+r.path, body)
	require.NoError(s.t, err)
	for k, v := range r.header {
		if k == "Host" {
			hr.Host = v
			continue
		}
		hr.Header.Set(k, v)
	}
	resp, err := s.c.Do(hr)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp, b
}

func (s *server) get(path string) (*http.Response, []byte) {
	s.t.Helper()
	return s.do(req{path: path})
}

// object decodes a JSON object body.
func object(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m), "body: %q", body)
	return m
}

// list turns JSON string lists ([]any) into []string.
func list(v any) []string {
	l, _ := v.([]any)
	out := make([]string, len(l))
	for i, x := range l {
		out[i], _ = x.(string)
	}
	return out
}
