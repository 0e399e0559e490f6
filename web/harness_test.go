package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gornado/gornado/httpserver"
	"github.com/gornado/gornado/ioloop"
	"github.com/gornado/gornado/looptest"
	"github.com/gornado/gornado/web"
)

// server is an application served on a loop of its own goroutine.
type server struct {
	t    *testing.T
	app  *web.Application
	loop *ioloop.IOLoop
	base string // http://127.0.0.1:port
	c    *http.Client
}

// serveApp builds an application and serves it on loopback until the end
// of the test, on a loop made with cfg (a fake clock, say). Its access
// log goes to the test log.
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
	jar, _ := cookiejar.New(nil)
	return &server{t: t, app: app, loop: l, base: "http://" + srv.Addrs()[0].String(),
		c: &http.Client{Transport: tr, Jar: jar, Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
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

var _ = httpserver.Config{}

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
