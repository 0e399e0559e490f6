package nethttp_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/gen"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
	"github.com/gornado/gornado/web/nethttp"
)

// server is an application served on a loop of its own goroutine.
type server struct {
	t    *testing.T
	app  *web.Application
	loop *ioloop.IOLoop
	base string // http://127.0.0.1:port
	addr string
	c    *http.Client
}

// serveApp serves an application on loopback until the end of the test.
func serveApp(t *testing.T, routes []web.Route, s web.Settings, cfg ...ioloop.Config) *server {
	t.Helper()
	l := looptest.New(t, cfg...)
	if s.Logger == nil {
		s.Logger = looptest.Logs(l).Logger()
	}
	app, err := web.NewApplication(routes, s)
	require.NoError(t, err)
	srv, err := app.Listen(l, "127.0.0.1:0")
	require.NoError(t, err)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		l.Start()
	}()
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		l.AddCallback(func() {
			srv.Close()
			l.Stop()
		})
		<-stopped
	})
	addr := srv.Addrs()[0].String()
	return &server{t: t, app: app, loop: l, base: "http://" + addr, addr: addr,
		c: &http.Client{Transport: tr, Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// mount returns the route factory of a container for h, closed at the end
// of the test. Its panics log to the loop's log of s, once set.
func mount(t *testing.T, h http.Handler, cfg nethttp.Config) (*nethttp.Container, func() web.Handler) {
	c := nethttp.NewContainer(h, cfg)
	t.Cleanup(func() { assert.NoError(t, c.Close()) })
	return c, c.Handler()
}

// do sends a request and returns the response and its body.
func (s *server) do(method, path string, body string, hdr ...string) (*http.Response, string) {
	s.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, s.base+path, rd)
	require.NoError(s.t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := s.c.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp, string(b)
}

func (s *server) get(path string, hdr ...string) (*http.Response, string) {
	s.t.Helper()
	return s.do("GET", path, "", hdr...)
}

// waitFor fails the test if ch is not closed in a long while: a guard
// against a hang, not a timing assertion.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// waitUntil polls cond until it holds, failing the test after a long
// while: a guard against a hang, not a timing assertion.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type helloHandler struct{ web.RequestHandler }

func (h *helloHandler) Get(co *gen.Co) error { return h.Write("Hello, world") }
