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

// Server is a server running for a test, on its loop's own goroutine,
// until the test ends. Its methods are for the test's goroutine; code
// that touches the loop's state goes through OnLoop.
type Server struct {
	// T is the test the server runs for.
	T testing.TB
	// Loop is the server's loop (looptest's): reach it with OnLoop or
	// Loop.AddCallback while it runs.
	Loop *ioloop.IOLoop
	// Server is the HTTP server on Loop. Loop-only.
	Server *httpserver.Server
	// App is the application Serve built; nil for ServeHandler.
	App *web.Application
	// Addr is "127.0.0.1:port", URL "http://127.0.0.1:port" (https with
	// httpserver.Config.TLS, web.Config.Server.TLS for Serve).
	Addr, URL string
	// Client fetches from the server: a cookie jar, redirects not
	// followed, a 10-second hang guard.
	Client *http.Client
}

// Serve builds an application from routes and cfg (logging to the
// loop's recorder unless cfg.Logger is set) and serves it on 127.0.0.1,
// a free port, until the end of the test, on a loop made with loopCfg
// (looptest.New) that runs on a goroutine of its own. An application that
// does not build fails the test.
func Serve(t testing.TB, routes []web.Route, cfg web.Config, loopCfg ...ioloop.Config) *Server {
	t.Helper()
	l := looptest.New(t, loopCfg...)
	if cfg.Logger == nil {
		cfg.Logger = looptest.Logs(l).Logger()
	}
	app, err := web.NewApplication(routes, cfg)
	require.NoError(t, err)
	s := start(t, l, app.Handler(l), cfg.Server)
	s.App = app
	return s
}

// ServeHandler serves h with cfg on 127.0.0.1, a free port, until the end
// of the test, on a loop made with loopCfg, as Serve does: for a plain
// httpserver.Handler (a HandlerFunc, a MessageDelegate of one's own).
func ServeHandler(t testing.TB, h httpserver.Handler, cfg httpserver.Config, loopCfg ...ioloop.Config) *Server {
	t.Helper()
	return start(t, looptest.New(t, loopCfg...), h, cfg)
}

func start(t testing.TB, l *ioloop.IOLoop, h httpserver.Handler, cfg httpserver.Config) *Server {
	t.Helper()
	srv := httpserver.New(l, h, cfg)
	require.NoError(t, srv.Listen("127.0.0.1:0"))
	looptest.Start(t, l, srv.Close)
	tr := &http.Transport{TLSClientConfig: ClientTLS(t)}
	t.Cleanup(tr.CloseIdleConnections) // runs before the loop stops: cleanups run last first
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

// Do sends a request (body "" for none; hdr as name, value pairs) with
// Client and returns the response and its whole body; a transport error
// fails the test (FailNow: call it from the test's goroutine).
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

// OnLoop runs fn on the server's loop and waits for it: the way for the
// test's goroutine to read or change loop-owned state.
func (s *Server) OnLoop(fn func()) {
	done := make(chan struct{})
	s.Loop.AddCallback(func() {
		defer close(done)
		fn()
	})
	<-done
}
