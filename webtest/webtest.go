// Package webtest is Tornado's AsyncHTTPTestCase for Go tests: an
// application (or any httpserver.Handler) served on loopback, on a loop
// of its own goroutine, for the length of a test, with a client to fetch
// from it and a test certificate authority for HTTPS.
//
//	func TestHello(t *testing.T) {
//		s := webtest.Serve(t, []web.Route{{Pattern: `/`, Handler: web.Make[MainHandler]()}}, web.Config{})
//		resp, body := s.Get("/")
//		assert.Equal(t, 200, resp.StatusCode)
//		assert.Equal(t, "Hello, world", body)
//	}
//
// The loop is looptest's: leaks of goroutines and descriptors fail the
// test, its logger records to the test log (looptest.Logs), and a
// looptest.FakeClock given in the loop's Config drives the server and the
// handlers.
package webtest

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

// Server is a server running for a test.
type Server struct {
	T      testing.TB
	Loop   *ioloop.IOLoop
	Server *httpserver.Server
	App    *web.Application // nil for ServeHandler
	// Addr is "127.0.0.1:port", URL "http://127.0.0.1:port" (https with
	// Config.TLS).
	Addr, URL string
	// Client fetches from the server: a cookie jar, redirects not
	// followed, a 10-second hang guard.
	Client *http.Client
}

// Serve builds an application from routes and settings (logging to the
// loop's recorder unless settings.Logger is set) and serves it until the
// end of the test, on a loop made with loopCfg.
func Serve(t testing.TB, routes []web.Route, settings web.Config, loopCfg ...ioloop.Config) *Server {
	t.Helper()
	l := looptest.New(t, loopCfg...)
	if settings.Logger == nil {
		settings.Logger = looptest.Logs(l).Logger()
	}
	app, err := web.NewApplication(routes, settings)
	require.NoError(t, err)
	s := start(t, l, app.Handler(l), settings.Server)
	s.App = app
	return s
}

// ServeHandler serves h with cfg until the end of the test, on a loop made
// with loopCfg.
func ServeHandler(t testing.TB, h httpserver.Handler, cfg httpserver.Config, loopCfg ...ioloop.Config) *Server {
	t.Helper()
	return start(t, looptest.New(t, loopCfg...), h, cfg)
}

func start(t testing.TB, l *ioloop.IOLoop, h httpserver.Handler, cfg httpserver.Config) *Server {
	t.Helper()
	srv := httpserver.New(l, h, cfg)
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		l.Start()
	}()
	tr := &http.Transport{TLSClientConfig: ClientTLS(t)}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		l.AddCallback(func() {
			srv.Close()
			l.Stop()
		})
		<-stopped
	})
	jar, _ := cookiejar.New(nil)
	addr := srv.Addrs()[0].String()
	scheme := "http://"
	if cfg.TLS != nil {
		scheme = "https://"
	}
	return &Server{T: t, Loop: l, Server: srv, Addr: addr, URL: scheme + addr,
		Client: &http.Client{Transport: tr, Jar: jar, Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Do sends a request (body "" for none; hdr as name, value pairs) and
// returns the response and its whole body; a transport error fails the
// test.
func (s *Server) Do(method, path, body string, hdr ...string) (*http.Response, string) {
	s.T.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, s.URL+path, rd)
	require.NoError(s.T, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := s.Client.Do(req)
	require.NoError(s.T, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.T, err)
	return resp, string(b)
}

// Get is Do for a GET.
func (s *Server) Get(path string, hdr ...string) (*http.Response, string) {
	s.T.Helper()
	return s.Do("GET", path, "", hdr...)
}

// OnLoop runs fn on the server's loop and waits for it.
func (s *Server) OnLoop(fn func()) {
	done := make(chan struct{})
	s.Loop.AddCallback(func() {
		defer close(done)
		fn()
	})
	<-done
}
